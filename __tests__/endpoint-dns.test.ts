/**
 * `sharing: { mode: profile, dns: endpoints }`: the Route 53 Profile holds the hub's endpoints
 * themselves, private DNS on; the hub holds nothing per account.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from '../lib/framework/cdktf';
import { compareStacks } from '../lib/commands/affected';
import { stateLocation } from '../lib/state/backends';
import { dnsSwitchNotices, unsafeRemovals } from '../lib/state/removal-guard';
import { servesPrivateDns } from '../lib/config/sharing';
import { privateDnsNames, SERVICE_NAMES, serviceEntry } from '../lib/services/catalog';
import { HubStack } from '../lib/stacks/hub-stack';
import { holdingsFromSynth } from '../lib/state/stack-holdings';
import { intendedFromConfig, unsafeChanges } from '../lib/state/unsafe-changes';
import { configFrom, edit, HUB_YAML, problemsOf, synthAll, testApp, withSharing } from './helpers/config';
import { tempDir } from './helpers/temp';

const ORG = 'arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5';
const ENDPOINTS = withSharing(`  mode: profile\n  dns: endpoints\n  principals: ["${ORG}"]\n`);

/** `n` accounts with one VPC each, IDs 1000000000NN. */
function accountsYaml(n: number): string {
  const lines = ['accounts:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: "${100000000000 + i}"`, `    vpcIds: [vpc-${(0x10000000 + i).toString(16)}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('the catalog: private DNS of each endpoint, with its source', () => {
  test('every service says what its endpoint answers with private DNS, and where AWS writes it down', () => {
    for (const service of SERVICE_NAMES) {
      const dns = serviceEntry(service).privateDns;
      expect({ service, hasPrivateDns: dns !== undefined }).toEqual({ service, hasPrivateDns: true });
      expect(dns!.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  test('ecr.dkr: the wildcard only (every registry account, not the apex); s3: apex and wildcard', () => {
    expect(privateDnsNames('ecr.dkr', 'ap-northeast-1')).toEqual(['*.dkr.ecr.ap-northeast-1.amazonaws.com']);
    expect(privateDnsNames('s3', 'eu-west-1')).toEqual(['s3.eu-west-1.amazonaws.com', '*.s3.eu-west-1.amazonaws.com']);
    expect(privateDnsNames('ecs-agent', 'eu-west-1')).toEqual(['ecs-a.eu-west-1.amazonaws.com']);
    expect(privateDnsNames('logs', 'eu-west-1')).toEqual(['logs.eu-west-1.amazonaws.com']);
  });
});

describe('the hub: endpoints with private DNS, held by the Profile', () => {
  const { hub, spokes } = synthAll(configFrom(ENDPOINTS));
  const resource = hub.json.resource;

  test('each endpoint has private DNS on; S3 answers every resolver, not only inbound ones', () => {
    for (const name of ['ecr_api', 'ecr_dkr', 's3', 'logs']) {
      expect({ name, privateDns: resource.aws_vpc_endpoint[name].private_dns_enabled }).toEqual({
        name,
        privateDns: true,
      });
    }
    expect(resource.aws_vpc_endpoint.s3.dns_options).toEqual({ private_dns_only_for_inbound_resolver_endpoint: false });
    expect(resource.aws_vpc_endpoint.logs.dns_options).toBeUndefined();
  });

  test('one Profile resource association per endpoint, by the endpoint ARN; no zone, no record', () => {
    const associations = resource.aws_route53profiles_resource_association;
    expect(Object.keys(associations).sort()).toEqual([
      'ecr_api_endpoint',
      'ecr_dkr_endpoint',
      'logs_endpoint',
      's3_endpoint',
    ]);
    expect(associations.ecr_dkr_endpoint).toEqual({
      name: 'vpce-hub-ecr-dkr-endpoint',
      profile_id: '${aws_route53profiles_profile.hub.id}',
      resource_arn: '${aws_vpc_endpoint.ecr_dkr.arn}',
    });
    expect(resource.aws_route53_zone).toBeUndefined();
    expect(resource.aws_route53_record).toBeUndefined();
    expect(resource.aws_route53_vpc_association_authorization).toBeUndefined();
    expect(hub.json.locals.zone_ids).toEqual({});
  });

  test('the spokes are as in the Profile of zones: one Profile association per VPC, nothing else', () => {
    const spoke = spokes.get('012345678901')!.json;
    expect(Object.keys(spoke.resource)).toEqual(['aws_route53profiles_association']);
    expect(spoke.resource.aws_route53profiles_association.hub.for_each).toBe(
      '${toset(["vpc-0fedcba9876543210", "vpc-0aaaabbbbccccdddd"])}',
    );
  });

  test('with an organization principal the hub is byte-identical at 10 and at 1000 accounts', () => {
    const hubText = (accounts: number) =>
      Testing.synth(new HubStack(testApp(), { config: configFrom(ENDPOINTS, accountsYaml(accounts)) }));
    const ten = hubText(10);
    expect(hubText(1000)).toBe(ten);
    expect(ten).not.toContain('100000000009');
  });
});

describe('moving services one at a time: sharing.zoneServices', () => {
  const mixed = synthAll(
    configFrom(withSharing(`  mode: profile\n  dns: endpoints\n  zoneServices: [logs]\n  principals: ["${ORG}"]\n`)),
  ).hub.json.resource;

  test('a zone service keeps its zone, records and zone association; the others hold their endpoints', () => {
    expect(mixed.aws_vpc_endpoint.logs.private_dns_enabled).toBe(false);
    expect(Object.keys(mixed.aws_route53_zone)).toEqual(['logs']);
    expect(Object.keys(mixed.aws_route53profiles_resource_association).sort()).toEqual([
      'ecr_api_endpoint',
      'ecr_dkr_endpoint',
      'logs',
      's3_endpoint',
    ]);
    expect(mixed.aws_route53profiles_resource_association.logs.resource_arn).toBe('${aws_route53_zone.logs.arn}');
  });

  test('every Profile-mode zone depends on its endpoint (Terraform then deletes it before turning private DNS on)', () => {
    expect(mixed.aws_route53_zone.logs.depends_on).toEqual(['aws_vpc_endpoint.logs']);
    const zones = synthAll(configFrom(withSharing('  mode: profile\n'))).hub.json.resource.aws_route53_zone;
    expect(zones.ecr_dkr.depends_on).toEqual(['aws_vpc_endpoint.ecr_dkr']);
    const associations = synthAll(configFrom(HUB_YAML)).hub.json.resource.aws_route53_zone;
    expect(associations.ecr_dkr.depends_on).toBeUndefined();
  });

  test('a zone joins the Profile after its records and leaves it before them (no moment of the zone without them)', () => {
    expect(mixed.aws_route53profiles_resource_association.logs.depends_on).toEqual(['aws_route53_record.logs_apex']);
    const profile = synthAll(configFrom(withSharing('  mode: profile\n'))).hub.json.resource;
    const dkr = profile.aws_route53profiles_resource_association.ecr_dkr.depends_on as string[];
    expect(dkr).toContain('aws_route53_record.ecr_dkr_apex');
    expect(dkr.filter((d) => d.startsWith('aws_route53_record.ecr_dkr_registry_')).length).toBeGreaterThan(1);
    expect(profile.aws_route53profiles_resource_association.s3.depends_on).toEqual([
      'aws_route53_record.s3_apex',
      'aws_route53_record.s3_wildcard',
    ]);
  });

  test('servesPrivateDns: only in profile mode with dns: endpoints, and not for zone services', () => {
    const config = configFrom(withSharing('  mode: profile\n  dns: endpoints\n  zoneServices: [logs]\n'));
    expect(servesPrivateDns(config.sharing, 'ecr.dkr')).toBe(true);
    expect(servesPrivateDns(config.sharing, 'logs')).toBe(false);
    expect(servesPrivateDns(configFrom(withSharing('  mode: profile\n')).sharing, 'ecr.dkr')).toBe(false);
  });
});

describe('validation: what to change', () => {
  const messages = (hub: string) => problemsOf(hub).map((p) => `${p.file}:${p.line} ${p.message}`);

  test('dns: endpoints needs the Profile, and no mode switch under way', () => {
    expect(messages(withSharing('  dns: endpoints\n'))).toEqual([
      expect.stringMatching(
        /hub\.yaml:\d+ sharing\.dns: endpoints puts the endpoints .* Switch to sharing\.mode: profile first/,
      ),
    ]);
    expect(messages(withSharing('  mode: profile\n  transition: both\n  dns: endpoints\n'))).toEqual([
      expect.stringContaining('sharing.dns: endpoints cannot be set while switching modes (transition: both)'),
    ]);
  });

  test('zoneServices: only with dns: endpoints, services of the hub, each once; every problem at once', () => {
    expect(messages(withSharing('  mode: profile\n  zoneServices: [logs]\n'))).toEqual([
      expect.stringContaining(
        'with sharing.dns: zones every service has its zone. Remove it, or set sharing.dns: endpoints.',
      ),
    ]);
    const problems = messages(withSharing('  mode: profile\n  dns: endpoints\n  zoneServices: [logs, sqs, logs]\n'));
    expect(problems).toEqual([
      expect.stringMatching(/hub\.yaml:\d+ "sqs" is not in services/),
      expect.stringMatching(/logs is listed twice in sharing\.zoneServices \(first at line \d+\)/),
    ]);
    expect(messages(withSharing('  mode: profile\n  dns: private\n'))).toEqual([
      expect.stringContaining('sharing.dns must be zones or endpoints.'),
    ]);
  });

  test('a VPC with its own S3 gateway cannot take the Profile with the s3 endpoint in it', () => {
    const accounts = [
      'accounts:',
      '  - id: "123456789012"',
      '    vpcIds: [vpc-0123456789abcdef0]',
      '    s3GatewayRouteTables:',
      '      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]',
      '',
    ].join('\n');
    const problems = problemsOf(ENDPOINTS, accounts).map((p) => p.message);
    expect(problems).toEqual([expect.stringContaining('has its own S3 gateway endpoint')]);
  });
});

describe('the guards', () => {
  const spokeHolding = (hub: string) => holdingsFromSynth(synthAll(configFrom(hub)).spokes.get('123456789012')!.json);

  test('from zone associations straight to the endpoints is a one-step mode switch: refused, with the steps', () => {
    const deployed = new Map([['spoke-123456789012', { holdings: spokeHolding(HUB_YAML) }]]);
    expect(unsafeChanges(deployed, intendedFromConfig(configFrom(ENDPOINTS)))).toEqual([
      expect.stringMatching(
        /^spoke-123456789012: switches from zone associations to the Route 53 Profile in one apply/,
      ),
    ]);
  });

  test('from the Profile of zones to the endpoints the spokes keep their Profile association: no refusal', () => {
    const deployed = new Map([['spoke-123456789012', { holdings: spokeHolding(withSharing('  mode: profile\n')) }]]);
    expect(unsafeChanges(deployed, intendedFromConfig(configFrom(ENDPOINTS)))).toEqual([]);
    // And back: dns: zones again, still a Profile.
    const back = new Map([['spoke-123456789012', { holdings: spokeHolding(ENDPOINTS) }]]);
    expect(unsafeChanges(back, intendedFromConfig(configFrom(withSharing('  mode: profile\n'))))).toEqual([]);
  });

  test('from the endpoints straight to zone associations: refused, and the hub may not drop the Profile', () => {
    const back = new Map([['spoke-123456789012', { holdings: spokeHolding(ENDPOINTS) }]]);
    expect(unsafeChanges(back, intendedFromConfig(configFrom(edit(HUB_YAML, 'state:', 'state:'))))).toEqual([
      expect.stringContaining('switches from the Route 53 Profile to zone associations in one apply'),
      expect.stringContaining('the hub would delete its Route 53 Profile'),
    ]);
  });
});

describe('the public-DNS window of a move between zones and private DNS: said before the apply', () => {
  const hubOf = (hub: string) => synthAll(configFrom(hub)).hub.json;
  const ZONES = withSharing(`  mode: profile\n  principals: ["${ORG}"]\n`);

  test('affected: zones -> endpoints names every service that moves; one at a time names one', () => {
    const all = compareStacks(new Map([['hub', hubOf(ZONES)]]), new Map([['hub', hubOf(ENDPOINTS)]]));
    expect(all.unsafe).toEqual([]);
    expect(all.notices).toEqual([
      expect.stringMatching(
        /^hub: ecr\.api, ecr\.dkr, s3, logs move from a self-managed zone to the endpoint's private DNS in this apply: .* public DNS \(never NXDOMAIN\)/,
      ),
    ]);
    const oneAtATime = withSharing(
      `  mode: profile\n  dns: endpoints\n  zoneServices: [ecr.api, ecr.dkr, s3]\n  principals: ["${ORG}"]\n`,
    );
    const one = compareStacks(new Map([['hub', hubOf(ZONES)]]), new Map([['hub', hubOf(oneAtATime)]]));
    expect(one.notices).toEqual([expect.stringMatching(/^hub: logs moves from a self-managed zone/)]);
    const back = compareStacks(new Map([['hub', hubOf(ENDPOINTS)]]), new Map([['hub', hubOf(ZONES)]]));
    expect(back.notices).toEqual([
      expect.stringContaining("move from the endpoint's private DNS to a self-managed zone"),
    ]);
    expect(compareStacks(new Map([['hub', hubOf(ZONES)]]), new Map([['hub', hubOf(ZONES)]])).notices).toEqual([]);
  });

  test('the synth guard reads the same from the local hub state', () => {
    const stateDir = tempDir('state');
    const config = configFrom(ENDPOINTS);
    const location = stateLocation(config, { outdir: join(stateDir, '..', 'out'), stateDir });
    mkdirSync(join(stateDir, location.scope), { recursive: true });
    const resources = ['logs', 'ecr_dkr'].map((name) => ({
      mode: 'managed',
      type: 'aws_route53profiles_resource_association',
      name,
      instances: [{ attributes: {} }],
    }));
    writeFileSync(join(stateDir, location.scope, 'hub.tfstate'), JSON.stringify({ version: 4, resources }));
    expect(dnsSwitchNotices(config, location)).toEqual([expect.stringMatching(/^hub: ecr\.dkr, logs move from/)]);
    expect(unsafeRemovals(config, location)).toEqual([]);
  });
});
