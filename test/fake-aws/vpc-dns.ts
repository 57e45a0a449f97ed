/**
 * Where a VPC's workloads send their DNS queries, from its DNS attributes and DHCP options set
 * (EC2's DescribeVpcAttribute / ModifyVpcAttribute, CreateDhcpOptions / AssociateDhcpOptions):
 *
 * - `enableDnsSupport` (default true for every VPC): "If disabled, the Amazon provided DNS service in
 *   the VPC that resolves public DNS hostnames to IP addresses is not enabled" (ModifyVpcAttribute):
 *   the Amazon-provided resolver answers nothing, private hosted zones included;
 * - `enableDnsHostnames` (default false for a VPC other than the default VPC, which is what CreateVpc
 *   makes; "You can only enable DNS hostnames if you've enabled DNS support"). The Route 53 guide
 *   lists it among the settings private hosted zones need; the fake's resolver does not model it
 *   (it answers the same either way) and reports it only;
 * - the DHCP options set hands out the DNS servers: every account has a default set per Region
 *   (`domain-name-servers = AmazonProvidedDNS`, `domain-name = <region>.compute.internal`, or
 *   `ec2.internal` in us-east-1), which every new VPC gets. A set of custom servers sends the
 *   workloads' queries to them: they see no private hosted zone and no Profile of the VPC unless
 *   they forward to the VPC's resolver, which the fake cannot know. `default` (AssociateDhcpOptions)
 *   is no set at all: "no domain name, no DNS server" (EC2 API reference).
 *
 * A workload asks the first server it is handed: the VPC's resolver when that is `AmazonProvidedDNS`,
 * the VPC's base address plus two, or 169.254.169.253 (fd00:ec2::253); anything else is a custom
 * DNS server.
 */
import type { DhcpOptions, Vpc, World } from './world';

/** The `domain-name-servers` value that names the Amazon-provided resolver. */
export const AMAZON_PROVIDED_DNS = 'AmazonProvidedDNS';

/** AssociateDhcpOptions' `default`: no DHCP options set. */
export const NO_DHCP_OPTIONS = 'default';

/** The domain name of a Region's default DHCP options set. */
function defaultDomainName(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

/** The ID of an account's default DHCP options set in a Region (`dopt-` and 17 hex digits, stable). */
export function defaultDhcpOptionsId(account: string, region: string): string {
  let digits = '';
  for (let round = 0; digits.length < 17; round++) {
    let hash = (2166136261 ^ round) >>> 0;
    for (const char of `dhcp/${account}/${region}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    digits += hash.toString(16).padStart(8, '0');
  }
  return `dopt-${digits.slice(0, 17)}`;
}

/** An account's default DHCP options set in a Region, as AWS makes it (the world does not store it). */
export function defaultDhcpOptions(account: string, region: string): DhcpOptions {
  return {
    id: defaultDhcpOptionsId(account, region),
    account,
    region,
    configurations: [
      { key: 'domain-name', values: [defaultDomainName(region)] },
      { key: 'domain-name-servers', values: [AMAZON_PROVIDED_DNS] },
    ],
    tags: {},
  };
}

/** The DHCP options set ID a VPC reports (`dhcpOptionsId` of DescribeVpcs). */
export function dhcpOptionsIdOf(vpc: Vpc): string {
  return vpc.dhcpOptionsId ?? defaultDhcpOptionsId(vpc.account, vpc.region);
}

/** A DHCP options set `account` may use in `region` by ID: its default set, or one it made there. */
export function dhcpOptionsById(world: World, account: string, region: string, id: string): DhcpOptions | undefined {
  if (id === defaultDhcpOptionsId(account, region)) return defaultDhcpOptions(account, region);
  const set = world.data.dhcpOptions[id];
  return set && set.account === account && set.region === region ? set : undefined;
}

/** What decides how a VPC resolves names. */
export interface VpcDns {
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
  /** The DHCP options set ID, or `default` (none). */
  readonly dhcpOptionsId: string;
  /** The `domain-name-servers` it hands out (none for `default`, or a set without the option). */
  readonly dnsServers: readonly string[];
}

/** The DNS settings of a VPC (AWS's defaults for attributes it never had set). */
export function vpcDnsOf(world: World, vpc: Vpc): VpcDns {
  const id = dhcpOptionsIdOf(vpc);
  const set = id === NO_DHCP_OPTIONS ? undefined : dhcpOptionsById(world, vpc.account, vpc.region, id);
  const servers = set?.configurations.find((c) => c.key === 'domain-name-servers')?.values ?? [];
  return {
    enableDnsSupport: vpc.enableDnsSupport ?? true,
    enableDnsHostnames: vpc.enableDnsHostnames ?? false,
    dhcpOptionsId: id,
    dnsServers: servers,
  };
}

/** The VPC's base address plus two (`10.1.0.2` for `10.1.0.0/16`): its Route 53 Resolver. */
export function resolverAddress(cidr: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match) return undefined;
  const [a, b, c, d] = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  const base =
    ((((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0)) >>> 0;
  const address = base + 2;
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/** Whether a DNS server a VPC hands out is its Amazon-provided resolver. */
export function isAmazonResolver(vpc: Vpc, server: string): boolean {
  return (
    server === AMAZON_PROVIDED_DNS ||
    server === '169.254.169.253' ||
    server.toLowerCase() === 'fd00:ec2::253' ||
    server === resolverAddress(vpc.cidr)
  );
}
