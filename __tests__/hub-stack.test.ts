/**
 * The hub stack: provider, security group, endpoints, zones, records, authorizations, output.
 */
import {
  AwsProvider,
  Route53Record,
  Route53VpcAssociationAuthorization,
  Route53Zone,
  SecurityGroup,
  VpcEndpoint,
  VpcSecurityGroupIngressRule,
} from '../lib/framework/aws';
import { HubStack } from '../lib/stacks/hub-stack';
import { configFrom, edit, HUB_YAML, type ParsedJson, type Synthesized, synthStack, testApp } from './helpers/config';

const R = 'ap-northeast-1';

function synthHub(hubYaml = HUB_YAML, accountsYaml?: string): Synthesized {
  return synthStack(new HubStack(testApp(), { config: configFrom(hubYaml, accountsYaml) }));
}

describe('hub stack (example accounts, per-account ECR records)', () => {
  let hub: Synthesized;
  beforeAll(() => {
    hub = synthHub();
  });

  test('the provider is pinned to the hub account, assumes the hub role, tags everything', () => {
    expect(hub.text).toHaveProviderWithProperties(AwsProvider, {
      region: R,
      allowed_account_ids: ['111111111111'],
      assume_role: [
        {
          role_arn:
            '${var.vpce_phase == "plan" ? "arn:aws:iam::111111111111:role/vpce-hub-planner" : "arn:aws:iam::111111111111:role/vpce-hub-deployer"}',
          session_name: 'vpce-hub',
        },
      ],
      default_tags: [{ tags: { Project: 'vpce-hub' } }],
    });
  });

  test('one security group admits tcp/443 from the allowed CIDRs only', () => {
    expect(hub.text).toHaveResourceWithProperties(SecurityGroup, { vpc_id: 'vpc-0a1b2c3d4e5f60718' });
    const group = hub.json.resource.aws_security_group.endpoints;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const rules = hub.json.resource.aws_vpc_security_group_ingress_rule;
    expect(Object.keys(rules)).toEqual(['https_ipv4']);
    expect(rules.https_ipv4).toMatchObject({
      for_each: '${toset(["10.0.0.0/8"])}',
      cidr_ipv4: '${each.value}',
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      security_group_id: '${aws_security_group.endpoints.id}',
    });
    expect(hub.text).toHaveResource(VpcSecurityGroupIngressRule);
  });

  test('one interface endpoint per service, private DNS off, in the hub subnets and group', () => {
    const endpoints = hub.json.resource.aws_vpc_endpoint;
    expect(Object.keys(endpoints).sort()).toEqual(['ecr_api', 'ecr_dkr', 'logs', 's3']);
    expect(hub.text).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: `com.amazonaws.${R}.ecr.dkr`,
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: false,
      vpc_id: 'vpc-0a1b2c3d4e5f60718',
      subnet_ids: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69780'],
      security_group_ids: ['${aws_security_group.endpoints.id}'],
    });
    for (const endpoint of Object.values(endpoints) as Array<{ private_dns_enabled: boolean }>) {
      expect(endpoint.private_dns_enabled).toBe(false);
    }
  });

  test("one private zone per service, with the hub VPC, ignoring the spokes' associations", () => {
    const zones = hub.json.resource.aws_route53_zone;
    expect(
      Object.values(zones)
        .map((z) => (z as { name: string }).name)
        .sort(),
    ).toEqual([
      `api.ecr.${R}.amazonaws.com`,
      `dkr.ecr.${R}.amazonaws.com`,
      `logs.${R}.amazonaws.com`,
      `s3.${R}.amazonaws.com`,
    ]);
    expect(hub.text).toHaveResourceWithProperties(Route53Zone, {
      name: `dkr.ecr.${R}.amazonaws.com`,
      vpc: [{ vpc_id: 'vpc-0a1b2c3d4e5f60718', vpc_region: R }],
    });
    // Hub applies never drop the spokes' associations; a changed hub.vpcId is refused at plan time.
    expect(zones.ecr_dkr.lifecycle).toMatchObject({ ignore_changes: ['vpc'], prevent_destroy: true });
    expect(zones.ecr_dkr.lifecycle.postcondition).toEqual([
      {
        condition: '${contains(self.vpc[*].vpc_id, "vpc-0a1b2c3d4e5f60718")}',
        error_message: expect.stringContaining(
          'The hub VPC vpc-0a1b2c3d4e5f60718 (hub.vpcId) is not associated with the zone',
        ),
      },
    ]);
    for (const zone of Object.values(zones) as Array<{ lifecycle: unknown }>) {
      expect(zone.lifecycle).toMatchObject({ ignore_changes: ['vpc'], prevent_destroy: true });
    }
  });

  test("alias A records point at the endpoint's dns_entry[0]", () => {
    const records = hub.json.resource.aws_route53_record;
    expect(records.logs_apex).toMatchObject({
      zone_id: '${aws_route53_zone.logs.zone_id}',
      name: `logs.${R}.amazonaws.com`,
      type: 'A',
      alias: {
        name: '${aws_vpc_endpoint.logs.dns_entry[0].dns_name}',
        zone_id: '${aws_vpc_endpoint.logs.dns_entry[0].hosted_zone_id}',
        evaluate_target_health: false,
      },
    });
    expect(records.s3_apex.name).toBe(`s3.${R}.amazonaws.com`);
    expect(records.s3_wildcard.name).toBe(`*.s3.${R}.amazonaws.com`);
    expect(records.ecr_dkr_apex.name).toBe(`dkr.ecr.${R}.amazonaws.com`);
    expect(records.ecr_api_wildcard).toBeUndefined();
  });

  test('one <account>.dkr.ecr record per account, in for_each blocks keyed by account ID, sharded by the last two digits', () => {
    const records = hub.json.resource.aws_route53_record;
    const shards = Object.keys(records)
      .filter((name) => name.startsWith('ecr_dkr_registry_'))
      .sort();
    expect(shards).toEqual([
      'ecr_dkr_registry_01',
      'ecr_dkr_registry_11',
      'ecr_dkr_registry_12',
      'ecr_dkr_registry_22',
      'ecr_dkr_registry_33',
    ]);
    expect(records.ecr_dkr_registry_12.for_each).toBe('${toset(["123456789012"])}');
    expect(records.ecr_dkr_registry_01.for_each).toBe('${toset(["012345678901"])}');
    for (const shard of shards) {
      expect(records[shard]).toMatchObject({
        name: `\${each.key}.dkr.ecr.${R}.amazonaws.com`,
        zone_id: '${aws_route53_zone.ecr_dkr.zone_id}',
        alias: { name: '${aws_vpc_endpoint.ecr_dkr.dns_entry[0].dns_name}' },
      });
    }
    expect(records.ecr_dkr_registry).toBeUndefined();
    expect(records.ecr_dkr_wildcard).toBeUndefined();
    expect(hub.text).toHaveResourceWithProperties(Route53Record, { type: 'A' });
  });

  test('one authorization block per spoke account, an instance per (VPC, zone) pair keyed <vpcId>/<service>', () => {
    const blocks = hub.json.resource.aws_route53_vpc_association_authorization;
    expect(Object.keys(blocks).sort()).toEqual(['spoke_012345678901', 'spoke_123456789012', 'spoke_333333333333']);
    const authorization = blocks.spoke_012345678901;
    expect(Object.keys(authorization.for_each).sort()).toEqual(
      ['vpc-0aaaabbbbccccdddd', 'vpc-0fedcba9876543210']
        .flatMap((vpc) => ['ecr.api', 'ecr.dkr', 'logs', 's3'].map((s) => `${vpc}/${s}`))
        .sort(),
    );
    expect(authorization.for_each['vpc-0fedcba9876543210/logs']).toEqual({
      account_id: '012345678901',
      vpc_id: 'vpc-0fedcba9876543210',
      service: 'logs',
    });
    expect(authorization).toMatchObject({
      zone_id: '${local.zone_ids[each.value.service]}',
      vpc_id: '${each.value.vpc_id}',
      vpc_region: R,
    });
    expect(Object.keys(blocks.spoke_123456789012.for_each)).toHaveLength(4);
    expect(hub.text).toHaveResource(Route53VpcAssociationAuthorization);
  });

  test('upgrading from the first release moves every old instance to its new address', () => {
    const moves = hub.json.moved as Array<{ from: string; to: string }>;
    expect(moves).toContainEqual({
      from: 'aws_route53_record.ecr_dkr_registry["012345678901"]',
      to: 'aws_route53_record.ecr_dkr_registry_01["012345678901"]',
    });
    expect(moves).toContainEqual({
      from: 'aws_route53_vpc_association_authorization.spoke["vpc-0fedcba9876543210/logs"]',
      to: 'aws_route53_vpc_association_authorization.spoke_012345678901["vpc-0fedcba9876543210/logs"]',
    });
  });

  test('outputs the zone IDs by service', () => {
    expect(hub.json.locals.zone_ids).toEqual({
      'ecr.api': '${aws_route53_zone.ecr_api.zone_id}',
      'ecr.dkr': '${aws_route53_zone.ecr_dkr.zone_id}',
      logs: '${aws_route53_zone.logs.zone_id}',
      s3: '${aws_route53_zone.s3.zone_id}',
    });
    expect(hub.json.output.zone_ids.value).toBe('${local.zone_ids}');
  });

  test('outputs the declared extra registries, for the doctor', () => {
    expect(hub.json.output.ecr_registry_accounts.value).toEqual(['222222222222']);
  });
});

describe('hub stack variants', () => {
  test('wildcard mode: one * record in the dkr zone, no per-account records', () => {
    const hub = synthHub(edit(HUB_YAML, 'dkrRecords: per-account', 'dkrRecords: wildcard'));
    const records = hub.json.resource.aws_route53_record;
    expect(Object.keys(records).filter((name) => name.startsWith('ecr_dkr_registry'))).toEqual([]);
    // No registry record to move to (a first-release record is destroyed: the * record answers instead).
    expect((hub.json.moved as Array<{ from: string }>).filter((m) => m.from.includes('ecr_dkr_registry'))).toEqual([]);
    expect(records.ecr_dkr_wildcard).toMatchObject({
      name: `*.dkr.ecr.${R}.amazonaws.com`,
      zone_id: '${aws_route53_zone.ecr_dkr.zone_id}',
      type: 'A',
    });
    expect(records.ecr_dkr_wildcard.for_each).toBeUndefined();
  });

  test('a replaced endpoint or security group (the hub moving to another VPC) is created before the old one goes', () => {
    const { resource } = synthHub().json;
    expect(resource.aws_security_group.endpoints.lifecycle).toEqual({ create_before_destroy: true });
    for (const [name, endpoint] of Object.entries<ParsedJson>(resource.aws_vpc_endpoint)) {
      expect({ name, first: endpoint.lifecycle?.create_before_destroy }).toEqual({ name, first: true });
    }
  });

  test('protect (default): zones and endpoints refuse destruction; protect: false for a deliberate teardown', () => {
    const guarded = synthHub().json;
    for (const kind of ['aws_route53_zone', 'aws_vpc_endpoint']) {
      for (const [name, resource] of Object.entries<ParsedJson>(guarded.resource[kind])) {
        expect({ kind, name, prevent: resource.lifecycle?.prevent_destroy }).toEqual({ kind, name, prevent: true });
      }
    }
    const open = synthHub(`${HUB_YAML}protect: false\n`).json;
    expect(open.resource.aws_vpc_endpoint.logs.lifecycle).toEqual({ create_before_destroy: true });
    expect(open.resource.aws_route53_zone.logs.lifecycle.prevent_destroy).toBeUndefined();
    expect(open.resource.aws_route53_zone.logs.lifecycle.ignore_changes).toEqual(['vpc']);
    // Records and authorizations are never protected: removing an account removes them.
    expect(guarded.resource.aws_route53_record.logs_apex.lifecycle).toBeUndefined();
  });

  test('retired services keep their endpoint, zone, records and authorizations in the hub', () => {
    const hub = synthHub(
      edit(
        HUB_YAML,
        'services: [ecr.api, ecr.dkr, s3, logs]',
        'services: [ecr.api, ecr.dkr, s3]\nretiredServices: [logs]',
      ),
    ).json;
    expect(Object.keys(hub.resource.aws_vpc_endpoint)).toContain('logs');
    expect(hub.resource.aws_route53_record.logs_apex).toBeDefined();
    expect(hub.locals.zone_ids.logs).toBe('${aws_route53_zone.logs.zone_id}');
    expect(Object.keys(hub.resource.aws_route53_vpc_association_authorization.spoke_123456789012.for_each)).toContain(
      'vpc-0123456789abcdef0/logs',
    );
  });

  test('no accounts: the hub alone, its own registry record, no authorizations', () => {
    const hub = synthHub(HUB_YAML, 'accounts: []\n');
    expect(hub.json.resource.aws_route53_vpc_association_authorization).toBeUndefined();
    expect(hub.json.resource.aws_route53_record.ecr_dkr_registry_11.for_each).toBe('${toset(["111111111111"])}');
    expect(hub.json.resource.aws_route53_record.ecr_dkr_registry_22.for_each).toBe('${toset(["222222222222"])}');
  });

  test('without ecr.dkr there are no registry records', () => {
    const hub = synthHub(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [logs, execute-api]'));
    const records = hub.json.resource.aws_route53_record;
    expect(Object.keys(records).sort()).toEqual(['execute-api_wildcard', 'logs_apex']);
    expect(records['execute-api_wildcard'].name).toBe(`*.execute-api.${R}.amazonaws.com`);
  });

  test('no hub role: no assume_role; IPv6 CIDRs get their own rule', () => {
    const hubYaml = edit(
      edit(HUB_YAML, '  roleArn: arn:aws:iam::111111111111:role/vpce-hub-deployer\n', ''),
      '[10.0.0.0/8]',
      '[10.0.0.0/8, "2001:db8::/32"]',
    );
    const hub = synthHub(hubYaml);
    expect(hub.json.provider.aws[0].assume_role).toBeUndefined();
    expect(hub.json.resource.aws_vpc_security_group_ingress_rule.https_ipv6).toMatchObject({
      for_each: '${toset(["2001:db8::/32"])}',
      cidr_ipv6: '${each.value}',
    });
  });
});
