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
import { loadConfig } from '../config/load';
import { Deployment } from '../e2e/deployment';
import { E2eProject } from '../e2e/project';
import { findToolchain, TerraformRunner, writeCliConfig, type TerraformRun } from '../e2e/terraform';
import { createVpcs, seedVpcs } from '../e2e/world-setup';
import { AwsEndpointClient } from '../fake-aws/client';
import { FakeAws } from '../fake-aws/server';
import { HUB_STACK } from '../stacks/stack-names';
import { writeGeneratedConfig } from '../tools/generate-config';
import { progress } from '../tools/progress';
import { machineLine } from './readme';
import type { BenchResult } from './synth';

/** The services of the benchmark's configurations: the 9. */
export const BENCH_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'sts', 'ssm', 'ssmmessages', 'ec2messages', 'secretsmanager'];

const TARGET = { seconds: 60, ratio: 6, small: 100, large: 1000 };
/** Route 53 allows about 5 requests per second per account, across all its APIs. */
const ROUTE53_REQUESTS_PER_SECOND = 5;
/** The generated configurations' hub account (lib/tools/generate-config.ts). */
const HUB_ACCOUNT = '999999999999';

/** One stack's figures at one size. */
export interface StackFigures {
  readonly accounts: number;
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
async function measureStack(deployment: Deployment, fake: FakeAws, accounts: number, stack: string): Promise<StackFigures> {
  await deployment.init(stack);
  const first = await deployment.terraform(stack, ['plan', '-input=false', '-refresh=false', '-parallelism=32', '-out=bench.tfplan'], {
    okCodes: [0, 2],
    forApply: true,
  });
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

function row(f: StackFigures): string {
  const minutes = f.refreshRoute53Calls === undefined ? '' : (f.refreshRoute53Calls / ROUTE53_REQUESTS_PER_SECOND / 60).toFixed(1);
  return `| ${f.accounts} | ${f.stack} | ${f.instances} | ${f.firstPlanSeconds.toFixed(1)} | ${f.replanSeconds.toFixed(1)} | ${f.replanWithoutMovesSeconds?.toFixed(1) ?? '-'} | ${f.peakMegabytes?.toFixed(0) ?? 'n/a'} | ${f.refreshCalls ?? 'n/a'} | ${f.refreshRoute53Calls ?? 'n/a'} | ${minutes} |`;
}

/** Runs the Terraform benchmark; prints its table as it goes. */
export async function runTerraformBench(options: { readonly sizes: readonly number[] }): Promise<BenchResult> {
  const toolchain = findToolchain();
  if (!toolchain.ok) {
    process.stdout.write(`bench --terraform: skipped: ${toolchain.missing}\n`);
    return { exitCode: 0 };
  }
  const work = mkdtempSync(join(tmpdir(), 'vpce-tf-bench-'));
  mkdirSync(join(work, 'plugin-cache'));
  const runner = new TerraformRunner({
    terraform: toolchain.terraform,
    cliConfig: writeCliConfig(join(work, 'terraform.rc'), toolchain.mirror),
    pluginCache: join(work, 'plugin-cache'),
    measureMemory: true,
  });
  const header = [
    '| accounts | stack | resource instances | plan -refresh=false, empty state (s) | plan -refresh=false, applied (s) | the same without the upgrade moves (s) | peak RSS (MB) | refresh plan: API calls | of them Route 53 | Route 53 minutes at 5 req/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  process.stdout.write(
    `vpce-hub terraform benchmark: terraform ${toolchain.terraformVersion}, hashicorp/aws ${toolchain.mirror.awsVersion} from the mirror, the local AWS fake; ${BENCH_SERVICES.length} services, one VPC per account\n${header.join('\n')}\n`,
  );
  const figures: StackFigures[] = [];
  const shown = progress('bench --terraform');
  try {
    for (const accounts of options.sizes) {
      const fake = await FakeAws.start();
      try {
        const project = new E2eProject(join(work, `accounts-${accounts}`));
        writeGeneratedConfig(project.configDir, { accounts, services: BENCH_SERVICES });
        shown.update(`${accounts} accounts: synth`);
        project.synth();
        project.writeOverrides(toolchain.mirror, fake.url);
        const config = loadConfig(project.configDir);
        // The bench associates one spoke only; the quota is not what it measures.
        fake.world.data.vpcsPerZone = accounts + 1;
        shown.update(`${accounts} accounts: creating ${accounts + 1} VPCs in the fake`);
        await createVpcs(new AwsEndpointClient(fake.url), config.hub.region, seedVpcs(config));
        const deployment = new Deployment(project, runner, { operatorAccount: HUB_ACCOUNT, group: String(accounts) });
        for (const stack of [HUB_STACK, deployment.spokes()[0]].filter((s): s is string => s !== undefined)) {
          shown.update(`${accounts} accounts: ${stack} (plan, apply, plan, refresh plan)`);
          const result = await measureStack(deployment, fake, accounts, stack);
          figures.push(result);
          shown.done();
          process.stdout.write(`${row(result)}\n`);
        }
      } finally {
        await fake.close();
      }
    }
  } finally {
    shown.done();
    rmSync(work, { recursive: true, force: true });
  }
  const hub = (n: number) => figures.find((f) => f.accounts === n && f.stack === HUB_STACK);
  const verdicts: string[] = [];
  let missed = false;
  const large = hub(TARGET.large);
  const small = hub(TARGET.small);
  // Judged on the plan of a pull request: the applied state, as deployed (with the upgrade moves,
  // the default) and as upgraded (upgrade.firstReleaseMoves: false).
  const variants: Array<[string, (f: StackFigures) => number | undefined]> = [
    ['with the upgrade moves (default)', (f) => f.replanSeconds],
    ['without the upgrade moves', (f) => f.replanWithoutMovesSeconds],
  ];
  for (const [label, seconds] of variants) {
    const l = large ? seconds(large) : undefined;
    const m = small ? seconds(small) : undefined;
    if (l !== undefined) {
      const ok = l < TARGET.seconds;
      missed ||= !ok;
      verdicts.push(`hub plan at ${TARGET.large} accounts, ${label}: ${l.toFixed(1)} s (target < ${TARGET.seconds} s: ${ok ? 'met' : 'MISSED'})`);
    }
    if (l !== undefined && m !== undefined) {
      const ratio = l / m;
      const ok = ratio <= TARGET.ratio;
      missed ||= !ok;
      verdicts.push(`${TARGET.large} vs ${TARGET.small} accounts, ${label}: ${ratio.toFixed(1)}x (target <= ${TARGET.ratio}x: ${ok ? 'met' : 'MISSED'})`);
    }
  }
  for (const verdict of verdicts) process.stdout.write(`${verdict}\n`);
  const markdown = [machineLine(), '', ...header, ...figures.map(row), '', ...verdicts.map((v) => `- ${v}`)].join('\n');
  return { exitCode: missed ? 1 : 0, markdown };
}
