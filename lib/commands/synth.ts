/**
 * `npm run synth [-- --help]` (and `cdktf synth`, through `main.ts`): synthesizes the configuration
 * into Terraform JSON. The pipeline itself is `lib/synth/synthesize.ts`, loaded only to synthesize,
 * so `--help` answers without loading cdktf and the providers.
 */
import { CommandLine } from './command-line';

export const USAGE = `usage: npm run synth [-- --help]

Synthesizes config/hub.yaml and config/accounts.yaml into Terraform JSON, one folder per stack
(hub, spoke-<accountId>, tfc-workspaces), and prints one line: the resource instances of each
stack (for_each expanded) and the output folder. cdktf synth runs the same app.

Environment:
  VPCE_CONFIG_DIR    the config folder (default: config)
  CDKTF_OUTDIR       the output folder (default: cdktf.out); a real folder, not a symbolic link
Exit codes: 0 synthesized, 1 the configuration has problems (each listed; nothing written) or the
output folder cannot be used (said in one line), 2 bad usage.`;

/** Runs the synth command; returns the exit code. cdktf runs it without arguments. */
export function main(argv: string[]): number {
  const values = new CommandLine('synth', USAGE).parse(argv, {});
  if (typeof values === 'number') return values;
  const { synthesize } = require('../synth/synthesize') as typeof import('../synth/synthesize');
  return synthesize();
}
