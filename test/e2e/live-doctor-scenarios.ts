/**
 * The live doctor (`npm run doctor -- --live`) in the e2e: after a deploy it passes and agrees with
 * the static doctor name for name; then, through the fake's API, an account's `<id>.dkr.ecr` record
 * is deleted, a spoke VPC is taken off the `dkr.ecr` zone, and the security group rule for one spoke
 * CIDR is removed: each time it fails (exit 1), naming the account, VPC, name and cause. The record
 * and the association are put back through the API as they were; the rule by applying the hub (its
 * ID is new), and the re-plan scenario after this one finds no change.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  DisassociateVPCFromHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import type { LiveReport } from '../../lib/doctor/live/run-live-doctor';
import { runDoctor } from '../../lib/doctor/run-doctor';
import { HUB_STACK } from '../../lib/stack-names';
import { runAwsCommand } from './aws-command';
import { check, config, ScenarioFailure, type E2eTarget, type Scenario, type ScenarioOptions } from './scenarios';

/** Runs `npm run doctor -- --live --json` against the target's AWS endpoint, as the operator. */
async function liveDoctor(
  target: E2eTarget,
  endpoint: string,
): Promise<{ status: number; report?: LiveReport; stderr: string }> {
  const { status, stdout, stderr } = await runAwsCommand(
    'doctor',
    ['--live', '--json', '--out', target.project.outdir],
    {
      configDir: target.project.configDir,
      endpoint,
      operator: config(target).hub.accountId,
      label: 'doctor --live',
    },
  );
  let report: LiveReport | undefined;
  try {
    report = JSON.parse(stdout) as LiveReport;
  } catch {
    report = undefined;
  }
  return { status, ...(report ? { report } : {}), stderr };
}

/** The failures of a live report, `<account> <vpc> <host> <result>: <reason>`. */
function failuresOf(report: LiveReport): string[] {
  return report.vpcs.flatMap((vpc) =>
    vpc.answers
      .filter((a) => a.result !== 'ok')
      .map((a) => `${vpc.account} ${vpc.vpcId} ${a.host} ${a.result}: ${a.reason ?? ''}`),
  );
}

/** `--live` passes and agrees with the static doctor name for name. */
async function passes(target: E2eTarget, endpoint: string): Promise<LiveReport> {
  const { status, report, stderr } = await liveDoctor(target, endpoint);
  if (!report) throw new ScenarioFailure(`doctor --live printed no report (exit ${status}):\n${stderr}`);
  check(
    status === 0,
    `doctor --live exit ${status}:\n${failuresOf(report).join('\n')}\n${JSON.stringify(report.drift)}\n${stderr}`,
  );
  const intent = runDoctor({ outdir: target.project.outdir, profile: 'fargate' });
  const verdicts = (r: { vpcs: LiveReport['vpcs'] }) =>
    r.vpcs.flatMap((v) => v.answers.map((a) => `${v.vpcId} ${a.host} ${a.result}`)).sort();
  check(
    JSON.stringify(verdicts(report)) === JSON.stringify(verdicts(intent)),
    `the live and the static doctor disagree:\nlive: ${verdicts(report).join(', ')}\nstatic: ${verdicts(intent).join(', ')}`,
  );
  return report;
}

/** `--live` fails with exit 1, each failure in `account`'s `vpc`, matching `cause`. */
async function fails(
  target: E2eTarget,
  endpoint: string,
  account: string,
  vpc: string,
  cause: RegExp,
): Promise<string> {
  const { status, report, stderr } = await liveDoctor(target, endpoint);
  if (!report) throw new ScenarioFailure(`doctor --live printed no report (exit ${status}):\n${stderr}`);
  const failures = failuresOf(report);
  check(status === 1, `doctor --live exit ${status}, not 1`);
  check(failures.length > 0, 'doctor --live found nothing wrong');
  const foreign = failures.filter((f) => !f.startsWith(`${account} ${vpc} `) || !cause.test(f));
  check(foreign.length === 0, `unexpected failures:\n${foreign.join('\n')}`);
  return failures[0];
}

/** After a deploy: `--live` passes and agrees with the static doctor. */
export function livePassesScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name: `${target.label}: doctor --live passes with the planner roles and agrees with the static doctor name for name`,
    needsFake: true,
    run: async () => {
      const report = await passes(target, options.endpoint);
      const calls = Object.entries(report.calls)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
      return `${report.checked} names in ${report.vpcs.length} spoke VPCs agree; no drift; calls: ${calls}`;
    },
  };
}

/** After a deploy (associations mode): three breaks through the fake's API, each named by `--live`, each restored. */
export function liveBreaksScenario(target: E2eTarget, options: ScenarioOptions): Scenario {
  return {
    name:
      `${target.label}: doctor --live fails (exit 1) naming account, VPC, name and cause for a deleted <id>.dkr.ecr record, ` +
      'a spoke VPC taken off the dkr.ecr zone and a security group rule removed; each is restored',
    needsFake: true,
    run: async () => {
      const cfg = config(target);
      const region = cfg.hub.region;
      const hub = cfg.hub.accountId;
      const [first] = cfg.accounts;
      const vpc = first.vpcIds[0];
      const credentials = (account: string) => async () => ({ accessKeyId: account, secretAccessKey: 'e2e' });
      const route53 = (account: string) =>
        new Route53Client({ region: 'us-east-1', endpoint: options.endpoint, credentials: credentials(account) });
      const ec2 = new EC2Client({ region, endpoint: options.endpoint, credentials: credentials(hub) });
      const zones = await route53(hub).send(
        new ListHostedZonesByVPCCommand({ VPCId: cfg.hub.vpcId, VPCRegion: region as VPCRegion }),
      );
      const dkr = zones.HostedZoneSummaries!.find((z) => z.Name === `dkr.ecr.${region}.amazonaws.com.`)!.HostedZoneId!;
      const lines: string[] = [];

      // 1. The account's <id>.dkr.ecr record, deleted by hand.
      const name = `${first.id}.dkr.ecr.${region}.amazonaws.com`;
      const sets = await route53(hub).send(new ListResourceRecordSetsCommand({ HostedZoneId: dkr, MaxItems: 300 }));
      const record = sets.ResourceRecordSets!.find((r) => r.Name === `${name}.`);
      check(record, `no record ${name}`);
      await route53(hub).send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: dkr,
          ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] },
        }),
      );
      lines.push(
        await fails(target, options.endpoint, first.id, vpc, new RegExp(`${name.replace(/\./g, '\\.')} NXDOMAIN`)),
      );
      // Put back as it was (Terraform's state still names it: the re-plan after this finds no change).
      await route53(hub).send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: dkr,
          ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: record }] },
        }),
      );

      // 2. The spoke VPC taken off the dkr.ecr zone by its account.
      await route53(first.id).send(
        new DisassociateVPCFromHostedZoneCommand({
          HostedZoneId: dkr,
          VPC: { VPCId: vpc, VPCRegion: region as VPCRegion },
        }),
      );
      lines.push(await fails(target, options.endpoint, first.id, vpc, /\.dkr\.ecr\.\S+ public: /));
      await route53(first.id).send(
        new AssociateVPCWithHostedZoneCommand({
          HostedZoneId: dkr,
          VPC: { VPCId: vpc, VPCRegion: region as VPCRegion },
        }),
      );

      // 3. The security group admits every spoke VPC but this one.
      const endpoints = await ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [cfg.hub.vpcId] }] }),
      );
      const group = endpoints.VpcEndpoints?.[0]?.Groups?.[0]?.GroupId;
      check(group, 'no security group on the hub endpoints');
      const described = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
      );
      const rules = (described.SecurityGroupRules ?? []).filter((r) => !r.IsEgress && r.CidrIpv4);
      check(rules.length > 0, 'no ingress rule on the endpoint security group');
      const spokeVpcs = cfg.accounts.filter((a) => a.id !== first.id).flatMap((a) => a.vpcIds);
      const cidrs = await Promise.all(
        cfg.accounts
          .filter((a) => a.id !== first.id)
          .map(async (a) => {
            const own = new EC2Client({ region, endpoint: options.endpoint, credentials: credentials(a.id) });
            const vpcs = await own.send(new DescribeVpcsCommand({ VpcIds: a.vpcIds }));
            return (vpcs.Vpcs ?? []).map((v) => v.CidrBlock!);
          }),
      );
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: group,
          SecurityGroupRuleIds: rules.map((r) => r.SecurityGroupRuleId!),
        }),
      );
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: group,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: cidrs.flat().map((CidrIp) => ({ CidrIp })) },
          ],
        }),
      );
      lines.push(await fails(target, options.endpoint, first.id, vpc, / unreachable: .*security group/));
      // The hand-made rules go, the configured ones come back.
      const now = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
      );
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: group,
          SecurityGroupRuleIds: (now.SecurityGroupRules ?? [])
            .filter((r) => !r.IsEgress)
            .map((r) => r.SecurityGroupRuleId!),
        }),
      );
      await target.deployment.apply(HUB_STACK);
      await passes(target, options.endpoint);
      check(spokeVpcs.length > 0, 'one spoke account only');
      return lines.map((l) => l.slice(0, 160)).join(' | ');
    },
  };
}
