/**
 * Reads an AWS Organization's accounts, read-only, with the operator's credentials (the management
 * account, or a delegated administrator of AWS Organizations): every account with `ListAccounts`, and
 * the accounts under given organizational units, recursively, with `ListChildren` and
 * `ListAccountsForParent`. Each list is paged (20 a page, Organizations' maximum) with the SDK's own
 * paginators; throttling (`TooManyRequestsException`: Organizations allows a few requests a second)
 * is retried by the SDK's standard retry with backoff.
 */
import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  type Account,
} from '@aws-sdk/client-organizations';
import { counting, MAX_ATTEMPTS, type CallCounter, type Credentials } from './clients';

/** An account as the organization lists it. */
export interface OrganizationMember {
  readonly id: string;
  readonly name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_ACTIVATION`, `PENDING_CLOSURE` or `CLOSED` (Organizations' `State`). */
  readonly status: string;
}

/** Organizations as `credentials` (a global service; the SDK signs for us-east-1). */
export function organizationsClient(credentials: Credentials, counter?: CallCounter): OrganizationsClient {
  return counting(
    new OrganizationsClient({ region: 'us-east-1', credentials, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' }),
    'organizations',
    counter,
  );
}

const member = (a: Account): OrganizationMember => ({
  id: a.Id ?? '',
  name: a.Name ?? '',
  // `State` (2025) supersedes `Status` (retired 2026-09-09); both say ACTIVE for a working account.
  status: a.State ?? a.Status ?? 'ACTIVE',
});

/** Every account of the organization. */
export async function listAccounts(client: OrganizationsClient): Promise<OrganizationMember[]> {
  const accounts: OrganizationMember[] = [];
  for await (const page of paginateListAccounts({ client, pageSize: 20 }, {})) {
    accounts.push(...(page.Accounts ?? []).map(member));
  }
  return accounts;
}

/** The accounts under an organizational unit and the units within it, recursively. */
export async function accountsUnder(client: OrganizationsClient, ou: string): Promise<OrganizationMember[]> {
  const accounts: OrganizationMember[] = [];
  for await (const page of paginateListAccountsForParent({ client, pageSize: 20 }, { ParentId: ou })) {
    accounts.push(...(page.Accounts ?? []).map(member));
  }
  const children: string[] = [];
  for await (const page of paginateListChildren(
    { client, pageSize: 20 },
    { ParentId: ou, ChildType: 'ORGANIZATIONAL_UNIT' },
  )) {
    children.push(...(page.Children ?? []).flatMap((c) => (c.Id ? [c.Id] : [])));
  }
  for (const child of children) accounts.push(...(await accountsUnder(client, child)));
  return accounts;
}
