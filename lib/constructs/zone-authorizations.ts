/**
 * The hub's side of sharing a zone: authorizing each spoke VPC to associate with each service zone.
 */
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { Construct } from 'constructs';
import { zoneVpcPairArguments, type ZoneVpcPairsProps } from './zone-vpc-pairs';

/**
 * Terraform address: `aws_route53_vpc_association_authorization.spoke["<vpcId>/<service>"]`.
 * Nothing is created when there are no spokes.
 */
export class ZoneAuthorizations extends Construct {
  constructor(scope: Construct, id: string, props: ZoneVpcPairsProps) {
    super(scope, id);
    const args = zoneVpcPairArguments(props);
    if (!args) return;
    new Route53VpcAssociationAuthorization(this, 'spoke', args).overrideLogicalId('spoke');
  }
}
