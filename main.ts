/**
 * The cdktf app: load the configuration, build the stacks, synthesize, print one summary line.
 * Run by `npm run synth` and `cdktf synth` (see cdktf.json); reads VPCE_CONFIG_DIR (default `config`)
 * and writes to CDKTF_OUTDIR (default `cdktf.out`). cdktf runs it without arguments; `--help`
 * prints the usage.
 */
import { parseArgs } from 'node:util';

// cdktf records a stack trace for every token it creates; mapping each through tsx's source maps
// costs about a second at 1000 accounts. Maps come back on for an unexpected error's trace.
process.setSourceMapsEnabled(false);

const USAGE = `usage: npm run synth [-- --help]

Synthesizes config/hub.yaml and config/accounts.yaml into Terraform JSON, one folder per stack
(hub, spoke-<accountId>, tfc-workspaces), and prints one line: the resource instances of each
stack (for_each expanded) and the output folder. cdktf synth runs the same app.

Environment:
  VPCE_CONFIG_DIR    the config folder (default: config)
  CDKTF_OUTDIR       the output folder (default: cdktf.out)
Exit codes: 0 synthesized, 1 the configuration has problems (each listed; nothing written),
2 bad usage.`;

/** Answers `--help` or a bad argument (and returns false), or returns true: go on and synthesize. */
function handleArgs(argv: string[]): boolean {
  try {
    const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
    if (!values.help) return true;
    process.stdout.write(`${USAGE}\n`);
  } catch (error) {
    process.stderr.write(`synth: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
  return false;
}

if (handleArgs(process.argv.slice(2))) {
  // Loaded only to synthesize: `--help` answers without loading cdktf and the providers.
  const { synthApp } = require('./lib/tools/synth-app') as typeof import('./lib/tools/synth-app');
  process.exitCode = synthApp();
}
