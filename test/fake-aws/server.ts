/**
 * The local AWS fake: one HTTP endpoint that serves the STS, EC2, Route 53, Route 53 Profiles and
 * AWS RAM actions the AWS provider calls for vpce-hub's resources, and the AWS Organizations reads
 * that list an organization's accounts (organizations.ts), in their real wire formats, from one
 * shared world.
 *
 * Point a provider at it with `endpoints { sts = URL, ec2 = URL, route53 = URL, route53profiles = URL,
 * ram = URL, organizations = URL }` (an AWS SDK: `AWS_ENDPOINT_URL=URL`, or `endpoint`) and credentials
 * whose access key ID is the 12-digit account to act as (see sts.ts). Requests are routed by the
 * service of their SigV4 credential scope (Route 53 also by its `/2013-04-01/` path; Organizations'
 * operation is its `X-Amz-Target` header). Besides the AWS APIs it answers a few requests of its own
 * under `/_fake/`:
 *
 * - `GET /_fake/health`: `{"fake": "vpce-hub"}`; how a harness tells this fake from LocalStack.
 * - `GET /_fake/resolve?vpc=<vpc-id>&name=<host>`: what the VPC's Route 53 Resolver answers (resolver.ts).
 * - `GET /_fake/calls?since=<seq>`: the call log: every API call with its caller's account, principal and label.
 * - `GET /_fake/world`: how many things of each kind exist (all zero: the world is empty).
 * - `GET /_fake/zones?vpc=<vpc-id>`: the private hosted zones the VPC is associated with, any account's.
 * - `GET /_fake/visible-zones?vpc=<vpc-id>`: the zones the VPC sees, directly or through its Profile (`via`),
 *   with the AWS-managed zones of endpoints' private DNS (`privateDnsOf`: the endpoint).
 * - `POST /_fake/quota?vpcsPerZone=<n>&vpcsPerProfile=<n>`: Route 53's VPCs-per-zone quota, Route 53
 *   Profiles' VPCs-per-Profile quota (either or both).
 * - `POST /_fake/options?endpointResourceProperties=true|false`: whether Profile associations of VPC
 *   endpoints report AWS's `ResourceProperties` (off by default; see route53profiles.ts).
 * - `GET|POST|DELETE /_fake/organization`: the organization RAM consults and Organizations serves
 *   (world.ts `Organization`, as the JSON body of a POST: its OU tree, account names, suspended
 *   accounts and delegated administrators too); DELETE: no organization.
 * - `POST /_fake/watch` with `{"vpcIds": [...], "hosts": [...]}`: start a resolution watch (watch.ts);
 *   `GET /_fake/watch`: what it saw; `DELETE /_fake/watch`: stop it and return what it saw.
 * - `POST /_fake/deny-assume?role=<role ARN>`: AssumeRole of that role answers AccessDenied from now
 *   on (as a role whose trust policy does not admit the caller); `DELETE /_fake/deny-assume`: none.
 * - `POST /_fake/throttle?every=<n>`: throttle every n-th AWS API call from now on (0: never, the
 *   default); `GET /_fake/throttle`: `{"every": n, "calls": <API calls counted since>, "throttled": <how many>}`.
 *   Every AWS API call counts (any service, any caller, failed ones too; `/_fake/` requests do not),
 *   and a throttled call does nothing and answers its service's throttling error in that service's
 *   wire format: Route 53 `Throttling` (HTTP 400, `<ErrorResponse><Error><Type>Sender</Type>
 *   <Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>`), STS `Throttling`
 *   (HTTP 400, the same query-protocol error document), EC2 `RequestLimitExceeded` (HTTP 503,
 *   `<Response><Errors><Error><Code>`), Route 53 Profiles and RAM `ThrottlingException` (HTTP 429,
 *   the code in `x-amzn-ErrorType` and the JSON body's `__type`), Organizations
 *   `TooManyRequestsException` (HTTP 400, as Organizations throttles: `{"__type": ..., "Message": ...,
 *   "Type": ...}`, see organizations.ts). The AWS SDKs retry all of them.
 *   Throttled calls are in the call log with that error code and no IAM checks (AWS authorized nothing).
 *
 * EC2 also serves what a VPC's resolution depends on (vpc-dns.ts): DescribeVpcAttribute and
 * ModifyVpcAttribute (`enableDnsSupport`, default true; `enableDnsHostnames`, default false, as for
 * any VPC CreateVpc makes), CreateDhcpOptions, AssociateDhcpOptions (`default` too), DescribeDhcpOptions
 * and DeleteDhcpOptions, and DescribeVpcs' `dhcpOptionsId` (each account's default set per Region,
 * `AmazonProvidedDNS`, until another is associated). The Describe actions page with `MaxResults` /
 * `NextToken`; Route 53's ListHostedZonesByVPC (`MaxItems` / `NextToken`), ListResourceRecordSets
 * (300 a page, `StartRecordName` / `StartRecordType`) and ListVPCAssociationAuthorizations (50 a page)
 * page as Route 53 does, and so do Route 53 Profiles' List operations (`maxResults` / `nextToken`)
 * and Organizations' (`MaxResults` 1 to 20, `NextToken`).
 *
 * A prebuilt world (world-builder.ts: what the stacks of a configuration would have made) is served
 * with `FakeAws.start({ world })`.
 *
 * Run it on its own with `npx tsx test/fake-aws/server.ts [--port 4566] [--state world.json]`.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { changesResolution, ec2, EC2_NAMESPACE, isEc2ReadAction } from './ec2';
import {
  ec2Checks,
  organizationsChecks,
  ramChecks,
  route53Checks,
  route53profilesChecks,
  type IamCheck,
} from './iam-checks';
import {
  Organizations,
  organizationsAction,
  organizationsErrorDocument,
  organizationsThrottlingError,
  ORGANIZATIONS_CONTENT_TYPE,
} from './organizations';
import { AwsError, parseQuery, parseXml, signerOf, xmlDocument, type XmlNode } from './protocol';
import { Ram, ramAction } from './ram';
import { resolveName, zonesSeenBy } from './resolver';
import { jsonError, parseJsonBody, pathSegments, type JsonObject, type JsonReply } from './rest-json';
import { InvalidChangeBatch, Route53, route53Action, ROUTE53_NAMESPACE } from './route53';
import { Route53Profiles, route53profilesRoute, zoneDomainOf } from './route53profiles';
import { callerOf, sts, STS_NAMESPACE, type Caller } from './sts';
import { ResolutionWatch, type WatchReport, type WatchSpec } from './watch';
import { World, type Organization } from './world';

/** One API call, as the call log keeps it. */
export interface CallRecord {
  readonly seq: number;
  readonly time: string;
  /** `sts`, `ec2`, `route53`, `route53profiles`, `ram`, `organizations`. */
  readonly service: string;
  /** The API action, e.g. `AssociateVPCWithHostedZone`. */
  readonly action: string;
  /** The caller's account, principal ARN and assumed role (absent when the credentials were unknown). */
  readonly account?: string;
  readonly principal?: string;
  readonly roleArn?: string;
  /** The label of the caller's base credentials (the e2e harness: `<stack> <command>`). */
  readonly label?: string;
  /** HTTP status, and the error code when the call failed. */
  readonly status: number;
  readonly error?: string;
  /** The IAM authorizations the call needs (iam-checks.ts), to replay against policies. */
  readonly checks?: readonly IamCheck[];
}

/** One REST-JSON request, routed. */
interface JsonCall {
  readonly region: string;
  readonly service: string;
  readonly action: string;
  /** The Route 53 Profiles route (undefined for RAM, or when no operation matches). */
  readonly route: ReturnType<typeof route53profilesRoute>;
  readonly segments: string[];
  readonly url: URL;
  readonly method: string;
  /** The raw JSON body. */
  readonly body: string;
}

/** Options of {@link FakeAws.start}. */
export interface FakeAwsOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Address to listen on. @default 127.0.0.1 */
  readonly host?: string;
  /** The world file; absent: the world lives in memory only. The call log goes to `<file>.calls.jsonl`. */
  readonly stateFile?: string;
  /**
   * The world to serve, e.g. world-builder.ts's (it keeps the file it was opened with, if any);
   * absent: the world in `stateFile`, or a new one.
   */
  readonly world?: World;
}

/** The throttling error of each service, in its wire format (see the module comment). */
function throttlingError(service: string): AwsError {
  switch (service) {
    case 'ec2':
      return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 'route53profiles':
    case 'ram':
      return new AwsError('ThrottlingException', 'Rate exceeded', 429);
    case 'organizations':
      return organizationsThrottlingError();
    default:
      // Route 53 and STS (and any other query or REST-XML service): Sender, HTTP 400.
      return new AwsError('Throttling', 'Rate exceeded', 400);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** How long an idle keep-alive connection stays open (Node's default, 5 s, races with clients' reuse). */
const KEEP_ALIVE_MS = 120_000;

function requestId(): string {
  return `fake-${Date.now().toString(16)}-${Math.floor(Math.random() * 0xffffff).toString(16)}`;
}

/** A running fake. */
export class FakeAws {
  /** Starts a fake and resolves once it listens. */
  static async start(options: FakeAwsOptions = {}): Promise<FakeAws> {
    const fake = new FakeAws(options.world ?? new World(options.stateFile), options.stateFile);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  private readonly server: Server;
  private readonly log: CallRecord[] = [];
  private readonly route53: Route53;
  private readonly route53profiles: Route53Profiles;
  private readonly ram: Ram;
  private readonly organizations: Organizations;
  private readonly watcher = new ResolutionWatch();
  /** Every `throttleEvery`-th AWS API call is throttled (0: none); `apiCalls` counts them since it was set. */
  private throttleEvery = 0;
  private apiCalls = 0;
  private throttledCalls = 0;

  private constructor(
    /** What the fake knows. */
    readonly world: World,
    private readonly stateFile?: string,
  ) {
    this.route53 = new Route53(world);
    this.route53profiles = new Route53Profiles(world);
    this.ram = new Ram(world);
    this.organizations = new Organizations(world);
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake AWS internal error: ${(error as Error).stack ?? String(error)}`);
      });
    });
    // Node closes an idle keep-alive socket after 5 s, about when a client (undici's fetch, the
    // harness's; the provider's Go client) reuses it for its next request: that request then fails
    // ("fetch failed", "connection reset"). Keep idle sockets far longer than any client does; the
    // header timeout must exceed the keep-alive timeout.
    this.server.keepAliveTimeout = KEEP_ALIVE_MS;
    this.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  }

  /** The base URL, e.g. `http://127.0.0.1:43123`. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** The call log, from sequence number `since` on. */
  calls(since = 0): CallRecord[] {
    return this.log.filter((call) => call.seq >= since);
  }

  /**
   * Sets (or, with undefined, removes) the organization RAM consults and Organizations serves: its ID,
   * management account, member accounts, OUs with their accounts, whether RAM sharing with it is
   * enabled, and optionally its root ID, OU tree and names, account names, suspended accounts and
   * delegated administrators (world.ts `Organization`).
   */
  setOrganization(organization: Organization | undefined): void {
    this.world.setOrganization(organization);
  }

  /** Sets quotas: Route 53's VPCs per zone, Route 53 Profiles' VPCs per Profile. */
  setQuota(quota: { vpcsPerZone?: number; vpcsPerProfile?: number }): void {
    for (const [key, value] of Object.entries(quota)) {
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`quota ${key} must be a positive integer, not ${value}`);
      }
    }
    if (quota.vpcsPerZone !== undefined) this.world.data.vpcsPerZone = quota.vpcsPerZone;
    if (quota.vpcsPerProfile !== undefined) this.world.data.vpcsPerProfile = quota.vpcsPerProfile;
    this.world.save();
  }

  /**
   * Starts a resolution watch: after every mutating Route 53, Route 53 Profiles or RAM call, and every
   * EC2 call that creates, modifies or deletes an endpoint, each host is resolved in each VPC and
   * every NXDOMAIN or public answer is recorded (watch.ts).
   */
  watch(spec: WatchSpec): WatchReport {
    return this.watcher.start(this.world, spec);
  }

  /** What the resolution watch saw so far. */
  watchReport(): WatchReport {
    return this.watcher.report();
  }

  /** Stops the resolution watch; returns what it saw. */
  unwatch(): WatchReport {
    return this.watcher.stop();
  }

  /**
   * Whether Profile resource associations of VPC endpoints report `ResourceProperties` as AWS does
   * (breaks the AWS provider before 6.3.0; see route53profiles.ts).
   */
  setEndpointResourceProperties(on: boolean): void {
    this.world.data.endpointResourceProperties = on;
    this.world.save();
  }

  /**
   * Throttles every `every`-th AWS API call from now on (0: none), counting from zero again: the
   * call answers its service's throttling error and does nothing (see the module comment).
   */
  setThrottle(every: number): void {
    if (!Number.isInteger(every) || every < 0) {
      throw new Error(`throttle every must be a whole number >= 0, not ${every}`);
    }
    this.throttleEvery = every;
    this.apiCalls = 0;
    this.throttledCalls = 0;
  }

  /** The throttling: every how many calls, how many AWS API calls were counted since it was set, how many throttled. */
  throttle(): { every: number; calls: number; throttled: number } {
    return { every: this.throttleEvery, calls: this.apiCalls, throttled: this.throttledCalls };
  }

  /** Counts an AWS API call; whether it is throttled. */
  private countCall(): boolean {
    this.apiCalls += 1;
    const throttled = this.throttleEvery > 0 && this.apiCalls % this.throttleEvery === 0;
    if (throttled) this.throttledCalls += 1;
    return throttled;
  }

  /** Stops listening (the world file stays). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private record(call: Omit<CallRecord, 'seq' | 'time'>): CallRecord {
    const entry: CallRecord = { seq: this.log.length + 1, time: new Date().toISOString(), ...call };
    this.log.push(entry);
    if (this.stateFile) appendFileSync(`${this.stateFile}.calls.jsonl`, `${JSON.stringify(entry)}\n`);
    return entry;
  }

  /**
   * Serves one REST-JSON call (Route 53 Profiles, RAM): hands its IAM checks to `setChecks` before it
   * runs, sends the reply; returns whether the world changed.
   */
  private serveJson(
    caller: Caller,
    call: JsonCall,
    response: ServerResponse,
    setChecks: (checks: IamCheck[]) => void,
  ): boolean {
    const { region, service, action, route: profilesRoute, segments, url, method } = call;
    const request = { method, segments, query: url.searchParams, body: parseJsonBody(call.body) };
    let reply: JsonReply;
    if (service === 'route53profiles') {
      if (!profilesRoute) {
        throw new AwsError(
          'UnknownOperationException',
          `${method} ${url.pathname} is not an operation of Route 53 Profiles.`,
          404,
        );
      }
      setChecks(
        route53profilesChecks(profilesRoute.action, {
          account: caller.account,
          region,
          labels: profilesRoute.labels,
          body: request.body,
          zoneDomain: (arn) => zoneDomainOf(this.world, arn),
        }),
      );
      reply = this.route53profiles.handle(caller, region, profilesRoute, request);
    } else {
      if (!ramAction(method, segments)) {
        throw new AwsError('UnknownOperationException', `${method} ${url.pathname} is not an operation of RAM.`, 404);
      }
      setChecks(
        ramChecks(action, {
          account: caller.account,
          region,
          body: request.body,
          query: url.searchParams,
          share: (arn) => {
            const share = this.world.data.resourceShares[arn];
            return share
              ? {
                  name: share.name,
                  owner: share.owner,
                  allowExternalPrincipals: share.allowExternalPrincipals,
                  profileArns: share.resources.filter((r) => r.status !== 'DISASSOCIATED').map((r) => r.entity),
                }
              : undefined;
          },
          invitation: (arn) => {
            const invitation = this.world.data.invitations[arn];
            return invitation
              ? { owner: invitation.sender, shareName: this.world.data.resourceShares[invitation.shareArn]?.name }
              : undefined;
          },
        }),
      );
      reply = this.ram.handle(caller, region, action, request);
    }
    if (reply.changed) this.world.save();
    response.writeHead(reply.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId() });
    response.end(reply.status === 204 || reply.body === undefined ? undefined : JSON.stringify(reply.body));
    return reply.changed;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readBody(request);
    if (url.pathname.startsWith('/_fake/')) {
      this.control(request.method ?? 'GET', url, body, response);
      return;
    }
    const signer = signerOf(request.headers);
    const method = request.method ?? 'GET';
    const isRoute53 = url.pathname.startsWith('/2013-04-01/');
    const isJson = !isRoute53 && (signer?.service === 'route53profiles' || signer?.service === 'ram');
    // Organizations speaks JSON 1.1: `POST /`, the operation in `X-Amz-Target`.
    const isOrganizations = !isRoute53 && signer?.service === 'organizations';
    const target = typeof request.headers['x-amz-target'] === 'string' ? request.headers['x-amz-target'] : undefined;
    const segments = isJson ? pathSegments(url.pathname) : [];
    const profilesRoute = signer?.service === 'route53profiles' ? route53profilesRoute(method, segments) : undefined;
    const params = isRoute53 || isJson || isOrganizations ? {} : parseQuery(body);
    const service = isRoute53 ? 'route53' : (signer?.service ?? 'unknown');
    const action = isRoute53
      ? (route53Action(method, url.pathname.slice('/2013-04-01/'.length)) ?? `${method} ${url.pathname}`)
      : service === 'route53profiles'
        ? (profilesRoute?.action ?? `${method} ${url.pathname}`)
        : service === 'ram'
          ? (ramAction(method, segments) ?? `${method} ${url.pathname}`)
          : isOrganizations
            ? (organizationsAction(target) ?? target ?? `${method} ${url.pathname}`)
            : String(params.Action ?? 'unknown');
    let caller: Caller | undefined;
    let checks: IamCheck[] | undefined;
    let changed = false;
    const throttled = this.countCall();
    try {
      caller = callerOf(this.world, signer);
      if (throttled) throw throttlingError(service);
      if (isRoute53) {
        const path = url.pathname.slice('/2013-04-01/'.length);
        const query = new URLSearchParams(
          [...url.searchParams].map(([k, v]): [string, string] => [k.toLowerCase(), v]),
        );
        const xml = parseXml(body);
        checks = route53Checks(action, route53ResourceId(path), route53RequestVpc(xml, query));
        const reply = this.route53.handle(caller, { method: request.method ?? 'GET', path, query, body: xml });
        changed = reply.changed;
        if (reply.changed) this.world.save();
        this.send(response, reply.status, xmlDocument(reply.root, ROUTE53_NAMESPACE, reply.body));
      } else if (isJson) {
        const call = {
          region: signer?.region ?? 'us-east-1',
          service,
          action,
          route: profilesRoute,
          segments,
          url,
          method,
          body,
        };
        changed = this.serveJson(caller, call, response, (c) => (checks = c));
      } else if (isOrganizations) {
        if (method !== 'POST' || organizationsAction(target) === undefined) {
          throw new AwsError(
            'UnknownOperationException',
            `${target ?? `${method} ${url.pathname}`} is not an operation this fake's Organizations serves.`,
          );
        }
        const input = parseJsonBody(body);
        checks = organizationsChecks(action);
        const output = this.organizations.handle(caller, action, input);
        response.writeHead(200, { 'content-type': ORGANIZATIONS_CONTENT_TYPE, 'x-amzn-requestid': requestId() });
        response.end(JSON.stringify(output));
      } else if (service === 'sts') {
        const result = sts(this.world, caller, action, params);
        this.send(
          response,
          200,
          xmlDocument(`${action}Response`, STS_NAMESPACE, { ...result, ResponseMetadata: { RequestId: requestId() } }),
        );
      } else if (service === 'ec2') {
        checks = ec2Checks(action, params, caller.account, signer?.region ?? 'us-east-1', {
          endpointVpc: (id) => this.world.data.vpcEndpoints[id]?.vpcId,
          endpointService: (id) => this.world.data.vpcEndpoints[id]?.serviceName,
        });
        const result = ec2(this.world, caller, action, params, signer?.region ?? 'us-east-1');
        if (!isEc2ReadAction(action)) this.world.save();
        changed = changesResolution(action);
        this.send(
          response,
          200,
          xmlDocument(`${action}Response`, EC2_NAMESPACE, { requestId: requestId(), ...result }),
        );
      } else {
        throw new AwsError(
          'UnknownService',
          `This fake serves sts, ec2, route53, route53profiles, ram and organizations, not "${service}".`,
          400,
        );
      }
      const entry = this.record({
        service,
        action,
        account: caller.account,
        principal: caller.arn,
        roleArn: caller.roleArn,
        label: caller.label,
        status: 200,
        checks,
      });
      if (changed && this.watcher.active) {
        this.watcher.check(this.world, {
          seq: entry.seq,
          time: entry.time,
          service,
          action,
          account: caller.account,
          label: caller.label,
        });
      }
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      this.record({
        service,
        action,
        account: caller?.account,
        principal: caller?.arn,
        roleArn: caller?.roleArn,
        label: caller?.label,
        status: error.status,
        error: error.code,
        checks,
      });
      if (isOrganizations) {
        const document = organizationsErrorDocument(error);
        response.writeHead(error.status, { 'x-amzn-requestid': requestId(), ...document.headers });
        response.end(document.body);
        return;
      }
      if (isJson) {
        const document = jsonError(error);
        response.writeHead(error.status, {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId(),
          ...document.headers,
        });
        response.end(document.body);
        return;
      }
      this.send(response, error.status, this.errorDocument(service, error));
    }
  }

  private errorDocument(service: string, error: AwsError): string {
    if (service === 'ec2') {
      return (
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`
      );
    }
    if (error instanceof InvalidChangeBatch) {
      return xmlDocument('InvalidChangeBatch', ROUTE53_NAMESPACE, {
        Messages: { Message: error.messages },
        RequestId: requestId(),
      });
    }
    const namespace = service === 'sts' ? STS_NAMESPACE : ROUTE53_NAMESPACE;
    return xmlDocument('ErrorResponse', namespace, {
      Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
      RequestId: requestId(),
    });
  }

  private send(response: ServerResponse, status: number, xml: string): void {
    response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
    response.end(xml);
  }

  private control(method: string, url: URL, body: string, response: ServerResponse): void {
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    const parsed = (): JsonObject | undefined => {
      try {
        const value = JSON.parse(body) as unknown;
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
      } catch {
        return undefined;
      }
    };
    switch (`${method} ${url.pathname}`) {
      case 'GET /_fake/health':
        return json(200, { fake: 'vpce-hub' });
      case 'GET /_fake/resolve': {
        const vpc = url.searchParams.get('vpc');
        const name = url.searchParams.get('name');
        if (!vpc || !name) return json(400, { error: 'resolve needs ?vpc=<vpc-id>&name=<host>' });
        return json(200, resolveName(this.world, vpc, name));
      }
      case 'GET /_fake/calls':
        return json(200, this.calls(Number(url.searchParams.get('since') ?? '0')));
      case 'GET /_fake/world':
        return json(200, this.world.counts());
      case 'GET /_fake/zones': {
        const vpc = url.searchParams.get('vpc') ?? '';
        const zones = Object.values(this.world.data.zones).filter((z) => z.vpcs.some((v) => v.vpcId === vpc));
        return json(
          200,
          zones.map((z) => ({ id: z.id, name: z.name, account: z.account })),
        );
      }
      case 'GET /_fake/visible-zones': {
        const vpc = url.searchParams.get('vpc') ?? '';
        return json(
          200,
          zonesSeenBy(this.world, vpc).map((v) => ({
            id: v.zone.id,
            name: v.zone.name,
            account: v.zone.account,
            via: v.via,
            ...(v.profileId ? { profileId: v.profileId } : {}),
            ...(v.privateDnsOf ? { privateDnsOf: v.privateDnsOf } : {}),
          })),
        );
      }
      case 'POST /_fake/quota': {
        const quota: { vpcsPerZone?: number; vpcsPerProfile?: number } = {};
        for (const key of ['vpcsPerZone', 'vpcsPerProfile'] as const) {
          const raw = url.searchParams.get(key);
          if (raw === null) continue;
          const value = Number(raw);
          if (!Number.isInteger(value) || value < 1) {
            return json(400, { error: `quota ${key} must be a positive integer` });
          }
          quota[key] = value;
        }
        if (Object.keys(quota).length === 0) {
          return json(400, {
            error: 'quota needs ?vpcsPerZone=<positive integer> and/or ?vpcsPerProfile=<positive integer>',
          });
        }
        this.setQuota(quota);
        return json(200, { vpcsPerZone: this.world.data.vpcsPerZone, vpcsPerProfile: this.world.data.vpcsPerProfile });
      }
      case 'POST /_fake/options': {
        const raw = url.searchParams.get('endpointResourceProperties');
        if (raw !== 'true' && raw !== 'false') {
          return json(400, { error: 'options needs ?endpointResourceProperties=true|false' });
        }
        this.setEndpointResourceProperties(raw === 'true');
        return json(200, { endpointResourceProperties: raw === 'true' });
      }
      case 'GET /_fake/organization':
        return json(200, this.world.data.organization ?? null);
      case 'POST /_fake/organization': {
        const organization = parsed();
        if (!organization) {
          return json(400, {
            error: 'organization needs a JSON object body (see world.ts Organization); DELETE removes it',
          });
        }
        try {
          // Unchecked JSON: setOrganization validates it (validateOrganization) and refuses what the fake cannot use.
          this.setOrganization(organization as unknown as Organization);
        } catch (error) {
          return json(400, { error: (error as Error).message });
        }
        return json(200, this.world.data.organization);
      }
      case 'DELETE /_fake/organization':
        this.setOrganization(undefined);
        return json(200, null);
      case 'GET /_fake/watch':
        return json(200, this.watchReport());
      case 'POST /_fake/watch': {
        const spec = parsed();
        const list = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
        if (!spec || !list(spec.vpcIds) || !list(spec.hosts)) {
          return json(400, { error: 'watch needs a JSON body {"vpcIds": [<vpc-id>...], "hosts": [<host>...]}' });
        }
        return json(200, this.watch({ vpcIds: spec.vpcIds, hosts: spec.hosts }));
      }
      case 'DELETE /_fake/watch':
        return json(200, this.unwatch());
      case 'POST /_fake/deny-assume': {
        const role = url.searchParams.get('role') ?? '';
        if (!/^arn:aws:iam::\d{12}:role\/.+$/.test(role)) {
          return json(400, { error: 'deny-assume needs ?role=<role ARN>' });
        }
        this.world.data.deniedRoles = [...new Set([...(this.world.data.deniedRoles ?? []), role])];
        this.world.save();
        return json(200, { deniedRoles: this.world.data.deniedRoles });
      }
      case 'DELETE /_fake/deny-assume':
        this.world.data.deniedRoles = [];
        this.world.save();
        return json(200, { deniedRoles: [] });
      case 'GET /_fake/throttle':
        return json(200, this.throttle());
      case 'POST /_fake/throttle': {
        const raw = url.searchParams.get('every') ?? '';
        if (!/^\d+$/.test(raw)) {
          return json(400, { error: 'throttle needs ?every=<n>: every n-th AWS API call is throttled (0: none)' });
        }
        this.setThrottle(Number(raw));
        return json(200, this.throttle());
      }
      default:
        return json(404, { error: `no such fake request: ${method} ${url.pathname}` });
    }
  }
}

/** The zone (or change) a Route 53 path names: `hostedzone/<id>/...`, `tags/hostedzone/<id>`, `change/<id>`. */
function route53ResourceId(path: string): string | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  const id = parts[0] === 'tags' ? parts[2] : parts[1];
  return id ? decodeURIComponent(id).replace(/^\/?(hostedzone|change)\//, '') : undefined;
}

/** The VPC of a Route 53 request: the `<VPC>` of its body, or `?vpcid=&vpcregion=`. */
function route53RequestVpc(
  xml: Record<string, XmlNode>,
  query: URLSearchParams,
): { vpcId: string; region: string } | undefined {
  const request: XmlNode = Object.values(xml)[0];
  const vpc = request?.VPC;
  if (vpc?.VPCId) return { vpcId: String(vpc.VPCId), region: String(vpc.VPCRegion ?? '') };
  const id = query.get('vpcid');
  return id ? { vpcId: id, region: query.get('vpcregion') ?? '' } : undefined;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npx tsx test/fake-aws/server.ts [--port 4566] [--state world.json]\n');
    return;
  }
  const fake = await FakeAws.start({ port: Number(values.port), stateFile: values.state });
  process.stdout.write(
    `fake AWS (sts, ec2, route53, route53profiles, ram, organizations) listening on ${fake.url}${values.state ? `, world in ${values.state}` : ''}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
