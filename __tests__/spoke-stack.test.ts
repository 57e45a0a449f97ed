/**
 * A spoke stack: provider pinned to the spoke account, the hub's state read, the zone associations.
 */
import { AwsProvider, Route53ZoneAssociation } from '../lib/framework/aws';
import { ACCOUNTS_YAML, configFrom, HUB_YAML, synthAll, type Synthesized } from './helpers/config';

describe('spoke stack of the account with two VPCs and a leading zero', () => {
  let spoke: Synthesized;
  beforeAll(() => {
    spoke = synthAll(configFrom()).spokes.get('012345678901') as Synthesized;
  });

  test('the provider is pinned to the spoke account and assumes its deployer role', () => {
    expect(spoke.text).toHaveProviderWithProperties(AwsProvider, {
      region: 'ap-northeast-1',
      allowed_account_ids: ['012345678901'],
      assume_role: [
        {
          role_arn:
            '${var.vpce_phase == "plan" ? "arn:aws:iam::012345678901:role/vpce-spoke-planner" : "arn:aws:iam::012345678901:role/vpce-spoke-deployer"}',
          session_name: 'vpce-hub-spoke',
        },
      ],
    });
  });

  test("reads the hub zone IDs from the hub's own state", () => {
    expect(spoke.json.data.terraform_remote_state.hub).toEqual({
      backend: 'local',
      config: { path: '../../../state/111111111111-ap-northeast-1/hub.tfstate' },
    });
  });

  test('associates every VPC with every zone, keyed <vpcId>/<service>', () => {
    const association = spoke.json.resource.aws_route53_zone_association.hub;
    expect(Object.keys(association.for_each).sort()).toEqual(
      ['vpc-0aaaabbbbccccdddd', 'vpc-0fedcba9876543210'].flatMap((vpc) =>
        ['ecr.api', 'ecr.dkr', 'logs', 's3'].map((service) => `${vpc}/${service}`),
      ),
    );
    expect(association).toMatchObject({
      zone_id: '${data.terraform_remote_state.hub.outputs.zone_ids[each.value.service]}',
      vpc_id: '${each.value.vpc_id}',
      vpc_region: 'ap-northeast-1',
    });
    expect(spoke.text).toHaveResource(Route53ZoneAssociation);
  });

  test('holds nothing but the associations (the hub owns zones and records)', () => {
    expect(Object.keys(spoke.json.resource)).toEqual(['aws_route53_zone_association']);
  });
});

describe('the account name from accounts.yaml', () => {
  let spokes: Map<string, Synthesized>;
  beforeAll(() => {
    spokes = synthAll(configFrom()).spokes;
  });

  test('labels a named account in the output `account`, and nowhere in AWS (no tag)', () => {
    const spoke = spokes.get('012345678901') as Synthesized;
    expect(spoke.json.output).toEqual({
      account: expect.objectContaining({ value: { id: '012345678901', name: 'data-platform' } }),
    });
    expect(spoke.json.provider.aws[0].default_tags).toEqual([{ tags: { Project: 'vpce-hub' } }]);
    expect(JSON.stringify(spoke.json.resource)).not.toContain('data-platform');
  });

  test('an account without a name has no output at all, as before', () => {
    expect(spokes.get('333333333333')?.json.output).toBeUndefined();
  });
});

describe('spoke stack with an S3 gateway endpoint', () => {
  test("one gateway endpoint per listed VPC, keyed by VPC ID, in that VPC's route tables", () => {
    const accounts = ACCOUNTS_YAML.replace(
      '    vpcIds: [vpc-0fedcba9876543210, vpc-0aaaabbbbccccdddd]\n',
      '    vpcIds: [vpc-0fedcba9876543210, vpc-0aaaabbbbccccdddd]\n' +
        '    s3GatewayRouteTables:\n      vpc-0aaaabbbbccccdddd: [rtb-0123456789abcdef1, rtb-0123456789abcdef0]\n',
    );
    const { spokes } = synthAll(configFrom(HUB_YAML, accounts));
    const gateway = spokes.get('012345678901')?.json.resource.aws_vpc_endpoint.s3_gateway;
    expect(gateway).toMatchObject({
      for_each: { 'vpc-0aaaabbbbccccdddd': { route_table_ids: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'] } },
      vpc_id: '${each.key}',
      service_name: 'com.amazonaws.ap-northeast-1.s3',
      vpc_endpoint_type: 'Gateway',
      route_table_ids: '${each.value.route_table_ids}',
    });
    expect(spokes.get('123456789012')?.json.resource.aws_vpc_endpoint).toBeUndefined();
  });

  test("a VPC with its own gateway is not associated with the hub's s3 zone, nor authorized for it; its other zones are", () => {
    const accounts = ACCOUNTS_YAML.replace(
      '    vpcIds: [vpc-0fedcba9876543210, vpc-0aaaabbbbccccdddd]\n',
      '    vpcIds: [vpc-0fedcba9876543210, vpc-0aaaabbbbccccdddd]\n    s3GatewayRouteTables:\n      vpc-0aaaabbbbccccdddd: [rtb-0123456789abcdef0]\n',
    );
    const { hub, spokes } = synthAll(configFrom(HUB_YAML, accounts));
    const associated = Object.keys(spokes.get('012345678901')!.json.resource.aws_route53_zone_association.hub.for_each);
    const authorized = Object.keys(
      hub.json.resource.aws_route53_vpc_association_authorization.spoke_012345678901.for_each,
    );
    for (const keys of [associated, authorized]) {
      expect(keys).not.toContain('vpc-0aaaabbbbccccdddd/s3');
      expect(keys).toContain('vpc-0aaaabbbbccccdddd/ecr.dkr');
      expect(keys).toContain('vpc-0fedcba9876543210/s3');
    }
  });
});
