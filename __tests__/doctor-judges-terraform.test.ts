/**
 * The doctor judges what Terraform will apply: the override files beside a stack's JSON merged in
 * as Terraform merges them, `count`, and the record type; output it cannot judge (HCL, another
 * configuration file, an override Terraform refuses, an argument it does not model) it refuses
 * (exit 2), never passes.
 */
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor } from '../lib/doctor/run-doctor';
import { UnjudgeableOutputError } from '../lib/doctor/synth-output';
import { configFrom, edit, HUB_YAML, type ParsedJson, synthToFolder } from './helpers/config';
import { editedSynthFolder as edited } from './helpers/synth-folder';
import { tempDir } from './helpers/temp';
import { answerOf, doctorCli } from './helpers/doctor';

const R = 'ap-northeast-1';
const dkr = (account: string) => `${account}.dkr.ecr.${R}.amazonaws.com`;
const PAYMENTS_VPC = 'vpc-0123456789abcdef0';
const doctor = doctorCli;

const answer = answerOf;

let standard: string | undefined;
const standardOut = () => (standard ??= synthToFolder(configFrom()));

/** A copy of the standard output with `files` (name -> content) written into the stack's folder. */
function withFiles(stack: string, files: Record<string, unknown>, outdir = standardOut()): string {
  const copy = tempDir('vpce-doctor');
  cpSync(outdir, copy, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(
      join(copy, 'stacks', stack, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return copy;
}

const hubFile = (outdir: string, name: string) => join(outdir, 'stacks', 'hub', name);

/** The refusals runDoctor throws for `outdir`, one line each. */
function refusals(outdir: string): string[] {
  try {
    runDoctor({ outdir, profile: 'fargate' });
  } catch (error) {
    if (error instanceof UnjudgeableOutputError) return error.refusals.map(UnjudgeableOutputError.line);
    throw error;
  }
  throw new Error('the doctor judged the output');
}

describe('override files: merged in as Terraform merges them', () => {
  test("an override that empties a registry record shard's for_each: that registry is NXDOMAIN, and the override is named", () => {
    const outdir = withFiles('hub', {
      'registry_override.tf.json': {
        resource: { aws_route53_record: { ecr_dkr_registry_12: { for_each: '${toset([])}' } } },
      },
    });
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(answer(report, PAYMENTS_VPC, dkr('123456789012'))).toMatchObject({
      result: 'NXDOMAIN',
      reason: expect.stringContaining(`zone dkr.ecr.${R}.amazonaws.com (hub: aws_route53_zone.ecr_dkr)`),
    });
    expect(answer(report, PAYMENTS_VPC, dkr('222222222222'))?.result).toBe('ok');
    expect(report.overrides).toEqual([
      `hub: ${hubFile(outdir, 'registry_override.tf.json')}: aws_route53_record.ecr_dkr_registry_12 (for_each)`,
    ]);

    const cli = doctor(['--out', outdir]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(
      `account 123456789012 (payments-prod) ${PAYMENTS_VPC}: ${dkr('123456789012')} NXDOMAIN: zone dkr.ecr.`,
    );
    expect(cli.stdout).toContain('Judged with the override files Terraform merges in:');
    expect(cli.stdout).toContain('aws_route53_record.ecr_dkr_registry_12 (for_each)');
  });

  test('override.tf.json too; a nested block is replaced whole, other arguments kept', () => {
    const outdir = withFiles('hub', {
      'override.tf.json': {
        resource: {
          aws_route53_record: {
            // Only the alias's name is given: the whole alias block is this one, pointing at ecr.api.
            logs_apex: { alias: { name: '${aws_vpc_endpoint.ecr_api.dns_entry[0].dns_name}' } },
          },
        },
      },
    });
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(answer(report, 'vpc-0123abcd4567ef890', `logs.${R}.amazonaws.com`)).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining(
        'aws_route53_record.logs_apex -> aws_vpc_endpoint.ecr_api is the ecr.api endpoint',
      ),
    });
  });

  test('override files apply in the order of their names: the last one wins', () => {
    const restore = {
      resource: { aws_route53_record: { ecr_dkr_registry_12: { for_each: '${toset(["123456789012"])}' } } },
    };
    const empty = { resource: { aws_route53_record: { ecr_dkr_registry_12: { for_each: [] } } } };
    const emptiedLast = withFiles('hub', { 'a_override.tf.json': restore, 'b_override.tf.json': empty });
    expect(
      answer(runDoctor({ outdir: emptiedLast, profile: 'fargate' }), PAYMENTS_VPC, dkr('123456789012'))?.result,
    ).toBe('NXDOMAIN');
    const restoredLast = withFiles('hub', { 'a_override.tf.json': empty, 'b_override.tf.json': restore });
    expect(runDoctor({ outdir: restoredLast, profile: 'fargate' }).ok).toBe(true);
  });

  test("the e2e's provider override (endpoints, skip flags, required_providers) is merged and changes no verdict", () => {
    const outdir = withFiles('hub', {
      'vpce_e2e_override.tf.json': {
        '//': 'provider from a mirror, AWS APIs from a fake',
        terraform: { required_providers: { aws: { source: 'aws', version: '6.0.0' } } },
        provider: { aws: [{ endpoints: [{ route53: 'http://127.0.0.1:1' }], skip_metadata_api_check: true }] },
      },
    });
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(report.overrides).toEqual([
      `hub: ${hubFile(outdir, 'vpce_e2e_override.tf.json')}: terraform (required_providers)`,
      `hub: ${hubFile(outdir, 'vpce_e2e_override.tf.json')}: provider.aws (endpoints, skip_metadata_api_check)`,
    ]);
  });

  test('editor files Terraform skips are skipped: .hidden, backup~, #autosave#', () => {
    const hcl = 'resource "aws_route53_record" "x" {}\n';
    const outdir = withFiles('hub', { '.x_override.tf': hcl, 'x_override.tf~': hcl, '#x_override.tf#': hcl });
    expect(doctor(['--out', outdir]).status).toBe(0);
  });

  test('an HCL file beside the stack: exit 2 naming the stack and the file, never judged', () => {
    const hcl = 'resource "aws_route53_record" "ecr_dkr_registry_12" {\n  for_each = toset([])\n}\n';
    const outdir = withFiles('hub', { 'registry_override.tf': hcl });
    const result = doctor(['--out', outdir]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot judge the synth output in ${outdir}`);
    expect(result.stderr).toContain(
      `  stack hub: ${hubFile(outdir, 'registry_override.tf')}: Terraform reads this HCL override file with the ` +
        "stack's JSON and applies what it says, and the doctor cannot judge HCL; remove it or write it as .tf.json",
    );
    // override.tf and any other .tf alike.
    expect(refusals(withFiles('hub', { 'override.tf': hcl, 'main.tf': hcl }))).toEqual([
      expect.stringMatching(/^stack hub: .*main\.tf: Terraform reads this HCL file with/),
      expect.stringMatching(/^stack hub: .*override\.tf: Terraform reads this HCL override file with/),
    ]);
  });

  test('another .tf.json beside the stack (not an override): refused, named', () => {
    const outdir = withFiles('spoke-333333333333', { 'extra.tf.json': { locals: { x: 1 } } });
    expect(refusals(outdir)).toEqual([
      expect.stringMatching(
        /^stack spoke-333333333333: .*extra\.tf\.json: Terraform reads this configuration file with the stack's JSON.*make it an override file$/,
      ),
    ]);
  });

  test('an override file that links out of the folder: refused, not read', () => {
    const outdir = withFiles('hub', {});
    const outside = join(tempDir('vpce-outside'), 'x_override.tf.json');
    writeFileSync(outside, '{}');
    symlinkSync(outside, hubFile(outdir, 'x_override.tf.json'));
    expect(refusals(outdir)).toEqual([
      `stack hub: ${hubFile(outdir, 'x_override.tf.json')}: is a link to outside ${outdir}; refused`,
    ]);
  });

  test.each([
    [
      'a resource no file declares',
      { resource: { aws_route53_record: { nope: { type: 'A' } } } },
      'aws_route53_record.nope: there is no resource of this name to override',
    ],
    [
      'depends_on',
      { resource: { aws_route53_record: { logs_apex: { depends_on: ['aws_route53_zone.logs'] } } } },
      'aws_route53_record.logs_apex: Terraform refuses depends_on in an override file',
    ],
    ['a local no file declares', { locals: { nope: 1 } }, 'local.nope: there is no local value of this name'],
    ['a moved block', { moved: [{ from: 'a.b', to: 'a.c' }] }, 'moved: Terraform refuses moved blocks'],
    ['not JSON', '{"resource": ', 'not valid JSON'],
  ])('an override Terraform refuses (%s): exit 2 naming stack, file, block and cause', (_what, content, message) => {
    const outdir = withFiles('hub', { 'bad_override.tf.json': content });
    expect(refusals(outdir)).toEqual(
      [`stack hub: ${hubFile(outdir, 'bad_override.tf.json')}: ${message}`].map((line) =>
        expect.stringContaining(line),
      ),
    );
    expect(doctor(['--out', outdir]).status).toBe(2);
  });
});

describe('meta-arguments: count', () => {
  test('"count": 0 on a record: Terraform creates none, the name is NXDOMAIN', () => {
    const outdir = edited(standardOut(), 'hub', (hub) => {
      hub.resource.aws_route53_record.logs_apex.count = 0;
    });
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(answer(report, PAYMENTS_VPC, `logs.${R}.amazonaws.com`)).toMatchObject({
      result: 'NXDOMAIN',
      reason: expect.stringContaining(`zone logs.${R}.amazonaws.com (hub: aws_route53_zone.logs)`),
    });
    expect(doctor(['--out', outdir]).status).toBe(1);
  });

  test('"count": 0 from an override file; "count": 1 resolves through the instance [0]', () => {
    const zero = withFiles('hub', {
      'logs_override.tf.json': { resource: { aws_route53_record: { logs_apex: { count: 0 } } } },
    });
    expect(
      answer(runDoctor({ outdir: zero, profile: 'fargate' }), PAYMENTS_VPC, `logs.${R}.amazonaws.com`)?.result,
    ).toBe('NXDOMAIN');
    const one = edited(standardOut(), 'hub', (hub) => {
      hub.resource.aws_route53_record.logs_apex.count = '${1}';
    });
    const report = runDoctor({ outdir: one, profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(answer(report, PAYMENTS_VPC, `logs.${R}.amazonaws.com`)?.path).toContain('aws_route53_record.logs_apex[0]');
  });

  test.each([
    [
      'a count it cannot evaluate',
      (hub: ParsedJson) => (hub.resource.aws_route53_record.logs_apex.count = '${var.n}'),
      'aws_route53_record.logs_apex: its count ("${var.n}") cannot be evaluated',
    ],
    [
      'count with for_each',
      (hub: ParsedJson) => (hub.resource.aws_route53_record.ecr_dkr_registry_12.count = 1),
      'aws_route53_record.ecr_dkr_registry_12: it has both count and for_each',
    ],
  ])('%s: refused, exit 2 naming stack, resource and cause', (_what, change, message) => {
    const outdir = edited(standardOut(), 'hub', change);
    expect(refusals(outdir)).toEqual([expect.stringContaining(`stack hub: ${message}`)]);
    const result = doctor(['--out', outdir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`  stack hub: ${message}`);
  });
});

describe('what the doctor does not model on a resource it judges: refused, never passed', () => {
  test.each([
    [
      'a routing policy on a record',
      (hub: ParsedJson) => {
        hub.resource.aws_route53_record.logs_apex.set_identifier = 'blue';
        hub.resource.aws_route53_record.logs_apex.weighted_routing_policy = [{ weight: 0 }];
      },
      'aws_route53_record.logs_apex: its argument set_identifier is one the doctor does not model',
    ],
    [
      'a provisioner',
      (hub: ParsedJson) => {
        hub.resource.aws_route53_record.logs_apex.provisioner = [{ 'local-exec': { command: 'true' } }];
      },
      'aws_route53_record.logs_apex: its provisioner is a meta-argument the doctor does not model',
    ],
    [
      'another provider',
      (hub: ParsedJson) => {
        hub.resource.aws_vpc_endpoint.logs.provider = 'aws.virginia';
      },
      'aws_vpc_endpoint.logs: its provider is "aws.virginia", not the stack\'s default AWS provider',
    ],
    [
      'ignore_changes on what the verdict rests on',
      (hub: ParsedJson) => {
        hub.resource.aws_route53_record.logs_apex.lifecycle = { ignore_changes: ['alias'] };
      },
      'aws_route53_record.logs_apex: its lifecycle.ignore_changes keeps its alias as it already is in AWS',
    ],
    [
      'an IPv6-only endpoint',
      (hub: ParsedJson) => {
        hub.resource.aws_vpc_endpoint.logs.ip_address_type = 'ipv6';
      },
      'aws_vpc_endpoint.logs: its ip_address_type is "ipv6"',
    ],
    [
      'a module',
      (hub: ParsedJson) => {
        hub.module = { extra: { source: './extra' } };
      },
      'module.extra: a module call: the doctor cannot see the resources of a module',
    ],
  ])('%s', (_what, change, message) => {
    const outdir = edited(standardOut(), 'hub', change);
    expect(refusals(outdir)).toEqual([expect.stringContaining(`stack hub: ${message}`)]);
    expect(doctor(['--out', outdir])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining(`  stack hub: ${message}`),
    });
  });

  test('a remote state read from another workspace: refused', () => {
    const outdir = edited(standardOut(), 'spoke-333333333333', (spoke) => {
      spoke.data.terraform_remote_state.hub.workspace = 'staging';
    });
    expect(refusals(outdir)).toEqual([
      expect.stringContaining('stack spoke-333333333333: data.terraform_remote_state.hub: its workspace is "staging"'),
    ]);
  });
});

describe('record type: workloads ask for A', () => {
  test.each(['AAAA', 'CNAME'])(
    'an alias record of type %s answers no A query: the name fails, record and type named',
    (type) => {
      const outdir = edited(standardOut(), 'hub', (hub) => {
        hub.resource.aws_route53_record.ecr_dkr_registry_12.type = type;
      });
      const report = runDoctor({ outdir, profile: 'fargate' });
      expect(report.ok).toBe(false);
      expect(answer(report, PAYMENTS_VPC, dkr('123456789012'))).toMatchObject({
        result: 'wrong-target',
        reason: expect.stringContaining(
          `dkr.ecr.${R}.amazonaws.com -> aws_route53_record.ecr_dkr_registry_12["123456789012"] is a record of type ` +
            `${type}: nothing answers the A query workloads make`,
        ),
      });
      expect(answer(report, PAYMENTS_VPC, dkr('222222222222'))?.result).toBe('ok');
      const cli = doctor(['--out', outdir]);
      expect(cli.status).toBe(1);
      expect(cli.stdout).toContain(
        `account 123456789012 (payments-prod) ${PAYMENTS_VPC}: ${dkr('123456789012')} wrong-target: ` +
          `dkr.ecr.${R}.amazonaws.com -> aws_route53_record.ecr_dkr_registry_12["123456789012"] is a record of type ${type}`,
      );
    },
  );

  test('an AAAA record of the name hides the wildcard A record (the name exists)', () => {
    const wildcard = synthToFolder(configFrom(edit(HUB_YAML, 'dkrRecords: per-account', 'dkrRecords: wildcard')));
    expect(answer(runDoctor({ outdir: wildcard, profile: 'fargate' }), PAYMENTS_VPC, dkr('123456789012'))?.result).toBe(
      'ok',
    );
    const outdir = edited(wildcard, 'hub', (hub) => {
      hub.resource.aws_route53_record.registry_v6 = {
        ...hub.resource.aws_route53_record.ecr_dkr_wildcard,
        name: dkr('123456789012'),
        type: 'AAAA',
      };
    });
    expect(answer(runDoctor({ outdir, profile: 'fargate' }), PAYMENTS_VPC, dkr('123456789012'))).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining('aws_route53_record.registry_v6 is a record of type AAAA'),
    });
    // Beside an A record of the same name, an AAAA record changes nothing.
    const both = edited(standardOut(), 'hub', (hub) => {
      hub.resource.aws_route53_record.logs_v6 = { ...hub.resource.aws_route53_record.logs_apex, type: 'AAAA' };
    });
    expect(runDoctor({ outdir: both, profile: 'fargate' }).ok).toBe(true);
  });
});
