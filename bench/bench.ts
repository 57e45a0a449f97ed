/**
 * `npm run bench [-- --terraform] [--sizes ...] [--runs N] [--write-readme]`: the synth benchmark
 * (default) or the Terraform benchmark (`--terraform`); see synth.ts and terraform.ts.
 */
import { CommandLine, runMain } from '../lib/commands/command-line';
import { parseArgs } from 'node:util';
import { GENERATED_SHARING as SHARING_MODES, type GeneratedSharing } from '../test/fixtures/generate-config';
import { updateReadmeBlock } from './readme-blocks';
import { runSynthBench } from './synth-bench';
import { runTerraformBench } from './terraform-bench';

export const USAGE = `usage: npm run bench -- [--terraform] [--sizes N,N,...] [--sharing MODE,...] [--runs N] [--write-readme]

Without --terraform: synthesizes generated configurations of each size (number of accounts) the
way cdktf.json runs the app, and prints the median wall and CPU time and the highest peak memory.
About a minute with the defaults.

With --terraform: synthesizes generated configurations (9 services, one VPC per account), applies
the hub and one spoke with the real terraform and AWS provider against the local AWS fake, and
prints per stack: resource instances, plan seconds (-refresh=false), terraform's peak memory, and
the API calls of a refresh plan, for each sharing mode; and what one added account adds to the
hub. Needs what npm run e2e needs. All three modes at 100 and 1000 accounts take about 80 minutes
on 2 cores (associations mode at 1000 about 45 of them: 10,000 instances to apply).

  --terraform        the Terraform benchmark
  --sizes N,N,...    account counts (default: 10,100,1000; with --terraform: 100,1000)
  --sharing MODE,... with --terraform: associations, profile-organization (a Route 53 Profile
                     of zones shared with the organization), profile-accounts (shared with each
                     account), profile-endpoints (the Profile holds the endpoints, dns: endpoints);
                     default: all four
  --runs N           synth runs per size (default: 3; the Terraform benchmark runs once)
  --write-readme     also write the table into docs/performance.md, between its bench markers (the
                     Terraform table keeps the rows of sizes and modes this run did not measure)
  -h, --help         this text
Exit codes: 0 measured (and the targets met), 1 a target missed or a run failed, 2 bad usage.`;

/** The measurement a command line asks for. */
export interface BenchOptions {
  readonly terraform: boolean;
  readonly sizes: readonly number[];
  /** The sharing modes of the Terraform benchmark. */
  readonly sharing: readonly GeneratedSharing[];
  readonly runs: number;
  readonly writeReadme: boolean;
}

/** A usage mistake (exit code 2). */
export class UsageError extends Error {}

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
        terraform: { type: 'boolean', default: false },
        sizes: { type: 'string' },
        sharing: { type: 'string', default: SHARING_MODES.join(',') },
        runs: { type: 'string', default: '3' },
        'write-readme': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const sizes = values.sizes ?? (values.terraform ? '100,1000' : '10,100,1000');
  return {
    terraform: values.terraform,
    sizes: sizes.split(',').map((size) => positiveInteger(size, '--sizes', 100000)),
    sharing: values.sharing.split(',').map((mode) => {
      const known = SHARING_MODES.find((m) => m === mode.trim());
      if (!known) throw new UsageError(`--sharing: "${mode}" is not one of ${SHARING_MODES.join(', ')}`);
      return known;
    }),
    runs: positiveInteger(values.runs, '--runs', 100),
    writeReadme: values['write-readme'],
  };
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return new CommandLine('bench', USAGE).mistake(error.message);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = options.terraform ? await runTerraformBench(options) : runSynthBench(options);
  if (result.readme && options.writeReadme) {
    updateReadmeBlock(options.terraform ? 'terraform' : 'synth', result.readme);
    process.stdout.write(`bench: docs/performance.md updated (${options.terraform ? 'terraform' : 'synth'} block)\n`);
  }
  return result.exitCode;
}

if (require.main === module) runMain('bench', main);
