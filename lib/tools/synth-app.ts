/**
 * The synth itself, as `main.ts` runs it after its usage check: load the configuration, build the
 * stacks, synthesize, print the summary line. Returns the exit code.
 */
import { App } from 'cdktf';
import { buildStacks, removeStaleStackFolders } from '../app';
import { loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import { countWhileSynthesizing, summaryLine } from './synth-summary';

/** Synthesizes the configuration of VPCE_CONFIG_DIR into CDKTF_OUTDIR; 0 done, 1 config problems. */
export function synthApp(): number {
  try {
    const config = loadConfig();
    const app = new App();
    const stacks = buildStacks(app, config).all;
    const counts = countWhileSynthesizing(stacks);
    removeStaleStackFolders(app.outdir, stacks);
    app.synth();
    process.stdout.write(`${summaryLine(counts, app.outdir)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      process.setSourceMapsEnabled(true);
      throw error;
    }
    // A user's mistake: the problems, not a stack trace.
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}
