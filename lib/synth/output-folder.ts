/**
 * The synth output folder (`cdktf.out`), written all at once: the app synthesizes into a new folder
 * beside it, which then takes its place, so a crash or a failure leaves the previous output whole.
 *
 * - It only ever replaces an earlier synth output: a folder that holds files but no `manifest.json`
 *   (`CDKTF_OUTDIR=lib`, say) is refused, and so is a `stacks/` folder that is a symbolic link or
 *   holds anything that is not a stack of the previous manifest.
 * - What Terraform and people added to a stack folder (`.terraform/`, the lock file, plan files, an
 *   override) moves into the new one, so a stack keeps its provider cache.
 * - A stack of the previous output that is gone now (a removed account) is dropped with the old
 *   folder. Under the cdktf CLI (`cdktf synth`, `cdktf deploy`) it is kept for the CLI, which removes
 *   such folders itself right after the app and fails if they are already gone.
 * - One synth at a time per folder: a lock file beside it (`cdktf.out.lock`) refuses a second.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The output folder cannot be written: said to the user without a stack trace (exit code 1). */
export class OutputFolderError extends Error {}

/** The stack names of a synth output's manifest, or undefined when it has none. */
function manifestStacks(dir: string): string[] | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { stacks?: Record<string, unknown> };
    return Object.keys(manifest.stacks ?? {});
  } catch {
    throw new OutputFolderError(
      `${file} is not a readable synth manifest. Move the folder away (or delete it), then synthesize again.`,
    );
  }
}

function isRealFolder(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && !stat.isSymbolicLink();
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A synth into a new folder, to be swapped in with {@link OutputWrite.commit}. */
export interface OutputWrite {
  /** Where the app writes (an empty folder beside the output folder). */
  readonly tempDir: string;
  /** Puts the new output in place of the old one. */
  commit(): void;
  /** Drops the new output; the old one stays as it was. */
  abort(): void;
}

/** Options of {@link openOutputFolder}. */
export interface OutputFolderOptions {
  /** Run by the cdktf CLI, which removes stale stack folders itself after the app. */
  readonly underCdktfCli?: boolean;
}

/** Checks the output folder, takes its lock, and makes the folder the app writes into. */
export function openOutputFolder(outdirPath: string, options: OutputFolderOptions = {}): OutputWrite {
  const requested = resolve(outdirPath);
  // A symbolic link to the output folder: work on the folder it points to.
  const outdir = existsSync(requested) ? realpathSync(requested) : requested;
  const previous = existsSync(outdir) ? checkPrevious(outdir, requested) : undefined;

  const lock = `${outdir}.lock`;
  mkdirSync(dirname(outdir), { recursive: true });
  takeLock(lock, requested);
  const tempDir = join(dirname(outdir), `.${basename(outdir)}.synth-${process.pid}`);
  const release = () => rmSync(lock, { force: true });
  try {
    rmSync(tempDir, { recursive: true, force: true });
    mkdirSync(tempDir);
  } catch (error) {
    release();
    throw error;
  }

  return {
    tempDir,
    abort() {
      rmSync(tempDir, { recursive: true, force: true });
      release();
    },
    commit() {
      try {
        const current = manifestStacks(tempDir) ?? [];
        if (previous) carryOver(outdir, tempDir, previous, current, options.underCdktfCli ?? false);
        const old = join(dirname(outdir), `.${basename(outdir)}.old-${process.pid}`);
        if (existsSync(outdir)) renameSync(outdir, old);
        renameSync(tempDir, outdir);
        rmSync(old, { recursive: true, force: true });
      } finally {
        rmSync(tempDir, { recursive: true, force: true });
        release();
      }
    },
  };
}

/** The previous output's stacks; refuses a folder that is not an earlier synth output. */
function checkPrevious(outdir: string, requested: string): string[] {
  if (!lstatSync(outdir).isDirectory()) {
    throw new OutputFolderError(`${requested} is a file, not a folder. Choose another CDKTF_OUTDIR.`);
  }
  const entries = readdirSync(outdir);
  const stacks = manifestStacks(outdir);
  if (stacks === undefined) {
    if (entries.length === 0) return [];
    throw new OutputFolderError(
      `${requested} holds files but no earlier synth output (no manifest.json), and synth replaces the folder ` +
        `it writes. Choose an empty or new folder as CDKTF_OUTDIR (the default is cdktf.out).`,
    );
  }
  const stacksDir = join(outdir, 'stacks');
  if (lstatExists(stacksDir)) {
    if (!isRealFolder(stacksDir)) {
      throw new OutputFolderError(
        `${join(requested, 'stacks')} is a symbolic link or not a folder: synth writes stack folders there itself. Remove the link, then synthesize again.`,
      );
    }
    const known = new Set(stacks);
    const strangers = readdirSync(stacksDir).filter((name) => !known.has(name));
    if (strangers.length > 0) {
      throw new OutputFolderError(
        `${join(requested, 'stacks')} holds ${strangers.map((s) => `"${s}"`).join(', ')}, ` +
          `which ${strangers.length === 1 ? 'is' : 'are'} not a stack of the previous synth (manifest.json). ` +
          `Synth replaces that folder: move ${strangers.length === 1 ? 'it' : 'them'} elsewhere first.`,
      );
    }
  }
  return stacks;
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function takeLock(lock: string, outdir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid = NaN;
      try {
        pid = Number((JSON.parse(readFileSync(lock, 'utf8')) as { pid?: number }).pid);
      } catch {
        // An unreadable lock is someone else's too: treat it as held.
      }
      if (Number.isInteger(pid) && !processAlive(pid)) {
        rmSync(lock, { force: true }); // left by a synth that died
        continue;
      }
      throw new OutputFolderError(
        `another synth${Number.isInteger(pid) ? ` (process ${pid})` : ''} is writing to ${outdir}. Wait for it to finish; if none is running, delete ${lock}.`,
      );
    }
  }
  throw new OutputFolderError(`could not take the lock ${lock}; try again.`);
}

/** Moves what the new output lacks from the old folder into it (see the module comment). */
function carryOver(
  outdir: string,
  tempDir: string,
  previous: readonly string[],
  current: readonly string[],
  underCdktfCli: boolean,
): void {
  for (const entry of readdirSync(outdir)) {
    if (entry === 'manifest.json' || entry === 'stacks') continue;
    if (!existsSync(join(tempDir, entry))) renameSync(join(outdir, entry), join(tempDir, entry));
  }
  const now = new Set(current);
  for (const stack of previous) {
    const from = join(outdir, 'stacks', stack);
    if (!isRealFolder(from)) continue;
    const to = join(tempDir, 'stacks', stack);
    if (now.has(stack)) {
      for (const entry of readdirSync(from)) {
        if (!existsSync(join(to, entry))) renameSync(join(from, entry), join(to, entry));
      }
    } else if (underCdktfCli) {
      mkdirSync(join(tempDir, 'stacks'), { recursive: true });
      renameSync(from, to);
    }
  }
}
