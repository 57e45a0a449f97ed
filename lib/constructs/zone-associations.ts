/**
 * The spoke's side of sharing a zone: associating its VPCs with each hub zone.
 */
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { eachValue, lookupByEachValue } from './expressions';
import { zoneVpcPairs, type SpokeVpcs } from './zone-vpc-pairs';

/** Properties of {@link ZoneAssociations}. */
export interface ZoneAssociationsProps {
  /** The spoke account and its VPCs. */
  readonly spoke: SpokeVpcs;
  /** The centralized services. */
  readonly services: readonly string[];
  /**
   * The Terraform expression of the hub's map of zone IDs by service (its `zone_ids` output),
   * e.g. `data.terraform_remote_state.hub.outputs.zone_ids`.
   */
  readonly zoneIds: string;
  /** The region of the VPCs (the hub's). */
  readonly region: string;
}

/** Terraform address: `aws_route53_zone_association.hub["<vpcId>/<service>"]`. */
export class ZoneAssociations extends Construct {
  constructor(scope: Construct, id: string, props: ZoneAssociationsProps) {
    super(scope, id);
    const each = TerraformIterator.fromMap(zoneVpcPairs([props.spoke], props.services));
    const association = new Route53ZoneAssociation(this, 'hub', {
      forEach: each,
      zoneId: lookupByEachValue(props.zoneIds, 'service'),
      vpcId: eachValue('vpc_id'),
      vpcRegion: props.region,
    });
    association.overrideLogicalId('hub');
  }
}
