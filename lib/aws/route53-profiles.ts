/**
 * The Route 53 Profiles reads of the live doctor. The npm registry serves no SDK client for Route 53
 * Profiles, so these are its REST calls, signed with the SDK's own SigV4 signer
 * (`@smithy/signature-v4`): `GET /profiles`, `GET /profileassociations`,
 * `GET /profileresourceassociations/profileid/{ProfileId}`, each paginated with `nextToken`.
 *
 * The endpoint is `AWS_ENDPOINT_URL_ROUTE53PROFILES`, else `AWS_ENDPOINT_URL`, else
 * `https://route53profiles.<region>.amazonaws.com`, as the SDK's clients choose theirs. Throttled
 * calls (HTTP 429, `ThrottlingException`) are retried with exponential backoff and jitter.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { MAX_ATTEMPTS, type CallCounter, type Credentials } from './clients';

/** A Profile. */
export interface ProfileSummary {
  readonly Id: string;
  readonly Arn?: string;
  readonly Name?: string;
}

/** A VPC's association with a Profile. */
export interface ProfileAssociation {
  readonly Id?: string;
  readonly ProfileId: string;
  readonly ResourceId: string;
  readonly OwnerId?: string;
  readonly Status?: string;
}

/** A zone or endpoint a Profile holds. */
export interface ProfileResourceAssociation {
  readonly ProfileId: string;
  readonly ResourceArn: string;
  readonly ResourceType?: string;
  readonly Status?: string;
}

/** A call that failed: its HTTP status and AWS error code. */
export class ProfilesApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProfilesApiError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Route 53 Profiles API of one account (its credentials) in one region. */
export class Route53ProfilesReader {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;

  constructor(
    credentials: Credentials,
    region: string,
    private readonly counter?: CallCounter,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.endpoint = new URL(
      env.AWS_ENDPOINT_URL_ROUTE53PROFILES || env.AWS_ENDPOINT_URL || `https://route53profiles.${region}.amazonaws.com`,
    );
    this.signer = new SignatureV4({ credentials, region, service: 'route53profiles', sha256: Sha256 });
  }

  /** Every Profile the account owns or is shared. */
  listProfiles(): Promise<ProfileSummary[]> {
    return this.pages('/profiles', {}, 'ProfileSummaries');
  }

  /** The account's Profile associations, of one VPC when `resourceId` is given. */
  listProfileAssociations(filter: { resourceId?: string; profileId?: string } = {}): Promise<ProfileAssociation[]> {
    const query: Record<string, string> = {};
    if (filter.resourceId) query.resourceId = filter.resourceId;
    if (filter.profileId) query.profileId = filter.profileId;
    return this.pages('/profileassociations', query, 'ProfileAssociations');
  }

  /** The zones and endpoints a Profile holds. */
  listProfileResourceAssociations(profileId: string): Promise<ProfileResourceAssociation[]> {
    return this.pages(
      `/profileresourceassociations/profileid/${encodeURIComponent(profileId)}`,
      {},
      'ProfileResourceAssociations',
    );
  }

  private async pages<T>(path: string, query: Record<string, string>, key: string): Promise<T[]> {
    const items: T[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.get(path, { ...query, maxResults: '100', ...(nextToken ? { nextToken } : {}) });
      items.push(...((page[key] as T[] | undefined) ?? []));
      nextToken = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
    } while (nextToken);
    return items;
  }

  private async get(path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const base = this.endpoint.pathname.replace(/\/$/, '');
    for (let attempt = 1; ; attempt++) {
      const request = await this.signer.sign({
        method: 'GET',
        protocol: this.endpoint.protocol,
        hostname: this.endpoint.hostname,
        ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
        path: `${base}${path}`,
        query,
        headers: { host: this.endpoint.host, accept: 'application/json' },
      });
      const url = new URL(`${this.endpoint.origin}${base}${path}`);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      this.counter?.add('route53profiles');
      const response = await fetch(url, { headers: request.headers as Record<string, string> });
      const text = await response.text();
      if (response.ok) return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      const code = (response.headers.get('x-amzn-errortype') ?? '').split(':')[0] || errorCode(text);
      const throttled = response.status === 429 || /Throttl|RequestLimitExceeded|TooManyRequests/.test(code);
      if (throttled && attempt < MAX_ATTEMPTS) {
        await sleep(Math.min(20_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
        continue;
      }
      throw new ProfilesApiError(response.status, code, `Route 53 Profiles ${path}: HTTP ${response.status} ${code}`);
    }
  }
}

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { __type?: string; code?: string };
    return (parsed.__type ?? parsed.code ?? '').split('#').pop() ?? '';
  } catch {
    return '';
  }
}
