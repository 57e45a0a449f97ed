/**
 * The changes that would break what is deployed, one table for both guards: the synth guard (what
 * the local state holds against the configuration) and `npm run affected` (the base commit's synth
 * output against the working tree's, for remote state, refused by the apply workflow). Each rule
 * says what would break and what to do instead.
 */
import { hubServices, type VpceConfig } from '../config/schema';
import { oneStepSwitch, sharingOf, type Mechanisms } from '../config/sharing';
import { isCatalogService, zoneName } from '../services/catalog';
import { accountOfSpokeStack, HUB_STACK, spokeStackName } from '../stack-names';
import { holdingsFromSynth, isObject, NO_MECHANISMS, spokeMechanisms, type Json, type StackHoldings } from './stack-holdings';

/** The heading the README gives the mode-switch steps under. */
const SWITCHING = 'README, "Switching modes"';

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
}

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
  const inProfile: string[] = [];
  for (const [stack, { holdings }] of deployed) {
    const id = accountOfSpokeStack(stack);
    if (id === undefined || holdings.instances === 0) continue;
    const held = spokeMechanisms(holdings);
    if (held.profile) inProfile.push(stack);
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
    const kind = oneStepSwitch(held, kept);
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
  };
}

/** What a synth output deploys (each stack's parsed `cdk.tf.json`, by stack name). */
export function intendedFromSynth(stacks: ReadonlyMap<string, Json>): Intended {
  const spokes = new Map<string, Mechanisms>();
  for (const [stack, json] of stacks) {
    if (accountOfSpokeStack(stack) !== undefined) spokes.set(stack, spokeMechanisms(holdingsFromSynth(json)));
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
  };
}
