/**
 * The hub's side of `sharing.mode: profile`: one Route 53 Profile holding every service zone, or
 * with `sharing.dns: endpoints` the endpoints themselves (AWS's private DNS on), shared through AWS
 * RAM. A spoke VPC associated with the Profile sees every zone and every endpoint's private DNS
 * names in it, so the hub holds no authorization, and nothing per VPC.
 *
 * Whom RAM shares with: organization and OU ARNs (one principal association each, none per
 * account), or account IDs (one principal association per account, in shards like the registry
 * records). `allow_external_principals` is on only when spokes accept invitations: RAM sends
 * invitations to accounts outside the organization, or to any account when RAM sharing with AWS
 * Organizations is not enabled.
 */
import {
  RamPrincipalAssociation,
  RamResourceAssociation,
  RamResourceShare,
  Route53ProfilesProfile,
  Route53ProfilesResourceAssociation,
} from '../framework/aws';
import { type ITerraformDependable, TerraformIterator } from '../framework/cdktf';
import { Construct } from 'constructs';
import { resourceName } from '../services/catalog';
import { accountShards } from './account-shards';

/** One zone the Profile holds. */
export interface ProfileZone {
  /** The catalog service of the zone. */
  readonly service: string;
  /** The zone's ARN (`aws_route53_zone.<name>.arn`). */
  readonly zoneArn: string;
  /**
   * The zone's records: the zone joins the Profile only once they exist, and leaves it before they
   * are deleted. Otherwise, when a service moves between its zone and its endpoint's private DNS,
   * spoke VPCs see the zone without its records (NXDOMAIN, not the public fallback) in between.
   */
  readonly records?: readonly ITerraformDependable[];
}

/** One endpoint the Profile holds: its private DNS names reach every associated VPC. */
export interface ProfileEndpoint {
  /** The catalog service of the endpoint. */
  readonly service: string;
  /** The endpoint's ARN (`aws_vpc_endpoint.<name>.arn`). */
  readonly endpointArn: string;
}

/** Properties of {@link HubProfile}. */
export interface HubProfileProps {
  /** The name of the Profile and of its RAM share. */
  readonly name: string;
  /** The zones the Profile holds. */
  readonly zones: readonly ProfileZone[];
  /** The endpoints the Profile holds (private DNS on). */
  readonly endpoints: readonly ProfileEndpoint[];
  /** Organization and OU ARNs the Profile is shared with. */
  readonly organizationPrincipals: readonly string[];
  /** Account IDs the Profile is shared with. */
  readonly accountPrincipals: readonly string[];
  /** Whether the share admits accounts that get (and accept) an invitation. */
  readonly allowExternalPrincipals: boolean;
}

/** The Terraform resource name of the principal associations of an account's shard: `account_<NN>`. */
const shardPrincipalsName = (shard: string): string => `account_${shard}`;

/** The Profile resource association name of a zone: the service with letters, digits and hyphens only. */
function associationName(service: string): string {
  return `vpce-hub-${service.replace(/[^A-Za-z0-9-]/g, '-')}`;
}

/**
 * Terraform addresses: `aws_route53profiles_profile.hub`,
 * `aws_route53profiles_resource_association.<service>` (one per zone, `<service>` as in
 * `ServiceEndpoint`), `aws_route53profiles_resource_association.<service>_endpoint` (one per
 * endpoint), `aws_ram_resource_share.profile`, `aws_ram_resource_association.profile`,
 * `aws_ram_principal_association.organization["<arn>"]` for organization and OU principals, and
 * `aws_ram_principal_association.account_<NN>["<account-id>"]` for account principals (`<NN>`: the
 * last two digits of the ID, so an account's address never changes when others come and go).
 */
export class HubProfile extends Construct {
  /** The Profile. */
  readonly profile: Route53ProfilesProfile;
  /** The RAM share of the Profile. */
  readonly share: RamResourceShare;

  constructor(scope: Construct, id: string, props: HubProfileProps) {
    super(scope, id);
    this.profile = new Route53ProfilesProfile(this, 'profile', { name: props.name });
    this.profile.overrideLogicalId('hub');

    for (const zone of props.zones) {
      new Route53ProfilesResourceAssociation(this, `zone-${zone.service}`, {
        name: associationName(zone.service),
        profileId: this.profile.id,
        resourceArn: zone.zoneArn,
        dependsOn: zone.records && zone.records.length > 0 ? [...zone.records] : undefined,
      }).overrideLogicalId(resourceName(zone.service));
    }
    for (const endpoint of props.endpoints) {
      new Route53ProfilesResourceAssociation(this, `endpoint-${endpoint.service}`, {
        name: `${associationName(endpoint.service)}-endpoint`,
        profileId: this.profile.id,
        resourceArn: endpoint.endpointArn,
      }).overrideLogicalId(`${resourceName(endpoint.service)}_endpoint`);
    }

    this.share = new RamResourceShare(this, 'share', {
      name: props.name,
      allowExternalPrincipals: props.allowExternalPrincipals,
    });
    this.share.overrideLogicalId('profile');
    new RamResourceAssociation(this, 'share-profile', {
      resourceShareArn: this.share.arn,
      resourceArn: this.profile.arn,
    }).overrideLogicalId('profile');

    if (props.organizationPrincipals.length > 0) {
      const each = TerraformIterator.fromList([...props.organizationPrincipals].sort());
      new RamPrincipalAssociation(this, 'organization', {
        forEach: each,
        resourceShareArn: this.share.arn,
        principal: each.key,
      }).overrideLogicalId('organization');
    }

    for (const [name, accounts] of accountShards(props.accountPrincipals, shardPrincipalsName)) {
      const each = TerraformIterator.fromList(accounts);
      new RamPrincipalAssociation(this, name, {
        forEach: each,
        resourceShareArn: this.share.arn,
        principal: each.key,
      }).overrideLogicalId(name);
    }
  }
}
