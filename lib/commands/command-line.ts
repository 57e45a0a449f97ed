/**
 * What every command does with its command line: parse its options (plus `--help`/`-h`), print the
 * usage and exit 0 on `--help`, and on a usage mistake print `<command>: <what is wrong>` and the
 * usage on stderr and exit 2 (`__tests__/commands.test.ts` holds every command to it). Messages may
 * quote what the user typed, so control characters are shown, never obeyed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { escapeControl } from './escape';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** The parsed values of `options` (and `help`). */
export type CommandValues<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP }>
>['values'];

/** Where a command writes (process.stdout/stderr, or a test's buffers). */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export class CommandLine {
  constructor(
    /** The command's name, the prefix of its messages (`doctor`, `e2e`, ...). */
    readonly name: string,
    readonly usage: string,
    private readonly io: CommandIo = process,
  ) {}

  /**
   * Parses `argv`. A number is the exit code of a run that is already over: 0 after printing the
   * usage for `--help`, 2 after a usage mistake (an unknown option, a missing value).
   */
  parse<O extends Options>(argv: string[], options: O): CommandValues<O> | number {
    try {
      const values = parseArgs({ args: argv, options: { ...options, ...HELP } }).values as CommandValues<O>;
      if (!(values as { help?: boolean }).help) return values;
      this.io.stdout.write(`${this.usage}\n`);
      return 0;
    } catch (error) {
      return this.mistake((error as Error).message);
    }
  }

  /** Prints a usage mistake and the usage on stderr; returns 2, the exit code. */
  mistake(message: string): number {
    this.io.stderr.write(`${this.name}: ${escapeControl(message)}\n${this.usage}\n`);
    return 2;
  }
}

/**
 * Runs a command's `main` with the process's arguments and sets the exit code it returns. A crash
 * (a bug, not a usage mistake) prints its stack under the command's name and exits 1.
 */
export function runMain(name: string, main: (argv: string[]) => number | Promise<number>): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`${name}: ${(error as Error)?.stack ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
