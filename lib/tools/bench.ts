/**
 * `npm run bench`: synthesizes generated configurations of 10, 100 and 1000 accounts with the app
 * exactly as cdktf.json runs it, and prints wall time and peak memory (max RSS) of each.
 * Target on a 2-core machine: 1000 accounts in under 4 s and 400 MB.
 *
 * Options: `--sizes 10,100,1000` and `--runs 3` (each size is run that many times; the table shows the
 * median time and the highest peak memory). On a terminal, a progress line on stderr names each run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeGeneratedConfig } from './generate-config';
import { progress } from './progress';
import { runApp } from './run-app';

const ROOT = resolve(__dirname, '..', '..');
const TARGET = { accounts: 1000, seconds: 4, megabytes: 400 };

const USAGE = `usage: npm run bench -- [--sizes 10,100,1000] [--runs 3]

Synthesizes generated configurations of each size (number of accounts) the way cdktf.json runs
the app, and prints the median wall time and CPU time and the highest peak memory of the runs.
The full default run takes about a minute.

  --sizes N,N,...    account counts to measure (default: 10,100,1000)
  --runs N           runs per size (default: 3)
  -h, --help         this text
Exit codes: 0 measured (and the 1000-account target met, if measured), 1 target missed or a
synth failed, 2 bad usage.`;

/** The measurement a command line asks for. */
export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly runs: number;
}

/** A usage mistake (exit code 2). */
class UsageError extends Error {}

/** A synth that failed (exit code 1, its stderr shown). */
class SynthFailed extends Error {}

function positiveInteger(text: string, what: string, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${what}: "${text}" is not a whole number from 1 to ${max}`);
  }
  return value;
}

/** Parses the options; `help` when --help was given. Throws {@link UsageError}. */
export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sizes: { type: 'string', default: '10,100,1000' },
        runs: { type: 'string', default: '3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  return {
    sizes: values.sizes.split(',').map((size) => positiveInteger(size, '--sizes', 100000)),
    runs: positiveInteger(values.runs, '--runs', 100),
  };
}

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
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS: number; userCPUTime: number; systemCPUTime: number };
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

/** Runs the benchmark with command-line arguments; returns the exit code. */
function main(argv: string[]): number {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { sizes, runs } = options;
  const work = mkdtempSync(join(tmpdir(), 'vpce-hub-bench-'));
  // Records the child's resource usage as it exits (maxRSS in kilobytes, CPU times in microseconds).
  writeFileSync(
    join(work, 'probe.cjs'),
    "process.on('exit', () => require('fs').writeFileSync(process.env.VPCE_BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage())));\n",
  );
  console.log(`vpce-hub synth benchmark: node --import tsx main.ts, ${runs} run(s) per size, median times, highest peak RSS`);
  console.log('accounts | stacks | wall time (s) | CPU time (s) | peak RSS (MB) | output (MB)');
  console.log('-------- | ------ | ------------- | ------------ | ------------- | -----------');
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
        verdict = ok ? `  (target < ${TARGET.seconds} s, < ${TARGET.megabytes} MB: met)` : `  (target < ${TARGET.seconds} s, < ${TARGET.megabytes} MB: MISSED)`;
      }
      console.log(
        `${String(accounts).padStart(8)} | ${String(stacks).padStart(6)} | ${seconds.toFixed(2).padStart(13)} | ${cpuSeconds.toFixed(2).padStart(12)} | ${megabytes.toFixed(0).padStart(13)} | ${outputMegabytes.toFixed(1).padStart(11)}${verdict}`,
      );
    }
  } catch (error) {
    if (!(error instanceof SynthFailed)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
