/**
 * The change matrix's risky rows (README, "What each change does"), walked on the test flow's
 * deployment under the fake's resolution watch: after every AWS call that changes what a VPC
 * resolves, every name of every spoke VPC that resolved privately before the step is resolved again.
 * None may be NXDOMAIN at any moment; a fallback to public DNS is counted, and must be one the change
 * announced before the apply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_STACK } from '../../lib/stack-names';
import { eachLimit } from './deployment';
import { assessWatch, watchList } from './endpoint-scenarios';
import { compareResolution, describeVerdicts } from './resolution';
import { check, config, ScenarioFailure, type E2eTarget, type Scenario, type ScenarioOptions } from './scenarios';
import { createVpcs, type SeedVpc } from './world-setup';

/** One step: an edit of the configuration, what synth must say, and which stacks apply. */
interface Step {
  readonly label: string;
  readonly hub?: (text: string) => string;
  readonly accounts?: (text: string) => string;
  /** `hub`, the hub then every spoke (`all`), or the spokes only. */
  readonly applies: 'hub' | 'all' | 'spokes';
  /** What synth must announce before the apply (a public-DNS fallback it cannot avoid). */
  readonly notice?: RegExp;
  /** VPCs whose names are left out of the watch (their S3 names answer from public DNS by design). */
  readonly unwatchedVpcs?: readonly string[];
}

function replace(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new ScenarioFailure(`test setup: ${String(from)} not in the configuration`);
  return text.replace(from, to);
}

/** hub.yaml with `ecr.dkrRecords` set to `mode`. */
const dkrRecords = (mode: string) => (text: string) =>
  replace(text.replace(/^ {2}dkrRecords: .*\n/m, ''), /^ecr:\n/m, `ecr:\n  dkrRecords: ${mode}\n`);

const PAYMENTS_VPC = 'vpc-0e2e00000000000a1';
const ADDED_VPC: SeedVpc = {
  account: '200000000001',
  vpcId: 'vpc-0e2e00000000000a9',
  cidr: '10.201.0.0/16',
  subnets: [],
};

/** The test flow's risky changes, each watched; the hub moves to another VPC last. */
export function changeMatrixScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name:
      'test config: the change matrix, watched after every AWS call: ecr.dkrRecords there and back, allowed CIDRs, ' +
      'a service added and removed, a VPC added and removed, an S3 gateway there and back',
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
        const after = watchList(target);
        const vpcIds = before.vpcIds.filter((v) => after.vpcIds.includes(v) && !step.unwatchedVpcs?.includes(v));
        const hosts = before.hosts.filter((h) => after.hosts.includes(h));
        await client.watch(vpcIds, hosts);
        let failure: unknown;
        try {
          if (step.applies !== 'spokes') await deployment.apply(HUB_STACK);
          if (step.applies !== 'hub') await eachLimit(deployment.spokes(), 4, (spoke) => deployment.apply(spoke));
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
      await run({ label: 'dkrRecords both', hub: dkrRecords('both'), applies: 'hub' });
      await run({ label: 'dkrRecords wildcard', hub: dkrRecords('wildcard'), applies: 'hub' });
      await run({ label: 'dkrRecords both again', hub: dkrRecords('both'), applies: 'hub' });
      await run({
        label: 'dkrRecords per-account',
        hub: dkrRecords('per-account'),
        applies: 'hub',
        notice: /the \*\.dkr\.ecr record goes/,
      });

      // The allowed CIDRs, split in two.
      await run({
        label: 'allowedCidrs split',
        hub: (t) => replace(t, 'allowedCidrs: [10.0.0.0/8]', 'allowedCidrs: [10.0.0.0/9, 10.128.0.0/9]'),
        applies: 'hub',
      });

      // A service added, retired, then removed.
      const services = 'services: [ecr.api, ecr.dkr, s3, logs, sts]';
      await run({
        label: 'ssm added',
        hub: (t) => replace(t, services, `${services.slice(0, -1)}, ssm]`),
        applies: 'all',
      });
      await run({
        label: 'ssm retired',
        hub: (t) => replace(t, `${services.slice(0, -1)}, ssm]`, `${services}\nretiredServices: [ssm]`),
        applies: 'all',
      });
      await run({ label: 'ssm removed', hub: (t) => replace(t, '\nretiredServices: [ssm]', ''), applies: 'hub' });

      // A VPC added to an account, then removed.
      await createVpcs(client, region, [ADDED_VPC]);
      target.seeded.push(ADDED_VPC);
      await run({
        label: 'a VPC added',
        accounts: (t) => replace(t, `vpcIds: [${PAYMENTS_VPC}]`, `vpcIds: [${PAYMENTS_VPC}, ${ADDED_VPC.vpcId}]`),
        applies: 'all',
      });
      await run({
        label: 'the VPC removed',
        accounts: (t) => replace(t, `vpcIds: [${PAYMENTS_VPC}, ${ADDED_VPC.vpcId}]`, `vpcIds: [${PAYMENTS_VPC}]`),
        applies: 'all',
      });

      // An S3 gateway endpoint for a VPC, and back to the hub's s3 zone.
      const gateway = `vpcIds: [${PAYMENTS_VPC}]\n    s3GatewayRouteTables:\n      ${PAYMENTS_VPC}: [rtb-0e2e00000000000a1]`;
      await run({
        label: 'an S3 gateway',
        accounts: (t) => replace(t, `vpcIds: [${PAYMENTS_VPC}]`, gateway),
        applies: 'all',
        notice: /leaves the hub's s3 zone for its own S3 gateway endpoint/,
      });
      await run({
        label: 'back to the s3 zone',
        accounts: (t) => replace(t, gateway, `vpcIds: [${PAYMENTS_VPC}]`),
        applies: 'all',
        notice: /leaves its S3 gateway endpoint for the hub's s3 zone/,
        unwatchedVpcs: [PAYMENTS_VPC],
      });

      // Moving the hub to another VPC changes the IAM documents (its VPC and subnets): its row is
      // proven by the unit tests (create_before_destroy), not here, where the replay uses the first documents.
      return `${lines.length} steps, 0 NXDOMAIN: ${lines.join('; ')}`;
    },
  };
}
