/**
 * The changes that would break what is deployed, one table for both guards: the synth guard (what
 * the local state holds against the configuration) and `npm run affected` (the base commit's synth
 * output against the working tree's, for remote state, refused by the apply workflow). Each rule
 * says what would break and what to do instead.
 */
import { hubServices, type VpceConfig } from '../config/schema';
import { oneStepSwitch, servesPrivateDns, sharingOf, type Mechanisms } from '../config/sharing';
import { ECR_DKR, S3, isCatalogService, resourceName, SERVICE_NAMES, zoneName } from '../services/catalog';
import { accountOfSpokeStack, HUB_STACK, spokeStackName } from '../stack-names';
import { holdingsFromSynth, isObject, NO_MECHANISMS, spokeMechanisms, type Json, type StackHoldings } from './stack-holdings';

/** Where the docs give the mode-switch steps. */
const SWITCHING = 'docs/sharing-modes.md, "Switching modes"';
/** Where the docs give the ecr.dkrRecords steps. */
const DKR_RECORDS = 'docs/operations.md, "Changing ecr.dkrRecords"';

/** How an account leaves: retired first, its spoke deployed, then deleted. */
export function retireSteps(id: string): string {
  return `put the entry in accounts.yaml with retired: true, deploy spoke-${id} (npx cdktf deploy spoke-${id}), then delete the entry.`;
}

/** Every unsafe change: what breaks, and the steps that avoid it. */
export const UNSAFE_CHANGES = {
  /** An account deleted from accounts.yaml while its spoke still holds resources. */
  unretiredRemoval: (id: string, instances: number) =>
    `account ${id} is deleted from accounts.yaml without being retired first, and its spoke still holds ` +
    `${instances} resource instance(s): its VPCs stay associated with the hub's zones while the hub drops its ` +
    `${id}.dkr.ecr record (NXDOMAIN for its image pulls). Instead ${retireSteps(id)}`,
  /** A service deleted from the hub while a spoke still associates VPCs with its zone. */
  serviceInUse: (service: string, zone: string, id: string) =>
    `service ${service} leaves the hub (zone ${zone}), but the spoke still associates VPCs of account ${id} ` +
    `with it: the hub would delete the zone under them. Move ${service} to retiredServices, deploy the ` +
    `spokes, then delete it.`,
  /** The hub's first-release addresses without the moves to this release's. */
  firstReleaseWithoutMoves: (blocks: readonly string[]) =>
    `the hub still holds the first release's addresses (${blocks.join(', ')}), but upgrade.firstReleaseMoves ` +
    `is false: the hub would destroy and re-create those records and authorizations. Remove ` +
    `upgrade.firstReleaseMoves: false, apply the hub once (moves only), then set it again.`,
  /** A spoke going from zone associations to the Profile in one apply. */
  toProfile: () =>
    `switches from zone associations to the Route 53 Profile in one apply: its VPCs could resolve nothing ` +
    `between the two. Set sharing.transition: both, deploy the hub and the spokes, then set transition: off ` +
    `(${SWITCHING}).`,
  /** A spoke going from the Profile to zone associations in one apply. */
  toAssociations: () =>
    `switches from the Route 53 Profile to zone associations in one apply: its VPCs could resolve nothing ` +
    `between the two. Set sharing.transition: both, deploy the hub and the spokes, then transition: hub, ` +
    `then off (${SWITCHING}).`,
  /** `ecr.dkrRecords` between per-account and wildcard in one apply. */
  dkrRecordsSwitch: (from: string, to: string) =>
    `switches ecr.dkrRecords from ${from} to ${to} in one apply: Terraform deletes the ${from} record(s) and ` +
    `creates the ${to} one(s) in no order, so image pulls can get NXDOMAIN in between. Set ecr.dkrRecords: both, ` +
    `deploy the hub, then set ${to} and deploy it again (${DKR_RECORDS}).`,
  /** A service retired that the hub never had. */
  retiredNeverActive: (service: string) =>
    `service ${service} is in retiredServices, but the hub has no endpoint for it: retiring it would create ` +
    `its endpoint, zone and records. Remove it from retiredServices (or add it to services to centralize it).`,
  /** The hub deleting its Profile while spokes still associate VPCs with it (the hub applies first). */
  profileInUse: (spokes: readonly string[]) =>
    `the hub would delete its Route 53 Profile, but ${spokes[0]}` +
    `${spokes.length > 1 ? ` (and ${spokes.length - 1} more spoke stacks)` : ''} still associates VPCs with ` +
    `it: a Profile with VPCs cannot be deleted, and the hub applies first. Set sharing.transition: hub, ` +
    `deploy the spokes, then set transition: off (${SWITCHING}).`,
} as const;

/** What a change deploys: read from a synth output or derived from a configuration. */
export interface Intended {
  /** The spoke stacks it keeps, with the mechanisms each holds (none for a retired one). */
  readonly spokes: ReadonlyMap<string, Mechanisms>;
  /** The hub's Region (for zone names). */
  readonly region: string;
  /** The names of the hub's private hosted zones. */
  readonly hubZones: ReadonlySet<string>;
  /** Whether the hub keeps its Route 53 Profile. */
  readonly hubProfile: boolean;
  /** Whether the hub moves (or keeps) the first release's addresses, rather than dropping them. */
  readonly hubKeepsFirstRelease: boolean;
  /** The services whose zone the hub's Profile holds. */
  readonly profileZones: ReadonlySet<string>;
  /** The services whose endpoint the hub's Profile holds (`sharing.dns: endpoints`). */
  readonly profileEndpoints: ReadonlySet<string>;
  /** The hub's registry records: per account, the `*` record, or both (undefined without an ecr.dkr zone). */
  readonly dkrRecords?: DkrRecords;
  /** Each spoke stack's VPCs with their own S3 gateway endpoint. */
  readonly s3GatewayVpcs: ReadonlyMap<string, ReadonlySet<string>>;
  /** The services in retiredServices (known from a configuration only; empty from a synth output). */
  readonly retiredServices: ReadonlySet<string>;
}

/** Which kinds of ECR registry record a hub holds. */
export interface DkrRecords {
  readonly perAccount: boolean;
  readonly wildcard: boolean;
}

/** The registry records a hub's blocks hold (undefined when it holds none). */
function dkrRecordsOf(blocks: ReadonlySet<string>): DkrRecords | undefined {
  const wildcard = blocks.has('aws_route53_record.ecr_dkr_wildcard');
  const perAccount = [...blocks].some((b) => b.startsWith('aws_route53_record.ecr_dkr_registry'));
  return wildcard || perAccount ? { perAccount, wildcard } : undefined;
}

const dkrMode = (records: DkrRecords) => (records.wildcard ? 'wildcard' : 'per-account');

/** What is deployed (or was, at the base commit), by stack name, and where each was read from. */
export type Deployed = ReadonlyMap<string, { readonly holdings: StackHoldings; readonly source?: string }>;

/**
 * Every unsafe change from `deployed` to `intended`, each a sentence that starts with the stack it
 * concerns (and where that was read, when it is a file) and ends with what to do.
 */
export function unsafeChanges(deployed: Deployed, intended: Intended): string[] {
  const unsafe: string[] = [];
  const at = (stack: string) => {
    const source = deployed.get(stack)?.source;
    return `${stack}${source ? ` (${source})` : ''}`;
  };
  const hub = deployed.get(HUB_STACK)?.holdings;
  if (hub && hub.firstReleaseBlocks.length > 0 && !intended.hubKeepsFirstRelease) {
    unsafe.push(`${at(HUB_STACK)}: ${UNSAFE_CHANGES.firstReleaseWithoutMoves(hub.firstReleaseBlocks)}`);
  }
  const held = hub && dkrRecordsOf(hub.blocks);
  const wanted = intended.dkrRecords;
  if (held && wanted && !(held.perAccount && held.wildcard) && !(wanted.perAccount && wanted.wildcard)) {
    if (dkrMode(held) !== dkrMode(wanted)) {
      unsafe.push(`${at(HUB_STACK)}: ${UNSAFE_CHANGES.dkrRecordsSwitch(dkrMode(held), dkrMode(wanted))}`);
    }
  }
  if (hub && hub.instances > 0) {
    for (const service of intended.retiredServices) {
      if (!hub.blocks.has(`aws_vpc_endpoint.${resourceName(service)}`)) {
        unsafe.push(`${at(HUB_STACK)}: ${UNSAFE_CHANGES.retiredNeverActive(service)}`);
      }
    }
  }
  const inProfile: string[] = [];
  for (const [stack, { holdings }] of deployed) {
    const id = accountOfSpokeStack(stack);
    if (id === undefined || holdings.instances === 0) continue;
    const mechanisms = spokeMechanisms(holdings);
    if (mechanisms.profile) inProfile.push(stack);
    const kept = intended.spokes.get(stack);
    if (kept === undefined) {
      unsafe.push(`${at(stack)}: ${UNSAFE_CHANGES.unretiredRemoval(id, holdings.instances)}`);
      continue;
    }
    for (const service of holdings.associatedServices) {
      const zone = isCatalogService(service) ? zoneName(service, intended.region) : undefined;
      if (zone && !intended.hubZones.has(zone)) {
        unsafe.push(`${at(stack)}: ${UNSAFE_CHANGES.serviceInUse(service, zone, id)}`);
      }
    }
    const kind = oneStepSwitch(mechanisms, kept);
    if (kind === 'to-profile') unsafe.push(`${at(stack)}: ${UNSAFE_CHANGES.toProfile()}`);
    if (kind === 'to-associations') unsafe.push(`${at(stack)}: ${UNSAFE_CHANGES.toAssociations()}`);
  }
  if (inProfile.length > 0 && !intended.hubProfile) {
    unsafe.push(`${HUB_STACK}: ${UNSAFE_CHANGES.profileInUse(inProfile.map(at))}`);
  }
  return unsafe;
}

/** What a configuration deploys, without synthesizing it (the synth guard runs before the synth). */
export function intendedFromConfig(config: VpceConfig): Intended {
  const { hub, spokes } = sharingOf(config);
  return {
    spokes: new Map(config.accounts.map((a) => [spokeStackName(a.id), a.retired ? NO_MECHANISMS : spokes])),
    region: config.hub.region,
    hubZones: new Set(hubServices(config).map((service) => zoneName(service, config.hub.region))),
    hubProfile: hub.profile,
    hubKeepsFirstRelease: config.upgrade.firstReleaseMoves,
    profileZones: new Set(hub.profile ? config.services.filter((s) => !servesPrivateDns(config.sharing, s)) : []),
    profileEndpoints: new Set(hub.profile ? config.services.filter((s) => servesPrivateDns(config.sharing, s)) : []),
    dkrRecords: hubServices(config).includes(ECR_DKR)
      ? { perAccount: config.ecr.dkrRecords !== 'wildcard', wildcard: config.ecr.dkrRecords !== 'per-account' }
      : undefined,
    retiredServices: new Set(config.retiredServices.filter((s) => !config.services.includes(s))),
    s3GatewayVpcs: new Map(
      config.accounts.map((a) => [spokeStackName(a.id), new Set(a.retired ? [] : Object.keys(a.s3GatewayRouteTables))]),
    ),
  };
}

/** What a synth output deploys (each stack's parsed `cdk.tf.json`, by stack name). */
export function intendedFromSynth(stacks: ReadonlyMap<string, Json>): Intended {
  const spokes = new Map<string, Mechanisms>();
  const s3GatewayVpcs = new Map<string, ReadonlySet<string>>();
  for (const [stack, json] of stacks) {
    if (accountOfSpokeStack(stack) === undefined) continue;
    const holdings = holdingsFromSynth(json);
    spokes.set(stack, spokeMechanisms(holdings));
    s3GatewayVpcs.set(stack, holdings.s3GatewayVpcs);
  }
  const hub = stacks.get(HUB_STACK) ?? {};
  const holdings = holdingsFromSynth(hub);
  const resources = isObject(hub.resource) ? hub.resource : {};
  const zones = isObject(resources.aws_route53_zone) ? Object.values(resources.aws_route53_zone) : [];
  const providers = isObject(hub.provider) && Array.isArray(hub.provider.aws) ? hub.provider.aws : [];
  return {
    spokes,
    region: String((providers.find(isObject) ?? {}).region ?? ''),
    hubZones: new Set(zones.filter(isObject).map((zone) => String(zone.name))),
    hubProfile: holdings.types.has('aws_route53profiles_profile'),
    hubKeepsFirstRelease: holdings.firstReleaseBlocks.length > 0 || hub.moved !== undefined,
    ...profileHoldings(holdings),
    dkrRecords: dkrRecordsOf(holdings.blocks),
    retiredServices: new Set(),
    s3GatewayVpcs,
  };
}

/** The services whose zone, and whose endpoint, a hub's Profile holds (by its resource association blocks). */
function profileHoldings(hub: StackHoldings): Pick<Intended, 'profileZones' | 'profileEndpoints'> {
  const held = (suffix: string) =>
    new Set(SERVICE_NAMES.filter((s) => hub.blocks.has(`${PROFILE_RESOURCE}.${resourceName(s)}${suffix}`)));
  return { profileZones: held(''), profileEndpoints: held('_endpoint') };
}

const PROFILE_RESOURCE = 'aws_route53profiles_resource_association';

/**
 * How long spoke VPCs resolve a service's names in public DNS while the hub moves it between a
 * self-managed zone and the endpoint's private DNS (`sharing.dns`), as the e2e measured it against
 * the local fake with real Terraform and the AWS provider 5.100.0 (docs/sharing-modes.md, "Sharing the
 * endpoints themselves"): from the zone leaving the Profile to the endpoint joining it 35.2-35.7 s
 * for one service, 35.3 s for five at once; back to zones 35.4 s for five at once. Services that move
 * in one apply move side by side, so the window is per apply, not per service. It is the provider's
 * waits for Route 53 (each change is first polled ~15 s later: the records' deletion, then the
 * zone's) and for the endpoint; AWS's own propagation comes on top.
 */
export const DNS_SWITCH_WINDOW = 'about 35 s per apply (however many services move in it)';

/**
 * The services a change moves between a zone in the Profile and the endpoint in the Profile. No
 * order avoids a window: AWS refuses private DNS on the endpoint while a zone of the same name is on
 * the hub VPC (ConflictingDomainExists), and a private zone keeps at least one VPC. Terraform deletes
 * the zone first (it depends on the endpoint), then turns private DNS on and puts the endpoint in
 * the Profile; in between, the names fall back to public DNS (never NXDOMAIN: no zone covers them).
 * Not refused: said before the apply, with how to keep each window to one service.
 */
export function dnsSwitchWindows(deployed: Deployed, intended: Intended): string[] {
  const windows = s3GatewayWindows(deployed, intended);
  const hub = deployed.get(HUB_STACK)?.holdings;
  if (!hub) return windows;
  const before = profileHoldings(hub);
  const toEndpoints = [...before.profileZones].filter((s) => intended.profileEndpoints.has(s));
  const toZones = [...before.profileEndpoints].filter((s) => intended.profileZones.has(s));
  const say = (services: string[], from: string, to: string) =>
    `${HUB_STACK}: ${services.join(', ')} move${services.length === 1 ? 's' : ''} from ${from} to ${to} in this ` +
    `apply: between the one leaving the Profile and the other joining it, spoke VPCs resolve ` +
    `${services.length === 1 ? 'its' : 'their'} names in public DNS (never NXDOMAIN), ${DNS_SWITCH_WINDOW}. ` +
    `To keep each window to one service, move one at a time with sharing.zoneServices.`;
  const dkr = dkrRecordsOf(hub.blocks);
  if (dkr?.wildcard && intended.dkrRecords && !intended.dkrRecords.wildcard) {
    windows.push(
      `${HUB_STACK}: the *.dkr.ecr record goes (ecr.dkrRecords: per-account): registries of accounts that are ` +
        `neither in accounts.yaml nor in ecr.registryAccounts stop resolving (NXDOMAIN). List every registry your ` +
        `workloads pull from in ecr.registryAccounts first; npm run doctor -- --registry <id> checks one.`,
    );
  }
  if (toEndpoints.length > 0) windows.push(say(toEndpoints, "a self-managed zone", "the endpoint's private DNS"));
  if (toZones.length > 0) windows.push(say(toZones, "the endpoint's private DNS", 'a self-managed zone'));
  return windows;
}

/**
 * A spoke VPC moving between the hub's `s3` zone and its own S3 gateway endpoint: Terraform removes
 * one and creates the other in no order it can be told (the removed one is no longer in the
 * configuration), so for a moment its S3 names resolve in public DNS (never NXDOMAIN) and S3 traffic
 * takes the VPC's own path to the internet, if it has one. Announced, not refused: no order of
 * applies avoids it without the VPC answering S3 from the hub's endpoint and its gateway at once.
 */
function s3GatewayWindows(deployed: Deployed, intended: Intended): string[] {
  const windows: string[] = [];
  for (const [stack, { holdings }] of deployed) {
    if (!holdings.associatedServices.has(S3) && holdings.s3GatewayVpcs.size === 0) continue;
    const wanted = intended.s3GatewayVpcs.get(stack);
    if (!wanted || !intended.spokes.get(stack)?.associations) continue;
    const joining = [...wanted].filter((vpc) => !holdings.s3GatewayVpcs.has(vpc));
    const leaving = [...holdings.s3GatewayVpcs].filter((vpc) => !wanted.has(vpc));
    const say = (vpcs: string[], change: string) =>
      `${stack}: ${vpcs.join(', ')} ${change} in this apply: until both halves are done its S3 names resolve in ` +
      `public DNS (never NXDOMAIN) and S3 traffic takes the VPC's own internet path, if it has one (seconds).`;
    if (joining.length > 0 && holdings.associatedServices.has(S3)) {
      windows.push(say(joining, "leaves the hub's s3 zone for its own S3 gateway endpoint"));
    }
    if (leaving.length > 0) windows.push(say(leaving, "leaves its S3 gateway endpoint for the hub's s3 zone"));
  }
  return windows;
}
