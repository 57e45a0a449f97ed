/**
 * `npm run discover`: the command line, in this process, against the fake's organization through the
 * real AWS SDK. Two OUs (one left out by --ou), a nested OU, a suspended account, an account whose
 * planner role cannot be assumed, VPCs with and without the tag; a hand-written entry and comments
 * in accounts.yaml that every run keeps.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { main } from '../lib/commands/discover';
import { loadConfig } from '../lib/config/load';
import { FakeAws } from '../test/fake-aws/server';
import type { Organization } from '../test/fake-aws/world';
import { HUB_YAML } from './helpers/config';
import { runWithAws } from './helpers/aws-env';
import { tempDir } from './helpers/temp';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const REGION = 'ap-northeast-1';
const MANAGEMENT = '100000000001';
const HUB = '111111111111';
const PAYMENTS = '222222222221'; // in the prod OU, nested in workloads
const DATA = '222222222222'; // in workloads
const SUSPENDED = '222222222223';
const LOCKED = '222222222224'; // its planner role cannot be assumed
const LISTED = '222222222225'; // hand-written in accounts.yaml
const SANDBOX = '333333333331'; // in the sandbox OU, left out
const LATE = '222222222226'; // joins later
const WORKLOADS = 'ou-root-workload';
const PROD = 'ou-root-prodprod';
const SANDBOX_OU = 'ou-root-sandboxx';
const TAG = { Key: 'vpce-hub', Value: 'true' };

const ACCOUNTS = `# Consumer accounts: npm run discover adds to this file, a person retires.
accounts:
  - id: "${LISTED}"          # hand-written, kept
    name: legacy-app
    vpcIds: [LISTED_VPC]
`;

function organization(
  extra: Partial<Organization> = {},
  members = [HUB, PAYMENTS, DATA, SUSPENDED, LOCKED, LISTED, SANDBOX],
): Organization {
  return {
    id: 'o-discovertest',
    managementAccount: MANAGEMENT,
    accounts: members,
    ous: {
      [WORKLOADS]: members.filter((a) => a.startsWith('2222')),
      [PROD]: [PAYMENTS],
      [SANDBOX_OU]: [SANDBOX],
    },
    ouParents: { [PROD]: WORKLOADS },
    names: Object.fromEntries(
      Object.entries({ [PAYMENTS]: 'Payments Prod', [DATA]: 'data-platform', [LISTED]: 'Legacy App' }).filter(([id]) =>
        members.includes(id),
      ),
    ),
    suspended: members.includes(SUSPENDED) ? [SUSPENDED] : [],
    ramSharingEnabled: true,
    ...extra,
  };
}

let fake: FakeAws;
let dir: string;
const vpcs: Record<string, string> = {};
const file = () => join(dir, 'accounts.yaml');
const text = () => readFileSync(file(), 'utf8');

async function createVpc(account: string, cidr: string, tagged: boolean): Promise<string> {
  const ec2 = new EC2Client({
    region: REGION,
    endpoint: fake.url,
    credentials: async () => ({ accessKeyId: account, secretAccessKey: 'fake' }),
  });
  const reply = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: cidr,
      ...(tagged ? { TagSpecifications: [{ ResourceType: 'vpc', Tags: [TAG] }] } : {}),
    }),
  );
  return reply.Vpc!.VpcId!;
}

/** The command line in this process, as the management account, with `env` on top. */
const discover = (args: string[], env: Record<string, string | undefined> = {}) =>
  runWithAws(main, args, { endpoint: fake.url, account: MANAGEMENT, configDir: dir, env });

const FILTER = ['--ou', WORKLOADS, '--tag', 'vpce-hub=true'];

beforeAll(async () => {
  fake = await FakeAws.start();
  fake.setOrganization(organization());
  vpcs.payments = await createVpc(PAYMENTS, '10.1.0.0/16', true);
  vpcs.paymentsUntagged = await createVpc(PAYMENTS, '10.9.0.0/16', false);
  vpcs.data = await createVpc(DATA, '10.2.0.0/16', true);
  vpcs.suspended = await createVpc(SUSPENDED, '10.3.0.0/16', true);
  vpcs.locked = await createVpc(LOCKED, '10.4.0.0/16', true);
  vpcs.listed = await createVpc(LISTED, '10.5.0.0/16', true);
  vpcs.sandbox = await createVpc(SANDBOX, '10.6.0.0/16', true);
  await fetch(
    `${fake.url}/_fake/deny-assume?role=${encodeURIComponent(`arn:aws:iam::${LOCKED}:role/vpce-spoke-planner`)}`,
    { method: 'POST' },
  );
  dir = tempDir('discover');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hub.yaml'), HUB_YAML.replace('registryAccounts: ["222222222222"]', 'registryAccounts: []'));
  writeFileSync(file(), ACCOUNTS.replace('LISTED_VPC', vpcs.listed));
});
afterAll(() => fake.close());

describe('npm run discover against an organization', () => {
  let first: Awaited<ReturnType<typeof discover>>;
  let written: string;

  beforeAll(async () => {
    first = await discover(FILTER);
    written = text();
  });

  test('adds the active accounts under the OU (nested too) with tagged VPCs, their names, IDs quoted', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(written).toBe(
      `${ACCOUNTS.replace('LISTED_VPC', vpcs.listed)}` +
        `  - id: "${PAYMENTS}"\n    name: Payments-Prod\n    vpcIds: [${vpcs.payments}]\n` +
        `  - id: "${DATA}"\n    name: data-platform\n    vpcIds: [${vpcs.data}]\n`,
    );
    // Not the sandbox OU, not the suspended account, not the untagged VPC, never the hub.
    for (const left of [SANDBOX, SUSPENDED, vpcs.paymentsUntagged, HUB]) expect(written).not.toContain(left);
    expect(first.stdout).toContain(`Wrote ${file()}: 2 accounts and 2 VPCs added.`);
  });

  test('the result is a valid configuration', () => {
    expect(loadConfig(dir).accounts.map((a) => a.id)).toEqual([LISTED, PAYMENTS, DATA]);
  });

  test('an account whose planner role cannot be assumed is listed and skipped, not fatal', () => {
    expect(first.stdout).toMatch(
      new RegExp(
        `Skipped: 1 account whose planner role could not be used\\n {2}! ${LOCKED} \\(account-${LOCKED}\\): .*AccessDenied`,
      ),
    );
    expect(written).not.toContain(LOCKED);
  });

  test('a second run changes nothing, byte for byte; --check agrees (exit 0)', async () => {
    const again = await discover(FILTER);
    expect(again.status).toBe(0);
    expect(text()).toBe(written);
    expect(again.stdout).toContain('is in step with the organization.');
    const check = await discover(['--check', ...FILTER]);
    expect(check.status).toBe(0);
  });

  test('a new account and a new VPC: --check fails naming them; the next run adds exactly those', async () => {
    fake.setOrganization(organization({}, [HUB, PAYMENTS, DATA, SUSPENDED, LOCKED, LISTED, SANDBOX, LATE]));
    const late = await createVpc(LATE, '10.7.0.0/16', true);
    const second = await createVpc(PAYMENTS, '10.8.0.0/16', true);
    const check = await discover(['--check', ...FILTER]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`To add: 1 account\n  + ${LATE} (account-${LATE}): ${late}`);
    expect(check.stdout).toContain(`+ ${PAYMENTS}: ${second}`);
    expect(text()).toBe(written); // --check writes nothing
    const run = await discover(FILTER);
    expect(run.status).toBe(0);
    const after = text();
    expect(after).toBe(
      written.replace(`vpcIds: [${vpcs.payments}]`, `vpcIds: [${vpcs.payments}, ${second}]`) +
        `  - id: "${LATE}"\n    name: account-${LATE}\n    vpcIds: [${late}]\n`,
    );
    written = after;
  });

  test('an account that left the organization is reported with the retirement steps and stays', async () => {
    fake.setOrganization(organization({}, [HUB, PAYMENTS, SUSPENDED, LOCKED, LISTED, SANDBOX, LATE]));
    try {
      const run = await discover(FILTER);
      expect(run.status).toBe(0);
      expect(text()).toBe(written);
      expect(run.stdout).toContain(
        `  - ${DATA} (data-platform) is not an account of the organization (it left, or never joined)\n` +
          `      retire it: 1. retired: true on its entry in accounts.yaml; 2. npx cdktf deploy spoke-${DATA}; ` +
          '3. delete the entry; 4. npx cdktf deploy hub; 5. delete its state (docs/operations.md, "Remove an account")',
      );
      expect((await discover(['--check', ...FILTER])).status).toBe(1);
    } finally {
      fake.setOrganization(organization({}, [HUB, PAYMENTS, DATA, SUSPENDED, LOCKED, LISTED, SANDBOX, LATE]));
    }
  });

  test('the hand-written entry and the comments survived every run', () => {
    expect(written.startsWith(ACCOUNTS.replace('LISTED_VPC', vpcs.listed))).toBe(true);
  });

  test('--json: the result for tools', async () => {
    const run = await discover(['--json', '--check', ...FILTER]);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ differs: false, written: false, organizationalUnits: [WORKLOADS] });
    expect(json.calls.organizations).toBeGreaterThan(0);
  });
});

describe('filters from hub.yaml, and the CIDR filter', () => {
  test('discovery in hub.yaml is read when the command line gives none; --cidr-within narrows it', async () => {
    const saved = readFileSync(join(dir, 'hub.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'hub.yaml'),
      `${saved}discovery:\n  organizationalUnits: [${WORKLOADS}]\n  vpcTags: { vpce-hub: "true" }\n`,
    );
    try {
      const run = await discover(['--check']);
      expect(run.stdout).toContain(`under ${WORKLOADS}`);
      expect(run.stdout).toContain('VPCs with tag vpce-hub=true');
      const narrow = await discover(['--check', '--cidr-within', '10.1.0.0/16']);
      expect(narrow.stdout).toContain('CIDR within 10.1.0.0/16');
      // Every other listed account's VPC is outside 10.1.0.0/16: reported, never removed.
      expect(narrow.stdout).toMatch(new RegExp(`- ${DATA} \\(data-platform\\) has no VPC that matches`));
      expect(narrow.status).toBe(1);
    } finally {
      writeFileSync(join(dir, 'hub.yaml'), saved);
    }
  });
});

describe('bad input: one clear line, exit 2, no stack trace', () => {
  const oneLine = (result: Awaited<ReturnType<typeof discover>>, pattern: RegExp) => {
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  test('no credentials', async () => {
    oneLine(
      await discover(FILTER, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
      /^discover: AWS credentials: no AWS credentials: set AWS_PROFILE/,
    );
  });

  test('an OU that does not exist', async () => {
    oneLine(
      await discover(['--ou', 'ou-root-nosuchou1', '--tag', 'vpce-hub=true']),
      /^discover: organizational unit ou-root-nosuchou1 does not exist in this organization/,
    );
  });

  test('a filter that matches nothing', async () => {
    oneLine(
      await discover(['--ou', WORKLOADS, '--tag', 'vpce-hub=nope']),
      /^discover: the filter \(tag vpce-hub=nope\) matches no VPC in the \d+ accounts read in ap-northeast-1/,
    );
  });

  test('a configuration with problems: they are listed, discover did not run', async () => {
    const saved = readFileSync(join(dir, 'hub.yaml'), 'utf8');
    writeFileSync(join(dir, 'hub.yaml'), saved.replace('region: ap-northeast-1', 'region: mars-1'));
    try {
      const run = await discover(FILTER);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^vpce-hub: the configuration has 1 problem; discover did not run\.\n.*hub\.yaml:3:/);
    } finally {
      writeFileSync(join(dir, 'hub.yaml'), saved);
    }
  });

  test('no filter at all', async () => {
    oneLine(await discover(['--ou', WORKLOADS]), /^discover: no VPC filter: give --tag KEY=VALUE or --cidr-within/);
  });

  test('credentials of an account that may not read the organization', async () => {
    oneLine(
      await discover(FILTER, { AWS_ACCESS_KEY_ID: HUB }),
      /^discover: AWS Organizations \(run as the management account or a delegated administrator.*\): AccessDeniedException/,
    );
  });

  test('an endpoint URL that refuses connections', async () => {
    oneLine(
      await discover(FILTER, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
      /^discover: .*cannot reach the AWS endpoint \(ECONNREFUSED/,
    );
  }, 30_000);

  test('usage mistakes: an OU ID, a tag, a CIDR', async () => {
    for (const args of [
      ['--ou', 'ou-x'],
      ['--tag', 'novalue'],
      ['--cidr-within', '10.0.0.0'],
    ]) {
      const result = await discover(args);
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(/^discover: --(ou|tag|cidr-within) /);
    }
  });
});

describe('what discover found must make a valid configuration', () => {
  test('over a quota: the problems, accounts.yaml unchanged, exit 2', async () => {
    const saved = readFileSync(join(dir, 'hub.yaml'), 'utf8');
    const before = text();
    // Room for the 5 listed spoke VPCs and the hub's, not one more.
    writeFileSync(join(dir, 'hub.yaml'), `${saved}limits:\n  vpcAssociationsPerZone: 6\n`);
    const vpcId = await createVpc('222222222227', '10.10.0.0/16', true);
    fake.setOrganization(organization({}, [HUB, PAYMENTS, DATA, SUSPENDED, LOCKED, LISTED, SANDBOX, '222222222227']));
    try {
      const run = await discover(FILTER);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^vpce-hub: the configuration has 1 problem; with what discover found, .*accounts\.yaml was not written\.\n/,
      );
      expect(run.stderr).toContain('over the quota of 6 VPC associations per private hosted zone');
      expect(text()).toBe(before);
      expect(text()).not.toContain(vpcId);
    } finally {
      writeFileSync(join(dir, 'hub.yaml'), saved);
    }
  });
});
