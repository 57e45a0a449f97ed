/**
 * How the read-only AWS commands (the live doctor, discover) run their AWS work: a progress line on a
 * terminal while it reads, and a user's mistake told in one line with exit code 2, never a stack
 * trace: the configuration's problems as the config loader words them, and an AWS error the user
 * fixes (credentials, a role, the endpoint) or any of the command's own `userErrors`, after
 * `<command>: `. Anything else is a bug, and is thrown.
 */
import { AwsAccessError } from '../aws/errors';
import { loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import type { VpceConfig } from '../config/schema';
import { escapeControl } from './escape';
import { progress } from './progress';

/** An error class whose instances are the user's to fix. */
type UserError = abstract new (...args: never[]) => Error;

/** Runs `work` with a progress line: its result, or undefined after one line on stderr for a user's mistake (exit 2). */
export async function runAwsWork<T>(
  command: string,
  io: { readonly stderr: { write(text: string): unknown } },
  options: { readonly quiet: boolean; readonly userErrors?: readonly UserError[] },
  work: (progress: (text: string) => void) => Promise<T>,
): Promise<T | undefined> {
  const shown = progress(command, { enabled: !options.quiet, stream: io.stderr as NodeJS.WriteStream });
  try {
    const result = await work((text) => shown.update(text));
    shown.done();
    return result;
  } catch (error) {
    shown.done();
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return undefined;
    }
    if (error instanceof AwsAccessError || (options.userErrors ?? []).some((kind) => error instanceof kind)) {
      io.stderr.write(`${command.split(' ')[0]}: ${escapeControl((error as Error).message)}\n`);
      return undefined;
    }
    throw error;
  }
}

/** The configuration of `dir`; its problems say that `command` did not run (not that nothing was synthesized). */
export function loadConfigFor(dir: string, command: string): VpceConfig {
  try {
    return loadConfig(dir);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems, `${command} did not run`);
    throw error;
  }
}
