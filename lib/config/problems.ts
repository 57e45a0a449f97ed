/**
 * Problems found in the configuration, and the error that carries all of them at once.
 */
import { escapeControl } from '../commands/escape';

/** One thing wrong with the configuration, located in its file. */
export interface Problem {
  /** The file, as the user named it (e.g. `config/accounts.yaml`). */
  readonly file: string;
  /** 1-based line, or undefined when the problem concerns the whole file (e.g. it is missing). */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** Where in the document, e.g. `accounts[2].id`; empty for the whole file. */
  readonly path: string;
  /** The offending value as written in the file, when there is one. */
  readonly value?: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
}

/**
 * Renders one problem as `file:line:col: path: value: message`, on one line. Every part may hold
 * text from the config (a key, a value, a folder name), so control characters are escaped
 * (`\u000a`): a key like `"x\n::error::..."` cannot start a new output line, which GitHub Actions
 * would read as a workflow command, nor move the cursor or recolour a terminal.
 */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  const what = [problem.path, problem.value === undefined ? undefined : `got ${problem.value}`]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
  return escapeControl(what === '' ? `${where}: ${problem.message}` : `${where}: ${what}: ${problem.message}`);
}

/** Orders problems by file, then line, then column, so the report reads top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * The configuration is invalid. Thrown once with every problem found, so the user can fix them all
 * in one go. `main.ts` prints `message` without a stack trace and exits non-zero.
 */
export class ConfigError extends Error {
  readonly problems: readonly Problem[];

  /** `outcome`: what did not happen because of them (the heading's end). */
  constructor(problems: readonly Problem[], outcome = 'nothing was synthesized') {
    const sorted = sortProblems(problems);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(
      [`vpce-hub: the configuration has ${count}; ${outcome}.`, ...sorted.map((p) => `  ${formatProblem(p)}`)].join(
        '\n',
      ),
    );
    this.name = 'ConfigError';
    this.problems = sorted;
  }
}
