/**
 * `npm run discover` in the e2e, against the fake's organization: a workloads OU (with a nested
 * prod OU) that the filter takes and a sandbox OU it leaves out, a suspended account, an account
 * whose planner role cannot be assumed, VPCs with and without the tag, and accounts.yaml with a
 * comment and a hand-written entry. Discover writes the file; it synthesizes, deploys and passes the
 * doctor; a second run changes nothing; after the organization gains an account (and a listed
 * account a VPC) the next run adds exactly those and their deployment resolves the new account's
 * `<id>.dkr.ecr` name; an account that left the organization is reported and stays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoneName, ECR_DKR } from '../../lib/services/catalog';
import { HUB_STACK, spokeStackName } from '../../lib/stack-names';
import type { Organization } from '../fake-aws/world';
import { runAwsCommand } from './aws-command';
import { E2E_HUB_ACCOUNT, E2E_HUB_YAML, E2E_REGION } from './fixtures';
import { compareResolution, describeVerdicts } from './resolution';
import {
  check,
  config,
  deployScenarios,
  describePlan,
  synth,
  type E2eTarget,
  type Scenario,
  type ScenarioOptions,
} from './scenarios';
import { createVpcs, type SeedVpc } from './world-setup';

const WORKLOADS = 'ou-e2e0-workload1';
const PROD = 'ou-e2e0-prodprod1';
const SANDBOX = 'ou-e2e0-sandbox01';
const PAYMENTS = '200000000001'; // in prod, nested in workloads
const DATA = '020000000002'; // in workloads; leaves the organization at the end
const LISTED = '200000000003'; // hand-written, at the organization's root: outside the OUs
const LATE = '200000000004'; // joins later
const SUSPENDED = '200000000005';
const LOCKED = '200000000006'; // its planner role cannot be assumed
const PLAYGROUND = '300000000001'; // in the sandbox OU
const TAG = 'vpce-hub';

/** The hub, with the discovery filter. */
export const DISCOVER_HUB_YAML = `${E2E_HUB_YAML}discovery:\n  organizationalUnits: [${WORKLOADS}]\n  vpcTags: { ${TAG}: "true" }\n`;

/** accounts.yaml before the first run: a comment and a hand-written entry. */
export const DISCOVER_ACCOUNTS_YAML = `# Spoke accounts. npm run discover adds to this list; people retire.
accounts:
  - id: "${LISTED}"   # hand-written: outside the discovered OUs
    name: legacy
    vpcIds: [vpc-0e2e00000000000c1]
`;

interface TaggedVpc extends SeedVpc {
  readonly tagged: boolean;
}

const vpc = (account: string, id: string, n: number, tagged = true): TaggedVpc => ({
  account,
  vpcId: `vpc-0e2e0000000000${id}`,
  cidr: `10.${n}.0.0/16`,
  subnets: [],
  tagged,
});

const FIRST_VPCS: readonly TaggedVpc[] = [
  vpc(PAYMENTS, '0a1', 31),
  vpc(PAYMENTS, '0a9', 32, false),
  vpc(DATA, '0b1', 33),
  vpc(LISTED, '0c1', 34),
  vpc(SUSPENDED, '0e1', 35),
  vpc(LOCKED, '0f1', 36),
  vpc(PLAYGROUND, '1a1', 37),
];
const LATE_VPCS: readonly TaggedVpc[] = [vpc(LATE, '0d1', 38), vpc(DATA, '0b2', 39)];

function organization(members: readonly string[]): Organization {
  const all = [E2E_HUB_ACCOUNT, ...members];
  return {
    id: 'o-e2etest0001',
    managementAccount: E2E_HUB_ACCOUNT,
    accounts: all,
    ous: {
      [WORKLOADS]: all.filter((a) => [PAYMENTS, DATA, LATE, SUSPENDED, LOCKED].includes(a)),
      [PROD]: all.filter((a) => a === PAYMENTS),
      [SANDBOX]: all.filter((a) => a === PLAYGROUND),
    },
    ouParents: { [PROD]: WORKLOADS },
    names: Object.fromEntries(
      Object.entries({ [PAYMENTS]: 'Payments', [DATA]: 'Data Platform', [LATE]: 'new team' }).filter(([id]) =>
        all.includes(id),
      ),
    ),
    suspended: all.includes(SUSPENDED) ? [SUSPENDED] : [],
    ramSharingEnabled: true,
  };
}

const FIRST_MEMBERS = [PAYMENTS, DATA, LISTED, SUSPENDED, LOCKED, PLAYGROUND];

/** Creates the VPCs (with the tag where `tagged`) that do not exist yet. */
async function createTaggedVpcs(target: E2eTarget, vpcs: readonly TaggedVpc[]): Promise<void> {
  for (const v of vpcs) {
    await createVpcs(target.client, E2E_REGION, [v]);
    if (v.tagged) {
      await target.client.ec2(v.account, E2E_REGION, 'CreateTags', {
        'ResourceId.1': v.vpcId,
        'Tag.1.Key': TAG,
        'Tag.1.Value': 'true',
      });
    }
  }
}

/** Runs `npm run discover` (the command, as a process) against the target's fake, as the management account. */
function discover(target: E2eTarget, endpoint: string, args: string[] = []) {
  return runAwsCommand('discover', args, {
    configDir: target.project.configDir,
    endpoint,
    operator: E2E_HUB_ACCOUNT,
    label: 'discover',
  });
}

const accountsText = (target: E2eTarget) => readFileSync(join(target.project.configDir, 'accounts.yaml'), 'utf8');

/** The discover flow. */
export function discoverScenarios(target: E2eTarget, options: ScenarioOptions): Scenario[] {
  const { endpoint } = options;
  // No re-plan and no destroy: the other flows prove them on configurations of the same kind, and the
  // e2e's CPU is its time (docs/development.md, "Prove it with real Terraform").
  const [deploy, resolution] = deployScenarios(target, options);
  let written = '';
  return [
    {
      name:
        `${target.label}: npm run discover writes accounts.yaml from the organization: the active accounts under the ` +
        'workloads OU (nested too) with tagged VPCs; not the sandbox OU, the suspended account, untagged VPCs; the ' +
        'account without its role listed and skipped; the comment and the hand-written entry kept',
      needsFake: true,
      run: async () => {
        await target.client.setOrganization(organization(FIRST_MEMBERS));
        await createTaggedVpcs(target, FIRST_VPCS);
        const denied = `arn:aws:iam::${LOCKED}:role/vpce-spoke-planner`;
        await fetch(`${endpoint}/_fake/deny-assume?role=${encodeURIComponent(denied)}`, { method: 'POST' });
        const run = await discover(target, endpoint);
        check(run.status === 0, `discover exit ${run.status}:\n${run.stderr}\n${run.stdout}`);
        written = accountsText(target);
        const expected =
          DISCOVER_ACCOUNTS_YAML +
          `  - id: "${DATA}"\n    name: Data-Platform\n    vpcIds: [vpc-0e2e00000000000b1]\n` +
          `  - id: "${PAYMENTS}"\n    name: Payments\n    vpcIds: [vpc-0e2e00000000000a1]\n`;
        check(written === expected, `accounts.yaml is:\n${written}\nnot:\n${expected}`);
        check(
          new RegExp(`Skipped: 1 account whose planner role could not be used\\n {2}! ${LOCKED} .*AccessDenied`).test(
            run.stdout,
          ),
          `the locked account is not listed as skipped:\n${run.stdout}`,
        );
        return `2 accounts added (${DATA}, ${PAYMENTS}), ${LOCKED} skipped (AccessDenied); comment and hand-written entry kept`;
      },
    },
    deploy,
    resolution,
    {
      name: `${target.label}: a second discover run changes nothing, byte for byte; --check exits 0`,
      needsFake: true,
      run: async () => {
        const again = await discover(target, endpoint);
        check(again.status === 0, `discover exit ${again.status}: ${again.stderr}`);
        check(accountsText(target) === written, 'the second run changed accounts.yaml');
        const checked = await discover(target, endpoint, ['--check']);
        check(checked.status === 0, `--check exit ${checked.status}:\n${checked.stdout}`);
        return 'accounts.yaml byte for byte the same; --check 0';
      },
    },
    {
      name:
        `${target.label}: the organization gains an account and a listed account a VPC: --check exits 1, the next run ` +
        "adds exactly those; hub and the two spokes applied, the new account's <id>.dkr.ecr name resolves",
      needsFake: true,
      run: async () => {
        await target.client.setOrganization(organization([...FIRST_MEMBERS, LATE]));
        await createTaggedVpcs(target, LATE_VPCS);
        const checked = await discover(target, endpoint, ['--check']);
        check(checked.status === 1, `--check exit ${checked.status}, not 1:\n${checked.stdout}`);
        const run = await discover(target, endpoint);
        check(run.status === 0, `discover exit ${run.status}: ${run.stderr}`);
        const expected =
          written.replace('vpcIds: [vpc-0e2e00000000000b1]', 'vpcIds: [vpc-0e2e00000000000b1, vpc-0e2e00000000000b2]') +
          `  - id: "${LATE}"\n    name: new-team\n    vpcIds: [vpc-0e2e00000000000d1]\n`;
        const after = accountsText(target);
        check(after === expected, `accounts.yaml is:\n${after}\nnot:\n${expected}`);
        written = after;
        synth(target, options.mirror, endpoint);
        await target.deployment.apply(HUB_STACK);
        await target.deployment.apply(spokeStackName(LATE));
        await target.deployment.apply(spokeStackName(DATA));
        const host = `${LATE}.${zoneName(ECR_DKR, config(target).hub.region)}`;
        const answer = await target.client.resolve('vpc-0e2e00000000000d1', host);
        check(answer.result === 'answer' && answer.endpoint?.service === ECR_DKR, `${host}: ${JSON.stringify(answer)}`);
        const result = await compareResolution(target.project.outdir, target.client);
        check(
          result.disagreements.length === 0 && result.failures.length === 0,
          describeVerdicts([...result.disagreements, ...result.failures]),
        );
        const hub = await target.deployment.plan(HUB_STACK);
        check(hub.exitCode === 0, `the hub re-plans with changes: ${describePlan(hub)}`);
        return `added ${LATE} and vpc-0e2e00000000000b2, nothing else; ${host} resolves to the ecr.dkr endpoint; ${result.names.length} names resolve`;
      },
    },
    {
      name: `${target.label}: an account that left the organization is reported with its retirement steps and stays in accounts.yaml`,
      needsFake: true,
      run: async () => {
        await target.client.setOrganization(organization([...FIRST_MEMBERS, LATE].filter((a) => a !== DATA)));
        const run = await discover(target, endpoint);
        check(run.status === 0, `discover exit ${run.status}: ${run.stderr}`);
        check(accountsText(target) === written, 'accounts.yaml changed');
        check(
          run.stdout.includes(`- ${DATA} (Data-Platform) is not an account of the organization`) &&
            run.stdout.includes(
              `retire it: 1. retired: true on its entry in accounts.yaml; 2. npx cdktf deploy spoke-${DATA}`,
            ),
          `no retirement steps for ${DATA}:\n${run.stdout}`,
        );
        const checked = await discover(target, endpoint, ['--check']);
        check(checked.status === 1, `--check exit ${checked.status}, not 1`);
        return `${DATA} reported with the retirement steps, kept; --check 1`;
      },
    },
  ];
}
