/**
 * The e2e of `sharing.mode: profile`: deploy a configuration whose zones reach the spokes through a
 * Route 53 Profile shared with an OU and with one account outside the organization (which accepts
 * RAM's invitation), check resolution from every spoke VPC, then switch to associations and back,
 * step by step as docs/sharing-modes.md says, while the fake resolves every spoke VPC's names after every
 * Route 53, Route 53 Profiles and RAM call: not one lookup may fail at any moment.
 */
import { requiredHosts } from '../../lib/doctor/profiles';
import { HUB_STACK } from '../../lib/stack-names';
import { accountsYaml, E2E_ORGANIZATION, E2E_PROFILE_ACCOUNTS, profileHubYaml } from './fixtures';
import { compareResolution, describeVerdicts } from './resolution';
import { livePassesScenario } from './live-doctor-scenarios';
import {
  check,
  config,
  deployScenarios,
  destroyScenario,
  synth,
  type E2eTarget,
  type Scenario,
  type ScenarioOptions,
} from './scenarios';

type Mode = 'associations' | 'profile';
type Transition = 'off' | 'both' | 'hub';

/** Writes the profile configuration's files for one step. */
export function writeProfileConfig(target: E2eTarget, mode: Mode, transition: Transition): void {
  target.project.writeConfig(profileHubYaml(mode, transition), accountsYaml(E2E_PROFILE_ACCOUNTS));
}

/** Every spoke VPC and every name the fargate profile needs there, for the fake's resolution watch. */
function watchList(target: E2eTarget): { vpcIds: string[]; hosts: string[] } {
  const cfg = config(target);
  const hosts = new Set<string>();
  for (const account of cfg.accounts) {
    const ctx = {
      region: cfg.hub.region,
      account: account.id,
      registries: cfg.ecr.registryAccounts,
      hubServices: cfg.services,
    };
    for (const { host } of requiredHosts('fargate', ctx)) hosts.add(host);
  }
  return { vpcIds: cfg.accounts.flatMap((a) => a.vpcIds), hosts: [...hosts] };
}

/** What the fake holds of each sharing mechanism. */
async function mechanisms(target: E2eTarget): Promise<{
  authorizations: number;
  associations: number;
  profiles: number;
  profileAssociations: number;
  shares: number;
}> {
  const counts = await target.client.worldCounts();
  const hubVpcs = 1;
  return {
    authorizations: counts.authorizations ?? 0,
    // Zone associations of spoke VPCs: every zone's VPCs, less the hub VPC's own.
    associations: (counts.zoneAssociations ?? 0) - hubVpcs * (counts.zones ?? 0),
    profiles: counts.profiles ?? 0,
    profileAssociations: counts.profileAssociations ?? 0,
    shares: counts.resourceShares ?? 0,
  };
}

/** The steps of a switch, each applied hub first, then the spokes, under the watch. */
function switchScenario(target: E2eTarget, options: ScenarioOptions, to: Mode, steps: readonly Transition[]): Scenario {
  return {
    name:
      `profile config: switching to ${to} (${steps.map((t) => `transition: ${t}`).join(', then ')}), ` +
      'each step hub then spokes; every spoke VPC resolves every name after every AWS call',
    needsFake: true,
    run: async () => {
      const { client, deployment } = target;
      const from: Mode = to === 'profile' ? 'associations' : 'profile';
      // One step is refused by the local guard: the spoke states hold only the old mechanism.
      writeProfileConfig(target, to, 'off');
      const refused = target.project.trySynth();
      check(
        refused.status === 1 && refused.stderr.includes('in one apply'),
        `synth did not refuse switching to ${to} in one step (exit ${refused.status}): ${refused.stderr}`,
      );

      const watch = watchList(target);
      await client.watch(watch.vpcIds, watch.hosts);
      const seen: string[] = [];
      try {
        for (const transition of steps) {
          writeProfileConfig(target, to, transition);
          synth(target, options.mirror, options.endpoint);
          await deployment.applyAll();
          seen.push(`${transition}: ${JSON.stringify(await mechanisms(target))}`);
        }
      } finally {
        const report = await client.unwatch();
        check(report.checks > 0, 'the watch resolved nothing');
        const failed = report.events.map(
          (e) => `${e.label ?? e.account} ${e.service}:${e.action} -> ${e.vpcId} ${e.host} ${e.result}`,
        );
        check(
          failed.length === 0 && report.dropped === 0,
          `lookups failed during the switch from ${from} to ${to}:\n${failed.slice(0, 10).join('\n')}`,
        );
      }
      const left = await mechanisms(target);
      if (to === 'profile') {
        check(
          left.authorizations === 0 && left.associations === 0,
          `associations are left after the switch: ${JSON.stringify(left)}`,
        );
        check(
          left.profileAssociations === watch.vpcIds.length,
          `${left.profileAssociations} Profile associations for ${watch.vpcIds.length} spoke VPCs`,
        );
      } else {
        check(
          left.profiles === 0 && left.profileAssociations === 0 && left.shares === 0,
          `the Profile is left after the switch: ${JSON.stringify(left)}`,
        );
      }
      const result = await compareResolution(target.project.outdir, client);
      check(
        result.disagreements.length === 0 && result.failures.length === 0,
        `after the switch:\n${describeVerdicts([...result.disagreements, ...result.failures])}`,
      );
      const plan = await deployment.plan(HUB_STACK);
      check(plan.exitCode === 0, `the hub re-plans with changes after the switch`);
      return `${watch.hosts.length} names in ${watch.vpcIds.length} VPCs never failed; one-step switch refused; ${seen.join('; ')}`;
    },
  };
}

/** The deploy scenarios, with `organization` set up in the fake first (RAM consults it). */
export function deployInOrganization(
  target: E2eTarget,
  options: ScenarioOptions,
  organization: Parameters<E2eTarget['client']['setOrganization']>[0],
): Scenario[] {
  const [deploy, ...checks] = deployScenarios(target, options);
  return [
    {
      ...deploy,
      run: async () => {
        if (target.isFake) await target.client.setOrganization(organization);
        return deploy.run();
      },
    },
    ...checks,
  ];
}

/** The profile-mode configuration's scenarios, in order. */
export function profileConfigScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  return [
    ...deployInOrganization(target, options, E2E_ORGANIZATION),
    {
      name: 'profile config: no authorization and no zone association anywhere; one Profile association per spoke VPC',
      needsFake: true,
      run: async () => {
        const held = await mechanisms(target);
        const vpcs = config(target).accounts.reduce((n, a) => n + a.vpcIds.length, 0);
        check(held.authorizations === 0 && held.associations === 0, `the fake holds ${JSON.stringify(held)}`);
        check(
          held.profiles === 1 && held.profileAssociations === vpcs,
          `the fake holds ${JSON.stringify(held)} for ${vpcs} spoke VPCs`,
        );
        return `1 Profile, 1 RAM share, ${vpcs} Profile associations; 0 authorizations, 0 spoke zone associations`;
      },
    },
    livePassesScenario(target, options),
    switchScenario(target, options, 'associations', ['both', 'hub', 'off']),
    switchScenario(target, options, 'profile', ['both', 'off']),
    destroyScenario(target),
  ];
}
