/**
 * sharing.mode: profile: one Route 53 Profile with every zone, shared through RAM; one Profile
 * association per spoke VPC; no authorization or zone association anywhere.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countResourceInstances, forEachKeys } from '../lib/state/stack-holdings';

const instances = (json: Record<string, unknown>) => countResourceInstances(json).instances;
const keysOf = (forEach: unknown) => forEachKeys(forEach) ?? [];
import { stateLocation } from '../lib/state/backends';
import { unsafeRemovals } from '../lib/state/removal-guard';
import { unsafeChangesBetween as unsafeChanges } from '../lib/commands/affected';
import {
  ACCOUNTS_YAML,
  configFrom,
  edit,
  HUB_YAML,
  type ParsedJson,
  problemsOf,
  synthAll,
  withSharing,
} from './helpers/config';
import { tempDir } from './helpers/temp';

const ORG = 'arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5';
const OU = 'arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56';
const HUB_OUTPUTS = 'data.terraform_remote_state.hub.outputs';

const PROFILE = withSharing('  mode: profile\n');
const ORG_PROFILE = withSharing(`  mode: profile\n  principals: ["${ORG}"]\n`);

/** `n` accounts with one VPC each, IDs 1000000000NN. */
function accountsYaml(n: number, vpcsEach = 1): string {
  const lines = ['accounts:'];
  for (let i = 0; i < n; i++) {
    const id = String(100000000000 + i);
    const vpcs = Array.from({ length: vpcsEach }, (_, j) => `vpc-${(i * vpcsEach + j).toString(16).padStart(17, '0')}`);
    lines.push(`  - id: "${id}"`, `    vpcIds: [${vpcs.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('profile mode, shared with each account (the default)', () => {
  const { hub, spokes } = synthAll(configFrom(PROFILE));
  const r = hub.json.resource;

  test('the hub holds one Profile with a resource association per active service zone', () => {
    expect(r.aws_route53profiles_profile.hub).toMatchObject({ name: 'vpce-hub-ap-northeast-1' });
    expect(Object.keys(r.aws_route53profiles_resource_association).sort()).toEqual([
      'ecr_api',
      'ecr_dkr',
      'logs',
      's3',
    ]);
    expect(r.aws_route53profiles_resource_association.ecr_dkr).toMatchObject({
      name: 'vpce-hub-ecr-dkr',
      profile_id: '${aws_route53profiles_profile.hub.id}',
      resource_arn: '${aws_route53_zone.ecr_dkr.arn}',
    });
  });

  test('RAM shares the Profile with each account, one principal association per account in shards keyed by ID', () => {
    expect(r.aws_ram_resource_share.profile).toMatchObject({
      name: 'vpce-hub-ap-northeast-1',
      allow_external_principals: true,
    });
    expect(r.aws_ram_resource_association.profile).toMatchObject({
      resource_share_arn: '${aws_ram_resource_share.profile.arn}',
      resource_arn: '${aws_route53profiles_profile.hub.arn}',
    });
    expect(Object.keys(r.aws_ram_principal_association).sort()).toEqual(['account_01', 'account_12', 'account_33']);
    expect(keysOf(r.aws_ram_principal_association.account_01.for_each)).toEqual(['012345678901']);
    expect(r.aws_ram_principal_association.account_01).toMatchObject({
      principal: '${each.key}',
      resource_share_arn: '${aws_ram_resource_share.profile.arn}',
    });
  });

  test('no authorization and no zone association anywhere', () => {
    expect(r.aws_route53_vpc_association_authorization).toBeUndefined();
    for (const spoke of spokes.values()) expect(spoke.json.resource.aws_route53_zone_association).toBeUndefined();
  });

  test('the hub outputs the Profile ID and ARN and the share ARN', () => {
    expect(hub.json.output.profile_id.value).toBe('${aws_route53profiles_profile.hub.id}');
    expect(hub.json.output.profile_arn.value).toBe('${aws_route53profiles_profile.hub.arn}');
    expect(hub.json.output.profile_share_arn.value).toBe('${aws_ram_resource_share.profile.arn}');
  });

  test('a spoke accepts the invitation, then associates each VPC with the Profile read from the hub state', () => {
    const spoke = spokes.get('012345678901')!.json.resource;
    expect(spoke.aws_ram_resource_share_accepter.hub).toEqual({ share_arn: `\${${HUB_OUTPUTS}.profile_share_arn}` });
    const association = spoke.aws_route53profiles_association.hub;
    expect(keysOf(association.for_each).sort()).toEqual(['vpc-0aaaabbbbccccdddd', 'vpc-0fedcba9876543210']);
    expect(association).toMatchObject({
      name: 'vpce-hub-${each.key}',
      profile_id: `\${${HUB_OUTPUTS}.profile_id}`,
      resource_id: '${each.key}',
      depends_on: ['aws_ram_resource_share_accepter.hub'],
    });
  });
});

describe('profile mode, shared with the organization', () => {
  const { hub, spokes } = synthAll(configFrom(ORG_PROFILE));
  const r = hub.json.resource;

  test('one principal association for the organization, none per account; no invitation to accept', () => {
    expect(Object.keys(r.aws_ram_principal_association)).toEqual(['organization']);
    expect(keysOf(r.aws_ram_principal_association.organization.for_each)).toEqual([ORG]);
    expect(r.aws_ram_resource_share.profile.allow_external_principals).toBe(false);
    for (const spoke of spokes.values()) {
      expect(spoke.json.resource.aws_ram_resource_share_accepter).toBeUndefined();
      expect(spoke.json.resource.aws_route53profiles_association.hub.depends_on).toBeUndefined();
    }
  });

  test('an OU and an account beside it: the account alone gets a principal association and accepts', () => {
    const mixed = synthAll(configFrom(withSharing(`  mode: profile\n  principals: ["${OU}", "333333333333"]\n`)));
    expect(Object.keys(mixed.hub.json.resource.aws_ram_principal_association).sort()).toEqual([
      'account_33',
      'organization',
    ]);
    expect(mixed.spokes.get('333333333333')!.json.resource.aws_ram_resource_share_accepter).toBeDefined();
    expect(mixed.spokes.get('123456789012')!.json.resource.aws_ram_resource_share_accepter).toBeUndefined();
  });

  test('acceptInvitations: false keeps account principals but no accepter, and no external principals', () => {
    const inOrg = synthAll(configFrom(withSharing('  mode: profile\n  acceptInvitations: false\n')));
    expect(inOrg.hub.json.resource.aws_ram_resource_share.profile.allow_external_principals).toBe(false);
    expect(Object.keys(inOrg.hub.json.resource.aws_ram_principal_association)).toHaveLength(3);
    for (const spoke of inOrg.spokes.values()) {
      expect(spoke.json.resource.aws_ram_resource_share_accepter).toBeUndefined();
    }
  });
});

describe('what an added account costs the hub', () => {
  const hubInstances = (hub: string, n: number) => instances(synthAll(configFrom(hub, accountsYaml(n))).hub.json);

  test.each([
    ['an organization principal: its registry record only', ORG_PROFILE, 1],
    ['account principals: its registry record and its principal association', PROFILE, 2],
    ['associations mode: its registry record and an authorization per service', HUB_YAML, 5],
  ])('%s', (_name, hub, perAccount) => {
    expect(hubInstances(hub, 11) - hubInstances(hub, 10)).toBe(perAccount);
  });

  test("adding an account changes no other account's principal association", () => {
    const before = synthAll(configFrom(PROFILE, accountsYaml(10))).hub.json.resource.aws_ram_principal_association;
    const after = synthAll(configFrom(PROFILE, accountsYaml(11))).hub.json.resource.aws_ram_principal_association;
    for (const [name, block] of Object.entries(before)) {
      if (name === 'account_10') continue;
      expect({ name, block: after[name] }).toEqual({ name, block });
    }
    expect(keysOf(after.account_10.for_each)).toEqual(['100000000010']);
  });
});

describe('switching modes: sharing.transition keeps both', () => {
  test('the hub has authorizations and the Profile; each spoke has zone associations and a Profile association', () => {
    const { hub, spokes } = synthAll(configFrom(withSharing('  mode: profile\n  transition: both\n')));
    expect(hub.json.resource.aws_route53_vpc_association_authorization).toBeDefined();
    expect(hub.json.resource.aws_route53profiles_profile).toBeDefined();
    const spoke = spokes.get('123456789012')!.json.resource;
    expect(Object.keys(spoke.aws_route53_zone_association.hub.for_each)).toContain('vpc-0123456789abcdef0/ecr.dkr');
    expect(keysOf(spoke.aws_route53profiles_association.hub.for_each)).toEqual(['vpc-0123456789abcdef0']);
  });

  test('transition: hub keeps the Profile in the hub while the spokes leave it (the step before off, leaving the Profile)', () => {
    const { hub, spokes } = synthAll(configFrom(withSharing('  mode: associations\n  transition: hub\n')));
    expect(hub.json.resource.aws_route53profiles_profile).toBeDefined();
    expect(hub.json.resource.aws_route53_vpc_association_authorization).toBeDefined();
    const spoke = spokes.get('123456789012')!.json.resource;
    expect(spoke.aws_route53profiles_association).toBeUndefined();
    expect(spoke.aws_ram_resource_share_accepter).toBeUndefined();
    expect(spoke.aws_route53_zone_association).toBeDefined();
  });

  test('sharing.transition is off, both or hub', () => {
    expect(problemsOf(withSharing('  mode: profile\n  transition: true\n'))).toEqual([
      expect.objectContaining({ message: 'sharing.transition must be off, both or hub.' }),
    ]);
  });

  test('back to associations with transition: the same resources', () => {
    const { hub, spokes } = synthAll(configFrom(withSharing('  mode: associations\n  transition: both\n')));
    expect(hub.json.resource.aws_route53_vpc_association_authorization).toBeDefined();
    expect(hub.json.resource.aws_route53profiles_profile).toBeDefined();
    expect(spokes.get('123456789012')!.json.resource.aws_route53profiles_association).toBeDefined();
  });
});

test('a retired service leaves the Profile at once; its zone stays until it leaves retiredServices', () => {
  const hub = edit(
    PROFILE,
    'services: [ecr.api, ecr.dkr, s3, logs]',
    'services: [ecr.api, ecr.dkr, s3]\nretiredServices: [logs]',
  );
  const r = synthAll(configFrom(hub)).hub.json.resource;
  expect(Object.keys(r.aws_route53profiles_resource_association)).not.toContain('logs');
  expect(r.aws_route53_zone.logs).toBeDefined();
});

describe('profile mode: bad input', () => {
  const messages = (hub: string, accounts = ACCOUNTS_YAML) =>
    problemsOf(hub, accounts).map((p) => `${p.file}:${p.line} ${p.message}`);

  test('principals and acceptInvitations need the Profile', () => {
    const problems = messages(withSharing(`  principals: ["${ORG}"]\n  acceptInvitations: true\n`));
    expect(problems).toEqual([
      expect.stringMatching(
        /hub\.yaml:\d+ sharing\.principals applies to the Route 53 Profile, which sharing\.mode: associations does not have/,
      ),
      expect.stringMatching(/sharing\.acceptInvitations applies to the Route 53 Profile/),
    ]);
  });

  test('a principal that is neither an account, an organization nor an OU; one listed twice', () => {
    const problems = problemsOf(withSharing(`  mode: profile\n  principals: ["o-a1b2c3d4e5", "${ORG}", "${ORG}"]\n`));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: '"o-a1b2c3d4e5"', message: expect.stringContaining('not a principal') }),
        expect.objectContaining({ message: expect.stringMatching(/is listed twice \(first at line \d+\)/) }),
      ]),
    );
  });

  test('an account of accounts.yaml missing from account-only principals', () => {
    const problems = problemsOf(withSharing('  mode: profile\n  principals: ["123456789012", "012345678901"]\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: 'config/accounts.yaml',
      message: expect.stringContaining('account 333333333333 is not among sharing.principals'),
    });
  });

  test('acceptInvitations with organization principals only', () => {
    expect(messages(withSharing(`  mode: profile\n  principals: ["${ORG}"]\n  acceptInvitations: true\n`))).toEqual([
      expect.stringContaining('RAM sends invitations to account principals only'),
    ]);
  });

  test("an organization other than the endpoint policy's", () => {
    const hub = withSharing(
      `  mode: profile\n  principals: ["${ORG}"]\n`,
      `${HUB_YAML}endpointPolicy:\n  organizationId: o-zzzzzzzzzz\n`,
    );
    expect(messages(hub)).toEqual([
      expect.stringContaining(
        'this principal is in organization o-a1b2c3d4e5, but endpointPolicy.organizationId is o-zzzzzzzzzz',
      ),
    ]);
  });

  test("a VPC with its own S3 gateway cannot leave the Profile's s3 zone out", () => {
    const accounts = edit(
      ACCOUNTS_YAML,
      '    vpcIds: [vpc-0123abcd4567ef890]\n',
      '    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n',
    );
    expect(messages(PROFILE, accounts)).toEqual([
      expect.stringContaining('vpc-0123abcd4567ef890 has its own S3 gateway endpoint, but in sharing.mode: profile'),
    ]);
    // Without s3 in the hub, nothing to bypass.
    expect(() =>
      configFrom(
        edit(PROFILE, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, logs]'),
        accounts,
      ),
    ).not.toThrow();
  });

  test('quotas: 300 VPCs per zone applies to associations only; 1000 VPCs per Profile, raisable', () => {
    const many = accountsYaml(350);
    expect(messages(HUB_YAML, many)).toEqual([
      expect.stringContaining('351 VPCs (the hub VPC and 350 spoke VPCs) would be associated with each zone'),
    ]);
    expect(() => configFrom(PROFILE, many)).not.toThrow();
    expect(messages(withSharing('  mode: profile\n  transition: both\n'), many)).toEqual([
      expect.stringContaining('over the quota of 300 VPC associations per private hosted zone'),
    ]);
    const tooMany = accountsYaml(501, 2);
    expect(messages(PROFILE, tooMany)).toEqual([
      expect.stringContaining('1002 spoke VPCs would be associated with the Route 53 Profile, over the quota of 1000'),
    ]);
    expect(() => configFrom(`${PROFILE}limits:\n  vpcAssociationsPerProfile: 5000\n`, tooMany)).not.toThrow();
  });
});

describe('switching in one step is refused', () => {
  const stacks = (hubYaml: string) => {
    const { hub, spokes } = synthAll(configFrom(hubYaml));
    return new Map<string, ParsedJson>([
      ['hub', hub.json],
      ...[...spokes].map(([id, s]): [string, ParsedJson] => [`spoke-${id}`, s.json]),
    ]);
  };
  const ASSOCIATIONS = stacks(HUB_YAML);
  const BOTH = stacks(withSharing('  mode: profile\n  transition: both\n'));
  const PROFILE_ONLY = stacks(PROFILE);
  const BACK_BOTH = stacks(withSharing('  mode: associations\n  transition: both\n'));
  const BACK_HUB = stacks(withSharing('  mode: associations\n  transition: hub\n'));

  test('affected (remote state): one step either way is unsafe; the documented steps are not', () => {
    const forward = unsafeChanges(ASSOCIATIONS, PROFILE_ONLY);
    expect(forward).toHaveLength(3);
    expect(forward[0]).toMatch(/^spoke-\d{12}: switches from zone associations to the Route 53 Profile in one apply/);
    const back = unsafeChanges(PROFILE_ONLY, ASSOCIATIONS);
    expect(back.filter((r) => r.includes('switches from the Route 53 Profile to zone associations'))).toHaveLength(3);
    expect(back).toContainEqual(
      expect.stringMatching(
        /^hub: the hub would delete its Route 53 Profile, but spoke-\d{12} \(and 2 more spoke stacks\) still associates VPCs with it/,
      ),
    );
    // associations -> both -> profile; profile -> both -> hub -> associations.
    for (const [from, to] of [
      [ASSOCIATIONS, BOTH],
      [BOTH, PROFILE_ONLY],
      [PROFILE_ONLY, BACK_BOTH],
      [BACK_BOTH, BACK_HUB],
      [BACK_HUB, ASSOCIATIONS],
    ]) {
      expect(unsafeChanges(from, to)).toEqual([]);
    }
    // Skipping the hub step: the hub would delete the Profile under the spokes.
    expect(unsafeChanges(BACK_BOTH, ASSOCIATIONS)).toEqual([
      expect.stringContaining('the hub would delete its Route 53 Profile'),
    ]);
  });

  test('the local guard reads the spoke states', () => {
    const stateDir = tempDir('state');
    const scope = '111111111111-ap-northeast-1';
    mkdirSync(join(stateDir, scope), { recursive: true });
    const state = (type: string, keys: string[]) =>
      writeFileSync(
        join(stateDir, scope, 'spoke-123456789012.tfstate'),
        JSON.stringify({
          version: 4,
          resources: [{ mode: 'managed', type, name: 'hub', instances: keys.map((index_key) => ({ index_key })) }],
        }),
      );
    const reasons = (hubYaml: string) => {
      const config = configFrom(hubYaml);
      return unsafeRemovals(config, stateLocation(config, { outdir: join(stateDir, '..', 'out'), stateDir }));
    };
    state('aws_route53_zone_association', ['vpc-0123456789abcdef0/logs']);
    expect(reasons(PROFILE)).toEqual([
      expect.stringContaining('switches from zone associations to the Route 53 Profile in one apply'),
    ]);
    expect(reasons(withSharing('  mode: profile\n  transition: both\n'))).toEqual([]);
    state('aws_route53profiles_association', ['vpc-0123456789abcdef0']);
    expect(reasons(HUB_YAML)).toEqual([
      expect.stringContaining('switches from the Route 53 Profile to zone associations in one apply'),
      expect.stringContaining('the hub would delete its Route 53 Profile, but spoke-123456789012 ('),
    ]);
    expect(reasons(withSharing('  mode: associations\n  transition: both\n'))).toEqual([]);
  });
});
