/**
 * An interface endpoint's private DNS as the doctor models it (`sharing.dns: endpoints`): which names
 * it answers, and whether queries from VPCs get them.
 *
 * With `private_dns_enabled = true`, AWS creates and manages one private hosted zone per private DNS
 * name of the endpoint's service (for a wildcard name `*.x`, the zone `x` holding a `*` record) and
 * associates it with the endpoint's VPC; a Route 53 Profile that holds the endpoint serves the same
 * names to every VPC associated with it (Route 53 Developer Guide, "Associate interface VPC endpoints
 * to a Route 53 Profile", https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profile-associate-vpc-endpoints.html).
 * The names come from the catalog (`privateDnsNames`), for the service and Region of the endpoint's
 * `service_name`. The fake (test/fake-aws/private-dns.ts) models the same.
 */
import { isCatalogService, privateDnsNames, serviceEntry, S3 } from '../services/catalog';
import { isRef, type Value } from './expression-evaluator';

/** The private DNS of one interface endpoint. */
export interface EndpointPrivateDns {
  /** The catalog service of the endpoint's `service_name`. */
  readonly service: string;
  /** The names it answers with private DNS on, e.g. `['*.dkr.ecr.<region>.amazonaws.com']`. */
  readonly names: readonly string[];
  /** Why queries from VPCs do not get them; undefined when they do. */
  readonly off?: string;
  /** Set when `off` comes from a value the synth output does not let us evaluate: worth a warning. */
  readonly unknown?: boolean;
}

/** One AWS-managed zone of an endpoint's private DNS: its name and the private DNS names in it. */
export interface PrivateDnsZoneNames {
  /** e.g. `dkr.ecr.<region>.amazonaws.com` for `*.dkr.ecr.<region>.amazonaws.com`. */
  readonly zone: string;
  readonly names: readonly string[];
}

const SERVICE_NAME = /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$/;

/** `com.amazonaws.<region>.<service>` of a catalog service, split; undefined for anything else. */
export function parseServiceName(serviceName: string | undefined): { region: string; service: string } | undefined {
  const match = serviceName === undefined ? null : SERVICE_NAME.exec(serviceName);
  return match && isCatalogService(match[2]) ? { region: match[1], service: match[2] } : undefined;
}

/** A Terraform bool argument: true, false, undefined when absent, or `unknown` when it does not evaluate to one. */
function bool(value: Value | undefined): boolean | undefined | 'unknown' {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return 'unknown';
}

/** A block argument (`dns_options`), as JSON writes it: an object, or a list of one. */
function block(value: Value | undefined): Record<string, Value> {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null && !Array.isArray(first) && !isRef(first)
    ? (first as Record<string, Value>)
    : {};
}

/**
 * Why an endpoint with these arguments does not serve its private DNS to VPC queries; undefined when
 * it does. `private_dns_enabled` defaults to false. S3's "Enable private DNS only for inbound
 * endpoints" (`dns_options.private_dns_only_for_inbound_resolver_endpoint`) leaves VPC queries, the
 * endpoint's own VPC's and those of every VPC of a Profile that holds it, to public DNS (and to the
 * VPC's S3 gateway endpoint): only inbound Resolver endpoints get the interface endpoint's addresses
 * (S3 User Guide, "AWS PrivateLink for Amazon S3", Private DNS; the catalog's s3 entry).
 */
function whyOff(attrs: Readonly<Record<string, Value>>): Pick<EndpointPrivateDns, 'off' | 'unknown'> {
  const enabled = bool(attrs.private_dns_enabled);
  if (enabled === 'unknown') {
    return {
      off: 'its private_dns_enabled cannot be evaluated from the synth output, so it counts as off',
      unknown: true,
    };
  }
  if (enabled !== true) {
    return {
      off:
        `its private_dns_enabled is ${enabled === false ? 'false' : 'not set (false)'}: AWS serves an endpoint's ` +
        'private DNS names, to its own VPC and through a Route 53 Profile, only when it is true',
    };
  }
  const inboundOnly = bool(block(attrs.dns_options).private_dns_only_for_inbound_resolver_endpoint);
  if (inboundOnly === 'unknown') {
    return {
      off: 'its dns_options.private_dns_only_for_inbound_resolver_endpoint cannot be evaluated from the synth output, so it counts as true',
      unknown: true,
    };
  }
  if (inboundOnly === true) {
    return {
      off:
        'its dns_options.private_dns_only_for_inbound_resolver_endpoint is true: its private DNS then answers ' +
        'inbound Resolver endpoints only, and queries from VPCs (its own, and every VPC of a Route 53 Profile that ' +
        `holds it) go to public DNS (${serviceEntry(S3).privateDns?.source ?? 'S3 User Guide'})`,
    };
  }
  return {};
}

/**
 * The private DNS of an interface endpoint with these arguments: undefined when its `service_name`
 * is not `com.amazonaws.<region>.<service>` of a catalog service whose endpoint has private DNS.
 */
export function endpointPrivateDns(attrs: Readonly<Record<string, Value>>): EndpointPrivateDns | undefined {
  const parsed = parseServiceName(typeof attrs.service_name === 'string' ? attrs.service_name : undefined);
  const names = parsed ? privateDnsNames(parsed.service, parsed.region) : undefined;
  return parsed && names ? { service: parsed.service, names, ...whyOff(attrs) } : undefined;
}

/** The zone a private DNS name lives in: the name itself, or for a wildcard name `*.x`, `x`. */
export function privateDnsZoneName(name: string): string {
  return name.replace(/^\*\./, '');
}

/** Private DNS names grouped by the AWS-managed zone each lives in. */
export function privateDnsZones(names: readonly string[]): PrivateDnsZoneNames[] {
  const byZone = new Map<string, string[]>();
  for (const name of names) {
    const zone = privateDnsZoneName(name);
    byZone.set(zone, [...(byZone.get(zone) ?? []), name]);
  }
  return [...byZone].map(([zone, inZone]) => ({ zone, names: inZone }));
}

/**
 * Of private DNS names, the one that answers `host`: the exact name, else a wildcard `*.x` for a
 * host one or more labels below `x` (not `x` itself); undefined when none does.
 */
export function answeringName(names: readonly string[], host: string): string | undefined {
  return (
    names.find((name) => name === host) ??
    names.filter((name) => name.startsWith('*.') && host.endsWith(name.slice(1))).sort((a, b) => b.length - a.length)[0]
  );
}
