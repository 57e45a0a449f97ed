/**
 * A spoke stack: provider pinned to the spoke account, the hub's state read, the zone associations.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { configFrom, synthAll, type Synthesized } from './helpers/config';

describe('spoke stack of the account with two VPCs and a leading zero', () => {
  let spoke: Synthesized;
  beforeAll(() => {
    spoke = synthAll(configFrom()).spokes.get('012345678901') as Synthesized;
  });

  test('the provider is pinned to the spoke account and assumes its deployer role', () => {
    expect(spoke.text).toHaveProviderWithProperties(AwsProvider, {
      region: 'ap-northeast-1',
      allowed_account_ids: ['012345678901'],
      assume_role: [{ role_arn: 'arn:aws:iam::012345678901:role/vpce-spoke-deployer', session_name: 'vpce-hub-spoke' }],
    });
  });

  test('reads the hub zone IDs from the hub\'s own state', () => {
    expect(spoke.json.data.terraform_remote_state.hub).toEqual({
      backend: 'local',
      config: { path: '../../../state/hub.tfstate' },
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
    expect(spoke.json.output).toBeUndefined();
  });
});
