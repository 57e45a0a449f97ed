/**
 * `npm run doctor [-- --out DIR] [--profile fargate|ecs-ec2|ssm|all] [--registry ID ...] [--json]
 * [--verbose] [--report FILE]`
 *
 * Proves from the synthesized Terraform JSON that every spoke VPC resolves the names its workloads
 * need, as Terraform would apply it (override files merged in). Exit 0: all resolve. Exit 1: some do
 * not (each named). Exit 2: no usable synth output, output it cannot judge (each refusal named),
 * bad usage, or the report file cannot be written.
 */
import { writeFileSync } from 'node:fs';
import { configDir } from '../config/config-dir';
import { CommandLine, runMain } from './command-line';
import { escapeControl } from './escape';
import { runDoctor } from '../doctor/run-doctor';
import { PROFILES, type Profile } from '../doctor/profiles';
import { paletteFor, renderJson, renderText } from '../doctor/report';
import { staleOutputWarning } from '../doctor/staleness';
import { SynthOutputError, UnjudgeableOutputError } from '../doctor/synth-output';
import { ACCOUNT_ID } from '../stack-names';

const USAGE = `usage: npm run doctor -- [--out DIR] [--profile ${PROFILES.join('|')}] [--registry ACCOUNT_ID ...]
                        [--json] [--verbose] [--report FILE] [--live [--account ID]]

  --out DIR          the synth output to read (default: cdktf.out)
  --profile NAME     the names to check: fargate (default), ecs-ec2, ssm, all
  --registry ID      another ECR registry account the workloads pull from (repeatable)
  --verbose          every spoke VPC's table with every name (default: only the VPCs with failures)
  --json             the report as JSON on stdout (through npm: npm run -s doctor -- --json)
  --report FILE      also write the JSON report to FILE, whatever stdout shows
  --live             judge what AWS holds (read-only, with the planner roles: hub.planRoleArn,
                     spokes.planRoleName), beside the synth output's intent: drift fails too
  --account ID       with --live: only this spoke account (of accounts.yaml)
  -h, --help         this text
--live uses the standard AWS configuration: AWS_PROFILE or AWS_ACCESS_KEY_ID..., AWS_REGION, and
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> (e.g. LocalStack); it reads the configuration of
VPCE_CONFIG_DIR for the accounts and roles.
Warns on stderr when the synth output is older than hub.yaml or accounts.yaml in VPCE_CONFIG_DIR
(default: config).
Reads each stack as Terraform applies it: its JSON override files (override.tf.json,
*_override.tf.json) merged in; refuses (exit 2) other .tf/.tf.json files beside a stack and
arguments of the resources it judges that it does not model.
Exit codes: 0 every name resolves, 1 some do not (or a spoke cannot be checked; with --live, or AWS
differs from the intent), 2 no usable synth output, output it cannot judge, bad usage, FILE cannot
be written, or (--live) no credentials, a role it may not assume, an account not in the
configuration, or an endpoint it cannot reach.`;

/** Where the CLI writes, and its environment (a test passes fakes). */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs the doctor with command-line arguments; returns the exit code (a promise with --live). */
export function main(argv: string[], io: CliIo = PROCESS_IO): number | Promise<number> {
  const command = new CommandLine('doctor', USAGE, io);
  const values = command.parse(argv, {
    out: { type: 'string', default: 'cdktf.out' },
    profile: { type: 'string', default: 'fargate' },
    registry: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    report: { type: 'string' },
    live: { type: 'boolean', default: false },
    account: { type: 'string' },
  });
  if (typeof values === 'number') return values;
  if (values.account !== undefined && !values.live) return command.mistake('--account needs --live');
  if (values.account !== undefined && !ACCOUNT_ID.test(values.account)) {
    return command.mistake(`--account ${values.account}: an account ID is 12 digits`);
  }
  if (!(PROFILES as readonly string[]).includes(values.profile)) {
    return command.mistake(`unknown profile "${values.profile}"; use one of ${PROFILES.join(', ')}`);
  }
  const badRegistry = values.registry.find((id) => !ACCOUNT_ID.test(id));
  if (badRegistry !== undefined) return command.mistake(`--registry ${badRegistry}: an account ID is 12 digits`);
  if (values.report === '') return command.mistake('--report needs a file name');
  if (values.live) {
    return runLive(
      {
        out: values.out,
        profile: values.profile as Profile,
        registries: values.registry,
        json: values.json,
        verbose: values.verbose,
        report: values.report,
        account: values.account,
      },
      io,
    );
  }

  let report;
  try {
    report = runDoctor({ outdir: values.out, profile: values.profile as Profile, registries: values.registry });
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      // JSON nested thousands deep: nothing cdktf writes, and the evaluator recurses.
      io.stderr.write(
        `doctor: the synth output in ${escapeControl(values.out)} is nested too deeply to evaluate; cdktf writes ` +
          `nothing like it. Run \`npm run synth\` again.\n`,
      );
      return 2;
    }
    if (error instanceof UnjudgeableOutputError) {
      // One line each, every part escaped (a file or resource name may hold control characters).
      const lines = [
        UnjudgeableOutputError.heading(error.dir),
        ...error.refusals.map((refusal) => `  ${UnjudgeableOutputError.line(refusal)}`),
        UnjudgeableOutputError.advice,
      ];
      io.stderr.write(`doctor: ${lines.map(escapeControl).join('\n')}\n`);
      return 2;
    }
    if (!(error instanceof SynthOutputError)) throw error;
    io.stderr.write(`doctor: ${escapeControl(error.message)}\n`);
    return 2;
  }
  const stale = staleOutputWarning(values.out, configDir(io.env));
  if (stale) io.stderr.write(`doctor: ${escapeControl(stale)}\n`);
  if (values.report !== undefined) {
    try {
      writeFileSync(values.report, renderJson(report));
    } catch (error) {
      const why = escapeControl((error as Error).message);
      io.stderr.write(
        `doctor: cannot write the report to ${escapeControl(values.report)}: ${why}. Pass --report a file in an existing folder you may write to.\n`,
      );
      return 2;
    }
  }
  io.stdout.write(
    values.json ? renderJson(report) : renderText(report, paletteFor(io.stdout, io.env), { verbose: values.verbose }),
  );
  return report.ok ? 0 : 1;
}

/** `--live`: the deployed estate, judged and set beside the intent (lib/doctor/live). */
async function runLive(
  options: {
    out: string;
    profile: Profile;
    registries: string[];
    json: boolean;
    verbose: boolean;
    report?: string;
    account?: string;
  },
  io: CliIo,
): Promise<number> {
  // Loaded only here: the SDK and the config loader are not the static doctor's business.
  const { CallCounter } = await import('../aws/clients');
  const { runLiveDoctor, LiveInputError } = await import('../doctor/live/run-live-doctor');
  const { renderLiveText } = await import('../doctor/live/live-report');
  const { loadConfigFor, runAwsWork } = await import('./aws-command');
  const report = await runAwsWork(
    'doctor --live',
    io,
    { quiet: options.json, userErrors: [LiveInputError, SynthOutputError] },
    (progress) =>
      runLiveDoctor({
        outdir: options.out,
        profile: options.profile,
        registries: options.registries,
        config: loadConfigFor(configDir(io.env), 'doctor --live'),
        ...(options.account ? { account: options.account } : {}),
        counter: new CallCounter(),
        progress,
      }),
  );
  if (report === undefined) return 2;
  if (options.report !== undefined) {
    try {
      writeFileSync(options.report, renderJson(report));
    } catch (error) {
      io.stderr.write(
        `doctor: cannot write the report to ${escapeControl(options.report)}: ${escapeControl((error as Error).message)}\n`,
      );
      return 2;
    }
  }
  io.stdout.write(
    options.json
      ? renderJson(report)
      : renderLiveText(report, paletteFor(io.stdout, io.env), { verbose: options.verbose }),
  );
  return report.ok ? 0 : 1;
}

if (require.main === module) runMain('doctor', main);
