/**
 * A resolution watch: a set of hosts resolved in a set of VPCs after every call that changed what a
 * VPC resolves (mutating calls of Route 53, Route 53 Profiles and RAM, and EC2's endpoint calls, which
 * turn private DNS on and off, and those that change a VPC's DNS support or DHCP options), recording
 * every lookup whose answer is not private (NXDOMAIN, NODATA, public, no-dns, custom-dns), with the
 * call that caused it. Between two calls nothing changes, so a watch that records nothing proves no
 * moment of the run left a watched VPC without an answer.
 *
 * Every lookup is classified ({@link WatchOutcome}) and counted per host ({@link WatchReport.tally}),
 * and each event says whether its (VPC, host) had answered at an earlier look of the same watch
 * (`regression`): a name that never answered (e.g. the apex `dkr.ecr.<r>.amazonaws.com`, which the
 * ecr.dkr endpoint's private DNS does not serve) is told apart from one that stopped answering. A
 * (VPC, host) that answers again after failing is recorded too ({@link WatchReport.recoveries}), with
 * the call that brought it back: the time from a name's first failure to its recovery is how long it
 * went without a private answer.
 *
 * It costs nothing while nothing is watched; while watching, each mutating call costs
 * (VPCs x hosts) lookups.
 */
import { resolveName, zonesSeenBy, type Resolution, type ResolutionResult } from './resolver';
import type { World } from './world';

/** What to watch. */
export interface WatchSpec {
  readonly vpcIds: readonly string[];
  readonly hosts: readonly string[];
}

/** The call after which lookups were made. */
export interface WatchCause {
  /** The call log's sequence number (absent for the watch's own first look). */
  readonly seq?: number;
  readonly time: string;
  readonly service: string;
  readonly action: string;
  readonly account?: string;
  readonly label?: string;
}

/**
 * What one lookup came to:
 * - `endpoint`: a private zone (or an endpoint's private DNS) answers with an interface endpoint;
 * - `record`: a private zone answers with a record that leads to no endpoint;
 * - `gateway`: public DNS answers, and the VPC's gateway endpoint carries the traffic (S3, DynamoDB);
 * - `public`: public DNS answers: no private zone covers the name (the fallback a private subnet
 *   without a NAT cannot use);
 * - `NXDOMAIN`: a private zone covers the name but has no record for it;
 * - `NODATA`: it has records of the name, none of which answers an A query;
 * - `no-dns`: the VPC's DNS support is off; `custom-dns`: its DHCP options send queries elsewhere.
 */
export type WatchOutcome =
  'endpoint' | 'record' | 'gateway' | 'public' | 'NXDOMAIN' | 'NODATA' | 'no-dns' | 'custom-dns';

/** The outcomes that leave a workload without a private path. */
const FAILED: ReadonlySet<WatchOutcome> = new Set(['public', 'NXDOMAIN', 'NODATA', 'no-dns', 'custom-dns']);

/** What a lookup came to. */
export function outcomeOf(answer: Resolution): WatchOutcome {
  if (answer.result === 'public') return answer.gatewayEndpoint ? 'gateway' : 'public';
  if (answer.result !== 'answer') return answer.result;
  return answer.endpoint?.type === 'Interface' ? 'endpoint' : 'record';
}

/** A lookup's result other than `answer`. */
type FailedResult = Exclude<ResolutionResult, 'answer'>;

/** One lookup that did not answer from a private zone (NXDOMAIN, NODATA, public, no-dns, custom-dns). */
export interface WatchEvent extends WatchCause {
  readonly vpcId: string;
  readonly host: string;
  readonly result: FailedResult;
  /** `result`, with public answers carried by a gateway endpoint told apart (`gateway`). */
  readonly outcome: FailedResult | 'gateway';
  /**
   * Whether the lookup failed (`public` or `NXDOMAIN`) although this (VPC, host) had answered
   * (endpoint, record or gateway) at an earlier look of the watch.
   */
  readonly regression: boolean;
  /** The zone that answered NXDOMAIN, and how the VPC sees it. */
  readonly zone?: Resolution['zone'];
  readonly via?: Resolution['via'];
  /** For `public`: the VPC's gateway endpoint that carries the name's traffic, if any. */
  readonly gatewayEndpoint?: Resolution['gatewayEndpoint'];
}

/** A (VPC, host) that answered again after the previous look failed, and the call after which it did. */
export interface WatchRecovery extends WatchCause {
  readonly vpcId: string;
  readonly host: string;
  /** What it came to now (`endpoint`, `record` or `gateway`). */
  readonly outcome: WatchOutcome;
}

/** What a watch saw. */
export interface WatchReport {
  readonly watching: boolean;
  readonly vpcIds: readonly string[];
  readonly hosts: readonly string[];
  /** When the watch started. */
  readonly since?: string;
  /** How many times every (VPC, host) was resolved. */
  readonly checks: number;
  /** Lookups that answered NXDOMAIN or public, oldest first (at most {@link MAX_EVENTS}). */
  readonly events: readonly WatchEvent[];
  /** Pairs that answered again after failing at the previous look, oldest first (at most {@link MAX_EVENTS}). */
  readonly recoveries: readonly WatchRecovery[];
  /** Every lookup of the watch (every VPC, every look) counted per host and outcome. */
  readonly tally: Readonly<Record<string, Readonly<Partial<Record<WatchOutcome, number>>>>>;
  /** What each (VPC, host) came to at the watch's first look. */
  readonly baseline: ReadonlyArray<{ readonly vpcId: string; readonly host: string; readonly outcome: WatchOutcome }>;
  /** Events not kept beyond {@link MAX_EVENTS}. */
  readonly dropped: number;
}

/** The most events a watch keeps. */
export const MAX_EVENTS = 10_000;

export class ResolutionWatch {
  private spec?: WatchSpec;
  private since?: string;
  private checks = 0;
  private dropped = 0;
  private events: WatchEvent[] = [];
  private recoveries: WatchRecovery[] = [];
  /** `<vpc> <host>` of every pair whose last look failed. */
  private failing = new Set<string>();
  private tally: Record<string, Partial<Record<WatchOutcome, number>>> = {};
  private baseline: Array<{ vpcId: string; host: string; outcome: WatchOutcome }> = [];
  /** `<vpc> <host>` of every pair that has answered at some look. */
  private answered = new Set<string>();

  /** Whether anything is watched. */
  get active(): boolean {
    return this.spec !== undefined && this.spec.vpcIds.length > 0 && this.spec.hosts.length > 0;
  }

  /** Starts watching (replacing any earlier watch), and looks once at once. */
  start(world: World, spec: WatchSpec): WatchReport {
    this.spec = { vpcIds: [...spec.vpcIds], hosts: [...spec.hosts] };
    this.since = new Date().toISOString();
    this.checks = 0;
    this.dropped = 0;
    this.events = [];
    this.recoveries = [];
    this.failing = new Set();
    this.tally = {};
    this.baseline = [];
    this.answered = new Set();
    this.check(world, { time: this.since, service: '_fake', action: 'watch start' });
    return this.report();
  }

  /** Stops watching; returns what was seen. */
  stop(): WatchReport {
    const report = this.report();
    this.spec = undefined;
    return { ...report, watching: false };
  }

  /** Resolves every watched host in every watched VPC, after `cause`. */
  check(world: World, cause: WatchCause): void {
    if (!this.active || !this.spec) return;
    const first = this.checks === 0;
    this.checks += 1;
    for (const vpcId of this.spec.vpcIds) {
      const visible = zonesSeenBy(world, vpcId);
      for (const host of this.spec.hosts) {
        const answer = resolveName(world, vpcId, host, visible);
        const outcome = outcomeOf(answer);
        const counts = (this.tally[answer.host] ??= {});
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        if (first) this.baseline.push({ vpcId, host: answer.host, outcome });
        const key = `${vpcId} ${answer.host}`;
        const regression = FAILED.has(outcome) && this.answered.has(key);
        if (!FAILED.has(outcome)) {
          this.answered.add(key);
          if (this.failing.delete(key) && this.recoveries.length < MAX_EVENTS) {
            this.recoveries.push({ ...cause, vpcId, host: answer.host, outcome });
          }
        } else this.failing.add(key);
        if (answer.result === 'answer') continue;
        if (this.events.length >= MAX_EVENTS) {
          this.dropped += 1;
          continue;
        }
        this.events.push({
          ...cause,
          vpcId,
          host: answer.host,
          result: answer.result,
          outcome: outcome as WatchEvent['outcome'],
          regression,
          ...(answer.zone ? { zone: answer.zone, via: answer.via } : {}),
          ...(answer.gatewayEndpoint ? { gatewayEndpoint: answer.gatewayEndpoint } : {}),
        });
      }
    }
  }

  /** What the watch saw so far. */
  report(): WatchReport {
    return {
      watching: this.spec !== undefined,
      vpcIds: this.spec?.vpcIds ?? [],
      hosts: this.spec?.hosts ?? [],
      ...(this.since ? { since: this.since } : {}),
      checks: this.checks,
      events: [...this.events],
      recoveries: [...this.recoveries],
      dropped: this.dropped,
      tally: Object.fromEntries(Object.entries(this.tally).map(([host, counts]) => [host, { ...counts }])),
      baseline: [...this.baseline],
    };
  }
}
