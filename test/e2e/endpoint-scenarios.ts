/**
 * The e2e of `sharing.dns: endpoints` (with `mode: profile`): the Route 53 Profile holds the hub's
 * interface endpoints, private DNS on, instead of self-managed zones. Three deployments, each with
 * its own fake, run side by side:
 *
 * - **endpoints config**: deployed in this mode from the start, shared with the organization and
 *   with one account outside it (which accepts RAM's invitation). Every spoke VPC resolves the
 *   fargate names through the hub's endpoints, `<id>.dkr.ecr` names of registries the configuration
 *   never lists too; adding an account changes only the new spoke.
 * - **migration**: a fresh `dns: zones` deployment moves to private DNS one service per hub apply
 *   (`zoneServices` shrinking), then back to zones at once, then to private DNS at once.
 * - **from associations**: `mode: associations` to profile (`transition: both`, then `off`), then
 *   `dns: endpoints`, each step the hub, then the spokes.
 *
 * The moves run under the fake's resolution watch: after every AWS call that changes what a VPC
 * resolves, every watched name is resolved in every spoke VPC. No name may be NXDOMAIN at any
 * moment, and none may stop answering except into public DNS: the window AWS leaves while a name
 * moves between a zone and an endpoint's private DNS (a zone and private DNS of one name cannot
 * coexist on the hub VPC, nor in one Profile). The public fallbacks are counted per service and
 * step, with their windows: from the first call after which a name answered from public DNS to the
 * call after which it answered privately again.
 */
import { performance } from 'node:perf_hooks';
import { requiredHosts } from '../../lib/doctor/profiles';
import { ECR_DKR, zoneName } from '../../lib/services/catalog';
import { HUB_STACK } from '../../lib/stack-names';
import type { WatchReport } from '../fake-aws/watch';
import { eachLimit, type PlanSummary } from './deployment';
import { livePassesScenario } from './live-doctor-scenarios';
import {
  accountsYaml,
  E2E_ENDPOINTS_ORGANIZATION,
  E2E_NEW_ACCOUNT,
  E2E_PROFILE_ACCOUNTS,
  E2E_UNLISTED_REGISTRIES,
  endpointsHubYaml,
  type E2eAccount,
  type EndpointsSharing,
} from './fixtures';
import type { E2eProject } from './project';
import { deployInOrganization } from './profile-scenarios';
import { compareResolution, describeVerdicts } from './resolution';
import {
  check,
  config,
  describePlan,
  destroyScenario,
  ScenarioFailure,
  synth,
  type E2eTarget,
  type Scenario,
  type ScenarioOptions,
} from './scenarios';
import { createVpcs, seedVpcs } from './world-setup';

/** The three deployments of the endpoints flow. */
export type EndpointsPart = 'endpoints' | 'migration' | 'from-associations';

/** The spoke accounts of each part: the profile configuration's (two in the organization, one outside it) or two of them. */
export const PART_ACCOUNTS: Readonly<Record<EndpointsPart, readonly E2eAccount[]>> = {
  endpoints: E2E_PROFILE_ACCOUNTS,
  // Both in the organization; 020000000002 has two VPCs.
  migration: [E2E_PROFILE_ACCOUNTS[0], E2E_PROFILE_ACCOUNTS[1]],
  // One in the organization, one outside it that accepts RAM's invitation on the switch to profile.
  'from-associations': [E2E_PROFILE_ACCOUNTS[1], E2E_PROFILE_ACCOUNTS[2]],
};

/** The `sharing` each part is deployed with. */
const FIRST_SHARING: Readonly<Record<EndpointsPart, EndpointsSharing>> = {
  endpoints: { mode: 'profile', dns: 'endpoints' },
  // As a hub deployed before `dns` existed: no `dns` at all.
  migration: { mode: 'profile' },
  'from-associations': { mode: 'associations' },
};

/** The order in which the migration moves services from their zones to private DNS, one per hub apply. */
export const MOVE_ORDER = ['logs', 's3', 'sts', 'ecr.api', 'ecr.dkr'] as const;

/** The migration's steps: one service per step, then back to zones at once, then to private DNS at once. */
const ONE_AT_A_TIME: readonly EndpointsSharing[] = MOVE_ORDER.map((_, i) => ({
  mode: 'profile',
  dns: 'endpoints',
  zoneServices: MOVE_ORDER.slice(i + 1),
}));
const BACK_TO_ZONES: EndpointsSharing = { mode: 'profile', dns: 'zones' };
const ALL_TO_ENDPOINTS: EndpointsSharing = { mode: 'profile', dns: 'endpoints' };

/** The steps from associations: the mode switch as "Switching modes" says, then `dns: endpoints`. */
const FROM_ASSOCIATIONS: readonly EndpointsSharing[] = [
  { mode: 'profile', transition: 'both' },
  { mode: 'profile', transition: 'off' },
  { mode: 'profile', dns: 'endpoints' },
];

/** Writes a part's configuration files for one step. */
function writeStep(target: E2eTarget, part: EndpointsPart, sharing: EndpointsSharing, extra: E2eAccount[] = []): void {
  target.project.writeConfig(endpointsHubYaml(sharing), accountsYaml([...PART_ACCOUNTS[part], ...extra]));
}

/** Every spoke VPC, and every name the fargate profile needs there plus each service's own names. */
export function watchList(target: E2eTarget): { vpcIds: string[]; hosts: string[] } {
  const cfg = config(target);
  const hosts = new Set<string>();
  for (const account of cfg.accounts) {
    const ctx = {
      region: cfg.hub.region,
      account: account.id,
      registries: cfg.ecr.registryAccounts,
      hubServices: cfg.services,
    };
    for (const { host } of [...requiredHosts('fargate', ctx), ...requiredHosts('all', ctx)]) hosts.add(host);
  }
  return { vpcIds: cfg.accounts.flatMap((a) => a.vpcIds), hosts: [...hosts] };
}

/** The service whose names `host` is one of (the most specific zone name that covers it). */
function serviceOf(host: string, services: readonly string[], region: string): string {
  const covering = services
    .map((service) => ({ service, zone: zoneName(service, region) }))
    .filter(({ zone }) => host === zone || host.endsWith(`.${zone}`))
    .sort((a, b) => b.zone.length - a.zone.length);
  return covering[0]?.service ?? host;
}

/** One service's public fallbacks in one step. */
interface Fallbacks {
  /** Lookups that answered from public DNS (one per VPC and name at each call). */
  lookups: number;
  /** The calls after which some of its names answered from public DNS. */
  calls: number;
  /** From the first to the last public answer (the calls' times). */
  firstToLastMs: number;
  /** From the first public answer to the call after which the last of its names answered privately again. */
  windowMs?: number;
}

/** What one watched step saw. */
interface StepOutcome {
  readonly label: string;
  readonly fallbacks: ReadonlyMap<string, Fallbacks>;
  /** From the step's first to its last public answer, all services. */
  readonly firstToLastMs?: number;
  readonly seconds: number;
}

const ms = (time: string) => Date.parse(time);
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;

/** The watch's verdict on a step: what must not happen, and the public fallbacks per service. */
export function assessWatch(
  report: WatchReport,
  services: readonly string[],
  region: string,
): { problems: string[]; fallbacks: Map<string, Fallbacks>; firstToLastMs?: number } {
  const problems: string[] = [];
  if (report.checks === 0) problems.push('the watch resolved nothing');
  if (report.dropped > 0) problems.push(`the watch dropped ${report.dropped} events`);
  for (const pair of report.baseline.filter((b) => b.outcome === 'public' || b.outcome === 'NXDOMAIN')) {
    problems.push(`before the step ${pair.vpcId} ${pair.host} was already ${pair.outcome}`);
  }
  const failed = report.events.filter((e) => e.outcome === 'NXDOMAIN' || (e.regression && e.outcome !== 'public'));
  for (const e of failed.slice(0, 10)) {
    problems.push(
      `${e.label ?? e.account} ${e.service}:${e.action} -> ${e.vpcId} ${e.host} ${e.outcome}` +
        `${e.zone ? ` (zone ${e.zone.name} ${e.via})` : ''}`,
    );
  }
  if (failed.length > 10) problems.push(`... and ${failed.length - 10} more`);
  const publics = report.events.filter((e) => e.outcome === 'public');
  const fallbacks = new Map<string, Fallbacks>();
  const byService = new Map<string, typeof publics>();
  for (const event of publics) {
    const service = serviceOf(event.host, services, region);
    byService.set(service, [...(byService.get(service) ?? []), event]);
  }
  for (const [service, events] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const times = events.map((e) => ms(e.time));
    const first = Math.min(...times);
    const recoveries = report.recoveries
      .filter((r) => serviceOf(r.host, services, region) === service && ms(r.time) >= first)
      .map((r) => ms(r.time));
    fallbacks.set(service, {
      lookups: events.length,
      calls: new Set(events.map((e) => e.seq)).size,
      firstToLastMs: Math.max(...times) - first,
      ...(recoveries.length > 0 ? { windowMs: Math.max(...recoveries) - first } : {}),
    });
  }
  const times = publics.map((e) => ms(e.time));
  return {
    problems,
    fallbacks,
    ...(times.length > 0 ? { firstToLastMs: Math.max(...times) - Math.min(...times) } : {}),
  };
}

/** One step's line: the public fallbacks per service, with their windows. */
function describeStep(step: StepOutcome): string {
  const services = [...step.fallbacks].map(
    ([service, f]) =>
      `${service} ${f.lookups} public lookups after ${f.calls} calls, first to last ${seconds(f.firstToLastMs)}` +
      `${f.windowMs === undefined ? '' : `, until answered privately ${seconds(f.windowMs)}`}`,
  );
  return `[${step.label}, ${step.seconds.toFixed(0)} s: ${services.length > 0 ? services.join('; ') : 'no public fallback'}]`;
}

/** The notice synth prints before an apply that moves `services` between zones and private DNS. */
function checkNotice(stderr: string, services: readonly string[], to: 'endpoints' | 'zones'): void {
  const direction =
    to === 'endpoints'
      ? /moves? from a self-managed zone to the endpoint's private DNS/
      : /moves? from the endpoint's private DNS to a self-managed zone/;
  const line = stderr.split('\n').find((l) => direction.test(l));
  check(line !== undefined, `synth said nothing of ${services.join(', ')} moving to ${to}:\n${stderr}`);
  const missing = services.filter((s) => !line.includes(s));
  check(missing.length === 0, `synth's notice does not name ${missing.join(', ')}: ${line}`);
}

/** One watched step: a change to hub.yaml, synth (and its notice), the applies, and what the watch saw. */
interface WatchedStep {
  readonly label: string;
  readonly sharing: EndpointsSharing;
  /** `hub`: only the hub applies, and the spoke stacks must not change; `all`: the hub, then the spokes. */
  readonly applies: 'hub' | 'all';
  /** The services synth must say move, and where to; none: synth must say nothing. */
  readonly moves?: { readonly services: readonly string[]; readonly to: 'endpoints' | 'zones' };
}

const MOVE_NOTICE = /moves? from (a self-managed zone|the endpoint's private DNS)/;

/** Runs one step under the watch; throws on anything the step must not do. */
async function runStep(
  target: E2eTarget,
  part: EndpointsPart,
  options: ScenarioOptions,
  step: WatchedStep,
): Promise<StepOutcome> {
  const { project, deployment, client } = target;
  const spokes = deployment.spokes();
  const spokeJson = () => spokes.map((s) => JSON.stringify(project.stackJson(s)));
  const before = spokeJson();
  writeStep(target, part, step.sharing);
  const synthesized = project.trySynth();
  check(synthesized.status === 0, `${step.label}: synth failed (exit ${synthesized.status}):\n${synthesized.stderr}`);
  if (step.moves) checkNotice(synthesized.stderr, step.moves.services, step.moves.to);
  else check(!MOVE_NOTICE.test(synthesized.stderr), `${step.label}: synth announces a move:\n${synthesized.stderr}`);
  project.writeOverrides(options.mirror, options.endpoint);
  if (step.applies === 'hub') {
    const changed = spokes.filter((_, i) => spokeJson()[i] !== before[i]);
    check(changed.length === 0, `${step.label}: the spoke stacks change: ${changed.join(', ')}`);
  }
  const cfg = config(target);
  const watch = watchList(target);
  await client.watch(watch.vpcIds, watch.hosts);
  const started = performance.now();
  let failure: unknown;
  try {
    if (step.applies === 'all') await deployment.applyAll();
    else await deployment.apply(HUB_STACK);
  } catch (error) {
    failure = error;
  }
  const report = await client.unwatch();
  const elapsed = (performance.now() - started) / 1000;
  const assessed = assessWatch(report, cfg.services, cfg.hub.region);
  if (failure !== undefined) {
    const publics = [...assessed.fallbacks].map(([service, f]) => `${service} ${f.lookups}`).join(', ');
    throw new ScenarioFailure(
      `${step.label}: ${failure instanceof Error ? failure.message : String(failure)}
` +
        `the watch until then: ${assessed.problems.length > 0 ? assessed.problems.join('\n') : 'no NXDOMAIN'}; ` +
        `public lookups: ${publics || 'none'}`,
    );
  }
  check(
    assessed.problems.length === 0,
    `${step.label}: a spoke VPC went without an answer other than public DNS:\n${assessed.problems.join('\n')}`,
  );
  const result = await compareResolution(project.outdir, client);
  check(
    result.disagreements.length === 0 && result.failures.length === 0,
    `after ${step.label}:\n${describeVerdicts([...result.disagreements, ...result.failures])}`,
  );
  return {
    label: step.label,
    fallbacks: assessed.fallbacks,
    ...(assessed.firstToLastMs === undefined ? {} : { firstToLastMs: assessed.firstToLastMs }),
    seconds: elapsed,
  };
}

/** Plans every spoke stack; each must have no changes. */
async function spokesPlanNothing(target: E2eTarget, when: string): Promise<number> {
  const plans: PlanSummary[] = [];
  await eachLimit(target.deployment.spokes(), 4, async (stack) => void plans.push(await target.deployment.plan(stack)));
  const changed = plans.filter((p) => p.exitCode !== 0);
  check(
    changed.length === 0,
    `${when}: spokes plan changes: ${changed.map((p) => `${p.stack}: ${describePlan(p)}`).join('; ')}`,
  );
  return plans.length;
}

/** What the fake holds for the hub: its zones and what its Profile holds. */
async function holdings(target: E2eTarget): Promise<Record<string, number>> {
  const counts = await target.client.worldCounts();
  return {
    zones: counts.zones ?? 0,
    records: counts.records ?? 0,
    authorizations: counts.authorizations ?? 0,
    // Zone associations of spoke VPCs: every zone's VPCs, less the hub VPC's own.
    spokeZoneAssociations: (counts.zoneAssociations ?? 0) - (counts.zones ?? 0),
    profileResources: counts.profileResourceAssociations ?? 0,
    profileAssociations: counts.profileAssociations ?? 0,
  };
}

/** The part's deploy, with the organization set up in the fake first (RAM consults it). */
function deployPart(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  return deployInOrganization(target, options, E2E_ENDPOINTS_ORGANIZATION);
}

/** The endpoints configuration: deployed with `dns: endpoints`, resolution, re-plan, an added account, destroy. */
export function endpointsConfigScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy, , replan] = deployPart(target, options);
  const { project, deployment, client } = target;
  return [
    deploy,
    {
      name:
        `${target.label}: no zone and no record anywhere, the Profile holds every endpoint; every spoke VPC resolves ` +
        'the fargate names through the endpoints, also <id>.dkr.ecr of three registries the configuration never lists; ' +
        'the doctor agrees name for name',
      needsFake: true,
      run: async () => {
        const cfg = config(target);
        const held = await holdings(target);
        check(
          held.zones === 0 && held.records === 0 && held.authorizations === 0,
          `the fake holds zones: ${JSON.stringify(held)}`,
        );
        check(
          held.profileResources === cfg.services.length,
          `the Profile holds ${held.profileResources} resources for ${cfg.services.length} endpoints`,
        );
        const vpcs = cfg.accounts.flatMap((a) => a.vpcIds);
        check(
          held.profileAssociations === vpcs.length,
          `${held.profileAssociations} Profile associations for ${vpcs.length} VPCs`,
        );
        const result = await compareResolution(project.outdir, client, 'fargate', E2E_UNLISTED_REGISTRIES);
        check(
          result.disagreements.length === 0,
          `the doctor and the fake disagree:\n${describeVerdicts(result.disagreements)}`,
        );
        check(result.failures.length === 0, `names do not resolve:\n${describeVerdicts(result.failures)}`);
        const unlisted = result.names.filter((n) => E2E_UNLISTED_REGISTRIES.some((id) => n.host.startsWith(`${id}.`)));
        check(
          unlisted.length === vpcs.length * E2E_UNLISTED_REGISTRIES.length,
          `the doctor checked ${unlisted.length} unlisted registry names in ${vpcs.length} VPCs`,
        );
        // The fake alone: each unlisted registry, from each VPC, answers from the ecr.dkr endpoint's
        // private DNS, through the Profile.
        for (const vpcId of vpcs) {
          for (const id of E2E_UNLISTED_REGISTRIES) {
            const host = `${id}.${zoneName(ECR_DKR, cfg.hub.region)}`;
            const answer = await client.resolve(vpcId, host);
            check(
              answer.result === 'answer' &&
                answer.endpoint?.service === ECR_DKR &&
                answer.via === 'profile' &&
                answer.zone?.privateDnsOf !== undefined,
              `${vpcId} ${host}: ${JSON.stringify(answer)}`,
            );
          }
        }
        return (
          `0 zones, ${held.profileResources} endpoints in the Profile, ${held.profileAssociations} VPCs associated; ` +
          `${result.names.length} names in ${result.vpcs} spoke VPCs resolve, ${unlisted.length} of them of unlisted registries; doctor and fake agree`
        );
      },
    },
    livePassesScenario(target, options),
    replan,
    {
      name: `${target.label}: adding an account (organization principal) leaves the hub's plan empty and no existing spoke changes; the new spoke resolves`,
      run: async () => {
        const existing = deployment.spokes();
        const text = (stack: string) => JSON.stringify(project.stackJson(stack));
        const before = new Map([HUB_STACK, ...existing].map((s) => [s, text(s)]));
        writeStep(target, 'endpoints', FIRST_SHARING.endpoints, [E2E_NEW_ACCOUNT]);
        const cfg = config(target);
        const added = seedVpcs(cfg).filter((v) => v.account === E2E_NEW_ACCOUNT.id);
        await createVpcs(client, cfg.hub.region, added);
        target.seeded.push(...added);
        synth(target, options.mirror, options.endpoint);
        const changed = [...before].filter(([stack, json]) => text(stack) !== json).map(([stack]) => stack);
        check(changed.length === 0, `the synth output of ${changed.join(', ')} changes`);
        const hub = await deployment.plan(HUB_STACK);
        check(hub.exitCode === 0, `the hub plans changes: ${describePlan(hub)}`);
        const spoke = deployment.spokes().filter((s) => !existing.includes(s));
        check(spoke.length === 1, `new spoke stacks: ${spoke.join(', ')}`);
        await deployment.apply(spoke[0]);
        if (!target.isFake) return `hub: no changes; ${existing.length} spokes unchanged; ${spoke[0]} applied`;
        const result = await compareResolution(project.outdir, client, 'fargate', E2E_UNLISTED_REGISTRIES);
        const mine = result.names.filter((n) => n.account === E2E_NEW_ACCOUNT.id);
        check(mine.length > 0, 'the doctor does not check the new account');
        check(
          result.disagreements.length === 0 && result.failures.length === 0,
          describeVerdicts([...result.disagreements, ...result.failures]),
        );
        return (
          `hub and ${existing.length} existing spokes: synth output byte for byte the same, hub plan -detailed-exitcode 0; ` +
          `${spoke[0]} applied; its ${mine.length} names resolve (${result.names.length} in all)`
        );
      },
    },
    destroyScenario(target),
  ];
}

/** The migration from `dns: zones`: one service per step, then all back to zones, then all to private DNS. */
export function migrationScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy, resolution] = deployPart(target, options);
  const services = [...MOVE_ORDER];
  const oneAtATime: WatchedStep[] = ONE_AT_A_TIME.map((sharing, i) => ({
    label: `${MOVE_ORDER[i]} to private DNS`,
    sharing,
    applies: 'hub',
    moves: { services: [MOVE_ORDER[i]], to: 'endpoints' },
  }));
  const run = async (steps: readonly WatchedStep[], planSpokesAfter: readonly number[]) => {
    const outcomes: StepOutcome[] = [];
    let plans = 0;
    for (const [i, step] of steps.entries()) {
      outcomes.push(await runStep(target, 'migration', options, step));
      const cfg = config(target);
      const held = await holdings(target);
      const zones = cfg.sharing.dns === 'endpoints' ? cfg.sharing.zoneServices.length : cfg.services.length;
      check(
        held.zones === zones && held.profileResources === cfg.services.length,
        `after ${step.label}: ${JSON.stringify(held)} for ${zones} zone services`,
      );
      if (planSpokesAfter.includes(i)) plans += await spokesPlanNothing(target, `after ${step.label}`);
    }
    const hub = await target.deployment.plan(HUB_STACK);
    check(hub.exitCode === 0, `the hub re-plans with changes: ${describePlan(hub)}`);
    return { outcomes, plans };
  };
  return [
    deploy,
    resolution,
    {
      name:
        `${target.label}: dns: endpoints one service per hub apply (zoneServices shrinking), watched after every AWS call: ` +
        'never NXDOMAIN, nothing but public DNS in between; synth names each move; the spokes do not change',
      needsFake: true,
      run: async () => {
        // The spoke stacks are compared byte for byte at every step; their plans (a provider start
        // each) run after the first step, and again after the last move of the part.
        const { outcomes, plans } = await run(oneAtATime, [0]);
        const windows = outcomes.map((o) => o.firstToLastMs ?? 0);
        return (
          `${outcomes.length} hub applies, spoke synth output unchanged at each, ${plans} spoke plans empty after the first; ` +
          `first to last public answer per step ${windows.map(seconds).join(', ')}; ${outcomes.map(describeStep).join(' ')}`
        );
      },
    },
    {
      name: `${target.label}: back to dns: zones at once (one hub apply), watched the same way`,
      needsFake: true,
      run: async () => {
        const { outcomes } = await run(
          [{ label: 'all to zones', sharing: BACK_TO_ZONES, applies: 'hub', moves: { services, to: 'zones' } }],
          [],
        );
        return outcomes.map(describeStep).join(' ');
      },
    },
    {
      name: `${target.label}: to dns: endpoints at once (one hub apply), watched the same way`,
      needsFake: true,
      run: async () => {
        const { outcomes, plans } = await run(
          [
            {
              label: 'all to private DNS',
              sharing: ALL_TO_ENDPOINTS,
              applies: 'hub',
              moves: { services, to: 'endpoints' },
            },
          ],
          [0],
        );
        return `${plans} spoke plans empty; ${outcomes.map(describeStep).join(' ')}`;
      },
    },
  ];
}

/** From `mode: associations` to profile, then `dns: endpoints`; the shortcuts are refused. */
export function fromAssociationsScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy, resolution] = deployPart(target, options);
  const services = [...MOVE_ORDER];
  return [
    deploy,
    resolution,
    {
      name:
        `${target.label}: associations to dns: endpoints in one apply is refused by synth, dns: endpoints while switching ` +
        'by validation; transition: both, then off, then dns: endpoints, each step hub then spokes, watched after every ' +
        'AWS call: never NXDOMAIN, nothing but public DNS in between',
      needsFake: true,
      run: async () => {
        const { project } = target;
        writeStep(target, 'from-associations', { mode: 'profile', dns: 'endpoints' });
        const straight = project.trySynth();
        check(
          straight.status === 1 && straight.stderr.includes('in one apply'),
          `synth did not refuse associations to dns: endpoints in one step (exit ${straight.status}): ${straight.stderr}`,
        );
        writeStep(target, 'from-associations', { mode: 'profile', transition: 'both', dns: 'endpoints' });
        const switching = project.trySynth();
        check(
          switching.status !== 0 &&
            switching.stderr.includes('sharing.dns: endpoints cannot be set while switching modes'),
          `validation did not refuse dns: endpoints with transition: both (exit ${switching.status}): ${switching.stderr}`,
        );
        const steps: WatchedStep[] = [
          { label: 'transition: both', sharing: FROM_ASSOCIATIONS[0], applies: 'all' },
          { label: 'transition: off', sharing: FROM_ASSOCIATIONS[1], applies: 'all' },
          {
            label: 'dns: endpoints',
            sharing: FROM_ASSOCIATIONS[2],
            applies: 'all',
            moves: { services, to: 'endpoints' },
          },
        ];
        const outcomes: StepOutcome[] = [];
        for (const step of steps) outcomes.push(await runStep(target, 'from-associations', options, step));
        const held = await holdings(target);
        const vpcs = config(target).accounts.reduce((n, a) => n + a.vpcIds.length, 0);
        check(
          held.zones === 0 &&
            held.authorizations === 0 &&
            held.spokeZoneAssociations === 0 &&
            held.profileAssociations === vpcs,
          `afterwards the fake holds ${JSON.stringify(held)} for ${vpcs} spoke VPCs`,
        );
        const hub = await target.deployment.plan(HUB_STACK);
        check(hub.exitCode === 0, `the hub re-plans with changes: ${describePlan(hub)}`);
        return (
          `refused: one step ("in one apply"), dns: endpoints while switching; no zone, authorization or zone association ` +
          `left, ${held.profileAssociations} Profile associations; ${outcomes.map(describeStep).join(' ')}`
        );
      },
    },
  ];
}

/** Writes a part's first configuration (before its deploy). */
export function writeFirstConfig(project: E2eProject, part: EndpointsPart): void {
  project.writeConfig(endpointsHubYaml(FIRST_SHARING[part]), accountsYaml(PART_ACCOUNTS[part]));
}
