/**
 * The hub's side of sharing a zone: authorizing each spoke VPC to associate with each service zone.
 */
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { eachValue, lookupByEachValue } from './expressions';
import { zoneVpcPairs, type SpokeVpcs } from './zone-vpc-pairs';

/** Properties of {@link ZoneAuthorizations}. */
export interface ZoneAuthorizationsProps {
  /** The spoke accounts and their VPCs. */
  readonly spokes: readonly SpokeVpcs[];
  /** The centralized services. */
  readonly services: readonly string[];
  /** The Terraform expression of the map of zone IDs by service, e.g. `local.zone_ids`. */
  readonly zoneIds: string;
  /** The region of the spoke VPCs (the hub's). */
  readonly region: string;
}

/**
 * Terraform address: `aws_route53_vpc_association_authorization.spoke["<vpcId>/<service>"]`.
 * Nothing is created when there are no spokes.
 */
export class ZoneAuthorizations extends Construct {
  constructor(scope: Construct, id: string, props: ZoneAuthorizationsProps) {
    super(scope, id);
    const pairs = zoneVpcPairs(props.spokes, props.services);
    if (Object.keys(pairs).length === 0) return;
    const each = TerraformIterator.fromMap(pairs);
    const authorization = new Route53VpcAssociationAuthorization(this, 'spoke', {
      forEach: each,
      zoneId: lookupByEachValue(props.zoneIds, 'service'),
      vpcId: eachValue('vpc_id'),
      vpcRegion: props.region,
    });
    authorization.overrideLogicalId('spoke');
  }
}
