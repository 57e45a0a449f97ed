/**
 * A one-line progress indicator for commands that take more than a couple of seconds (bench,
 * affected, the e2e runner): one line on stderr, redrawn in place, on a terminal only.
 *
 * ```ts
 * const p = progress('affected', { enabled: !json });
 * p.update('synthesizing the base origin/main');   // affected: synthesizing the base origin/main
 * p.update('synthesizing the working tree');       // the same line, redrawn
 * p.done();                                        // the line is erased; stdout stays clean
 * ```
 *
 * Rules:
 * - It writes only when the stream is a terminal (`isTTY`, and not `TERM=dumb`) and `enabled` is
 *   not false, so CI logs, pipes, `2>file` and `--json` runs get nothing at all. Pass
 *   `enabled: !json` (or `!quiet`).
 * - Every `update` redraws the line (carriage return, erase the line, the text), cut to the
 *   terminal's width so it never wraps. Nothing animates by itself: the line changes when you
 *   call `update`, so it works while a synchronous child process (spawnSync) blocks the event
 *   loop. Update at each step (a run, a stack, a phase) of work that takes seconds.
 * - `done()` erases the line; `done(text)` replaces it with `<label>: <text>` and a newline, a line
 *   that stays. After `done`, further calls do nothing.
 * - Call `done()` before writing anything else to stdout or stderr on a terminal, or the next
 *   write lands after the progress text. One indicator at a time.
 * - Control characters in the text are shown escaped (`\u001b`), never sent to the terminal.
 *
 * No package dependency. The stream is anything with `write` (and `isTTY`, `columns`), so a test
 * can pass a fake one.
 */

import { escapeControl } from './escape';

/** Where progress is drawn: `process.stderr`, or a fake in tests. */
export interface ProgressStream {
  /** True on a terminal; progress is drawn only then. */
  readonly isTTY?: boolean;
  /** The terminal's width; lines are cut to it (default 80). */
  readonly columns?: number;
  write(text: string): unknown;
}

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Default `process.stderr`. */
  readonly stream?: ProgressStream;
  /** False turns it off whatever the stream (e.g. `enabled: !json`). Default true. */
  readonly enabled?: boolean;
  /** Read for `TERM=dumb` (no cursor control: then nothing is drawn). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A running progress line. */
export interface Progress {
  /** Whether anything is drawn at all (a terminal, and enabled). */
  readonly active: boolean;
  /** Redraws the line as `<label>: <text>`. */
  update(text: string): void;
  /** Erases the line, or replaces it with `<label>: <text>` and a newline. Idempotent. */
  done(text?: string): void;
}

const ERASE_LINE = '\r\u001b[2K';

/**
 * Starts a progress line labelled `label` (e.g. the command's name); nothing is drawn before the
 * first {@link Progress.update}. Inactive (every call a no-op) off a terminal or when disabled.
 */
export function progress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const active = options.enabled !== false && stream.isTTY === true && (options.env ?? process.env).TERM !== 'dumb';
  let drawn = false;
  let finished = false;
  const line = (text: string) => `${escapeControl(label)}: ${escapeControl(text)}`;
  return {
    active,
    update(text: string): void {
      if (!active || finished) return;
      // Some pseudo-terminals report 0 columns: then assume 80.
      const width = Math.max(20, (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80) - 1);
      const full = line(text);
      stream.write(`${ERASE_LINE}${full.length > width ? `${full.slice(0, width - 1)}…` : full}`);
      drawn = true;
    },
    done(text?: string): void {
      if (!active || finished) return;
      finished = true;
      if (drawn) stream.write(ERASE_LINE);
      if (text !== undefined) stream.write(`${line(text)}\n`);
    },
  };
}
