/**
 * The e2e scenarios: real Terraform applies vpce-hub's synth output against the AWS fake, and each
 * scenario checks one promise the project makes. They run in order and build on each other (deploy,
 * then check, then change, then destroy), each printing one line.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/load';
import type { VpceConfig } from '../../lib/config/schema';
import { runDoctor } from '../../lib/doctor/run-doctor';
import { requiredHosts } from '../../lib/doctor/profiles';
import type { AwsEndpointClient } from '../fake-aws/client';
import { localStateFile, stateLocation } from '../../lib/state/backends';
import { HUB_STACK, spokeStackName } from '../../lib/stack-names';
import { Deployment, eachLimit, type PlanSummary } from './deployment';
import { accountsYaml, E2E_ACCOUNTS, E2E_HUB_YAML, E2E_NEW_ACCOUNT, type E2eAccount } from './fixtures';
import { firstReleaseHub, tosetKeys } from './first-release';
import { changeMatrixScenario } from './change-scenarios';
import { liveBreaksScenario, livePassesScenario } from './live-doctor-scenarios';
import { replayCalls } from './least-privilege';
import { OVERRIDE_FILE, type E2eProject, type StackJson } from './project';
import { compareResolution, describeVerdicts, fakeVerdict } from './resolution';
import { TerraformError } from './terraform';
import { createVpcs, deleteVpcs, seedVpcs, type SeedVpc } from './world-setup';

/** One configuration under test: its project, deployment and the endpoint it talks to. */
export interface E2eTarget {
  /** `test config` or `example config`. */
  readonly label: string;
  readonly project: E2eProject;
  readonly deployment: Deployment;
  readonly client: AwsEndpointClient;
  /** Whether the endpoint is the project's fake (resolution, call log, emptiness). */
  readonly isFake: boolean;
  /** The VPCs created for it, to delete at the end. */
  seeded: SeedVpc[];
  /** The configuration at the flow's start: the least-privilege replay checks every call against its documents. */
  readonly startConfig: VpceConfig;
  /**
   * Where a step rolled out new role documents first (the hub moving VPC changes them): from the
   * call at index `fromCall` of the fake's log on, the replay checks against `config`'s documents.
   */
  readonly roleUpdates: Array<{ readonly fromCall: number; readonly config: VpceConfig }>;
}

/** One scenario: `run` returns the detail printed after `ok`, or throws. */
export interface Scenario {
  readonly name: string;
  /** Needs the project's fake (not LocalStack): skipped otherwise. */
  readonly needsFake?: boolean;
  run(): Promise<string>;
}

/** An assertion of a scenario; its message is what the scenario line prints. */
export class ScenarioFailure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ScenarioFailure(message);
}

export function config(target: E2eTarget): VpceConfig {
  return loadConfig(target.project.configDir);
}

/** Synthesizes the target's config and adds the e2e overrides. */
export function synth(target: E2eTarget, mirror: { awsVersion: string; path: string }, endpoint: string): void {
  target.project.synth();
  target.project.writeOverrides(mirror, endpoint);
}

export function describePlan(plan: PlanSummary): string {
  const parts = (['create', 'update', 'delete', 'replace', 'move'] as const)
    .filter((kind) => plan[kind].length > 0)
    .map(
      (kind) =>
        `${plan[kind].length} to ${kind} (${plan[kind].slice(0, 3).join(', ')}${plan[kind].length > 3 ? ', ...' : ''})`,
    );
  return parts.join('; ') || 'no changes';
}

/** Whether an address belongs to one account (its registry record or one of its VPCs' instances). */
function belongsTo(address: string, account: { id: string; vpcIds: readonly string[] }): boolean {
  return address.includes(account.id) || account.vpcIds.some((vpc) => address.includes(vpc));
}

/** Removes instance key `key` from every `for_each` of resources of `type` in a stack's JSON. */
export function dropForEachKey(json: StackJson, type: string, key: string): number {
  let dropped = 0;
  for (const resource of Object.values(json.resource?.[type] ?? {})) {
    const forEach = resource.for_each;
    if (typeof forEach === 'string') {
      const match = /^\$\{toset\((\[.*\])\)\}$/s.exec(forEach);
      if (!match) continue;
      const keys = JSON.parse(match[1]) as string[];
      if (!keys.includes(key)) continue;
      resource.for_each = `\${toset(${JSON.stringify(keys.filter((k) => k !== key))})}`;
      dropped += 1;
    } else if (forEach && typeof forEach === 'object' && key in forEach) {
      delete (forEach as Record<string, unknown>)[key];
      dropped += 1;
    }
  }
  return dropped;
}

/** The scenarios of one configuration, in order. */
export interface ScenarioOptions {
  readonly mirror: { awsVersion: string; path: string };
  /** The endpoint the providers call. */
  readonly endpoint: string;
}

/** Deploy, resolve and re-plan: what every configuration must pass. */
export function deployScenarios(target: E2eTarget, options: ScenarioOptions & { firstRelease?: boolean }): Scenario[] {
  const { deployment, project } = target;
  return [
    {
      name:
        `${target.label}: deploy the hub${options.firstRelease ? " (at the first release's addresses)" : ''}, ` +
        'then every spoke, each in its own account through its role',
      run: async () => {
        const cfg = config(target);
        target.seeded = seedVpcs(cfg);
        await createVpcs(target.client, cfg.hub.region, target.seeded);
        synth(target, options.mirror, options.endpoint);
        if (options.firstRelease) project.writeStackJson(HUB_STACK, firstReleaseHub(project.stackJson(HUB_STACK)));
        const since = target.isFake ? (await target.client.calls()).length : 0;
        await deployment.applyAll();
        const spokes = deployment.spokes();
        if (!target.isFake) return `hub and ${spokes.length} spokes applied`;
        const calls = (await target.client.calls(since + 1)).filter((c) => c.action !== 'AssumeRole');
        for (const account of cfg.accounts) {
          const role = `arn:aws:iam::${account.id}:role/${cfg.spokes.roleName}`;
          const own = calls.filter((c) => c.label?.startsWith(`${spokeStackName(account.id)} `));
          check(own.length > 0, `no API call was labelled ${spokeStackName(account.id)}`);
          const foreign = own.filter((c) => c.account !== account.id || c.roleArn !== role);
          check(
            foreign.length === 0,
            `${spokeStackName(account.id)} made ${foreign.length} calls outside ${role}, e.g. ${foreign[0]?.action} as ${foreign[0]?.principal}`,
          );
        }
        return `hub and ${spokes.length} spokes applied; every spoke call ran in its own account as ${cfg.spokes.roleName}`;
      },
    },
    {
      name: `${target.label}: every spoke VPC resolves the fargate names to the hub's endpoints; the doctor agrees name for name`,
      needsFake: true,
      run: async () => {
        const result = await compareResolution(project.outdir, target.client);
        check(result.names.length > 0, 'the doctor found no spoke VPC to check');
        check(
          result.disagreements.length === 0,
          `the doctor and the fake disagree:\n${describeVerdicts(result.disagreements)}`,
        );
        check(result.failures.length === 0, `names do not resolve:\n${describeVerdicts(result.failures)}`);
        return `${result.names.length} names in ${result.vpcs} spoke VPCs: all resolve, doctor and fake agree`;
      },
    },
    {
      name: `${target.label}: every stack re-plans with no changes`,
      run: async () => {
        const plans: PlanSummary[] = [];
        await eachLimit(project.stacks(), 4, async (stack) => void plans.push(await deployment.plan(stack)));
        const changed = plans.filter((p) => p.exitCode !== 0);
        check(changed.length === 0, changed.map((p) => `${p.stack}: ${describePlan(p)}`).join('\n'));
        return `${plans.length} stacks, plan -detailed-exitcode 0 each`;
      },
    },
  ];
}

/** Destroy everything; the world is empty afterwards. */
export function destroyScenario(target: E2eTarget): Scenario {
  return {
    name: `${target.label}: destroy every stack (with protect: false); nothing is left`,
    run: async () => {
      // Zones and endpoints refuse destruction unless the configuration says protect: false.
      target.project.editHub((text) => (/^protect: false$/m.test(text) ? text : `${text}protect: false\n`));
      target.project.synth();
      await target.deployment.destroyAll();
      await deleteVpcs(target.client, config(target).hub.region, target.seeded);
      if (!target.isFake) return 'destroyed';
      const counts = await target.client.worldCounts();
      const left = Object.entries(counts).filter(([, n]) => n > 0);
      check(left.length === 0, `the fake still holds ${left.map(([k, n]) => `${n} ${k}`).join(', ')}`);
      return 'spokes, then the hub, destroyed; the fake is empty';
    },
  };
}

/** The change scenarios of the test configuration. */
function changeScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const { deployment, project, client } = target;
  const newAccount = { id: E2E_NEW_ACCOUNT.id, vpcIds: ['vpc-0e2e00000000000d1', 'vpc-0e2e00000000000d2'] };
  const withNew: E2eAccount[] = [...E2E_ACCOUNTS, E2E_NEW_ACCOUNT];
  return [
    {
      name: 'test config: adding an account plans only creates in the hub and no change in any existing spoke',
      run: async () => {
        const existing = deployment.spokes();
        project.writeConfig(E2E_HUB_YAML, accountsYaml(withNew));
        const cfg = config(target);
        const added = seedVpcs(cfg).filter((v) => v.account === newAccount.id);
        await createVpcs(client, cfg.hub.region, added);
        target.seeded.push(...added);
        synth(target, options.mirror, options.endpoint);
        const hub = await deployment.plan(HUB_STACK, { forApply: true });
        check(hub.exitCode === 2 && hub.create.length > 0, `the hub plans no creates: ${describePlan(hub)}`);
        const others = [...hub.update, ...hub.delete, ...hub.replace, ...hub.move];
        check(others.length === 0, `the hub plans more than creates: ${describePlan(hub)}`);
        const strangers = hub.create.filter((a) => !belongsTo(a, newAccount));
        check(strangers.length === 0, `the hub creates instances of other accounts: ${strangers.join(', ')}`);
        const spokePlans: PlanSummary[] = [];
        await eachLimit(existing, 4, async (stack) => void spokePlans.push(await deployment.plan(stack)));
        const changed = spokePlans.filter((p) => p.exitCode !== 0);
        check(
          changed.length === 0,
          `existing spokes change: ${changed.map((p) => `${p.stack}: ${describePlan(p)}`).join('; ')}`,
        );
        await deployment.applySavedPlan(HUB_STACK);
        await deployment.apply(spokeStackName(newAccount.id));
        return `hub: ${hub.create.length} creates, all of the new account; ${existing.length} existing spokes: no changes; applied`;
      },
    },
    {
      name: 'test config: the new account resolves like the others',
      needsFake: true,
      run: async () => {
        const result = await compareResolution(project.outdir, client);
        const mine = result.names.filter((n) => n.account === newAccount.id);
        check(mine.length > 0, 'the doctor does not check the new account');
        check(
          result.disagreements.length === 0,
          `the doctor and the fake disagree:\n${describeVerdicts(result.disagreements)}`,
        );
        check(result.failures.length === 0, `names do not resolve:\n${describeVerdicts(result.failures)}`);
        return `${mine.length} names of the new account resolve; ${result.names.length} in all`;
      },
    },
    {
      name: 'test config: deleting an account that was not retired is refused; retiring, then deleting it leaves no VPC on a zone without its record',
      run: async () => {
        const spoke = spokeStackName(newAccount.id);
        // The guard: with the spoke's associations still in its state, synth refuses the deletion.
        project.writeConfig(E2E_HUB_YAML, accountsYaml(E2E_ACCOUNTS));
        const refused = project.trySynth();
        check(
          refused.status === 1 &&
            refused.stderr.includes(
              `account ${newAccount.id} is deleted from accounts.yaml without being retired first`,
            ) &&
            refused.stderr.includes('retired: true'),
          `synth did not refuse the deletion of an account whose spoke state holds resources (exit ${refused.status}): ${refused.stderr}`,
        );
        // docs/operations.md, "Remove an account": 1. retire it, 2. deploy its spoke (its associations go; the hub keeps its record).
        project.writeConfig(
          E2E_HUB_YAML,
          accountsYaml([...E2E_ACCOUNTS, { ...E2E_NEW_ACCOUNT, yaml: `${E2E_NEW_ACCOUNT.yaml}    retired: true\n` }]),
        );
        synth(target, options.mirror, options.endpoint);
        const retire = await deployment.plan(spoke, { forApply: true });
        const retireOthers = [...retire.create, ...retire.update, ...retire.replace];
        check(
          retire.delete.length === newAccount.vpcIds.length * config(target).services.length &&
            retireOthers.length === 0,
          `retiring plans ${describePlan(retire)}`,
        );
        await deployment.applySavedPlan(spoke);
        const hubWhileRetired = await deployment.plan(HUB_STACK);
        check(
          hubWhileRetired.exitCode === 0,
          `the hub changes while the account is retired: ${describePlan(hubWhileRetired)}`,
        );
        if (target.isFake) {
          const cfg = config(target);
          for (const vpcId of newAccount.vpcIds) {
            const zones = await client.zonesOf(vpcId);
            check(
              zones.length === 0,
              `${vpcId} of the retired account is still associated with ${zones.map((z) => z.name).join(', ')}`,
            );
            for (const host of requiredHosts('fargate', {
              region: cfg.hub.region,
              account: newAccount.id,
              registries: [],
              hubServices: cfg.services,
            })) {
              const answer = await client.resolve(vpcId, host.host);
              check(
                answer.result !== 'NXDOMAIN',
                `${vpcId} (retired account) gets NXDOMAIN for ${host.host} from zone ${answer.zone?.name}`,
              );
            }
          }
        }
        // 3. delete the entry, 4. deploy the hub (its record and authorizations go), 5. delete its state.
        // Steps 3-4 run through the cdktf CLI as users run them: `cdktf synth` drops the account's
        // stack folder (the app and the CLI must not both try), then `cdktf deploy hub`.
        project.writeConfig(E2E_HUB_YAML, accountsYaml(E2E_ACCOUNTS));
        await deployment.cdktf(HUB_STACK, ['synth']);
        check(
          !project.stacks().includes(spoke) && !existsSync(project.stackDir(spoke)),
          `cdktf synth left ${spoke} behind`,
        );
        project.writeOverrides(options.mirror, options.endpoint);
        const hub = await deployment.plan(HUB_STACK);
        const others = [...hub.create, ...hub.update, ...hub.replace, ...hub.move];
        check(others.length === 0, `the hub plans more than deletes: ${describePlan(hub)}`);
        const strangers = hub.delete.filter((a) => !belongsTo(a, newAccount));
        check(strangers.length === 0, `the hub deletes instances of other accounts: ${strangers.join(', ')}`);
        // --skip-provider-lock: offline, `terraform providers lock` cannot reach the registry (the mirror serves init).
        await deployment.cdktf(HUB_STACK, ['deploy', HUB_STACK, '--auto-approve', '--skip-provider-lock']);
        const after = await deployment.plan(HUB_STACK);
        check(after.exitCode === 0, `after cdktf deploy hub the hub still plans ${describePlan(after)}`);
        const stateFile = localStateFile(
          stateLocation(config(target), { outdir: project.outdir, stateDir: project.stateDir }),
          spoke,
        );
        rmSync(stateFile, { force: true });
        rmSync(`${stateFile}.backup`, { force: true });
        if (!target.isFake) {
          return `retired: ${retire.delete.length} associations removed; hub: ${hub.delete.length} deletes`;
        }
        const result = await compareResolution(project.outdir, client);
        check(
          result.disagreements.length === 0 && result.failures.length === 0,
          `the other spokes no longer resolve:\n${describeVerdicts([...result.disagreements, ...result.failures])}`,
        );
        return (
          `synth refused the unretired deletion; retiring removed ${retire.delete.length} associations ` +
          `while the hub kept its record; then cdktf synth and cdktf deploy hub deleted ${hub.delete.length} instances, ` +
          `all the account's; ${result.names.length} names of the others still resolve`
        );
      },
    },
    {
      name: "test config: the seed's failure: a spoke's registry record missing gives NXDOMAIN, and the doctor says so",
      needsFake: true,
      run: async () => {
        const victim = E2E_ACCOUNTS[0].id;
        const hubJson = project.stackJson(HUB_STACK);
        check(
          dropForEachKey(hubJson, 'aws_route53_record', victim) === 1,
          `no registry record keyed ${victim} in the hub`,
        );
        project.writeStackJson(HUB_STACK, hubJson);
        await deployment.apply(HUB_STACK);
        const host = `${victim}.dkr.ecr.${config(target).hub.region}.amazonaws.com`;
        const vpcs = config(target).accounts.find((a) => a.id === victim)?.vpcIds ?? [];
        for (const vpcId of vpcs) {
          const fake = fakeVerdict(await client.resolve(vpcId, host));
          check(fake === 'NXDOMAIN', `the fake answers ${fake} for ${host} from ${vpcId}, not NXDOMAIN`);
        }
        const doctor = runDoctor({ outdir: project.outdir, profile: 'fargate' });
        const verdicts = doctor.vpcs
          .filter((v) => v.account === victim)
          .flatMap((v) => v.answers.filter((a) => a.host === host));
        check(
          verdicts.length === vpcs.length && verdicts.every((a) => a.result === 'NXDOMAIN'),
          `the doctor does not report NXDOMAIN for ${host}`,
        );
        check(!doctor.ok, 'the doctor says OK');
        const result = await compareResolution(project.outdir, client);
        check(
          result.disagreements.length === 0,
          `the doctor and the fake disagree:\n${describeVerdicts(result.disagreements)}`,
        );
        // Put the record back.
        synth(target, options.mirror, options.endpoint);
        await deployment.apply(HUB_STACK);
        const restored = await compareResolution(project.outdir, client);
        check(restored.failures.length === 0, `after restoring:\n${describeVerdicts(restored.failures)}`);
        return `${host}: NXDOMAIN from the fake and the doctor alike; restored`;
      },
    },
  ];
}

/** A deliberately broken synth output must fail, naming the stack and quoting Terraform. */
export function brokenSynthScenario(target: E2eTarget, options: ScenarioOptions, workDir: string): Scenario {
  return {
    name: 'harness: a broken synth fails, naming the stack and quoting Terraform',
    run: async () => {
      synth(target, options.mirror, options.endpoint);
      const cases: Array<{ name: string; edit: (json: StackJson) => void; expect: RegExp }> = [
        {
          name: 'an attribute typo',
          edit: (json) => {
            const record = Object.values(json.resource?.aws_route53_record ?? {})[0];
            record.zone_idd = record.zone_id;
            delete record.zone_id;
          },
          expect: /Unsupported argument|Missing required argument/,
        },
        {
          name: 'a wrong reference',
          edit: (json) => {
            Object.values(json.resource?.aws_route53_record ?? {})[0].zone_id =
              '${aws_route53_zone.no_such_zone.zone_id}';
          },
          expect: /Reference to undeclared resource/,
        },
      ];
      const seen: string[] = [];
      for (const broken of cases) {
        const dir = join(workDir, 'broken', broken.name.replace(/\W+/g, '-'));
        mkdirSync(dir, { recursive: true });
        const json = JSON.parse(readFileSync(join(target.project.stackDir(HUB_STACK), 'cdk.tf.json'), 'utf8'));
        broken.edit(json);
        cpSync(join(target.project.stackDir(HUB_STACK), OVERRIDE_FILE), join(dir, OVERRIDE_FILE));
        writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
        try {
          await target.deployment.validate(HUB_STACK, dir);
        } catch (error) {
          check(error instanceof TerraformError, `${broken.name}: failed without a Terraform error: ${String(error)}`);
          check(
            error.message.includes(`stack ${HUB_STACK}`),
            `${broken.name}: the failure does not name the stack: ${error.message}`,
          );
          check(
            broken.expect.test(error.message),
            `${broken.name}: the failure does not quote Terraform's error: ${error.message}`,
          );
          seen.push(`${broken.name}: "${error.terraformError.split('\n')[0]}"`);
          continue;
        }
        throw new ScenarioFailure(`${broken.name}: terraform validate accepted the broken stack`);
      }
      return seen.join('; ');
    },
  };
}

/** Every scenario of the test configuration. */
export function testConfigScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy, resolves, replans] = deployScenarios(target, options);
  return [
    deploy,
    resolves,
    livePassesScenario(target, options),
    liveBreaksScenario(target, options),
    replans,
    ...changeScenarios(target, options),
    destroyScenario(target),
  ];
}

/**
 * The change matrix on a deployment of its own (the test configuration): a flow beside the test
 * flow, so that their Route 53 change waits overlap instead of adding up.
 */
export function changeMatrixScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy] = deployScenarios(target, options);
  return [deploy, changeMatrixScenario(target, options), destroyScenario(target)];
}

/** Upgrading a hub deployed at the first release's addresses plans moves only, and applies them. */
function upgradeScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name: `${target.label}: upgrading from the first release's addresses plans only moves`,
    run: async () => {
      const old = target.project.stackJson(HUB_STACK);
      synth(target, options.mirror, options.endpoint);
      const plan = await target.deployment.plan(HUB_STACK, { forApply: true });
      const changes = [...plan.create, ...plan.update, ...plan.delete, ...plan.replace];
      check(changes.length === 0, `the upgrade plans more than moves: ${describePlan(plan)}`);
      const registry = old.resource?.aws_route53_record?.ecr_dkr_registry;
      const expected =
        Object.keys(old.resource?.aws_route53_vpc_association_authorization?.spoke?.for_each ?? {}).length +
        (registry ? tosetKeys(registry.for_each).length : 0);
      check(
        plan.move.length === expected,
        `${plan.move.length} moves planned, ${expected} expected: ${describePlan(plan)}`,
      );
      await target.deployment.applySavedPlan(HUB_STACK);
      return `${plan.move.length} instances moved, nothing created or destroyed; applied`;
    },
  };
}

/** Edits that would break every spoke are refused at plan time, with the reason. */
function riskyEditsScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  const expectFailure = async (what: string, run: () => Promise<unknown>, expected: RegExp): Promise<string> => {
    try {
      await run();
    } catch (error) {
      check(error instanceof TerraformError, `${what}: failed without a Terraform error: ${String(error)}`);
      check(expected.test(error.message), `${what}: refused, but not for the expected reason: ${error.message}`);
      return error.terraformError.split('\n')[0];
    }
    throw new ScenarioFailure(`${what}: terraform accepted it`);
  };
  return {
    name: `${target.label}: risky hub edits are refused: a changed hub.vpcId, and destroying protected zones and endpoints`,
    run: async () => {
      const { project, deployment } = target;
      const vpcId = config(target).hub.vpcId;
      project.editHub((text) => text.replace(vpcId, 'vpc-0e2e00000000000ff'));
      synth(target, options.mirror, options.endpoint);
      const moved = await expectFailure(
        'changing hub.vpcId',
        () => deployment.plan(HUB_STACK),
        /\(hub\.vpcId\) is not associated with the zone/,
      );
      project.editHub((text) => text.replace('vpc-0e2e00000000000ff', vpcId));
      synth(target, options.mirror, options.endpoint);
      const destroy = await expectFailure(
        'destroying the hub',
        () => deployment.terraform(HUB_STACK, ['plan', '-destroy', '-input=false', '-parallelism=32']),
        /Instance cannot be destroyed|prevent_destroy/,
      );
      return `hub.vpcId: "${moved}"; destroy: "${destroy}"`;
    },
  };
}

/** Adding endpoint policies to a deployed hub changes the endpoints in place. */
function endpointPolicyScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name: `${target.label}: adding endpointPolicy updates every endpoint in place, and every spoke still resolves`,
    run: async () => {
      const { project, deployment } = target;
      project.editHub((text) => `${text}endpointPolicy:\n  organizationId: o-e2eexample1\n`);
      synth(target, options.mirror, options.endpoint);
      const plan = await deployment.plan(HUB_STACK, { forApply: true });
      const endpoints = config(target).services.length;
      check(
        plan.update.length === endpoints &&
          plan.update.every((a) => a.startsWith('aws_vpc_endpoint.')) &&
          [...plan.create, ...plan.delete, ...plan.replace].length === 0,
        `adding endpoint policies plans ${describePlan(plan)}`,
      );
      await deployment.applySavedPlan(HUB_STACK);
      const after = await deployment.plan(HUB_STACK);
      check(after.exitCode === 0, `after the apply the hub still plans ${describePlan(after)}`);
      if (!target.isFake) return `${plan.update.length} endpoints updated in place`;
      const result = await compareResolution(project.outdir, target.client);
      check(
        result.failures.length === 0 && result.disagreements.length === 0,
        describeVerdicts([...result.failures, ...result.disagreements]),
      );
      return `${plan.update.length} endpoints updated in place (ec2:ModifyVpcEndpoint), re-plan clean, ${result.names.length} names still resolve`;
    },
  };
}

/** The example configuration (config/): deploy at the first release's addresses, upgrade, resolve, re-plan, refuse risky edits, destroy. */
export function exampleConfigScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const [deploy, ...checks] = deployScenarios(target, { ...options, firstRelease: true });
  return [
    deploy,
    upgradeScenario(target, options),
    ...checks,
    livePassesScenario(target, options),
    endpointPolicyScenario(target, options),
    riskyEditsScenario(target, options),
    destroyScenario(target),
  ];
}

/** The generated IAM policies, replayed against every call of the given runs (after they are done). */
export function leastPrivilegeScenario(targets: readonly E2eTarget[]): Scenario {
  return {
    name:
      "least privilege: every call of every run is allowed by its role's document as generated at the run's start, " +
      'by phase; no document grants an action no call needed',
    needsFake: true,
    run: async () => {
      const runs = await Promise.all(
        targets.map(async (target) => ({
          startConfig: target.startConfig,
          roleUpdates: target.roleUpdates,
          calls: await target.client.calls(),
        })),
      );
      const result = replayCalls(runs);
      check(result.checked > 0, 'no call carried an IAM authorization to check');
      check(
        result.unknownRoles.length === 0,
        `calls by roles the policies do not know:\n${result.unknownRoles.slice(0, 10).join('\n')}`,
      );
      check(
        result.wrongPhase.length === 0,
        `calls made with the other phase's role:\n${result.wrongPhase.slice(0, 10).join('\n')}`,
      );
      check(result.denied.length === 0, `denied by the generated policies:\n${result.denied.slice(0, 10).join('\n')}`);
      const unused = Object.entries(result.unused).map(([kind, actions]) => `${kind}: ${actions.join(', ')}`);
      check(unused.length === 0, `granted but never needed:\n${unused.join('\n')}`);
      const calls = runs.reduce((n, run) => n + run.calls.filter((c) => c.roleArn).length, 0);
      return `${calls} calls by the roles, ${result.checked} authorizations: all allowed, plans by planners only; every granted action needed`;
    },
  };
}
