/**
 * Odd output folders (issue 19): a symbolic link, a file on the way, a folder that cannot be made,
 * a named pipe for the lock; and what a killed synth leaves behind. Each is one line and a non-zero
 * exit, never a stack trace or a hang.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeGeneratedConfig } from '../test/fixtures/generate-config';
import { localStatePath } from '../lib/state/backends';
import { openOutputFolder, OutputFolderError } from '../lib/synth/output-folder';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

// The subprocess tests start tsx (and a synth) on a 2-core machine that may be busy.
jest.setTimeout(120000);

interface Outcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
}

/** Runs `node --import tsx <script> ...args` in `cwd`; killed after `timeout` ms (a hang fails the test, not the suite). */
function run(
  script: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; onStart?: (pid: number) => void } = {},
): Promise<Outcome> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
      // Generous for a loaded 2-core machine; what hangs is killed and fails its test.
      timeout: options.timeout ?? 90000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', failed);
    child.on('spawn', () => options.onStart?.(child.pid as number));
    child.on('close', (status, signal) => done({ status, signal, stdout, stderr, pid: child.pid as number }));
  });
}

/** A user's mistake: exit 1, one line on stderr (matching `message`), nothing on stdout, no stack trace. */
function expectOneLine(outcome: Outcome, message: RegExp): void {
  expect({ status: outcome.status, signal: outcome.signal, stdout: outcome.stdout }).toEqual({
    status: 1,
    signal: null,
    stdout: '',
  });
  expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

/** A config folder and a state folder for a synth. */
function configured(accounts = 2): NodeJS.ProcessEnv {
  const configDir = tempDir('vpce-safety-config');
  writeGeneratedConfig(configDir, { accounts });
  return { VPCE_CONFIG_DIR: configDir, VPCE_STATE_DIR: join(tempDir('vpce-safety-state'), 'state') };
}

/** The process ID of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise<number>((done) => child.on('exit', () => done(child.pid as number)));
}

/** Waits (up to `ms`) until `check` holds. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (check()) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return check();
}

/** Writes a synth output with these stacks into `dir`. */
function fakeSynth(dir: string, stacks: string[]): void {
  mkdirSync(join(dir, 'stacks'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stacks: Object.fromEntries(stacks.map((s) => [s, {}])) }));
  for (const stack of stacks) {
    mkdirSync(join(dir, 'stacks', stack), { recursive: true });
    writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), '{}');
  }
}

describe('a symbolic link for the output folder (the local state would resolve through it)', () => {
  test('refused when the output folder, or a folder on the way to it in the project, is a link; nothing is touched', () => {
    const project = tempDir('vpce-project');
    const elsewhere = tempDir('vpce-elsewhere');
    writeFileSync(join(elsewhere, 'precious'), 'keep');
    symlinkSync(elsewhere, join(project, 'cdktf.out'));
    symlinkSync(elsewhere, join(project, 'build'));

    expect(() => openOutputFolder('cdktf.out', { cwd: project })).toThrow(OutputFolderError);
    expect(() => openOutputFolder('cdktf.out', { cwd: project })).toThrow(
      /^cdktf.out is a symbolic link \(the output folder\).*Use a real folder inside the project as CDKTF_OUTDIR, e\.g\. cdktf\.out\.$/,
    );
    expect(() => openOutputFolder('build/out', { cwd: project })).toThrow(
      /^build is a symbolic link \(on the way to the output folder build\/out\)/,
    );
    // Outside the project too, the output folder itself may not be a link.
    expect(() => openOutputFolder(join(project, 'cdktf.out'), { cwd: elsewhere })).toThrow(/is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual(['precious']);
    expect(readdirSync(project).sort()).toEqual(['build', 'cdktf.out']);
  });

  test('npm run synth with cdktf.out a link: exit 1, one line, nothing written through the link', async () => {
    const project = tempDir('vpce-project');
    const elsewhere = tempDir('vpce-elsewhere');
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    symlinkSync(elsewhere, join(project, 'cdktf.out'));
    const env = configured();
    // The project's own state folder: the removal guard reads it, while Terraform would reach the
    // state through the link (elsewhere/../state), so a removed account's state would go unseen.
    const outcome = await run(join(ROOT, 'main.ts'), [], {
      cwd: project,
      env: { ...env, VPCE_STATE_DIR: '', CDKTF_OUTDIR: '' },
    });
    expectOneLine(outcome, /^vpce-hub: cdktf.out is a symbolic link \(the output folder\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(project).sort()).toEqual(['cdktf.out', 'node_modules']);
  });

  test('an output folder outside the project reached through a link: the state path still leads to the state the guard reads', () => {
    const base = realpathSync(tempDir('vpce-links'));
    const real = join(base, 'a', 'b', 'c');
    mkdirSync(real, { recursive: true });
    symlinkSync(real, join(base, 'link'));
    const layout = { outdir: join(base, 'link', 'out'), stateDir: join(base, 'project', 'state') };
    const path = localStatePath({ scope: 's', layout }, 'hub');
    // Terraform runs in the folder as the system sees it and climbs `..` from there.
    expect(resolve(real, 'out', 'stacks', 'hub', path)).toBe(join(base, 'project', 'state', 's', 'hub.tfstate'));
    expect(path.startsWith('../')).toBe(true);

    // Without a link on the output folder's side the path is what it always was, even when the
    // state folder is a link (Terraform follows links on the way down).
    symlinkSync(real, join(base, 'project-state'));
    const plain = { outdir: join(base, 'project', 'cdktf.out'), stateDir: join(base, 'project-state') };
    expect(localStatePath({ scope: 's', layout: plain }, 'hub')).toBe('../../../../project-state/s/hub.tfstate');
  });
});

describe('odd output folders: one line and a non-zero exit, quickly', () => {
  const lockDir = tempDir('vpce-fifo');
  const outcomes: Record<string, Promise<Outcome>> = {};
  beforeAll(() => {
    const env = configured();
    const fifo = spawn('mkfifo', [join(lockDir, 'out.lock')]);
    const fifoMade = new Promise((done) => fifo.on('exit', done));
    outcomes.file = run('main.ts', [], { env: { ...env, CDKTF_OUTDIR: 'package.json/out' } });
    outcomes.proc = run('main.ts', [], { env: { ...env, CDKTF_OUTDIR: '/proc/x/out' } });
    outcomes.fifo = fifoMade.then(() => run('main.ts', [], { env: { ...env, CDKTF_OUTDIR: join(lockDir, 'out') } }));
    outcomes.iamFile = run('lib/commands/iam.ts', ['--out', 'package.json'], { env });
    outcomes.iamProc = run('lib/commands/iam.ts', ['--out', '/proc/x'], { env });
  });

  test('CDKTF_OUTDIR=package.json/out', async () => {
    expectOneLine(
      await outcomes.file,
      /^vpce-hub: package.json is a file, so the output folder package.json\/out cannot be made\. Use a real folder/,
    );
  });

  test('CDKTF_OUTDIR=/proc/x/out (a folder the system will not make: Node would retry forever)', async () => {
    expectOneLine(await outcomes.proc, /^vpce-hub: cannot make the output folder \/proc\/x\/out: .*\/proc\/x \(ENOENT/);
  });

  test('a named pipe where the lock goes (reading it would wait forever)', async () => {
    expectOneLine(await outcomes.fifo, /out\.lock is in the way of the output folder's lock, and is no lock file/);
  });

  test('npm run iam -- --out package.json, and --out /proc/x', async () => {
    expectOneLine(await outcomes.iamFile, /^iam: --out package.json: .*package.json is a file, not a folder\./);
    expectOneLine(await outcomes.iamProc, /^iam: --out \/proc\/x: cannot create the folder \/proc\/x \(ENOENT/);
  });
});

describe('a synth that did not finish', () => {
  test("the next synth removes a dead synth's temporary folders and lock, says so in one line, and keeps a live one's", async () => {
    const parent = tempDir('vpce-stale');
    const outdir = join(parent, 'cdktf.out');
    fakeSynth(outdir, ['hub']);
    const dead = await deadPid();
    const live = process.ppid;
    fakeSynth(join(parent, `.cdktf.out.synth-${dead}`), ['hub', 'spoke-111111111111']);
    mkdirSync(join(parent, `.cdktf.out.old-${dead}`));
    mkdirSync(join(parent, `.cdktf.out.synth-${live}`));
    mkdirSync(join(parent, `.other.synth-${dead}`));
    writeFileSync(`${outdir}.lock`, JSON.stringify({ pid: dead }));

    const notices: string[] = [];
    const write = openOutputFolder(outdir, { notice: (line) => notices.push(line) });
    expect(notices).toEqual([
      `removed what a synth that did not finish had left: cdktf.out.lock (process ${dead}), ` +
        `.cdktf.out.synth-${dead}, .cdktf.out.old-${dead}.`,
    ]);
    fakeSynth(write.tempDir, ['hub']);
    write.commit();
    expect(readdirSync(parent).sort()).toEqual(['.cdktf.out.synth-' + live, `.other.synth-${dead}`, 'cdktf.out']);
  });

  test('killed while swapping the folders: the whole new output is kept, with the files it had carried over', async () => {
    const parent = tempDir('vpce-stale');
    const outdir = join(parent, 'cdktf.out');
    const dead = await deadPid();
    // Between its two renames: the previous output moved aside, the new one not yet in place.
    fakeSynth(join(parent, `.cdktf.out.old-${dead}`), ['hub']);
    const next = join(parent, `.cdktf.out.synth-${dead}`);
    fakeSynth(next, ['hub']);
    mkdirSync(join(next, 'stacks', 'hub', '.terraform'));
    writeFileSync(join(next, 'stacks', 'hub', 'hub.tfplan'), 'plan');

    const write = openOutputFolder(outdir);
    fakeSynth(write.tempDir, ['hub']);
    write.commit();
    expect(readdirSync(join(outdir, 'stacks', 'hub')).sort()).toEqual(['.terraform', 'cdk.tf.json', 'hub.tfplan']);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test("killed while carrying a stack's own files into its new output: they go back to the stack", async () => {
    const parent = tempDir('vpce-stale');
    const outdir = join(parent, 'cdktf.out');
    const dead = await deadPid();
    fakeSynth(outdir, ['hub']);
    const next = join(parent, `.cdktf.out.synth-${dead}`);
    fakeSynth(next, ['hub']);
    writeFileSync(join(next, 'stacks', 'hub', 'hub.tfplan'), 'plan');
    writeFileSync(join(next, 'notes.md'), 'mine');

    const write = openOutputFolder(outdir);
    fakeSynth(write.tempDir, ['hub']);
    write.commit();
    expect(readFileSync(join(outdir, 'stacks', 'hub', 'hub.tfplan'), 'utf8')).toBe('plan');
    expect(readFileSync(join(outdir, 'notes.md'), 'utf8')).toBe('mine');
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s during synth: its temporary folder and lock are removed',
    async (signal) => {
      const parent = tempDir('vpce-killed');
      const outdir = join(parent, 'out');
      const env = configured(40);
      let pid = 0;
      const outcome = run('main.ts', [], {
        env: { ...env, CDKTF_OUTDIR: outdir },
        timeout: 110000,
        onStart: (started) => (pid = started),
      });
      // The synth is under way once its temporary folder is there.
      const started = await eventually(() => pid > 0 && existsSync(join(parent, `.out.synth-${pid}`)), 100000);
      expect(started).toBe(true);
      process.kill(pid, signal);
      expect((await outcome).signal).toBe(signal);
      expect(await eventually(() => readdirSync(parent).length === 0, 20000)).toBe(true);
      expect(readdirSync(parent)).toEqual([]);
      expect(existsSync(dirname(outdir))).toBe(true);
    },
  );
});
