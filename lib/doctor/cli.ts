/**
 * `npm run doctor [-- --out DIR] [--profile fargate|ecs-ec2|ssm|all] [--registry ID ...] [--json]`
 *
 * Proves from the synthesized Terraform JSON that every spoke VPC resolves the names its workloads
 * need. Exit 0: all resolve. Exit 1: some do not (each named). Exit 2: no synth output, bad usage.
 */
import { parseArgs } from 'node:util';
import { runDoctor } from './doctor';
import { PROFILES, type Profile } from './profiles';
import { paletteFor, renderJson, renderText } from './report';
import { NoSynthOutputError } from './synth-output';

const USAGE = `usage: npm run doctor -- [--out DIR] [--profile ${PROFILES.join('|')}] [--registry ACCOUNT_ID ...] [--json]

  --out DIR          the synth output to read (default: cdktf.out)
  --profile NAME     the names to check: fargate (default), ecs-ec2, ssm, all
  --registry ID      another ECR registry account the workloads pull from (repeatable)
  --json             machine-readable output
Exit codes: 0 every name resolves, 1 some do not, 2 no synth output or bad usage.`;

function fail(message: string): number {
  process.stderr.write(`doctor: ${message}\n${USAGE}\n`);
  return 2;
}

/** Runs the doctor with command-line arguments; returns the exit code. */
export function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', default: 'cdktf.out' },
        profile: { type: 'string', default: 'fargate' },
        registry: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!(PROFILES as readonly string[]).includes(values.profile)) {
    return fail(`unknown profile "${values.profile}"; use one of ${PROFILES.join(', ')}`);
  }
  const badRegistry = values.registry.find((id) => !/^\d{12}$/.test(id));
  if (badRegistry !== undefined) return fail(`--registry ${badRegistry}: an account ID is 12 digits`);
  try {
    const report = runDoctor({ outdir: values.out, profile: values.profile as Profile, registries: values.registry });
    process.stdout.write(values.json ? renderJson(report) : renderText(report, paletteFor(process.stdout)));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof NoSynthOutputError) {
      process.stderr.write(`doctor: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
