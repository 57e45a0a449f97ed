/**
 * The resolution doctor, on real synth output edited the way a hand edit or a bug would.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runDoctor, type DoctorReport } from '../lib/doctor/doctor';
import { evaluateString, UNKNOWN, type Scope } from '../lib/doctor/expressions';
import { loadConfig } from '../lib/config/load';
import { ACCOUNTS_YAML, configFrom, edit, EXAMPLE_DIR, HUB_YAML, synthToFolder } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');
const R = 'ap-northeast-1';
const dkr = (account: string) => `${account}.dkr.ecr.${R}.amazonaws.com`;
const LAYERS = `prod-${R}-starport-layer-bucket.s3.${R}.amazonaws.com`;

/** A copy of a synth folder with one stack's JSON changed. */
function edited(outdir: string, stack: string, change: (json: any) => void): string {
  const copy = tempDir('vpce-doctor');
  cpSync(outdir, copy, { recursive: true });
  const file = join(copy, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
  return copy;
}

/** The answer for one host in one VPC. */
function answer(report: DoctorReport, vpcId: string, host: string) {
  const vpc = report.vpcs.find((v) => v.vpcId === vpcId);
  return vpc?.answers.find((a) => a.host === host);
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'lib/doctor/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('doctor on the standard configuration', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthToFolder(configFrom());
  });

  test('every spoke VPC resolves every fargate name through the hub', () => {
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.vpcs.map((v) => v.vpcId).sort()).toEqual(
      ['vpc-0123456789abcdef0', 'vpc-0fedcba9876543210', 'vpc-0aaaabbbbccccdddd', 'vpc-0123abcd4567ef890'].sort(),
    );
    expect(report.ok).toBe(true);
    expect(report.failed).toBe(0);
    expect(report.warnings).toEqual([]);
    expect(answer(report, 'vpc-0fedcba9876543210', dkr('012345678901'))).toMatchObject({
      result: 'ok',
      path: expect.stringContaining('aws_route53_record.ecr_dkr_registry["012345678901"] -> hub: aws_vpc_endpoint.ecr_dkr'),
    });
    expect(answer(report, 'vpc-0fedcba9876543210', LAYERS)?.path).toContain('aws_route53_record.s3_wildcard');
    // The declared registry (ecr.registryAccounts, through the hub's output) is required of everyone.
    expect(report.registries).toEqual(['222222222222']);
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('222222222222'))?.result).toBe('ok');
  });

  test('the seed failure: a dkr zone with only its apex record answers NXDOMAIN for the registry', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      delete hub.resource.aws_route53_record.ecr_dkr_registry;
    });
    const report = runDoctor({ outdir: broken, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('123456789012'))).toMatchObject({
      result: 'NXDOMAIN',
      reason: expect.stringContaining(`zone dkr.ecr.${R}.amazonaws.com`),
    });
    expect(answer(report, 'vpc-0123456789abcdef0', `api.ecr.${R}.amazonaws.com`)?.result).toBe('ok');
  });

  test('a registry account that is not listed is NXDOMAIN, named', () => {
    const report = runDoctor({ outdir, profile: 'fargate', registries: ['444444444444'] });
    expect(report.ok).toBe(false);
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('444444444444'))?.result).toBe('NXDOMAIN');
    expect(report.failed).toBe(4); // one per spoke VPC
  });

  test('a missing authorization: unauthorized', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      delete hub.resource.aws_route53_vpc_association_authorization.spoke.for_each['vpc-0123abcd4567ef890/logs'];
    });
    const report = runDoctor({ outdir: broken, profile: 'fargate' });
    expect(answer(report, 'vpc-0123abcd4567ef890', `logs.${R}.amazonaws.com`)).toMatchObject({
      result: 'unauthorized',
      reason: expect.stringContaining('no aws_route53_vpc_association_authorization for vpc-0123abcd4567ef890'),
    });
    expect(report.failed).toBe(1);
  });

  test('a record that aliases the wrong endpoint: wrong-target', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      hub.resource.aws_route53_record.logs_apex.alias.name = '${aws_vpc_endpoint.ecr_api.dns_entry[0].dns_name}';
    });
    const report = runDoctor({ outdir: broken, profile: 'fargate' });
    expect(answer(report, 'vpc-0123abcd4567ef890', `logs.${R}.amazonaws.com`)).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining('is the ecr.api endpoint, not logs'),
    });
  });

  test('a missing spoke association leaves the name to public DNS', () => {
    const broken = edited(outdir, 'spoke-333333333333', (spoke) => {
      delete spoke.resource.aws_route53_zone_association.hub.for_each['vpc-0123abcd4567ef890/ecr.api'];
    });
    const report = runDoctor({ outdir: broken, profile: 'fargate' });
    expect(answer(report, 'vpc-0123abcd4567ef890', `api.ecr.${R}.amazonaws.com`)?.result).toBe('public');
  });

  test('the CLI: exit 0 and an all-ok table; exit 1 naming account, VPC, host and reason', () => {
    const good = runCli(['--out', outdir]);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('OK: all 20 names resolve');
    expect(good.stdout).not.toContain('\u001b['); // no colour when not a terminal

    const broken = edited(outdir, 'hub', (hub) => {
      delete hub.resource.aws_route53_record.ecr_dkr_registry;
    });
    const bad = runCli(['--out', broken]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`account 123456789012 vpc-0123456789abcdef0: ${dkr('123456789012')} NXDOMAIN`);

    const json = runCli(['--out', broken, '--json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ profile: 'fargate', ok: false, failed: 8, checked: 20 }); // own + 222222222222, 4 VPCs
    expect(report.vpcs[0].answers[1]).toMatchObject({ result: 'NXDOMAIN', need: 'ECR registry (own account)' });
  });

  test('the CLI: exit 2 without synth output or with a bad option', () => {
    const empty = runCli(['--out', tempDir('vpce-empty')]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('no synth output');
    expect(empty.stderr).toContain('npm run synth');
    expect(runCli(['--out', outdir, '--profile', 'lambda']).status).toBe(2);
    expect(runCli(['--out', outdir, '--registry', '1234']).status).toBe(2);
  });
});

describe('doctor on other configurations', () => {
  test('the example configuration in config/ passes', () => {
    const report = runDoctor({ outdir: synthToFolder(loadConfig(EXAMPLE_DIR)), profile: 'fargate' });
    expect(report.vpcs.length).toBeGreaterThanOrEqual(3);
    expect(report.ok).toBe(true);
  });

  test('wildcard mode resolves any registry', () => {
    const outdir = synthToFolder(configFrom(edit(HUB_YAML, 'dkrRecords: per-account', 'dkrRecords: wildcard')));
    const report = runDoctor({ outdir, profile: 'fargate', registries: ['444444444444'] });
    expect(report.ok).toBe(true);
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('444444444444'))?.path).toContain('aws_route53_record.ecr_dkr_wildcard');
  });

  test('image layers: fail without s3 in the hub and no gateway; ok with a spoke gateway endpoint', () => {
    const noS3 = edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, logs]');
    const withGateway = edit(
      ACCOUNTS_YAML,
      '    vpcIds: [vpc-0123456789abcdef0]\n',
      '    vpcIds: [vpc-0123456789abcdef0]\n    s3GatewayRouteTables:\n      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]\n',
    );
    const report = runDoctor({ outdir: synthToFolder(configFrom(noS3, withGateway)), profile: 'fargate' });
    expect(answer(report, 'vpc-0123456789abcdef0', LAYERS)).toMatchObject({
      result: 'ok',
      path: expect.stringContaining('S3 gateway endpoint spoke-123456789012: aws_vpc_endpoint.s3_gateway["vpc-0123456789abcdef0"]'),
    });
    expect(answer(report, 'vpc-0123abcd4567ef890', LAYERS)?.result).toBe('public');
  });

  test('a hub s3 zone without its * record shadows a spoke gateway endpoint: NXDOMAIN', () => {
    const withGateway = edit(
      ACCOUNTS_YAML,
      '    vpcIds: [vpc-0123456789abcdef0]\n',
      '    vpcIds: [vpc-0123456789abcdef0]\n    s3GatewayRouteTables:\n      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]\n',
    );
    const broken = edited(synthToFolder(configFrom(HUB_YAML, withGateway)), 'hub', (hub) => {
      delete hub.resource.aws_route53_record.s3_wildcard;
    });
    expect(answer(runDoctor({ outdir: broken, profile: 'fargate' }), 'vpc-0123456789abcdef0', LAYERS)?.result).toBe('NXDOMAIN');
  });

  test('a service missing from the hub is public', () => {
    const outdir = synthToFolder(configFrom(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3]')));
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(answer(report, 'vpc-0123456789abcdef0', `logs.${R}.amazonaws.com`)?.result).toBe('public');
    expect(report.failed).toBe(4);
  });

  test.each([
    ['s3', 'state:\n  backend: s3\n  bucket: acme-tfstate\n  region: eu-west-1\n'],
    ['cloud', 'state:\n  backend: cloud\n  organization: acme\n'],
  ])('follows the hub state through the %s backend', (_name, state) => {
    const outdir = synthToFolder(configFrom(edit(HUB_YAML, 'state:\n  backend: local\n', state)));
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  test('profiles: ssm and ecs-ec2 name their services; all covers every centralized service', () => {
    const outdir = synthToFolder(configFrom());
    const hostsOf = (report: DoctorReport) => report.vpcs[0].answers.map((a) => a.host);
    expect(hostsOf(runDoctor({ outdir, profile: 'ssm' }))).toEqual([
      `ssm.${R}.amazonaws.com`,
      `ssmmessages.${R}.amazonaws.com`,
      `ec2messages.${R}.amazonaws.com`,
    ]);
    const ecs = runDoctor({ outdir, profile: 'ecs-ec2' });
    expect(hostsOf(ecs)).toEqual(expect.arrayContaining([`ecs-a.${R}.amazonaws.com`, `ecs-t.${R}.amazonaws.com`]));
    expect(answer(ecs, 'vpc-0123456789abcdef0', `ecs-a.${R}.amazonaws.com`)?.result).toBe('public');
    const all = runDoctor({ outdir, profile: 'all' });
    expect(hostsOf(all)).toEqual(expect.arrayContaining([`s3.${R}.amazonaws.com`, LAYERS, `logs.${R}.amazonaws.com`]));
    expect(all.ok).toBe(true);
  });
});

describe('Terraform expressions in synthesized JSON', () => {
  const scope: Scope = {
    stack: 'hub',
    each: { key: 'k', value: { service: 'logs' } },
    local: (name) => (name === 'ids' ? { logs: 'Z1' } : UNKNOWN),
    remoteState: () => ({ outputs: { zone_ids: { logs: 'Z2' } } }),
    hasResource: (type) => type === 'aws_vpc_endpoint',
  };

  test.each([
    ['${each.key}.example.com', 'k.example.com'],
    ['${local.ids[each.value.service]}', 'Z1'],
    ['${data.terraform_remote_state.hub.outputs.zone_ids[each.value.service]}', 'Z2'],
    ['${lookup(local.ids, "logs")}', 'Z1'],
    ['${toset(["a", "b", "a"])}', ['a', 'b']],
    ['plain text', 'plain text'],
  ])('%s', (template, expected) => {
    expect(evaluateString(template, scope)).toEqual(expected);
  });

  test('computed attributes become references; the unknowable stays unknown', () => {
    expect(evaluateString('${aws_vpc_endpoint.logs.dns_entry[0].dns_name}', scope)).toEqual({
      kind: 'ref',
      stack: 'hub',
      address: 'aws_vpc_endpoint.logs',
      path: ['dns_entry', 0, 'dns_name'],
    });
    expect(evaluateString('${var.zone}', scope)).toBe(UNKNOWN);
    expect(evaluateString('${aws_unknown.x.id}', scope)).toBe(UNKNOWN);
    expect(evaluateString('${local.ids[', scope)).toBe(UNKNOWN);
  });
});
