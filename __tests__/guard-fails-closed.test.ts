/**
 * The guards fail closed: a state file the local guard cannot read, state left at a location the
 * configuration no longer names (the scope, region or account changed), and the hub moving to
 * another region or account are refused with the fix, by the synth guard and by `npm run affected`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareStacks } from '../lib/commands/affected';
import { stateLocation, type StateLocation } from '../lib/state/backends';
import { unsafeRemovals } from '../lib/state/removal-guard';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, type ParsedJson, synthAll } from './helpers/config';
import { tempDir } from './helpers/temp';

const SCOPE = '111111111111-ap-northeast-1';
const WITHOUT_333 = edit(ACCOUNTS_YAML, '  - id: "333333333333"\n    vpcIds: [vpc-0123abcd4567ef890]\n', '');

/** A project folder with `state/` and `cdktf.out/`, and the guard's view of one configuration in it. */
function guard(project: string, hubYaml = HUB_YAML, accountsYaml = ACCOUNTS_YAML): string[] {
  const config = configFrom(hubYaml, accountsYaml);
  const location: StateLocation = stateLocation(config, {
    outdir: join(project, 'cdktf.out'),
    stateDir: join(project, 'state'),
  });
  return unsafeRemovals(config, location);
}

function writeFile(project: string, path: string, text: string | Buffer): void {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
}

/** A hub state with one endpoint in the hub VPC (its ARN names region and account). */
function hubState(region = 'ap-northeast-1', account = '111111111111', vpc = 'vpc-0a1b2c3d4e5f60718'): string {
  return JSON.stringify({
    version: 4,
    resources: [
      {
        mode: 'managed',
        type: 'aws_vpc_endpoint',
        name: 'ecr_api',
        instances: [{ attributes: { arn: `arn:aws:ec2:${region}:${account}:vpc-endpoint/vpce-1`, vpc_id: vpc } }],
      },
    ],
  });
}

const spokeState = JSON.stringify({
  version: 4,
  resources: [
    {
      mode: 'managed',
      type: 'aws_route53_zone_association',
      name: 'hub',
      instances: [{ index_key: 'vpc-0123abcd4567ef890/logs', attributes: {} }],
    },
  ],
});

describe('a state file the guard cannot read', () => {
  test.each([
    [
      'a UTF-8 byte-order mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(spokeState)]),
      'starts with a UTF-8 byte-order mark',
    ],
    ['a truncated file', spokeState.slice(0, 40), 'is not valid JSON'],
    ['JSON that is not a state', '{"resources": 3}', 'is not a Terraform state'],
  ])('%s: refused, naming the file and how to restore it', (_, text, why) => {
    const project = tempDir('vpce-guard');
    writeFile(project, `state/${SCOPE}/spoke-333333333333.tfstate`, text);
    const reasons = guard(project, HUB_YAML, WITHOUT_333);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(`spoke-333333333333.tfstate ${why}`);
    expect(reasons[0]).toContain('spoke-333333333333.tfstate.backup');
  });

  test('an empty file is no state yet, as Terraform reads it', () => {
    const project = tempDir('vpce-guard');
    writeFile(project, `state/${SCOPE}/spoke-333333333333.tfstate`, '');
    expect(guard(project, HUB_YAML, WITHOUT_333)).toEqual([]);
  });
});

describe('state left at another location', () => {
  test('state.scope changed: the last synth kept the state elsewhere; refused until it is moved', () => {
    const project = tempDir('vpce-guard');
    writeFile(project, 'state/old-scope/hub.tfstate', hubState());
    writeFile(project, 'state/old-scope/spoke-333333333333.tfstate', spokeState);
    writeFile(
      project,
      'cdktf.out/stacks/hub/cdk.tf.json',
      JSON.stringify({ terraform: { backend: { local: { path: '../../../state/old-scope/hub.tfstate' } } } }),
    );
    const moved = edit(HUB_YAML, 'state:\n  backend: local\n', 'state:\n  backend: local\n  scope: new-scope\n');
    // The same change also deletes an account that was not retired: that is said too, from the old state.
    const reasons = guard(project, moved, WITHOUT_333);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(
      /^the state moved: this hub's state is in .*state\/old-scope\/, .* keeps it in .*state\/new-scope\//,
    );
    expect(reasons[0]).toContain('mv ');
    expect(reasons[1]).toMatch(/^spoke-333333333333 .*without being retired first/);
    // Once moved, the guard reads the new location and passes.
    writeFile(project, 'state/new-scope/hub.tfstate', hubState());
    expect(guard(project, moved)).toEqual([]);
  });

  test('another scope folder holds this hub (its VPC) and the configured one holds nothing: refused', () => {
    const project = tempDir('vpce-guard');
    writeFile(project, 'state/elsewhere/hub.tfstate', hubState());
    expect(guard(project)[0]).toMatch(/^the state moved: this hub's state is in .*state\/elsewhere\//);
    // Another hub's state (another VPC) in the same state folder is not this hub's.
    const other = tempDir('vpce-guard');
    writeFile(
      other,
      'state/other-hub/hub.tfstate',
      hubState('ap-northeast-1', '999999999999', 'vpc-0999999999999999a'),
    );
    expect(guard(other)).toEqual([]);
  });

  test('hub.region changed (the scope follows it): refused as a new hub, with the steps', () => {
    const project = tempDir('vpce-guard');
    writeFile(project, `state/${SCOPE}/hub.tfstate`, hubState());
    const reasons = guard(project, edit(HUB_YAML, 'region: ap-northeast-1', 'region: eu-west-1'));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^hub: hub.region from ap-northeast-1 to eu-west-1 makes a new hub/);
    expect(reasons[0]).toContain('its own configuration folder (VPCE_CONFIG_DIR)');
  });

  test('hub.accountId changed under a fixed state.scope: refused as a new hub', () => {
    const project = tempDir('vpce-guard');
    writeFile(project, 'state/fixed/hub.tfstate', hubState());
    const hub = edit(
      edit(HUB_YAML, 'state:\n  backend: local\n', 'state:\n  backend: local\n  scope: fixed\n'),
      /111111111111/g,
      '444444444444',
    );
    expect(guard(project, hub)).toEqual([
      expect.stringMatching(/^hub: hub.accountId from 111111111111 to 444444444444/),
    ]);
  });
});

describe('npm run affected', () => {
  const jsons = (hubYaml: string): Map<string, ParsedJson> => {
    const { hub, spokes } = synthAll(configFrom(hubYaml));
    return new Map<string, ParsedJson>([
      ['hub', hub.json],
      ...[...spokes].map(([id, v]) => [`spoke-${id}`, v.json] as const),
    ]);
  };
  const base = jsons(HUB_YAML);

  test('the hub moving to another region is unsafe (exit 1), with the steps', () => {
    const result = compareStacks(base, jsons(edit(HUB_YAML, /ap-northeast-1/g, 'eu-west-1')));
    expect(result.unsafe[0]).toMatch(/^hub: hub.region from ap-northeast-1 to eu-west-1 makes a new hub/);
  });

  test('a state scope change is announced: migrate before it merges', () => {
    const result = compareStacks(
      base,
      jsons(edit(HUB_YAML, 'state:\n  backend: local\n', 'state:\n  backend: local\n  scope: team-a\n')),
    );
    expect(result.unsafe).toEqual([]);
    expect(result.notices).toEqual([
      expect.stringMatching(/^the state of hub and 3 more stacks moves to a new location .*migrate each stack's state/),
    ]);
  });
});
