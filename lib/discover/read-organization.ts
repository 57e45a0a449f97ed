/**
 * Reads what discovery needs from AWS, read-only: the organization's accounts (the operator's
 * credentials: the management account or a delegated administrator), the accounts in scope (under
 * the OUs, recursively), and in each active account in scope, through its spoke planner role, the
 * VPCs of the hub region that match the filter (`DescribeVpcs` with `tag:<key>` filters, never a
 * default VPC; the CIDR test on the VPC's primary block). An account whose role cannot be assumed or
 * read is listed with why and skipped; anything else stops the run with one line.
 *
 * Calls: Organizations 1 per 20 accounts (`ListAccounts`), plus per OU and nested OU 1 per 20
 * accounts and 1 per 20 child OUs; per account read, STS 1 (`AssumeRole`) and EC2 1 per 1000 VPCs.
 */
import { paginateDescribeVpcs, type Filter } from '@aws-sdk/client-ec2';
import { baseCredentials, ec2Client, roleCredentials, type CallCounter, type Credentials } from '../aws/clients';
import { AwsAccessError, describeAwsError, eachLimit, explained } from '../aws/errors';
import { accountsUnder, listAccounts, organizationsClient } from '../aws/organizations';
import { cidrContains } from '../config/cidr';
import type { Discovered } from './account-changes';

/** Which VPCs discovery takes. */
export interface VpcFilter {
  /** Every one of these tags, with this value. */
  readonly tags: Readonly<Record<string, string>>;
  /** The VPC's primary CIDR within one of these (any, when empty). */
  readonly cidrsWithin: readonly string[];
}

/** What to read. */
export interface DiscoveryPlan {
  readonly region: string;
  /** Only accounts under these OUs (recursively); empty: every account. */
  readonly organizationalUnits: readonly string[];
  readonly vpcs: VpcFilter;
  /** The spoke planner role of an account. */
  readonly plannerRole: (account: string) => string;
  /** Accounts never read (the hub). */
  readonly exclude: readonly string[];
}

export interface DiscoveryOptions {
  readonly counter?: CallCounter;
  readonly progress?: (text: string) => void;
  /** The operator's credentials (default: the SDK's chain). */
  readonly base?: Credentials;
}

/** The matching VPCs of one account, sorted. */
async function matchingVpcs(plan: DiscoveryPlan, account: string, base: Credentials, counter?: CallCounter) {
  const credentials = roleCredentials(plan.plannerRole(account), plan.region, base, 'vpce-hub-discover');
  const client = ec2Client(credentials, plan.region, counter);
  const filters: Filter[] = [
    { Name: 'is-default', Values: ['false'] },
    ...Object.entries(plan.vpcs.tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
  ];
  const vpcs: string[] = [];
  for await (const page of paginateDescribeVpcs({ client, pageSize: 1000 }, { Filters: filters })) {
    for (const vpc of page.Vpcs ?? []) {
      if (!vpc.VpcId || (vpc.OwnerId !== undefined && vpc.OwnerId !== account)) continue; // shared VPCs belong to their owner
      const within =
        plan.vpcs.cidrsWithin.length === 0 ||
        (vpc.CidrBlock !== undefined &&
          plan.vpcs.cidrsWithin.some((block) => cidrContains(block, vpc.CidrBlock as string)));
      if (within) vpcs.push(vpc.VpcId);
    }
  }
  return vpcs.sort();
}

/** Reads the organization and the matching VPCs of each account in scope. */
export async function readOrganization(plan: DiscoveryPlan, options: DiscoveryOptions = {}): Promise<Discovered> {
  const base = options.base ?? baseCredentials();
  await explained('AWS credentials', () => base());
  const client = organizationsClient(base, options.counter);
  options.progress?.('listing the accounts of the organization');
  const organization = await explained(
    'AWS Organizations (run as the management account or a delegated administrator of AWS Organizations)',
    () => listAccounts(client),
  );
  let scope = organization;
  if (plan.organizationalUnits.length > 0) {
    scope = [];
    for (const ou of plan.organizationalUnits) {
      options.progress?.(`listing the accounts under ${ou}`);
      try {
        scope.push(...(await accountsUnder(client, ou)));
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'ParentNotFoundException' || name === 'InvalidInputException') {
          throw new AwsAccessError(
            `organizational unit ${ou} does not exist in this organization: check --ou and discovery.organizationalUnits in hub.yaml`,
          );
        }
        throw new AwsAccessError(`organizational unit ${ou}: ${describeAwsError(error)}`);
      }
    }
  }
  const inScope = new Set(scope.filter((a) => a.status === 'ACTIVE' && !plan.exclude.includes(a.id)).map((a) => a.id));
  const accounts = [...inScope].sort();
  const vpcs = new Map<string, readonly string[]>();
  const unreadable = new Map<string, string>();
  let done = 0;
  await eachLimit(accounts, 8, async (account) => {
    try {
      vpcs.set(account, await matchingVpcs(plan, account, base, options.counter));
    } catch (error) {
      unreadable.set(account, `${plan.plannerRole(account)}: ${describeAwsError(error)}`);
    }
    done += 1;
    options.progress?.(`read ${done} of ${accounts.length} accounts`);
  });
  return { organization, inScope, vpcs, unreadable };
}
