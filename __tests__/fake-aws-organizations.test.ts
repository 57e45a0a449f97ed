/**
 * The fake's AWS Organizations (test/fake-aws/organizations.ts) through the real AWS SDK for
 * JavaScript v3 (`@aws-sdk/client-organizations`, JSON 1.1 over SigV4 service `organizations`):
 * paging, the OU tree, account states, who may call, errors, throttling with the SDK's retries, the
 * call log with its IAM checks; the organization's validation; and EC2 DescribeVpcs' `tag-key` filter.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from '@aws-sdk/client-organizations';
import { AwsEndpointClient } from '../test/fake-aws/client';
import { FakeAws } from '../test/fake-aws/server';
import type { Organization } from '../test/fake-aws/world';
import { actionsOf } from './helpers/service-authorization';

const MANAGEMENT = '100000000001';
const DELEGATED = '100000000002';
const MEMBER = '100000000003';
const OUTSIDER = '999999999999';
/** 22 more members: 25 accounts in all. */
const OTHERS = Array.from({ length: 22 }, (_, i) => String(200000000001 + i));
const ORG_ID = 'o-fakeorg0001';
const ROOT = 'r-fake';
/** Workloads (under the root) holds Prod (under Workloads) and one account of its own; Sandbox is under the root. */
const WORKLOADS = 'ou-fake-workload';
const PROD = 'ou-fake-prodprod';
const SANDBOX = 'ou-fake-sandbox1';
const [APP, PROD_A, PROD_B, SANDBOXED] = OTHERS;

const ORGANIZATION: Organization = {
  id: ORG_ID,
  managementAccount: MANAGEMENT,
  accounts: [MANAGEMENT, DELEGATED, MEMBER, ...OTHERS],
  ous: {
    // Workloads lists Prod's accounts too, as RAM's OU principals need.
    [WORKLOADS]: [APP, PROD_A, PROD_B],
    [PROD]: [PROD_A, PROD_B],
    [SANDBOX]: [SANDBOXED],
  },
  ramSharingEnabled: true,
  rootId: ROOT,
  ouParents: { [PROD]: WORKLOADS },
  ouNames: { [WORKLOADS]: 'Workloads', [PROD]: 'Prod' },
  names: { [MANAGEMENT]: 'management', [PROD_A]: 'prod-a' },
  suspended: [PROD_B],
  delegatedAdministrators: [DELEGATED],
};

let fake: FakeAws;
let client: AwsEndpointClient;

const credentials = (account: string) => ({ accessKeyId: account, secretAccessKey: 'fake-secret' });
const organizationsOf = (account: string, maxAttempts = 3) =>
  new OrganizationsClient({ region: 'us-east-1', endpoint: fake.url, credentials: credentials(account), maxAttempts });

beforeAll(async () => {
  fake = await FakeAws.start();
  client = new AwsEndpointClient(fake.url);
});

beforeEach(async () => {
  fake.setThrottle(0);
  // Seeded as a harness does: `POST /_fake/organization` with the Organization as its JSON body.
  await client.setOrganization(ORGANIZATION);
});

afterAll(() => fake.close());

const ids = (accounts: readonly Account[] | undefined) => (accounts ?? []).map((a) => a.Id);

describe('AWS Organizations: accounts, paging and the OU tree', () => {
  test('ListAccounts pages by 20 at most; paginateListAccounts collects all 25 accounts', async () => {
    const organizations = organizationsOf(MANAGEMENT);
    const first = await organizations.send(new ListAccountsCommand({ MaxResults: 20 }));
    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeDefined();
    const second = await organizations.send(new ListAccountsCommand({ MaxResults: 20, NextToken: first.NextToken }));
    expect(second.Accounts).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    expect([...ids(first.Accounts), ...ids(second.Accounts)]).toEqual(ORGANIZATION.accounts);
    // Without MaxResults: 20 a page too.
    expect((await organizations.send(new ListAccountsCommand({}))).Accounts).toHaveLength(20);

    const collected: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations }, {})) {
      collected.push(...ids(page.Accounts).map(String));
    }
    expect(collected).toEqual(ORGANIZATION.accounts);
    const small: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 7 }, {})) {
      expect((page.Accounts ?? []).length).toBeLessThanOrEqual(7);
      small.push(...ids(page.Accounts).map(String));
    }
    expect(small).toEqual(ORGANIZATION.accounts);
  });

  test('an account as the API reference gives it: ARN, email, name, Status and State, how and when it joined', async () => {
    const organizations = organizationsOf(MANAGEMENT);
    const { Accounts } = await organizations.send(new ListAccountsCommand({}));
    const management = Accounts?.find((a) => a.Id === MANAGEMENT);
    expect(management).toEqual({
      Id: MANAGEMENT,
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${MANAGEMENT}`,
      Email: `${MANAGEMENT}@example.com`,
      Name: 'management',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'INVITED',
      JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
    });
    expect(Accounts?.find((a) => a.Id === MEMBER)).toMatchObject({
      Name: `account-${MEMBER}`,
      JoinedMethod: 'CREATED',
      Status: 'ACTIVE',
    });
    const suspended = await organizations.send(new DescribeAccountCommand({ AccountId: PROD_B }));
    expect(suspended.Account).toMatchObject({ Id: PROD_B, Status: 'SUSPENDED', State: 'SUSPENDED' });
    expect(suspended.Account?.JoinedTimestamp).toBeInstanceOf(Date);
    expect(Accounts?.filter((a) => a.Status === 'SUSPENDED').map((a) => a.Id)).toEqual([PROD_B]);
    const prodA = await organizations.send(new DescribeAccountCommand({ AccountId: PROD_A }));
    expect(prodA.Account).toMatchObject({ Name: 'prod-a', Status: 'ACTIVE', State: 'ACTIVE' });
  });

  test('ListRoots, ListChildren and ListAccountsForParent give the direct children only', async () => {
    const organizations = organizationsOf(MANAGEMENT);
    const { Roots } = await organizations.send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      { Id: ROOT, Arn: `arn:aws:organizations::${MANAGEMENT}:root/${ORG_ID}/${ROOT}`, Name: 'Root', PolicyTypes: [] },
    ]);
    const children = async (ParentId: string, ChildType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT') =>
      (await organizations.send(new ListChildrenCommand({ ParentId, ChildType }))).Children;
    expect(await children(ROOT, 'ORGANIZATIONAL_UNIT')).toEqual([
      { Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' },
      { Id: SANDBOX, Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    expect(await children(WORKLOADS, 'ORGANIZATIONAL_UNIT')).toEqual([{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect(await children(PROD, 'ORGANIZATIONAL_UNIT')).toEqual([]);
    // Workloads lists Prod's accounts too, but they are Prod's children, not Workloads'.
    expect(await children(WORKLOADS, 'ACCOUNT')).toEqual([{ Id: APP, Type: 'ACCOUNT' }]);
    expect(await children(PROD, 'ACCOUNT')).toEqual([
      { Id: PROD_A, Type: 'ACCOUNT' },
      { Id: PROD_B, Type: 'ACCOUNT' },
    ]);
    const underRoot = ORGANIZATION.accounts.filter((a) => ![APP, PROD_A, PROD_B, SANDBOXED].includes(a));
    expect((await children(ROOT, 'ACCOUNT'))?.map((c) => c.Id)).toEqual(underRoot.slice(0, 20));

    const forParent = async (ParentId: string) => {
      const all: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await organizations.send(new ListAccountsForParentCommand({ ParentId, NextToken }));
        all.push(...ids(page.Accounts).map(String));
        NextToken = page.NextToken;
      } while (NextToken);
      return all;
    };
    expect(await forParent(PROD)).toEqual([PROD_A, PROD_B]);
    expect(await forParent(WORKLOADS)).toEqual([APP]);
    expect(await forParent(SANDBOX)).toEqual([SANDBOXED]);
    expect(await forParent(ROOT)).toEqual(underRoot);

    const { OrganizationalUnit } = await organizations.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: PROD }),
    );
    expect(OrganizationalUnit).toEqual({
      Id: PROD,
      Arn: `arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/${PROD}`,
      Name: 'Prod',
    });
    // An OU without a name in ouNames is named by its ID.
    const sandbox = await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: SANDBOX }));
    expect(sandbox.OrganizationalUnit?.Name).toBe(SANDBOX);
  });

  test('DescribeOrganization', async () => {
    const { Organization: organization } = await organizationsOf(MANAGEMENT).send(new DescribeOrganizationCommand({}));
    expect(organization).toEqual({
      Id: ORG_ID,
      Arn: `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${MANAGEMENT}`,
      MasterAccountId: MANAGEMENT,
      MasterAccountEmail: `${MANAGEMENT}@example.com`,
      AvailablePolicyTypes: [],
    });
  });

  test('an organization set before Organizations was served (no optional fields) is served with the defaults', async () => {
    await client.setOrganization({
      id: 'o-legacy00001',
      managementAccount: MANAGEMENT,
      accounts: [MEMBER],
      ous: { 'ou-lega-cyou0001': [MEMBER] },
      ramSharingEnabled: false,
    });
    const organizations = organizationsOf(MANAGEMENT);
    expect((await organizations.send(new ListRootsCommand({}))).Roots?.map((r) => r.Id)).toEqual(['r-lega']);
    const root = await organizations.send(
      new ListChildrenCommand({ ParentId: 'r-lega', ChildType: 'ORGANIZATIONAL_UNIT' }),
    );
    expect(root.Children).toEqual([{ Id: 'ou-lega-cyou0001', Type: 'ORGANIZATIONAL_UNIT' }]);
    const accounts = await organizations.send(new ListAccountsForParentCommand({ ParentId: 'ou-lega-cyou0001' }));
    expect(accounts.Accounts).toEqual([expect.objectContaining({ Id: MEMBER, Status: 'ACTIVE' })]);
    // A member is not a delegated administrator.
    await expect(organizationsOf(MEMBER).send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('AWS Organizations: who may call, and errors', () => {
  test('the management account and a delegated administrator may list; another member may not', async () => {
    for (const account of [MANAGEMENT, DELEGATED]) {
      const reply = await organizationsOf(account).send(new ListAccountsCommand({ MaxResults: 5 }));
      expect(reply.Accounts).toHaveLength(5);
      await expect(
        organizationsOf(account).send(new DescribeAccountCommand({ AccountId: MEMBER })),
      ).resolves.toMatchObject({ Account: { Id: MEMBER } });
    }
    const member = organizationsOf(MEMBER);
    for (const send of [
      () => member.send(new ListAccountsCommand({})),
      () => member.send(new ListRootsCommand({})),
      () => member.send(new ListChildrenCommand({ ParentId: ROOT, ChildType: 'ACCOUNT' })),
      () => member.send(new ListAccountsForParentCommand({ ParentId: ROOT })),
      () => member.send(new DescribeAccountCommand({ AccountId: MEMBER })),
      () => member.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: PROD })),
    ]) {
      await expect(send()).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: "You don't have permissions to access this resource.",
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
    }
    // DescribeOrganization answers any member.
    await expect(member.send(new DescribeOrganizationCommand({}))).resolves.toMatchObject({
      Organization: { Id: ORG_ID, MasterAccountId: MANAGEMENT },
    });
  });

  test('outside any organization: AWSOrganizationsNotInUseException', async () => {
    await expect(organizationsOf(OUTSIDER).send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(organizationsOf(OUTSIDER).send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
    });
    await client.setOrganization(null);
    await expect(organizationsOf(MANAGEMENT).send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: 'AWSOrganizationsNotInUseException',
      message: 'Your account is not a member of an organization.',
    });
  });

  test('a root, OU or account the organization does not have; IDs and parameters that are not valid', async () => {
    const organizations = organizationsOf(MANAGEMENT);
    const unknownOu = 'ou-fake-nosuchou';
    await expect(
      organizations.send(new ListChildrenCommand({ ParentId: unknownOu, ChildType: 'ACCOUNT' })),
    ).rejects.toMatchObject({ name: 'ParentNotFoundException', $metadata: { httpStatusCode: 400 } });
    await expect(organizations.send(new ListAccountsForParentCommand({ ParentId: 'r-nope' }))).rejects.toMatchObject({
      name: 'ParentNotFoundException',
    });
    await expect(
      organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: unknownOu })),
    ).rejects.toMatchObject({ name: 'OrganizationalUnitNotFoundException' });
    await expect(organizations.send(new DescribeAccountCommand({ AccountId: OUTSIDER }))).rejects.toMatchObject({
      name: 'AccountNotFoundException',
    });

    const invalid = (reason: string) => ({
      name: 'InvalidInputException',
      Reason: reason,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      organizations.send(new ListChildrenCommand({ ParentId: 'workloads', ChildType: 'ACCOUNT' })),
    ).rejects.toMatchObject(invalid('INVALID_PATTERN'));
    await expect(
      organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ROOT })),
    ).rejects.toMatchObject(invalid('INVALID_PATTERN'));
    await expect(organizations.send(new DescribeAccountCommand({ AccountId: '1234' }))).rejects.toMatchObject(
      invalid('INVALID_PATTERN'),
    );
    await expect(organizations.send(new ListChildrenCommand({ ParentId: ROOT } as never))).rejects.toMatchObject(
      invalid('INPUT_REQUIRED'),
    );
    await expect(
      organizations.send(new ListChildrenCommand({ ParentId: ROOT, ChildType: 'POLICY' as never })),
    ).rejects.toMatchObject(invalid('INVALID_ENUM'));
    await expect(organizations.send(new ListAccountsForParentCommand({} as never))).rejects.toMatchObject(
      invalid('INPUT_REQUIRED'),
    );
    await expect(organizations.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject(
      invalid('MAX_VALUE_EXCEEDED'),
    );
    await expect(organizations.send(new ListAccountsCommand({ MaxResults: 0 }))).rejects.toMatchObject(
      invalid('MIN_VALUE_EXCEEDED'),
    );
    await expect(organizations.send(new ListAccountsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject(
      invalid('INVALID_NEXT_TOKEN'),
    );
  });

  test('throttling every third call: the SDK retries TooManyRequestsException (HTTP 400) and completes', async () => {
    const since = fake.calls().length + 1;
    fake.setThrottle(3);
    const organizations = organizationsOf(MANAGEMENT);
    const collected: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 5 }, {})) {
      collected.push(...ids(page.Accounts).map(String));
    }
    expect(collected).toEqual(ORGANIZATION.accounts);
    const children = await organizations.send(new ListChildrenCommand({ ParentId: PROD, ChildType: 'ACCOUNT' }));
    expect(children.Children?.map((c) => c.Id)).toEqual([PROD_A, PROD_B]);
    const throttle = fake.throttle();
    expect(throttle.throttled).toBeGreaterThanOrEqual(2);
    expect(throttle.calls).toBe(5 + 1 + throttle.throttled);
    const throttled = fake.calls(since).filter((c) => c.error === 'TooManyRequestsException');
    expect(throttled).toHaveLength(throttle.throttled);
    for (const call of throttled) {
      expect(call).toMatchObject({ service: 'organizations', status: 400, account: MANAGEMENT });
      expect(call.checks).toBeUndefined();
    }
  });

  test("the throttling error's wire format: HTTP 400, __type, Message and Type", async () => {
    fake.setThrottle(1);
    const error = await organizationsOf(MANAGEMENT, 1)
      .send(new ListRootsCommand({}))
      .catch((e: unknown) => e as Record<string, unknown>);
    expect(error).toMatchObject({
      name: 'TooManyRequestsException',
      Type: 'Throttling',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });
});

describe('AWS Organizations: the call log and IAM checks', () => {
  test('every call is logged with service organizations, its operation, its caller and organizations:<Operation> on *', async () => {
    const since = fake.calls().length + 1;
    await organizationsOf(MANAGEMENT).send(new ListAccountsCommand({}));
    await organizationsOf(DELEGATED).send(
      new ListChildrenCommand({ ParentId: ROOT, ChildType: 'ORGANIZATIONAL_UNIT' }),
    );
    await organizationsOf(MEMBER)
      .send(new ListRootsCommand({}))
      .catch(() => undefined);
    await organizationsOf(MEMBER).send(new DescribeOrganizationCommand({}));
    const calls = fake.calls(since);
    expect(calls.map((c) => [c.service, c.action, c.account, c.status, c.error])).toEqual([
      ['organizations', 'ListAccounts', MANAGEMENT, 200, undefined],
      ['organizations', 'ListChildren', DELEGATED, 200, undefined],
      ['organizations', 'ListRoots', MEMBER, 400, 'AccessDeniedException'],
      ['organizations', 'DescribeOrganization', MEMBER, 200, undefined],
    ]);
    for (const call of calls) {
      expect(call.checks).toEqual([{ action: `organizations:${call.action}`, resources: ['*'], context: {} }]);
      // The Service Authorization Reference has each action.
      expect(actionsOf(`organizations:${call.action}`).map((a) => a.name)).toEqual([call.action]);
    }
    // The HTTP call log says the same.
    const logged = await (await fetch(`${fake.url}/_fake/calls?since=${since}`)).json();
    expect((logged as Array<{ service: string; action: string }>).map((c) => `${c.service} ${c.action}`)).toEqual([
      'organizations ListAccounts',
      'organizations ListChildren',
      'organizations ListRoots',
      'organizations DescribeOrganization',
    ]);
  });
});

describe("the organization's validation (POST /_fake/organization)", () => {
  const post = async (organization: unknown) => {
    const response = await fetch(`${fake.url}/_fake/organization`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(organization),
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  };

  test('the seeded organization is kept with its optional fields', async () => {
    const reply = await post(ORGANIZATION);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(ORGANIZATION);
    expect(fake.world.data.organization).toEqual(ORGANIZATION);
  });

  test.each<[string, Partial<Organization>, string]>([
    ['a malformed root ID', { rootId: 'root' }, 'rootId'],
    ['an ouParents key that is not an OU', { ouParents: { 'ou-fake-nosuchou': ROOT } }, 'not an OU'],
    ['a parent that is neither the root nor an OU', { ouParents: { [PROD]: 'r-other' } }, 'parent of OU'],
    ['a cycle', { ouParents: { [PROD]: WORKLOADS, [WORKLOADS]: PROD } }, 'cycle'],
    [
      "a nested OU's account that its parent OU does not list",
      { ous: { [WORKLOADS]: [APP], [PROD]: [PROD_A, PROD_B], [SANDBOX]: [SANDBOXED] } },
      'must list the accounts of its nested OU',
    ],
    [
      'an account in two OUs neither inside the other',
      { ous: { [WORKLOADS]: [APP, PROD_A, PROD_B], [PROD]: [PROD_A, PROD_B], [SANDBOX]: [SANDBOXED, APP] } },
      'one parent',
    ],
    ['a suspended non-member', { suspended: [OUTSIDER] }, 'suspended'],
    [
      'a delegated administrator that is not a member',
      { delegatedAdministrators: [OUTSIDER] },
      'delegatedAdministrators',
    ],
    ['the management account as delegated administrator', { delegatedAdministrators: [MANAGEMENT] }, 'management'],
    ['a name of a non-member', { names: { [OUTSIDER]: 'x' } }, 'names'],
    ['a name of an OU that ous lacks', { ouNames: { 'ou-fake-nosuchou': 'x' } }, 'ouNames'],
  ])('refuses %s', async (_, change, message) => {
    const reply = await post({ ...ORGANIZATION, ...change });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toContain(message);
    // The organization before stays.
    expect(fake.world.data.organization).toEqual(ORGANIZATION);
  });
});

describe('EC2 DescribeVpcs: the tag-key filter', () => {
  test('tag-key finds the VPCs with a tag of that key, whatever its value; is-default is false for every VPC', async () => {
    const account = '300000000001';
    const ec2 = new EC2Client({ region: 'eu-west-1', endpoint: fake.url, credentials: credentials(account) });
    const vpc = async (cidr: string, tags: Record<string, string>) =>
      (
        await ec2.send(
          new CreateVpcCommand({
            CidrBlock: cidr,
            TagSpecifications: [
              { ResourceType: 'vpc', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
            ],
          }),
        )
      ).Vpc?.VpcId;
    const teamA = await vpc('10.20.0.0/16', { team: 'a', env: 'prod' });
    const teamB = await vpc('10.21.0.0/16', { team: 'b' });
    const untagged = await vpc('10.22.0.0/16', { env: 'dev' });
    const described = async (Filters: Array<{ Name: string; Values: string[] }>) =>
      ((await ec2.send(new DescribeVpcsCommand({ Filters }))).Vpcs ?? []).map((v) => v.VpcId);
    expect(await described([{ Name: 'tag-key', Values: ['team'] }])).toEqual([teamA, teamB]);
    expect(await described([{ Name: 'tag-key', Values: ['team', 'env'] }])).toEqual([teamA, teamB, untagged]);
    expect(await described([{ Name: 'tag-key', Values: ['owner'] }])).toEqual([]);
    expect(
      await described([
        { Name: 'tag-key', Values: ['team'] },
        { Name: 'tag:env', Values: ['prod'] },
      ]),
    ).toEqual([teamA]);
    expect(await described([{ Name: 'is-default', Values: ['true'] }])).toEqual([]);
    expect(await described([{ Name: 'is-default', Values: ['false'] }])).toEqual([teamA, teamB, untagged]);
  });
});
