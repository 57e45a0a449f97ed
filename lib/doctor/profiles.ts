/**
 * The host names each kind of workload needs to resolve inside a spoke VPC.
 */
import {
  ecrLayerBucket,
  isCatalogService,
  publicDiscoveredName,
  serviceEntry,
  zoneName,
  S3,
  ECR_DKR,
} from '../services/catalog';

/** The workload profiles `npm run doctor -- --profile` accepts. */
export const PROFILES = ['fargate', 'ecs-ec2', 'ssm', 'all'] as const;
export type Profile = (typeof PROFILES)[number];

/** One name a workload needs, and what for. */
export interface RequiredHost {
  readonly host: string;
  readonly need: string;
}

/** What the host names depend on. */
export interface ProfileContext {
  readonly region: string;
  /** The spoke account itself: its own registry. */
  readonly account: string;
  /** Other registries the workloads pull from (`ecr.registryAccounts`, `--registry`). */
  readonly registries: readonly string[];
  /** The services the hub centralizes (for `all`). */
  readonly hubServices: readonly string[];
}

/** The S3 bucket ECR serves image layers from. */
export function layerBucketHost(region: string): string {
  return `${ecrLayerBucket(region)}.${zoneName(S3, region)}`;
}

function registryHosts(ctx: ProfileContext): RequiredHost[] {
  return [...new Set([ctx.account, ...ctx.registries])].map((id) => ({
    host: `${id}.${zoneName(ECR_DKR, ctx.region)}`,
    need: id === ctx.account ? 'ECR registry (own account)' : 'ECR registry',
  }));
}

function apex(service: string, ctx: ProfileContext, need: string): RequiredHost {
  return { host: zoneName(service, ctx.region), need };
}

function fargate(ctx: ProfileContext): RequiredHost[] {
  return [
    apex('ecr.api', ctx, 'ECR API'),
    ...registryHosts(ctx),
    { host: layerBucketHost(ctx.region), need: 'ECR image layers (S3)' },
    apex('logs', ctx, 'awslogs log driver'),
  ];
}

/**
 * The API a service's names are handed out by, when they are (`ecs` for `ecs-agent` and
 * `ecs-telemetry`): it must resolve through an interface endpoint too, or the client is handed
 * public names that no private zone answers (the catalog's `discoveredVia`).
 */
function discoveryHost(service: string, ctx: ProfileContext): RequiredHost[] {
  const via = serviceEntry(service).discoveredVia;
  if (!via) return [];
  return [
    {
      host: zoneName(via.service, ctx.region),
      need:
        `${via.call} for ${service}: through an ${via.service} interface endpoint it is handed ${zoneName(service, ctx.region)}; ` +
        `otherwise ${publicDiscoveredName(service, ctx.region)}, which is public`,
    },
  ];
}

/** The names of one centralized service, by its catalog records. */
function serviceHosts(service: string, ctx: ProfileContext): RequiredHost[] {
  if (!isCatalogService(service)) return [];
  const { records } = serviceEntry(service);
  const zone = zoneName(service, ctx.region);
  const hosts: RequiredHost[] = [...discoveryHost(service, ctx)];
  // A registry service (ecr.dkr) is addressed by its registry names only: no client uses its zone
  // apex, which the endpoint's private DNS (`*.dkr.ecr...`, sharing.dns: endpoints) does not answer.
  if (records.includes('registry-accounts')) hosts.push(...registryHosts(ctx));
  else if (records.includes('apex')) hosts.push({ host: zone, need: service });
  if (service === S3) hosts.push({ host: layerBucketHost(ctx.region), need: 's3 (ECR image layers)' });
  else if (records.includes('wildcard')) {
    hosts.push({ host: `example.${zone}`, need: `${service} (any name below the zone)` });
  }
  return hosts;
}

/** The host names a profile requires, without duplicates. */
export function requiredHosts(profile: Profile, ctx: ProfileContext): RequiredHost[] {
  let hosts: RequiredHost[];
  switch (profile) {
    case 'fargate':
      hosts = fargate(ctx);
      break;
    case 'ecs-ec2':
      hosts = [
        ...fargate(ctx),
        // The agent connects to the names DiscoverPollEndpoint hands it: the ecs-a / ecs-t apexes
        // when the call goes through an ecs interface endpoint, else public ecs-a-<N> / ecs-t-<N>
        // names that no private zone can answer. So `ecs` comes first and is what makes the other
        // two count (see the ecs-agent entry in lib/services/catalog.ts).
        apex(
          'ecs',
          ctx,
          "ECS API, and the agent's DiscoverPollEndpoint call, which hands it the ecs-a and ecs-t names",
        ),
        apex('ecs-agent', ctx, 'ECS agent (ACS), as handed out through the ecs endpoint'),
        apex('ecs-telemetry', ctx, 'ECS telemetry (TCS), as handed out through the ecs endpoint'),
      ];
      break;
    case 'ssm':
      hosts = [
        apex('ssm', ctx, 'Systems Manager'),
        apex('ssmmessages', ctx, 'Session Manager'),
        apex('ec2messages', ctx, 'SSM agent messages'),
      ];
      break;
    case 'all':
      hosts = ctx.hubServices.flatMap((service) => serviceHosts(service, ctx));
      break;
  }
  const seen = new Set<string>();
  return hosts.filter((h) => !seen.has(h.host) && seen.add(h.host));
}
