/**
 * The e2e harness's own logic, without terraform: finding the toolchain, quoting Terraform's errors,
 * editing a stack for the failure scenarios, and reading the fake's answers as the doctor's verdicts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingsTable } from '../test/e2e/e2e';
import { assessWatch } from '../test/e2e/endpoint-scenarios';
import { fakeVerdict } from '../test/e2e/resolution';
import { dropForEachKey } from '../test/e2e/scenarios';
import {
  findToolchain,
  mirrorAwsVersions,
  TerraformError,
  terraformErrors,
  writeCliConfig,
} from '../test/e2e/terraform';
import { tempDir } from './helpers/temp';

describe('finding terraform and the provider mirror', () => {
  test('a missing terraform is one clear line naming TERRAFORM', () => {
    const result = findToolchain({ ...process.env, TERRAFORM: '/nonexistent/terraform' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.missing).toMatch(
      /terraform not found \(TERRAFORM=\/nonexistent\/terraform\).*set TERRAFORM=/,
    );
  });

  test('a mirror folder lists its hashicorp/aws versions for this platform, newest first', () => {
    const mirror = tempDir('mirror');
    const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
    for (const version of ['5.9.0', '5.100.0', '5.72.1']) {
      mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', version, platform), { recursive: true });
    }
    mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '6.0.0', 'other_arch'), { recursive: true });
    expect(mirrorAwsVersions(mirror)).toEqual(['5.100.0', '5.72.1', '5.9.0']);
    expect(mirrorAwsVersions(tempDir('empty-mirror'))).toEqual([]);
  });

  test('a mirror without the provider is one clear line naming VPCE_TF_MIRROR', () => {
    const result = findToolchain({ ...process.env, VPCE_TF_MIRROR: tempDir('empty-mirror') });
    if (result.ok) throw new Error('expected the empty mirror to be refused');
    // terraform itself may be missing on this machine; either way the line says what to set.
    expect(result.missing).toMatch(/VPCE_TF_MIRROR|TERRAFORM/);
  });

  test('the CLI config installs aws from the mirror only, and lets inits without a lock file link the cached package', () => {
    const file = writeCliConfig(join(tempDir('cli-config'), 'terraform.rc'), {
      path: '/opt/mirror',
      awsVersion: '5.100.0',
    });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('path    = "/opt/mirror"');
    expect(text).toMatch(/direct \{\s*exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
    // Without it every init of a synthesized stack (no .terraform.lock.hcl) re-installs into the shared
    // cache, and parallel inits fail (CI, stop 13: "still not detected in .terraform/providers").
    expect(text).toMatch(/^plugin_cache_may_break_dependency_lock_file = true$/m);
  });
});

describe("quoting Terraform's errors", () => {
  const output = [
    'Initializing...',
    '╷',
    '│ Error: Unsupported argument',
    '│ ',
    '│   on cdk.tf.json line 12, in resource "aws_route53_record" "x":',
    '│   12:         "zone_idd": "Z1",',
    '│ ',
    '│ An argument named "zone_idd" is not expected here.',
    '╵',
    '╷',
    '│ Error: Reference to undeclared resource',
    '╵',
  ].join('\n');

  test('keeps every Error block, without the box drawing', () => {
    const quoted = terraformErrors(output);
    expect(quoted).toContain('Error: Unsupported argument');
    expect(quoted).toContain('An argument named "zone_idd" is not expected here.');
    expect(quoted).toContain('Error: Reference to undeclared resource');
    expect(quoted).not.toMatch(/[│╷╵]/);
  });

  test('the failure names the stack, the command and quotes Terraform', () => {
    const error = new TerraformError('spoke-200000000001', 'apply -auto-approve', 1, terraformErrors(output));
    expect(error.message).toMatch(/^stack spoke-200000000001: terraform apply -auto-approve failed \(exit 1\):/);
    expect(error.message).toContain('| Error: Unsupported argument');
  });

  test('without Error blocks, the last lines of the output', () => {
    expect(terraformErrors('a\nb\nplugin crashed\n')).toBe('a\nb\nplugin crashed');
  });
});

describe('editing a stack for the failure scenarios', () => {
  test('drops one instance key from a toset() or a map for_each', () => {
    const json = {
      resource: {
        aws_route53_record: {
          a: { for_each: '${toset(["111111111111","222222222222"])}' },
          b: { for_each: { '333333333333': {}, '444444444444': {} } },
          c: { name: 'apex' },
        },
      },
    };
    expect(dropForEachKey(json, 'aws_route53_record', '222222222222')).toBe(1);
    expect(json.resource.aws_route53_record.a.for_each).toBe('${toset(["111111111111"])}');
    expect(dropForEachKey(json, 'aws_route53_record', '333333333333')).toBe(1);
    expect(Object.keys(json.resource.aws_route53_record.b.for_each)).toEqual(['444444444444']);
    expect(dropForEachKey(json, 'aws_route53_record', '999999999999')).toBe(0);
  });
});

describe("the fake's answer as the doctor's verdict", () => {
  const zone = { id: 'Z1', name: 'dkr.ecr.eu-west-1.amazonaws.com', account: '100000000001' };
  const base = { host: 'x', vpcId: 'vpc-1' };
  test.each([
    [{ ...base, result: 'public' as const }, 'public'],
    [{ ...base, result: 'public' as const, gatewayEndpoint: { id: 'vpce-1', service: 's3', routeTables: 1 } }, 'ok'],
    [{ ...base, result: 'NXDOMAIN' as const, zone }, 'NXDOMAIN'],
    [
      {
        ...base,
        result: 'answer' as const,
        zone,
        endpoint: { id: 'e', service: 'ecr.dkr', type: 'Interface', vpcId: 'v', account: 'a' },
      },
      'ok',
    ],
    [
      {
        ...base,
        result: 'answer' as const,
        zone,
        endpoint: { id: 'e', service: 'ecr.api', type: 'Interface', vpcId: 'v', account: 'a' },
      },
      'wrong-target',
    ],
    [{ ...base, result: 'answer' as const, zone }, 'wrong-target'],
  ])('%j -> %s', (answer, verdict) => {
    expect(fakeVerdict(answer)).toBe(verdict);
  });
});

describe('the timings table', () => {
  test('sums each command per stack', () => {
    const run = (stack: string, command: string, seconds: number) => ({
      stack,
      command,
      seconds,
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const table = timingsTable([
      run('hub', 'apply', 30),
      run('hub', 'apply', 12.5),
      run('hub', 'plan', 9),
      run('spoke-1', 'destroy', 20),
    ]);
    const [header, hub, spoke] = table.split('\n');
    expect(header).toMatch(/stack\s+init\s+validate\s+apply\s+plan\s+show\s+destroy\s+total/);
    expect(hub).toMatch(/hub\s+-\s+-\s+42\.5\s+9\.0\s+-\s+-\s+51\.5/);
    expect(spoke).toMatch(/spoke-1\s+-\s+-\s+-\s+-\s+-\s+20\.0\s+20\.0/);
  });
});

describe("the endpoints flow's reading of a watch", () => {
  const R = 'eu-west-1';
  const LOGS = `logs.${R}.amazonaws.com`;
  const REGISTRY = `200000000001.dkr.ecr.${R}.amazonaws.com`;
  const cause = (seq: number, second: number, action: string) => ({
    seq,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    service: 'route53profiles',
    action,
    label: 'hub apply',
  });
  const event = (seq: number, second: number, vpcId: string, host: string, outcome: 'public' | 'NXDOMAIN') => ({
    ...cause(seq, second, 'DisassociateResourceFromProfile'),
    vpcId,
    host,
    result: outcome,
    outcome,
    regression: true,
  });
  const report = (events: ReturnType<typeof event>[]) => ({
    watching: false,
    vpcIds: ['vpc-a', 'vpc-b'],
    hosts: [LOGS, REGISTRY],
    checks: 4,
    baseline: [
      { vpcId: 'vpc-a', host: LOGS, outcome: 'endpoint' as const },
      { vpcId: 'vpc-b', host: REGISTRY, outcome: 'record' as const },
    ],
    events,
    recoveries: [
      { ...cause(9, 31, 'AssociateResourceToProfile'), vpcId: 'vpc-a', host: LOGS, outcome: 'endpoint' as const },
    ],
    tally: {},
    dropped: 0,
  });

  test('public answers are counted per service, with the time to the first and last, and to the recovery', () => {
    const seen = assessWatch(
      report([
        event(3, 10, 'vpc-a', LOGS, 'public'),
        event(4, 12, 'vpc-b', LOGS, 'public'),
        event(6, 25, 'vpc-a', LOGS, 'public'),
      ]),
      ['logs', 'ecr.dkr'],
      R,
    );
    expect(seen.problems).toEqual([]);
    expect(seen.fallbacks.get('logs')).toEqual({ lookups: 3, calls: 3, firstToLastMs: 15_000, windowMs: 21_000 });
    expect(seen.firstToLastMs).toBe(15_000);
  });

  test('NXDOMAIN at any moment, and a name that failed before the step, are problems', () => {
    const seen = assessWatch(report([event(5, 20, 'vpc-b', REGISTRY, 'NXDOMAIN')]), ['logs', 'ecr.dkr'], R);
    expect(seen.problems).toEqual([
      `hub apply route53profiles:DisassociateResourceFromProfile -> vpc-b ${REGISTRY} NXDOMAIN`,
    ]);
    const before = assessWatch(
      { ...report([]), baseline: [{ vpcId: 'vpc-a', host: LOGS, outcome: 'public' }] },
      ['logs'],
      R,
    );
    expect(before.problems).toEqual([`before the step vpc-a ${LOGS} was already public`]);
  });
});
