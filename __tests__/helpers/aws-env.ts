/**
 * Runs a command's `main` in this process (the in-process fake answers from it too) with an AWS
 * environment of the test's choosing and nothing else: no credentials file, no instance metadata, no
 * profile. The process environment is restored afterwards.
 */

/** What a command printed and returned. */
export interface InProcessRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Main = (
  argv: string[],
  io: {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    env: NodeJS.ProcessEnv;
  },
) => number | Promise<number>;

/** Runs `main(argv)` as `account` against `endpoint`, with `env` on top (undefined removes a variable). */
export async function runWithAws(
  main: Main,
  argv: string[],
  options: { endpoint: string; account: string; configDir: string; env?: Record<string, string | undefined> },
): Promise<InProcessRun> {
  const aws: Record<string, string | undefined> = {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_ACCESS_KEY_ID: options.account,
    AWS_SECRET_ACCESS_KEY: 'fake',
    ...options.env,
  };
  const saved = Object.fromEntries(Object.keys(aws).map((key) => [key, process.env[key]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  let stdout = '';
  let stderr = '';
  set(aws);
  try {
    const status = await main(argv, {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { VPCE_CONFIG_DIR: options.configDir },
    });
    return { status, stdout, stderr };
  } finally {
    set(saved);
  }
}
