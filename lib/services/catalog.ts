/**
 * The service catalog: every AWS fact about an interface endpoint that vpce-hub needs, as data.
 *
 * A service name is the last part of the endpoint service name `com.amazonaws.<region>.<service>`
 * (what `aws ec2 describe-vpc-endpoint-services` lists). Its private hosted zone is named after the
 * service's regional DNS name: the dot-separated labels reversed, then `.<region>.amazonaws.com`
 * (`ecr.api` -> `api.ecr.<region>.amazonaws.com`), with the few exceptions written out below.
 *
 * To centralize another service, add one entry here. The code names a service only through the
 * constants below ({@link S3}, {@link ECR_DKR}), where it branches on that service's own rules.
 */

/**
 * S3: the one catalog service with a gateway endpoint (a spoke VPC may run its own and then stays
 * off the hub's s3 zone), with bucket names below its zone apex, and the home of ECR's image layers.
 */
export const S3 = 's3';

/**
 * ECR's Docker registry API: clients address a registry as `<account-id>.dkr.ecr.<region>.amazonaws.com`,
 * so its zone holds one record per registry account (`EcrRegistryRecords`).
 */
export const ECR_DKR = 'ecr.dkr';

/** Which records a service's zone holds, each an alias A record to the endpoint's regional DNS name. */
export type RecordKind =
  /** The zone apex, e.g. `logs.<region>.amazonaws.com`. */
  | 'apex'
  /** `*.<zone>`: names below the apex, e.g. S3 virtual-hosted bucket names, API Gateway API IDs. */
  | 'wildcard'
  /**
   * `<account-id>.<zone>` for each registry account (or one `*` record in `ecr.dkrRecords: wildcard`
   * mode). Only `ecr.dkr` has it: Docker clients address a registry as
   * `<account-id>.dkr.ecr.<region>.amazonaws.com`.
   */
  | 'registry-accounts';

/** One catalog entry. */
export interface ServiceEntry {
  /**
   * The zone name without `.<region>.amazonaws.com`, when it is not the service labels reversed.
   * @default the service name's dot-separated labels, reversed
   */
  readonly zonePrefix?: string;
  /** The records the zone holds. */
  readonly records: readonly RecordKind[];
  /** What the service is for, shown in the config reference and error hints. */
  readonly description: string;
  /**
   * The endpoint's own private DNS names (`private_dns_enabled = true`: AWS creates and manages a
   * private zone for them in the endpoint's VPC, and a Route 53 Profile that holds the endpoint
   * serves them to every VPC associated with it; `sharing.dns: endpoints`). Undefined: the
   * endpoint has no private DNS, and the service keeps a self-managed zone in every mode.
   */
  readonly privateDns?: PrivateDns;
  /**
   * Set when clients never configure this service's host name but are handed it by another
   * service's API, and the name they are handed depends on how they called that API.
   */
  readonly discoveredVia?: DiscoveredVia;
}

/**
 * How a client learns a service's host name from another service's API (only the ECS agent's
 * `ecs-agent` and `ecs-telemetry` names so far; see the sources at those entries).
 */
export interface DiscoveredVia {
  /** The catalog service whose API hands the name out (`ecs`). */
  readonly service: string;
  /** Who calls what, for messages: "the ECS agent's DiscoverPollEndpoint call". */
  readonly call: string;
  /**
   * The first label of the names handed out when the call does NOT go through `service`'s interface
   * endpoint, with `<N>` for a number that the client is told and nobody can list in advance
   * (`ecs-a-<N>`). Those names are siblings of this service's zone, not names inside it, and
   * resolve in public DNS: no private hosted zone per service can answer them (a zone per `<N>`
   * would need every N; a `<region>.amazonaws.com` zone would shadow every AWS name in the region).
   * Through `service`'s interface endpoint, the client is handed the zone apex instead, which the
   * apex record answers.
   */
  readonly publicLabel: string;
}

/** A private DNS name of an endpoint, relative to the service's zone name. */
export type PrivateDnsName =
  /** The zone name itself, e.g. `logs.<region>.amazonaws.com`. */
  | 'apex'
  /** `*.<zone>`: every name one or more labels below it, not the zone name itself. */
  | 'wildcard';

/** What an endpoint's private DNS covers, and where that is written down. */
export interface PrivateDns {
  readonly names: readonly PrivateDnsName[];
  /** The AWS documentation that says so. */
  readonly source: string;
}

const APEX: readonly RecordKind[] = ['apex'];

/**
 * Most services: private DNS answers the service's regional name, the zone apex (AWS PrivateLink
 * guide, "Access an AWS service using an interface VPC endpoint", DNS hostnames: "the default DNS
 * name for the service for the Region (for example, ec2.us-east-1.amazonaws.com) resolves to the
 * private IP addresses of the endpoint network interfaces"; `aws ec2 describe-vpc-endpoint-services`
 * lists it as the service's PrivateDnsName).
 */
const PRIVATE_DNS_APEX: PrivateDns = {
  names: ['apex'],
  source:
    'https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-dns-hostnames',
};

/** The catalog itself, keyed by service name. */
export const SERVICE_CATALOG: Readonly<Record<string, ServiceEntry>> = {
  'ecr.api': {
    records: APEX,
    description: 'ECR API (GetAuthorizationToken, image manifests)',
    privateDns: PRIVATE_DNS_APEX,
  },
  /*
   * Private DNS: `*.dkr.ecr.<region>.amazonaws.com` only, the PrivateDnsName that
   * DescribeVpcEndpointServices reports for com.amazonaws.<region>.ecr.dkr. The wildcard answers
   * every `<registry-account>.dkr.ecr...` name, listed in accounts.yaml or not; it does not answer
   * the apex, which no Docker or ECR client uses (ECR user guide, "Amazon ECR interface VPC
   * endpoints": clients address `<account-id>.dkr.ecr.<region>.amazonaws.com`).
   */
  'ecr.dkr': {
    records: ['apex', 'registry-accounts'],
    description: 'ECR Docker registry (<account-id>.dkr.ecr.<region>.amazonaws.com)',
    privateDns: {
      names: ['wildcard'],
      source: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
    },
  },
  /*
   * Private DNS (S3 user guide, "AWS PrivateLink for Amazon S3", Private DNS): `s3.<region>.amazonaws.com`
   * and `*.s3.<region>.amazonaws.com` (bucket virtual-host names; ECR's layer bucket among them).
   * "Enable private DNS only for inbound endpoints" (`dns_options.private_dns_only_for_inbound_resolver_endpoint`)
   * is S3's own rule: true needs an S3 gateway endpoint in the endpoint's VPC and then sends that VPC's
   * own S3 traffic to the gateway; only inbound Resolver endpoints get the interface addresses. The
   * hub sets it false, so every VPC that sees the endpoint through the Profile reaches S3 through it.
   */
  s3: {
    records: ['apex', 'wildcard'],
    description: 'S3 interface endpoint (apex and bucket virtual-host names; ECR image layers)',
    privateDns: {
      names: ['apex', 'wildcard'],
      source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html#private-dns',
    },
  },
  logs: { records: APEX, description: 'CloudWatch Logs (awslogs log driver)', privateDns: PRIVATE_DNS_APEX },
  monitoring: { records: APEX, description: 'CloudWatch metrics', privateDns: PRIVATE_DNS_APEX },
  sts: { records: APEX, description: 'AWS STS', privateDns: PRIVATE_DNS_APEX },
  ssm: { records: APEX, description: 'Systems Manager', privateDns: PRIVATE_DNS_APEX },
  ssmmessages: { records: APEX, description: 'Systems Manager Session Manager channels', privateDns: PRIVATE_DNS_APEX },
  ec2messages: { records: APEX, description: 'Systems Manager agent messages', privateDns: PRIVATE_DNS_APEX },
  ec2: { records: APEX, description: 'Amazon EC2 API', privateDns: PRIVATE_DNS_APEX },
  kms: { records: APEX, description: 'AWS KMS', privateDns: PRIVATE_DNS_APEX },
  secretsmanager: { records: APEX, description: 'Secrets Manager', privateDns: PRIVATE_DNS_APEX },
  ecs: { records: APEX, description: 'Amazon ECS API', privateDns: PRIVATE_DNS_APEX },
  /*
   * ECS on EC2: the agent never builds these names. It calls ECS DiscoverPollEndpoint (through the
   * `ecs` name, or ECS_BACKEND_HOST) and connects to the `endpoint` / `telemetryEndpoint` URLs it
   * returns, appending `ws` to their path (aws/amazon-ecs-agent: ecs-agent/api/ecs/client/ecs_client.go
   * DiscoverPollEndpoint, DiscoverTelemetryEndpoint; ecs-agent/acs/session/session.go acsURL;
   * ecs-agent/tcs/handler/handler.go formatURL).
   * Which names ECS returns (Amazon ECS developer guide, "Amazon ECS interface VPC endpoints",
   * section "Understanding Amazon ECS endpoint naming patterns",
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html#ecs-endpoint-naming-patterns):
   * - through the `ecs` interface endpoint: "the base private DNS names ecs-a.<region>.amazonaws.com
   *   and ecs-t.<region>.amazonaws.com. A numeric identifier appears in the URL path, for example
   *   https://ecs-a.<region>.amazonaws.com/acs/1/" -> the apex records below answer them;
   * - otherwise: "numbered hostnames, such as ecs-a-1.<region>.amazonaws.com and
   *   ecs-t-1.<region>.amazonaws.com. These hostnames resolve to public endpoints." (seen in
   *   aws/amazon-ecs-agent issues 882, 931, 2169: ecs-a-1, ecs-t-1, ecs-a-4, ecs-t-4);
   * - "You don't need to create DNS records for numbered hostnames. If you use your own Route 53
   *   private hosted zones instead of the endpoint's private DNS, create hosted zones only for"
   *   ecs.<region>, ecs-a.<region> and ecs-t.<region>.amazonaws.com.
   * The endpoints' own private DNS name is the apex too ("Amazon ECS also creates a private DNS name
   * for the endpoint. For example, ecs-a.region.amazonaws.com for ecs-agent and
   * ecs-t.region.amazonaws.com for ecs-telemetry", same page). Hand-made ecs-a/ecs-t zones fixed an
   * agent that connected to ecs-a.ca-central-1.amazonaws.com publicly behind centralized endpoints
   * (aws-samples/aws-secure-environment-accelerator issue 1052).
   * So these zones work only together with `ecs` resolving through an ecs interface endpoint (the
   * hub's, or the spoke's own): `discoveredVia` says so, and the doctor checks `ecs` with them.
   */
  'ecs-agent': {
    zonePrefix: 'ecs-a',
    records: APEX,
    description: 'ECS container agent (ECS on EC2; needs ecs too)',
    discoveredVia: { service: 'ecs', call: "the ECS agent's DiscoverPollEndpoint call", publicLabel: 'ecs-a-<N>' },
    privateDns: PRIVATE_DNS_APEX,
  },
  'ecs-telemetry': {
    zonePrefix: 'ecs-t',
    records: APEX,
    description: 'ECS telemetry (ECS on EC2; needs ecs too)',
    discoveredVia: { service: 'ecs', call: "the ECS agent's DiscoverPollEndpoint call", publicLabel: 'ecs-t-<N>' },
    privateDns: PRIVATE_DNS_APEX,
  },
  sqs: { records: APEX, description: 'Amazon SQS', privateDns: PRIVATE_DNS_APEX },
  sns: { records: APEX, description: 'Amazon SNS', privateDns: PRIVATE_DNS_APEX },
  'email-smtp': { records: APEX, description: 'Amazon SES SMTP interface', privateDns: PRIVATE_DNS_APEX },
  // Private DNS: `*.execute-api.<region>.amazonaws.com`, the private APIs' names (API Gateway developer
  // guide, "Private REST APIs in API Gateway").
  'execute-api': {
    records: ['wildcard'],
    description: 'API Gateway private APIs (<api-id>.execute-api...)',
    privateDns: {
      names: ['wildcard'],
      source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
    },
  },
  elasticloadbalancing: { records: APEX, description: 'Elastic Load Balancing API', privateDns: PRIVATE_DNS_APEX },
  autoscaling: { records: APEX, description: 'EC2 Auto Scaling API', privateDns: PRIVATE_DNS_APEX },
  events: { records: APEX, description: 'Amazon EventBridge', privateDns: PRIVATE_DNS_APEX },
  lambda: { records: APEX, description: 'AWS Lambda API', privateDns: PRIVATE_DNS_APEX },
  states: { records: APEX, description: 'AWS Step Functions', privateDns: PRIVATE_DNS_APEX },
};

/** The names of every service in the catalog, in catalog order. */
export const SERVICE_NAMES: readonly string[] = Object.keys(SERVICE_CATALOG);

/** Whether `name` is a service the catalog knows. */
export function isCatalogService(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SERVICE_CATALOG, name);
}

/** The catalog entry of a service; throws for a name that is not in the catalog (a programming error). */
export function serviceEntry(name: string): ServiceEntry {
  if (!isCatalogService(name)) {
    throw new Error(`internal: service "${name}" is not in the catalog`);
  }
  return SERVICE_CATALOG[name];
}

/** The endpoint service name, e.g. `com.amazonaws.ap-northeast-1.ecr.dkr`. */
export function endpointServiceName(service: string, region: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/** The private hosted zone name, e.g. `dkr.ecr.ap-northeast-1.amazonaws.com`. */
export function zoneName(service: string, region: string): string {
  const prefix = serviceEntry(service).zonePrefix ?? service.split('.').reverse().join('.');
  return `${prefix}.${region}.amazonaws.com`;
}

/**
 * The name a client is handed for `service` when it did not call `discoveredVia.service` through
 * that service's interface endpoint, e.g. `ecs-a-<N>.ap-northeast-1.amazonaws.com`, or with `n`
 * given, one example of it (`ecs-a-1...`). Undefined for services without `discoveredVia`.
 */
export function publicDiscoveredName(service: string, region: string, n?: number): string | undefined {
  const via = serviceEntry(service).discoveredVia;
  if (!via) return undefined;
  const label = n === undefined ? via.publicLabel : via.publicLabel.replace('<N>', String(n));
  return `${label}.${region}.amazonaws.com`;
}

/** The catalog services whose names `service`'s API hands out (`ecs` -> `ecs-agent`, `ecs-telemetry`). */
export function servicesDiscoveredVia(service: string): string[] {
  return SERVICE_NAMES.filter((name) => SERVICE_CATALOG[name].discoveredVia?.service === service);
}

/**
 * The names an endpoint of `service` answers with private DNS on, e.g. `['*.dkr.ecr.<region>.amazonaws.com']`;
 * undefined when its endpoint has no private DNS.
 */
export function privateDnsNames(service: string, region: string): string[] | undefined {
  const dns = serviceEntry(service).privateDns;
  if (!dns) return undefined;
  const zone = zoneName(service, region);
  return dns.names.map((name) => (name === 'apex' ? zone : `*.${zone}`));
}

/**
 * The S3 bucket ECR serves image layers from (ECR user guide, "Amazon ECR interface VPC endpoints":
 * an S3 endpoint policy must admit `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`).
 */
export function ecrLayerBucket(region: string): string {
  return `prod-${region}-starport-layer-bucket`;
}

/**
 * The Terraform resource name used for a service's resources, e.g. `ecr_dkr` for `ecr.dkr`
 * (`aws_vpc_endpoint.ecr_dkr`, `aws_route53_zone.ecr_dkr`). Derived from the service name only,
 * so it never changes when accounts or other services are added.
 */
export function resourceName(service: string): string {
  return service.replace(/[^A-Za-z0-9_-]/g, '_');
}
