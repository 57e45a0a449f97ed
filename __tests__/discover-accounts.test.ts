/**
 * `npm run discover`'s pure parts: what it adds and reports (account-changes.ts), and how it writes
 * the additions into accounts.yaml without touching anything else (accounts-yaml.ts).
 */
import { parse } from 'yaml';
import { cidrContains } from '../lib/config/cidr';
import {
  accountChanges,
  differs,
  entryName,
  type Discovered,
  type ListedAccount,
  type OrganizationAccount,
} from '../lib/discover/account-changes';
import { editAccountsYaml, type AccountsEdit } from '../lib/discover/accounts-yaml';

const HUB = '111111111111';
const VPC = (n: number) => `vpc-0${String(n).padStart(16, '0')}`;

const FILE = `# Consumer accounts. Quote account IDs.
accounts:
  - id: "123456789012"
    name: payments-prod
    vpcIds: [${VPC(1)}]
  - id: "012345678901"               # a leading zero survives because the ID is quoted
    name: data-platform              # hand-written, kept
    vpcIds: [${VPC(2)}, ${VPC(3)}]
  # a comment between entries
  - id: "333333333333"
    vpcIds:
      - ${VPC(4)}   # block style
`;

const edit = (accounts: AccountsEdit['accounts'], vpcIds: Record<string, string[]> = {}): AccountsEdit => ({
  accounts,
  vpcIds: new Map(Object.entries(vpcIds)),
});

/** Whether `after` is `before` with only whole lines inserted. */
function onlyInsertions(before: string, after: string): boolean {
  const old = before.split('\n');
  let i = 0;
  for (const line of after.split('\n')) if (i < old.length && line === old[i]) i += 1;
  return i === old.length;
}

describe('accounts.yaml: additions written into the text, the rest byte for byte', () => {
  test('a new account goes after the last entry, in its indentation, the ID quoted, the name plain', () => {
    const after = editAccountsYaml(FILE, edit([{ id: '444444444444', name: 'new-team', vpcIds: [VPC(5), VPC(6)] }]));
    expect(after).toBe(`${FILE}  - id: "444444444444"\n    name: new-team\n    vpcIds: [${VPC(5)}, ${VPC(6)}]\n`);
    expect(parse(after).accounts[3]).toEqual({ id: '444444444444', name: 'new-team', vpcIds: [VPC(5), VPC(6)] });
  });

  test('new VPCs of listed accounts join their lists, flow or block; comments, alignment and order stay', () => {
    const after = editAccountsYaml(FILE, edit([], { '012345678901': [VPC(7)], '333333333333': [VPC(8)] }));
    expect(onlyInsertions(FILE, after.replace(`, ${VPC(7)}]`, ']'))).toBe(true);
    expect(after).toContain(`    vpcIds: [${VPC(2)}, ${VPC(3)}, ${VPC(7)}]\n  # a comment between entries\n`);
    expect(after).toContain(`      - ${VPC(4)}   # block style\n      - ${VPC(8)}\n`);
    expect(after).toContain('"012345678901"               # a leading zero survives');
    expect(parse(after).accounts.map((a: { id: string }) => a.id)).toEqual([
      '123456789012',
      '012345678901',
      '333333333333',
    ]);
  });

  test('a VPC of the last entry and a new entry at one place keep their order', () => {
    const after = editAccountsYaml(
      FILE,
      edit([{ id: '444444444444', vpcIds: [VPC(5)] }], { '333333333333': [VPC(8)] }),
    );
    expect(after.endsWith(`      - ${VPC(8)}\n  - id: "444444444444"\n    vpcIds: [${VPC(5)}]\n`)).toBe(true);
  });

  test('no change: the text comes back as it was', () => {
    expect(editAccountsYaml(FILE, edit([]))).toBe(FILE);
  });

  test('accounts: [] (its comment stays on its line), no accounts key, an empty file', () => {
    const account = { id: '012345678901', name: 'first', vpcIds: [VPC(1)] };
    expect(editAccountsYaml('# hub spokes\naccounts: []   # none yet\n', edit([account]))).toBe(
      `# hub spokes\naccounts:    # none yet\n  - id: "012345678901"\n    name: first\n    vpcIds: [${VPC(1)}]\n`,
    );
    expect(editAccountsYaml('# nothing yet', edit([account]))).toBe(
      `# nothing yet\naccounts:\n  - id: "012345678901"\n    name: first\n    vpcIds: [${VPC(1)}]\n`,
    );
    expect(parse(editAccountsYaml('', edit([account])))).toEqual({ accounts: [account] });
  });

  test('a flow list of entries gets a flow entry', () => {
    const after = editAccountsYaml(
      `accounts: [{ id: "123456789012", vpcIds: [${VPC(1)}] }]\n`,
      edit([{ id: '444444444444', vpcIds: [VPC(5)] }], { '123456789012': [VPC(2)] }),
    );
    expect(after).toBe(
      `accounts: [{ id: "123456789012", vpcIds: [${VPC(1)}, ${VPC(2)}] }, { id: "444444444444", vpcIds: [${VPC(5)}] }]\n`,
    );
  });

  test('names YAML would read as something else are quoted; IDs always are', () => {
    for (const name of ['true', 'null', '1e3', '0x1F', 'yes', '-', '.inf']) {
      const after = editAccountsYaml('accounts: []\n', edit([{ id: '444444444444', name, vpcIds: [VPC(5)] }]));
      expect(parse(after).accounts[0]).toEqual({ id: '444444444444', name, vpcIds: [VPC(5)] });
    }
    const zero = editAccountsYaml('accounts: []\n', edit([{ id: '000000000001', vpcIds: [VPC(5)] }]));
    expect(zero).toContain('id: "000000000001"');
  });

  test('a file that is not a mapping, or does not parse, is refused before anything is written', () => {
    expect(() => editAccountsYaml('- a\n- b\n', edit([{ id: '444444444444', vpcIds: [VPC(5)] }]))).toThrow(
      /not a mapping/,
    );
    expect(() => editAccountsYaml('accounts: [\n', edit([]))).toThrow(/does not parse/);
  });
});

describe('what discovery adds and reports', () => {
  const org = (id: string, name: string, status = 'ACTIVE'): OrganizationAccount => ({ id, name, status });
  const listed = (id: string, vpcIds: string[], extra: Partial<ListedAccount> = {}): ListedAccount => ({
    id,
    vpcIds,
    retired: false,
    ...extra,
  });
  const found = (
    organization: OrganizationAccount[],
    vpcs: Record<string, string[]>,
    options: { scope?: string[]; unreadable?: Record<string, string> } = {},
  ): Discovered => ({
    organization,
    inScope: new Set(options.scope ?? organization.filter((a) => a.status === 'ACTIVE').map((a) => a.id)),
    vpcs: new Map(Object.entries(vpcs)),
    unreadable: new Map(Object.entries(options.unreadable ?? {})),
  });

  test('a new active account with matching VPCs is added with its name; without any, it is not', () => {
    const changes = accountChanges(
      [],
      found([org('222222222222', 'Payments Prod (EU)'), org('333333333333', 'empty')], {
        '222222222222': [VPC(1), VPC(2)],
        '333333333333': [],
      }),
      HUB,
    );
    expect(changes.add).toEqual([{ id: '222222222222', name: 'Payments-Prod-EU', vpcIds: [VPC(1), VPC(2)] }]);
    expect(differs(changes)).toBe(true);
  });

  test('the hub account is never added; retired entries are left alone', () => {
    const changes = accountChanges(
      [listed('222222222222', [VPC(9)], { retired: true })],
      found([org(HUB, 'hub'), org('222222222222', 'old')], { [HUB]: [VPC(1)], '222222222222': [VPC(2)] }),
      HUB,
    );
    expect(changes).toEqual({ add: [], addVpcs: new Map(), departures: [], skipped: [] });
    expect(differs(changes)).toBe(false);
  });

  test("a listed account's new VPC is added; one that no longer matches is reported, not removed", () => {
    const changes = accountChanges(
      [listed('222222222222', [VPC(1), VPC(2)], { name: 'payments' })],
      found([org('222222222222', 'payments')], { '222222222222': [VPC(1), VPC(3)] }),
      HUB,
    );
    expect(changes.addVpcs).toEqual(new Map([['222222222222', [VPC(3)]]]));
    expect(changes.departures).toEqual([
      { account: '222222222222', name: 'payments', vpcId: VPC(2), reason: expect.stringMatching(/no longer matches/) },
    ]);
  });

  test('left the organization, suspended, closing, or no matching VPC at all: reported for a person', () => {
    const changes = accountChanges(
      [
        listed('222222222222', [VPC(1)]),
        listed('333333333333', [VPC(2)]),
        listed('444444444444', [VPC(3)]),
        listed('555555555555', [VPC(4)]),
      ],
      found(
        [org('333333333333', 'x', 'SUSPENDED'), org('444444444444', 'y', 'PENDING_CLOSURE'), org('555555555555', 'z')],
        { '555555555555': [] },
      ),
      HUB,
    );
    expect(changes.departures.map((d) => `${d.account} ${d.reason}`)).toEqual([
      '222222222222 is not an account of the organization (it left, or never joined)',
      '333333333333 is suspended in the organization',
      '444444444444 is pending closure in the organization',
      '555555555555 has no VPC that matches the filter any more',
    ]);
    expect(changes.add).toEqual([]);
  });

  test('an account whose role cannot be used is skipped, with why; a listed one outside the OUs stays as written', () => {
    const changes = accountChanges(
      [listed('333333333333', [VPC(2)])],
      found(
        [org('222222222222', 'locked'), org('333333333333', 'elsewhere')],
        {},
        {
          scope: ['222222222222'],
          unreadable: { '222222222222': 'AccessDenied' },
        },
      ),
      HUB,
    );
    expect(changes.skipped).toEqual([{ account: '222222222222', name: 'locked', reason: 'AccessDenied' }]);
    expect(changes.departures).toEqual([]);
    expect(differs(changes)).toBe(false);
  });

  test('Organizations names become accounts.yaml names', () => {
    expect(entryName('Payments Prod (EU)')).toBe('Payments-Prod-EU');
    expect(entryName('zahlungen-ä')).toBe('zahlungen-ä');
    expect(entryName('  ***  ')).toBeUndefined();
    expect(entryName('x'.repeat(80))).toHaveLength(64);
  });
});

describe('cidrContains', () => {
  test.each([
    ['10.0.0.0/8', '10.1.2.0/24', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/24', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['10.0.0.0/8', '2001:db8::/32', false],
    ['not a block', '10.0.0.0/8', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });
});
