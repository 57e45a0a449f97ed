/**
 * How the hub shares its zones with the spoke VPCs, derived from `sharing` in hub.yaml: which
 * mechanisms each side has (associations, the Route 53 Profile, or both while switching), whom RAM
 * shares the Profile with, and which spokes accept a RAM invitation.
 *
 * Switching modes never leaves a VPC without its zones when it goes in steps, each applied hub
 * first, then the spokes:
 * - associations -> profile: `mode: profile, transition: both` (every VPC gets the Profile beside
 *   its associations), then `transition: off` (the associations go; the direct ones answered until then).
 * - profile -> associations: `mode: associations, transition: both` (associations come back beside
 *   the Profile), `transition: hub` (the spokes leave the Profile), then `off` (the hub deletes it:
 *   a Profile with VPCs still associated cannot be deleted).
 */
import { ACCOUNT_ID, ORGANIZATION_ARN, OU_ARN, type VpceConfig } from './schema';
import { serviceEntry } from '../services/catalog';

/**
 * Whether the hub's endpoint of `service` has private DNS on (and no self-managed zone):
 * `sharing.dns: endpoints` in profile mode, the service's endpoint has private DNS, and it is not
 * among `sharing.zoneServices`. A retired service keeps its endpoint as it was, out of the Profile.
 */
export function servesPrivateDns(sharing: VpceConfig['sharing'], service: string): boolean {
  return (
    sharing.mode === 'profile' &&
    sharing.dns === 'endpoints' &&
    serviceEntry(service).privateDns !== undefined &&
    !sharing.zoneServices.includes(service)
  );
}

/** Which sharing mechanisms one side has. */
export interface Mechanisms {
  /** Authorizations (hub) or zone associations (spokes). */
  readonly associations: boolean;
  /** The Profile and its RAM share (hub) or Profile associations (spokes). */
  readonly profile: boolean;
}

/** The sharing of one configuration, as the stacks build it. */
export interface Sharing {
  readonly hub: Mechanisms;
  readonly spokes: Mechanisms;
  /** Organization and OU ARNs the Profile is shared with: no per-account sharing resource at all. */
  readonly organizationPrincipals: readonly string[];
  /** Account IDs the Profile is shared with, one `aws_ram_principal_association` each. */
  readonly accountPrincipals: readonly string[];
  /** The same, for lookups by account (every spoke stack asks). */
  readonly accountPrincipalSet: ReadonlySet<string>;
  /**
   * The services whose endpoint the Profile holds, private DNS on (`sharing.dns: endpoints`): the
   * active services whose endpoint has private DNS, less `sharing.zoneServices`. Empty otherwise.
   */
  readonly endpointDnsServices: ReadonlySet<string>;
  /** Whether spokes among `accountPrincipals` accept the RAM invitation (and the share admits accounts outside the organization). */
  readonly acceptInvitations: boolean;
}

/** Whether a principal is an account ID (rather than an organization or OU ARN). */
export function isAccountPrincipal(principal: string): boolean {
  return ACCOUNT_ID.test(principal);
}

/** The organization ID (`o-...`) of an organization or OU ARN. */
export function principalOrganizationId(principal: string): string | undefined {
  return ORGANIZATION_ARN.exec(principal)?.[2] ?? OU_ARN.exec(principal)?.[2];
}

/** The mechanisms of each side for a mode and transition (also used on raw, unvalidated data). */
export function mechanismsOf(
  mode: 'associations' | 'profile',
  transition: 'off' | 'both' | 'hub',
): { hub: Mechanisms; spokes: Mechanisms } {
  const own: Mechanisms = { associations: mode === 'associations', profile: mode === 'profile' };
  const both: Mechanisms = { associations: true, profile: true };
  return { hub: transition === 'off' ? own : both, spokes: transition === 'both' ? both : own };
}

/** {@link sharingOf} per configuration object: every spoke stack asks, so at 1000 accounts it is computed once, not 1000 times. */
const computed = new WeakMap<object, Sharing>();

/** The sharing of `config` (configurations are not changed once validated). */
export function sharingOf(config: Pick<VpceConfig, 'sharing' | 'accounts' | 'services'>): Sharing {
  const known = computed.get(config);
  if (known) return known;
  const sharing = computeSharing(config);
  computed.set(config, sharing);
  return sharing;
}

function computeSharing(config: Pick<VpceConfig, 'sharing' | 'accounts' | 'services'>): Sharing {
  const { mode, transition, principals } = config.sharing;
  const listed = principals ?? config.accounts.map((a) => a.id);
  const accountPrincipals = [...new Set(listed.filter(isAccountPrincipal))];
  return {
    ...mechanismsOf(mode, transition),
    organizationPrincipals: [...new Set(listed.filter((p) => !isAccountPrincipal(p)))],
    accountPrincipals,
    accountPrincipalSet: new Set(accountPrincipals),
    endpointDnsServices: new Set(config.services.filter((s) => servesPrivateDns(config.sharing, s))),
    acceptInvitations: config.sharing.acceptInvitations ?? accountPrincipals.length > 0,
  };
}

/** Whether the spoke of `accountId` accepts the RAM invitation to the Profile. */
export function spokeAcceptsInvitation(sharing: Sharing, accountId: string): boolean {
  return sharing.spokes.profile && sharing.acceptInvitations && sharing.accountPrincipalSet.has(accountId);
}

/**
 * A switch of `sharing.mode` made in one step: a spoke that holds only one mechanism (`before`) would
 * hold only the other (`after`), and its VPCs could resolve nothing between the two applies. The
 * synth guard (local state) and `affected` (the base commit's synth output) both refuse these.
 */
export type OneStepSwitch = 'to-profile' | 'to-associations';

/** The one-step switch from `before` to `after`, if it is one. */
export function oneStepSwitch(before: Mechanisms, after: Mechanisms): OneStepSwitch | undefined {
  const only = (m: Mechanisms) =>
    m.associations && !m.profile ? 'associations' : m.profile && !m.associations ? 'profile' : undefined;
  const from = only(before);
  const to = only(after);
  if (from === 'associations' && to === 'profile') return 'to-profile';
  if (from === 'profile' && to === 'associations') return 'to-associations';
  return undefined;
}
