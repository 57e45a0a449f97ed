/**
 * The Terraform benchmark (`npm run bench -- --terraform`): what users wait for is not synth but
 * `terraform plan` of the hub on every pull request that adds an account. For each size it
 * synthesizes a generated configuration (9 services, one VPC per account), applies the hub and one
 * spoke with the real terraform and AWS provider against the local AWS fake, and reports per stack:
 *
 * - resource instances;
 * - `plan -refresh=false` seconds on an empty state (every instance to create) and on the applied
 *   state (nothing to change: the plan of a pull request, without reading AWS);
 * - terraform's peak memory (GNU time, where the machine has it);
 * - the API calls of a refresh plan (`terraform plan` as users run it), counted by the fake, and
 *   what Route 53's rate of about 5 requests per second per account makes of them.
 *
 * Targets (2 cores): the hub's plan at 1000 accounts under 60 s, and at most 6 times its time at 100.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../lib/config/load';
import { Deployment } from '../test/e2e/deployment';
import { E2eProject } from '../test/e2e/project';
import { findToolchain, TerraformRunner, writeCliConfig, type TerraformRun } from '../test/e2e/terraform';
import { createVpcs, seedVpcs } from '../test/e2e/world-setup';
import { AwsEndpointClient } from '../test/fake-aws/client';
import { FakeAws } from '../test/fake-aws/server';
import { HUB_STACK } from '../lib/stack-names';
import {
  GENERATED_HUB_ACCOUNT,
  GENERATED_ORGANIZATION_ID,
  GENERATED_SHARING,
  writeGeneratedConfig,
  type GeneratedSharing,
} from '../test/fixtures/generate-config';
import { HubStack } from '../lib/stacks/hub-stack';
import { Testing } from '../lib/framework/cdktf';
import { progress } from '../lib/commands/progress';
import { countResourceInstances } from '../lib/state/stack-holdings';
import { machineLine } from './readme-blocks';
import type { BenchResult } from './synth-bench';

/** The services of the benchmark's configurations: the 9. */
export const BENCH_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  's3',
  'logs',
  'sts',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'secretsmanager',
];

const TARGET = { seconds: 60, ratio: 6, small: 100, large: 1000 };
/** Route 53 allows about 5 requests per second per account, across all its APIs. */
const ROUTE53_REQUESTS_PER_SECOND = 5;

/** One stack's figures at one size. */
export interface StackFigures {
  readonly accounts: number;
  readonly sharing: GeneratedSharing;
  readonly stack: string;
  readonly instances: number;
  readonly firstPlanSeconds: number;
  readonly replanSeconds: number;
  /** The same plan without the `moved` blocks of the first release (upgrade.firstReleaseMoves: false). */
  readonly replanWithoutMovesSeconds?: number;
  readonly peakMegabytes?: number;
  readonly refreshCalls?: number;
  readonly refreshRoute53Calls?: number;
}

/** `Plan: N to add, ...` of a plan's output. */
function plannedCreates(run: TerraformRun): number {
  return Number(/Plan: (\d+) to add/.exec(run.stdout)?.[1] ?? 0);
}

function maxMemory(...runs: TerraformRun[]): number | undefined {
  const values = runs.map((r) => r.peakMegabytes).filter((v): v is number => v !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/** Plans, applies and refresh-plans one stack; the figures of the table. */
async function measureStack(
  deployment: Deployment,
  fake: FakeAws,
  accounts: number,
  sharing: GeneratedSharing,
  stack: string,
): Promise<StackFigures> {
  await deployment.init(stack);
  const first = await deployment.terraform(
    stack,
    ['plan', '-input=false', '-refresh=false', '-parallelism=32', '-out=bench.tfplan'],
    {
      okCodes: [0, 2],
      forApply: true,
    },
  );
  await deployment.terraform(stack, ['apply', '-input=false', '-parallelism=256', 'bench.tfplan']);
  const replan = await deployment.terraform(stack, ['plan', '-input=false', '-refresh=false', '-detailed-exitcode']);
  let withoutMoves: TerraformRun | undefined;
  const json = deployment.project.stackJson(stack);
  if (json.moved) {
    const { moved: _moved, ...rest } = json;
    deployment.project.writeStackJson(stack, rest);
    withoutMoves = await deployment.terraform(stack, ['plan', '-input=false', '-refresh=false', '-detailed-exitcode']);
    deployment.project.writeStackJson(stack, json);
  }
  const since = fake.calls().length + 1;
  // A plan as users run it: Terraform's default parallelism, every instance read back.
  await deployment.terraform(stack, ['plan', '-input=false', '-detailed-exitcode']);
  const calls = fake.calls(since).filter((c) => c.label === `${stack} plan`);
  return {
    accounts,
    sharing,
    stack,
    instances: plannedCreates(first),
    firstPlanSeconds: first.seconds,
    replanSeconds: replan.seconds,
    replanWithoutMovesSeconds: withoutMoves?.seconds,
    peakMegabytes: maxMemory(first, replan, ...(withoutMoves ? [withoutMoves] : [])),
    refreshCalls: calls.length,
    refreshRoute53Calls: calls.filter((c) => c.service === 'route53').length,
  };
}

const HEADER = [
  '| accounts | sharing | stack | resource instances | plan -refresh=false, empty state (s) | plan -refresh=false, applied (s) | ' +
    'the same without the upgrade moves (s) | peak RSS (MB) | refresh plan: API calls | of them Route 53 | ' +
    'Route 53 minutes at 5 req/s | measured |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

function row(f: StackFigures, date: string): string {
  const minutes =
    f.refreshRoute53Calls === undefined ? '' : (f.refreshRoute53Calls / ROUTE53_REQUESTS_PER_SECOND / 60).toFixed(1);
  return (
    `| ${f.accounts} | ${f.sharing} | ${f.stack} | ${f.instances} | ` +
    `${f.firstPlanSeconds.toFixed(1)} | ${f.replanSeconds.toFixed(1)} | ${f.replanWithoutMovesSeconds?.toFixed(1) ?? '-'} | ` +
    `${f.peakMegabytes?.toFixed(0) ?? 'n/a'} | ${f.refreshCalls ?? 'n/a'} | ${f.refreshRoute53Calls ?? 'n/a'} | ` +
    `${minutes} | ${date} |`
  );
}

/** The cells of a markdown table row. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** The timing rows of a previous table (its rows start with the number of accounts). */
export function previousRows(block: string): string[] {
  return block
    .split('\n')
    .filter((line) => line.startsWith('| ') && /^\d+$/.test(cells(line)[0] ?? '') && cells(line).length === 12)
    .map((line) => `| ${cells(line).join(' | ')} |`);
}

/** The heading of the per-account table. */
const PER_ACCOUNT_HEADER = [
  '| sharing | accounts | hub resource instances | with one more account | added per account |',
  '| --- | --- | --- | --- | --- |',
];

/** The rows of a previous block's per-account table. */
export function previousPerAccountRows(block: string): string[] {
  return block
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('| ') &&
        GENERATED_SHARING.includes(cells(line)[0] as GeneratedSharing) &&
        /^\d+$/.test(cells(line)[1] ?? ''),
    );
}

/** New per-account rows replace old ones of the same sharing and accounts; sorted by mode, then accounts. */
export function mergePerAccountRows(old: readonly string[], fresh: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const line of [...old, ...fresh]) byKey.set(cells(line).slice(0, 2).join('|'), line);
  const rank = (line: string) => [
    GENERATED_SHARING.indexOf(cells(line)[0] as GeneratedSharing),
    Number(cells(line)[1]),
  ];
  return [...byKey.values()].sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
}

/** New rows replace old ones of the same accounts, sharing and stack; sorted by accounts, mode, hub first. */
export function mergeRows(old: readonly string[], fresh: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const line of [...old, ...fresh]) byKey.set(cells(line).slice(0, 3).join('|'), line);
  const rank = (line: string) => {
    const [accounts, sharing, stack] = cells(line);
    return [Number(accounts), GENERATED_SHARING.indexOf(sharing as GeneratedSharing), stack === HUB_STACK ? 0 : 1];
  };
  return [...byKey.values()].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/** The targets, judged on the hub rows of a table (the plan of a pull request, the applied state). */
export function verdicts(rows: readonly string[]): { lines: string[]; missed: boolean } {
  const lines: string[] = [];
  let missed = false;
  const hub = (accounts: number, sharing: string) =>
    rows.map(cells).find((c) => Number(c[0]) === accounts && c[1] === sharing && c[2] === HUB_STACK);
  for (const sharing of GENERATED_SHARING) {
    const large = hub(TARGET.large, sharing);
    const small = hub(TARGET.small, sharing);
    const variants: Array<[string, number]> = [['', 5]];
    if (large?.[6] && large[6] !== '-') variants.push([', without the upgrade moves', 6]);
    for (const [label, column] of variants) {
      const l = large ? Number(large[column]) : undefined;
      const m = small ? Number(small[column]) : undefined;
      const moves = column === 5 && large?.[6] && large[6] !== '-' ? ' (with the upgrade moves, the default)' : '';
      if (l !== undefined) {
        const ok = l < TARGET.seconds;
        missed ||= !ok;
        lines.push(
          `${sharing}: hub plan at ${TARGET.large} accounts${moves}${label}: ${l.toFixed(1)} s (target < ${TARGET.seconds} s: ${ok ? 'met' : 'MISSED'})`,
        );
      }
      if (l !== undefined && m !== undefined && m > 0) {
        const ratio = l / m;
        const ok = ratio <= TARGET.ratio;
        missed ||= !ok;
        lines.push(
          `${sharing}: ${TARGET.large} vs ${TARGET.small} accounts${moves}${label}: ` +
            `${ratio.toFixed(1)}x (target <= ${TARGET.ratio}x: ${ok ? 'met' : 'MISSED'})`,
        );
      }
    }
  }
  return { lines, missed };
}

/** The hub's resource instances for a generated configuration of `accounts` accounts. */
function hubInstances(accounts: number, sharing: GeneratedSharing, work: string): number {
  const dir = join(work, `count-${sharing}-${accounts}`);
  writeGeneratedConfig(dir, { accounts, services: BENCH_SERVICES, sharing });
  const config = loadConfig(dir);
  const app = Testing.app({ outdir: join(dir, 'out') });
  return countResourceInstances(
    JSON.parse(
      Testing.synth(
        new HubStack(app, { config, stateLayout: { outdir: join(dir, 'out'), stateDir: join(dir, 'state') } }),
      ),
    ),
  ).instances;
}

/** What one more account adds to the hub, per sharing mode: from synth output, no Terraform needed. */
function perAccountTable(sizes: readonly number[], modes: readonly GeneratedSharing[], work: string): string[] {
  const lines: string[] = [];
  for (const sharing of modes) {
    for (const accounts of sizes) {
      const before = hubInstances(accounts, sharing, work);
      const after = hubInstances(accounts + 1, sharing, work);
      lines.push(`| ${sharing} | ${accounts} | ${before} | ${after} | ${after - before} |`);
    }
  }
  return lines;
}

/** The organization of the generated configurations, in the fake: every account, RAM sharing on. */
function organizationOf(config: ReturnType<typeof loadConfig>) {
  return {
    id: GENERATED_ORGANIZATION_ID,
    managementAccount: GENERATED_HUB_ACCOUNT,
    accounts: [GENERATED_HUB_ACCOUNT, ...config.accounts.map((a) => a.id)],
    ous: {},
    ramSharingEnabled: true,
  };
}

/** Runs the Terraform benchmark; prints its table as it goes. */
export async function runTerraformBench(options: {
  readonly sizes: readonly number[];
  readonly sharing?: readonly GeneratedSharing[];
}): Promise<BenchResult> {
  const toolchain = findToolchain();
  if (!toolchain.ok) {
    process.stdout.write(`bench --terraform: skipped: ${toolchain.missing}\n`);
    return { exitCode: 0 };
  }
  const modes = options.sharing ?? GENERATED_SHARING;
  const work = mkdtempSync(join(tmpdir(), 'vpce-tf-bench-'));
  mkdirSync(join(work, 'plugin-cache'));
  const runner = new TerraformRunner({
    terraform: toolchain.terraform,
    cliConfig: writeCliConfig(join(work, 'terraform.rc'), toolchain.mirror),
    pluginCache: join(work, 'plugin-cache'),
    measureMemory: true,
  });
  const date = new Date().toISOString().slice(0, 10);
  process.stdout.write(
    `vpce-hub terraform benchmark: terraform ${toolchain.terraformVersion}, ` +
      `hashicorp/aws ${toolchain.mirror.awsVersion} from the mirror, the local AWS fake; ` +
      `${BENCH_SERVICES.length} services, one VPC per account\n${HEADER.join('\n')}\n`,
  );
  const figures: StackFigures[] = [];
  const shown = progress('bench --terraform');
  let perAccount: string[] = [];
  try {
    shown.update('counting what one more account adds to the hub');
    perAccount = perAccountTable(options.sizes, modes, work);
    for (const accounts of options.sizes) {
      for (const sharing of modes) {
        const fake = await FakeAws.start();
        try {
          const project = new E2eProject(join(work, `accounts-${accounts}-${sharing}`));
          writeGeneratedConfig(project.configDir, { accounts, services: BENCH_SERVICES, sharing });
          shown.update(`${accounts} accounts, ${sharing}: synth`);
          project.synth();
          project.writeOverrides(toolchain.mirror, fake.url);
          const config = loadConfig(project.configDir);
          // The bench associates one spoke only; the quotas are not what it measures.
          fake.world.data.vpcsPerZone = accounts + 1;
          fake.world.setOrganization(organizationOf(config));
          shown.update(`${accounts} accounts, ${sharing}: creating ${accounts + 1} VPCs in the fake`);
          await createVpcs(new AwsEndpointClient(fake.url), config.hub.region, seedVpcs(config));
          const deployment = new Deployment(project, runner, {
            operatorAccount: GENERATED_HUB_ACCOUNT,
            group: `${accounts}-${sharing}`,
          });
          for (const stack of [HUB_STACK, deployment.spokes()[0]].filter((s): s is string => s !== undefined)) {
            shown.update(`${accounts} accounts, ${sharing}: ${stack} (plan, apply, plan, refresh plan)`);
            const result = await measureStack(deployment, fake, accounts, sharing, stack);
            figures.push(result);
            shown.done();
            process.stdout.write(`${row(result, date)}\n`);
          }
        } finally {
          await fake.close();
        }
      }
    }
  } finally {
    shown.done();
    rmSync(work, { recursive: true, force: true });
  }
  const fresh = figures.map((f) => row(f, date));
  const render = (rows: readonly string[], perAccountRows: readonly string[]) =>
    [
      machineLine(),
      '',
      ...HEADER,
      ...rows,
      '',
      ...verdicts(rows).lines.map((v) => `- ${v}`),
      '',
      'What one more account adds to the hub (synth output, 9 services, one VPC per account):',
      '',
      ...PER_ACCOUNT_HEADER,
      ...perAccountRows,
    ].join('\n');
  const judged = verdicts(fresh);
  process.stdout.write(`\n${[...PER_ACCOUNT_HEADER, ...perAccount].join('\n')}\n\n${judged.lines.join('\n')}\n`);
  return {
    exitCode: judged.missed ? 1 : 0,
    readme: (previous) =>
      render(
        mergeRows(previousRows(previous), fresh),
        mergePerAccountRows(previousPerAccountRows(previous), perAccount),
      ),
  };
}
