/**
 * The fake's EC2: VPCs and subnets (to set a world up), security groups and their rules, network
 * interfaces, VPC endpoints and prefix lists: the actions the AWS provider calls for vpce-hub's
 * resources, in the query protocol with XML replies; and DescribeVpcEndpointServices.
 *
 * Interface endpoints have private DNS (private-dns.ts). The AWS provider 5.100.0 sends, as observed
 * against this fake and as internal/service/ec2/vpc_endpoint.go builds it: CreateVpcEndpoint
 * `PrivateDnsEnabled=true|false` always, and `DnsOptions.DnsRecordIpType` /
 * `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint` only when the configuration has a
 * `dns_options` block (the inbound-only flag only for S3 interface endpoints); ModifyVpcEndpoint
 * `PrivateDnsEnabled` when it changes, and `DnsOptions.*` when `dns_options` changes or private DNS
 * turns on. DescribeVpcEndpoints answers `privateDnsEnabled`, `dnsOptions { dnsRecordIpType,
 * privateDnsOnlyForInboundResolverEndpoint }` (the flag only once it has a value) and `dnsEntrySet`:
 * the regional name first, one per Availability Zone, then each private DNS name with its managed
 * zone's ID.
 *
 * VPCs and subnets take LocalStack's `_custom_id_` tag, so a harness can create the IDs its
 * configuration names, against this fake or against LocalStack alike.
 */
import {
  hasWildcardEntry,
  LISTED_SERVICES,
  offersType,
  parseServiceName,
  prefixListId,
  privateDnsNames,
  privateDnsZoneName,
  serviceDnsName,
  takesInboundResolverOnly,
  vpceHostedZoneId,
} from './endpoint-services';
import { endpointWithZone, hasGatewayEndpoint, managedZonesOf } from './private-dns';
import {
  AwsError,
  items,
  pageOf,
  qFilters,
  qList,
  qString,
  qStrings,
  qTags,
  required,
  tagSet,
  type QueryObject,
  type QueryValue,
} from './protocol';
import type { Caller } from './sts';
import {
  dhcpOptionsById,
  dhcpOptionsIdOf,
  defaultDhcpOptions,
  defaultDhcpOptionsId,
  NO_DHCP_OPTIONS,
  vpcDnsOf,
} from './vpc-dns';
import type {
  DhcpConfiguration,
  DhcpOptions,
  EndpointDnsOptions,
  SecurityGroup,
  SecurityGroupRule,
  Tags,
  Vpc,
  VpcEndpoint,
  World,
} from './world';

/** The XML namespace of EC2 replies. */
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The default policy AWS reports for an endpoint created without one. */
export const FULL_ACCESS_POLICY = JSON.stringify({
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

const CUSTOM_ID = '_custom_id_';

/** Tags without the `_custom_id_` convention tag. */
function withoutCustomId(tags: Tags): Tags {
  const { [CUSTOM_ID]: _id, ...rest } = tags;
  return rest;
}

function notFound(code: string, what: string, id: string): AwsError {
  return new AwsError(code, `The ${what} '${id}' does not exist`);
}

/**
 * Keeps the objects whose IDs were asked for (all when none were); unknown IDs, and IDs of another
 * account's objects, are an error (as AWS answers: the caller cannot see them).
 */
function byIds<T extends { id: string; account: string }>(
  all: Record<string, T>,
  ids: string[],
  code: string,
  what: string,
  caller: Caller,
): T[] {
  if (ids.length === 0) return Object.values(all);
  return ids.map((id) => {
    const found = all[id];
    if (!found || found.account !== caller.account) throw notFound(code, what, id);
    return found;
  });
}

/** The largest `MaxResults` EC2's Describe actions take. */
const EC2_MAX_RESULTS = 1000;

/**
 * EC2's paging of a Describe action: `MaxResults` (from `min` to 1000) and the `NextToken` of the
 * previous page; without `MaxResults`, everything at once (what the fake's Describe actions answered
 * before they paged, and what AWS does for most of them).
 */
export function ec2Page<T>(list: readonly T[], params: QueryObject, min = 5): { page: T[]; nextToken?: string } {
  const rawMax = qString(params, 'MaxResults');
  const token = qString(params, 'NextToken');
  const invalid = () => new AwsError('InvalidPaginationToken', `The pagination token ${token} is invalid.`);
  if (rawMax === undefined) return pageOf(list, token, Math.max(list.length, 1), invalid);
  const max = Number(rawMax);
  if (!Number.isInteger(max) || max < min || max > EC2_MAX_RESULTS) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${rawMax} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${EC2_MAX_RESULTS}.`,
    );
  }
  return pageOf(list, token, max, invalid);
}

/** `{<member>: items(page), nextToken?}` of a paged Describe reply. */
function pagedReply<T, X>(
  member: string,
  list: readonly T[],
  params: QueryObject,
  xml: (item: T) => X,
  min?: number,
): Record<string, unknown> {
  const { page, nextToken } = ec2Page(list, params, min);
  return { [member]: items(page.map(xml)), ...(nextToken ? { nextToken } : {}) };
}

/**
 * Applies `Filter.N` to objects; `fields` maps a filter name to the values an object has for it.
 * Every Describe action also takes EC2's tag filters: `tag:<key>` (a tag with that key and one of
 * the values) and `tag-key` (a tag with one of the keys, whatever its value). Values match exactly
 * (EC2's `*` / `?` wildcards are not modelled).
 */
function filtered<T>(
  list: T[],
  filters: Map<string, string[]>,
  fields: Record<string, (item: T) => Array<string | undefined>>,
): T[] {
  return list.filter((item) =>
    [...filters].every(([name, wanted]) => {
      if (name.startsWith('tag:')) {
        const tags = (item as { tags?: Tags }).tags ?? {};
        return wanted.includes(tags[name.slice(4)]);
      }
      if (name === 'tag-key') {
        const tags = (item as { tags?: Tags }).tags ?? {};
        return wanted.some((key) => Object.hasOwn(tags, key));
      }
      const field = fields[name];
      if (!field) return true; // an unknown filter filters nothing (AWS would refuse; the provider never sends one)
      const values = field(item);
      return wanted.some((w) => values.includes(w));
    }),
  );
}

/** Every account may only see its own resources. */
function owned<T extends { account: string }>(list: T[], caller: Caller): T[] {
  return list.filter((item) => item.account === caller.account);
}

// ---- VPCs and subnets ----

function vpcXml(vpc: Vpc) {
  return {
    vpcId: vpc.id,
    ownerId: vpc.account,
    state: 'available',
    cidrBlock: vpc.cidr,
    dhcpOptionsId: dhcpOptionsIdOf(vpc),
    instanceTenancy: 'default',
    isDefault: false,
    tagSet: tagSet(vpc.tags),
  };
}

/** The caller's VPC `id` (another account's is not found, as AWS answers). */
function ownVpc(world: World, caller: Caller, id: string): Vpc {
  const vpc = world.data.vpcs[id];
  if (!vpc || vpc.account !== caller.account) throw notFound('InvalidVpcID.NotFound', 'vpc ID', id);
  return vpc;
}

// ---- VPC attributes ----

/** The attributes DescribeVpcAttribute takes (`Attribute`), with the member ModifyVpcAttribute sets. */
const VPC_ATTRIBUTES: Record<string, string> = {
  enableDnsSupport: 'EnableDnsSupport',
  enableDnsHostnames: 'EnableDnsHostnames',
  enableNetworkAddressUsageMetrics: 'EnableNetworkAddressUsageMetrics',
};

/** DescribeVpcAttribute: `{vpcId, <attribute>: {value}}`, one attribute per request. */
function describeVpcAttribute(world: World, caller: Caller, params: QueryObject) {
  const vpc = ownVpc(world, caller, required(params, 'VpcId'));
  const attribute = required(params, 'Attribute');
  const dns = vpcDnsOf(world, vpc);
  const values: Record<string, boolean> = {
    enableDnsSupport: dns.enableDnsSupport,
    enableDnsHostnames: dns.enableDnsHostnames,
    enableNetworkAddressUsageMetrics: false,
  };
  if (!(attribute in VPC_ATTRIBUTES)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${attribute}) for parameter attribute is invalid. Unknown attribute. ` +
        `Valid values: ${Object.keys(VPC_ATTRIBUTES).join(', ')}.`,
    );
  }
  return { vpcId: vpc.id, [attribute]: { value: values[attribute] } };
}

/**
 * ModifyVpcAttribute: `EnableDnsSupport.Value` or `EnableDnsHostnames.Value`, one per request ("You
 * cannot modify the DNS resolution and DNS hostnames attributes in the same request"); DNS hostnames
 * only with DNS support ("You can only enable DNS hostnames if you've enabled DNS support"; the error
 * code is assumed).
 */
function modifyVpcAttribute(world: World, caller: Caller, params: QueryObject) {
  const vpc = ownVpc(world, caller, required(params, 'VpcId'));
  const given = Object.values(VPC_ATTRIBUTES).filter((member) => qString(params[member], 'Value') !== undefined);
  if (given.length === 0) {
    throw new AwsError(
      'MissingParameter',
      `The request must contain one of the parameters ${Object.values(VPC_ATTRIBUTES).join(', ')}.`,
    );
  }
  if (given.length > 1) {
    throw new AwsError(
      'InvalidParameterCombination',
      'You cannot modify the DNS resolution and DNS hostnames attributes in the same request. Use separate requests for each attribute.',
    );
  }
  const member = given[0];
  const raw = qString(params[member], 'Value');
  if (raw !== 'true' && raw !== 'false') {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${raw}) for parameter ${member}.Value is invalid: true or false.`,
    );
  }
  const value = raw === 'true';
  const dns = vpcDnsOf(world, vpc);
  if (member === 'EnableDnsHostnames' && value && !dns.enableDnsSupport) {
    throw new AwsError(
      'InvalidParameterValue',
      `You can only enable DNS hostnames if you've enabled DNS support: ${vpc.id} has enableDnsSupport false.`,
    );
  }
  if (member === 'EnableDnsSupport') vpc.enableDnsSupport = value;
  if (member === 'EnableDnsHostnames') vpc.enableDnsHostnames = value;
  return { return: true };
}

// ---- DHCP options ----

/** The options CreateDhcpOptions takes (EC2 API reference, NewDhcpConfiguration). */
const DHCP_KEYS = new Set([
  'domain-name-servers',
  'domain-name',
  'ntp-servers',
  'netbios-name-servers',
  'netbios-node-type',
  'ipv6-address-preferred-lease-time',
]);

function dhcpXml(set: DhcpOptions) {
  return {
    dhcpOptionsId: set.id,
    ownerId: set.account,
    dhcpConfigurationSet: items(
      set.configurations.map((c) => ({ key: c.key, valueSet: items(c.values.map((value) => ({ value }))) })),
    ),
    tagSet: tagSet(set.tags),
  };
}

/** `DhcpConfiguration.N.Key` / `DhcpConfiguration.N.Value.M`, checked; server lists may be comma-separated. */
function dhcpConfigurations(params: QueryObject): DhcpConfiguration[] {
  const configurations: DhcpConfiguration[] = [];
  for (const entry of qList(params, 'DhcpConfiguration')) {
    const key = qString(entry, 'Key') ?? '';
    if (!DHCP_KEYS.has(key)) {
      throw new AwsError('InvalidParameterValue', `Value (${key}) for parameter key is invalid. Unknown DHCP option.`);
    }
    const values = qStrings(entry, 'Value').flatMap((v) => v.split(',').map((x) => x.trim()));
    if (values.length === 0 || values.some((v) => v === '')) {
      throw new AwsError('InvalidParameterValue', `The DHCP option ${key} needs at least one value.`);
    }
    if (key.endsWith('-servers') && values.length > 4) {
      throw new AwsError('InvalidParameterValue', `The DHCP option ${key} takes up to four servers.`);
    }
    if (configurations.some((c) => c.key === key)) {
      throw new AwsError('InvalidParameterValue', `The DHCP option ${key} is given twice.`);
    }
    configurations.push({ key, values });
  }
  if (configurations.length === 0) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter DhcpConfiguration');
  }
  return configurations;
}

function dhcpNotFound(id: string): AwsError {
  return new AwsError('InvalidDhcpOptionID.NotFound', `The dhcpOption ID '${id}' does not exist`);
}

/** The caller's DHCP options sets in the Region: its default set first, then the ones it made. */
function dhcpOptionsOf(world: World, caller: Caller, region: string): DhcpOptions[] {
  return [
    defaultDhcpOptions(caller.account, region),
    ...Object.values(world.data.dhcpOptions).filter((d) => d.account === caller.account && d.region === region),
  ];
}

function describeDhcpOptions(world: World, caller: Caller, params: QueryObject, region: string) {
  const ids = qStrings(params, 'DhcpOptionsId');
  const mine = dhcpOptionsOf(world, caller, region);
  const picked = ids.length
    ? ids.map((id) => {
        const found = mine.find((d) => d.id === id);
        if (!found) throw dhcpNotFound(id);
        return found;
      })
    : mine;
  const sets = filtered(picked, qFilters(params), {
    'dhcp-options-id': (d) => [d.id],
    'owner-id': (d) => [d.account],
    key: (d) => d.configurations.map((c) => c.key),
    value: (d) => d.configurations.flatMap((c) => c.values),
  });
  return pagedReply('dhcpOptionsSet', sets, params, dhcpXml);
}

function associateDhcpOptions(world: World, caller: Caller, params: QueryObject) {
  const vpc = ownVpc(world, caller, required(params, 'VpcId'));
  const id = required(params, 'DhcpOptionsId');
  if (id !== NO_DHCP_OPTIONS && !dhcpOptionsById(world, caller.account, vpc.region, id)) {
    throw dhcpNotFound(id);
  }
  vpc.dhcpOptionsId = id === defaultDhcpOptionsId(vpc.account, vpc.region) ? undefined : id;
  return { return: true };
}

function deleteDhcpOptions(world: World, caller: Caller, params: QueryObject) {
  const id = required(params, 'DhcpOptionsId');
  const set = world.data.dhcpOptions[id];
  if (!set || set.account !== caller.account) {
    if (Object.values(world.data.vpcs).some((v) => v.account === caller.account && dhcpOptionsIdOf(v) === id)) {
      throw new AwsError('DependencyViolation', `The dhcpOptions '${id}' has dependencies and cannot be deleted.`);
    }
    throw dhcpNotFound(id);
  }
  if (Object.values(world.data.vpcs).some((v) => v.dhcpOptionsId === id)) {
    throw new AwsError('DependencyViolation', `The dhcpOptions '${id}' has dependencies and cannot be deleted.`);
  }
  delete world.data.dhcpOptions[id];
  return { return: true };
}

function subnetXml(subnet: World['data']['subnets'][string]) {
  return {
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    ownerId: subnet.account,
    state: 'available',
    cidrBlock: subnet.cidr,
    availabilityZone: subnet.availabilityZone,
    tagSet: tagSet(subnet.tags),
  };
}

// ---- security groups ----

function ruleXml(group: SecurityGroup, rule: SecurityGroupRule) {
  return {
    securityGroupRuleId: rule.id,
    groupId: group.id,
    groupOwnerId: group.account,
    isEgress: rule.isEgress,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    ...(rule.cidrIpv4 ? { cidrIpv4: rule.cidrIpv4 } : {}),
    ...(rule.cidrIpv6 ? { cidrIpv6: rule.cidrIpv6 } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    tagSet: tagSet(rule.tags),
  };
}

/** The classic `ipPermissions` view of a group's rules. */
function permissionsXml(rules: SecurityGroupRule[]) {
  return items(
    rules.map((rule) => ({
      ipProtocol: rule.protocol,
      ...(rule.protocol === '-1' ? {} : { fromPort: rule.fromPort, toPort: rule.toPort }),
      groups: '',
      ipRanges: items(
        rule.cidrIpv4
          ? [{ cidrIp: rule.cidrIpv4, ...(rule.description ? { description: rule.description } : {}) }]
          : [],
      ),
      ipv6Ranges: items(
        rule.cidrIpv6
          ? [{ cidrIpv6: rule.cidrIpv6, ...(rule.description ? { description: rule.description } : {}) }]
          : [],
      ),
      prefixListIds: '',
    })),
  );
}

function groupXml(group: SecurityGroup, region: string) {
  return {
    ownerId: group.account,
    groupId: group.id,
    groupName: group.name,
    groupDescription: group.description,
    vpcId: group.vpcId,
    securityGroupArn: `arn:aws:ec2:${region}:${group.account}:security-group/${group.id}`,
    ipPermissions: permissionsXml(group.rules.filter((r) => !r.isEgress)),
    ipPermissionsEgress: permissionsXml(group.rules.filter((r) => r.isEgress)),
    tagSet: tagSet(group.tags),
  };
}

/** The rules named by `IpPermissions.N` (one rule per CIDR). */
function permissionRules(params: QueryObject): Array<Omit<SecurityGroupRule, 'id' | 'isEgress' | 'tags'>> {
  const rules: Array<Omit<SecurityGroupRule, 'id' | 'isEgress' | 'tags'>> = [];
  for (const permission of qList(params, 'IpPermissions')) {
    const protocol = qString(permission, 'IpProtocol') ?? '-1';
    const fromPort = Number(qString(permission, 'FromPort') ?? (protocol === '-1' ? -1 : 0));
    const toPort = Number(qString(permission, 'ToPort') ?? (protocol === '-1' ? -1 : 0));
    for (const range of qList(permission, 'IpRanges')) {
      rules.push({
        protocol,
        fromPort,
        toPort,
        cidrIpv4: qString(range, 'CidrIp'),
        description: qString(range, 'Description'),
      });
    }
    for (const range of qList(permission, 'Ipv6Ranges')) {
      rules.push({
        protocol,
        fromPort,
        toPort,
        cidrIpv6: qString(range, 'CidrIpv6'),
        description: qString(range, 'Description'),
      });
    }
  }
  return rules;
}

function sameRule(a: Omit<SecurityGroupRule, 'id' | 'tags'>, b: Omit<SecurityGroupRule, 'id' | 'tags'>): boolean {
  return (
    a.isEgress === b.isEgress &&
    a.protocol === b.protocol &&
    (a.protocol === '-1' || (a.fromPort === b.fromPort && a.toPort === b.toPort)) &&
    a.cidrIpv4 === b.cidrIpv4 &&
    a.cidrIpv6 === b.cidrIpv6
  );
}

function groupOf(world: World, caller: Caller, id: string): SecurityGroup {
  const group = world.data.securityGroups[id];
  if (!group || group.account !== caller.account) throw notFound('InvalidGroup.NotFound', 'security group', id);
  return group;
}

// ---- VPC endpoints ----

/** `dnsOptions` as DescribeVpcEndpoints reports it (the inbound-only flag only once it has a value: S3). */
function dnsOptionsXml(options: EndpointDnsOptions | undefined) {
  const inboundOnly = options?.privateDnsOnlyForInboundResolverEndpoint;
  return {
    dnsRecordIpType: options?.dnsRecordIpType ?? 'ipv4',
    ...(inboundOnly === undefined ? {} : { privateDnsOnlyForInboundResolverEndpoint: inboundOnly }),
  };
}

/**
 * The DNS entries private DNS adds after the regional and zonal ones: each private DNS name, with
 * the ID of the AWS-managed zone that holds it (describe-vpc-endpoints lists them last).
 */
function privateDnsEntries(endpoint: VpcEndpoint): VpcEndpoint['dnsEntries'] {
  return managedZonesOf(endpoint).flatMap((zone) =>
    zone.privateDnsNames.map((dnsName) => ({ dnsName, hostedZoneId: zone.id })),
  );
}

function endpointXml(endpoint: VpcEndpoint, world: World) {
  return {
    vpcEndpointId: endpoint.id,
    vpcEndpointType: endpoint.type,
    vpcId: endpoint.vpcId,
    serviceName: endpoint.serviceName,
    state: 'available',
    policyDocument: endpoint.policy,
    routeTableIdSet: items(endpoint.routeTableIds),
    subnetIdSet: items(endpoint.subnetIds),
    groupSet: items(
      endpoint.securityGroupIds.map((id) => ({ groupId: id, groupName: world.data.securityGroups[id]?.name ?? id })),
    ),
    ipAddressType: 'ipv4',
    ...(endpoint.type === 'Interface' ? { dnsOptions: dnsOptionsXml(endpoint.dnsOptions) } : {}),
    privateDnsEnabled: endpoint.privateDnsEnabled,
    requesterManaged: false,
    networkInterfaceIdSet: items(endpoint.networkInterfaceIds),
    dnsEntrySet: items(
      [...endpoint.dnsEntries, ...privateDnsEntries(endpoint)].map((e) => ({
        dnsName: e.dnsName,
        hostedZoneId: e.hostedZoneId,
      })),
    ),
    creationTimestamp: endpoint.createdAt,
    tagSet: tagSet(endpoint.tags),
    ownerId: endpoint.account,
  };
}

function endpointOf(world: World, caller: Caller, id: string): VpcEndpoint {
  const endpoint = world.data.vpcEndpoints[id];
  if (!endpoint || endpoint.account !== caller.account) {
    throw notFound('InvalidVpcEndpointId.NotFound', 'vpcEndpoint ID', id);
  }
  return endpoint;
}

/** Checks subnets (one per Availability Zone, in the endpoint's VPC) and makes one interface in each. */
function attachSubnets(world: World, caller: Caller, endpoint: VpcEndpoint, subnetIds: string[]): void {
  const zones = new Set(endpoint.subnetIds.map((id) => world.data.subnets[id]?.availabilityZone));
  for (const id of subnetIds) {
    const subnet = world.data.subnets[id];
    if (!subnet || subnet.account !== caller.account) throw notFound('InvalidSubnetID.NotFound', 'subnet ID', id);
    if (subnet.vpcId !== endpoint.vpcId) {
      throw new AwsError('InvalidParameter', `The subnet ID '${id}' does not belong to the VPC '${endpoint.vpcId}'.`);
    }
    if (zones.has(subnet.availabilityZone)) {
      throw new AwsError(
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${id}.`,
      );
    }
    zones.add(subnet.availabilityZone);
    const eni = world.newId('eni-');
    const host = Object.keys(world.data.networkInterfaces).length + 10;
    const base = subnet.cidr.split('/')[0].split('.').map(Number);
    world.data.networkInterfaces[eni] = {
      id: eni,
      account: caller.account,
      subnetId: id,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIp: `${base[0]}.${base[1]}.${base[2] + Math.floor(host / 250)}.${(host % 250) + 4}`,
      endpointId: endpoint.id,
    };
    endpoint.subnetIds.push(id);
    endpoint.networkInterfaceIds.push(eni);
  }
}

function detachSubnets(world: World, endpoint: VpcEndpoint, subnetIds: string[]): void {
  for (const id of subnetIds) {
    endpoint.subnetIds = endpoint.subnetIds.filter((s) => s !== id);
    for (const eni of [...endpoint.networkInterfaceIds]) {
      if (world.data.networkInterfaces[eni]?.subnetId === id) {
        delete world.data.networkInterfaces[eni];
        endpoint.networkInterfaceIds = endpoint.networkInterfaceIds.filter((e) => e !== eni);
      }
    }
  }
}

function checkGroups(world: World, caller: Caller, vpcId: string, ids: string[]): void {
  for (const id of ids) {
    const group = groupOf(world, caller, id);
    if (group.vpcId !== vpcId) {
      throw new AwsError('InvalidParameter', `Security group ${id} and VPC ${vpcId} belong to different networks.`);
    }
  }
}

/** The regional DNS entry first (the one alias records use), then one per Availability Zone. */
function dnsEntries(world: World, endpoint: VpcEndpoint, service: string): VpcEndpoint['dnsEntries'] {
  const zoneId = vpceHostedZoneId(endpoint.region);
  const suffix = serviceDnsName(service, endpoint.region).replace(/\.amazonaws\.com$/, '.vpce.amazonaws.com');
  const wildcard = hasWildcardEntry(service) ? '*.' : '';
  const tail = endpoint.id.slice(-8);
  return [
    { dnsName: `${wildcard}${endpoint.id}-${tail}.${suffix}`, hostedZoneId: zoneId },
    ...endpoint.subnetIds.map((id) => ({
      dnsName: `${wildcard}${endpoint.id}-${tail}-${world.data.subnets[id]?.availabilityZone ?? 'az'}.${suffix}`,
      hostedZoneId: zoneId,
    })),
  ];
}

// ---- private DNS (private-dns.ts) ----

/** The DNS record IP types `DnsOptions.DnsRecordIpType` takes. */
const DNS_RECORD_IP_TYPES = ['ipv4', 'dualstack', 'ipv6', 'service-defined'];

/** The DNS parameters of a CreateVpcEndpoint or ModifyVpcEndpoint request, each when given. */
interface DnsRequest {
  /** `PrivateDnsEnabled`. */
  readonly privateDns?: boolean;
  /** `DnsOptions.DnsRecordIpType`. */
  readonly recordIpType?: string;
  /** `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint`. */
  readonly inboundOnly?: boolean;
}

function dnsRequest(params: QueryObject): DnsRequest {
  const flag = (value: string | undefined) => (value === undefined ? undefined : value === 'true');
  return {
    privateDns: flag(qString(params, 'PrivateDnsEnabled')),
    recordIpType: qString(params.DnsOptions, 'DnsRecordIpType'),
    inboundOnly: flag(qString(params.DnsOptions, 'PrivateDnsOnlyForInboundResolverEndpoint')),
  };
}

/**
 * Refuses private DNS for `names` in `vpcId` while the VPC already has a zone of one of their zone
 * names: a self-managed private hosted zone associated with it, or another endpoint's private DNS.
 * EC2 says so with `InvalidParameter` (what CloudFormation and Terraform users quote: "private-dns-enabled
 * cannot be set because there is already a conflicting DNS domain for logs.us-east-1.amazonaws.com
 * in the VPC vpc-..."; Route 53's own code for the reverse case is ConflictingDomainExists).
 */
function checkNoConflictingDomain(world: World, vpcId: string, names: readonly string[], endpointId: string): void {
  for (const zoneName of new Set(names.map(privateDnsZoneName))) {
    const zone = Object.values(world.data.zones).some(
      (z) => z.private && z.name === zoneName && z.vpcs.some((v) => v.vpcId === vpcId),
    );
    if (zone || endpointWithZone(world, vpcId, zoneName, endpointId)) {
      throw new AwsError(
        'InvalidParameter',
        `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${zoneName} in the VPC ${vpcId}`,
      );
    }
  }
}

/**
 * The private DNS state an endpoint has after a create (`creating`) or modify request, checked as
 * AWS checks it; throws before anything changes. The rules:
 *
 * - `PrivateDnsEnabled` defaults to true for a new interface endpoint (API reference); a service
 *   without private DNS names refuses it ("Private DNS can't be enabled because the service ...
 *   does not provide a private DNS name.");
 * - `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint` is for interface endpoints of services with
 *   gateway endpoints too (S3): on a gateway endpoint it is "applicable only to Interface VPC
 *   Endpoints" (provider issue 45846); true needs a gateway endpoint for the service in the VPC: "To
 *   set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC vpc-... must have a Gateway endpoint
 *   for the service." (provider issues 32407, 33689; terraform-aws-vpc issue 982);
 * - turning private DNS on for S3 without the option sets it to true: AWS reads a missing value as
 *   true (provider PR 32021), so an S3 interface endpoint with private DNS and no gateway endpoint
 *   must say false explicitly (the hub does);
 * - turning private DNS on checks for conflicting domains ({@link checkNoConflictingDomain}).
 */
function nextDnsState(
  world: World,
  endpoint: VpcEndpoint,
  service: string,
  request: DnsRequest,
  creating: boolean,
): Pick<VpcEndpoint, 'privateDnsEnabled' | 'dnsOptions'> {
  const invalid = (message: string) => new AwsError('InvalidParameter', message);
  if (endpoint.type === 'Gateway') {
    if (request.inboundOnly !== undefined) {
      throw invalid(
        'DnsOptions PrivateDnsOnlyForInboundResolverEndpoint is applicable only to Interface VPC Endpoints.',
      );
    }
    return { privateDnsEnabled: false, dnsOptions: undefined };
  }
  const was = !creating && endpoint.privateDnsEnabled;
  const enabled = request.privateDns ?? (creating ? true : endpoint.privateDnsEnabled);
  const turnedOn = enabled && !was;
  const names = privateDnsNames(service, endpoint.region);
  if (turnedOn && names.length === 0) {
    throw invalid(
      `Private DNS can't be enabled because the service ${endpoint.serviceName} does not provide a private DNS name.`,
    );
  }
  if (request.recordIpType !== undefined && !DNS_RECORD_IP_TYPES.includes(request.recordIpType)) {
    throw invalid(`Invalid DnsRecordIpType ${request.recordIpType}.`);
  }
  if (request.inboundOnly === true && !takesInboundResolverOnly(service)) {
    // Assumed wording: the API reference says the option is only for services with both endpoint types.
    throw invalid(
      'DnsOptions PrivateDnsOnlyForInboundResolverEndpoint is available only for services that support both ' +
        `gateway and interface endpoints, not ${endpoint.serviceName}.`,
    );
  }
  let inboundOnly =
    request.inboundOnly ?? (creating ? undefined : endpoint.dnsOptions?.privateDnsOnlyForInboundResolverEndpoint);
  if (turnedOn && takesInboundResolverOnly(service) && request.inboundOnly === undefined) inboundOnly = true;
  if (
    inboundOnly === true &&
    (request.inboundOnly === true || turnedOn) &&
    !hasGatewayEndpoint(world, endpoint.vpcId, service)
  ) {
    throw invalid(
      `To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC ${endpoint.vpcId} must have a Gateway endpoint for the service.`,
    );
  }
  if (turnedOn) checkNoConflictingDomain(world, endpoint.vpcId, names, endpoint.id);
  return {
    privateDnsEnabled: enabled,
    dnsOptions: {
      dnsRecordIpType: request.recordIpType ?? endpoint.dnsOptions?.dnsRecordIpType ?? 'ipv4',
      ...(inboundOnly === undefined ? {} : { privateDnsOnlyForInboundResolverEndpoint: inboundOnly }),
    },
  };
}

function createVpcEndpoint(world: World, caller: Caller, params: QueryObject, region: string) {
  const vpcId = required(params, 'VpcId');
  const vpc = world.data.vpcs[vpcId];
  if (!vpc || vpc.account !== caller.account) throw notFound('InvalidVpcId.NotFound', 'vpc ID', vpcId);
  const serviceName = required(params, 'ServiceName');
  const parsed = parseServiceName(serviceName);
  if (!parsed || parsed.region !== region) {
    throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`);
  }
  const type = (qString(params, 'VpcEndpointType') ?? 'Gateway') as VpcEndpoint['type'];
  if (type !== 'Interface' && type !== 'Gateway') {
    throw new AwsError('InvalidParameter', `Invalid VpcEndpointType ${type}`);
  }
  if (!offersType(parsed.service, type)) {
    throw new AwsError(
      'InvalidParameter',
      `The Vpc Endpoint Service '${serviceName}' does not support ${type} endpoints.`,
    );
  }
  const policy = qString(params, 'PolicyDocument');
  if (policy !== undefined) {
    try {
      JSON.parse(policy);
    } catch {
      throw new AwsError('InvalidPolicyDocument', 'The policy document is not valid JSON.');
    }
  }
  const endpoint: VpcEndpoint = {
    id: world.newId('vpce-'),
    account: caller.account,
    region,
    vpcId,
    serviceName,
    type,
    subnetIds: [],
    securityGroupIds: [],
    routeTableIds: type === 'Gateway' ? qStrings(params, 'RouteTableId') : [],
    networkInterfaceIds: [],
    privateDnsEnabled: false,
    policy: policy ?? FULL_ACCESS_POLICY,
    dnsEntries: [],
    createdAt: new Date().toISOString(),
    tags: qTags(params, 'vpc-endpoint'),
  };
  Object.assign(endpoint, nextDnsState(world, endpoint, parsed.service, dnsRequest(params), true));
  if (type === 'Interface') {
    const groups = qStrings(params, 'SecurityGroupId');
    checkGroups(world, caller, vpcId, groups);
    endpoint.securityGroupIds = groups;
    attachSubnets(world, caller, endpoint, qStrings(params, 'SubnetId'));
    endpoint.dnsEntries = dnsEntries(world, endpoint, parsed.service);
  }
  world.data.vpcEndpoints[endpoint.id] = endpoint;
  return { vpcEndpoint: endpointXml(endpoint, world), clientToken: qString(params, 'ClientToken') ?? '' };
}

function modifyVpcEndpoint(world: World, caller: Caller, params: QueryObject) {
  const endpoint = endpointOf(world, caller, required(params, 'VpcEndpointId'));
  const parsed = parseServiceName(endpoint.serviceName);
  const dns = parsed ? nextDnsState(world, endpoint, parsed.service, dnsRequest(params), false) : undefined;
  const add = qStrings(params, 'AddSecurityGroupId');
  checkGroups(world, caller, endpoint.vpcId, add);
  endpoint.securityGroupIds = [...new Set([...endpoint.securityGroupIds, ...add])].filter(
    (id) => !qStrings(params, 'RemoveSecurityGroupId').includes(id),
  );
  detachSubnets(world, endpoint, qStrings(params, 'RemoveSubnetId'));
  attachSubnets(world, caller, endpoint, qStrings(params, 'AddSubnetId'));
  endpoint.routeTableIds = [...new Set([...endpoint.routeTableIds, ...qStrings(params, 'AddRouteTableId')])].filter(
    (id) => !qStrings(params, 'RemoveRouteTableId').includes(id),
  );
  const policy = qString(params, 'PolicyDocument');
  if (policy !== undefined) endpoint.policy = policy;
  if (qString(params, 'ResetPolicy') === 'true') endpoint.policy = FULL_ACCESS_POLICY;
  if (dns) Object.assign(endpoint, dns);
  if (endpoint.type === 'Interface' && parsed) endpoint.dnsEntries = dnsEntries(world, endpoint, parsed.service);
  return { return: true };
}

// ---- endpoint services ----

/** One entry of DescribeVpcEndpointServices' `serviceDetailSet` (an AWS service, one endpoint type). */
function serviceDetailXml(service: string, type: 'Interface' | 'Gateway', region: string) {
  const serviceName = `com.amazonaws.${region}.${service}`;
  const names = type === 'Interface' ? privateDnsNames(service, region) : [];
  return {
    serviceName,
    serviceId: `vpce-svc-${prefixListId(`${service}/${type}`, region).slice(3)}${'0'.repeat(9)}`,
    serviceType: items([{ serviceType: type }]),
    serviceRegion: region,
    availabilityZoneSet: items(['a', 'b', 'c'].map((zone) => `${region}${zone}`)),
    owner: 'amazon',
    baseEndpointDnsNameSet: items([
      serviceDnsName(service, region).replace(/\.amazonaws\.com$/, '.vpce.amazonaws.com'),
    ]),
    ...(names.length > 0
      ? {
          privateDnsName: names[0],
          privateDnsNameSet: items(names.map((privateDnsName) => ({ privateDnsName }))),
          privateDnsNameVerificationState: 'verified',
        }
      : {}),
    vpcEndpointPolicySupported: true,
    acceptanceRequired: false,
    managesVpcEndpoints: false,
    supportedIpAddressTypeSet: items(['ipv4']),
    tagSet: '',
  };
}

/**
 * DescribeVpcEndpointServices: AWS services by `ServiceName.N` (any well-formed name in the region),
 * else {@link LISTED_SERVICES}; one detail per endpoint type (S3 and DynamoDB have two), filtered by
 * `service-name` and `service-type`. Each interface detail reports the service's private DNS names
 * (`privateDnsName` is the first, `privateDnsNameSet` all of them).
 */
function describeEndpointServices(params: QueryObject, filters: Map<string, string[]>, region: string) {
  const asked = qStrings(params, 'ServiceName');
  const services = (asked.length > 0 ? asked : LISTED_SERVICES.map((s) => `com.amazonaws.${region}.${s}`)).map(
    (name) => {
      const parsed = parseServiceName(name);
      if (!parsed || parsed.region !== region) {
        throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
      }
      return parsed.service;
    },
  );
  const details = services.flatMap((service) =>
    (['Interface', 'Gateway'] as const).filter((type) => offersType(service, type)).map((type) => ({ service, type })),
  );
  const picked = filtered(details, filters, {
    'service-name': (d) => [`com.amazonaws.${region}.${d.service}`],
    'service-type': (d) => [d.type],
  });
  return {
    serviceNameSet: items([...new Set(picked.map((d) => `com.amazonaws.${region}.${d.service}`))]),
    serviceDetailSet: items(picked.map((d) => serviceDetailXml(d.service, d.type, region))),
  };
}

// ---- the actions ----

/** Handles one EC2 action for `caller` in `region`; returns the reply's body (inside `<Action>Response>`). */
export function ec2(
  world: World,
  caller: Caller,
  action: string,
  params: QueryObject,
  region: string,
): Record<string, unknown> {
  const data = world.data;
  const filters = qFilters(params);
  switch (action) {
    case 'CreateVpc': {
      const tags = qTags(params, 'vpc');
      const id = tags[CUSTOM_ID] ?? world.newId('vpc-');
      if (data.vpcs[id]) throw new AwsError('InvalidVpc.Duplicate', `VPC ${id} already exists`);
      data.vpcs[id] = {
        id,
        account: caller.account,
        region,
        cidr: required(params, 'CidrBlock'),
        tags: withoutCustomId(tags),
      };
      return { vpc: vpcXml(data.vpcs[id]) };
    }
    case 'DescribeVpcs': {
      const vpcs = filtered(
        owned(byIds(data.vpcs, qStrings(params, 'VpcId'), 'InvalidVpcID.NotFound', 'vpc ID', caller), caller),
        filters,
        {
          'vpc-id': (v) => [v.id],
          'owner-id': (v) => [v.account],
          cidr: (v) => [v.cidr],
          'cidr-block-association.cidr-block': (v) => [v.cidr],
          'dhcp-options-id': (v) => [dhcpOptionsIdOf(v)],
          // The fake makes no default VPCs (CreateVpc never does; AWS's default VPC of each account
          // and Region does not exist here): no VPC is one.
          'is-default': () => ['false'],
          state: () => ['available'],
        },
      ).filter((v) => v.region === region);
      return pagedReply('vpcSet', vpcs, params, vpcXml);
    }
    case 'DeleteVpc': {
      const id = required(params, 'VpcId');
      const vpc = data.vpcs[id];
      if (!vpc || vpc.account !== caller.account) throw notFound('InvalidVpcID.NotFound', 'vpc ID', id);
      const inUse =
        Object.values(data.subnets).some((s) => s.vpcId === id) ||
        Object.values(data.securityGroups).some((g) => g.vpcId === id) ||
        Object.values(data.vpcEndpoints).some((e) => e.vpcId === id) ||
        Object.values(data.zones).some((z) => z.vpcs.some((v) => v.vpcId === id));
      if (inUse) throw new AwsError('DependencyViolation', `The vpc '${id}' has dependencies and cannot be deleted.`);
      delete data.vpcs[id];
      return { return: true };
    }
    case 'DescribeVpcAttribute':
      return describeVpcAttribute(world, caller, params);
    case 'ModifyVpcAttribute':
      return modifyVpcAttribute(world, caller, params);
    case 'CreateDhcpOptions': {
      const set: DhcpOptions = {
        id: world.newId('dopt-'),
        account: caller.account,
        region,
        configurations: dhcpConfigurations(params),
        tags: qTags(params, 'dhcp-options'),
      };
      data.dhcpOptions[set.id] = set;
      return { dhcpOptions: dhcpXml(set) };
    }
    case 'DescribeDhcpOptions':
      return describeDhcpOptions(world, caller, params, region);
    case 'AssociateDhcpOptions':
      return associateDhcpOptions(world, caller, params);
    case 'DeleteDhcpOptions':
      return deleteDhcpOptions(world, caller, params);
    case 'CreateSubnet': {
      const vpcId = required(params, 'VpcId');
      const vpc = data.vpcs[vpcId];
      if (!vpc || vpc.account !== caller.account) throw notFound('InvalidVpcID.NotFound', 'vpc ID', vpcId);
      const tags = qTags(params, 'subnet');
      const id = tags[CUSTOM_ID] ?? world.newId('subnet-');
      data.subnets[id] = {
        id,
        vpcId,
        account: caller.account,
        availabilityZone: qString(params, 'AvailabilityZone') ?? `${region}a`,
        cidr: required(params, 'CidrBlock'),
        tags: withoutCustomId(tags),
      };
      return { subnet: subnetXml(data.subnets[id]) };
    }
    case 'DescribeSubnets': {
      const subnets = filtered(
        owned(
          byIds(data.subnets, qStrings(params, 'SubnetId'), 'InvalidSubnetID.NotFound', 'subnet ID', caller),
          caller,
        ),
        filters,
        { 'vpc-id': (s) => [s.vpcId], 'subnet-id': (s) => [s.id] },
      );
      return pagedReply('subnetSet', subnets, params, subnetXml);
    }
    case 'DeleteSubnet': {
      const id = required(params, 'SubnetId');
      const subnet = data.subnets[id];
      if (!subnet || subnet.account !== caller.account) throw notFound('InvalidSubnetID.NotFound', 'subnet ID', id);
      if (Object.values(data.networkInterfaces).some((n) => n.subnetId === id)) {
        throw new AwsError('DependencyViolation', `The subnet '${id}' has dependencies and cannot be deleted.`);
      }
      delete data.subnets[id];
      return { return: true };
    }
    case 'CreateSecurityGroup': {
      const vpcId = required(params, 'VpcId');
      const vpc = data.vpcs[vpcId];
      if (!vpc || vpc.account !== caller.account) throw notFound('InvalidVpcID.NotFound', 'vpc ID', vpcId);
      const name = required(params, 'GroupName');
      if (Object.values(data.securityGroups).some((g) => g.vpcId === vpcId && g.name === name)) {
        throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
      }
      const id = world.newId('sg-');
      const group: SecurityGroup = {
        id,
        account: caller.account,
        vpcId,
        name,
        description: required(params, 'GroupDescription'),
        tags: qTags(params, 'security-group'),
        // AWS gives every new group an allow-all IPv4 egress rule (Terraform removes it).
        rules: [
          {
            id: world.newId('sgr-'),
            isEgress: true,
            protocol: '-1',
            fromPort: -1,
            toPort: -1,
            cidrIpv4: '0.0.0.0/0',
            tags: {},
          },
        ],
      };
      data.securityGroups[id] = group;
      return {
        return: true,
        groupId: id,
        securityGroupArn: `arn:aws:ec2:${region}:${caller.account}:security-group/${id}`,
        tagSet: tagSet(group.tags),
      };
    }
    case 'DescribeSecurityGroups': {
      const groups = filtered(
        owned(
          byIds(data.securityGroups, qStrings(params, 'GroupId'), 'InvalidGroup.NotFound', 'security group', caller),
          caller,
        ),
        filters,
        { 'group-id': (g) => [g.id], 'group-name': (g) => [g.name], 'vpc-id': (g) => [g.vpcId] },
      );
      return pagedReply('securityGroupInfo', groups, params, (g) => groupXml(g, region));
    }
    case 'DeleteSecurityGroup': {
      const group = groupOf(world, caller, required(params, 'GroupId'));
      const user = Object.values(data.vpcEndpoints).find((e) => e.securityGroupIds.includes(group.id));
      if (user) throw new AwsError('DependencyViolation', `resource ${group.id} has a dependent object (${user.id})`);
      delete data.securityGroups[group.id];
      return { return: true, groupId: group.id };
    }
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress': {
      const group = groupOf(world, caller, required(params, 'GroupId'));
      const isEgress = action === 'AuthorizeSecurityGroupEgress';
      const created = permissionRules(params).map((rule) => {
        const candidate = { ...rule, isEgress };
        if (group.rules.some((existing) => sameRule(existing, candidate))) {
          throw new AwsError('InvalidPermission.Duplicate', `the specified rule already exists in ${group.id}`);
        }
        return { ...candidate, id: world.newId('sgr-'), tags: qTags(params, 'security-group-rule') };
      });
      group.rules.push(...created);
      return { return: true, securityGroupRuleSet: items(created.map((rule) => ruleXml(group, rule))) };
    }
    case 'RevokeSecurityGroupIngress':
    case 'RevokeSecurityGroupEgress': {
      const group = groupOf(world, caller, required(params, 'GroupId'));
      const isEgress = action === 'RevokeSecurityGroupEgress';
      const ids = qStrings(params, 'SecurityGroupRuleId');
      const doomed = ids.length
        ? ids.map((id) => {
            const rule = group.rules.find((r) => r.id === id && r.isEgress === isEgress);
            if (!rule) {
              throw new AwsError(
                'InvalidSecurityGroupRuleId.NotFound',
                `The security group rule ID '${id}' does not exist`,
              );
            }
            return rule;
          })
        : permissionRules(params).map((rule) => {
            const found = group.rules.find((r) => sameRule(r, { ...rule, isEgress }));
            if (!found) {
              throw new AwsError(
                'InvalidPermission.NotFound',
                `The specified rule does not exist in this security group.`,
              );
            }
            return found;
          });
      group.rules = group.rules.filter((r) => !doomed.includes(r));
      return { return: true };
    }
    case 'DescribeSecurityGroupRules': {
      const ids = qStrings(params, 'SecurityGroupRuleId');
      const all = owned(Object.values(data.securityGroups), caller).flatMap((group) =>
        group.rules.map((rule) => ({ group, rule })),
      );
      const picked = ids.length
        ? ids.map((id) => {
            const found = all.find((x) => x.rule.id === id);
            if (!found) {
              throw new AwsError(
                'InvalidSecurityGroupRuleId.NotFound',
                `The security group rule ID '${id}' does not exist`,
              );
            }
            return found;
          })
        : all;
      const rules = filtered(picked, filters, {
        'group-id': (x) => [x.group.id],
        'security-group-rule-id': (x) => [x.rule.id],
      });
      return pagedReply('securityGroupRuleSet', rules, params, ({ group, rule }) => ruleXml(group, rule));
    }
    case 'DescribeNetworkInterfaces': {
      const enis = filtered(
        owned(
          byIds(
            data.networkInterfaces,
            qStrings(params, 'NetworkInterfaceId'),
            'InvalidNetworkInterfaceID.NotFound',
            'network interface',
            caller,
          ),
          caller,
        ),
        filters,
        {
          'network-interface-id': (n) => [n.id],
          'vpc-id': (n) => [n.vpcId],
          'subnet-id': (n) => [n.subnetId],
          'group-id': (n) => data.vpcEndpoints[n.endpointId]?.securityGroupIds ?? [],
        },
      );
      return pagedReply('networkInterfaceSet', enis, params, (n) => ({
        networkInterfaceId: n.id,
        subnetId: n.subnetId,
        vpcId: n.vpcId,
        availabilityZone: n.availabilityZone,
        ownerId: n.account,
        requesterManaged: true,
        interfaceType: 'vpc_endpoint',
        status: 'in-use',
        privateIpAddress: n.privateIp,
        privateIpAddressesSet: items([{ privateIpAddress: n.privateIp, primary: true }]),
        ipv6AddressesSet: '',
        groupSet: items(
          (data.vpcEndpoints[n.endpointId]?.securityGroupIds ?? []).map((id) => ({
            groupId: id,
            groupName: data.securityGroups[id]?.name ?? id,
          })),
        ),
        description: `VPC Endpoint Interface ${n.endpointId}`,
        tagSet: '',
      }));
    }
    case 'CreateVpcEndpoint':
      return createVpcEndpoint(world, caller, params, region);
    case 'ModifyVpcEndpoint':
      return modifyVpcEndpoint(world, caller, params);
    case 'DescribeVpcEndpoints': {
      const endpoints = filtered(
        owned(
          byIds(
            data.vpcEndpoints,
            qStrings(params, 'VpcEndpointId'),
            'InvalidVpcEndpointId.NotFound',
            'vpcEndpoint ID',
            caller,
          ),
          caller,
        ),
        filters,
        {
          'vpc-endpoint-id': (e) => [e.id],
          'vpc-id': (e) => [e.vpcId],
          'service-name': (e) => [e.serviceName],
          'vpc-endpoint-type': (e) => [e.type],
          'vpc-endpoint-state': () => ['available'],
        },
      );
      return pagedReply('vpcEndpointSet', endpoints, params, (e) => endpointXml(e, world), 1);
    }
    case 'DeleteVpcEndpoints': {
      const unsuccessful: unknown[] = [];
      for (const id of qStrings(params, 'VpcEndpointId')) {
        const endpoint = data.vpcEndpoints[id];
        if (!endpoint || endpoint.account !== caller.account) {
          unsuccessful.push({
            resourceId: id,
            error: { code: 'InvalidVpcEndpoint.NotFound', message: `The VPC Endpoint Id '${id}' does not exist` },
          });
          continue;
        }
        detachSubnets(world, endpoint, [...endpoint.subnetIds]);
        // Assumed: a Profile that held the endpoint no longer does (AWS documents neither a refusal nor this).
        for (const association of Object.values(data.profileResourceAssociations)) {
          if (association.endpointId === id) delete data.profileResourceAssociations[association.id];
        }
        delete data.vpcEndpoints[id];
      }
      return { unsuccessful: items(unsuccessful) };
    }
    case 'DescribeVpcEndpointServices':
      return describeEndpointServices(params, filters, region);
    case 'DescribePrefixLists': {
      const names = filters.get('prefix-list-name') ?? [];
      const ids = qStrings(params, 'PrefixListId');
      const lists = ['s3', 'dynamodb'].map((service) => ({
        prefixListId: prefixListId(service, region),
        prefixListName: `com.amazonaws.${region}.${service}`,
        cidrSet: items(['52.219.0.0/20']),
      }));
      const picked = lists.filter(
        (list) =>
          (names.length === 0 || names.includes(list.prefixListName)) &&
          (ids.length === 0 || ids.includes(list.prefixListId)),
      );
      return { prefixListSet: items(picked) };
    }
    case 'CreateTags':
    case 'DeleteTags': {
      const tags = qTags(params);
      for (const id of qStrings(params, 'ResourceId')) {
        const target =
          data.vpcEndpoints[id] ??
          data.securityGroups[id] ??
          data.vpcs[id] ??
          data.subnets[id] ??
          data.dhcpOptions[id] ??
          owned(Object.values(data.securityGroups), caller)
            .flatMap((g) => g.rules)
            .find((r) => r.id === id);
        if (!target || ('account' in target && target.account !== caller.account)) {
          throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
        }
        if (action === 'CreateTags') Object.assign(target.tags, tags);
        else for (const key of Object.keys(tags)) delete target.tags[key];
        // `Tag.N.Key` without a value deletes the key whatever its value.
        if (action === 'DeleteTags') {
          for (const tag of qList(params, 'Tag') as QueryValue[]) delete target.tags[qString(tag, 'Key') ?? ''];
        }
      }
      return { return: true };
    }
    default:
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
  }
}

/**
 * EC2 actions that can change what a VPC resolves (an endpoint's private DNS, the VPC's DNS support,
 * its DHCP options set), for the resolution watch.
 */
export function changesResolution(action: string): boolean {
  return [
    'CreateVpcEndpoint',
    'ModifyVpcEndpoint',
    'DeleteVpcEndpoints',
    'ModifyVpcAttribute',
    'AssociateDhcpOptions',
  ].includes(action);
}

/** EC2 actions that change nothing (for the world file: nothing to save). */
export function isEc2ReadAction(action: string): boolean {
  return action.startsWith('Describe');
}
