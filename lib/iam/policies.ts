/**
 * Least-privilege IAM permissions policies for the four roles vpce-hub runs as: the hub deployer and
 * planner, and in each spoke account the spoke deployer and planner. Each names only the actions the
 * AWS provider calls for vpce-hub's resources (observed against the local fake and proven by
 * `npm run e2e`'s replay).
 *
 * Every document is constant in the number of accounts, VPCs and services, and the same in every
 * sharing mode, so that no IAM change comes before a day-2 change (an account joining, retiring or
 * leaving, a VPC or a service added or removed, a mode switch): they depend only on the hub's account,
 * region, VPC and subnets, and the role names. A spoke's documents are the same for every account but
 * for its own account ID, which a CloudFormation StackSet fills in (`cloudformation.ts`). What each
 * statement protects and what is wider than a per-account list: docs/security-and-iam.md, "IAM roles at scale".
 */
import type { VpceConfig } from '../config/schema';
import { S3, endpointServiceName } from '../services/catalog';
import type { PolicyDocument, Statement } from './evaluate';

/** The four kinds of role. */
export type RoleKind = 'hub-deployer' | 'hub-planner' | 'spoke-deployer' | 'spoke-planner';

/** The account of a spoke role's documents in the CloudFormation template: each account's own ID. */
export const TEMPLATE_ACCOUNT = '${AWS::AccountId}';

/**
 * Actions a policy grants that a run may never call, and why; everything else in a policy must be
 * called by some e2e scenario (the replay checks it). docs/security-and-iam.md lists the same.
 */
export const RARELY_CALLED: Readonly<Record<string, string>> = {
  'route53profiles:UntagResource':
    'removes a tag from the Profile (hub) or a Profile association (spoke) when a tag leaves `tags`',
  'ram:UntagResource': 'removes a tag from the RAM share when a tag leaves `tags`',
  'ram:UpdateResourceShare':
    'changes the share in place: its name, or allow_external_principals when `sharing.acceptInvitations` changes',
  'ec2:ModifyVpcEndpoint':
    "changes an S3 gateway endpoint's route tables or policy in place (spoke); the hub's is called (a new endpointPolicy)",
  'ec2:DeleteTags': 'removes a tag from an endpoint or the security group when a tag leaves `tags`',
  'ec2:CreateTags':
    'adds a tag to an existing resource when `tags` grows (tagging at creation is authorized too, and is called)',
  'route53:UpdateHostedZoneComment': "changes a zone's comment in place (only when vpce-hub's comment text changes)",
};

const DESCRIBE_EC2 = [
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSecurityGroupRules',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribePrefixLists',
  'ec2:DescribeNetworkInterfaces',
];
const READ_ZONES = [
  'route53:GetHostedZone',
  'route53:ListResourceRecordSets',
  'route53:ListTagsForResource',
  'route53:ListVPCAssociationAuthorizations',
];
/** Reads of the Route 53 Profile and its RAM share (they name no resource type: `*`). */
const READ_PROFILE = [
  'route53profiles:GetProfile',
  'route53profiles:GetProfileResourceAssociation',
  'route53profiles:ListTagsForResource',
];
const READ_SHARES = ['ram:GetResourceShares', 'ram:GetResourceShareAssociations'];
const ASSOCIATE_RESOURCE = 'route53profiles:AssociateResourceToProfile';
const DISASSOCIATE_RESOURCE = 'route53profiles:DisassociateResourceFromProfile';
const ZONES = 'arn:aws:route53:::hostedzone/*';

const policy = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/**
 * A VPC as Route 53's `route53:VPCs` condition key names it: `VPCId=<vpc-id>,VPCRegion=<region>`,
 * lower case (Route 53 developer guide, "Using IAM policy conditions for fine-grained access control").
 */
export function route53VpcKey(vpcId: string, region: string): string {
  return `VPCId=${vpcId.toLowerCase()},VPCRegion=${region.toLowerCase()}`;
}

/** A condition that the request names VPCs and each matches one of `patterns` (`route53:VPCs`). */
function onlyVpcs(operator: 'StringEquals' | 'StringLike', patterns: readonly string[]): Statement['Condition'] {
  return { [`ForAllValues:${operator}`]: { 'route53:VPCs': [...patterns] }, Null: { 'route53:VPCs': 'false' } };
}

/** Any VPC of the region, as `route53:VPCs` names it. */
const anyVpcIn = (region: string) => onlyVpcs('StringLike', [`VPCId=vpc-*,VPCRegion=${region.toLowerCase()}`]);

/** An account's EC2 ARNs of one type in the hub region. */
const ec2Arn = (region: string, account: string, type: string, id = '*') =>
  `arn:aws:ec2:${region}:${account}:${type}/${id}`;

/** The hub account's RAM ARNs of one type (`resource-share`, `resource-share-invitation`), in its region. */
function hubRam(config: VpceConfig, type: string): string {
  return `arn:aws:ram:${config.hub.region}:${config.hub.accountId}:${type}/*`;
}

/**
 * The hub deployer: the endpoints and their security group in the hub VPC, the zones on the hub VPC,
 * their records, the authorizations of spoke VPCs, and the Route 53 Profile with its RAM share.
 */
export function hubDeployerPolicy(config: VpceConfig): PolicyDocument {
  const { accountId, region, vpcId, subnetIds } = config.hub;
  const ec2 = (type: string, id = '*') => ec2Arn(region, accountId, type, id);
  const hubVpc = onlyVpcs('StringEquals', [route53VpcKey(vpcId, region)]);
  return policy(
    // A private zone's creation also needs ec2:DescribeVpcs (a dependent action).
    { Sid: 'DescribeNetworking', Effect: 'Allow', Action: ['ec2:DescribeVpcs', ...DESCRIBE_EC2], Resource: '*' },
    {
      Sid: 'EndpointSecurityGroup',
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: [ec2('security-group'), ec2('vpc', vpcId)],
    },
    {
      Sid: 'EndpointSecurityGroupRules',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:DeleteSecurityGroup',
      ],
      Resource: ec2('security-group'),
    },
    { Sid: 'EndpointsInTheHubVpc', Effect: 'Allow', Action: ['ec2:CreateVpcEndpoint'], Resource: ec2('vpc', vpcId) },
    {
      Sid: 'EndpointsInTheHubSubnets',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint'],
      Resource: [...subnetIds.map((s) => ec2('subnet', s)), ec2('security-group')],
    },
    // EC2 authorizes the new endpoint on its own, with the service it connects to.
    {
      Sid: 'EndpointsOfAwsServices',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoint'],
      Resource: ec2('vpc-endpoint'),
      Condition: { StringLike: { 'ec2:VpceServiceName': `com.amazonaws.${region}.*` } },
    },
    { Sid: 'ChangeEndpoints', Effect: 'Allow', Action: ['ec2:ModifyVpcEndpoint'], Resource: ec2('vpc-endpoint') },
    {
      Sid: 'DeleteEndpointsOfAwsServices',
      Effect: 'Allow',
      Action: ['ec2:DeleteVpcEndpoints'],
      Resource: ec2('vpc-endpoint'),
      Condition: { StringLike: { 'ec2:VpceServiceName': `com.amazonaws.${region}.*` } },
    },
    {
      Sid: 'TagEndpointsAndSecurityGroup',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: [ec2('vpc-endpoint'), ec2('security-group'), ec2('security-group-rule')],
    },
    // A zone is created on the hub VPC; private DNS on associates AWS's own zones with it (a
    // dependent action of ec2:CreateVpcEndpoint: the zone is AWS's, so only the VPC scopes it).
    {
      Sid: 'ZonesOnTheHubVpc',
      Effect: 'Allow',
      Action: ['route53:CreateHostedZone', 'route53:AssociateVPCWithHostedZone'],
      Resource: '*',
      Condition: hubVpc,
    },
    {
      Sid: 'ZonesAndRecords',
      Effect: 'Allow',
      Action: [
        ...READ_ZONES,
        'route53:ChangeResourceRecordSets',
        'route53:ChangeTagsForResource',
        'route53:UpdateHostedZoneComment',
        'route53:DeleteHostedZone',
      ],
      Resource: ZONES,
    },
    { Sid: 'Changes', Effect: 'Allow', Action: ['route53:GetChange'], Resource: 'arn:aws:route53:::change/*' },
    {
      Sid: 'AuthorizeSpokeVpcs',
      Effect: 'Allow',
      Action: ['route53:CreateVPCAssociationAuthorization', 'route53:DeleteVPCAssociationAuthorization'],
      Resource: ZONES,
      Condition: anyVpcIn(region),
    },
    ...hubProfileStatements(config),
  );
}

/**
 * The hub deployer's Route 53 Profile and its RAM share, scoped to the hub account's Profiles and
 * shares. The Profile holds the hub's own zones (any AWS service domain of the region) and its own
 * endpoints (by ARN). Sharing a Profile rewrites its resource policy (`GetProfilePolicy` /
 * `PutProfilePolicy`, Route 53 Developer Guide, sharing-profiles.html). Condition keys and values:
 * Route 53 Developer Guide, "Using IAM policy conditions for fine-grained access control".
 */
function hubProfileStatements(config: VpceConfig): Statement[] {
  const { accountId, region } = config.hub;
  const profiles = `arn:aws:route53profiles:${region}:${accountId}:profile/*`;
  const domains = [`*.${region}.amazonaws.com`, `*.${region}.amazonaws.com.`];
  return [
    {
      Sid: 'Route53Profile',
      Effect: 'Allow',
      Action: [...READ_PROFILE, 'route53profiles:CreateProfile', 'route53profiles:DeleteProfile'],
      Resource: '*',
    },
    {
      Sid: 'TagTheProfile',
      Effect: 'Allow',
      Action: ['route53profiles:TagResource', 'route53profiles:UntagResource'],
      Resource: profiles,
    },
    {
      Sid: 'HubZonesInTheProfile',
      Effect: 'Allow',
      Action: [ASSOCIATE_RESOURCE, DISASSOCIATE_RESOURCE],
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'route53profiles:ResourceTypes': ['HostedZone'] },
        'ForAllValues:StringLike': { 'route53profiles:HostedZoneDomains': domains },
        Null: { 'route53profiles:HostedZoneDomains': 'false' },
      },
    },
    {
      Sid: 'HubEndpointsInTheProfile',
      Effect: 'Allow',
      Action: [ASSOCIATE_RESOURCE, DISASSOCIATE_RESOURCE],
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'route53profiles:ResourceTypes': ['VPCEndpoint'] },
        'ForAllValues:ArnLike': { 'route53profiles:ResourceArns': [ec2Arn(region, accountId, 'vpc-endpoint')] },
        Null: { 'route53profiles:ResourceArns': 'false' },
      },
    },
    {
      Sid: 'ShareTheProfile',
      Effect: 'Allow',
      Action: ['route53profiles:GetProfilePolicy', 'route53profiles:PutProfilePolicy'],
      Resource: profiles,
    },
    { Sid: 'ReadShares', Effect: 'Allow', Action: [...READ_SHARES, 'ram:CreateResourceShare'], Resource: '*' },
    {
      Sid: 'OwnShares',
      Effect: 'Allow',
      Action: [
        'ram:AssociateResourceShare',
        'ram:DisassociateResourceShare',
        'ram:DeleteResourceShare',
        'ram:UpdateResourceShare',
        'ram:ListResourceSharePermissions',
        'ram:TagResource',
        'ram:UntagResource',
      ],
      Resource: hubRam(config, 'resource-share'),
    },
  ];
}

/** The hub planner: what a refresh and a plan read, nothing else. */
export function hubPlannerPolicy(config: VpceConfig): PolicyDocument {
  return policy(
    { Sid: 'DescribeNetworking', Effect: 'Allow', Action: DESCRIBE_EC2, Resource: '*' },
    { Sid: 'ReadZones', Effect: 'Allow', Action: READ_ZONES, Resource: ZONES },
    { Sid: 'ReadProfile', Effect: 'Allow', Action: [...READ_PROFILE, ...READ_SHARES], Resource: '*' },
    {
      Sid: 'ReadSharePermissions',
      Effect: 'Allow',
      Action: ['ram:ListResourceSharePermissions'],
      Resource: hubRam(config, 'resource-share'),
    },
    // The live doctor (npm run doctor -- --live): the zones of the hub VPC, and the Profile's resources.
    {
      Sid: 'LiveDoctorListZonesOfTheHubVpc',
      Effect: 'Allow',
      Action: ['route53:ListHostedZonesByVPC'],
      Resource: '*',
      Condition: anyVpcIn(config.hub.region),
    },
    {
      Sid: 'LiveDoctorListProfiles',
      Effect: 'Allow',
      Action: ['route53profiles:ListProfiles', 'route53profiles:ListProfileResourceAssociations'],
      Resource: '*',
    },
  );
}

/**
 * A spoke's deployer, in `account` (an account ID, or {@link TEMPLATE_ACCOUNT}): its VPCs' zone
 * associations or Profile association, the hub's RAM invitation, and its S3 gateway endpoints.
 */
export function spokeDeployerPolicy(config: VpceConfig, account: string): PolicyDocument {
  const region = config.hub.region;
  const ec2 = (type: string) => ec2Arn(region, account, type);
  return policy(
    // AssociateVPCWithHostedZone and AssociateProfile also need ec2:DescribeVpcs (a dependent action).
    {
      Sid: 'DescribeNetworking',
      Effect: 'Allow',
      Action: ['ec2:DescribeVpcs', 'ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
      Resource: '*',
    },
    // Route 53 lets only the VPC's own account associate it: the region bounds the rest.
    {
      Sid: 'AssociateOwnVpcs',
      Effect: 'Allow',
      Action: ['route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone'],
      Resource: ZONES,
      Condition: anyVpcIn(region),
    },
    {
      Sid: 'ListZonesOfOwnVpcs',
      Effect: 'Allow',
      Action: ['route53:ListHostedZonesByVPC'],
      Resource: '*',
      Condition: anyVpcIn(region),
    },
    { Sid: 'Changes', Effect: 'Allow', Action: ['route53:GetChange'], Resource: 'arn:aws:route53:::change/*' },
    ...spokeProfileStatements(config, account, 'deployer'),
    {
      Sid: 'S3GatewayEndpointsInOwnVpcs',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoint'],
      Resource: [ec2('vpc'), ec2('route-table')],
    },
    // EC2 authorizes the endpoint on its own, with the service it connects to.
    {
      Sid: 'S3GatewayEndpointsOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoint', 'ec2:DeleteVpcEndpoints'],
      Resource: ec2('vpc-endpoint'),
      Condition: { StringEquals: { 'ec2:VpceServiceName': endpointServiceName(S3, region) } },
    },
    {
      Sid: 'ChangeGatewayEndpoints',
      Effect: 'Allow',
      Action: ['ec2:ModifyVpcEndpoint'],
      Resource: [ec2('vpc-endpoint'), ec2('route-table')],
    },
    {
      Sid: 'TagGatewayEndpoints',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: ec2('vpc-endpoint'),
    },
  );
}

/**
 * A spoke's planner, in `account`: reads its VPCs' associations, the invitation and its gateway
 * endpoints; and for the live doctor, its VPCs' CIDRs, DNS attributes, DHCP options and Profile
 * associations.
 */
export function spokePlannerPolicy(config: VpceConfig, account: string): PolicyDocument {
  return policy(
    {
      Sid: 'DescribeGatewayEndpoints',
      Effect: 'Allow',
      Action: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
      Resource: '*',
    },
    {
      // The live doctor (CIDRs, DNS attributes, DHCP options) and discover (the VPCs that match its filter).
      Sid: 'DescribeVpcs',
      Effect: 'Allow',
      Action: ['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeDhcpOptions'],
      Resource: '*',
    },
    {
      Sid: 'LiveDoctorListProfileAssociations',
      Effect: 'Allow',
      Action: ['route53profiles:ListProfileAssociations'],
      Resource: '*',
    },
    {
      Sid: 'ListZonesOfOwnVpcs',
      Effect: 'Allow',
      Action: ['route53:ListHostedZonesByVPC'],
      Resource: '*',
      Condition: anyVpcIn(config.hub.region),
    },
    ...spokeProfileStatements(config, account, 'planner'),
  );
}

/**
 * A spoke's Route 53 Profile associations (any VPC: AWS lets an account associate only its own) and
 * the RAM invitation of the hub account's share.
 */
function spokeProfileStatements(config: VpceConfig, account: string, role: 'deployer' | 'planner'): Statement[] {
  const region = config.hub.region;
  const statements: Statement[] = [
    {
      Sid: 'ReadProfileAssociations',
      Effect: 'Allow',
      Action: [
        'route53profiles:GetProfileAssociation',
        'route53profiles:ListTagsForResource',
        'ram:GetResourceShareInvitations',
        'ram:GetResourceShares',
        'ram:ListResources',
      ],
      Resource: '*',
    },
  ];
  if (role === 'planner') return statements;
  return [
    ...statements,
    {
      Sid: 'AssociateOwnVpcsWithTheProfile',
      Effect: 'Allow',
      Action: ['route53profiles:AssociateProfile', 'route53profiles:DisassociateProfile'],
      Resource: '*',
      Condition: {
        'ForAllValues:StringLike': { 'route53profiles:ResourceIds': ['vpc-*'] },
        Null: { 'route53profiles:ResourceIds': 'false' },
      },
    },
    {
      Sid: 'TagProfileAssociations',
      Effect: 'Allow',
      Action: ['route53profiles:TagResource', 'route53profiles:UntagResource'],
      Resource: `arn:aws:route53profiles:${region}:${account}:profile-association/*`,
    },
    {
      Sid: 'AcceptTheHubsInvitation',
      Effect: 'Allow',
      Action: ['ram:AcceptResourceShareInvitation'],
      Resource: hubRam(config, 'resource-share-invitation'),
      Condition: { StringEquals: { 'ram:ShareOwnerAccountId': config.hub.accountId } },
    },
    // Destroying the accepter leaves the share.
    {
      Sid: 'LeaveTheHubsShare',
      Effect: 'Allow',
      Action: ['ram:DisassociateResourceShare'],
      Resource: hubRam(config, 'resource-share'),
    },
  ];
}

/**
 * What whoever runs `npm run discover` needs (a role or user of the management account or of a
 * delegated administrator of AWS Organizations; vpce-hub creates no role for it): read the
 * organization's accounts and OUs, and assume the spoke planner roles, within the organization when
 * `iam.organizationId` is known. The planner roles' own trust must admit it
 * (`iam.trustedPrincipals.planners`).
 */
export function discoverPolicy(config: VpceConfig, organizationId?: string): PolicyDocument {
  return policy(
    {
      Sid: 'ReadTheOrganization',
      Effect: 'Allow',
      Action: ['organizations:ListAccounts', 'organizations:ListAccountsForParent', 'organizations:ListChildren'],
      Resource: '*',
    },
    {
      Sid: 'AssumeTheSpokePlanners',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: `arn:aws:iam::*:role/${config.spokes.planRoleName}`,
      ...(organizationId ? { Condition: { StringEquals: { 'aws:ResourceOrgID': organizationId } } } : {}),
    },
  );
}
