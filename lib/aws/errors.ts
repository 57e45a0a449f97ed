/**
 * AWS errors the user fixes (credentials, a role, the endpoint), told in one line: the read-only
 * commands (the live doctor, discover) exit 2 with it, never with a stack trace.
 */

/** A read that failed for a reason the user fixes: one line, exit 2. */
export class AwsAccessError extends Error {}

/** One line for an SDK or network error: what failed, the AWS error code, and its message. */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code =
    e.code ?? e.cause?.code ?? /\b(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH)\b/.exec(e.message ?? '')?.[1];
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') {
    const detail = e.cause?.message ?? e.message;
    return `cannot reach the AWS endpoint (${code}${detail ? `: ${detail}` : ''}); check AWS_ENDPOINT_URL and the network`;
  }
  if (e.name === 'CredentialsProviderError') {
    return 'no AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where a role provides them';
  }
  const message = (e.message ?? String(error)).split('\n')[0];
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${message}`;
}

/** Runs `work`; an error it throws becomes an {@link AwsAccessError} that starts with `what`. */
export async function explained<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AwsAccessError) throw error;
    throw new AwsAccessError(`${what}: ${describeAwsError(error)}`);
  }
}

/** Runs `work` on each item, at most `limit` at a time; the results in item order; the first error stops it. */
export async function eachLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
