/**
 * Reads a deployment from AWS, read-only, with the planner roles: the hub with `hub.planRoleArn`
 * (default `vpce-hub-planner`), each spoke with `spokes.planRoleName`. What it calls, per run:
 *
 * - hub, Route 53: ListHostedZonesByVPC (the hub VPC; 100 a page), per hub zone ListResourceRecordSets
 *   (300 a page) and, where spokes associate with zones, ListVPCAssociationAuthorizations (50 a page);
 * - hub, Route 53 Profiles (Profile modes): ListProfiles, ListProfileResourceAssociations;
 * - hub, EC2: DescribeVpcEndpoints, DescribeSecurityGroupRules, DescribeNetworkInterfaces;
 * - per spoke account: Route 53 ListHostedZonesByVPC per VPC; Route 53 Profiles
 *   ListProfileAssociations (once); EC2 DescribeVpcs, DescribeDhcpOptions, DescribeVpcEndpoints (once
 *   each) and DescribeVpcAttribute (twice per VPC).
 *
 * Route 53 calls: 1 per spoke VPC plus 1 per spoke account, and for the hub 1 + 2 per zone (more
 * pages past 300 records or 50 authorizations a zone). Spoke accounts are read a few at a time; each
 * account's Route 53 quota (about 5 requests a second) is its own.
 */
import {
  DescribeDhcpOptionsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroupRules,
  paginateDescribeVpcEndpoints,
  type EC2Client,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListVPCAssociationAuthorizationsCommand,
  type Route53Client,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import {
  baseCredentials,
  ec2Client,
  roleCredentials,
  route53Client,
  type CallCounter,
  type Credentials,
} from '../../aws/clients';
import { eachLimit, explained } from '../../aws/errors';
import { Route53ProfilesReader } from '../../aws/route53-profiles';
import type { Observed, ObservedEndpoint, ObservedHub, ObservedSpoke, ObservedVpc, ObservedZone } from './observed';

/** What to read: the hub and these spoke accounts, with these roles. */
export interface ReadPlan {
  readonly region: string;
  readonly hub: { readonly account: string; readonly vpcId: string; readonly roleArn: string };
  /** Whether spokes associate VPCs with the hub's zones (then authorizations are read). */
  readonly associations: boolean;
  /** The hub's Profile name, when the configuration has one. */
  readonly profileName?: string;
  readonly spokes: ReadonlyArray<{
    readonly account: string;
    readonly name?: string;
    readonly roleArn: string;
    readonly vpcIds: readonly string[];
  }>;
}

/** Hears what is being read (a progress line). */
export type ReadProgress = (text: string) => void;

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
/** Route 53 escapes `*` as `\052` in names it returns. */
const unescapeName = (name: string) => normalize(name.replace(/\\052/g, '*'));

/** The zones associated with a VPC (any account's), every page. */
async function zonesOfVpc(route53: Route53Client, vpcId: string, region: string) {
  const zones: Array<{ id: string; name: string; owner?: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await route53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: vpcId,
        VPCRegion: region as VPCRegion,
        MaxItems: 100,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const summary of page.HostedZoneSummaries ?? []) {
      zones.push({
        id: (summary.HostedZoneId ?? '').replace(/^\/hostedzone\//, ''),
        name: normalize(summary.Name ?? ''),
        ...(summary.Owner?.OwningAccount ? { owner: summary.Owner.OwningAccount } : {}),
      });
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return zones;
}

async function recordsOf(route53: Route53Client, zoneId: string): Promise<ObservedZone['records']> {
  const records: Array<ObservedZone['records'][number]> = [];
  let start: { name?: string; type?: string; identifier?: string } = {};
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        MaxItems: 300,
        ...(start.name ? { StartRecordName: start.name } : {}),
        ...(start.type ? { StartRecordType: start.type as never } : {}),
        ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
      }),
    );
    for (const set of page.ResourceRecordSets ?? []) {
      if (set.Type === 'NS' || set.Type === 'SOA') continue;
      records.push({
        name: unescapeName(set.Name ?? ''),
        type: set.Type ?? '',
        ...(set.AliasTarget
          ? {
              alias: {
                dnsName: unescapeName(set.AliasTarget.DNSName ?? ''),
                hostedZoneId: set.AliasTarget.HostedZoneId ?? '',
              },
            }
          : {}),
      });
    }
    if (!page.IsTruncated) return records;
    start = { name: page.NextRecordName, type: page.NextRecordType, identifier: page.NextRecordIdentifier };
  }
}

async function authorizationsOf(route53: Route53Client, zoneId: string): Promise<string[]> {
  const vpcs: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await route53.send(
      new ListVPCAssociationAuthorizationsCommand({
        HostedZoneId: zoneId,
        MaxResults: 50,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    vpcs.push(...(page.VPCs ?? []).map((vpc) => vpc.VPCId ?? '').filter((id) => id !== ''));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return vpcs;
}

function endpointOf(e: VpcEndpoint): ObservedEndpoint {
  return {
    id: e.VpcEndpointId ?? '',
    type: e.VpcEndpointType ?? '',
    serviceName: e.ServiceName ?? '',
    vpcId: e.VpcId ?? '',
    state: String(e.State ?? 'unknown'),
    privateDnsEnabled: e.PrivateDnsEnabled === true,
    ...(e.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint !== undefined
      ? { privateDnsOnlyForInboundResolverEndpoint: e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint }
      : {}),
    subnetIds: e.SubnetIds ?? [],
    networkInterfaceIds: e.NetworkInterfaceIds ?? [],
    securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId ?? '').filter((g) => g !== ''),
    dnsEntries: (e.DnsEntries ?? []).map((d) => ({
      dnsName: normalize(d.DnsName ?? ''),
      hostedZoneId: d.HostedZoneId ?? '',
    })),
    routeTableIds: e.RouteTableIds ?? [],
  };
}

async function endpointsIn(ec2: EC2Client, vpcIds: readonly string[]): Promise<ObservedEndpoint[]> {
  const endpoints: ObservedEndpoint[] = [];
  for await (const page of paginateDescribeVpcEndpoints(
    { client: ec2 },
    { Filters: [{ Name: 'vpc-id', Values: [...vpcIds] }] },
  )) {
    endpoints.push(...(page.VpcEndpoints ?? []).map(endpointOf));
  }
  return endpoints;
}

/** Reads the hub account. */
async function readHub(plan: ReadPlan, credentials: Credentials, counter?: CallCounter): Promise<ObservedHub> {
  const route53 = route53Client(credentials, counter);
  const ec2 = ec2Client(credentials, plan.region, counter);
  const zones = (await zonesOfVpc(route53, plan.hub.vpcId, plan.region)).filter(
    (z) => z.owner === undefined || z.owner === plan.hub.account,
  );
  const observedZones = await eachLimit(zones, 2, async (zone) => ({
    ...zone,
    records: await recordsOf(route53, zone.id),
    ...(plan.associations ? { authorizedVpcs: await authorizationsOf(route53, zone.id) } : {}),
  }));
  const endpoints = await endpointsIn(ec2, [plan.hub.vpcId]);
  const groups = [...new Set(endpoints.flatMap((e) => e.securityGroupIds))];
  const ingressRules: ObservedHub['ingressRules'][number][] = [];
  if (groups.length > 0) {
    for await (const page of paginateDescribeSecurityGroupRules(
      { client: ec2 },
      { Filters: [{ Name: 'group-id', Values: groups }] },
    )) {
      for (const rule of page.SecurityGroupRules ?? []) {
        if (rule.IsEgress) continue;
        ingressRules.push({
          groupId: rule.GroupId ?? '',
          protocol: rule.IpProtocol ?? '',
          fromPort: rule.FromPort ?? -1,
          toPort: rule.ToPort ?? -1,
          ...(rule.CidrIpv4 ? { cidr: rule.CidrIpv4 } : {}),
        });
      }
    }
  }
  const interfaceIds = [...new Set(endpoints.flatMap((e) => e.networkInterfaceIds))];
  const networkInterfaces = new Map<string, string>();
  if (interfaceIds.length > 0) {
    for await (const page of paginateDescribeNetworkInterfaces(
      { client: ec2 },
      { Filters: [{ Name: 'network-interface-id', Values: interfaceIds }] },
    )) {
      for (const eni of page.NetworkInterfaces ?? []) {
        if (eni.NetworkInterfaceId) networkInterfaces.set(eni.NetworkInterfaceId, String(eni.Status ?? 'unknown'));
      }
    }
  }
  let profile: ObservedHub['profile'];
  if (plan.profileName) {
    const profiles = new Route53ProfilesReader(credentials, plan.region, counter);
    const found = (await profiles.listProfiles()).find((p) => p.Name === plan.profileName);
    if (found) {
      const held = await profiles.listProfileResourceAssociations(found.Id);
      profile = { id: found.Id, name: found.Name ?? plan.profileName, resourceArns: held.map((h) => h.ResourceArn) };
    }
  }
  return {
    account: plan.hub.account,
    region: plan.region,
    vpcId: plan.hub.vpcId,
    zones: observedZones,
    endpoints,
    ingressRules,
    networkInterfaces,
    ...(profile ? { profile } : {}),
  };
}

/** Reads one spoke account. */
async function readSpoke(
  plan: ReadPlan,
  spoke: ReadPlan['spokes'][number],
  base: Credentials,
  counter?: CallCounter,
): Promise<ObservedSpoke> {
  const credentials = roleCredentials(spoke.roleArn, plan.region, base);
  const route53 = route53Client(credentials, counter);
  const ec2 = ec2Client(credentials, plan.region, counter);
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [...spoke.vpcIds] }] }));
  const dhcpIds = [...new Set((vpcs.Vpcs ?? []).map((v) => v.DhcpOptionsId).filter((id): id is string => !!id))];
  const servers = new Map<string, string[]>();
  const realDhcp = dhcpIds.filter((id) => id !== 'default');
  if (realDhcp.length > 0) {
    const options = await ec2.send(
      new DescribeDhcpOptionsCommand({ Filters: [{ Name: 'dhcp-options-id', Values: realDhcp }] }),
    );
    for (const set of options.DhcpOptions ?? []) {
      const config = (set.DhcpConfigurations ?? []).find((c) => c.Key === 'domain-name-servers');
      servers.set(
        set.DhcpOptionsId ?? '',
        (config?.Values ?? []).map((v) => v.Value ?? ''),
      );
    }
  }
  const profileAssociations = plan.profileName
    ? await new Route53ProfilesReader(credentials, plan.region, counter).listProfileAssociations()
    : [];
  const ownEndpoints = await endpointsIn(ec2, spoke.vpcIds);
  const observed = await eachLimit(spoke.vpcIds, 2, async (vpcId): Promise<ObservedVpc> => {
    const vpc = (vpcs.Vpcs ?? []).find((v) => v.VpcId === vpcId);
    if (!vpc) {
      return {
        vpcId,
        exists: false,
        cidrs: [],
        enableDnsSupport: false,
        enableDnsHostnames: false,
        dnsServers: [],
        zones: [],
        profiles: [],
        endpoints: [],
      };
    }
    const [support, hostnames] = await Promise.all(
      (['enableDnsSupport', 'enableDnsHostnames'] as const).map((Attribute) =>
        ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute })),
      ),
    );
    const cidrs = (vpc.CidrBlockAssociationSet ?? [])
      .filter((c) => c.CidrBlockState?.State === undefined || c.CidrBlockState.State === 'associated')
      .map((c) => c.CidrBlock ?? '')
      .filter((c) => c !== '');
    return {
      vpcId,
      exists: true,
      cidrs: cidrs.length > 0 ? cidrs : vpc.CidrBlock ? [vpc.CidrBlock] : [],
      enableDnsSupport: support.EnableDnsSupport?.Value === true,
      enableDnsHostnames: hostnames.EnableDnsHostnames?.Value === true,
      dnsServers:
        vpc.DhcpOptionsId && servers.has(vpc.DhcpOptionsId) ? servers.get(vpc.DhcpOptionsId)! : ['AmazonProvidedDNS'],
      ...(vpc.DhcpOptionsId ? { dhcpOptionsId: vpc.DhcpOptionsId } : {}),
      zones: await zonesOfVpc(route53, vpcId, plan.region),
      profiles: profileAssociations
        .filter((a) => a.ResourceId === vpcId)
        .map((a) => ({ profileId: a.ProfileId, ...(a.Status ? { status: a.Status } : {}) })),
      endpoints: ownEndpoints.filter((e) => e.vpcId === vpcId),
    };
  });
  return { account: spoke.account, ...(spoke.name ? { name: spoke.name } : {}), vpcs: observed };
}

/** Reads the hub and the spokes of `plan`. */
export async function readDeployment(
  plan: ReadPlan,
  options: { counter?: CallCounter; progress?: ReadProgress; base?: Credentials } = {},
): Promise<Observed> {
  const base = options.base ?? baseCredentials();
  await explained('AWS credentials', () => base());
  options.progress?.(`reading the hub ${plan.hub.account}`);
  const hub = await explained(`the hub ${plan.hub.account} as ${plan.hub.roleArn}`, () =>
    readHub(plan, roleCredentials(plan.hub.roleArn, plan.region, base), options.counter),
  );
  let done = 0;
  const spokes = await eachLimit(plan.spokes, 8, async (spoke) => {
    const observed = await explained(`account ${spoke.account} as ${spoke.roleArn}`, () =>
      readSpoke(plan, spoke, base, options.counter),
    );
    done += 1;
    options.progress?.(`read ${done} of ${plan.spokes.length} spoke accounts`);
    return observed;
  });
  return { hub, spokes };
}
