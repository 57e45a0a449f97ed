/**
 * Removing an account or a service in two steps (retire, deploy, delete), and the local guard that
 * refuses a deletion the state does not allow yet.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor } from '../lib/doctor/run-doctor';
import { unsafeRemovals } from '../lib/state/removal-guard';
import { retireSteps } from '../lib/state/unsafe-changes';
import { unsafeChangesBetween } from '../lib/commands/affected';
import type { StateLocation } from '../lib/state/backends';
import { stateLocation } from '../lib/state/backends';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, problemsOf, synthAll, synthToFolder } from './helpers/config';
import { tempDir } from './helpers/temp';

const RETIRED = edit(
  ACCOUNTS_YAML,
  '  - id: "333333333333"\n    vpcIds: [vpc-0123abcd4567ef890]\n',
  '  - id: "333333333333"\n    vpcIds: [vpc-0123abcd4567ef890]\n    retired: true\n',
);
const WITHOUT_333 = edit(ACCOUNTS_YAML, '  - id: "333333333333"\n    vpcIds: [vpc-0123abcd4567ef890]\n', '');
const SCOPE = '111111111111-ap-northeast-1';

/** A local state file of `stack` holding these resources. */
function writeState(stateDir: string, stack: string, resources: unknown[], scope = SCOPE): void {
  mkdirSync(join(stateDir, scope), { recursive: true });
  writeFileSync(join(stateDir, scope, `${stack}.tfstate`), JSON.stringify({ version: 4, resources }));
}

const associations = (keys: string[]) => ({
  mode: 'managed',
  type: 'aws_route53_zone_association',
  name: 'hub',
  instances: keys.map((index_key) => ({ index_key, attributes: {} })),
});

function locationFor(
  hubYaml: string,
  accountsYaml: string,
  stateDir: string,
): { config: ReturnType<typeof configFrom>; location: StateLocation } {
  const config = configFrom(hubYaml, accountsYaml);
  return { config, location: stateLocation(config, { outdir: join(stateDir, '..', 'cdktf.out'), stateDir }) };
}

describe('a retired account', () => {
  const { hub, spokes } = synthAll(configFrom(HUB_YAML, RETIRED));
  const spoke = spokes.get('333333333333')!.json;

  test('its spoke stack keeps its provider and state, and no resource: deploying it removes the associations', () => {
    expect(spoke.resource).toBeUndefined();
    expect(spoke.data).toBeUndefined();
    expect(spoke.provider.aws[0].allowed_account_ids).toEqual(['333333333333']);
    expect(spoke.terraform.backend.local.path).toBe(`../../../state/${SCOPE}/spoke-333333333333.tfstate`);
    expect(spoke.output.account.value).toEqual({ id: '333333333333', retired: true });
  });

  test('the hub keeps its registry record and authorizations until the entry is deleted', () => {
    expect(hub.json.resource.aws_route53_record.ecr_dkr_registry_33.for_each).toBe('${toset(["333333333333"])}');
    expect(
      Object.keys(hub.json.resource.aws_route53_vpc_association_authorization.spoke_333333333333.for_each),
    ).toHaveLength(4);
    // Retiring changes nothing in the hub.
    expect(hub.text).toBe(synthAll(configFrom()).hub.text);
  });

  test('the doctor lists it on its own and does not count it as a failure', () => {
    const report = runDoctor({ outdir: synthToFolder(configFrom(HUB_YAML, RETIRED)), profile: 'fargate' });
    expect(report.ok).toBe(true);
    expect(report.retired).toEqual([{ stack: 'spoke-333333333333', account: '333333333333', resources: 0 }]);
    expect(report.vpcs.map((v) => v.account)).not.toContain('333333333333');
  });
});

describe('a retired service', () => {
  test('the hub keeps it and says so; the spokes drop their associations with it', () => {
    const { hub, spokes } = synthAll(
      configFrom(
        edit(
          HUB_YAML,
          'services: [ecr.api, ecr.dkr, s3, logs]',
          'services: [ecr.api, ecr.dkr, s3]\nretiredServices: [logs]',
        ),
      ),
    );
    expect(hub.json.resource.aws_route53_zone.logs).toBeDefined();
    expect(hub.json.output.retired_services.value).toEqual(['logs']);
    const keys = Object.keys(spokes.get('123456789012')!.json.resource.aws_route53_zone_association.hub.for_each);
    expect(keys).toEqual([
      'vpc-0123456789abcdef0/ecr.api',
      'vpc-0123456789abcdef0/ecr.dkr',
      'vpc-0123456789abcdef0/s3',
    ]);
  });
});

describe('retiring the last services', () => {
  const LAST = edit(
    HUB_YAML,
    'services: [ecr.api, ecr.dkr, s3, logs]',
    'services: []\nretiredServices: [ecr.api, ecr.dkr, s3, logs]',
  );
  const ALL = ['ecr_api', 'ecr_dkr', 'logs', 's3'];

  test('synthesizes: the hub keeps every endpoint and zone, the spokes drop every association', () => {
    const { hub, spokes } = synthAll(configFrom(LAST));
    expect(Object.keys(hub.json.resource.aws_vpc_endpoint).sort()).toEqual(ALL);
    expect(Object.keys(hub.json.resource.aws_route53_zone).sort()).toEqual(ALL);
    expect(hub.json.output.retired_services.value).toEqual(['ecr.api', 'ecr.dkr', 'logs', 's3']);
    // The hub keeps its authorizations until the services leave retiredServices.
    expect(
      Object.keys(hub.json.resource.aws_route53_vpc_association_authorization.spoke_123456789012.for_each),
    ).toHaveLength(4);
    for (const spoke of spokes.values()) expect(spoke.json.resource?.aws_route53_zone_association).toBeUndefined();
  });

  test('in profile mode, the Profile holds nothing while the hub keeps the zones', () => {
    const { hub, spokes } = synthAll(configFrom(`${LAST}sharing:\n  mode: profile\n`));
    expect(Object.keys(hub.json.resource.aws_route53_zone).sort()).toEqual(ALL);
    expect(hub.json.resource.aws_route53profiles_resource_association).toBeUndefined();
    expect(spokes.get('123456789012')!.json.resource.aws_route53profiles_association).toBeDefined();
  });

  test('a full synth writes every stack, and the local guard lets the retire step through', () => {
    expect(readdirSync(join(synthToFolder(configFrom(LAST)), 'stacks')).sort()).toEqual([
      'hub',
      'spoke-012345678901',
      'spoke-123456789012',
      'spoke-333333333333',
    ]);
    const stateDir = tempDir('state');
    writeState(stateDir, 'spoke-123456789012', [associations(['vpc-0123456789abcdef0/logs'])]);
    const { config, location } = locationFor(LAST, ACCOUNTS_YAML, stateDir);
    expect(unsafeRemovals(config, location)).toEqual([]);
  });
});

describe('the local guard', () => {
  test('refuses to drop an account whose spoke state still holds resources, naming it and the fix', () => {
    const stateDir = tempDir('state');
    writeState(stateDir, 'spoke-333333333333', [associations(['vpc-0123abcd4567ef890/logs'])]);
    const { config, location } = locationFor(HUB_YAML, WITHOUT_333, stateDir);
    const reasons = unsafeRemovals(config, location);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(
      /^spoke-333333333333 \(.*spoke-333333333333.tfstate\): account 333333333333 is deleted .* without being retired first, .* holds 1 resource instance/,
    );
    expect(reasons[0]).toContain('retired: true, deploy spoke-333333333333 (npx cdktf deploy spoke-333333333333)');
  });

  test('lets it go once the retired spoke was deployed (its state is empty)', () => {
    const stateDir = tempDir('state');
    writeState(stateDir, 'spoke-333333333333', []);
    writeState(stateDir, 'spoke-123456789012', [associations(['vpc-0123456789abcdef0/logs'])]);
    const { config, location } = locationFor(HUB_YAML, WITHOUT_333, stateDir);
    expect(unsafeRemovals(config, location)).toEqual([]);
  });

  test('refuses to drop a service a spoke state still associates with; a retired one may wait', () => {
    const stateDir = tempDir('state');
    writeState(stateDir, 'spoke-123456789012', [
      associations(['vpc-0123456789abcdef0/logs', 'vpc-0123456789abcdef0/s3']),
    ]);
    const dropped = locationFor(
      edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3]'),
      ACCOUNTS_YAML,
      stateDir,
    );
    const reasons = unsafeRemovals(dropped.config, dropped.location);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(
      /^spoke-123456789012 \(.*\): service logs leaves the hub \(zone logs\.ap-northeast-1\.amazonaws\.com\), but .* VPCs of account 123456789012/,
    );
    const retired = locationFor(
      edit(
        HUB_YAML,
        'services: [ecr.api, ecr.dkr, s3, logs]',
        'services: [ecr.api, ecr.dkr, s3]\nretiredServices: [logs]',
      ),
      ACCOUNTS_YAML,
      stateDir,
    );
    expect(unsafeRemovals(retired.config, retired.location)).toEqual([]);
  });

  test('finds state at the first release\'s location, unless state.scope is ""', () => {
    const stateDir = tempDir('state');
    writeState(stateDir, 'hub', [associations(['x'])], '');
    const scoped = locationFor(HUB_YAML, ACCOUNTS_YAML, stateDir);
    const reasons = unsafeRemovals(scoped.config, scoped.location);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(`is state at the first release's location; this configuration keeps its state in`);
    expect(reasons[0]).toContain('set state.scope: "" in hub.yaml');
    const legacy = locationFor(
      edit(HUB_YAML, 'state:\n  backend: local\n', 'state:\n  backend: local\n  scope: ""\n'),
      ACCOUNTS_YAML,
      stateDir,
    );
    expect(unsafeRemovals(legacy.config, legacy.location)).toEqual([]);
  });

  test('does nothing for remote backends', () => {
    const stateDir = tempDir('state');
    writeState(stateDir, 'spoke-333333333333', [associations(['vpc-0123abcd4567ef890/logs'])]);
    const { config, location } = locationFor(
      edit(HUB_YAML, 'state:\n  backend: local\n', 'state:\n  backend: s3\n  bucket: b-1\n  region: eu-west-1\n'),
      WITHOUT_333,
      stateDir,
    );
    expect(unsafeRemovals(config, location)).toEqual([]);
  });
});

describe('validation', () => {
  test('a service in both services and retiredServices is one problem, at the second', () => {
    const problems = problemsOf(
      edit(
        HUB_YAML,
        'services: [ecr.api, ecr.dkr, s3, logs]',
        'services: [ecr.api, ecr.dkr, s3, logs]\nretiredServices: [logs]',
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'retiredServices[0]', line: 9 });
    expect(problems[0].message).toContain('either in services or, on its way out, in retiredServices');
  });

  test('retired and protect take booleans only', () => {
    expect(problemsOf(`${HUB_YAML}protect: no\n`)[0].message).toContain('protect is true or false');
    expect(
      problemsOf(
        HUB_YAML,
        edit(
          ACCOUNTS_YAML,
          '    vpcIds: [vpc-0123abcd4567ef890]\n',
          '    vpcIds: [vpc-0123abcd4567ef890]\n    retired: yes\n',
        ),
      )[0].message,
    ).toContain('retired is true or false');
  });
});

describe('one table of unsafe changes for both guards', () => {
  test('the synth guard (a state file) and affected (a synth output) refuse the same deletion with the same advice', () => {
    const stateDir = tempDir('state');
    // The spoke as synthesized before the deletion stands in for its deployed state.
    const before = synthAll(configFrom(HUB_YAML, ACCOUNTS_YAML));
    const spoke = before.spokes.get('333333333333')!.json;
    writeState(stateDir, 'spoke-333333333333', [associations(['vpc-0123abcd4567ef890/logs'])]);
    const { config, location } = locationFor(HUB_YAML, WITHOUT_333, stateDir);
    const [fromState] = unsafeRemovals(config, location);
    const after = synthAll(config);
    const [fromSynth] = unsafeChangesBetween(
      new Map([
        ['hub', before.hub.json],
        ['spoke-333333333333', spoke],
      ]),
      new Map([['hub', after.hub.json]]),
    );
    const advice = (reason: string) => reason.slice(reason.indexOf('Instead'));
    expect(advice(fromState)).toBe(advice(fromSynth));
    expect(advice(fromState)).toBe(`Instead ${retireSteps('333333333333')}`);
  });
});
