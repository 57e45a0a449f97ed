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
 * - The output folder is a real folder: neither it nor a folder between the project and it may be a
 *   symbolic link (the stacks' local state paths climb out of it with `..`, which the system
 *   resolves through the link, away from the project's `state/`).
 * - A synth that was killed leaves its temporary folder and lock behind; the next synth removes them
 *   (and puts back what a synth killed while swapping the folders had moved), saying so in one line.
 *   With {@link OutputFolderOptions.cleanUpIfKilled} a watchdog process removes them right away when
 *   the synth dies (Ctrl-C, SIGTERM, SIGKILL): the synth runs synchronously, so a signal handler of
 *   its own would run only after it finished.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FolderError, fsErrorCode, fsReason, makeFolders } from './folders';

/** The output folder cannot be written: said to the user without a stack trace (exit code 1). */
export class OutputFolderError extends Error {}

/** The stack names of a synth output's manifest, or undefined when it has none. */
function manifestStacks(dir: string): string[] | undefined {
  const file = join(dir, 'manifest.json');
  if (!lstatExists(file)) return undefined;
  try {
    // Only a regular file is read: reading a named pipe would wait for a writer forever.
    if (!lstatSync(file).isFile()) throw new Error('not a file');
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

/** A path as the user would write it: relative to the project folder when inside it. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
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
  /** The project folder (default: the current folder), which relative output folders are in. */
  readonly cwd?: string;
  /** Told, in one line, what a synth that did not finish had left and this one removed. */
  readonly notice?: (line: string) => void;
  /**
   * Starts a watchdog process that removes the temporary folder and the lock if this process dies
   * before {@link OutputWrite.commit} or {@link OutputWrite.abort} (Ctrl-C, SIGTERM, SIGKILL).
   */
  readonly cleanUpIfKilled?: boolean;
}

const advice = 'Use a real folder inside the project as CDKTF_OUTDIR, e.g. cdktf.out.';

/**
 * Refuses an output folder that is a symbolic link, or is reached through one below the project
 * folder, or under a file; returns its absolute path. Touches nothing.
 */
export function checkOutputFolder(outdirPath: string, cwd: string = process.cwd()): string {
  const requested = resolve(cwd, outdirPath);
  const rel = relative(cwd, requested);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  // Below the project each folder on the way counts; outside it, the folder itself.
  const parts = rel.split(sep);
  const onTheWay = inside ? parts.map((_, i) => join(cwd, ...parts.slice(0, i + 1))) : [requested];
  for (const path of onTheWay) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch (error) {
      const code = fsErrorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') break;
      throw new OutputFolderError(`cannot read ${shown(path, cwd)} (${fsReason(error)}). ${advice}`);
    }
    if (stat.isSymbolicLink()) {
      const which =
        path === requested ? 'the output folder' : `on the way to the output folder ${shown(requested, cwd)}`;
      throw new OutputFolderError(
        `${shown(path, cwd)} is a symbolic link (${which}): the stacks' local state paths would lead through it, ` +
          `away from the project's state. ${advice}`,
      );
    }
    if (!stat.isDirectory()) {
      throw new OutputFolderError(
        path === requested
          ? `${shown(path, cwd)} is a file, not a folder. Choose another CDKTF_OUTDIR (the default is cdktf.out).`
          : `${shown(path, cwd)} is a file, so the output folder ${shown(requested, cwd)} cannot be made. ${advice}`,
      );
    }
  }
  return requested;
}

/** Checks the output folder, takes its lock, and makes the folder the app writes into. */
export function openOutputFolder(outdirPath: string, options: OutputFolderOptions = {}): OutputWrite {
  const cwd = options.cwd ?? process.cwd();
  const requested = checkOutputFolder(outdirPath, cwd);
  const show = (path: string) => shown(path, cwd);
  try {
    return open(requested, show, options);
  } catch (error) {
    if (error instanceof FolderError) {
      throw new OutputFolderError(`cannot make the output folder ${show(requested)}: ${error.message}. ${advice}`);
    }
    if (fsErrorCode(error) === undefined) throw error;
    throw new OutputFolderError(`cannot write the output folder ${show(requested)} (${fsReason(error)}). ${advice}`);
  }
}

function open(requested: string, show: (path: string) => string, options: OutputFolderOptions): OutputWrite {
  if (lstatExists(requested)) checkPrevious(requested, show(requested));
  makeFolders(dirname(requested));
  // The folder the output goes in, as the system sees it (the name itself is no link: checked).
  const outdir = join(realpathSync(dirname(requested)), basename(requested));
  const lock = `${outdir}.lock`;
  const staleLock = takeLock(lock, show);
  const release = () => rmSync(lock, { force: true });
  const tempDir = synthFolder(outdir, process.pid);
  let previous: string[] | undefined;
  let watchdog: ChildProcess | undefined;
  try {
    const left = cleanUpAfterDeadSynths(outdir);
    if (staleLock !== undefined) left.unshift(`${basename(lock)} (process ${staleLock})`);
    if (left.length > 0) {
      options.notice?.(`removed what a synth that did not finish had left: ${left.join(', ')}.`);
    }
    previous = existsSync(outdir) ? checkPrevious(outdir, show(requested)) : undefined;
    // The watchdog first: from the moment the temporary folder exists, a kill is cleaned up after.
    if (options.cleanUpIfKilled) watchdog = startWatchdog(tempDir, lock);
    rmSync(tempDir, { recursive: true, force: true });
    mkdirSync(tempDir);
  } catch (error) {
    watchdog?.kill();
    rmSync(tempDir, { recursive: true, force: true });
    release();
    throw error;
  }
  const stopWatchdog = () => watchdog?.kill();

  return {
    tempDir,
    abort() {
      stopWatchdog();
      rmSync(tempDir, { recursive: true, force: true });
      release();
    },
    commit() {
      // From here a killed synth is left to the next one, which puts back what was moved.
      stopWatchdog();
      try {
        const current = manifestStacks(tempDir) ?? [];
        if (previous) carryOver(outdir, tempDir, previous, current, options.underCdktfCli ?? false);
        const old = oldFolder(outdir, process.pid);
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

/** The folder a synth by process `pid` writes before it takes the output folder's place. */
const synthFolder = (outdir: string, pid: number) => join(dirname(outdir), `.${basename(outdir)}.synth-${pid}`);
/** Where the previous output goes while the new one takes its place. */
const oldFolder = (outdir: string, pid: number) => join(dirname(outdir), `.${basename(outdir)}.old-${pid}`);

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

/** Takes the lock; returns the process of a dead synth whose lock it removed, if any. */
function takeLock(lock: string, show: (path: string) => string): number | undefined {
  let removed: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }), { flag: 'wx' });
      return removed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid = NaN;
      try {
        // Only a regular file is read: reading a named pipe would wait for a writer forever.
        if (!lstatSync(lock).isFile()) {
          throw new OutputFolderError(
            `${show(lock)} is in the way of the output folder's lock, and is no lock file. Move it away, then synthesize again.`,
          );
        }
        pid = Number((JSON.parse(readFileSync(lock, 'utf8')) as { pid?: number }).pid);
      } catch (lockError) {
        if (lockError instanceof OutputFolderError) throw lockError;
        // An unreadable lock is someone else's too: treat it as held.
      }
      if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
        rmSync(lock, { force: true }); // left by a synth that died
        removed = pid;
        continue;
      }
      throw new OutputFolderError(
        `another synth${Number.isInteger(pid) ? ` (process ${pid})` : ''} is writing to ${show(lock.slice(0, -'.lock'.length))}. ` +
          `Wait for it to finish; if none is running, delete ${show(lock)}.`,
      );
    }
  }
  throw new OutputFolderError(`could not take the lock ${show(lock)}; try again.`);
}

/**
 * Removes the temporary folders of synths into `outdir` whose process is gone (called holding the
 * lock). A synth killed between its two renames had a whole new output: that becomes the output
 * folder. One killed while moving the stacks' own files (`.terraform`, plan files) into its new
 * output gets them put back first. Returns the names of what it removed.
 */
function cleanUpAfterDeadSynths(outdir: string): string[] {
  const pattern = /^\.(.+)\.(?:synth|old)-(\d+)$/;
  const pids = new Set<number>();
  for (const entry of readdirSync(dirname(outdir))) {
    const match = pattern.exec(entry);
    if (!match || match[1] !== basename(outdir)) continue;
    const pid = Number(match[2]);
    // Only what names a process ID can be a synth's (0 would ask about the whole process group).
    if (pid > 0 && pid <= 0x7fffffff && pid !== process.pid && !processAlive(pid)) pids.add(pid);
  }
  const removed: string[] = [];
  for (const pid of [...pids].sort((a, b) => a - b)) {
    const temp = synthFolder(outdir, pid);
    const old = oldFolder(outdir, pid);
    if (lstatExists(old) && !lstatExists(outdir)) {
      renameSync(isRealFolder(temp) ? temp : old, outdir);
    } else if (isRealFolder(temp) && isRealFolder(outdir)) {
      putBack(temp, outdir);
    }
    for (const folder of [temp, old]) {
      if (!lstatExists(folder)) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(basename(folder));
    }
  }
  return removed;
}

/** Undoes {@link carryOver} of a synth killed while it ran: what the output lacks goes back into it. */
function putBack(temp: string, outdir: string): void {
  for (const entry of readdirSync(temp)) {
    if (entry === 'manifest.json' || entry === 'stacks') continue;
    if (!lstatExists(join(outdir, entry))) renameSync(join(temp, entry), join(outdir, entry));
  }
  let stacks: string[];
  try {
    stacks = manifestStacks(outdir) ?? [];
  } catch {
    return; // no readable manifest: nothing was carried from this folder
  }
  for (const stack of stacks) {
    const from = join(temp, 'stacks', stack);
    const to = join(outdir, 'stacks', stack);
    if (!isRealFolder(from)) continue;
    if (!lstatExists(to)) {
      if (!lstatExists(join(outdir, 'stacks'))) mkdirSync(join(outdir, 'stacks'));
      if (isRealFolder(join(outdir, 'stacks'))) renameSync(from, to);
    } else if (isRealFolder(to)) {
      for (const entry of readdirSync(from)) {
        if (!lstatExists(join(to, entry))) renameSync(join(from, entry), join(to, entry));
      }
    }
  }
}

/**
 * A process that waits for this one to die, then removes its temporary folder and its lock (while
 * the lock is still this process's). Detached, so the Ctrl-C of the terminal does not reach it.
 */
function startWatchdog(tempDir: string, lock: string): ChildProcess {
  const script = `
const fs = require('node:fs');
const [pid, temp, lock] = [Number(process.argv[1]), process.argv[2], process.argv[3]];
const alive = () => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (alive()) return;
  clearInterval(timer);
  let owner;
  try { if (fs.lstatSync(lock).isFile()) owner = JSON.parse(fs.readFileSync(lock, 'utf8')).pid; } catch {}
  if (owner !== pid) return;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.rmSync(lock, { force: true });
}, 100);`;
  const child = spawn(process.execPath, ['-e', script, String(process.pid), tempDir, lock], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined); // no watchdog: the next synth cleans up instead
  child.unref();
  return child;
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
