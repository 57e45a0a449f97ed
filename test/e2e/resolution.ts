/**
 * The doctor's verdict on a synth output, against what the fake's Route 53 Resolver answers after
 * Terraform applied that output: name for name, in every spoke VPC.
 */
import { runDoctor } from '../../lib/doctor/run-doctor';
import type { Profile } from '../../lib/doctor/profiles';
import type { Result } from '../../lib/doctor/resolver-model';
import type { AwsEndpointClient } from '../fake-aws/client';
import { serviceDnsName } from '../fake-aws/endpoint-services';
import type { Resolution } from '../fake-aws/resolver';

/** The doctor's category for what the fake answered. */
export function fakeVerdict(answer: Resolution): Result {
  if (answer.result === 'public') return answer.gatewayEndpoint ? 'ok' : 'public';
  if (answer.result === 'NXDOMAIN') return 'NXDOMAIN';
  const zone = answer.zone?.name ?? '';
  const region = zone.split('.').slice(-3)[0];
  const endpoint = answer.endpoint;
  return endpoint && endpoint.type === 'Interface' && serviceDnsName(endpoint.service, region) === zone
    ? 'ok'
    : 'wrong-target';
}

/** One name in one VPC, as both see it. */
export interface NameVerdict {
  readonly account: string;
  readonly vpcId: string;
  readonly host: string;
  readonly doctor: Result;
  readonly fake: Result;
}

/** The comparison over a whole synth output. */
export interface ResolutionComparison {
  readonly vpcs: number;
  readonly names: NameVerdict[];
  /** Names where the doctor and the fake disagree. */
  readonly disagreements: NameVerdict[];
  /** Names that do not resolve (both agreeing). */
  readonly failures: NameVerdict[];
}

/**
 * Checks every spoke VPC of `outdir` for `profile`'s names, with the doctor and with the fake;
 * `registries` adds `<id>.dkr.ecr` names of registries the configuration does not list (the doctor's
 * `--registry`).
 */
export async function compareResolution(
  outdir: string,
  client: AwsEndpointClient,
  profile: Profile = 'fargate',
  registries: readonly string[] = [],
): Promise<ResolutionComparison> {
  const report = runDoctor({ outdir, profile, registries });
  const names: NameVerdict[] = [];
  for (const vpc of report.vpcs) {
    for (const answer of vpc.answers) {
      const fake = fakeVerdict(await client.resolve(vpc.vpcId, answer.host));
      names.push({ account: vpc.account, vpcId: vpc.vpcId, host: answer.host, doctor: answer.result, fake });
    }
  }
  return {
    vpcs: report.vpcs.length,
    names,
    disagreements: names.filter((n) => n.doctor !== n.fake),
    failures: names.filter((n) => n.doctor === n.fake && n.fake !== 'ok'),
  };
}

/** One line per name, for a failure message. */
export function describeVerdicts(verdicts: readonly NameVerdict[], limit = 10): string {
  const lines = verdicts
    .slice(0, limit)
    .map((v) => `${v.account} ${v.vpcId} ${v.host}: doctor ${v.doctor}, fake ${v.fake}`);
  if (verdicts.length > limit) lines.push(`... and ${verdicts.length - limit} more`);
  return lines.join('\n');
}
