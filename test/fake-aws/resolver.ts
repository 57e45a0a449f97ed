/**
 * What the Route 53 Resolver of a VPC (its VPC+2 address) answers for a name, from the world:
 *
 * - the private hosted zones associated with the VPC are searched, those associated directly and
 *   those of the Route 53 Profile associated with the VPC (while the Profile is visible to the VPC's
 *   owner, see sharing.ts), and the most specific zone whose name covers the host answers alone;
 * - when a zone associated directly and a zone of the Profile have the same name, the direct one
 *   answers. Route 53 Developer Guide, "What are Amazon Route 53 Profiles?", section "How Route 53
 *   Profile settings are prioritized"
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html): "When a DNS query
 *   matches both the Resolver rule for a private hosted zone that is directly associated with the
 *   VPC and a Resolver rule for a private hosted zone that is associated to the Profile, the local
 *   DNS settings take precedence. When DNS query is made for a conflicting domain name, the most
 *   specific one wins." Its table: query example.com, Profile example.com, VPC example.com: local
 *   VPC; query test.example.com, Profile test.example.com, VPC example.com: Profile. The same page
 *   says such overlaps are allowed ("You can have the local DNS settings and associations set for
 *   Profiles for migration, or other testing purposes"), so neither association is refused;
 * - in it, the records of the exact name answer, else those of the most specific wildcard name
 *   (`*.<name>`) that covers the host, else NXDOMAIN: a private zone never falls back to public DNS.
 *   A workload asks for A (IPv4): of those records only an A record or a plain (non-alias) CNAME
 *   answers. A name whose records are of other types only (an AAAA, an alias of type CNAME, a TXT)
 *   exists but has no address: NODATA, and no wildcard answers it (RFC 4592: a wildcard answers names
 *   that do not exist only);
 * - when no associated zone covers the host, public DNS answers;
 * - all of that only when the VPC's workloads ask its Amazon-provided resolver (vpc-dns.ts): with
 *   `enableDnsSupport` false it answers nothing (`no-dns`), and when the VPC's DHCP options set hands
 *   out another DNS server first, or none (`default`), the workloads' queries never reach it
 *   (`custom-dns`: what that server answers the fake cannot know; it sees no private hosted zone and
 *   no Profile of the VPC unless it forwards to the VPC's resolver). A VPC the world does not know
 *   is resolved as if it had AWS's defaults.
 *
 * Results (`Resolution.result`): `answer`, `NXDOMAIN` and `public` as above; `NODATA`: the name has
 * records, none of which answers an A query; `no-dns`: the VPC's DNS support is off; `custom-dns`:
 * the VPC's DHCP options send queries elsewhere. The last three carry a `reason`.
 *
 * An interface endpoint with private DNS on counts as the AWS-managed private hosted zones of its
 * private DNS names (private-dns.ts): one zone per name (for `*.dkr.ecr.<r>.amazonaws.com`, the zone
 * `dkr.ecr.<r>.amazonaws.com` holding a `*` record), each record an alias to the endpoint. The VPC
 * sees them directly for its own endpoints ("local DNS settings", so they win over a Profile's zone
 * of the same name) and through its Profile for the endpoints the Profile holds. A wildcard name
 * answers names below it, not its apex: `dkr.ecr.<r>.amazonaws.com` itself has no record there (AWS
 * answers NODATA; the fake, as for any name without a record in the zone that covers it, NXDOMAIN).
 * S3's `PrivateDnsOnlyForInboundResolverEndpoint` keeps VPC queries away from the endpoint: its
 * names then go public (and through the VPC's S3 gateway endpoint).
 *
 * An alias record is followed to the VPC endpoint whose DNS entry it names.
 */
import { isWithin, normalizeName } from './dns-names';
import { parseServiceName } from './endpoint-services';
import { profileAssociationOf } from './cross-account';
import { endpointService, managedZonesOf, servesVpcQueries } from './private-dns';
import { isAmazonResolver, vpcDnsOf } from './vpc-dns';
import type { HostedZone, ResourceRecordSet, VpcEndpoint, World } from './world';

/** What one lookup comes to (see {@link Resolution.result}). */
export type ResolutionResult = 'answer' | 'NXDOMAIN' | 'NODATA' | 'public' | 'no-dns' | 'custom-dns';

/** The answer to one lookup. */
export interface Resolution {
  readonly host: string;
  readonly vpcId: string;
  /**
   * `answer`: a record answers; `NXDOMAIN`: a private zone covers the host but has no record; `NODATA`:
   * it has records of the name, none of type A (or a plain CNAME); `public`: no private zone covers it;
   * `no-dns`: the VPC's `enableDnsSupport` is false; `custom-dns`: its DHCP options hand out a DNS
   * server other than the Amazon-provided one first, or none.
   */
  readonly result: ResolutionResult;
  /** Why a `NODATA`, `no-dns` or `custom-dns` lookup gets no private answer. */
  readonly reason?: string;
  /** For `custom-dns`: the DNS servers the VPC's DHCP options set hands out (none for `default`). */
  readonly dnsServers?: readonly string[];
  /**
   * The zone that answered (for `answer` and `NXDOMAIN`); `privateDnsOf` names the endpoint when it is
   * the AWS-managed zone of that endpoint's private DNS (`account` is then the endpoint's).
   */
  readonly zone?: {
    readonly id: string;
    readonly name: string;
    readonly account: string;
    readonly privateDnsOf?: string;
  };
  /** How the VPC sees that zone: associated directly, or through its Route 53 Profile (for `answer` and `NXDOMAIN`). */
  readonly via?: 'direct' | 'profile';
  /** The Profile the zone is seen through (when `via` is `profile`). */
  readonly profileId?: string;
  /** The record that answered (for `NODATA`: a record of the name, which does not answer an A query). */
  readonly record?: { readonly name: string; readonly type: string };
  /** The endpoint an alias record leads to (the endpoint itself, for a name its private DNS answers). */
  readonly endpoint?: {
    readonly id: string;
    readonly service: string;
    readonly type: string;
    readonly vpcId: string;
    readonly account: string;
  };
  /**
   * For `public` answers: the VPC's gateway endpoint whose route tables carry this service's
   * traffic (S3, DynamoDB), if it has one.
   */
  readonly gatewayEndpoint?: { readonly id: string; readonly service: string; readonly routeTables: number };
}

function endpointOf(world: World, alias: NonNullable<ResourceRecordSet['alias']>): VpcEndpoint | undefined {
  return Object.values(world.data.vpcEndpoints).find((e) =>
    e.dnsEntries.some((entry) => entry.hostedZoneId === alias.hostedZoneId && entry.dnsName === alias.dnsName),
  );
}

/**
 * The records of `zone` that `host` finds: those of its exact name (the apex's SOA and NS aside), else
 * those of the most specific covering wildcard name; none: NXDOMAIN.
 */
function recordsOf(zone: HostedZone, host: string): ResourceRecordSet[] {
  const exact = zone.records.filter((r) => r.name === host && r.type !== 'NS' && r.type !== 'SOA');
  if (exact.length > 0) return exact;
  const wildcard = zone.records
    .filter((r) => r.name.startsWith('*.') && host !== r.name.slice(2) && isWithin(host, r.name.slice(2)))
    .sort((a, b) => b.name.length - a.name.length)[0];
  return wildcard ? zone.records.filter((r) => r.name === wildcard.name) : [];
}

/** Whether a record answers an A query: an A record (alias or not), or a plain CNAME (followed). */
function answersA(record: ResourceRecordSet): boolean {
  return record.type === 'A' || (record.type === 'CNAME' && record.alias === undefined);
}

/**
 * Whether `vpcId`'s workloads reach its Amazon-provided resolver: undefined when they do, else the
 * resolution they get instead (`no-dns` or `custom-dns`).
 */
function unresolvedByVpc(world: World, vpcId: string, host: string): Resolution | undefined {
  const vpc = world.data.vpcs[vpcId];
  if (!vpc) return undefined;
  const dns = vpcDnsOf(world, vpc);
  const first = dns.dnsServers[0];
  if (first === undefined || !isAmazonResolver(vpc, first)) {
    return {
      host,
      vpcId,
      result: 'custom-dns',
      dnsServers: dns.dnsServers,
      reason:
        first === undefined
          ? `the VPC's DHCP options (${dns.dhcpOptionsId}) hand out no DNS server: its workloads ask no resolver`
          : `the VPC's DHCP options set ${dns.dhcpOptionsId} hands out the DNS server ${first} first, not ` +
            'AmazonProvidedDNS: it sees none of the private hosted zones or the Profile of the VPC unless it forwards to the VPC resolver',
    };
  }
  if (!dns.enableDnsSupport) {
    return {
      host,
      vpcId,
      result: 'no-dns',
      reason: "the VPC's enableDnsSupport is false: its Amazon-provided resolver answers nothing",
    };
  }
  return undefined;
}

/** A zone a VPC sees, and how. */
export interface VisibleZone {
  readonly zone: HostedZone;
  readonly via: 'direct' | 'profile';
  readonly profileId?: string;
  /** For the AWS-managed zone of an endpoint's private DNS: that endpoint's ID. */
  readonly privateDnsOf?: string;
}

/**
 * The AWS-managed zones of an endpoint's private DNS, as hosted zones whose records are aliases to
 * the endpoint's regional DNS name (none while its private DNS does not serve VPC queries).
 */
function privateDnsZones(endpoint: VpcEndpoint): HostedZone[] {
  const target = endpoint.dnsEntries[0];
  if (!servesVpcQueries(endpoint) || !target) return [];
  return managedZonesOf(endpoint).map((zone) => ({
    id: zone.id,
    account: endpoint.account,
    name: zone.name,
    callerReference: '',
    comment: `private DNS of ${endpoint.id} (${endpointService(endpoint) ?? endpoint.serviceName})`,
    private: true,
    vpcs: [{ vpcId: endpoint.vpcId, region: endpoint.region }],
    authorizations: [],
    records: zone.privateDnsNames.map((name) => ({
      name,
      type: 'A',
      alias: { hostedZoneId: target.hostedZoneId, dnsName: target.dnsName, evaluateTargetHealth: true },
    })),
    tags: {},
  }));
}

/**
 * The private hosted zones `vpcId` sees: associated directly, and through its Profile while that is in
 * effect; with the AWS-managed zones of the private DNS of its own endpoints (directly) and of the
 * endpoints its Profile holds.
 */
export function zonesSeenBy(world: World, vpcId: string): VisibleZone[] {
  const seen: VisibleZone[] = Object.values(world.data.zones)
    .filter((z) => z.private && z.vpcs.some((v) => v.vpcId === vpcId))
    .map((zone) => ({ zone, via: 'direct' as const }));
  for (const endpoint of Object.values(world.data.vpcEndpoints)) {
    if (endpoint.vpcId !== vpcId) continue;
    for (const zone of privateDnsZones(endpoint)) seen.push({ zone, via: 'direct', privateDnsOf: endpoint.id });
  }
  const viaProfile = profileAssociationOf(world, vpcId);
  if (viaProfile?.effective) {
    for (const association of Object.values(world.data.profileResourceAssociations)) {
      if (association.profileId !== viaProfile.association.profileId) continue;
      const profileId = association.profileId;
      const zone = association.zoneId ? world.data.zones[association.zoneId] : undefined;
      if (zone?.private) seen.push({ zone, via: 'profile', profileId });
      const endpoint = association.endpointId ? world.data.vpcEndpoints[association.endpointId] : undefined;
      for (const managed of endpoint ? privateDnsZones(endpoint) : []) {
        seen.push({ zone: managed, via: 'profile', profileId, privateDnsOf: endpoint?.id });
      }
    }
  }
  return seen;
}

/**
 * Resolves `rawHost` as a workload in `vpcId` would. `visible` is {@link zonesSeenBy} of the VPC,
 * for a caller that resolves many names in one VPC of an unchanged world.
 */
export function resolveName(
  world: World,
  vpcId: string,
  rawHost: string,
  visible: VisibleZone[] = zonesSeenBy(world, vpcId),
): Resolution {
  const host = normalizeName(rawHost);
  const elsewhere = unresolvedByVpc(world, vpcId, host);
  if (elsewhere) return elsewhere;
  // The most specific name wins; of two zones of the same name, the directly associated one.
  const seen = visible
    .filter((v) => isWithin(host, v.zone.name))
    .sort((a, b) => b.zone.name.length - a.zone.name.length || (a.via === b.via ? 0 : a.via === 'direct' ? -1 : 1))[0];
  const zone = seen?.zone;
  if (!zone) {
    const gateway = Object.values(world.data.vpcEndpoints).find((e) => {
      const parsed = parseServiceName(e.serviceName);
      return (
        e.type === 'Gateway' &&
        e.vpcId === vpcId &&
        e.routeTableIds.length > 0 &&
        parsed !== undefined &&
        isWithin(host, `${parsed.service}.${parsed.region}.amazonaws.com`)
      );
    });
    return {
      host,
      vpcId,
      result: 'public',
      ...(gateway
        ? {
            gatewayEndpoint: {
              id: gateway.id,
              service: parseServiceName(gateway.serviceName)?.service ?? '',
              routeTables: gateway.routeTableIds.length,
            },
          }
        : {}),
    };
  }
  const zoneInfo = {
    id: zone.id,
    name: zone.name,
    account: zone.account,
    ...(seen.privateDnsOf ? { privateDnsOf: seen.privateDnsOf } : {}),
  };
  const path = { via: seen.via, ...(seen.profileId ? { profileId: seen.profileId } : {}) };
  const named = recordsOf(zone, host);
  if (named.length === 0) return { host, vpcId, result: 'NXDOMAIN', zone: zoneInfo, ...path };
  const record = named.find(answersA);
  if (!record) {
    const types = named.map((r) => (r.alias ? `${r.type} (alias)` : r.type)).join(', ');
    return {
      host,
      vpcId,
      result: 'NODATA',
      zone: zoneInfo,
      ...path,
      record: { name: named[0].name, type: named[0].type },
      reason: `${named[0].name} has records of type ${types} only: none answers an A query, and the name exists, so no wildcard answers it`,
    };
  }
  const endpoint = record.alias ? endpointOf(world, record.alias) : undefined;
  return {
    host,
    vpcId,
    result: 'answer',
    zone: zoneInfo,
    ...path,
    record: { name: record.name, type: record.type },
    ...(endpoint
      ? {
          endpoint: {
            id: endpoint.id,
            service: parseServiceName(endpoint.serviceName)?.service ?? endpoint.serviceName,
            type: endpoint.type,
            vpcId: endpoint.vpcId,
            account: endpoint.account,
          },
        }
      : {}),
  };
}
