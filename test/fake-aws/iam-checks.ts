/**
 * The IAM authorizations an API call needs, as AWS evaluates them: the action, the resources it is
 * authorized against, and the condition keys the request carries. The fake records them with every
 * call, so a test can replay a run's calls against IAM policies.
 *
 * Sources: the Service Authorization Reference of EC2 and Route 53 (resource types and condition
 * keys per action; Route 53's `route53:VPCs` is `VPCId=<vpc-id>,VPCRegion=<region>`), and the EC2
 * user guide on tagging at creation (`TagSpecifications` also needs `ec2:CreateTags`, with
 * `ec2:CreateAction` naming the creating action). Dependent actions: a private hosted zone's
 * creation and `AssociateVPCWithHostedZone` also need `ec2:DescribeVpcs`.
 *
 * An interface endpoint's private DNS: AWS associates an AWS-managed private hosted zone with the
 * endpoint's VPC with the caller's permissions. The EC2 Service Authorization Reference lists
 * `route53:AssociateVPCWithHostedZone` as a dependent action of `ec2:CreateVpcEndpoint` (on its `vpc`
 * and `vpc-endpoint` resources). It lists none for `ec2:ModifyVpcEndpoint`, but turning private DNS on
 * there does the same association: modelled as needed too (conservatively: a policy that grants it
 * is never wrong, one that does not may fail on AWS). The zone is AWS's and has no ID before the call:
 * the check names `hostedzone/*`, with the endpoint's VPC as `route53:VPCs`.
 */
import { hostedZoneArn, hostedZoneIdOfArn } from './dns-names';
import { qList, qString, qStrings, tagsFromPairs, type QueryObject } from './protocol';
import type { JsonObject } from './rest-json';
import { endpointArnParts } from './route53profiles';

/** One authorization a call needs. */
export interface IamCheck {
  /** e.g. `route53:AssociateVPCWithHostedZone`. */
  readonly action: string;
  /** The resources the action is authorized against (`*` where it has none). */
  readonly resources: readonly string[];
  /** Condition keys of the request, each with its values. */
  readonly context: Readonly<Record<string, readonly string[]>>;
}

const EC2_CREATE_ACTIONS: Record<string, string> = {
  CreateVpcEndpoint: 'vpc-endpoint',
  CreateDhcpOptions: 'dhcp-options',
  CreateSecurityGroup: 'security-group',
  AuthorizeSecurityGroupIngress: 'security-group-rule',
  AuthorizeSecurityGroupEgress: 'security-group-rule',
};

/** What the world knows that an EC2 call's checks need. */
export interface Ec2CallFacts {
  /** The VPC of an existing endpoint (ModifyVpcEndpoint names only the endpoint). */
  readonly endpointVpc?: (endpointId: string) => string | undefined;
  /** The service of an existing endpoint (DeleteVpcEndpoints carries it as `ec2:VpceServiceName`). */
  readonly endpointService?: (endpointId: string) => string | undefined;
}

/** Whether an EC2 call turns an interface endpoint's private DNS on (a create defaults to on). */
function turnsPrivateDnsOn(action: string, params: QueryObject): boolean {
  const flag = qString(params, 'PrivateDnsEnabled');
  if (action === 'CreateVpcEndpoint') {
    return (qString(params, 'VpcEndpointType') ?? 'Gateway') === 'Interface' && flag !== 'false';
  }
  return action === 'ModifyVpcEndpoint' && flag === 'true';
}

/** The checks of one EC2 call by `account` in `region`. */
export function ec2Checks(
  action: string,
  params: QueryObject,
  account: string,
  region: string,
  facts: Ec2CallFacts = {},
): IamCheck[] {
  const arn = (type: string, id: string) => `arn:aws:ec2:${region}:${account}:${type}/${id}`;
  const many = (type: string, ids: string[]) => ids.map((id) => arn(type, id));
  const check = (resources: string[], context: Record<string, string[]> = {}): IamCheck => ({
    action: `ec2:${action}`,
    resources,
    context,
  });
  const checks: IamCheck[] = [];
  switch (action) {
    case 'CreateVpcEndpoint':
      // EC2 authorizes each resource with its own condition keys: the new endpoint carries the
      // service it connects to.
      checks.push(
        check([
          arn('vpc', qString(params, 'VpcId') ?? ''),
          ...many('subnet', qStrings(params, 'SubnetId')),
          ...many('security-group', qStrings(params, 'SecurityGroupId')),
          ...many('route-table', qStrings(params, 'RouteTableId')),
        ]),
        check([arn('vpc-endpoint', '*')], { 'ec2:VpceServiceName': [qString(params, 'ServiceName') ?? ''] }),
      );
      break;
    case 'ModifyVpcEndpoint':
      checks.push(
        check([
          arn('vpc-endpoint', qString(params, 'VpcEndpointId') ?? ''),
          ...many('subnet', [...qStrings(params, 'AddSubnetId'), ...qStrings(params, 'RemoveSubnetId')]),
          ...many('security-group', [
            ...qStrings(params, 'AddSecurityGroupId'),
            ...qStrings(params, 'RemoveSecurityGroupId'),
          ]),
          ...many('route-table', [...qStrings(params, 'AddRouteTableId'), ...qStrings(params, 'RemoveRouteTableId')]),
        ]),
      );
      break;
    case 'DeleteVpcEndpoints':
      // Each endpoint with its own service.
      for (const id of qStrings(params, 'VpcEndpointId')) {
        const serviceName = facts.endpointService?.(id);
        checks.push(check([arn('vpc-endpoint', id)], serviceName ? { 'ec2:VpceServiceName': [serviceName] } : {}));
      }
      break;
    case 'CreateSecurityGroup':
      checks.push(check([arn('security-group', '*'), arn('vpc', qString(params, 'VpcId') ?? '')]));
      break;
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress':
    case 'RevokeSecurityGroupIngress':
    case 'RevokeSecurityGroupEgress':
    case 'DeleteSecurityGroup':
      checks.push(check([arn('security-group', qString(params, 'GroupId') ?? '')]));
      break;
    case 'CreateTags':
    case 'DeleteTags':
      checks.push(check(qStrings(params, 'ResourceId').map((id) => arn(ec2ResourceType(id), id))));
      break;
    case 'DescribeVpcAttribute':
      // One of the few Describe actions with a resource type: the VPC (`vpc*`).
      checks.push(check([arn('vpc', qString(params, 'VpcId') ?? '')]));
      break;
    case 'ModifyVpcAttribute': {
      // The VPC, with the attribute being set: `ec2:Attribute` names it, `ec2:Attribute/<name>` carries
      // its value (the keys' form for this action is assumed from the reference's descriptions).
      const member = ['EnableDnsSupport', 'EnableDnsHostnames', 'EnableNetworkAddressUsageMetrics'].find(
        (m) => qString(params[m], 'Value') !== undefined,
      );
      checks.push(
        check(
          [arn('vpc', qString(params, 'VpcId') ?? '')],
          member
            ? { 'ec2:Attribute': [member], [`ec2:Attribute/${member}`]: [qString(params[member], 'Value') ?? ''] }
            : {},
        ),
      );
      break;
    }
    case 'CreateDhcpOptions':
      checks.push(check([arn('dhcp-options', '*')]));
      break;
    case 'AssociateDhcpOptions':
      // `default` (no options set) names no set of the account: assumed to be authorized as one named `default`.
      checks.push(
        check([
          arn('dhcp-options', qString(params, 'DhcpOptionsId') ?? ''),
          arn('vpc', qString(params, 'VpcId') ?? ''),
        ]),
      );
      break;
    case 'DeleteDhcpOptions':
      checks.push(check([arn('dhcp-options', qString(params, 'DhcpOptionsId') ?? '')]));
      break;
    default:
      // Describe* (and the world set-up's CreateVpc/CreateSubnet) authorize against no resource.
      checks.push(check(['*']));
  }
  // Private DNS on: AWS associates its managed zone with the endpoint's VPC as the caller.
  if (turnsPrivateDnsOn(action, params)) {
    const vpcId =
      action === 'CreateVpcEndpoint'
        ? qString(params, 'VpcId')
        : facts.endpointVpc?.(qString(params, 'VpcEndpointId') ?? '');
    checks.push({
      action: 'route53:AssociateVPCWithHostedZone',
      resources: [hostedZoneArn('*')],
      context: vpcId ? { 'route53:VPCs': [route53VpcKey(vpcId, region)] } : {},
    });
  }
  // Tagging at creation is authorized as ec2:CreateTags on the new resource.
  const created = EC2_CREATE_ACTIONS[action];
  if (created && qList(params, 'TagSpecification').length > 0) {
    checks.push({
      action: 'ec2:CreateTags',
      resources: [arn(created, '*')],
      context: { 'ec2:CreateAction': [action] },
    });
  }
  return checks;
}

function ec2ResourceType(id: string): string {
  const prefix = id.split('-')[0];
  return (
    {
      vpce: 'vpc-endpoint',
      sg: 'security-group',
      sgr: 'security-group-rule',
      vpc: 'vpc',
      subnet: 'subnet',
      rtb: 'route-table',
      dopt: 'dhcp-options',
    }[prefix] ?? prefix
  );
}

/** `VPCId=<vpc-id>,VPCRegion=<region>`, the value of `route53:VPCs`. */
export function route53VpcKey(vpcId: string, region: string): string {
  return `VPCId=${vpcId.toLowerCase()},VPCRegion=${region.toLowerCase()}`;
}

/** The checks of one Route 53 call; `zoneId` is the zone the path names, `vpc` the request's VPC. */
export function route53Checks(
  action: string,
  zoneId: string | undefined,
  vpc: { vpcId: string; region: string } | undefined,
): IamCheck[] {
  const zone = zoneId ? [hostedZoneArn(zoneId)] : ['*'];
  const vpcs: Record<string, string[]> = vpc ? { 'route53:VPCs': [route53VpcKey(vpc.vpcId, vpc.region)] } : {};
  const check = (resources: string[], context: Record<string, string[]> = {}): IamCheck => ({
    action: `route53:${action}`,
    resources,
    context,
  });
  const describeVpcs: IamCheck = { action: 'ec2:DescribeVpcs', resources: ['*'], context: {} };
  switch (action) {
    case 'CreateHostedZone':
      return vpc ? [check(['*'], vpcs), describeVpcs] : [check(['*'])];
    case 'AssociateVPCWithHostedZone':
      return [check(zone, vpcs), describeVpcs];
    case 'DisassociateVPCFromHostedZone':
    case 'CreateVPCAssociationAuthorization':
    case 'DeleteVPCAssociationAuthorization':
      return [check(zone, vpcs)];
    case 'ListHostedZonesByVPC':
      return [check(['*'], vpcs)];
    case 'GetChange':
      return [check([`arn:aws:route53:::change/${zoneId ?? '*'}`])];
    case 'ListHostedZones':
      return [check(['*'])];
    default:
      return [check(zone)];
  }
}

// ---- Route 53 Profiles ----
//
// Source: Service Authorization Reference, "Actions, resources, and condition keys for Amazon Route
// 53 Profiles" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_route53profiles.html):
// no action but TagResource / UntagResource (profile, profile-association) and the permission-only
// GetProfilePolicy / PutProfilePolicy (profile*) names a resource type, so they are authorized
// against `*`; AssociateProfile and DisassociateProfile carry `route53profiles:ResourceIds` (the VPC);
// AssociateResourceToProfile and DisassociateResourceFromProfile `route53profiles:ResourceArns`,
// `route53profiles:ResourceTypes` (`HostedZone`; `VPCEndpoint` for an endpoint, as the Route 53
// guide's "Using IAM policy conditions" lists the values) and `route53profiles:HostedZoneDomains`; the API
// operations table adds `route53profiles:TagResource` to CreateProfile and AssociateProfile (when they
// carry tags). The reference lists no dependent actions, but the managed policy
// AmazonRoute53ProfilesFullAccess grants, besides route53profiles:* and read-only
// route53resolver:Get*, exactly `ec2:DescribeVpcs` and `route53:GetHostedZone`: the signs that
// AssociateProfile reads the VPC and AssociateResourceToProfile the zone with the caller's
// permissions. They are modelled as needed (conservatively: a policy that grants them is never
// wrong, one that does not may fail on AWS).

/** What a Route 53 Profiles call names, for its checks. */
export interface ProfilesCallFacts {
  readonly account: string;
  readonly region: string;
  /** Path labels (ProfileId, ResourceId, ResourceArn, ...). */
  readonly labels: Readonly<Record<string, string>>;
  readonly body: JsonObject;
  /** The domain of the zone a resource ARN names, when the world has it. */
  readonly zoneDomain: (resourceArn: string) => string | undefined;
}

/** The checks of one Route 53 Profiles call. */
export function route53profilesChecks(action: string, facts: ProfilesCallFacts): IamCheck[] {
  const check = (resources: string[], context: Record<string, string[]> = {}, name = action): IamCheck => ({
    action: `route53profiles:${name}`,
    resources,
    context,
  });
  const tags = facts.body.Tags;
  const tagKeys = Array.isArray(tags)
    ? Object.keys(tagsFromPairs(tags, ['Key', 'Value']))
    : tags && typeof tags === 'object'
      ? Object.keys(tags)
      : [];
  const tagContext: Record<string, string[]> = tagKeys.length > 0 ? { 'aws:TagKeys': tagKeys } : {};
  const tagging = (resource: string): IamCheck[] =>
    tagKeys.length > 0 ? [check([resource], tagContext, 'TagResource')] : [];
  const resourceContext = (arn: string | undefined): Record<string, string[]> => {
    if (!arn) return {};
    const domain = facts.zoneDomain(arn);
    const type =
      hostedZoneIdOfArn(arn) !== undefined ? 'HostedZone' : endpointArnParts(arn) ? 'VPCEndpoint' : undefined;
    return {
      'route53profiles:ResourceArns': [arn],
      ...(type ? { 'route53profiles:ResourceTypes': [type] } : {}),
      ...(domain ? { 'route53profiles:HostedZoneDomains': [domain] } : {}),
    };
  };
  const arn = (type: string, id: string) => `arn:aws:route53profiles:${facts.region}:${facts.account}:${type}/${id}`;
  switch (action) {
    case 'CreateProfile':
      return [check(['*'], tagContext), ...tagging(arn('profile', '*'))];
    case 'AssociateProfile': {
      const vpcId = String(facts.body.ResourceId ?? '');
      return [
        check(['*'], { 'route53profiles:ResourceIds': [vpcId], ...tagContext }),
        ...tagging(arn('profile-association', '*')),
        { action: 'ec2:DescribeVpcs', resources: ['*'], context: {} },
      ];
    }
    case 'DisassociateProfile':
      return [check(['*'], { 'route53profiles:ResourceIds': [facts.labels.ResourceId ?? ''] })];
    case 'AssociateResourceToProfile': {
      const resourceArn = typeof facts.body.ResourceArn === 'string' ? facts.body.ResourceArn : undefined;
      const zone =
        resourceArn && hostedZoneIdOfArn(resourceArn) !== undefined
          ? [{ action: 'route53:GetHostedZone', resources: [resourceArn], context: {} }]
          : [];
      return [check(['*'], resourceContext(resourceArn)), ...zone];
    }
    case 'DisassociateResourceFromProfile':
      return [check(['*'], resourceContext(facts.labels.ResourceArn))];
    case 'TagResource':
    case 'UntagResource':
      return [check([facts.labels.ResourceArn ?? '*'], action === 'TagResource' ? tagContext : {})];
    default:
      // Get*, List*, DeleteProfile, UpdateProfileResourceAssociation: no resource type.
      return [check(['*'])];
  }
}

// ---- AWS RAM ----
//
// Source: Service Authorization Reference, "Actions, resources, and condition keys for AWS Resource
// Access Manager (RAM)" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_ram.html):
// CreateResourceShare, GetResourceShares, GetResourceShareAssociations, GetResourceShareInvitations and
// ListResources name no resource type (`*`); AssociateResourceShare, DisassociateResourceShare,
// DeleteResourceShare, UpdateResourceShare, ListResourceSharePermissions, TagResource and UntagResource
// are authorized against the resource share (`resource-share*`); AcceptResourceShareInvitation and
// RejectResourceShareInvitation against the invitation (`resource-share-invitation*`, with
// `ram:ShareOwnerAccountId`); CreateResourceShare also needs `ram:TagResource` when it tags.
// Sharing a Profile also needs, on the Profile, "the route53profiles:GetProfilePolicy and
// route53profiles:PutProfilePolicy actions ... If an IAM principal doesn't have these permissions
// granted, an error will occur when attempting to share the Profile using the AWS RAM service" (Route
// 53 Developer Guide, sharing-profiles.html): modelled on every AssociateResourceShare and
// DisassociateResourceShare by the owner of a share that holds, or is given, Profiles (RAM rewrites
// the Profile's policy whenever its resources or principals change).

/** What a RAM call names, for its checks. */
export interface RamCallFacts {
  readonly account: string;
  readonly region: string;
  readonly body: JsonObject;
  readonly query: URLSearchParams;
  /** A share by ARN: its name, owner, whether it allows external principals, the Profiles it holds. */
  readonly share: (
    arn: string,
  ) => { name: string; owner: string; allowExternalPrincipals: boolean; profileArns: string[] } | undefined;
  /** An invitation by ARN: the share's owner and name. */
  readonly invitation: (arn: string) => { owner: string; shareName?: string } | undefined;
}

/** The checks of one RAM call. */
export function ramChecks(action: string, facts: RamCallFacts): IamCheck[] {
  const check = (resources: string[], context: Record<string, string[]> = {}, name = action): IamCheck => ({
    action: `ram:${name}`,
    resources,
    context,
  });
  const shareArn = String(facts.body.resourceShareArn ?? facts.query.get('resourceShareArn') ?? '');
  const share = facts.share(shareArn);
  const shareContext: Record<string, string[]> = share
    ? { 'ram:ResourceShareName': [share.name], 'ram:AllowsExternalPrincipals': [String(share.allowExternalPrincipals)] }
    : {};
  const principals = Array.isArray(facts.body.principals) ? facts.body.principals.map(String) : [];
  const resourceArns = Array.isArray(facts.body.resourceArns) ? facts.body.resourceArns.map(String) : [];
  const requestContext: Record<string, string[]> = {
    ...(principals.length > 0 ? { 'ram:Principal': principals } : {}),
    ...(resourceArns.length > 0 ? { 'ram:ResourceArn': resourceArns } : {}),
    ...(resourceArns.some((a) => a.includes(':route53profiles:'))
      ? { 'ram:RequestedResourceType': ['route53profiles:Profile'] }
      : {}),
  };
  const profilePolicy = (profiles: string[]): IamCheck[] =>
    [...new Set(profiles)].flatMap((profile) => [
      { action: 'route53profiles:GetProfilePolicy', resources: [profile], context: {} },
      { action: 'route53profiles:PutProfilePolicy', resources: [profile], context: {} },
    ]);
  const tags = Array.isArray(facts.body.tags) ? Object.keys(tagsFromPairs(facts.body.tags, ['key', 'value'])) : [];
  switch (action) {
    case 'CreateResourceShare':
      return [
        check(['*'], {
          'ram:RequestedAllowsExternalPrincipals': [String(facts.body.allowExternalPrincipals ?? true)],
          ...requestContext,
          ...(tags.length > 0 ? { 'aws:TagKeys': tags } : {}),
        }),
        ...(tags.length > 0
          ? [
              check(
                [`arn:aws:ram:${facts.region}:${facts.account}:resource-share/*`],
                { 'aws:TagKeys': tags },
                'TagResource',
              ),
            ]
          : []),
        ...profilePolicy(resourceArns.filter((a) => a.includes(':route53profiles:'))),
      ];
    case 'AssociateResourceShare':
    case 'DisassociateResourceShare': {
      const owned = share?.owner === facts.account;
      const profiles = owned
        ? [
            ...resourceArns.filter((a) => a.includes(':route53profiles:')),
            ...(principals.length > 0 ? share.profileArns : []),
          ]
        : [];
      return [check([shareArn], { ...shareContext, ...requestContext }), ...profilePolicy(profiles)];
    }
    case 'DeleteResourceShare':
    case 'UpdateResourceShare':
    case 'ListResourceSharePermissions':
      return [
        check([shareArn], {
          ...shareContext,
          ...(action === 'UpdateResourceShare' && typeof facts.body.allowExternalPrincipals === 'boolean'
            ? { 'ram:RequestedAllowsExternalPrincipals': [String(facts.body.allowExternalPrincipals)] }
            : {}),
        }),
      ];
    case 'TagResource':
    case 'UntagResource':
      return [
        check([shareArn], {
          ...shareContext,
          ...(action === 'TagResource' && tags.length > 0 ? { 'aws:TagKeys': tags } : {}),
        }),
      ];
    case 'AcceptResourceShareInvitation':
    case 'RejectResourceShareInvitation':
    case 'ListPendingInvitationResources': {
      const arn = String(facts.body.resourceShareInvitationArn ?? '');
      const invitation = facts.invitation(arn);
      return [
        check([arn], {
          ...(invitation ? { 'ram:ShareOwnerAccountId': [invitation.owner] } : {}),
          ...(invitation?.shareName ? { 'ram:ResourceShareName': [invitation.shareName] } : {}),
        }),
      ];
    }
    default:
      // GetResourceShares, GetResourceShareAssociations, GetResourceShareInvitations, ListResources, ...
      return [check(['*'])];
  }
}

// ---- AWS Organizations ----
//
// Source: Service Authorization Reference, "Actions, resources, and condition keys for AWS
// Organizations" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html):
// ListAccounts, ListRoots and DescribeOrganization name no resource type (`*`); DescribeAccount is
// authorized against the account (`account*`), DescribeOrganizationalUnit against the OU
// (`organizationalunit*`), ListChildren and ListAccountsForParent optionally against the parent
// (`organizationalunit`, `root`). A policy with Resource `*` grants all of them (the AWS managed
// policy AWSOrganizationsReadOnlyAccess grants `organizations:Describe*` and `organizations:List*` on
// `*`), and the fake records every one against `*`: a policy narrowed to account, OU or root ARNs is
// not modelled.

/** The checks of one Organizations call (the read operations organizations.ts serves). */
export function organizationsChecks(action: string): IamCheck[] {
  return [{ action: `organizations:${action}`, resources: ['*'], context: {} }];
}
