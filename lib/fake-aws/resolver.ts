/**
 * What the Route 53 Resolver of a VPC (its VPC+2 address) answers for a name, from the world:
 *
 * - the private hosted zones associated with the VPC are searched, and the most specific zone whose
 *   name covers the host answers alone;
 * - in it, a record of the exact name wins, else the most specific wildcard record (`*.<name>`) that
 *   covers the host, else NXDOMAIN: a private zone never falls back to public DNS;
 * - when no associated zone covers the host, public DNS answers.
 *
 * An alias record is followed to the VPC endpoint whose DNS entry it names.
 */
import { isWithin, normalizeName } from './dns-names';
import { parseServiceName } from './endpoint-services';
import type { HostedZone, ResourceRecordSet, VpcEndpoint, World } from './world';

/** The answer to one lookup. */
export interface Resolution {
  readonly host: string;
  readonly vpcId: string;
  /** `answer`: a record answers; `NXDOMAIN`: a private zone covers the host but has no record; `public`: no private zone covers it. */
  readonly result: 'answer' | 'NXDOMAIN' | 'public';
  /** The zone that answered (for `answer` and `NXDOMAIN`). */
  readonly zone?: { readonly id: string; readonly name: string; readonly account: string };
  /** The record that answered. */
  readonly record?: { readonly name: string; readonly type: string };
  /** The endpoint an alias record leads to. */
  readonly endpoint?: { readonly id: string; readonly service: string; readonly type: string; readonly vpcId: string; readonly account: string };
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

/** The record of `zone` that answers `host`: exact, else the most specific covering wildcard. */
function answeringRecord(zone: HostedZone, host: string): ResourceRecordSet | undefined {
  const exact = zone.records.find((r) => r.name === host && r.type !== 'NS' && r.type !== 'SOA');
  if (exact) return exact;
  return zone.records
    .filter((r) => r.name.startsWith('*.') && host !== r.name.slice(2) && isWithin(host, r.name.slice(2)))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

/** Resolves `rawHost` as a workload in `vpcId` would. */
export function resolveName(world: World, vpcId: string, rawHost: string): Resolution {
  const host = normalizeName(rawHost);
  const zone = Object.values(world.data.zones)
    .filter((z) => z.private && z.vpcs.some((v) => v.vpcId === vpcId) && isWithin(host, z.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
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
        ? { gatewayEndpoint: { id: gateway.id, service: parseServiceName(gateway.serviceName)?.service ?? '', routeTables: gateway.routeTableIds.length } }
        : {}),
    };
  }
  const zoneInfo = { id: zone.id, name: zone.name, account: zone.account };
  const record = answeringRecord(zone, host);
  if (!record) return { host, vpcId, result: 'NXDOMAIN', zone: zoneInfo };
  const endpoint = record.alias ? endpointOf(world, record.alias) : undefined;
  return {
    host,
    vpcId,
    result: 'answer',
    zone: zoneInfo,
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
