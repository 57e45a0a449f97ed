/**
 * The resolution doctor, on real synth output edited the way a hand edit or a bug would.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main, type CliIo } from '../lib/commands/doctor';
import { runDoctor, type DoctorReport } from '../lib/doctor/run-doctor';
import { evaluateString, UNKNOWN, type Scope } from '../lib/doctor/expression-evaluator';
import { requiredHosts } from '../lib/doctor/profiles';
import { Resolver } from '../lib/doctor/resolver-model';
import { SynthOutput } from '../lib/doctor/synth-output';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, type ParsedJson, synthToFolder } from './helpers/config';
import { editedSynthFolder as edited } from './helpers/synth-folder';
import { tempDir } from './helpers/temp';

/** Removes every ECR registry record (all shards) from a hub's JSON: the seed's failure. */
function dropRegistryRecords(hub: ParsedJson): void {
  for (const name of Object.keys(hub.resource.aws_route53_record)) {
    if (name.startsWith('ecr_dkr_registry_')) delete hub.resource.aws_route53_record[name];
  }
}

const ROOT = resolve(__dirname, '..');
const R = 'ap-northeast-1';
const dkr = (account: string) => `${account}.dkr.ecr.${R}.amazonaws.com`;
const LAYERS = `prod-${R}-starport-layer-bucket.s3.${R}.amazonaws.com`;

/** No config folder to compare the output with (no stale-output warning from the example config/). */
const NO_CONFIG = { VPCE_CONFIG_DIR: join(ROOT, 'no-such-config-folder') };

/** A copy of a synth folder with its manifest changed. */
function editedManifest(outdir: string, change: (manifest: ParsedJson) => void): string {
  const copy = tempDir('vpce-doctor');
  cpSync(outdir, copy, { recursive: true });
  const file = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  change(manifest);
  writeFileSync(file, JSON.stringify(manifest));
  return copy;
}

/** The doctor's CLI in this process, with captured output; no config folder unless `env` names one. */
function doctor(args: string[], env: NodeJS.ProcessEnv = NO_CONFIG) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  };
  const status = main(args, io);
  return { status, stdout, stderr };
}

/** The answer for one host in one VPC. */
function answer(report: DoctorReport, vpcId: string, host: string) {
  const vpc = report.vpcs.find((v) => v.vpcId === vpcId);
  return vpc?.answers.find((a) => a.host === host);
}

/** The standard fixture's synth output, synthesized once for the suites that only read or copy it. */
let standard: string | undefined;
function standardOutput(): string {
  standard ??= synthToFolder(configFrom());
  return standard;
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'lib/commands/doctor.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...NO_CONFIG },
  });
}

describe('doctor on the standard configuration', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = standardOutput();
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
      path: expect.stringContaining(
        'aws_route53_record.ecr_dkr_registry_01["012345678901"] -> hub: aws_vpc_endpoint.ecr_dkr',
      ),
    });
    expect(answer(report, 'vpc-0fedcba9876543210', LAYERS)?.path).toContain('aws_route53_record.s3_wildcard');
    // The declared registry (ecr.registryAccounts, through the hub's output) is required of everyone.
    expect(report.registries).toEqual(['222222222222']);
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('222222222222'))?.result).toBe('ok');
  });

  test('the seed failure: a dkr zone with only its apex record answers NXDOMAIN for the registry', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      dropRegistryRecords(hub);
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
      delete hub.resource.aws_route53_vpc_association_authorization.spoke_333333333333.for_each[
        'vpc-0123abcd4567ef890/logs'
      ];
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

  test('the CLI: exit 0 and an OK line; exit 1 naming account (and its name), VPC, host and reason', () => {
    const good = runCli(['--out', outdir]);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('OK: all 20 names resolve');
    expect(good.stdout).not.toContain('\u001b['); // no colour when not a terminal

    const broken = edited(outdir, 'hub', (hub) => {
      dropRegistryRecords(hub);
    });
    const bad = runCli(['--out', broken]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      `account 123456789012 (payments-prod) vpc-0123456789abcdef0: ${dkr('123456789012')} NXDOMAIN: zone dkr.ecr.`,
    );
    expect(bad.stdout).toContain(`account 333333333333 vpc-0123abcd4567ef890: ${dkr('333333333333')} NXDOMAIN`);
  });

  test('JSON through npm: `npm run -s doctor -- --json` prints only the JSON document', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      dropRegistryRecords(hub);
    });
    const json = spawnSync('npm', ['run', '-s', 'doctor', '--', '--out', broken, '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...NO_CONFIG },
    });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ profile: 'fargate', ok: false, failed: 8, checked: 20 }); // own + 222222222222, 4 VPCs
    expect(report.vpcs[0].answers[1]).toMatchObject({ result: 'NXDOMAIN', need: 'ECR registry (own account)' });
    // The account names of accounts.yaml, from the spokes' `account` outputs; null without one.
    const names = Object.fromEntries(
      report.vpcs.map((v: { vpcId: string; accountName: string | null }) => [v.vpcId, v.accountName]),
    );
    expect(names).toEqual({
      'vpc-0123456789abcdef0': 'payments-prod',
      'vpc-0fedcba9876543210': 'data-platform',
      'vpc-0aaaabbbbccccdddd': 'data-platform',
      'vpc-0123abcd4567ef890': null,
    });
  });

  test('--report FILE writes the JSON report and keeps the text on stdout', () => {
    const file = join(tempDir('vpce-report'), 'doctor.json');
    const result = doctor(['--out', outdir, '--report', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('OK: all 20 names resolve');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ ok: true, checked: 20, failed: 0 });
    const unwritable = doctor(['--out', outdir, '--report', join(file, 'no', 'such', 'folder.json')]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain('cannot write the report to');
  });

  test('default output: only the VPCs with a failure and the failing names; --verbose: every VPC and name', () => {
    const broken = edited(outdir, 'hub', (hub) => {
      delete hub.resource.aws_route53_vpc_association_authorization.spoke_333333333333.for_each[
        'vpc-0123abcd4567ef890/logs'
      ];
    });
    const short = doctor(['--out', broken]);
    expect(short.status).toBe(1);
    const headings = (text: string) => text.split('\n').filter((line) => line.startsWith('spoke-'));
    expect(headings(short.stdout)).toEqual(['spoke-333333333333  account 333333333333  vpc-0123abcd4567ef890']);
    expect(short.stdout).toContain('FAIL: 1 of 20 names do not resolve as they must, in 1 of 4 spoke VPCs:');
    expect(short.stdout).toContain(
      `  account 333333333333 vpc-0123abcd4567ef890: logs.${R}.amazonaws.com unauthorized: zone logs.`,
    );
    expect(short.stdout).not.toContain(dkr('012345678901')); // the names of the VPCs where all resolve

    const verbose = doctor(['--out', broken, '--verbose']);
    expect(verbose.status).toBe(1);
    expect(headings(verbose.stdout)).toHaveLength(4);
    expect(headings(verbose.stdout)).toContain(
      'spoke-123456789012  account 123456789012 (payments-prod)  vpc-0123456789abcdef0',
    );
    expect(verbose.stdout).toContain(dkr('012345678901'));
    expect(verbose.stdout.split('\n').length).toBeGreaterThan(short.stdout.split('\n').length + 20);

    const good = doctor(['--out', outdir]);
    expect(good.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /^vpce-hub doctor: profile fargate, .*, 4 spoke VPCs; registries besides each spoke's own: 222222222222$/,
      ),
      'OK: all 20 names resolve through the hub in 4 spoke VPCs. (--verbose lists every name)',
    ]);
  });

  test('warns on stderr, still exiting by the result, when the config changed after the synth', () => {
    const copy = tempDir('vpce-doctor');
    cpSync(outdir, copy, { recursive: true });
    const configDir = tempDir('vpce-doctor-config');
    writeFileSync(join(configDir, 'hub.yaml'), HUB_YAML);
    writeFileSync(join(configDir, 'accounts.yaml'), ACCOUNTS_YAML);
    const synthesized = new Date('2026-01-02T03:04:05Z');
    utimesSync(join(copy, 'manifest.json'), synthesized, synthesized);
    const at = (seconds: number) => new Date(synthesized.getTime() + seconds * 1000);
    utimesSync(join(configDir, 'hub.yaml'), at(-60), at(-60));

    utimesSync(join(configDir, 'accounts.yaml'), at(-30), at(-30));
    expect(doctor(['--out', copy], { VPCE_CONFIG_DIR: configDir })).toMatchObject({ status: 0, stderr: '' });

    utimesSync(join(configDir, 'accounts.yaml'), at(30), at(30));
    const stale = doctor(['--out', copy], { VPCE_CONFIG_DIR: configDir });
    expect(stale.status).toBe(0);
    expect(stale.stderr).toMatch(
      /^doctor: warning: the synth output is older than the configuration \(.*accounts\.yaml changed .*\)[^\n]*npm run synth[^\n]*\n$/,
    );

    // No config folder: nothing to compare, no warning.
    expect(doctor(['--out', copy], { VPCE_CONFIG_DIR: join(configDir, 'absent') })).toMatchObject({
      status: 0,
      stderr: '',
    });
  });

  test('the CLI: exit 2 without synth output or with a bad option', () => {
    const empty = runCli(['--out', tempDir('vpce-empty')]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('no synth output');
    expect(empty.stderr).toContain('npm run synth');
    expect(runCli(['--out', outdir, '--profile', 'lambda']).status).toBe(2);
    expect(doctor(['--out', outdir, '--registry', '1234']).status).toBe(2);
  });
});

describe('doctor on hostile synth output', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = standardOutput();
  });

  test('a damaged cdk.tf.json or manifest.json: exit 2 naming the file, no stack trace', () => {
    const badStack = tempDir('vpce-doctor');
    cpSync(outdir, badStack, { recursive: true });
    writeFileSync(join(badStack, 'stacks', 'spoke-333333333333', 'cdk.tf.json'), '{"resource": {');
    const stackResult = runCli(['--out', badStack]);
    expect(stackResult.status).toBe(2);
    expect(stackResult.stderr).toContain(
      `${join(badStack, 'stacks', 'spoke-333333333333', 'cdk.tf.json')}: not valid JSON`,
    );
    expect(stackResult.stderr).toContain('npm run synth');
    expect(stackResult.stderr).not.toMatch(/\n\s+at /);

    const badManifest = tempDir('vpce-doctor');
    cpSync(outdir, badManifest, { recursive: true });
    writeFileSync(join(badManifest, 'manifest.json'), '[1, 2');
    const manifestResult = doctor(['--out', badManifest]);
    expect(manifestResult.status).toBe(2);
    expect(manifestResult.stderr).toContain(`${join(badManifest, 'manifest.json')}: not valid JSON`);

    writeFileSync(join(badManifest, 'manifest.json'), '"just a string"');
    expect(doctor(['--out', badManifest])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('manifest.json: not a JSON object'),
    });

    const deep = edited(outdir, 'hub', (hub) => {
      hub.resource.aws_route53_zone.logs.tags = '@DEEP@';
    });
    const hubFile = join(deep, 'stacks', 'hub', 'cdk.tf.json');
    writeFileSync(
      hubFile,
      readFileSync(hubFile, 'utf8').replace('"@DEEP@"', `${'['.repeat(100000)}${']'.repeat(100000)}`),
    );
    expect(doctor(['--out', deep])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('nested too deeply to evaluate'),
    });
  });

  test('a spoke whose association for_each cannot be evaluated is a failure for that spoke, not left out', () => {
    const broken = edited(outdir, 'spoke-333333333333', (spoke) => {
      spoke.resource.aws_route53_zone_association.hub.for_each = '${var.pairs}';
    });
    const report = runDoctor({ outdir: broken, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(report.vpcs.map((v) => v.vpcId)).not.toContain('vpc-0123abcd4567ef890');
    expect(report.spokeProblems).toEqual([
      expect.objectContaining({
        stack: 'spoke-333333333333',
        account: '333333333333',
        address: 'aws_route53_zone_association.hub',
      }),
    ]);
    const text = doctor(['--out', broken]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('FAIL: 1 spoke stack cannot be checked:');
    expect(text.stdout).toContain(
      '  spoke-333333333333 account 333333333333: aws_route53_zone_association.hub: its for_each cannot be evaluated',
    );
  });

  test('control characters from the synth output are escaped in the text output', () => {
    const ESC = '\u001b';
    const broken = editedManifest(
      edited(outdir, 'spoke-123456789012', (spoke) => {
        spoke.output.account.value.name = `evil${ESC}]0;owned\u0007${ESC}[2J\u009b31m`;
        delete spoke.resource.aws_route53_zone_association.hub.for_each['vpc-0123456789abcdef0/logs'];
      }),
      (manifest) => {
        manifest.stacks[`spoke-${ESC}[31m`] = manifest.stacks['spoke-333333333333'];
        delete manifest.stacks['spoke-333333333333'];
      },
    );
    const result = doctor(['--out', broken, '--verbose']);
    expect(result.status).toBe(1);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters: none but newlines may reach the terminal
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain('(evil\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m)');
    expect(result.stdout).toContain('spoke-\\u001b[31m  account 333333333333');
    const json = doctor(['--out', broken, '--json']);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters: the --json output escapes every one
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const vpcs = JSON.parse(json.stdout).vpcs as Array<{ vpcId: string; accountName: string }>;
    expect(vpcs.find((v) => v.vpcId === 'vpc-0123456789abcdef0')?.accountName).toBe(
      `evil${ESC}]0;owned\u0007${ESC}[2J\u009b31m`,
    );
  });

  test.each([
    ['a path out of the folder', '../../../../etc/passwd', 'leads outside'],
    ['an absolute path', '/etc/passwd', 'leads outside'],
  ])('a manifest with %s is refused: exit 2', (_what, path, message) => {
    const hostile = editedManifest(outdir, (manifest) => {
      manifest.stacks.hub.synthesizedStackPath = path;
    });
    const result = doctor(['--out', hostile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`stack "hub": synthesizedStackPath "${path}" ${message}`);
    const workingDirectory = editedManifest(outdir, (manifest) => {
      manifest.stacks.hub.workingDirectory = path;
    });
    expect(doctor(['--out', workingDirectory])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining(`workingDirectory "${path}" ${message}`),
    });
  });

  test('a stack file that links out of the folder is refused', () => {
    const hostile = tempDir('vpce-doctor');
    cpSync(outdir, hostile, { recursive: true });
    const outside = join(tempDir('vpce-outside'), 'cdk.tf.json');
    writeFileSync(outside, readFileSync(join(outdir, 'stacks', 'hub', 'cdk.tf.json')));
    const file = join(hostile, 'stacks', 'hub', 'cdk.tf.json');
    rmSync(file);
    symlinkSync(outside, file);
    expect(doctor(['--out', hostile])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('is a link to outside'),
    });
  });
});

describe('doctor on other configurations', () => {
  test('wildcard mode resolves any registry', () => {
    const outdir = synthToFolder(configFrom(edit(HUB_YAML, 'dkrRecords: per-account', 'dkrRecords: wildcard')));
    const report = runDoctor({ outdir, profile: 'fargate', registries: ['444444444444'] });
    expect(report.ok).toBe(true);
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('444444444444'))?.path).toContain(
      'aws_route53_record.ecr_dkr_wildcard',
    );
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
      path: expect.stringContaining(
        'S3 gateway endpoint spoke-123456789012: aws_vpc_endpoint.s3_gateway["vpc-0123456789abcdef0"]',
      ),
    });
    expect(answer(report, 'vpc-0123abcd4567ef890', LAYERS)?.result).toBe('public');
  });

  test("with s3 in the hub, a gateway VPC's S3 names still go through its gateway; the others through the hub", () => {
    const withGateway = edit(
      ACCOUNTS_YAML,
      '    vpcIds: [vpc-0123456789abcdef0]\n',
      '    vpcIds: [vpc-0123456789abcdef0]\n    s3GatewayRouteTables:\n      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]\n',
    );
    const outdir = synthToFolder(configFrom(HUB_YAML, withGateway));
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(answer(report, 'vpc-0123456789abcdef0', LAYERS)?.path).toMatch(
      /^public DNS -> S3 gateway endpoint spoke-123456789012/,
    );
    expect(answer(report, 'vpc-0123abcd4567ef890', LAYERS)?.path).toContain('hub: aws_vpc_endpoint.s3');

    // An output from before the fix still associates the gateway VPC with the s3 zone: the gateway is bypassed.
    const stale = edited(outdir, 'spoke-123456789012', (spoke) => {
      spoke.resource.aws_route53_zone_association.hub.for_each['vpc-0123456789abcdef0/s3'] = {
        account_id: '123456789012',
        vpc_id: 'vpc-0123456789abcdef0',
        service: 's3',
      };
    });
    expect(answer(runDoctor({ outdir: stale, profile: 'fargate' }), 'vpc-0123456789abcdef0', LAYERS)).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining('has its own S3 gateway endpoint'),
    });
  });

  test('a service missing from the hub is public', () => {
    const outdir = synthToFolder(
      configFrom(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3]')),
    );
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
    const outdir = standardOutput();
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

  describe('ECS on EC2: the agent connects to the names DiscoverPollEndpoint on ecs hands it', () => {
    const ECS = `ecs.${R}.amazonaws.com`;
    const ECS_A = `ecs-a.${R}.amazonaws.com`;
    const ECS_T = `ecs-t.${R}.amazonaws.com`;
    const withServices = (services: string) =>
      synthToFolder(configFrom(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', `services: [${services}]`)));

    test('the ecs-ec2 profile: fargate, then ecs (the discovery call) and the ecs-a / ecs-t apexes; no numbered names', () => {
      const ctx = { region: R, account: '123456789012', registries: [], hubServices: [] };
      expect(requiredHosts('ecs-ec2', ctx).map((h) => h.host)).toEqual([
        ...requiredHosts('fargate', ctx).map((h) => h.host),
        ECS,
        ECS_A,
        ECS_T,
      ]);
      expect(requiredHosts('ecs-ec2', ctx).find((h) => h.host === ECS)?.need).toContain('DiscoverPollEndpoint');
      // The all profile checks ecs with a centralized ecs-agent, even when the hub lacks ecs.
      const all = requiredHosts('all', { ...ctx, hubServices: ['ecs-telemetry'] });
      expect(all.map((h) => h.host)).toEqual([ECS, ECS_T]);
      expect(all[0].need).toContain(`ecs-t-<N>.${R}.amazonaws.com`);
    });

    test('with ecs, ecs-agent and ecs-telemetry in the hub, every name resolves; a numbered name stays public', () => {
      const outdir = withServices('ecr.api, ecr.dkr, s3, logs, ecs, ecs-agent, ecs-telemetry');
      const report = runDoctor({ outdir, profile: 'ecs-ec2' });
      expect(report.ok).toBe(true);
      expect(answer(report, 'vpc-0123456789abcdef0', ECS_A)?.path).toContain(
        'hub: aws_vpc_endpoint.ecs-agent (ecs-agent)',
      );
      expect(answer(report, 'vpc-0123456789abcdef0', ECS_T)?.path).toContain(
        'hub: aws_vpc_endpoint.ecs-telemetry (ecs-telemetry)',
      );
      expect(runDoctor({ outdir, profile: 'all' }).ok).toBe(true);

      // ecs-a-1 is a sibling of the ecs-a zone, not a name in it: no private zone answers it.
      const resolver = new Resolver(SynthOutput.read(outdir));
      const vpc = resolver.spokeVpcs().find((v) => v.vpcId === 'vpc-0123456789abcdef0');
      expect(vpc).toBeDefined();
      const numbered = resolver.resolve(vpc!, `ecs-a-1.${R}.amazonaws.com`);
      expect(numbered.result).toBe('public');
      expect(numbered.reason).not.toContain('DiscoverPollEndpoint');
    });

    test('ecs-agent and ecs-telemetry without ecs: the config refuses it; an output made so fails the doctor, which says why', () => {
      const services = 'ecr.api, ecr.dkr, s3, logs, ecs-agent, ecs-telemetry';
      expect(() => withServices(services)).toThrow(
        /ecs-agent needs ecs in services: clients learn its name from the ECS agent's DiscoverPollEndpoint call/,
      );
      // An output synthesized otherwise (by hand, or by an older release): the hub without its ecs zone.
      const outdir = edited(withServices(`${services}, ecs`), 'hub', (hub) => {
        delete hub.resource.aws_route53_zone.ecs;
        delete hub.resource.aws_route53_record.ecs_apex;
        delete hub.resource.aws_vpc_endpoint.ecs;
      });
      const report = runDoctor({ outdir, profile: 'ecs-ec2' });
      expect(report.ok).toBe(false);
      expect(answer(report, 'vpc-0123456789abcdef0', ECS)).toMatchObject({
        result: 'public',
        reason: expect.stringContaining(
          'DiscoverPollEndpoint call goes to this name too; not made through an ecs interface endpoint, ' +
            `it is answered with ecs-a-<N>.${R}.amazonaws.com and ecs-t-<N>.${R}.amazonaws.com: ` +
            'public names that no private zone can answer',
        ),
      });
      // The hub's zones answer the apexes, but the agent is not handed them.
      expect(answer(report, 'vpc-0123456789abcdef0', ECS_A)?.result).toBe('ok');
      const all = runDoctor({ outdir, profile: 'all' });
      expect(all.ok).toBe(false);
      expect(answer(all, 'vpc-0123456789abcdef0', ECS)?.result).toBe('public');
      expect(doctor(['--out', outdir, '--profile', 'ecs-ec2'])).toMatchObject({
        status: 1,
        stdout: expect.stringContaining(`${ECS} public: no associated private zone covers it`),
      });
    });
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

describe('doctor in profile mode', () => {
  const PROFILE = `${HUB_YAML}sharing:\n  mode: profile\n`;
  let profileOutput: string | undefined;
  const profileOut = () => (profileOutput ??= synthToFolder(configFrom(PROFILE)));

  test('every spoke VPC resolves through the Profile', () => {
    const report = runDoctor({ outdir: profileOut(), profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(report.vpcs.map((v) => v.vpcId).sort()).toEqual([
      'vpc-0123456789abcdef0',
      'vpc-0123abcd4567ef890',
      'vpc-0aaaabbbbccccdddd',
      'vpc-0fedcba9876543210',
    ]);
    expect(answer(report, 'vpc-0aaaabbbbccccdddd', dkr('012345678901'))?.path).toBe(
      `dkr.ecr.${R}.amazonaws.com (Profile hub: aws_route53profiles_profile.hub) -> ` +
        'aws_route53_record.ecr_dkr_registry_01["012345678901"] -> hub: aws_vpc_endpoint.ecr_dkr (ecr.dkr)',
    );
  });

  test('a zone left out of the Profile is public; an account the Profile is not shared with is refused', () => {
    const noLogs = edited(profileOut(), 'hub', (hub) => {
      delete hub.resource.aws_route53profiles_resource_association.logs;
    });
    expect(
      answer(runDoctor({ outdir: noLogs, profile: 'fargate' }), 'vpc-0123456789abcdef0', `logs.${R}.amazonaws.com`)
        ?.result,
    ).toBe('public');
    const unshared = edited(profileOut(), 'hub', (hub) => {
      delete hub.resource.aws_ram_principal_association.account_12;
    });
    const report = runDoctor({ outdir: unshared, profile: 'fargate' });
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('123456789012'))).toMatchObject({
      result: 'unauthorized',
      reason: expect.stringContaining('is not shared with account 123456789012'),
    });
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('333333333333'))?.result).toBe('ok');
  });

  test('shared with the organization: no per-account principal needed', () => {
    const org = `${HUB_YAML}sharing:\n  mode: profile\n  principals: ["arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5"]\n`;
    expect(runDoctor({ outdir: synthToFolder(configFrom(org)), profile: 'fargate' }).ok).toBe(true);
  });

  test('while switching (transition), a VPC sees each zone directly and through the Profile: the direct association answers', () => {
    const both = synthToFolder(configFrom(`${HUB_YAML}sharing:\n  mode: profile\n  transition: both\n`));
    const report = runDoctor({ outdir: both, profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('123456789012'))?.path).toMatch(
      /^dkr\.ecr\.ap-northeast-1\.amazonaws\.com -> /,
    );
    // The step after: associations gone, the Profile answers.
    const profileOnly = edited(both, 'spoke-123456789012', (spoke) => {
      delete spoke.resource.aws_route53_zone_association;
    });
    expect(
      answer(runDoctor({ outdir: profileOnly, profile: 'fargate' }), 'vpc-0123456789abcdef0', dkr('123456789012'))
        ?.path,
    ).toContain('(Profile hub:');
  });

  test('a VPC in two Profiles is a failure', () => {
    const twice = edited(profileOut(), 'spoke-123456789012', (spoke) => {
      spoke.resource.aws_route53profiles_association.other = {
        ...spoke.resource.aws_route53profiles_association.hub,
        name: 'other',
      };
    });
    const report = runDoctor({ outdir: twice, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).toContain('is associated with two Route 53 Profiles');
  });
});
