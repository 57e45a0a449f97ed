/**
 * IAM at scale: every document `npm run iam` writes is within IAM's limits and the same at 10 and at
 * 1,000 accounts, in every sharing mode; and no day-2 change (an account joining, retiring or
 * leaving, a VPC or a service added or removed, a mode switch) changes any written document but the
 * joining account's own, which are the spoke template's roles with its ID.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamDocuments, iamProblems, spokeAccountRoles, type IamDocuments } from '../lib/commands/iam';
import { templateRoles, TEMPLATE_FILES, type CfnTemplate } from '../lib/iam/cloudformation';
import { IAM_LIMITS, policySize } from '../lib/iam/document-checks';
import type { VpceConfig } from '../lib/config/schema';
import { edit } from './helpers/config';
import { IAM_VARIANTS, runIam, variantConfig, variantText, type IamRun, type IamVariant } from './helpers/iam';
import { fakeAccountId, fakeVpcId, GENERATED_HUB_ACCOUNT } from '../test/fixtures/generate-config';

const SIZES = [10, 1000] as const;
/** A 12-digit account to measure the spoke documents in (the template's `${AWS::AccountId}` is longer). */
const SOME_ACCOUNT = '123456789012';

interface Generated {
  readonly config: VpceConfig;
  readonly documents: IamDocuments;
}

/** Every variant at each size, generated once. */
const generated = new Map<IamVariant, Record<(typeof SIZES)[number], Generated>>();
beforeAll(() => {
  for (const variant of IAM_VARIANTS) {
    const [small, large] = SIZES.map((accounts) => {
      const config = variantConfig(variant, accounts);
      return { config, documents: iamDocuments(config) };
    });
    generated.set(variant, { 10: small, 1000: large });
  }
});

/** Each role's documents of a generation: the hub's, the spoke template's, and the spoke's in a real account. */
function documentsOf({ config, documents }: Generated) {
  return [
    ...documents.hub.map((role) => ({ name: role.kind, role })),
    ...documents.spoke.map((role) => ({ name: `${role.kind} (template)`, role })),
    ...spokeAccountRoles(documents, SOME_ACCOUNT, config.hub.region).map((role) => ({ name: role.kind, role })),
  ];
}

describe('every document is within IAM limits and constant in the number of accounts', () => {
  test.each(IAM_VARIANTS)(
    '%s: each permissions policy at most 6,144 characters, each trust policy 2,048',
    (variant) => {
      for (const size of SIZES) {
        const gen = generated.get(variant)![size];
        expect(gen.config.accounts).toHaveLength(size);
        expect(gen.config.accounts.every((a) => a.vpcIds.length === 2)).toBe(true);
        expect(gen.documents.accounts).toHaveLength(size);
        const roles = documentsOf(gen);
        expect(roles.length).toBeGreaterThanOrEqual(6);
        for (const { name, role } of roles) {
          expect({ size, name, permissions: policySize(role.policy) <= IAM_LIMITS.permissions }).toEqual({
            size,
            name,
            permissions: true,
          });
          expect({ size, name, trust: policySize(role.trust) <= IAM_LIMITS.trust }).toEqual({
            size,
            name,
            trust: true,
          });
        }
        expect(iamProblems(gen.documents, gen.config.hub.region)).toEqual([]);
      }
    },
  );

  test.each(IAM_VARIANTS)('%s: byte-identical documents and templates at 10 and at 1,000 accounts', (variant) => {
    const { 10: small, 1000: large } = generated.get(variant)!;
    const text = (g: Generated) => ({
      templates: {
        hub: JSON.stringify(g.documents.templates.hub),
        spoke: JSON.stringify(g.documents.templates.spoke),
      },
      roles: documentsOf(g).map(({ name, role }) => ({
        name,
        arn: role.roleArn,
        policy: JSON.stringify(role.policy),
        trust: JSON.stringify(role.trust),
      })),
    });
    expect(text(large)).toEqual(text(small));
    // And so of the same size.
    const sizes = (g: Generated) =>
      documentsOf(g).map(({ name, role }) => [name, policySize(role.policy), policySize(role.trust)]);
    expect(sizes(large)).toEqual(sizes(small));
  });

  test('the permissions policies are the same in every sharing mode, credentials setting and iam block', () => {
    const policies = (variant: IamVariant) => {
      const { documents, config } = generated.get(variant)![10];
      const byKind = Object.fromEntries(
        [...documents.hub, ...spokeAccountRoles(documents, SOME_ACCOUNT, config.hub.region)]
          .filter((role) => !role.kind.startsWith('ci-'))
          .map((role) => [role.kind, JSON.stringify(role.policy)]),
      );
      expect(Object.keys(byKind).sort()).toEqual(['hub-deployer', 'hub-planner', 'spoke-deployer', 'spoke-planner']);
      return byKind;
    };
    const associations = policies('associations');
    for (const variant of IAM_VARIANTS) {
      expect({ variant, policies: policies(variant) }).toEqual({ variant, policies: associations });
    }
  });

  test('both templates are byte-identical in every sharing mode and transition', () => {
    const templates = (variant: IamVariant) => JSON.stringify(generated.get(variant)![1000].documents.templates);
    const modes: IamVariant[] = [
      'profile',
      'profile-organization',
      'profile-endpoints',
      'profile-transition-both',
      'associations-transition-hub',
    ];
    for (const variant of modes) {
      expect({ variant, same: templates(variant) === templates('associations') }).toEqual({ variant, same: true });
    }
    // The trust policies do follow the credentials and iam.trustedPrincipals.
    expect(templates('cloud-dynamic')).not.toBe(templates('associations'));
    expect(templates('trusted-principals')).not.toBe(templates('associations'));
  });

  test('the hub account has the CI roles only without Terraform Cloud dynamic credentials', () => {
    const kinds = (variant: IamVariant) => generated.get(variant)![10].documents.hub.map((r) => r.kind);
    expect(kinds('associations')).toEqual(['hub-deployer', 'hub-planner', 'ci-planner', 'ci-deployer']);
    expect(kinds('cloud-dynamic')).toEqual(['hub-deployer', 'hub-planner']);
    for (const variant of IAM_VARIANTS) {
      expect(generated.get(variant)![10].documents.spoke.map((r) => r.kind)).toEqual([
        'spoke-deployer',
        'spoke-planner',
      ]);
    }
  });
});

// ---- Day 2: what `npm run iam -- --out` writes does not change ----

const SPOKE_ROLES = ['vpce-spoke-deployer', 'vpce-spoke-planner'];
const HUB_ROLES = ['vpce-hub-deployer', 'vpce-hub-planner', 'vpce-ci-planner', 'vpce-ci-deployer'];
const filesOfAccount = (account: string, roles = SPOKE_ROLES) =>
  roles.flatMap((role) => [`${account}-${role}.policy.json`, `${account}-${role}.trust.json`]);

/** The base configuration of the day-2 runs: 4 accounts of 2 VPCs, associations. */
const BASE = variantText('associations', 4);
const ACCOUNT = (i: number) => fakeAccountId(i);
const NEW_ACCOUNT = fakeAccountId(98);
const REGION = 'ap-northeast-1';

/** accounts.yaml with the i-th account's entry changed. */
function editAccount(accounts: string, i: number, change: (entry: string) => string): string {
  const entry = new RegExp(`  - id: "${ACCOUNT(i)}"\\n    vpcIds: \\[[^\\]]*\\]\\n`);
  const found = entry.exec(accounts);
  if (!found) throw new Error(`test setup: account ${ACCOUNT(i)} not found`);
  return accounts.replace(found[0], change(found[0]));
}

/** The first run of each configuration text, so that each is run once. */
const runs = new Map<string, IamRun>();
function run(text: { hub: string; accounts: string }): IamRun {
  const key = `${text.hub}\0${text.accounts}`;
  if (!runs.has(key)) runs.set(key, runIam(text.hub, text.accounts));
  return runs.get(key)!;
}

/**
 * `after` wrote the same files as `before` byte for byte, but for the files of `added` accounts (new)
 * and of `removed` accounts (gone).
 */
function expectUnchanged(before: IamRun, after: IamRun, change: { added?: string[]; removed?: string[] } = {}) {
  expect({ before: before.status, after: after.status, stderr: after.stderr.includes('wrote') }).toEqual({
    before: 0,
    after: 0,
    stderr: true,
  });
  const added = (change.added ?? []).flatMap((a) => filesOfAccount(a));
  const removed = new Set((change.removed ?? []).flatMap((a) => filesOfAccount(a)));
  for (const name of removed) expect(before.files.has(name)).toBe(true);
  expect([...after.files.keys()].sort()).toEqual(
    [...[...before.files.keys()].filter((name) => !removed.has(name)), ...added].sort(),
  );
  for (const [name, text] of after.files) {
    if (added.includes(name)) continue;
    expect({ name, text }).toEqual({ name, text: before.files.get(name) });
  }
  // A joining account gets exactly the spoke template's roles, with its own ID.
  const template = JSON.parse(after.files.get(TEMPLATE_FILES.spoke)!) as CfnTemplate;
  for (const account of change.added ?? []) {
    const roles = templateRoles(template, { accountId: account, region: REGION });
    expect(roles.map((r) => r.roleArn)).toEqual(SPOKE_ROLES.map((name) => `arn:aws:iam::${account}:role/${name}`));
    for (const role of roles) {
      const name = role.roleArn.split('/').pop()!;
      const file = (kind: string) => after.files.get(`${account}-${name}.${kind}.json`);
      expect(file('policy')).toBe(`${JSON.stringify(role.policy, null, 2)}\n`);
      expect(file('trust')).toBe(`${JSON.stringify(role.trust, null, 2)}\n`);
      // The same as an existing account's, but for the ID.
      const other = (kind: string) =>
        before.files
          .get(`${ACCOUNT(0)}-${name}.${kind}.json`)!
          .split(ACCOUNT(0))
          .join(account);
      expect(file('policy')).toBe(other('policy'));
      expect(file('trust')).toBe(other('trust'));
    }
    // The deployer's own EC2 ARNs name it.
    expect(after.files.get(`${account}-vpce-spoke-deployer.policy.json`)).toContain(`:${account}:vpc/*`);
  }
}

describe('day 2: no change but an account joining changes a written document', () => {
  test('the base configuration writes both templates, the hub account roles and each account roles', () => {
    const base = run(BASE);
    expect(base.status).toBe(0);
    expect([...base.files.keys()].sort()).toEqual(
      [
        TEMPLATE_FILES.hub,
        TEMPLATE_FILES.spoke,
        ...filesOfAccount(GENERATED_HUB_ACCOUNT, HUB_ROLES),
        ...[0, 1, 2, 3].flatMap((i) => filesOfAccount(ACCOUNT(i))),
        'discover.policy.json',
      ].sort(),
    );
    expect(base.stderr).toContain(`wrote ${base.files.size} files`);
  });

  test('an account added: only its own files are new', () => {
    const accounts = `${BASE.accounts}  - id: "${NEW_ACCOUNT}"\n    vpcIds: [${fakeVpcId(98, 0)}]\n`;
    expectUnchanged(run(BASE), run({ ...BASE, accounts }), { added: [NEW_ACCOUNT] });
  });

  test('an account retired: nothing changes', () => {
    const accounts = editAccount(BASE.accounts, 1, (entry) => `${entry}    retired: true\n`);
    expectUnchanged(run(BASE), run({ ...BASE, accounts }));
  });

  test('an account removed: only its own files are gone', () => {
    const accounts = editAccount(BASE.accounts, 2, () => '');
    expectUnchanged(run(BASE), run({ ...BASE, accounts }), { removed: [ACCOUNT(2)] });
  });

  test('a VPC added to an account, and one removed: nothing changes', () => {
    const added = editAccount(BASE.accounts, 0, (entry) => entry.replace(']', `, ${fakeVpcId(0, 5)}]`));
    const removed = editAccount(BASE.accounts, 3, (entry) => entry.replace(/, vpc-[0-9a-f]+\]/, ']'));
    expect(removed).not.toBe(BASE.accounts);
    expectUnchanged(run(BASE), run({ ...BASE, accounts: added }));
    expectUnchanged(run(BASE), run({ ...BASE, accounts: removed }));
  });

  test('a service added, and one moved to retiredServices: nothing changes', () => {
    const services = 'services: [ecr.api, ecr.dkr, s3, logs, sts]\n';
    const added = edit(BASE.hub, services, 'services: [ecr.api, ecr.dkr, s3, logs, sts, ssm]\n');
    const retired = edit(BASE.hub, services, 'services: [ecr.api, ecr.dkr, s3, sts]\nretiredServices: [logs]\n');
    expectUnchanged(run(BASE), run({ ...BASE, hub: added }));
    expectUnchanged(run(BASE), run({ ...BASE, hub: retired }));
  });

  test('switching modes: associations -> profile (transition both) -> profile; zones -> dns: endpoints: nothing changes', () => {
    const steps = [
      BASE,
      variantText('profile-transition-both', 4),
      variantText('profile', 4),
      { ...BASE, hub: `${BASE.hub}sharing:\n  mode: profile\n  dns: endpoints\n` },
    ];
    for (const step of steps) expect(step.accounts).toBe(BASE.accounts);
    for (let i = 1; i < steps.length; i++) expectUnchanged(run(steps[i - 1]), run(steps[i]));
  });

  test('and back: profile -> associations (transition hub) -> associations: nothing changes', () => {
    const steps = [variantText('profile', 4), variantText('associations-transition-hub', 4), BASE];
    for (let i = 1; i < steps.length; i++) expectUnchanged(run(steps[i - 1]), run(steps[i]));
  });
});

describe('docs/security-and-iam.md', () => {
  test('its table of document sizes is what npm run iam measures', () => {
    const readme = readFileSync(join(__dirname, '..', 'docs', 'security-and-iam.md'), 'utf8');
    const { documents, config } = generated.get('associations')![1000];
    const roles = [...documents.hub, ...spokeAccountRoles(documents, SOME_ACCOUNT, config.hub.region)];
    const size = (kind: string) => {
      const role = roles.find((r) => r.kind === kind)!;
      return [policySize(role.policy), policySize(role.trust)].map((n) => n.toLocaleString('en-US'));
    };
    for (const [row, kind] of [
      ['hub deployer', 'hub-deployer'],
      ['hub planner', 'hub-planner'],
      ['spoke deployer', 'spoke-deployer'],
      ['spoke planner', 'spoke-planner'],
    ]) {
      const [permissions, trust] = size(kind);
      expect(readme).toContain(`| ${row} | ${permissions} | ${trust} |`);
    }
    const [ciPlanner, ciDeployer] = [size('ci-planner'), size('ci-deployer')];
    expect(readme).toContain(
      `| CI planner / deployer | ${ciPlanner[0]} / ${ciDeployer[0]} | ${ciPlanner[1]} / ${ciDeployer[1]} |`,
    );
  });
});
