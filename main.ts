/**
 * The cdktf app: load the configuration, build the stacks, synthesize.
 * Run by `npm run synth` and `cdktf synth` (see cdktf.json); reads VPCE_CONFIG_DIR (default `config`)
 * and writes to CDKTF_OUTDIR (default `cdktf.out`).
 */
import { App } from 'cdktf';
import { buildStacks, removeStaleStackFolders } from './lib/app';
import { loadConfig } from './lib/config/load';
import { ConfigError } from './lib/config/problems';

// cdktf records a stack trace for every token it creates; mapping each through tsx's source maps
// costs about a second at 1000 accounts. Maps come back on for an unexpected error's trace below.
process.setSourceMapsEnabled(false);

try {
  const config = loadConfig();
  const app = new App();
  removeStaleStackFolders(app.outdir, buildStacks(app, config).all);
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) {
    process.setSourceMapsEnabled(true);
    throw error;
  }
  // A user's mistake: the problems, not a stack trace.
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
