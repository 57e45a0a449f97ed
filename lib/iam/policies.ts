/**
 * Least-privilege IAM policies for the four roles vpce-hub runs as, from a configuration: the hub
 * deployer and planner, and per spoke account the spoke deployer and planner. Each names only the
 * actions the AWS provider calls for vpce-hub's resources (observed against the local fake and
 * proven by `npm run e2e`'s replay), scoped to the configuration's account, region, VPCs and
 * subnets wherever IAM allows: zone IDs exist only after apply, so the Route 53 association actions
 * are scoped by the `route53:VPCs` condition to the configured VPCs instead.
 */
import type { VpceConfig } from '../config/schema';
import { servesPrivateDns, sharingOf, spokeAcceptsInvitation } from '../config/sharing';
import { hubServices } from '../config/schema';
import { zoneName } from '../services/catalog';
import { hubRoles, spokeRoles } from '../stacks/roles';
import type { PolicyDocument, Statement } from './evaluate';

/** The four kinds of role. */
export type RoleKind = 'hub-deployer' | 'hub-planner' | 'spoke-deployer' | 'spoke-planner';

/** One role of one account, with its permissions policy. */
export interface RolePolicy {
  readonly kind: RoleKind;
  readonly account: string;
  readonly roleArn: string;
  readonly policy: PolicyDocument;
}

/**
 * Actions a policy grants that a run may never call, and why; everything else in a policy must be
 * called by some e2e scenario (the replay checks it). The README lists the same.
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

const policy = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/**
 * A VPC as Route 53's `route53:VPCs` condition key names it: `VPCId=<vpc-id>,VPCRegion=<region>`,
 * lower case (Route 53 developer guide, "Using IAM policy conditions for fine-grained access control").
 */
export function route53VpcKey(vpcId: string, region: string): string {
  return `VPCId=${vpcId.toLowerCase()},VPCRegion=${region.toLowerCase()}`;
}

/** A condition that the request's VPCs are all among `vpcKeys` (and that it names one). */
function onlyVpcs(vpcKeys: readonly string[]): Statement['Condition'] {
  return { 'ForAllValues:StringEquals': { 'route53:VPCs': [...vpcKeys] }, Null: { 'route53:VPCs': 'false' } };
}

/** The hub deployer: endpoints, their security group, zones, records and authorizations. */
export function hubDeployerPolicy(config: VpceConfig): PolicyDocument {
  const { accountId, region, vpcId, subnetIds } = config.hub;
  const ec2 = (type: string, id = '*') => `arn:aws:ec2:${region}:${accountId}:${type}/${id}`;
  const spokeVpcs = config.accounts.flatMap((a) => a.vpcIds.map((vpc) => route53VpcKey(vpc, region)));
  const statements: Statement[] = [
    { Sid: 'DescribeNetworking', Effect: 'Allow', Action: DESCRIBE_EC2, Resource: '*' },
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
      Resource: [ec2('security-group')],
    },
    {
      Sid: 'InterfaceEndpoints',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint'],
      Resource: [
        ec2('vpc', vpcId),
        ...subnetIds.map((s) => ec2('subnet', s)),
        ec2('security-group'),
        ec2('vpc-endpoint'),
      ],
    },
    { Sid: 'DeleteEndpoints', Effect: 'Allow', Action: ['ec2:DeleteVpcEndpoints'], Resource: [ec2('vpc-endpoint')] },
    {
      Sid: 'TagEndpointsAndSecurityGroup',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: [ec2('vpc-endpoint'), ec2('security-group'), ec2('security-group-rule')],
    },
    {
      Sid: 'PrivateZonesOnTheHubVpc',
      Effect: 'Allow',
      Action: ['route53:CreateHostedZone'],
      Resource: '*',
      Condition: onlyVpcs([route53VpcKey(vpcId, region)]),
    },
    // A private zone's creation also needs ec2:DescribeVpcs (a dependent action).
    { Sid: 'DescribeVpcs', Effect: 'Allow', Action: ['ec2:DescribeVpcs'], Resource: '*' },
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
      Resource: 'arn:aws:route53:::hostedzone/*',
    },
    { Sid: 'Changes', Effect: 'Allow', Action: ['route53:GetChange'], Resource: 'arn:aws:route53:::change/*' },
  ];
  if (spokeVpcs.length > 0 && sharingOf(config).hub.associations) {
    statements.push({
      Sid: 'AuthorizeTheSpokeVpcs',
      Effect: 'Allow',
      Action: ['route53:CreateVPCAssociationAuthorization', 'route53:DeleteVPCAssociationAuthorization'],
      Resource: 'arn:aws:route53:::hostedzone/*',
      Condition: onlyVpcs(spokeVpcs),
    });
  }
  // Private DNS on (`sharing.dns: endpoints`): EC2 associates AWS's managed zone of each private DNS
  // name with the hub VPC as the caller (a dependent action of ec2:CreateVpcEndpoint; the zone's ID
  // is AWS's, so only the VPC scopes it).
  if (hubServices(config).some((service) => servesPrivateDns(config.sharing, service))) {
    statements.push({
      Sid: 'PrivateDnsOnTheHubVpc',
      Effect: 'Allow',
      Action: ['route53:AssociateVPCWithHostedZone'],
      Resource: 'arn:aws:route53:::hostedzone/*',
      Condition: onlyVpcs([route53VpcKey(vpcId, region)]),
    });
  }
  if (sharingOf(config).hub.profile) statements.push(...hubProfileStatements(config));
  return policy(...statements);
}

/** Reads of the Route 53 Profile and its RAM share (they name no resource type: `*`). */
const READ_PROFILE = [
  'route53profiles:GetProfile',
  'route53profiles:GetProfileResourceAssociation',
  'route53profiles:ListTagsForResource',
];
const READ_SHARES = ['ram:GetResourceShares', 'ram:GetResourceShareAssociations'];

/** The hub account's RAM ARNs of one type (`resource-share`, `resource-share-invitation`), in its region. */
function hubRam(config: VpceConfig, type: string): string {
  return `arn:aws:ram:${config.hub.region}:${config.hub.accountId}:${type}/*`;
}

const ASSOCIATE_RESOURCE = 'route53profiles:AssociateResourceToProfile';
const DISASSOCIATE_RESOURCE = 'route53profiles:DisassociateResourceFromProfile';

/**
 * Profile mode, the hub deployer: its Profile with the hub's own zones (by domain) and endpoints (by
 * ARN), and the RAM share of it, scoped to the hub account's shares. Sharing a Profile rewrites its
 * resource policy (`GetProfilePolicy`/`PutProfilePolicy`, Route 53 Developer Guide, sharing-profiles.html).
 *
 * What the Profile holds follows `sharing.dns` (and `zoneServices`): the deployer puts in only
 * the zones and endpoints of this configuration, and takes out any of the hub's own, because the
 * apply that moves a service between its zone and its endpoint's private DNS takes out what the
 * previous configuration held (a zone's domain, an endpoint), with this configuration's policy.
 * Condition keys and values: Route 53 Developer Guide, "Using IAM policy conditions for fine-grained
 * access control" (`route53profiles:ResourceTypes` `HostedZone` / `VPCEndpoint`;
 * `route53profiles:ResourceArns`, compared with `ArnLike`; `route53profiles:HostedZoneDomains`).
 */
function hubProfileStatements(config: VpceConfig): Statement[] {
  const { accountId, region } = config.hub;
  const profiles = `arn:aws:route53profiles:${region}:${accountId}:profile/*`;
  const shares = hubRam(config, 'resource-share');
  const domainsOf = (services: readonly string[]) =>
    services.flatMap((service) => [zoneName(service, region), `${zoneName(service, region)}.`]);
  const privateDns = (service: string) => servesPrivateDns(config.sharing, service);
  const zoneServices = hubServices(config).filter((service) => !privateDns(service));
  const endpointServices = hubServices(config).filter(privateDns);
  const zones = (sid: string, actions: string[], services: readonly string[]): Statement => ({
    Sid: sid,
    Effect: 'Allow',
    Action: actions,
    Resource: '*',
    Condition: {
      'ForAllValues:StringEquals': {
        'route53profiles:ResourceTypes': ['HostedZone'],
        'route53profiles:HostedZoneDomains': domainsOf(services),
      },
    },
  });
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
    ...(zoneServices.length > 0
      ? [zones('HubZonesInTheProfile', [ASSOCIATE_RESOURCE, DISASSOCIATE_RESOURCE], zoneServices)]
      : []),
    // Moving a service to its endpoint's private DNS takes its zone out of the Profile.
    ...(endpointServices.length > 0
      ? [zones('HubZonesLeavingTheProfile', [DISASSOCIATE_RESOURCE], endpointServices)]
      : []),
    // The hub's own endpoints (private DNS on): put in with `dns: endpoints`; taken out when a
    // service goes back to its zone (`dns: zones`, or a service added to zoneServices).
    {
      Sid: 'HubEndpointsInTheProfile',
      Effect: 'Allow',
      Action: endpointServices.length > 0 ? [ASSOCIATE_RESOURCE, DISASSOCIATE_RESOURCE] : [DISASSOCIATE_RESOURCE],
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'route53profiles:ResourceTypes': ['VPCEndpoint'] },
        'ForAllValues:ArnLike': {
          'route53profiles:ResourceArns': [`arn:aws:ec2:${region}:${accountId}:vpc-endpoint/*`],
        },
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
      Resource: shares,
    },
  ];
}

/** The hub planner: what a refresh and a plan read, nothing else. */
export function hubPlannerPolicy(config: VpceConfig): PolicyDocument {
  const statements: Statement[] = [
    { Sid: 'DescribeNetworking', Effect: 'Allow', Action: DESCRIBE_EC2, Resource: '*' },
    { Sid: 'ReadZones', Effect: 'Allow', Action: READ_ZONES, Resource: 'arn:aws:route53:::hostedzone/*' },
  ];
  if (sharingOf(config).hub.profile) {
    const shares = hubRam(config, 'resource-share');
    statements.push(
      { Sid: 'ReadProfile', Effect: 'Allow', Action: [...READ_PROFILE, ...READ_SHARES], Resource: '*' },
      { Sid: 'ReadSharePermissions', Effect: 'Allow', Action: ['ram:ListResourceSharePermissions'], Resource: shares },
    );
  }
  return policy(...statements);
}

/** A spoke's deployer: its VPCs' associations, and its S3 gateway endpoints if it has any. */
export function spokeDeployerPolicy(config: VpceConfig, accountId: string): PolicyDocument {
  const account = config.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`internal: no account ${accountId}`);
  const region = config.hub.region;
  const vpcs = account.vpcIds.map((vpc) => route53VpcKey(vpc, region));
  const sharing = sharingOf(config);
  const statements: Statement[] = [];
  if (sharing.spokes.associations) {
    statements.push(
      {
        Sid: 'AssociateOwnVpcs',
        Effect: 'Allow',
        Action: ['route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone'],
        Resource: 'arn:aws:route53:::hostedzone/*',
        Condition: onlyVpcs(vpcs),
      },
      {
        Sid: 'ListZonesOfOwnVpcs',
        Effect: 'Allow',
        Action: ['route53:ListHostedZonesByVPC'],
        Resource: '*',
        Condition: onlyVpcs(vpcs),
      },
      { Sid: 'Changes', Effect: 'Allow', Action: ['route53:GetChange'], Resource: 'arn:aws:route53:::change/*' },
    );
  }
  if (sharing.spokes.profile) statements.push(...spokeProfileStatements(config, accountId, 'deployer'));
  // AssociateVPCWithHostedZone and AssociateProfile also need ec2:DescribeVpcs (a dependent action).
  statements.push({ Sid: 'DescribeVpcs', Effect: 'Allow', Action: ['ec2:DescribeVpcs'], Resource: '*' });
  const gateways = Object.entries(account.s3GatewayRouteTables);
  if (gateways.length > 0) {
    const ec2 = (type: string, id = '*') => `arn:aws:ec2:${region}:${accountId}:${type}/${id}`;
    statements.push(
      {
        Sid: 'DescribeGatewayEndpoints',
        Effect: 'Allow',
        Action: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
        Resource: '*',
      },
      {
        Sid: 'S3GatewayEndpoints',
        Effect: 'Allow',
        Action: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint'],
        Resource: [
          ...gateways.map(([vpc]) => ec2('vpc', vpc)),
          ...gateways.flatMap(([, tables]) => tables.map((t) => ec2('route-table', t))),
          ec2('vpc-endpoint'),
        ],
      },
      {
        Sid: 'DeleteGatewayEndpoints',
        Effect: 'Allow',
        Action: ['ec2:DeleteVpcEndpoints'],
        Resource: [ec2('vpc-endpoint')],
      },
      {
        Sid: 'TagGatewayEndpoints',
        Effect: 'Allow',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Resource: [ec2('vpc-endpoint')],
      },
    );
  }
  return policy(...statements);
}

/** A spoke's planner: reads its VPCs' associations (and gateway endpoints). */
export function spokePlannerPolicy(config: VpceConfig, accountId: string): PolicyDocument {
  const account = config.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`internal: no account ${accountId}`);
  const vpcs = account.vpcIds.map((vpc) => route53VpcKey(vpc, config.hub.region));
  const sharing = sharingOf(config);
  const statements: Statement[] = [];
  if (sharing.spokes.associations) {
    statements.push({
      Sid: 'ListZonesOfOwnVpcs',
      Effect: 'Allow',
      Action: ['route53:ListHostedZonesByVPC'],
      Resource: '*',
      Condition: onlyVpcs(vpcs),
    });
  }
  if (sharing.spokes.profile) statements.push(...spokeProfileStatements(config, accountId, 'planner'));
  if (Object.keys(account.s3GatewayRouteTables).length > 0) {
    statements.push({
      Sid: 'DescribeGatewayEndpoints',
      Effect: 'Allow',
      Action: ['ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
      Resource: '*',
    });
  }
  return policy(...statements);
}

/**
 * Profile mode, a spoke: its own VPCs' Profile associations (`route53profiles:ResourceIds`), and,
 * where it accepts RAM's invitation, the invitation of the hub account's share.
 */
function spokeProfileStatements(config: VpceConfig, accountId: string, role: 'deployer' | 'planner'): Statement[] {
  const account = config.accounts.find((a) => a.id === accountId)!;
  const region = config.hub.region;
  const accepts = spokeAcceptsInvitation(sharingOf(config), accountId);
  const statements: Statement[] = [
    {
      Sid: 'ReadProfileAssociations',
      Effect: 'Allow',
      Action: ['route53profiles:GetProfileAssociation', 'route53profiles:ListTagsForResource'],
      Resource: '*',
    },
  ];
  if (accepts) {
    statements.push({
      Sid: 'ReadTheShare',
      Effect: 'Allow',
      Action: ['ram:GetResourceShareInvitations', 'ram:GetResourceShares', 'ram:ListResources'],
      Resource: '*',
    });
  }
  if (role === 'planner') return statements;
  statements.push(
    {
      Sid: 'AssociateOwnVpcsWithTheProfile',
      Effect: 'Allow',
      Action: ['route53profiles:AssociateProfile', 'route53profiles:DisassociateProfile'],
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'route53profiles:ResourceIds': [...account.vpcIds] },
        Null: { 'route53profiles:ResourceIds': 'false' },
      },
    },
    {
      Sid: 'TagProfileAssociations',
      Effect: 'Allow',
      Action: ['route53profiles:TagResource', 'route53profiles:UntagResource'],
      Resource: `arn:aws:route53profiles:${region}:${accountId}:profile-association/*`,
    },
  );
  if (accepts) {
    statements.push(
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
    );
  }
  return statements;
}

/** Every role's policy for a configuration: the hub's two, then two per spoke account. */
export function rolePolicies(config: VpceConfig): RolePolicy[] {
  const hub = hubRoles(config);
  return [
    { kind: 'hub-deployer', account: config.hub.accountId, roleArn: hub.deployer, policy: hubDeployerPolicy(config) },
    { kind: 'hub-planner', account: config.hub.accountId, roleArn: hub.planner, policy: hubPlannerPolicy(config) },
    ...config.accounts.flatMap((account): RolePolicy[] => {
      const roles = spokeRoles(config, account.id);
      return [
        {
          kind: 'spoke-deployer',
          account: account.id,
          roleArn: roles.deployer,
          policy: spokeDeployerPolicy(config, account.id),
        },
        {
          kind: 'spoke-planner',
          account: account.id,
          roleArn: roles.planner,
          policy: spokePlannerPolicy(config, account.id),
        },
      ];
    }),
  ];
}
