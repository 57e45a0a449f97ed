/**
 * The fake's AWS Organizations (JSON 1.1 protocol, SigV4 service `organizations`, API version
 * 2016-11-28): the read operations that list an organization's accounts and OUs, from the world's
 * organization (world.ts `Organization`).
 *
 * ## The wire format (botocore's organizations model: `"protocol":"json"`, `"jsonVersion":"1.1"`,
 * `"targetPrefix":"AWSOrganizationsV20161128"`; the AWS SDK for JavaScript v3's
 * `@aws-sdk/client-organizations` serializes it so)
 *
 * Every request is `POST /` with `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`, content type
 * `application/x-amz-json-1.1` and the input as a JSON body (PascalCase members); the reply is the
 * output as JSON, timestamps as epoch seconds (a JSON number). An error is HTTP 400 with the body
 * `{"__type": "<Code>", "Message": "...", ...}` (the SDK reads the code from `__type`, or from the
 * `X-Amzn-ErrorType` header, which the fake sends too) plus the members of the error's shape:
 * InvalidInputException carries a `Reason`, TooManyRequestsException a `Type`. Every error of these
 * operations is HTTP 400, TooManyRequestsException too: Organizations throttles with 400, not 429
 * (aws/aws-sdk-js issue 2135; botocore added it to its retry rules for that reason), and the SDK v3
 * retries it by its code, which @smithy's service-error-classification lists among the throttling
 * error codes (`THROTTLING_ERROR_CODES`). server.ts's throttling answers it with the message AWS
 * gives ("You have sent too many requests in too short a period of time. Try again later.", quoted
 * in awslabs/aws-deployment-framework issue 781 for ListRoots); its `Type`, which the model
 * documents no values for, is `Throttling` (assumed).
 *
 * ## Operations served (Organizations API reference)
 *
 * - ListAccounts {MaxResults?, NextToken?} → {Accounts, NextToken?}: every member account.
 * - ListAccountsForParent {ParentId, MaxResults?, NextToken?} → {Accounts, NextToken?}: the accounts
 *   directly in a root or OU (not those of its nested OUs).
 * - ListChildren {ParentId, ChildType: ACCOUNT | ORGANIZATIONAL_UNIT, MaxResults?, NextToken?} →
 *   {Children: [{Id, Type}], NextToken?}: the direct children of that type.
 * - ListRoots {MaxResults?, NextToken?} → {Roots: [{Id, Arn, Name: "Root", PolicyTypes: []}], NextToken?}.
 * - DescribeAccount {AccountId} → {Account}.
 * - DescribeOrganizationalUnit {OrganizationalUnitId} → {OrganizationalUnit: {Id, Arn, Name}}.
 * - DescribeOrganization {} → {Organization: {Id, Arn, FeatureSet: "ALL", MasterAccountArn,
 *   MasterAccountId, MasterAccountEmail, AvailablePolicyTypes: []}} (`AvailablePolicyTypes` is
 *   deprecated: "Do not use"; the fake enables no policy types, as the root's empty `PolicyTypes`).
 *
 * An Account is `{Id, Arn, Email, Name, Status, State, JoinedMethod, JoinedTimestamp}`: `Status`
 * ACTIVE or SUSPENDED (the model's AccountStatus also has PENDING_CLOSURE), and `State`, its
 * successor (ACTIVE or SUSPENDED here; the model also has PENDING_ACTIVATION, PENDING_CLOSURE,
 * CLOSED), from the organization's `suspended`; `Email` `<id>@example.com`; `Name` from `names`,
 * else `account-<id>`; `JoinedMethod` INVITED for the management account (it made the organization
 * rather than being created by it; assumed) and CREATED for the others; `JoinedTimestamp` a fixed
 * date (2024-01-01) for the management account and one day later for each member in `accounts`
 * order, so replies are stable. ARNs as the Service Authorization Reference formats them:
 * `arn:aws:organizations::<management>:account/<o-id>/<account>`, `...:ou/<o-id>/<ou-id>`,
 * `...:root/<o-id>/<r-id>`, `...:organization/<o-id>`. Lists come in the world's order
 * (`accounts`, the keys of `ous`).
 *
 * Paging: `MaxResults` 1 to 20 (the model's bounds for these operations), 20 when absent, and the
 * `NextToken` of the previous page. Organizations documents that a page may hold fewer results than
 * asked even when more follow; the fake's pages are always full but the last.
 *
 * ## Rules modelled (API reference, each operation's "This operation can be called only from the
 * organization's management account or by a member account that is a delegated administrator")
 *
 * - The input is checked first, as the service's model constrains it: a missing required member
 *   (`INPUT_REQUIRED`), an ID that does not match its pattern (`r-[0-9a-z]{4,32}`,
 *   `ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`, 12 digits: `INVALID_PATTERN`), a ChildType that is neither
 *   ACCOUNT nor ORGANIZATIONAL_UNIT (`INVALID_ENUM`), `MaxResults` outside 1 to 20
 *   (`MIN_VALUE_EXCEEDED`, `MAX_VALUE_EXCEEDED`) or a `NextToken` the fake did not hand out
 *   (`INVALID_NEXT_TOKEN`) are InvalidInputException with that `Reason`.
 * - A caller in no organization (the world has none, or the caller is not a member):
 *   AWSOrganizationsNotInUseException ("Your account is not a member of an organization.").
 * - DescribeOrganization answers any member ("This operation can be called from any account in the
 *   organization"); every other operation here only the management account and the organization's
 *   `delegatedAdministrators`: another member gets AccessDeniedException ("You don't have
 *   permissions to access this resource.").
 * - A root or OU the organization does not have is ParentNotFoundException (ListChildren,
 *   ListAccountsForParent) or OrganizationalUnitNotFoundException (DescribeOrganizationalUnit); an
 *   account that is not a member AccountNotFoundException (DescribeAccount).
 * - The OU tree: an OU's parent is `ouParents[ou]`, else the root; an account's direct parent is the
 *   deepest OU that lists it in `ous` (which lists nested OUs' accounts too, as RAM needs), else the
 *   root (world.ts validates that these form one tree).
 */
import { AwsError, pageOf } from './protocol';
import type { JsonObject } from './rest-json';
import type { Caller } from './sts';
import { organizationRootId, type Organization, type World } from './world';

/** The `X-Amz-Target` prefix of Organizations' operations. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

/** The content type of JSON 1.1 requests and replies. */
export const ORGANIZATIONS_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The operations the fake serves. */
const OPERATIONS = [
  'DescribeAccount',
  'DescribeOrganization',
  'DescribeOrganizationalUnit',
  'ListAccounts',
  'ListAccountsForParent',
  'ListChildren',
  'ListRoots',
] as const;

/** The operation an `X-Amz-Target` header names, when the fake serves it (undefined otherwise). */
export function organizationsAction(target: string | undefined): string | undefined {
  const [prefix, operation] = (target ?? '').split('.');
  return prefix === ORGANIZATIONS_TARGET_PREFIX && (OPERATIONS as readonly string[]).includes(operation)
    ? operation
    : undefined;
}

/** An Organizations error: an {@link AwsError} (HTTP 400) with the extra members of its shape (`Reason`, `Type`). */
export class OrganizationsError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, 400);
  }
}

/** Organizations' throttling error (server.ts's `/_fake/throttle`). */
export function organizationsThrottlingError(): OrganizationsError {
  return new OrganizationsError(
    'TooManyRequestsException',
    'You have sent too many requests in too short a period of time. Try again later.',
    { Type: 'Throttling' },
  );
}

/** The JSON 1.1 error document of an error: headers and body. */
export function organizationsErrorDocument(error: AwsError): { headers: Record<string, string>; body: string } {
  const members = error instanceof OrganizationsError ? error.members : {};
  return {
    headers: { 'content-type': ORGANIZATIONS_CONTENT_TYPE, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, Message: error.message, ...members }),
  };
}

/** The `Reason`s of InvalidInputException the fake gives, with the API reference's wording of each. */
const INVALID_INPUT = {
  INPUT_REQUIRED: 'You must include a value for all required parameters.',
  INVALID_ENUM: 'You specified an invalid value.',
  INVALID_NEXT_TOKEN: 'You specified an invalid value for the nextToken request parameter.',
  INVALID_PATTERN: "You provided a value that doesn't match the required pattern.",
  MAX_VALUE_EXCEEDED: 'You provided a numeric parameter that has a larger value than allowed.',
  MIN_VALUE_EXCEEDED: 'You provided a numeric parameter that has a smaller value than allowed.',
} as const;

const invalidInput = (reason: keyof typeof INVALID_INPUT) =>
  new OrganizationsError('InvalidInputException', INVALID_INPUT[reason], { Reason: reason });

const PATTERNS = {
  ParentId: /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  OrganizationalUnitId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  AccountId: /^\d{12}$/,
} as const;

/** The model's bounds of `MaxResults` for these operations, and the page size without one. */
const MAX_RESULTS = 20;

/** The management account's `JoinedTimestamp`: 2024-01-01T00:00:00Z; each member joined a day after the previous one. */
const FIRST_JOINED = 1_704_067_200;
const DAY = 86_400;

const notInUse = () =>
  new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
const accessDenied = () => new AwsError('AccessDeniedException', "You don't have permissions to access this resource.");
const parentNotFound = () =>
  new AwsError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");

/** Account, OU and root replies of one organization. */
class OrganizationView {
  readonly root: string;
  private readonly arnPrefix: string;

  constructor(readonly org: Organization) {
    this.root = organizationRootId(org);
    this.arnPrefix = `arn:aws:organizations::${org.managementAccount}`;
  }

  isMember(account: string): boolean {
    return account === this.org.managementAccount || this.org.accounts.includes(account);
  }

  /** Every member, the management account first (as setOrganization stores them). */
  members(): string[] {
    return [...new Set([this.org.managementAccount, ...this.org.accounts])];
  }

  /** An OU's parent: `ouParents`, else the root. */
  ouParent(ou: string): string {
    return this.org.ouParents?.[ou] ?? this.root;
  }

  /** How deep an OU is: 1 directly under the root. */
  private depth(ou: string): number {
    let depth = 1;
    for (
      let up = this.ouParent(ou);
      up !== this.root && depth <= Object.keys(this.org.ous).length;
      up = this.ouParent(up)
    ) {
      depth += 1;
    }
    return depth;
  }

  /** An account's direct parent: the deepest OU that lists it, else the root. */
  accountParent(account: string): string {
    const holding = Object.keys(this.org.ous).filter((ou) => this.org.ous[ou].includes(account));
    if (holding.length === 0) return this.root;
    return holding.reduce((deepest, ou) => (this.depth(ou) > this.depth(deepest) ? ou : deepest));
  }

  /** Whether `id` is the root or an OU of the organization. */
  hasParent(id: string): boolean {
    return id === this.root || Object.hasOwn(this.org.ous, id);
  }

  account(id: string): JsonObject {
    const suspended = this.org.suspended?.includes(id) ?? false;
    const management = id === this.org.managementAccount;
    const index = Math.max(this.members().indexOf(id), 0);
    return {
      Id: id,
      Arn: `${this.arnPrefix}:account/${this.org.id}/${id}`,
      Email: `${id}@example.com`,
      Name: this.org.names?.[id] ?? `account-${id}`,
      Status: suspended ? 'SUSPENDED' : 'ACTIVE',
      State: suspended ? 'SUSPENDED' : 'ACTIVE',
      JoinedMethod: management ? 'INVITED' : 'CREATED',
      JoinedTimestamp: FIRST_JOINED + index * DAY,
    };
  }

  ou(id: string): JsonObject {
    return { Id: id, Arn: `${this.arnPrefix}:ou/${this.org.id}/${id}`, Name: this.org.ouNames?.[id] ?? id };
  }

  rootJson(): JsonObject {
    return { Id: this.root, Arn: `${this.arnPrefix}:root/${this.org.id}/${this.root}`, Name: 'Root', PolicyTypes: [] };
  }

  organization(): JsonObject {
    const management = this.org.managementAccount;
    return {
      Id: this.org.id,
      Arn: `${this.arnPrefix}:organization/${this.org.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `${this.arnPrefix}:account/${this.org.id}/${management}`,
      MasterAccountId: management,
      MasterAccountEmail: `${management}@example.com`,
      AvailablePolicyTypes: [],
    };
  }
}

/** A required string member matching its pattern. */
function requiredId(body: JsonObject, member: keyof typeof PATTERNS): string {
  const value = body[member];
  if (value === undefined || value === null || value === '') throw invalidInput('INPUT_REQUIRED');
  if (typeof value !== 'string' || !PATTERNS[member].test(value)) throw invalidInput('INVALID_PATTERN');
  return value;
}

/** One page of `list` by the request's `MaxResults` and `NextToken`: `{<member>: page, NextToken?}`. */
function paged<T>(member: string, list: readonly T[], body: JsonObject): JsonObject {
  const { page, nextToken } = pageOf(list, nextTokenOf(body), maxResultsOf(body), () =>
    invalidInput('INVALID_NEXT_TOKEN'),
  );
  return { [member]: page, ...(nextToken ? { NextToken: nextToken } : {}) };
}

function maxResultsOf(body: JsonObject): number {
  const raw = body.MaxResults;
  if (raw === undefined || raw === null) return MAX_RESULTS;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalidInput('INVALID_PATTERN');
  if (raw < 1) throw invalidInput('MIN_VALUE_EXCEEDED');
  if (raw > MAX_RESULTS) throw invalidInput('MAX_VALUE_EXCEEDED');
  return raw;
}

function nextTokenOf(body: JsonObject): string | undefined {
  const raw = body.NextToken;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalidInput('INVALID_NEXT_TOKEN');
  return raw;
}

export class Organizations {
  constructor(private readonly world: World) {}

  /** Handles one operation (as {@link organizationsAction} names it) of `caller`; returns the output. */
  handle(caller: Caller, action: string, body: JsonObject): JsonObject {
    // The input first, as the model constrains it.
    const input = this.input(action, body);
    const org = this.world.data.organization;
    const view = org ? new OrganizationView(org) : undefined;
    if (!view?.isMember(caller.account)) throw notInUse();
    if (action === 'DescribeOrganization') return { Organization: view.organization() };
    if (caller.account !== view.org.managementAccount && !view.org.delegatedAdministrators?.includes(caller.account)) {
      throw accessDenied();
    }
    switch (action) {
      case 'ListAccounts':
        return paged(
          'Accounts',
          view.members().map((a) => view.account(a)),
          body,
        );
      case 'ListAccountsForParent': {
        const parent = this.parent(view, input.ParentId);
        return paged(
          'Accounts',
          view
            .members()
            .filter((a) => view.accountParent(a) === parent)
            .map((a) => view.account(a)),
          body,
        );
      }
      case 'ListChildren': {
        const parent = this.parent(view, input.ParentId);
        const children =
          input.ChildType === 'ACCOUNT'
            ? view
                .members()
                .filter((a) => view.accountParent(a) === parent)
                .map((a) => ({ Id: a, Type: 'ACCOUNT' }))
            : Object.keys(view.org.ous)
                .filter((ou) => view.ouParent(ou) === parent)
                .map((ou) => ({ Id: ou, Type: 'ORGANIZATIONAL_UNIT' }));
        return paged('Children', children, body);
      }
      case 'ListRoots':
        return paged('Roots', [view.rootJson()], body);
      case 'DescribeAccount': {
        const id = input.AccountId ?? '';
        if (!view.isMember(id)) {
          throw new AwsError(
            'AccountNotFoundException',
            "We can't find an AWS account with the AccountId that you specified, or the account whose credentials " +
              "you used to make this request isn't a member of an organization.",
          );
        }
        return { Account: view.account(id) };
      }
      case 'DescribeOrganizationalUnit': {
        const id = input.OrganizationalUnitId ?? '';
        if (!Object.hasOwn(view.org.ous, id)) {
          throw new AwsError(
            'OrganizationalUnitNotFoundException',
            "We can't find an OU with the OrganizationalUnitId that you specified.",
          );
        }
        return { OrganizationalUnit: view.ou(id) };
      }
      default:
        throw new AwsError('UnknownOperationException', `${action} is not an operation of this fake Organizations.`);
    }
  }

  /** The operation's members, checked against the model's constraints (paging is checked as the page is cut). */
  private input(action: string, body: JsonObject): Partial<Record<string, string>> {
    switch (action) {
      case 'ListAccountsForParent':
        return this.pagingChecked(body, { ParentId: requiredId(body, 'ParentId') });
      case 'ListChildren': {
        const ParentId = requiredId(body, 'ParentId');
        const type = body.ChildType;
        if (type === undefined || type === null || type === '') throw invalidInput('INPUT_REQUIRED');
        if (type !== 'ACCOUNT' && type !== 'ORGANIZATIONAL_UNIT') throw invalidInput('INVALID_ENUM');
        return this.pagingChecked(body, { ParentId, ChildType: type });
      }
      case 'ListAccounts':
      case 'ListRoots':
        return this.pagingChecked(body, {});
      case 'DescribeAccount':
        return { AccountId: requiredId(body, 'AccountId') };
      case 'DescribeOrganizationalUnit':
        return { OrganizationalUnitId: requiredId(body, 'OrganizationalUnitId') };
      default:
        return {};
    }
  }

  /** `members`, once `MaxResults` and `NextToken` are well-formed. */
  private pagingChecked(body: JsonObject, members: Record<string, string>): Record<string, string> {
    maxResultsOf(body);
    nextTokenOf(body);
    return members;
  }

  /** The root or OU a ParentId names (ParentNotFoundException when the organization has none such). */
  private parent(view: OrganizationView, id: string | undefined): string {
    if (id === undefined || !view.hasParent(id)) throw parentNotFound();
    return id;
  }
}
