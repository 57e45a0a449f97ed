/**
 * What the fake knows about AWS endpoint services: their DNS names, their private DNS names and
 * which endpoint types they offer. Written out independently of the project's service catalog on
 * purpose: a fake that derived its answers from the code under test would agree with that code's
 * mistakes.
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

/**
 * The private DNS names of services whose names are not just the regional name (the service's
 * `PrivateDnsNames` in DescribeVpcEndpointServices), relative to that name:
 *
 * - `ecr.dkr`: `*.dkr.ecr.<region>.amazonaws.com` only, not the apex (what DescribeVpcEndpointServices
 *   reports; clients address `<registry-account>.dkr.ecr...`, ECR user guide "Amazon ECR interface VPC
 *   endpoints");
 * - `s3`: `s3.<region>.amazonaws.com` and `*.s3.<region>.amazonaws.com` (bucket virtual-host names; S3
 *   user guide, "AWS PrivateLink for Amazon S3", Private DNS);
 * - `execute-api`: `*.execute-api.<region>.amazonaws.com` (API Gateway developer guide, private APIs).
 */
const PRIVATE_DNS_NAMES: Record<string, ReadonlyArray<'apex' | 'wildcard'>> = {
  'ecr.dkr': ['wildcard'],
  s3: ['apex', 'wildcard'],
  'execute-api': ['wildcard'],
};

/** Services whose interface endpoints have no private DNS (they need a self-managed zone). */
const NO_PRIVATE_DNS = new Set(['dynamodb']);

/**
 * The services DescribeVpcEndpointServices lists when asked for none by name (any well-formed
 * `com.amazonaws.<region>.<service>` is served when named).
 */
export const LISTED_SERVICES: readonly string[] = [
  'ec2',
  'ec2messages',
  'ecr.api',
  'ecr.dkr',
  'ecs',
  'ecs-agent',
  'ecs-telemetry',
  'execute-api',
  'kms',
  'logs',
  'monitoring',
  's3',
  'dynamodb',
  'secretsmanager',
  'sns',
  'sqs',
  'ssm',
  'ssmmessages',
  'sts',
];

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

/**
 * The private DNS names an interface endpoint of `service` answers with private DNS on, e.g.
 * `['*.dkr.ecr.eu-west-1.amazonaws.com']` for `ecr.dkr`; empty for a service without private DNS.
 */
export function privateDnsNames(service: string, region: string): string[] {
  if (NO_PRIVATE_DNS.has(service)) return [];
  const name = serviceDnsName(service, region);
  return (PRIVATE_DNS_NAMES[service] ?? ['apex']).map((kind) => (kind === 'apex' ? name : `*.${name}`));
}

/**
 * The zone a private DNS name lives in: the name itself, or for a wildcard `*.x` the zone `x`. A
 * self-managed private hosted zone of that name on the same VPC conflicts with it.
 */
export function privateDnsZoneName(privateDnsName: string): string {
  return privateDnsName.replace(/^\*\./, '');
}

/** Whether a service offers an endpoint of this type. */
export function offersType(service: string, type: 'Interface' | 'Gateway'): boolean {
  return type === 'Interface' || GATEWAY_SERVICES.has(service);
}

/**
 * Whether an interface endpoint of the service takes `PrivateDnsOnlyForInboundResolverEndpoint`:
 * only services that offer both gateway and interface endpoints do (S3), as the API reference says
 * of DnsOptionsSpecification.
 */
export function takesInboundResolverOnly(service: string): boolean {
  return GATEWAY_SERVICES.has(service) && !NO_PRIVATE_DNS.has(service);
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
