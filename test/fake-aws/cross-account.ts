/**
 * Who may use what across accounts, shared by the fake's RAM (ram.ts), Route 53 Profiles
 * (route53profiles.ts) and resolver (resolver.ts):
 *
 * - an organization principal (`arn:aws:organizations::<mgmt>:organization/o-...`) covers every member
 *   account, an OU principal (`arn:aws:organizations::<mgmt>:ou/o-.../ou-...`) the accounts of that OU,
 *   an account principal that account;
 * - a resource share gives its resources to the accounts its ASSOCIATED principals cover, while the
 *   share is ACTIVE (an account associated by invitation is ASSOCIATING until it accepts);
 * - a Profile is visible to its owner and to the accounts a share of it reaches.
 */
import type { Organization, Profile, ProfileAssociation, ResourceShare, ShareAssociation, World } from './world';

/** `arn:aws:organizations::<mgmt>:organization/o-...`. */
export const ORGANIZATION_ARN = /^arn:aws[\w-]*:organizations::(\d{12}):organization\/(o-[a-z0-9]{10,32})$/;
/** `arn:aws:organizations::<mgmt>:ou/o-.../ou-...`. */
export const OU_ARN =
  /^arn:aws[\w-]*:organizations::(\d{12}):ou\/(o-[a-z0-9]{10,32})\/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** The organization `account` belongs to, if any. */
export function organizationOf(world: World, account: string): Organization | undefined {
  const org = world.data.organization;
  return org && (org.accounts.includes(account) || org.managementAccount === account) ? org : undefined;
}

/** Whether a principal (account ID, organization ARN or OU ARN) covers `account`. */
export function principalCovers(world: World, principal: string, account: string): boolean {
  if (principal === account) return true;
  const org = world.data.organization;
  if (!org) return false;
  const asOrg = ORGANIZATION_ARN.exec(principal);
  if (asOrg) return asOrg[2] === org.id && organizationOf(world, account) === org;
  const asOu = OU_ARN.exec(principal);
  if (asOu) return asOu[2] === org.id && (org.ous[asOu[3]] ?? []).includes(account);
  return false;
}

/** Whether `account` receives the resources of `share` now. */
export function shareReaches(world: World, share: ResourceShare, account: string): boolean {
  return (
    share.status === 'ACTIVE' &&
    share.principals.some((p) => p.status === 'ASSOCIATED' && principalCovers(world, p.entity, account))
  );
}

/** The ACTIVE shares that hold `resourceArn` (ASSOCIATED). */
export function sharesHolding(world: World, resourceArn: string): ResourceShare[] {
  return Object.values(world.data.resourceShares).filter(
    (share) =>
      share.status === 'ACTIVE' && share.resources.some((r) => r.entity === resourceArn && r.status === 'ASSOCIATED'),
  );
}

/** The ACTIVE shares that hold `resourceArn` (ASSOCIATED) and reach `account`. */
export function sharesOfResourceFor(world: World, resourceArn: string, account: string): ResourceShare[] {
  return sharesHolding(world, resourceArn).filter((share) => shareReaches(world, share, account));
}

/** The Profile an ARN names (`...:profile/rp-...`), looked up by its ID. */
export function profileByArn(world: World, arn: string): Profile | undefined {
  const id = /:profile\/(rp-[0-9a-z]+)$/.exec(arn)?.[1];
  const profile = id === undefined ? undefined : world.data.profiles[id];
  return profile?.arn === arn ? profile : undefined;
}

/** Ends a share's principal or resource association (RAM keeps it, DISASSOCIATED). */
export function markDisassociated(association: ShareAssociation, now: number): void {
  if (association.status !== 'DISASSOCIATED') Object.assign(association, { status: 'DISASSOCIATED', updatedAt: now });
}

/** Whether `account` may see and use `profile`: its owner, or an account a share of it reaches. */
export function profileVisibleTo(world: World, profile: Profile, account: string): boolean {
  return profile.owner === account || sharesOfResourceFor(world, profile.arn, account).length > 0;
}

/**
 * The Profile association of a VPC, and whether it is in effect: the Profile exists and is still
 * visible to the VPC's owner ("When you unshare a Profile, and VPCs that have that Profile's
 * configurations associated to them, will lose them, and default to the VPC-specific
 * configurations." — Route 53 Developer Guide, sharing-profiles.html).
 */
export function profileAssociationOf(
  world: World,
  vpcId: string,
): { association: ProfileAssociation; profile?: Profile; effective: boolean } | undefined {
  const association = Object.values(world.data.profileAssociations).find((a) => a.vpcId === vpcId);
  if (!association) return undefined;
  const profile = world.data.profiles[association.profileId];
  return {
    association,
    profile,
    effective: profile !== undefined && profileVisibleTo(world, profile, association.owner),
  };
}
