/**
 * The spoke's side of `sharing.mode: profile`: each of its VPCs associated with the hub's Route 53
 * Profile (a VPC has at most one Profile), after accepting the RAM invitation where one comes.
 */
import { RamResourceShareAccepter, Route53ProfilesAssociation } from '../framework/aws';
import { TerraformIterator } from '../framework/cdktf';
import { Construct } from 'constructs';

/** Properties of {@link ProfileAssociations}. */
export interface ProfileAssociationsProps {
  /** The spoke account's VPCs. */
  readonly vpcIds: readonly string[];
  /** The Terraform expression of the Profile ID (the hub's `profile_id` output, read from its state). */
  readonly profileId: string;
  /** The Terraform expression of the RAM share's ARN, when this spoke accepts an invitation to it. */
  readonly acceptShareArn?: string;
}

/**
 * Terraform addresses: `aws_route53profiles_association.hub["<vpcId>"]`, and
 * `aws_ram_resource_share_accepter.hub` where the spoke accepts an invitation.
 */
export class ProfileAssociations extends Construct {
  constructor(scope: Construct, id: string, props: ProfileAssociationsProps) {
    super(scope, id);
    let accepter: RamResourceShareAccepter | undefined;
    if (props.acceptShareArn !== undefined) {
      accepter = new RamResourceShareAccepter(this, 'accepter', { shareArn: `\${${props.acceptShareArn}}` });
      accepter.overrideLogicalId('hub');
    }
    if (props.vpcIds.length === 0) return;
    const each = TerraformIterator.fromList([...props.vpcIds]);
    new Route53ProfilesAssociation(this, 'association', {
      forEach: each,
      name: `vpce-hub-${each.key}`,
      profileId: `\${${props.profileId}}`,
      resourceId: each.key,
      dependsOn: accepter ? [accepter] : undefined,
    }).overrideLogicalId('hub');
  }
}
