/**
 * Every command's usage, through its real entry point as a process: `--help` prints the usage on
 * stdout and exits 0 without doing any work; an unknown option prints a message and the usage on
 * stderr and exits 2. One row per command: add yours (e.g. the e2e runner, the iam command).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

interface Command {
  /** The npm script, as the usage line names it: `usage: npm run <name>`. */
  readonly name: string;
  /** The file npm runs, relative to the project folder. */
  readonly entry: string;
}

const COMMANDS: readonly Command[] = [
  { name: 'synth', entry: 'main.ts' },
  { name: 'doctor', entry: 'lib/commands/doctor.ts' },
  { name: 'affected', entry: 'lib/commands/affected.ts' },
  { name: 'bench', entry: 'bench/bench.ts' },
  { name: 'e2e', entry: 'test/e2e/e2e.ts' },
  { name: 'iam', entry: 'lib/commands/iam.ts' },
  { name: 'discover', entry: 'lib/commands/discover.ts' },
  { name: 'compat:cdktn', entry: 'test/compat/cdktn.ts' },
  { name: 'docs', entry: 'test/docs/docs.ts' },
  { name: 'cost', entry: 'lib/commands/cost.ts' },
];

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx <entry> ...args` (not blocking, so the rows run side by side). */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', failed);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe.each(COMMANDS)('npm run $name', ({ name, entry }) => {
  // Were a command to start working, it would find no config and write only into this folder.
  const scratch = tempDir(`vpce-${name}-help`);
  const env = { VPCE_CONFIG_DIR: join(scratch, 'config'), CDKTF_OUTDIR: join(scratch, 'out') };
  let help: Promise<Outcome[]>;
  let unknown: Promise<Outcome>;
  beforeAll(() => {
    help = Promise.all([run(entry, ['--help'], env), run(entry, ['-h'], env)]);
    unknown = run(entry, ['--no-such-option'], env);
  });

  test('--help and -h: the usage on stdout, exit 0, nothing done', async () => {
    for (const outcome of await help) {
      expect(outcome).toMatchObject({ status: 0, stderr: '' });
      expect(outcome.stdout).toMatch(new RegExp(`^usage: npm run ${name}\\b`));
      expect(outcome.stdout).toContain('Exit codes:');
    }
    expect(existsSync(join(scratch, 'out'))).toBe(false);
  });

  test('an unknown option: a message and the usage on stderr, exit 2', async () => {
    const outcome = await unknown;
    expect(outcome).toMatchObject({ status: 2, stdout: '' });
    expect(outcome.stderr).toMatch(new RegExp(`^${name}: Unknown option '--no-such-option'\\n`));
    expect(outcome.stderr).toContain(`usage: npm run ${name}`);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });
});
