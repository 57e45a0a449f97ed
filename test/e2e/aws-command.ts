/**
 * Runs one of the project's AWS commands (`npm run doctor -- --live`, `npm run discover`) as a
 * process against a flow's AWS endpoint, as an operator: the standard AWS configuration and nothing
 * else (no credentials file, no instance metadata), the session token labelling its calls in the
 * fake's log (the least-privilege replay reads them).
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** How a command ran. */
export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lib/commands/<command>.ts` with `args`, reading `configDir`, as `operator` against `endpoint`. */
export function runAwsCommand(
  command: 'doctor' | 'discover',
  args: readonly string[],
  target: { readonly configDir: string; readonly endpoint: string; readonly operator: string; readonly label: string },
): Promise<CommandRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'lib', 'commands', `${command}.ts`), ...args],
      {
        encoding: 'utf8',
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          VPCE_CONFIG_DIR: target.configDir,
          AWS_ENDPOINT_URL: target.endpoint,
          AWS_ACCESS_KEY_ID: target.operator,
          AWS_SECRET_ACCESS_KEY: 'e2e',
          AWS_SESSION_TOKEN: target.label,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ status, stdout, stderr });
      },
    );
  });
}
