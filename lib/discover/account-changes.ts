/**
 * What discovery changes in `accounts.yaml`, and what it only reports: the organization's accounts
 * and their matching VPCs set beside the file's entries. Discovery adds (new accounts, new VPCs of
 * listed accounts) and never deletes: an account that left the organization, is suspended or closing,
 * or whose VPCs no longer match is reported with what to do, and left for a person.
 */
import type { NewAccount } from './accounts-yaml';

/** An account of the organization, as Organizations lists it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` (Organizations' `Status`). */
  readonly status: string;
}

/** What discovery found. */
export interface Discovered {
  /** Every account of the organization. */
  readonly organization: readonly OrganizationAccount[];
  /** The accounts in scope (under the OUs, or all), active, by ID. */
  readonly inScope: ReadonlySet<string>;
  /** The matching VPCs of each account read (sorted). */
  readonly vpcs: ReadonlyMap<string, readonly string[]>;
  /** Accounts in scope whose planner role could not be used: each with why. */
  readonly unreadable: ReadonlyMap<string, string>;
}

/** An entry of `accounts.yaml`, as written. */
export interface ListedAccount {
  readonly id: string;
  readonly name?: string;
  readonly vpcIds: readonly string[];
  readonly retired: boolean;
}

/** Something only a person may do: retire an account, or take a VPC off its entry. */
export interface Departure {
  readonly account: string;
  readonly name?: string;
  /** The VPC, when only it is gone. */
  readonly vpcId?: string;
  readonly reason: string;
}

/** What discovery changes and reports. */
export interface AccountChanges {
  readonly add: readonly NewAccount[];
  /** New VPC IDs of listed accounts. */
  readonly addVpcs: ReadonlyMap<string, readonly string[]>;
  readonly departures: readonly Departure[];
  /** Accounts skipped: their role could not be used. */
  readonly skipped: ReadonlyArray<{ readonly account: string; readonly name?: string; readonly reason: string }>;
}

/**
 * An Organizations account name as an `accounts.yaml` name (1-64 letters of any alphabet, digits and
 * `._+-`): each run of other characters becomes `-`; undefined when nothing is left.
 */
export function entryName(name: string): string | undefined {
  const cleaned = name
    .replace(/[^\p{L}\p{M}\p{N}_.+-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return cleaned === '' ? undefined : cleaned;
}

/** The changes, from the file's entries and what discovery found; `hubAccount` is never added. */
export function accountChanges(
  listed: readonly ListedAccount[],
  found: Discovered,
  hubAccount: string,
): AccountChanges {
  const byId = new Map(found.organization.map((a) => [a.id, a]));
  const listedIds = new Set(listed.map((a) => a.id));
  const add: NewAccount[] = [];
  const addVpcs = new Map<string, string[]>();
  const departures: Departure[] = [];
  const skipped: Array<{ account: string; name?: string; reason: string }> = [];
  const named = (id: string) => {
    const name = byId.get(id)?.name;
    return name ? { name } : {};
  };

  for (const id of [...found.inScope].sort()) {
    if (id === hubAccount) continue;
    const reason = found.unreadable.get(id);
    if (reason !== undefined) {
      skipped.push({ account: id, ...named(id), reason });
      continue;
    }
    const vpcs = found.vpcs.get(id) ?? [];
    if (!listedIds.has(id) && vpcs.length > 0) {
      const name = entryName(byId.get(id)?.name ?? '');
      add.push({ id, ...(name ? { name } : {}), vpcIds: vpcs });
    }
  }

  for (const entry of listed) {
    if (entry.retired) continue;
    const account = byId.get(entry.id);
    const label = entry.name ? { name: entry.name } : {};
    if (!account) {
      departures.push({
        account: entry.id,
        ...label,
        reason: 'is not an account of the organization (it left, or never joined)',
      });
      continue;
    }
    if (account.status !== 'ACTIVE') {
      departures.push({
        account: entry.id,
        ...label,
        reason: `is ${account.status.toLowerCase().replace(/_/g, ' ')} in the organization`,
      });
      continue;
    }
    const vpcs = found.vpcs.get(entry.id);
    if (!found.inScope.has(entry.id) || vpcs === undefined) continue; // outside the OUs, or not read: as written
    const fresh = vpcs.filter((v) => !entry.vpcIds.includes(v));
    if (fresh.length > 0) addVpcs.set(entry.id, fresh);
    const gone = entry.vpcIds.filter((v) => !vpcs.includes(v));
    if (gone.length === entry.vpcIds.length && fresh.length === 0) {
      departures.push({ account: entry.id, ...label, reason: 'has no VPC that matches the filter any more' });
    } else {
      for (const vpcId of gone) {
        departures.push({
          account: entry.id,
          ...label,
          vpcId,
          reason: 'no longer matches the filter (deleted, or its tags or CIDR changed)',
        });
      }
    }
  }
  return { add, addVpcs, departures, skipped };
}

/** Whether the file differs from the organization: something to add, or someone to retire. */
export function differs(changes: AccountChanges): boolean {
  return changes.add.length > 0 || changes.addVpcs.size > 0 || changes.departures.length > 0;
}
