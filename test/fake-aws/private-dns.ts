/**
 * An interface endpoint's private DNS, as EC2, Route 53, Route 53 Profiles and the resolver of the
 * fake see it.
 *
 * With private DNS on, AWS creates and manages one private hosted zone per private DNS name of the
 * endpoint's service (`logs.<r>.amazonaws.com`; for a wildcard name `*.x`, the zone `x` holding a
 * `*` record) and associates it with the endpoint's VPC. Those zones are not the account's: Route 53
 * does not list them, but they count as the VPC's zones for every conflict rule:
 *
 * - turning private DNS on fails while the VPC already has a zone of one of those names (a
 *   self-managed private hosted zone, or another endpoint's): EC2 `InvalidParameter`, "private-dns-enabled
 *   cannot be set because there is already a conflicting DNS domain for <name> in the VPC <vpc>";
 * - the reverse, a self-managed zone of such a name created on or associated with the VPC, fails with
 *   Route 53 `ConflictingDomainExists`;
 * - a Route 53 Profile that holds the endpoint serves the same zones to every VPC associated with it
 *   (AWS reports them in the association's `ResourceProperties`: zone ID to name).
 *
 * S3's `PrivateDnsOnlyForInboundResolverEndpoint`: when true, the zones answer inbound Resolver
 * endpoints only; queries from inside VPCs (the endpoint's own, and those of a Profile) do not get the
 * interface endpoint, and go public (to the VPC's S3 gateway endpoint, which the option requires).
 */
import { parseServiceName, privateDnsNames, privateDnsZoneName } from './endpoint-services';
import type { VpcEndpoint, World } from './world';

/** One AWS-managed private hosted zone of an endpoint's private DNS. */
export interface ManagedZone {
  /** A Route 53 style zone ID, stable per endpoint and zone name. */
  readonly id: string;
  /** Lower case, no trailing dot, e.g. `dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly name: string;
  /** The private DNS names it answers, e.g. `['*.dkr.ecr.eu-west-1.amazonaws.com']`. */
  readonly privateDnsNames: readonly string[];
}

/** The service an endpoint serves (`ecr.dkr`), or undefined for a malformed service name. */
export function endpointService(endpoint: VpcEndpoint): string | undefined {
  return parseServiceName(endpoint.serviceName)?.service;
}

/** The private DNS names of an interface endpoint's service (whether or not private DNS is on). */
export function endpointPrivateDnsNames(endpoint: VpcEndpoint): string[] {
  const service = endpointService(endpoint);
  return endpoint.type === 'Interface' && service ? privateDnsNames(service, endpoint.region) : [];
}

/** The ID AWS would give the managed zone `name` of `endpoint` (`Z0` and 19 upper-case letters or digits). */
export function managedZoneId(endpointId: string, name: string): string {
  let digits = '';
  for (let round = 0; digits.length < 19; round++) {
    let hash = (2166136261 ^ round) >>> 0;
    for (const char of `${endpointId}/${name}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    digits += hash.toString(36).padStart(7, '0');
  }
  return `Z0${digits.slice(0, 19).toUpperCase()}`;
}

/** The managed zones of the endpoint's private DNS names, grouped by zone name (none while private DNS is off). */
export function managedZonesOf(endpoint: VpcEndpoint): ManagedZone[] {
  if (endpoint.type !== 'Interface' || !endpoint.privateDnsEnabled) return [];
  return managedZonesFor(endpoint.id, endpointPrivateDnsNames(endpoint));
}

/** The managed zones `names` would make for the endpoint `endpointId`. */
export function managedZonesFor(endpointId: string, names: readonly string[]): ManagedZone[] {
  const byZone = new Map<string, string[]>();
  for (const name of names) {
    const zone = privateDnsZoneName(name);
    byZone.set(zone, [...(byZone.get(zone) ?? []), name]);
  }
  return [...byZone].map(([name, dnsNames]) => ({
    id: managedZoneId(endpointId, name),
    name,
    privateDnsNames: dnsNames,
  }));
}

/**
 * Whether queries from inside VPCs (the endpoint's own, and those of a Profile that holds it) get the
 * endpoint's private DNS: private DNS on, and not S3's "only for inbound Resolver endpoints".
 */
export function servesVpcQueries(endpoint: VpcEndpoint): boolean {
  return (
    endpoint.type === 'Interface' &&
    endpoint.privateDnsEnabled &&
    endpoint.dnsOptions?.privateDnsOnlyForInboundResolverEndpoint !== true
  );
}

/** The endpoint in `vpcId` (other than `exceptId`) whose private DNS holds a zone named `zoneName`. */
export function endpointWithZone(
  world: World,
  vpcId: string,
  zoneName: string,
  exceptId?: string,
): { endpoint: VpcEndpoint; zone: ManagedZone } | undefined {
  for (const endpoint of Object.values(world.data.vpcEndpoints)) {
    if (endpoint.vpcId !== vpcId || endpoint.id === exceptId) continue;
    const zone = managedZonesOf(endpoint).find((z) => z.name === zoneName);
    if (zone) return { endpoint, zone };
  }
  return undefined;
}

/** Whether `vpcId` has a gateway endpoint for `service` (S3's inbound-only option needs one). */
export function hasGatewayEndpoint(world: World, vpcId: string, service: string): boolean {
  return Object.values(world.data.vpcEndpoints).some(
    (e) => e.vpcId === vpcId && e.type === 'Gateway' && endpointService(e) === service,
  );
}
