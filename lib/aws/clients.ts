/**
 * AWS clients of the read-only commands (the live doctor, discover): the AWS SDK for JavaScript v3 with the
 * standard configuration (profiles, `AWS_REGION`, `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`,
 * so they run against LocalStack or the project's fake unchanged), acting through an assumed role,
 * and backing off on throttling (the SDK's standard retry, exponential backoff with jitter: Route 53 allows about 5 requests per
 * second per account, shared with everything else the account runs).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** A source of credentials, as the SDK's clients take it. */
export type Credentials = ReturnType<typeof fromNodeProviderChain>;

/** Attempts per call, throttled ones included: each retry waits about twice as long as the one before. */
export const MAX_ATTEMPTS = 6;

/** Counts the API calls the clients make, by service (shown in the report). */
export class CallCounter {
  readonly byService = new Map<string, number>();

  add(service: string): void {
    this.byService.set(service, (this.byService.get(service) ?? 0) + 1);
  }

  get total(): number {
    return [...this.byService.values()].reduce((a, b) => a + b, 0);
  }
}

/** The operator's own credentials: the SDK's default chain (environment, profile, SSO, instance role...). */
export function baseCredentials(): Credentials {
  return fromNodeProviderChain();
}

/**
 * Credentials of `roleArn`, assumed with `base` (in `region`'s STS), once for all the clients that
 * share them (a run is far shorter than the session's hour).
 */
export function roleCredentials(
  roleArn: string,
  region: string,
  base: Credentials,
  sessionName = 'vpce-hub-doctor',
): Credentials {
  const assume = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 },
    masterCredentials: base,
    clientConfig: { region, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' },
  });
  let session: ReturnType<Credentials> | undefined;
  return () => {
    session ??= assume().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  };
}

/** A middleware that counts each attempt's call (a retried call counts again, as AWS counts it). */
export function counting<T extends { middlewareStack: unknown }>(client: T, service: string, counter?: CallCounter): T {
  if (counter) {
    // One shape for both clients' stacks: a finalize-step middleware that passes the call on.
    const stack = client.middlewareStack as {
      add(middleware: (next: (args: unknown) => unknown) => (args: unknown) => unknown, options: object): void;
    };
    stack.add(
      (next) => (args) => {
        counter.add(service);
        return next(args);
      },
      { step: 'finalizeRequest', name: `vpceHubCount-${service}` },
    );
  }
  return client;
}

/** Route 53 as `credentials` (a global service; the SDK signs for us-east-1). */
export function route53Client(credentials: Credentials, counter?: CallCounter): Route53Client {
  return counting(
    new Route53Client({ region: 'us-east-1', credentials, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' }),
    'route53',
    counter,
  );
}

/** EC2 in `region` as `credentials`. */
export function ec2Client(credentials: Credentials, region: string, counter?: CallCounter): EC2Client {
  return counting(
    new EC2Client({ region, credentials, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' }),
    'ec2',
    counter,
  );
}
