/**
 * `npm run doctor -- --live`: a deployment read from AWS (the fake, through the real AWS SDK) and
 * judged with the doctor's model, beside the synthesized intent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  DisassociateVPCFromHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { CallCounter } from '../lib/aws/clients';
import { main } from '../lib/commands/doctor';
import type { VpceConfig } from '../lib/config/schema';
import { runDoctor } from '../lib/doctor/run-doctor';
import { runLiveDoctor, type LiveReport } from '../lib/doctor/live/run-live-doctor';
import { renderLiveText } from '../lib/doctor/live/live-report';
import { AwsEndpointClient } from '../test/fake-aws/client';
import type { FakeAws } from '../test/fake-aws/server';
import { startDeployedWorld, type DeployedWorld } from '../test/fake-aws/world-builder';
import { ACCOUNTS_YAML, configFrom, HUB_YAML, synthToFolder } from './helpers/config';
import { runWithAws } from './helpers/aws-env';
import { tempDir } from './helpers/temp';

const REGION = 'ap-northeast-1';
const HUB = '111111111111';
const PAYMENTS = '123456789012';
const PAYMENTS_VPC = 'vpc-0123456789abcdef0';
const DKR_NAME = `${PAYMENTS}.dkr.ecr.${REGION}.amazonaws.com`;
const ONE_ACCOUNT = `accounts:\n  - id: "${PAYMENTS}"\n    vpcIds: [${PAYMENTS_VPC}]\n`;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Credentials the fake reads as `account` (its access key ID). */
const as = (account: string) => async () => ({ accessKeyId: account, secretAccessKey: 'fake' });

/** A world of `config` deployed in a fake, its synth output, and a live run against it. */
class Live {
  private constructor(
    readonly config: VpceConfig,
    readonly fake: FakeAws,
    readonly deployed: DeployedWorld,
    readonly outdir: string,
  ) {}

  static async start(config: VpceConfig): Promise<Live> {
    const { fake, deployed } = await startDeployedWorld(config);
    return new Live(config, fake, deployed, synthToFolder(config));
  }

  async run(account?: string): Promise<LiveReport> {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = this.fake.url;
    try {
      return await runLiveDoctor({
        outdir: this.outdir,
        profile: 'fargate',
        config: this.config,
        counter: new CallCounter(),
        base: as(HUB),
        ...(account ? { account } : {}),
      });
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  }

  route53(account: string): Route53Client {
    return new Route53Client({ region: 'us-east-1', endpoint: this.fake.url, credentials: as(account) });
  }

  ec2(account: string): EC2Client {
    return new EC2Client({ region: REGION, endpoint: this.fake.url, credentials: as(account) });
  }

  get client(): AwsEndpointClient {
    return new AwsEndpointClient(this.fake.url);
  }

  zoneId(service: string): string {
    return this.deployed.services.get(service)!.zoneId;
  }
}

/** The failures of a report, as `<account> <vpc> <host> <result>: <reason>`. */
const failures = (report: LiveReport) =>
  report.vpcs.flatMap((vpc) =>
    vpc.answers
      .filter((a) => a.result !== 'ok')
      .map((a) => `${vpc.account} ${vpc.vpcId} ${a.host} ${a.result}: ${a.reason ?? ''}`),
  );

describe('a healthy deployment', () => {
  let live: Live;
  beforeAll(async () => {
    live = await Live.start(configFrom());
  });
  afterAll(() => live.fake.close());

  test('passes, with no drift, and agrees with the static doctor name for name', async () => {
    const report = await live.run();
    expect(failures(report)).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(report.ok).toBe(true);
    const intent = runDoctor({ outdir: live.outdir, profile: 'fargate' });
    const verdicts = (r: { vpcs: LiveReport['vpcs'] }) =>
      r.vpcs.flatMap((v) => v.answers.map((a) => `${v.vpcId} ${a.host} ${a.result}`)).sort();
    expect(verdicts(report)).toEqual(verdicts(intent));
    expect(verdicts(report)).toHaveLength(20);
    expect(renderLiveText(report)).toContain('No drift: AWS holds what the synth output declares.');
  });

  test('--account reads the hub and that account only', async () => {
    const report = await live.run(PAYMENTS);
    expect(report.vpcs.map((v) => v.account)).toEqual([PAYMENTS]);
    expect(report.ok).toBe(true);
  });
});

describe('what breaks a deployment after a green pipeline', () => {
  let live: Live;
  beforeEach(async () => {
    live = await Live.start(configFrom());
  });
  afterEach(() => live.fake.close());

  test("an account's <id>.dkr.ecr record deleted by hand: NXDOMAIN for that account, named, and drift", async () => {
    const zone = live.zoneId('ecr.dkr');
    const records = await live.route53(HUB).send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
    const record = records.ResourceRecordSets!.find((r) => r.Name === `${DKR_NAME}.`)!;
    await live.route53(HUB).send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] },
      }),
    );
    const report = await live.run();
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      expect.stringMatching(new RegExp(`^${PAYMENTS} ${PAYMENTS_VPC} ${DKR_NAME} NXDOMAIN: .*no record`)),
    ]);
    expect(report.drift).toContainEqual(
      expect.objectContaining({ account: HUB, intended: `record ${DKR_NAME} in zone dkr.ecr.${REGION}.amazonaws.com` }),
    );
    // Side by side: where, the intent, what AWS holds; the name's verdict and the missing record.
    const text = renderLiveText(report).split('\n');
    const header = text.findIndex((l) => /^ {2}where +intended \(synth output\) +AWS holds$/.test(l));
    expect(header).toBeGreaterThan(0);
    const rows = text.slice(header + 1).filter((l) => l.startsWith('  account '));
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^ {2}account ${PAYMENTS} ${PAYMENTS_VPC} ${DKR_NAME} +ok +NXDOMAIN: `)),
        expect.stringMatching(
          new RegExp(`^ {2}account ${HUB} +record ${DKR_NAME} in zone \\S+ +no such record: deploy the hub$`),
        ),
      ]),
    );
  });

  test('a spoke VPC taken off the dkr.ecr zone: its ECR names fall to public DNS, named', async () => {
    await live.route53(PAYMENTS).send(
      new DisassociateVPCFromHostedZoneCommand({
        HostedZoneId: live.zoneId('ecr.dkr'),
        VPC: { VPCId: PAYMENTS_VPC, VPCRegion: REGION },
      }),
    );
    const report = await live.run();
    const failed = failures(report);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.startsWith(`${PAYMENTS} ${PAYMENTS_VPC} `) && f.includes('.dkr.ecr.'))).toBe(true);
    expect(failed[0]).toMatch(/ public: no associated private zone covers it/);
  });

  test("the security group rule for one spoke's CIDR removed: unreachable, naming the group, endpoint and CIDR", async () => {
    const ec2 = live.ec2(HUB);
    const group = live.deployed.hub.securityGroupId;
    const rules = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
    );
    const wide = rules.SecurityGroupRules!.find((r) => !r.IsEgress && r.CidrIpv4 === '10.0.0.0/8')!;
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: group, SecurityGroupRuleIds: [wide.SecurityGroupRuleId!] }),
    );
    // Every spoke VPC's CIDR but the payments account's.
    const others = live.deployed.spokeVpcs.filter((v) => v.vpcId !== PAYMENTS_VPC);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: others.map((v) => ({ CidrIp: v.cidr })) },
        ],
      }),
    );
    const report = await live.run();
    const failed = failures(report);
    expect(failed.length).toBe(5); // the payments VPC's five fargate names
    expect(failed.every((f) => f.startsWith(`${PAYMENTS} ${PAYMENTS_VPC} `) && / unreachable: /.test(f))).toBe(true);
    expect(failed[0]).toMatch(
      new RegExp(
        `the security group ${group} of the endpoint vpce-\\S+ admits no tcp/443 from \\S+ \\(${PAYMENTS_VPC}\\)`,
      ),
    );
  });

  test("a spoke VPC's DNS support turned off: no-dns for each of its names", async () => {
    await live.client.ec2(PAYMENTS, REGION, 'ModifyVpcAttribute', {
      VpcId: PAYMENTS_VPC,
      'EnableDnsSupport.Value': 'false',
    });
    const failed = failures(await live.run());
    expect(failed).toHaveLength(5);
    expect(failed.every((f) => / no-dns: .*enableDnsSupport off/.test(f))).toBe(true);
  });
});

describe('scale, throttling and bad input', () => {
  test('100 accounts: Route 53 calls of one run, counted by the fake, are at most 2 per spoke VPC plus 50', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(400000000000 + i));
    const accounts = `accounts:\n${ids.map((id, i) => `  - id: "${id}"\n    vpcIds: [vpc-0${(0x1000 + i).toString(16).padStart(16, '0')}]\n`).join('')}`;
    const live = await Live.start(configFrom(HUB_YAML, accounts));
    try {
      const before = (await live.client.calls()).length;
      const report = await live.run();
      const calls = (await live.client.calls(before + 1)).filter(
        (c) => c.service === 'route53' || c.service === 'route53profiles',
      );
      expect(report.ok).toBe(true);
      expect(report.vpcs).toHaveLength(100);
      expect(calls.length).toBeLessThanOrEqual(2 * 100 + 50);
      expect(report.calls.route53).toBe(calls.length);
      writeFileSync(join(tempDir('vpce-live-calls'), 'calls.txt'), `${calls.length}\n`);
    } finally {
      await live.fake.close();
    }
  }, 60_000);

  test('a fake that throttles every third call: the run completes with the right verdict', async () => {
    const live = await Live.start(configFrom(HUB_YAML, ONE_ACCOUNT));
    try {
      await live.client.setThrottle(3);
      const report = await live.run();
      expect(report.ok).toBe(true);
      expect(report.checked).toBe(5);
      const throttle = (await (await fetch(`${live.fake.url}/_fake/throttle`)).json()) as { throttled: number };
      expect(throttle.throttled).toBeGreaterThan(5);
    } finally {
      await live.fake.close();
    }
  }, 60_000);

  describe('the command line: one clear line each, exit 2, no stack trace', () => {
    let live: Live;
    let configDir: string;
    beforeAll(async () => {
      live = await Live.start(configFrom());
      configDir = tempDir('vpce-live-config');
      writeFileSync(join(configDir, 'hub.yaml'), HUB_YAML);
      writeFileSync(join(configDir, 'accounts.yaml'), ACCOUNTS_YAML);
    });
    afterAll(() => live.fake.close());

    /**
     * The command line in this process (the fake answers from it too), with the AWS environment of
     * `env` and nothing else: no credentials file, no instance metadata.
     */
    const doctor = (args: string[], env: Record<string, string | undefined>) =>
      runWithAws(main, ['--live', '--out', live.outdir, ...args], {
        endpoint: live.fake.url,
        account: HUB,
        configDir,
        env,
      });
    const oneLine = (result: Awaited<ReturnType<typeof doctor>>, pattern: RegExp) => {
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    };

    test('a healthy run: exit 0 and the report', async () => {
      const result = await doctor([], {});
      expect(result.stdout).toContain('No drift');
      expect(result.status).toBe(0);
    });

    test('no credentials', async () => {
      oneLine(
        await doctor([], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
        /^doctor: AWS credentials: no AWS credentials: set AWS_PROFILE/,
      );
    });

    test('a role it may not assume', async () => {
      const role = `arn:aws:iam::${PAYMENTS}:role/vpce-spoke-planner`;
      await fetch(`${live.fake.url}/_fake/deny-assume?role=${encodeURIComponent(role)}`, { method: 'POST' });
      try {
        oneLine(
          await doctor([], {}),
          new RegExp(
            `^doctor: account ${PAYMENTS} as ${role}: AccessDenied: .*not authorized to perform: sts:AssumeRole`,
          ),
        );
      } finally {
        await fetch(`${live.fake.url}/_fake/deny-assume`, { method: 'DELETE' });
      }
    });

    test('an account that is not in the configuration', async () => {
      oneLine(
        await doctor(['--account', '999999999999'], {}),
        /^doctor: --account 999999999999 is not an account of accounts.yaml/,
      );
    });

    test('an endpoint URL that refuses connections', async () => {
      oneLine(
        await doctor([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
        /^doctor: .*cannot reach the AWS endpoint \(ECONNREFUSED/,
      );
    }, 30_000);
  });
});
