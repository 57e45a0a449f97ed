/**
 * The cdktf app: `npm run synth` and `cdktf synth` (see cdktf.json) run this file. It only hands
 * the command line to `lib/commands/synth.ts`: load the configuration, build the stacks, synthesize.
 */
import { main } from './lib/commands/synth';

// cdktf records a stack trace for every token it creates; mapping each through tsx's source maps
// costs about a second at 1000 accounts. Maps come back on for an unexpected error's trace.
process.setSourceMapsEnabled(false);

process.exitCode = main(process.argv.slice(2));
