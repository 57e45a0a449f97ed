/**
 * The service catalog: every AWS fact about an interface endpoint that vpce-hub needs, as data.
 *
 * A service name is the last part of the endpoint service name `com.amazonaws.<region>.<service>`
 * (what `aws ec2 describe-vpc-endpoint-services` lists). Its private hosted zone is named after the
 * service's regional DNS name: the dot-separated labels reversed, then `.<region>.amazonaws.com`
 * (`ecr.api` -> `api.ecr.<region>.amazonaws.com`), with the few exceptions written out below.
 *
 * To centralize another service, add one entry here. Nothing else in the code names a service,
 * except `ecr.dkr`, whose per-registry records are built by `EcrRegistryRecords`.
 */

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
}

const APEX: readonly RecordKind[] = ['apex'];

/** The catalog itself, keyed by service name. */
export const SERVICE_CATALOG: Readonly<Record<string, ServiceEntry>> = {
  'ecr.api': { records: APEX, description: 'ECR API (GetAuthorizationToken, image manifests)' },
  'ecr.dkr': {
    records: ['apex', 'registry-accounts'],
    description: 'ECR Docker registry (<account-id>.dkr.ecr.<region>.amazonaws.com)',
  },
  s3: {
    records: ['apex', 'wildcard'],
    description: 'S3 interface endpoint (apex and bucket virtual-host names; ECR image layers)',
  },
  logs: { records: APEX, description: 'CloudWatch Logs (awslogs log driver)' },
  monitoring: { records: APEX, description: 'CloudWatch metrics' },
  sts: { records: APEX, description: 'AWS STS' },
  ssm: { records: APEX, description: 'Systems Manager' },
  ssmmessages: { records: APEX, description: 'Systems Manager Session Manager channels' },
  ec2messages: { records: APEX, description: 'Systems Manager agent messages' },
  ec2: { records: APEX, description: 'Amazon EC2 API' },
  kms: { records: APEX, description: 'AWS KMS' },
  secretsmanager: { records: APEX, description: 'Secrets Manager' },
  ecs: { records: APEX, description: 'Amazon ECS API' },
  'ecs-agent': { zonePrefix: 'ecs-a', records: APEX, description: 'ECS container agent (ECS on EC2)' },
  'ecs-telemetry': { zonePrefix: 'ecs-t', records: APEX, description: 'ECS telemetry (ECS on EC2)' },
  sqs: { records: APEX, description: 'Amazon SQS' },
  sns: { records: APEX, description: 'Amazon SNS' },
  'email-smtp': { records: APEX, description: 'Amazon SES SMTP interface' },
  'execute-api': { records: ['wildcard'], description: 'API Gateway private APIs (<api-id>.execute-api...)' },
  elasticloadbalancing: { records: APEX, description: 'Elastic Load Balancing API' },
  autoscaling: { records: APEX, description: 'EC2 Auto Scaling API' },
  events: { records: APEX, description: 'Amazon EventBridge' },
  lambda: { records: APEX, description: 'AWS Lambda API' },
  states: { records: APEX, description: 'AWS Step Functions' },
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
