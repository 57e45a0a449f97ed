/**
 * The service catalog against the DNS facts in FACTS.md.
 */
import {
  endpointServiceName,
  publicDiscoveredName,
  resourceName,
  SERVICE_CATALOG,
  SERVICE_NAMES,
  servicesDiscoveredVia,
  zoneName,
} from '../lib/services/catalog';

const R = 'ap-northeast-1';

describe('service catalog', () => {
  test('covers every service the project promises', () => {
    const required = [
      'ecr.api',
      'ecr.dkr',
      's3',
      'logs',
      'monitoring',
      'sts',
      'ssm',
      'ssmmessages',
      'ec2messages',
      'ec2',
      'kms',
      'secretsmanager',
      'ecs',
      'ecs-agent',
      'ecs-telemetry',
      'sqs',
      'sns',
      'email-smtp',
      'execute-api',
      'elasticloadbalancing',
      'autoscaling',
      'events',
      'lambda',
      'states',
    ];
    expect(SERVICE_NAMES).toEqual(expect.arrayContaining(required));
  });

  test.each([
    ['ecr.api', `api.ecr.${R}.amazonaws.com`],
    ['ecr.dkr', `dkr.ecr.${R}.amazonaws.com`],
    ['logs', `logs.${R}.amazonaws.com`],
    ['s3', `s3.${R}.amazonaws.com`],
    ['ecs-agent', `ecs-a.${R}.amazonaws.com`],
    ['ecs-telemetry', `ecs-t.${R}.amazonaws.com`],
    ['email-smtp', `email-smtp.${R}.amazonaws.com`],
    ['execute-api', `execute-api.${R}.amazonaws.com`],
  ])('%s has the zone %s', (service, zone) => {
    expect(zoneName(service, R)).toBe(zone);
  });

  test('no zone name starts with a wildcard', () => {
    for (const service of SERVICE_NAMES) expect(zoneName(service, R)).not.toMatch(/^\*/);
  });

  test('records: apex for most, apex and * for s3, * for execute-api, registries for ecr.dkr', () => {
    expect(SERVICE_CATALOG.logs.records).toEqual(['apex']);
    expect(SERVICE_CATALOG.s3.records).toEqual(['apex', 'wildcard']);
    expect(SERVICE_CATALOG['execute-api'].records).toEqual(['wildcard']);
    expect(SERVICE_CATALOG['ecr.dkr'].records).toContain('registry-accounts');
    const withRegistries = SERVICE_NAMES.filter((s) => SERVICE_CATALOG[s].records.includes('registry-accounts'));
    expect(withRegistries).toEqual(['ecr.dkr']);
  });

  test('endpoint service names and Terraform names', () => {
    expect(endpointServiceName('ecr.dkr', R)).toBe(`com.amazonaws.${R}.ecr.dkr`);
    expect(resourceName('ecr.dkr')).toBe('ecr_dkr');
    expect(resourceName('email-smtp')).toBe('email-smtp');
    const names = SERVICE_NAMES.map(resourceName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
  });

  describe('ECS on EC2: the agent is handed its ecs-a / ecs-t names by DiscoverPollEndpoint on ecs', () => {
    test('through the ecs endpoint it is handed the zone apexes, which the apex records answer', () => {
      for (const service of ['ecs-agent', 'ecs-telemetry']) {
        expect(SERVICE_CATALOG[service].records).toEqual(['apex']);
        expect(SERVICE_CATALOG[service].discoveredVia?.service).toBe('ecs');
      }
      expect(servicesDiscoveredVia('ecs')).toEqual(['ecs-agent', 'ecs-telemetry']);
      expect(SERVICE_CATALOG.ecs.records).toEqual(['apex']);
    });

    test('otherwise it is handed numbered names: siblings of the zone, which no zone of the catalog covers', () => {
      expect(publicDiscoveredName('ecs-agent', R)).toBe(`ecs-a-<N>.${R}.amazonaws.com`);
      expect(publicDiscoveredName('ecs-telemetry', R, 1)).toBe(`ecs-t-1.${R}.amazonaws.com`);
      expect(publicDiscoveredName('logs', R)).toBeUndefined();
      for (const service of servicesDiscoveredVia('ecs')) {
        const numbered = publicDiscoveredName(service, R, 1) as string;
        for (const zone of SERVICE_NAMES.map((s) => zoneName(s, R))) {
          expect(numbered === zone || numbered.endsWith(`.${zone}`)).toBe(false);
        }
      }
    });

    test('only the ECS agent names are discovered, and always through a catalog service with an apex record', () => {
      for (const service of SERVICE_NAMES) {
        const via = SERVICE_CATALOG[service].discoveredVia;
        if (!via) continue;
        expect(['ecs-agent', 'ecs-telemetry']).toContain(service);
        expect(SERVICE_CATALOG[via.service]?.records).toContain('apex');
        expect(via.publicLabel).toMatch(/^[a-z0-9-]+<N>$/);
      }
    });
  });
});
