/**
 * Runs the cdktf app the way `cdktf.json` does (`node --import tsx main.ts`), in a child process.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** Where to run the app and where it writes. */
export interface RunAppOptions {
  /** The project folder (holds main.ts). */
  readonly cwd: string;
  /** The synth output folder (CDKTF_OUTDIR). */
  readonly outdir: string;
  /** More environment variables (e.g. VPCE_CONFIG_DIR). */
  readonly env?: NodeJS.ProcessEnv;
  /** Node options before the script (e.g. `--require probe.cjs`). */
  readonly nodeArgs?: readonly string[];
}

function appCommand(options: RunAppOptions): [string, string[], { cwd: string; env: NodeJS.ProcessEnv }] {
  return [
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'main.ts'],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, CDKTF_OUTDIR: options.outdir, CHECKPOINT_DISABLE: '1' },
    },
  ];
}

/** Synthesizes once; the caller checks `status` and `stderr`. */
export function runApp(options: RunAppOptions): SpawnSyncReturns<string> {
  const [command, args, spawnOptions] = appCommand(options);
  return spawnSync(command, args, { ...spawnOptions, encoding: 'utf8' });
}

/** What {@link runAppAsync} resolves to. */
export interface AppRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Synthesizes once without blocking, so two synths can run side by side; the caller checks `status`. */
export function runAppAsync(options: RunAppOptions): Promise<AppRun> {
  const [command, args, spawnOptions] = appCommand(options);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}
