/**
 * The spoke's side of sharing a zone: associating its VPCs with each hub zone.
 */
import { Route53ZoneAssociation } from '../framework/aws';
import { Construct } from 'constructs';
import { zoneVpcPairArguments, type ZoneVpcPairsProps } from './zone-vpc-pairs';

/** Terraform address: `aws_route53_zone_association.hub["<vpcId>/<service>"]`. */
export class ZoneAssociations extends Construct {
  constructor(scope: Construct, id: string, props: ZoneVpcPairsProps) {
    super(scope, id);
    const args = zoneVpcPairArguments(props);
    if (!args) return;
    new Route53ZoneAssociation(this, 'hub', args).overrideLogicalId('hub');
  }
}
