/**
 * The local AWS fake: one HTTP endpoint that serves the STS, EC2 and Route 53 actions the AWS
 * provider calls for vpce-hub's resources, in their real wire formats, from one shared world.
 *
 * Point a provider at it with `endpoints { sts = URL, ec2 = URL, route53 = URL }` and credentials whose
 * access key ID is the 12-digit account to act as (see sts.ts). Besides the AWS APIs it answers
 * a few requests of its own under `/_fake/`:
 *
 * - `GET /_fake/health`: `{"fake": "vpce-hub"}`; how a harness tells this fake from LocalStack.
 * - `GET /_fake/resolve?vpc=<vpc-id>&name=<host>`: what the VPC's Route 53 Resolver answers (resolver.ts).
 * - `GET /_fake/calls?since=<seq>`: the call log: every API call with its caller's account, principal and label.
 * - `GET /_fake/world`: how many things of each kind exist (all zero: the world is empty).
 * - `GET /_fake/zones?vpc=<vpc-id>`: the private hosted zones the VPC is associated with, any account's.
 * - `POST /_fake/quota?vpcsPerZone=<n>`: Route 53's VPCs-per-zone quota.
 *
 * Run it on its own with `npx tsx lib/fake-aws/server.ts [--port 4566] [--state world.json]`.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ec2, EC2_NAMESPACE, isEc2ReadAction } from './ec2';
import { ec2Checks, route53Checks, type IamCheck } from './iam-checks';
import { AwsError, parseQuery, parseXml, signerOf, xmlDocument } from './protocol';
import { resolveName } from './resolver';
import { InvalidChangeBatch, Route53, route53Action, ROUTE53_NAMESPACE } from './route53';
import { callerOf, sts, STS_NAMESPACE, type Caller } from './sts';
import { World } from './world';

/** One API call, as the call log keeps it. */
export interface CallRecord {
  readonly seq: number;
  readonly time: string;
  /** `sts`, `ec2`, `route53`. */
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

/** Options of {@link FakeAws.start}. */
export interface FakeAwsOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Address to listen on. @default 127.0.0.1 */
  readonly host?: string;
  /** The world file; absent: the world lives in memory only. The call log goes to `<file>.calls.jsonl`. */
  readonly stateFile?: string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function requestId(): string {
  return `fake-${Date.now().toString(16)}-${Math.floor(Math.random() * 0xffffff).toString(16)}`;
}

/** A running fake. */
export class FakeAws {
  /** Starts a fake and resolves once it listens. */
  static async start(options: FakeAwsOptions = {}): Promise<FakeAws> {
    const fake = new FakeAws(new World(options.stateFile), options.stateFile);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  private readonly server: Server;
  private readonly log: CallRecord[] = [];
  private readonly route53: Route53;

  private constructor(
    /** What the fake knows. */
    readonly world: World,
    private readonly stateFile?: string,
  ) {
    this.route53 = new Route53(world);
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake AWS internal error: ${(error as Error).stack ?? String(error)}`);
      });
    });
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

  /** Stops listening (the world file stays). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private record(call: Omit<CallRecord, 'seq' | 'time'>): void {
    const entry: CallRecord = { seq: this.log.length + 1, time: new Date().toISOString(), ...call };
    this.log.push(entry);
    if (this.stateFile) appendFileSync(`${this.stateFile}.calls.jsonl`, `${JSON.stringify(entry)}\n`);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readBody(request);
    if (url.pathname.startsWith('/_fake/')) {
      this.control(request.method ?? 'GET', url, response);
      return;
    }
    const signer = signerOf(request.headers);
    const isRoute53 = url.pathname.startsWith('/2013-04-01/');
    const params = isRoute53 ? {} : parseQuery(body);
    const service = isRoute53 ? 'route53' : (signer?.service ?? 'unknown');
    const action = isRoute53
      ? (route53Action(request.method ?? 'GET', url.pathname.slice('/2013-04-01/'.length)) ?? `${request.method} ${url.pathname}`)
      : String(params.Action ?? 'unknown');
    let caller: Caller | undefined;
    let checks: IamCheck[] | undefined;
    try {
      caller = callerOf(this.world, signer);
      if (isRoute53) {
        const path = url.pathname.slice('/2013-04-01/'.length);
        const query = new URLSearchParams([...url.searchParams].map(([k, v]): [string, string] => [k.toLowerCase(), v]));
        const xml = parseXml(body);
        checks = route53Checks(action, route53ResourceId(path), route53RequestVpc(xml, query));
        const reply = this.route53.handle(caller, { method: request.method ?? 'GET', path, query, body: xml });
        if (reply.changed) this.world.save();
        this.send(response, reply.status, xmlDocument(reply.root, ROUTE53_NAMESPACE, reply.body));
      } else if (service === 'sts') {
        const result = sts(this.world, caller, action, params);
        this.send(response, 200, xmlDocument(`${action}Response`, STS_NAMESPACE, { ...result, ResponseMetadata: { RequestId: requestId() } }));
      } else if (service === 'ec2') {
        checks = ec2Checks(action, params, caller.account, signer?.region ?? 'us-east-1');
        const result = ec2(this.world, caller, action, params, signer?.region ?? 'us-east-1');
        if (!isEc2ReadAction(action)) this.world.save();
        this.send(response, 200, xmlDocument(`${action}Response`, EC2_NAMESPACE, { requestId: requestId(), ...result }));
      } else {
        throw new AwsError('UnknownService', `This fake serves sts, ec2 and route53, not "${service}".`, 400);
      }
      this.record({ service, action, account: caller.account, principal: caller.arn, roleArn: caller.roleArn, label: caller.label, status: 200, checks });
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
      this.send(response, error.status, this.errorDocument(service, error));
    }
  }

  private errorDocument(service: string, error: AwsError): string {
    if (service === 'ec2') {
      return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`;
    }
    if (error instanceof InvalidChangeBatch) {
      return xmlDocument('InvalidChangeBatch', ROUTE53_NAMESPACE, { Messages: { Message: error.messages }, RequestId: requestId() });
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

  private control(method: string, url: URL, response: ServerResponse): void {
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
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
        return json(200, zones.map((z) => ({ id: z.id, name: z.name, account: z.account })));
      }
      case 'POST /_fake/quota': {
        const value = Number(url.searchParams.get('vpcsPerZone'));
        if (!Number.isInteger(value) || value < 1) return json(400, { error: 'quota needs ?vpcsPerZone=<positive integer>' });
        this.world.data.vpcsPerZone = value;
        this.world.save();
        return json(200, { vpcsPerZone: value });
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
function route53RequestVpc(xml: Record<string, any>, query: URLSearchParams): { vpcId: string; region: string } | undefined {
  const request = Object.values(xml)[0] as Record<string, any> | undefined;
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
    process.stdout.write('usage: npx tsx lib/fake-aws/server.ts [--port 4566] [--state world.json]\n');
    return;
  }
  const fake = await FakeAws.start({ port: Number(values.port), stateFile: values.state });
  process.stdout.write(`fake AWS (sts, ec2, route53) listening on ${fake.url}${values.state ? `, world in ${values.state}` : ''}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
