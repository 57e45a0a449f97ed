/**
 * Runs the cdktf app the way `cdktf.json` does (`node --import tsx main.ts`), in a child process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

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

/** Synthesizes once; the caller checks `status` and `stderr`. */
export function runApp(options: RunAppOptions): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'main.ts'], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, CDKTF_OUTDIR: options.outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
}
