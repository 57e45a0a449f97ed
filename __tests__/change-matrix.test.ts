/**
 * Rows of the change matrix (docs/operations.md, "What each change does") that one apply cannot make safe and the
 * guards therefore refuse, or announce: `ecr.dkrRecords` between per-account and wildcard, and a
 * service retired that the hub never had. Both guards: the local one reads the state, `affected` the
 * base commit's synth output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unsafeChangesBetween, compareStacks } from '../lib/commands/affected';
import { stateLocation } from '../lib/state/backends';
import { unsafeRemovals } from '../lib/state/removal-guard';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, synthAll, type ParsedJson } from './helpers/config';
import { tempDir } from './helpers/temp';

const dkr = (mode: string) => edit(HUB_YAML, 'dkrRecords: per-account', `dkrRecords: ${mode}`);

/** Every stack of a configuration's synth output, by stack name. */
function stacks(hubYaml: string): Map<string, ParsedJson> {
  const { hub, spokes } = synthAll(configFrom(hubYaml));
  return new Map<string, ParsedJson>([
    ['hub', hub.json],
    ...[...spokes].map(([id, s]): [string, ParsedJson] => [`spoke-${id}`, s.json]),
  ]);
}

describe('ecr.dkrRecords', () => {
  const PER_ACCOUNT = stacks(HUB_YAML);
  const BOTH = stacks(dkr('both'));
  const WILDCARD = stacks(dkr('wildcard'));
  const records = (s: Map<string, ParsedJson>) =>
    Object.keys((s.get('hub') as { resource: { aws_route53_record: object } }).resource.aws_route53_record).filter(
      (name) => name.startsWith('ecr_dkr_'),
    );

  test('both holds the per-account records and the * record', () => {
    expect(records(PER_ACCOUNT).filter((n) => n.startsWith('ecr_dkr_registry_')).length).toBeGreaterThan(0);
    expect(records(PER_ACCOUNT)).not.toContain('ecr_dkr_wildcard');
    expect(records(WILDCARD).filter((n) => n !== 'ecr_dkr_apex')).toEqual(['ecr_dkr_wildcard']);
    expect(records(BOTH)).toEqual(expect.arrayContaining([...records(PER_ACCOUNT), 'ecr_dkr_wildcard']));
  });

  test('affected: one step either way is unsafe and names the steps; through both it is not', () => {
    expect(unsafeChangesBetween(PER_ACCOUNT, WILDCARD)).toEqual([
      expect.stringMatching(
        /^hub: switches ecr\.dkrRecords from per-account to wildcard in one apply: .* Set ecr\.dkrRecords: both, deploy the hub, then set wildcard/,
      ),
    ]);
    expect(unsafeChangesBetween(WILDCARD, PER_ACCOUNT)).toEqual([
      expect.stringContaining('switches ecr.dkrRecords from wildcard to per-account in one apply'),
    ]);
    for (const [from, to] of [
      [PER_ACCOUNT, BOTH],
      [BOTH, WILDCARD],
      [WILDCARD, BOTH],
      [BOTH, PER_ACCOUNT],
    ]) {
      expect(unsafeChangesBetween(from, to)).toEqual([]);
    }
  });

  test('the * record leaving is announced: unlisted registries stop resolving', () => {
    expect(compareStacks(BOTH, PER_ACCOUNT).notices).toEqual([
      expect.stringContaining('registries of accounts that are neither in accounts.yaml nor in ecr.registryAccounts'),
    ]);
    expect(compareStacks(PER_ACCOUNT, BOTH).notices).toEqual([]);
    expect(compareStacks(BOTH, WILDCARD).notices).toEqual([]);
  });
});

describe('the local guard reads the hub state', () => {
  const stateDir = tempDir('state');
  const scope = '111111111111-ap-northeast-1';
  mkdirSync(join(stateDir, scope), { recursive: true });
  const hubState = (resources: Array<[string, string, string[]]>) =>
    writeFileSync(
      join(stateDir, scope, 'hub.tfstate'),
      JSON.stringify({
        version: 4,
        resources: resources.map(([type, name, keys]) => ({
          mode: 'managed',
          type,
          name,
          instances: keys.length > 0 ? keys.map((index_key) => ({ index_key })) : [{}],
        })),
      }),
    );
  const reasons = (hubYaml: string) => {
    const config = configFrom(hubYaml);
    return unsafeRemovals(config, stateLocation(config, { outdir: join(stateDir, '..', 'out'), stateDir }));
  };
  const endpoints = (...services: string[]): Array<[string, string, string[]]> =>
    services.map((s) => ['aws_vpc_endpoint', s.replace('.', '_'), []]);

  test('ecr.dkrRecords per-account to wildcard in one step is refused', () => {
    hubState([...endpoints('ecr.api', 'ecr.dkr', 's3', 'logs'), ['aws_route53_record', 'ecr_dkr_registry_12', ['1']]]);
    expect(reasons(dkr('wildcard'))).toEqual([expect.stringContaining('switches ecr.dkrRecords from per-account')]);
    expect(reasons(dkr('both'))).toEqual([]);
    expect(reasons(HUB_YAML)).toEqual([]);
  });

  test('a service retired that the hub never had is refused; one it has is not', () => {
    hubState(endpoints('ecr.api', 'ecr.dkr', 's3', 'logs'));
    expect(reasons(`${HUB_YAML}retiredServices: [sts]\n`)).toEqual([
      expect.stringMatching(/^hub.*: service sts is in retiredServices, but the hub has no endpoint for it/),
    ]);
    const retiringLogs = edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3]');
    expect(reasons(`${retiringLogs}retiredServices: [logs]\n`)).toEqual([]);
  });
});

describe('a spoke VPC moving between the hub s3 zone and its own S3 gateway endpoint', () => {
  const ACCOUNTS = ACCOUNTS_YAML;
  const GATEWAY = edit(
    ACCOUNTS_YAML,
    '    vpcIds: [vpc-0123abcd4567ef890]\n',
    '    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n',
  );
  const synth = (accounts: string) => {
    const { hub, spokes } = synthAll(configFrom(HUB_YAML, accounts));
    return new Map<string, ParsedJson>([
      ['hub', hub.json],
      ...[...spokes].map(([id, s]): [string, ParsedJson] => [`spoke-${id}`, s.json]),
    ]);
  };
  const before = synth(ACCOUNTS);
  const after = synth(GATEWAY);

  test('is announced both ways, for that spoke only, and is not refused', () => {
    expect(compareStacks(before, after).notices).toEqual([
      expect.stringMatching(
        /^spoke-333333333333: vpc-0123abcd4567ef890 leaves the hub's s3 zone for its own S3 gateway endpoint in this apply: .*public DNS \(never NXDOMAIN\)/,
      ),
    ]);
    expect(compareStacks(after, before).notices).toEqual([
      expect.stringContaining("vpc-0123abcd4567ef890 leaves its S3 gateway endpoint for the hub's s3 zone"),
    ]);
    expect(compareStacks(before, after).unsafe).toEqual([]);
    expect(compareStacks(after, after).notices).toEqual([]);
  });
});
