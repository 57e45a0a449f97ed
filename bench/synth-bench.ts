/**
 * The synth benchmark (`npm run bench`): synthesizes generated configurations of 10, 100 and 1000
 * accounts with the app exactly as cdktf.json runs it, and prints wall time and peak memory (max
 * RSS) of each. Target on a 2-core machine: 1000 accounts in under 4 s and 400 MB.
 *
 * Each size is run `runs` times; the table shows the median time and the highest peak memory. On a
 * terminal, a progress line on stderr names each run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeGeneratedConfig } from '../test/fixtures/generate-config';
import { progress } from '../lib/commands/progress';
import { runApp } from '../lib/synth/run-app';
import { machineLine } from './readme-blocks';

const ROOT = resolve(__dirname, '..');
const TARGET = { accounts: 1000, seconds: 4, megabytes: 400 };

/** What a benchmark run produced: its exit code and, for docs/performance.md, its table. */
export interface BenchResult {
  readonly exitCode: number;
  /** Its docs/performance.md block, from the block's previous text (the Terraform bench keeps the rows this run did not measure). */
  readonly readme?: (previous: string) => string;
}

/** A synth that failed (exit code 1, its stderr shown). */
class SynthFailed extends Error {}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? folderBytes(path) : stat.size);
  }, 0);
}

interface Run {
  readonly seconds: number;
  /** User plus system CPU time of the app: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly megabytes: number;
  readonly stacks: number;
  readonly outputMegabytes: number;
}

/** One synth of a generated config, in a child process like `cdktf synth` starts it. */
function runOnce(accounts: number, work: string): Run {
  const configDir = join(work, `config-${accounts}`);
  const outdir = join(work, `out-${accounts}`);
  const usageFile = join(work, 'usage.json');
  writeGeneratedConfig(configDir, { accounts });
  rmSync(outdir, { recursive: true, force: true });
  const started = performance.now();
  const result = runApp({
    cwd: ROOT,
    outdir,
    env: { VPCE_CONFIG_DIR: configDir, VPCE_BENCH_USAGE_FILE: usageFile },
    nodeArgs: ['--require', join(work, 'probe.cjs')],
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new SynthFailed(`synth of ${accounts} accounts failed (exit ${result.status}):\n${result.stderr}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
    maxRSS: number;
    userCPUTime: number;
    systemCPUTime: number;
  };
  return {
    seconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    megabytes: usage.maxRSS / 1024,
    stacks: readdirSync(join(outdir, 'stacks')).length,
    outputMegabytes: folderBytes(outdir) / 1024 / 1024,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the synth benchmark; prints its table as it goes. */
export function runSynthBench(options: { readonly sizes: readonly number[]; readonly runs: number }): BenchResult {
  const { sizes, runs } = options;
  const work = mkdtempSync(join(tmpdir(), 'vpce-hub-bench-'));
  // Records the child's resource usage as it exits (maxRSS in kilobytes, CPU times in microseconds).
  writeFileSync(
    join(work, 'probe.cjs'),
    "process.on('exit', () => require('fs').writeFileSync(process.env.VPCE_BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage())));\n",
  );
  const rows = [
    '| accounts | stacks | wall time (s) | CPU time (s) | peak RSS (MB) | output (MB) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  console.log(
    `vpce-hub synth benchmark: node --import tsx main.ts, ${runs} run(s) per size, median times, highest peak RSS`,
  );
  rows.forEach((row) => console.log(row));
  let failed = false;
  try {
    for (const accounts of sizes) {
      const shown = progress('bench');
      let results: Run[];
      try {
        results = Array.from({ length: runs }, (_, run) => {
          shown.update(`${accounts} accounts, run ${run + 1} of ${runs}`);
          return runOnce(accounts, work);
        });
      } finally {
        shown.done();
      }
      const seconds = median(results.map((r) => r.seconds));
      const cpuSeconds = median(results.map((r) => r.cpuSeconds));
      const megabytes = Math.max(...results.map((r) => r.megabytes));
      const { stacks, outputMegabytes } = results[0];
      let verdict = '';
      if (accounts === TARGET.accounts) {
        const ok = seconds < TARGET.seconds && megabytes < TARGET.megabytes;
        failed = !ok;
        verdict = ` (target < ${TARGET.seconds} s, < ${TARGET.megabytes} MB: ${ok ? 'met' : 'MISSED'})`;
      }
      const row =
        `| ${accounts} | ${stacks} | ${seconds.toFixed(2)} | ${cpuSeconds.toFixed(2)} | ` +
        `${megabytes.toFixed(0)} | ${outputMegabytes.toFixed(1)}${verdict} |`;
      rows.push(row);
      console.log(row);
    }
  } catch (error) {
    if (!(error instanceof SynthFailed)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return { exitCode: 1 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const markdown = [`${machineLine()} Median of ${runs} run(s) per size.`, '', ...rows].join('\n');
  return { exitCode: failed ? 1 : 0, readme: () => markdown };
}
