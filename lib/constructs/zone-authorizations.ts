/**
 * The hub's side of sharing a zone: authorizing each spoke VPC to associate with each service zone.
 */
import { Route53VpcAssociationAuthorization } from '../framework/aws';
import { Construct } from 'constructs';
import { zoneVpcPairArguments, type SpokeVpcs } from './zone-vpc-pairs';

/** Properties of {@link ZoneAuthorizations}. */
export interface ZoneAuthorizationsProps {
  /** The spoke accounts and their VPCs. */
  readonly spokes: readonly SpokeVpcs[];
  /** The centralized services. */
  readonly services: readonly string[];
  /** The Terraform expression of the map of zone IDs by service (`local.zone_ids`). */
  readonly zoneIds: string;
  /** The region of the spoke VPCs. */
  readonly region: string;
}

/** The Terraform resource name of one account's authorizations: `spoke_<accountId>`. */
export function authorizationsName(accountId: string): string {
  return `spoke_${accountId}`;
}

/**
 * Terraform addresses: `aws_route53_vpc_association_authorization.spoke_<accountId>["<vpcId>/<service>"]`,
 * one resource block per spoke account. Terraform's plan time grows with the square of the
 * instances of one `for_each` block, so a block holds one account's pairs (its VPCs times the
 * services), never every account's: the hub's plan stays linear in accounts.
 */
export class ZoneAuthorizations extends Construct {
  constructor(scope: Construct, id: string, props: ZoneAuthorizationsProps) {
    super(scope, id);
    for (const spoke of props.spokes) {
      const args = zoneVpcPairArguments({
        spoke,
        services: props.services,
        zoneIds: props.zoneIds,
        region: props.region,
      });
      if (!args) continue;
      const name = authorizationsName(spoke.id);
      new Route53VpcAssociationAuthorization(this, name, args).overrideLogicalId(name);
    }
  }
}
