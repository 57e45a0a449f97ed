/**
 * A small client for an AWS endpoint (the fake, or LocalStack): EC2 query calls to set a world up,
 * and the fake's own `/_fake/` requests. Requests carry a SigV4-shaped `Authorization` header that
 * names the account (as the access key ID) and the service; neither endpoint checks signatures.
 */
import type { Resolution } from './resolver';
import type { CallRecord } from './server';
import type { WatchReport } from './watch';
import type { Organization } from './world';

/** An EC2 call that failed: its code and message. */
export class Ec2CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * `fetch`, retried once when it fails before any response (undici's "fetch failed": a keep-alive
 * socket the server closed as it was reused) and the request is safe to repeat: `idempotent` says
 * so. Requests that change the world are never repeated.
 */
async function fetchOnce(url: string, init: RequestInit, idempotent: boolean): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!idempotent || !(error instanceof TypeError)) throw error;
    return fetch(url, init);
  }
}

/** EC2 actions that only read (safe to repeat). */
const isReadAction = (action: string): boolean => /^Describe/.test(action);

/** A client of one endpoint. */
export class AwsEndpointClient {
  constructor(
    /** Base URL, e.g. `http://127.0.0.1:4566`. */
    readonly url: string,
  ) {}

  /** Calls an EC2 action as `account` in `region`; returns the reply's XML text. */
  async ec2(account: string, region: string, action: string, params: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }).toString();
    const date = new Date().toISOString().replace(/[-:]/g, '').slice(0, 8);
    const response = await fetchOnce(
      this.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          authorization: `AWS4-HMAC-SHA256 Credential=${account}/${date}/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body,
      },
      isReadAction(action),
    );
    const text = await response.text();
    if (!response.ok) {
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
      throw new Ec2CallError(code, message);
    }
    return text;
  }

  /**
   * Associates a VPC with a private hosted zone, or disassociates it, as `account` (Route 53's
   * AssociateVPCWithHostedZone / DisassociateVPCFromHostedZone: an operator's step by hand).
   */
  async route53AssociateVpc(account: string, zoneId: string, vpcId: string, region: string, associate: boolean) {
    const action = associate ? 'associatevpc' : 'disassociatevpc';
    const root = associate ? 'AssociateVPCWithHostedZoneRequest' : 'DisassociateVPCFromHostedZoneRequest';
    const date = new Date().toISOString().replace(/[-:]/g, '').slice(0, 8);
    const response = await fetchOnce(
      `${this.url}/2013-04-01/hostedzone/${zoneId.replace(/^\/hostedzone\//, '')}/${action}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/xml',
          authorization: `AWS4-HMAC-SHA256 Credential=${account}/${date}/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body:
          `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="https://route53.amazonaws.com/doc/2013-04-01/">` +
          `<VPC><VPCRegion>${region}</VPCRegion><VPCId>${vpcId}</VPCId></VPC></${root}>`,
      },
      false,
    );
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`Route 53 ${action} ${zoneId} ${vpcId}: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
  }

  /** Whether the endpoint is this project's fake (it answers `/_fake/health`). */
  async isFake(): Promise<boolean> {
    try {
      const response = await fetchOnce(`${this.url}/_fake/health`, {}, true);
      return response.ok && ((await response.json()) as { fake?: string }).fake === 'vpce-hub';
    } catch {
      return false;
    }
  }

  private async json<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
    // GETs only read; the fake's POSTs and DELETEs (quota, options, organization, watch) set state
    // to the same value again when repeated, so they are safe to repeat too.
    const response = await fetchOnce(
      `${this.url}${path}`,
      {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      },
      true,
    );
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** What `vpcId`'s resolver answers for `host` (the fake only). */
  resolve(vpcId: string, host: string): Promise<Resolution> {
    return this.json(`/_fake/resolve?vpc=${encodeURIComponent(vpcId)}&name=${encodeURIComponent(host)}`);
  }

  /** The call log from `since` on (the fake only). */
  calls(since = 0): Promise<CallRecord[]> {
    return this.json(`/_fake/calls?since=${since}`);
  }

  /** The private hosted zones a VPC is associated with (the fake only). */
  zonesOf(vpcId: string): Promise<Array<{ id: string; name: string; account: string }>> {
    return this.json(`/_fake/zones?vpc=${encodeURIComponent(vpcId)}`);
  }

  /** How many things of each kind the world holds (the fake only). */
  worldCounts(): Promise<Record<string, number>> {
    return this.json('/_fake/world');
  }

  /** Sets Route 53's VPCs-per-zone quota (the fake only). */
  setVpcsPerZone(value: number): Promise<unknown> {
    return this.json(`/_fake/quota?vpcsPerZone=${value}`, 'POST');
  }

  /** Sets Route 53 Profiles' VPCs-per-Profile quota (the fake only). */
  setVpcsPerProfile(value: number): Promise<unknown> {
    return this.json(`/_fake/quota?vpcsPerProfile=${value}`, 'POST');
  }

  /** The zones a VPC sees, directly or through its Route 53 Profile (the fake only). */
  visibleZones(vpcId: string): Promise<
    Array<{
      id: string;
      name: string;
      account: string;
      via: 'direct' | 'profile';
      profileId?: string;
      /** For the AWS-managed zone of an endpoint's private DNS: the endpoint. */
      privateDnsOf?: string;
    }>
  > {
    return this.json(`/_fake/visible-zones?vpc=${encodeURIComponent(vpcId)}`);
  }

  /**
   * Whether Profile associations of VPC endpoints report AWS's `ResourceProperties` (the fake only;
   * off by default: the AWS provider before 6.3.0 fails on them).
   */
  setEndpointResourceProperties(on: boolean): Promise<unknown> {
    return this.json(`/_fake/options?endpointResourceProperties=${on}`, 'POST');
  }

  /**
   * Throttles every `every`-th AWS API call from now on, 0: none (the fake only): each answers its
   * service's throttling error (Throttling, RequestLimitExceeded, ThrottlingException).
   */
  setThrottle(every: number): Promise<{ every: number; calls: number; throttled: number }> {
    return this.json(`/_fake/throttle?every=${every}`, 'POST');
  }

  /** Sets the organization RAM consults, or removes it with null (the fake only). */
  setOrganization(organization: Organization | null): Promise<Organization | null> {
    return organization
      ? this.json('/_fake/organization', 'POST', organization)
      : this.json('/_fake/organization', 'DELETE');
  }

  /**
   * Starts a resolution watch (the fake only): after every mutating Route 53, Route 53 Profiles or
   * RAM call, and every EC2 endpoint create, modify or delete, each host is resolved in each VPC;
   * NXDOMAIN and public answers are recorded, and every outcome is counted per host.
   */
  watch(vpcIds: readonly string[], hosts: readonly string[]): Promise<WatchReport> {
    return this.json('/_fake/watch', 'POST', { vpcIds, hosts });
  }

  /** What the resolution watch saw so far (the fake only). */
  watchReport(): Promise<WatchReport> {
    return this.json('/_fake/watch');
  }

  /** Stops the resolution watch; returns what it saw (the fake only). */
  unwatch(): Promise<WatchReport> {
    return this.json('/_fake/watch', 'DELETE');
  }
}
