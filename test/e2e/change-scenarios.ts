/**
 * The change matrix's risky rows (docs/operations.md, "What each change does"), walked on a deployment of the
 * test configuration under the fake's resolution watch: after every AWS call that changes what a VPC
 * resolves, every name of every spoke VPC that resolved privately before the step is resolved again.
 * None may be NXDOMAIN at any moment; a fallback to public DNS is counted, and must be one the change
 * announced before the apply.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareStacks, readStackJsons } from '../../lib/commands/affected';
import { HUB_STACK } from '../../lib/stack-names';
import { eachLimit } from './deployment';
import { assessWatch, watchList } from './endpoint-scenarios';
import { compareResolution, describeVerdicts } from './resolution';
import { check, config, ScenarioFailure, type E2eTarget, type Scenario, type ScenarioOptions } from './scenarios';
import { E2E_HUB_ACCOUNT, E2E_REGION } from './fixtures';
import { createVpcs, type SeedVpc } from './world-setup';

/** One step: an edit of the configuration, what synth must say, and which stacks it changes. */
interface Step {
  readonly label: string;
  readonly hub?: (text: string) => string;
  readonly accounts?: (text: string) => string;
  /**
   * The stacks whose Terraform JSON the step changes: `hub`, the hub and every spoke (`all`), or the
   * hub and the spokes of these accounts. Only they apply (hub first), as the apply workflow does.
   */
  readonly changes: 'hub' | 'all' | readonly string[];
  /** The step rolls out new role documents before it applies (the hub moving VPC). */
  readonly newRoles?: boolean;
  /** What synth must announce before the apply (a public-DNS fallback it cannot avoid). */
  readonly notice?: RegExp;
  /** VPCs whose names are left out of the watch (their S3 names answer from public DNS by design). */
  readonly unwatchedVpcs?: readonly string[];
}

/** The hub's zone IDs, from its local state file. */
function hubZoneIds(stateDir: string): string[] {
  const files = readdirSync(stateDir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => basename(f) === 'hub.tfstate',
  );
  const zones: string[] = [];
  for (const file of files) {
    const state = JSON.parse(readFileSync(join(stateDir, file), 'utf8')) as {
      resources?: Array<{ type: string; instances: Array<{ attributes: { zone_id?: string } }> }>;
    };
    for (const resource of state.resources ?? []) {
      if (resource.type !== 'aws_route53_zone') continue;
      for (const instance of resource.instances) {
        if (instance.attributes.zone_id) zones.push(instance.attributes.zone_id);
      }
    }
  }
  return zones;
}

function replace(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new ScenarioFailure(`test setup: ${String(from)} not in the configuration`);
  return text.replace(from, to);
}

/** hub.yaml with `ecr.dkrRecords` set to `mode`. */
const dkrRecords = (mode: string) => (text: string) =>
  replace(text.replace(/^ {2}dkrRecords: .*\n/m, ''), /^ecr:\n/m, `ecr:\n  dkrRecords: ${mode}\n`);

const PAYMENTS_ACCOUNT = '200000000001';
const PAYMENTS_VPC = 'vpc-0e2e00000000000a1';
const ADDED_VPC: SeedVpc = {
  account: PAYMENTS_ACCOUNT,
  vpcId: 'vpc-0e2e00000000000a9',
  cidr: '10.201.0.0/16',
  subnets: [],
};

/** The hub's next VPC, in the hub account, with a subnet in each of the first VPC's zones. */
const NEW_HUB_VPC: SeedVpc = {
  account: E2E_HUB_ACCOUNT,
  vpcId: 'vpc-0e2e0000000000002',
  cidr: '10.250.0.0/16',
  subnets: [
    { id: 'subnet-0e2e0000000000003', cidr: '10.250.0.0/24', availabilityZone: `${E2E_REGION}a` },
    { id: 'subnet-0e2e0000000000004', cidr: '10.250.1.0/24', availabilityZone: `${E2E_REGION}b` },
  ],
};

/** The matrix's risky changes on the test configuration, each watched; the hub moves to another VPC last. */
export function changeMatrixScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name:
      `${target.label}: each change watched after every AWS call: ecr.dkrRecords there and back, allowed CIDRs, ` +
      'a service added and removed, a VPC added and removed, an S3 gateway there and back, the hub moved to another VPC',
    needsFake: true,
    run: async () => {
      const { project, deployment, client } = target;
      const hubFile = join(project.configDir, 'hub.yaml');
      const region = config(target).hub.region;
      const lines: string[] = [];

      // One step per change of the matrix, in order.
      const run = async (step: Step) => {
        const before = watchList(target);
        const hub = readFileSync(hubFile, 'utf8');
        const accounts = project.readAccounts();
        const stacksBefore = readStackJsons(project.outdir);
        project.writeConfig(step.hub ? step.hub(hub) : hub, step.accounts ? step.accounts(accounts) : accounts);
        const synthesized = project.trySynth();
        check(
          synthesized.status === 0,
          `${step.label}: synth failed (exit ${synthesized.status}):\n${synthesized.stderr}`,
        );
        if (step.notice) {
          check(
            step.notice.test(synthesized.stderr),
            `${step.label}: synth did not announce it:\n${synthesized.stderr}`,
          );
        }
        project.writeOverrides(options.mirror, options.endpoint);
        const changed = compareStacks(stacksBefore, readStackJsons(project.outdir)).changed;
        const expected =
          step.changes === 'hub'
            ? [HUB_STACK]
            : step.changes === 'all'
              ? [HUB_STACK, ...deployment.spokes()]
              : [HUB_STACK, ...step.changes.map((id) => `spoke-${id}`)];
        check(
          changed.join() === expected.join(),
          `${step.label}: changes ${changed.join(', ') || 'no stack'}; expected ${expected.join(', ')}`,
        );
        if (step.newRoles) {
          // The new documents are in place before the apply (docs/operations.md): its calls replay against them.
          target.roleUpdates.push({ fromCall: (await client.calls()).length, config: config(target) });
        }
        const after = watchList(target);
        const vpcIds = before.vpcIds.filter((v) => after.vpcIds.includes(v) && !step.unwatchedVpcs?.includes(v));
        const hosts = before.hosts.filter((h) => after.hosts.includes(h));
        await client.watch(vpcIds, hosts);
        let failure: unknown;
        try {
          if (changed.includes(HUB_STACK)) await deployment.apply(HUB_STACK);
          await eachLimit(
            changed.filter((stack) => stack !== HUB_STACK),
            4,
            (spoke) => deployment.apply(spoke),
          );
        } catch (error) {
          failure = error;
        }
        const report = await client.unwatch();
        const cfg = config(target);
        const assessed = assessWatch(report, cfg.services, cfg.hub.region);
        if (failure !== undefined) {
          throw new ScenarioFailure(
            `${step.label}: ${failure instanceof Error ? failure.message : String(failure)}\nthe watch until then: ` +
              `${assessed.problems.join('\n') || 'no NXDOMAIN'}`,
          );
        }
        check(assessed.problems.length === 0, `${step.label}: ${assessed.problems.join('\n')}`);
        const publics = [...assessed.fallbacks].map(([service, f]) => `${service} ${f.lookups}`);
        check(
          publics.length === 0 || step.notice !== undefined,
          `${step.label}: names fell back to public DNS unannounced: ${publics.join(', ')}`,
        );
        const result = await compareResolution(project.outdir, client);
        check(
          result.disagreements.length === 0 && result.failures.length === 0,
          `after ${step.label}:\n${describeVerdicts([...result.disagreements, ...result.failures])}`,
        );
        lines.push(
          `${step.label}: ${report.checks} checks, ${publics.length > 0 ? `public ${publics.join(', ')}` : 'no public answer'}`,
        );
      };

      // ecr.dkrRecords: one step is refused; through both, there and back.
      const hubText = readFileSync(hubFile, 'utf8');
      project.writeConfig(dkrRecords('wildcard')(hubText), project.readAccounts());
      const refused = project.trySynth();
      check(
        refused.status !== 0 && /switches ecr\.dkrRecords from per-account to wildcard/.test(refused.stderr),
        `per-account -> wildcard in one step was not refused (exit ${refused.status}):\n${refused.stderr}`,
      );
      project.writeConfig(hubText, project.readAccounts());
      // Independent changes share an apply where the proof allows (each is still watched): the e2e's
      // time is mostly Terraform's, one apply at a time. ecr.dkrRecords through both, with the allowed
      // CIDRs split in two on the way.
      const cidrs = (t: string) => replace(t, 'allowedCidrs: [10.0.0.0/8]', 'allowedCidrs: [10.0.0.0/9, 10.128.0.0/9]');
      await run({
        label: 'dkrRecords both, allowedCidrs split',
        hub: (t) => cidrs(dkrRecords('both')(t)),
        changes: 'hub',
      });
      await run({ label: 'dkrRecords wildcard', hub: dkrRecords('wildcard'), changes: 'hub' });
      await run({ label: 'dkrRecords both again', hub: dkrRecords('both'), changes: 'hub' });
      await run({
        label: 'dkrRecords per-account',
        hub: dkrRecords('per-account'),
        changes: 'hub',
        notice: /the \*\.dkr\.ecr record goes/,
      });

      // A service added, retired, then removed (with a VPC added to an account), the VPC removed
      // (with an S3 gateway endpoint for another VPC of the account's), and back to the hub's s3 zone.
      const services = 'services: [ecr.api, ecr.dkr, s3, logs, sts]';
      await run({
        label: 'ssm added',
        hub: (t) => replace(t, services, `${services.slice(0, -1)}, ssm]`),
        changes: 'all',
      });
      await run({
        label: 'ssm retired',
        hub: (t) => replace(t, `${services.slice(0, -1)}, ssm]`, `${services}\nretiredServices: [ssm]`),
        changes: 'all',
      });
      await createVpcs(client, region, [ADDED_VPC]);
      target.seeded.push(ADDED_VPC);
      await run({
        label: 'ssm removed, a VPC added',
        hub: (t) => replace(t, '\nretiredServices: [ssm]', ''),
        accounts: (t) => replace(t, `vpcIds: [${PAYMENTS_VPC}]`, `vpcIds: [${PAYMENTS_VPC}, ${ADDED_VPC.vpcId}]`),
        changes: [PAYMENTS_ACCOUNT],
      });
      const gateway = `vpcIds: [${PAYMENTS_VPC}]\n    s3GatewayRouteTables:\n      ${PAYMENTS_VPC}: [rtb-0e2e00000000000a1]`;
      await run({
        label: 'the VPC removed, an S3 gateway',
        accounts: (t) => replace(t, `vpcIds: [${PAYMENTS_VPC}, ${ADDED_VPC.vpcId}]`, gateway),
        changes: [PAYMENTS_ACCOUNT],
        notice: /leaves the hub's s3 zone for its own S3 gateway endpoint/,
      });
      await run({
        label: 'back to the s3 zone',
        accounts: (t) => replace(t, gateway, `vpcIds: [${PAYMENTS_VPC}]`),
        changes: [PAYMENTS_ACCOUNT],
        notice: /leaves its S3 gateway endpoint for the hub's s3 zone/,
        unwatchedVpcs: [PAYMENTS_VPC],
      });

      // The hub moves to another VPC: its roles' documents (the VPC and subnets) are rolled out first,
      // then one hub apply creates the new endpoints before it repoints the records and deletes the old.
      // The steps of docs/operations.md, "Guard rails": associate the new VPC with every hub zone, plan with
      // protect: false, apply, disassociate the old VPC.
      await createVpcs(client, region, [NEW_HUB_VPC]);
      target.seeded.push(NEW_HUB_VPC);
      const oldHubVpc = config(target).hub.vpcId;
      const zones = hubZoneIds(project.stateDir);
      check(zones.length > 0, 'the hub state holds no zone');
      for (const zone of zones) {
        await client.route53AssociateVpc(E2E_HUB_ACCOUNT, zone, NEW_HUB_VPC.vpcId, region, true);
      }
      await run({
        label: 'the hub moved to another VPC',
        hub: (t) =>
          `${replace(
            replace(t, /vpcId: vpc-\S+/, `vpcId: ${NEW_HUB_VPC.vpcId}`),
            /subnetIds: \[.*\]/,
            `subnetIds: [${NEW_HUB_VPC.subnets.map((subnet) => subnet.id).join(', ')}]`,
          )}protect: false\n`,
        changes: 'hub',
        newRoles: true,
      });
      for (const zone of zones) await client.route53AssociateVpc(E2E_HUB_ACCOUNT, zone, oldHubVpc, region, false);
      return `${lines.length} steps, 0 NXDOMAIN: ${lines.join('; ')}`;
    },
  };
}
