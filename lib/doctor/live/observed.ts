/**
 * What the live doctor reads from AWS: the hub's zones, records, authorizations, endpoints, their
 * security group rules and network interfaces, and its Route 53 Profile; per spoke account, each
 * VPC's zones, Profile associations, CIDRs, DNS attributes, DHCP options and own endpoints.
 */

/** A record of a hub zone. */
export interface ObservedRecord {
  readonly name: string;
  readonly type: string;
  /** The alias target, for an alias record. */
  readonly alias?: { readonly dnsName: string; readonly hostedZoneId: string };
}

/** A private hosted zone. */
export interface ObservedZone {
  readonly id: string;
  /** Without the trailing dot, lower case. */
  readonly name: string;
  /** The owning account. */
  readonly owner?: string;
  readonly records: readonly ObservedRecord[];
  /** VPCs authorized to associate with it (read in association modes only). */
  readonly authorizedVpcs?: readonly string[];
}

/** A VPC endpoint. */
export interface ObservedEndpoint {
  readonly id: string;
  readonly type: string;
  readonly serviceName: string;
  readonly vpcId: string;
  /** `available`, `pendingAcceptance`, `pending`, `failed`, `deleting`, ... */
  readonly state: string;
  readonly privateDnsEnabled: boolean;
  readonly privateDnsOnlyForInboundResolverEndpoint?: boolean;
  readonly subnetIds: readonly string[];
  readonly networkInterfaceIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly dnsEntries: ReadonlyArray<{ readonly dnsName: string; readonly hostedZoneId: string }>;
  readonly routeTableIds: readonly string[];
}

/** An ingress rule of an endpoint security group. */
export interface ObservedRule {
  readonly groupId: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: string;
}

/** The hub account, as AWS holds it. */
export interface ObservedHub {
  readonly account: string;
  readonly region: string;
  readonly vpcId: string;
  readonly zones: readonly ObservedZone[];
  readonly endpoints: readonly ObservedEndpoint[];
  readonly ingressRules: readonly ObservedRule[];
  /** Network interfaces of the endpoints that exist, with their status. */
  readonly networkInterfaces: ReadonlyMap<string, string>;
  /** The hub's Route 53 Profile, when the configuration has one and AWS too. */
  readonly profile?: {
    readonly id: string;
    readonly name: string;
    readonly resourceArns: readonly string[];
  };
}

/** One spoke VPC, as AWS holds it. */
export interface ObservedVpc {
  readonly vpcId: string;
  /** False when the VPC does not exist (any more). */
  readonly exists: boolean;
  readonly cidrs: readonly string[];
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
  /** The DHCP options' domain name servers (`AmazonProvidedDNS` for the Route 53 Resolver). */
  readonly dnsServers: readonly string[];
  readonly dhcpOptionsId?: string;
  /** The private hosted zones associated with it, any account's. */
  readonly zones: ReadonlyArray<{ readonly id: string; readonly name: string; readonly owner?: string }>;
  /** Its Route 53 Profile associations. */
  readonly profiles: ReadonlyArray<{ readonly profileId: string; readonly status?: string }>;
  /** Its own VPC endpoints (an S3 gateway, or an interface endpoint with private DNS). */
  readonly endpoints: readonly ObservedEndpoint[];
}

/** One spoke account. */
export interface ObservedSpoke {
  readonly account: string;
  readonly name?: string;
  readonly vpcs: readonly ObservedVpc[];
}

/** Everything one live run read. */
export interface Observed {
  readonly hub: ObservedHub;
  readonly spokes: readonly ObservedSpoke[];
}
