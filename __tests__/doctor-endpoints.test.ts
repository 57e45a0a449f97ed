/**
 * The doctor in `sharing: { mode: profile, dns: endpoints }`: the Profile holds the hub's interface
 * endpoints (private DNS on) instead of self-managed zones, and spoke VPCs resolve the endpoints'
 * private DNS names through it.
 */
import { Resolver } from '../lib/doctor/resolver-model';
import { runDoctor } from '../lib/doctor/run-doctor';
import { SynthOutput } from '../lib/doctor/synth-output';
import { configFrom, synthToFolder, withSharing } from './helpers/config';
import { editedSynthFolder as edited } from './helpers/synth-folder';
import { answerOf, doctorCli } from './helpers/doctor';

const R = 'ap-northeast-1';
const dkr = (account: string) => `${account}.dkr.ecr.${R}.amazonaws.com`;
const LAYERS = `prod-${R}-starport-layer-bucket.s3.${R}.amazonaws.com`;
const LOGS = `logs.${R}.amazonaws.com`;
const API = `api.ecr.${R}.amazonaws.com`;
const VPCS = ['vpc-0123456789abcdef0', 'vpc-0123abcd4567ef890', 'vpc-0aaaabbbbccccdddd', 'vpc-0fedcba9876543210'];
const PROFILE = `Profile vpce-hub-${R} (hub: aws_route53profiles_profile.hub)`;
const ORGANIZATION = '  principals: ["arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5"]\n';
const ENDPOINTS = withSharing(`  mode: profile\n  dns: endpoints\n${ORGANIZATION}`);

/** No config folder to compare the output with (no stale-output warning from the example config/). */
const doctor = doctorCli;

const answer = answerOf;

/** The endpoints fixture's synth output, synthesized once. */
let endpointsOutput: string | undefined;
const endpointsOut = () => (endpointsOutput ??= synthToFolder(configFrom(ENDPOINTS)));

describe('doctor with the Profile holding the endpoints (sharing.dns: endpoints)', () => {
  test('every spoke VPC resolves every fargate name through the Profile-held endpoints', () => {
    const report = runDoctor({ outdir: endpointsOut(), profile: 'fargate' });
    expect(report.vpcs.map((v) => v.vpcId).sort()).toEqual(VPCS);
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
    const vpc = 'vpc-0aaaabbbbccccdddd';
    expect(answer(report, vpc, dkr('012345678901'))?.path).toBe(
      `${PROFILE} -> private DNS *.dkr.ecr.${R}.amazonaws.com -> hub: aws_vpc_endpoint.ecr_dkr (ecr.dkr)`,
    );
    expect(answer(report, vpc, API)?.path).toBe(
      `${PROFILE} -> private DNS ${API} -> hub: aws_vpc_endpoint.ecr_api (ecr.api)`,
    );
    expect(answer(report, vpc, LAYERS)?.path).toBe(
      `${PROFILE} -> private DNS *.s3.${R}.amazonaws.com -> hub: aws_vpc_endpoint.s3 (s3)`,
    );
    expect(answer(report, vpc, LOGS)?.path).toBe(
      `${PROFILE} -> private DNS ${LOGS} -> hub: aws_vpc_endpoint.logs (logs)`,
    );
    // Every centralized service: no ecr.dkr apex (no client uses it; the endpoint's private DNS is *. only).
    const all = runDoctor({ outdir: endpointsOut(), profile: 'all' });
    expect(all.ok).toBe(true);
    expect(answer(all, vpc, `s3.${R}.amazonaws.com`)?.path).toContain(`private DNS s3.${R}.amazonaws.com`);
  });

  test('a registry that appears nowhere in the config resolves through the *.dkr.ecr private DNS name', () => {
    const result = doctor(['--out', endpointsOut(), '--registry', '444455556666']);
    expect(result.stdout).toContain("registries besides each spoke's own: 222222222222, 444455556666");
    expect(result.stdout).toContain('OK: all 24 names resolve');
    expect(result.status).toBe(0);
    // The apex itself is not one of the endpoint's names: AWS manages the zone, so no address for it.
    const resolver = new Resolver(SynthOutput.read(endpointsOut()));
    const vpc = resolver.spokeVpcs()[0];
    expect(resolver.resolve(vpc, `dkr.ecr.${R}.amazonaws.com`)).toMatchObject({
      result: 'NXDOMAIN',
      reason: expect.stringContaining(`answers names below dkr.ecr.${R}.amazonaws.com only`),
    });
  });

  test("an endpoint dropped from the Profile fails every spoke VPC's names of it, naming the service", () => {
    const broken = edited(endpointsOut(), 'hub', (hub) => {
      delete hub.resource.aws_route53profiles_resource_association.logs_endpoint;
    });
    const result = doctor(['--out', broken]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL: 4 of 20 names do not resolve as they must, in 4 of 4 spoke VPCs:');
    for (const vpc of VPCS) {
      expect(result.stdout).toContain(
        `${vpc}: ${LOGS} public: no associated private zone covers it: it resolves in public DNS, needs a NAT path ` +
          `and bypasses the hub endpoints; the Route 53 Profile vpce-hub-${R} (hub: aws_route53profiles_profile.hub) ` +
          'does not hold the logs endpoint hub: aws_vpc_endpoint.logs, whose private DNS answers this name: no ' +
          'aws_route53profiles_resource_association for it',
      );
    }
    expect(result.stdout).toContain('account 333333333333 vpc-0123abcd4567ef890');
    expect(result.stdout).toContain('account 012345678901 (data-platform) vpc-0aaaabbbbccccdddd');
  });

  test('private DNS off on a Profile-held endpoint: its names go public, and the reason says why', () => {
    const off = edited(endpointsOut(), 'hub', (hub) => {
      hub.resource.aws_vpc_endpoint.ecr_dkr.private_dns_enabled = false;
    });
    const report = runDoctor({ outdir: off, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(report.failed).toBe(8); // own registry and 222222222222, in 4 VPCs
    expect(answer(report, 'vpc-0123456789abcdef0', dkr('123456789012'))).toMatchObject({
      result: 'public',
      reason: expect.stringContaining(
        `the Route 53 Profile vpce-hub-${R} (hub: aws_route53profiles_profile.hub) holds the ecr.dkr endpoint ` +
          'hub: aws_vpc_endpoint.ecr_dkr, but its private_dns_enabled is false',
      ),
    });
    expect(answer(report, 'vpc-0123456789abcdef0', LOGS)?.result).toBe('ok');
  });

  test("S3's private DNS only for inbound Resolver endpoints: the S3 names go public, and the reason says why", () => {
    const inboundOnly = edited(endpointsOut(), 'hub', (hub) => {
      hub.resource.aws_vpc_endpoint.s3.dns_options.private_dns_only_for_inbound_resolver_endpoint = true;
    });
    const report = runDoctor({ outdir: inboundOnly, profile: 'all' });
    for (const host of [LAYERS, `s3.${R}.amazonaws.com`]) {
      expect(answer(report, 'vpc-0123abcd4567ef890', host)).toMatchObject({
        result: 'public',
        reason: expect.stringContaining(
          'holds the s3 endpoint hub: aws_vpc_endpoint.s3, but its dns_options.private_dns_only_for_inbound_resolver_endpoint ' +
            'is true: its private DNS then answers inbound Resolver endpoints only',
        ),
      });
    }
    expect(report.failed).toBe(8);
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('333333333333'))?.result).toBe('ok');
  });

  test("a VPC's own S3 gateway: S3 names in public DNS reach it; the Profile's S3 private DNS bypasses it", () => {
    const gateway = (inboundOnly: boolean) =>
      edited(
        edited(endpointsOut(), 'hub', (hub) => {
          hub.resource.aws_vpc_endpoint.s3.dns_options.private_dns_only_for_inbound_resolver_endpoint = inboundOnly;
        }),
        'spoke-123456789012',
        (spoke) => {
          spoke.resource.aws_vpc_endpoint = {
            s3_gateway: {
              service_name: `com.amazonaws.${R}.s3`,
              vpc_endpoint_type: 'Gateway',
              vpc_id: 'vpc-0123456789abcdef0',
              route_table_ids: ['rtb-0123456789abcdef0'],
            },
          };
        },
      );
    const viaGateway = runDoctor({ outdir: gateway(true), profile: 'fargate' });
    expect(answer(viaGateway, 'vpc-0123456789abcdef0', LAYERS)).toMatchObject({
      result: 'ok',
      path: 'public DNS -> S3 gateway endpoint spoke-123456789012: aws_vpc_endpoint.s3_gateway',
    });
    const bypassed = runDoctor({ outdir: gateway(false), profile: 'fargate' });
    expect(answer(bypassed, 'vpc-0123456789abcdef0', LAYERS)).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining('A Route 53 Profile cannot leave s3 out for one VPC'),
    });
    expect(answer(bypassed, 'vpc-0123abcd4567ef890', LAYERS)?.result).toBe('ok');
  });

  test('zoneServices: logs through its zone in the Profile, the other services through their endpoints', () => {
    const mixed = synthToFolder(
      configFrom(withSharing(`  mode: profile\n  dns: endpoints\n  zoneServices: [logs]\n${ORGANIZATION}`)),
    );
    const report = runDoctor({ outdir: mixed, profile: 'fargate' });
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
    for (const vpc of VPCS) {
      expect(answer(report, vpc, LOGS)?.path).toBe(
        `${LOGS} (Profile hub: aws_route53profiles_profile.hub) -> aws_route53_record.logs_apex -> hub: aws_vpc_endpoint.logs (logs)`,
      );
      expect(answer(report, vpc, LAYERS)?.path).toContain(`${PROFILE} -> private DNS *.s3.${R}.amazonaws.com`);
    }
  });

  test('shared with accounts: an account the Profile is not shared with is refused the endpoints too', () => {
    const outdir = synthToFolder(configFrom(withSharing('  mode: profile\n  dns: endpoints\n')));
    expect(runDoctor({ outdir, profile: 'fargate' }).ok).toBe(true);
    const unshared = edited(outdir, 'hub', (hub) => {
      delete hub.resource.aws_ram_principal_association.account_12;
    });
    const report = runDoctor({ outdir: unshared, profile: 'fargate' });
    expect(answer(report, 'vpc-0123456789abcdef0', LOGS)).toMatchObject({
      result: 'unauthorized',
      reason: expect.stringContaining('is not shared with account 123456789012'),
    });
    expect(answer(report, 'vpc-0123abcd4567ef890', LOGS)?.result).toBe('ok');
  });
});

describe('precedence between zones and Profile-held endpoints', () => {
  const VPC = 'vpc-0123456789abcdef0';
  /** Spoke 123456789012 with its own interface endpoint of `service` and a zone `zone` (vpc block) aliasing it. */
  const withLocalZone = (service: string, zone: string, record: string) =>
    edited(endpointsOut(), 'spoke-123456789012', (spoke) => {
      spoke.resource.aws_vpc_endpoint = {
        local: { service_name: `com.amazonaws.${R}.${service}`, vpc_endpoint_type: 'Interface', vpc_id: VPC },
      };
      spoke.resource.aws_route53_zone = { local: { name: zone, vpc: [{ vpc_id: VPC }] } };
      spoke.resource.aws_route53_record = {
        local: {
          zone_id: '${aws_route53_zone.local.zone_id}',
          name: record,
          type: 'A',
          alias: {
            name: '${aws_vpc_endpoint.local.dns_entry[0].dns_name}',
            zone_id: '${aws_vpc_endpoint.local.dns_entry[0].hosted_zone_id}',
            evaluate_target_health: false,
          },
        },
      };
    });

  test("a zone of the same name associated with the VPC directly wins over the Profile's endpoint", () => {
    const outdir = withLocalZone('ecr.dkr', `dkr.ecr.${R}.amazonaws.com`, '*');
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(answer(report, VPC, dkr('123456789012'))?.path).toBe(
      `dkr.ecr.${R}.amazonaws.com -> aws_route53_record.local -> spoke-123456789012: aws_vpc_endpoint.local (ecr.dkr)`,
    );
    expect(answer(report, 'vpc-0123abcd4567ef890', dkr('333333333333'))?.path).toContain(PROFILE);
  });

  test("a less specific direct zone does not shadow the Profile endpoint's more specific name", () => {
    const outdir = withLocalZone('logs', `${R}.amazonaws.com`, `*.${R}.amazonaws.com`);
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(answer(report, VPC, LOGS)?.path).toBe(
      `${PROFILE} -> private DNS ${LOGS} -> hub: aws_vpc_endpoint.logs (logs)`,
    );
  });

  test("the VPC's own endpoint with private DNS answers before the Profile's", () => {
    const outdir = edited(endpointsOut(), 'spoke-123456789012', (spoke) => {
      spoke.resource.aws_vpc_endpoint = {
        logs: {
          service_name: `com.amazonaws.${R}.logs`,
          vpc_endpoint_type: 'Interface',
          vpc_id: VPC,
          private_dns_enabled: true,
        },
      };
    });
    const report = runDoctor({ outdir, profile: 'fargate' });
    expect(answer(report, VPC, LOGS)?.path).toBe(
      `private DNS ${LOGS} -> spoke-123456789012: aws_vpc_endpoint.logs (logs)`,
    );
  });

  test('a Profile that holds a zone and an endpoint of the same name: a failure, not a guess', () => {
    const mixed = synthToFolder(
      configFrom(withSharing(`  mode: profile\n  dns: endpoints\n  zoneServices: [logs]\n${ORGANIZATION}`)),
    );
    const both = edited(mixed, 'hub', (hub) => {
      hub.resource.aws_vpc_endpoint.logs.private_dns_enabled = true;
      hub.resource.aws_route53profiles_resource_association.logs_endpoint = {
        name: 'vpce-hub-logs-endpoint',
        profile_id: '${aws_route53profiles_profile.hub.id}',
        resource_arn: '${aws_vpc_endpoint.logs.arn}',
      };
    });
    const report = runDoctor({ outdir: both, profile: 'fargate' });
    expect(report.ok).toBe(false);
    expect(answer(report, VPC, LOGS)).toMatchObject({
      result: 'wrong-target',
      reason: expect.stringContaining('ConflictingDomainExists'),
    });
  });
});

describe('Profile-held endpoints the doctor cannot follow: warnings, never guesses', () => {
  test('private_dns_enabled that does not evaluate: a warning, and the names fail', () => {
    const unknown = edited(endpointsOut(), 'hub', (hub) => {
      hub.resource.aws_vpc_endpoint.logs.private_dns_enabled = '${var.private_dns}';
    });
    const report = runDoctor({ outdir: unknown, profile: 'fargate' });
    expect(report.warnings).toEqual([
      'hub: aws_route53profiles_resource_association.logs_endpoint: holds aws_vpc_endpoint.logs: its private_dns_enabled ' +
        'cannot be evaluated from the synth output, so it counts as off; its private DNS is left out',
    ]);
    expect(answer(report, 'vpc-0123456789abcdef0', LOGS)?.result).toBe('public');
  });

  test('a resource the Profile holds that is neither a zone nor an endpoint of this output: a warning', () => {
    const other = edited(endpointsOut(), 'hub', (hub) => {
      hub.resource.aws_route53profiles_resource_association.logs_endpoint.resource_arn =
        'arn:aws:route53resolver:ap-northeast-1:111111111111:resolver-rule/rslvr-rr-1';
      hub.resource.aws_route53profiles_resource_association.ecr_api_endpoint.resource_arn =
        '${aws_vpc_endpoint.nowhere.arn}';
    });
    const report = runDoctor({ outdir: other, profile: 'fargate' });
    expect(report.warnings).toEqual([
      'hub: aws_route53profiles_resource_association.ecr_api_endpoint: cannot tell its Profile, or the zone or endpoint it holds; left out',
      'hub: aws_route53profiles_resource_association.logs_endpoint: cannot tell its Profile, or the zone or endpoint it holds; left out',
    ]);
    expect(answer(report, 'vpc-0123456789abcdef0', LOGS)?.result).toBe('public');
    expect(answer(report, 'vpc-0123456789abcdef0', API)?.result).toBe('public');
  });

  test('a held endpoint of a service the catalog has no private DNS names for: a warning', () => {
    const other = edited(endpointsOut(), 'hub', (hub) => {
      hub.resource.aws_vpc_endpoint.logs.service_name = 'com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0';
    });
    const report = runDoctor({ outdir: other, profile: 'fargate' });
    expect(report.warnings).toEqual([
      'hub: aws_route53profiles_resource_association.logs_endpoint: holds aws_vpc_endpoint.logs, whose service_name is ' +
        'not com.amazonaws.<region>.<service> of a catalog service with private DNS names; its private DNS is left out',
    ]);
    expect(answer(report, 'vpc-0123456789abcdef0', LOGS)?.result).toBe('public');
  });
});
