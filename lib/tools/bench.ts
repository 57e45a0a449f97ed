/**
 * `npm run bench`: synthesizes generated configurations of 10, 100 and 1000 accounts with the app
 * exactly as cdktf.json runs it, and prints wall time and peak memory (max RSS) of each.
 * Target on a 2-core machine: 1000 accounts in under 4 s and 400 MB.
 *
 * Options: `--sizes 10,100,1000` and `--runs 3` (each size is run that many times; the table shows the
 * median time and the highest peak memory).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeGeneratedConfig } from './generate-config';
import { runApp } from './run-app';

const ROOT = resolve(__dirname, '..', '..');
const TARGET = { accounts: 1000, seconds: 4, megabytes: 400 };

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
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
    throw new Error(`synth of ${accounts} accounts failed (exit ${result.status}):\n${result.stderr}`);
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

function main(): void {
  const sizes = option('sizes', '10,100,1000').split(',').map(Number);
  const runs = Number(option('runs', '3'));
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
      const results = Array.from({ length: runs }, () => runOnce(accounts, work));
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
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main();
