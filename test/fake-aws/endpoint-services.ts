/**
 * What the fake knows about AWS endpoint services: their private DNS names and which endpoint types
 * they offer. Written out independently of the project's service catalog on purpose: a fake that
 * derived its answers from the code under test would agree with that code's mistakes.
 */

/** Services that offer gateway endpoints (they offer interface endpoints too). */
const GATEWAY_SERVICES = new Set(['s3', 'dynamodb']);

/** Private DNS names that are not the service labels reversed. */
const DNS_PREFIX_EXCEPTIONS: Record<string, string> = {
  'ecs-agent': 'ecs-a',
  'ecs-telemetry': 'ecs-t',
};

/** Services whose endpoint's first DNS entry is a wildcard (`*.vpce-...`). */
const WILDCARD_ENTRY_SERVICES = new Set(['s3']);

/** The parts of `com.amazonaws.<region>.<service>`; undefined when the name is not of that form. */
export function parseServiceName(serviceName: string): { region: string; service: string } | undefined {
  const match = /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d)\.([a-z0-9.-]+)$/.exec(serviceName);
  return match ? { region: match[1], service: match[2] } : undefined;
}

/** The public (and private DNS) name of a service in a region, e.g. `dkr.ecr.ap-northeast-1.amazonaws.com`. */
export function serviceDnsName(service: string, region: string): string {
  const prefix = DNS_PREFIX_EXCEPTIONS[service] ?? service.split('.').reverse().join('.');
  return `${prefix}.${region}.amazonaws.com`;
}

/** Whether a service offers an endpoint of this type. */
export function offersType(service: string, type: 'Interface' | 'Gateway'): boolean {
  return type === 'Interface' || GATEWAY_SERVICES.has(service);
}

/** Whether the regional DNS entry of the service's interface endpoints starts with `*.`. */
export function hasWildcardEntry(service: string): boolean {
  return WILDCARD_ENTRY_SERVICES.has(service);
}

/** The hosted zone ID of a region's `vpce.amazonaws.com` names (alias targets point at it). */
export function vpceHostedZoneId(region: string): string {
  let hash = 0;
  for (const char of region) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `Z${hash.toString(36).toUpperCase().padStart(13, '0')}`;
}

/** The prefix list of a gateway service (`pl-...`), stable per region and service. */
export function prefixListId(service: string, region: string): string {
  let hash = 7;
  for (const char of `${service}/${region}`) hash = (hash * 33 + char.charCodeAt(0)) >>> 0;
  return `pl-${hash.toString(16).padStart(8, '0')}`;
}
