/**
 * `npm run doctor -- --live`: the deployed estate judged as the synthesized one is. Reads AWS with
 * the planner roles (read-deployment.ts), writes what it found as a synth output
 * (observed-output.ts), resolves every required name of every spoke VPC with the doctor's one model,
 * adds what only AWS can tell (reachability.ts), and sets it beside the synthesized intent: drift.
 */
import type { VpceConfig } from '../../config/schema';
import { sharingOf } from '../../config/sharing';
import { HUB_STACK, RETIRED_SERVICES_OUTPUT } from '../../stack-names';
import { hubRoles, spokeRoles } from '../../stacks/roles';
import type { CallCounter, Credentials } from '../../aws/clients';
import type { Profile } from '../profiles';
import { isRef, refAddress } from '../expression-evaluator';
import { Resolver } from '../resolver-model';
import { doctorReport, isOk, type DoctorReport, type VpcReport } from '../run-doctor';
import { SynthOutput } from '../synth-output';
import type { Observed } from './observed';
import { observedOutput } from './observed-output';
import { reachable } from './reachability';
import { readDeployment, type ReadPlan, type ReadProgress } from './read-deployment';

/** A user's mistake or an environment problem: one line, exit 2. */
export class LiveInputError extends Error {}

/** One difference between the intent (the synth output) and AWS. */
export interface Drift {
  readonly account: string;
  readonly vpcId?: string;
  /** The name, for a name whose verdict differs. */
  readonly host?: string;
  /** What the synth output says (a verdict, or what it declares). */
  readonly intended: string;
  /** What AWS holds. */
  readonly live: string;
}

/** The live report: the doctor's report of AWS, the drift from the intent, and the calls made. */
export interface LiveReport extends DoctorReport {
  readonly drift: readonly Drift[];
  /** API calls of this run, by service (attempts: a retried call counts again). */
  readonly calls: Readonly<Record<string, number>>;
}

export interface LiveOptions {
  readonly outdir: string;
  readonly profile: Profile;
  readonly registries?: readonly string[];
  readonly config: VpceConfig;
  /** Only this spoke account. */
  readonly account?: string;
  readonly counter: CallCounter;
  readonly progress?: ReadProgress;
  /** The operator's credentials (default: the SDK's chain). */
  readonly base?: Credentials;
}

/** What to read, from the configuration. */
export function readPlan(config: VpceConfig, account?: string): ReadPlan {
  if (account !== undefined && !config.accounts.some((a) => a.id === account)) {
    throw new LiveInputError(`--account ${account} is not an account of accounts.yaml: name one that is listed`);
  }
  const sharing = sharingOf(config);
  return {
    region: config.hub.region,
    hub: { account: config.hub.accountId, vpcId: config.hub.vpcId, roleArn: hubRoles(config).planner },
    associations: sharing.hub.associations,
    ...(sharing.hub.profile ? { profileName: `vpce-hub-${config.hub.region}` } : {}),
    spokes: config.accounts
      .filter((a) => !a.retired && (account === undefined || a.id === account))
      .map((a) => ({
        account: a.id,
        ...(a.name ? { name: a.name } : {}),
        roleArn: spokeRoles(config, a.id).planner,
        vpcIds: a.vpcIds,
      })),
  };
}

/** The live VPC reports: each intended VPC, judged as AWS holds it. */
function liveVpcs(intent: DoctorReport, judged: DoctorReport, observed: Observed): VpcReport[] {
  return intent.vpcs.flatMap((planned) => {
    const spoke = observed.spokes.find((s) => s.account === planned.account);
    const vpc = spoke?.vpcs.find((v) => v.vpcId === planned.vpcId);
    if (!vpc) return []; // not read (--account)
    const found = judged.vpcs.find((v) => v.vpcId === planned.vpcId);
    const answers = planned.answers.map((want) => {
      const answer = found?.answers.find((a) => a.host === want.host) ?? {
        host: want.host,
        result: 'public' as const,
        reason: `AWS associates ${planned.vpcId} with no zone of the hub and no Route 53 Profile of it`,
      };
      return { ...reachable(answer, observed.hub, vpc), need: want.need };
    });
    return [{ ...planned, answers }];
  });
}

/** Intended and observed, side by side: each name whose verdict differs, and what the hub lacks. */
function driftOf(intent: DoctorReport, live: readonly VpcReport[], observed: Observed, output: SynthOutput): Drift[] {
  const drift: Drift[] = hubDrift(output, observed);
  for (const vpc of live) {
    const planned = intent.vpcs.find((v) => v.vpcId === vpc.vpcId);
    for (const answer of vpc.answers) {
      const want = planned?.answers.find((a) => a.host === answer.host);
      if (want && want.result !== answer.result) {
        drift.push({
          account: vpc.account,
          vpcId: vpc.vpcId,
          host: answer.host,
          intended: want.result,
          live: `${answer.result}${answer.reason ? `: ${answer.reason}` : ''}`,
        });
      }
    }
  }
  const { hub } = observed;
  for (const endpoint of hub.endpoints) {
    if (endpoint.state.toLowerCase() !== 'available') {
      drift.push({
        account: hub.account,
        intended: `endpoint ${endpoint.id} (${endpoint.serviceName}) available`,
        live: endpoint.state,
      });
    }
  }
  return drift;
}

/** Runs the live doctor. */
export async function runLiveDoctor(options: LiveOptions): Promise<LiveReport> {
  const plan = readPlan(options.config, options.account);
  const synthOutput = SynthOutput.read(options.outdir);
  const intent = doctorReport(synthOutput, options);
  const observed = await readDeployment(plan, {
    counter: options.counter,
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.base ? { base: options.base } : {}),
  });
  const hubServices = new Resolver(synthOutput).hubServices();
  const judged = doctorReport(
    observedOutput(observed, { registryAccounts: intent.registries, retiredServices: retired(synthOutput) }),
    {
      ...options,
      outdir: 'AWS',
      hubServices,
    },
  );
  const vpcs = liveVpcs(intent, judged, observed);
  const answers = vpcs.flatMap((v) => v.answers);
  const failed = answers.filter((a) => !isOk(a.result)).length;
  const drift = driftOf(intent, vpcs, observed, synthOutput);
  const spokeProblems = judged.spokeProblems.filter(
    (p) => plan.spokes.some((s) => s.account === p.account) && vpcs.every((v) => v.account !== p.account),
  );
  return {
    ...judged,
    outdir: 'AWS',
    vpcs,
    spokeProblems,
    checked: answers.length,
    failed,
    ok: failed === 0 && spokeProblems.length === 0 && drift.length === 0,
    drift,
    calls: Object.fromEntries(options.counter.byService),
  };
}

/** The retired services a synth output names. */
function retired(output: SynthOutput): string[] {
  const value = output.stack(HUB_STACK)?.outputs()[RETIRED_SERVICES_OUTPUT];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

/** `(zone name, other)` pairs of one resource type of the synthesized hub, by its `zone_id` reference. */
function byZone(output: SynthOutput, type: string, other: string): Array<{ zone: string; value: string }> {
  const hub = output.stack('hub');
  if (!hub) return [];
  const zones = new Map(
    hub.expand('aws_route53_zone').instances.map((z) => [z.address, String(z.attrs.name ?? '').toLowerCase()]),
  );
  return hub.expand(type).instances.flatMap((instance) => {
    const ref = instance.attrs.zone_id;
    const zone = ref !== undefined && isRef(ref) ? zones.get(refAddress(ref)) : undefined;
    const value = instance.attrs[other];
    return zone && typeof value === 'string' ? [{ zone, value: value.toLowerCase().replace(/\.$/, '') }] : [];
  });
}

/** What the synthesized hub declares that AWS does not hold: records, and authorizations of the VPCs read. */
function hubDrift(output: SynthOutput, observed: Observed): Drift[] {
  const drift: Drift[] = [];
  const { hub } = observed;
  const zone = (name: string) => hub.zones.find((z) => z.name === name);
  for (const { zone: name, value } of byZone(output, 'aws_route53_record', 'name')) {
    const record = value.endsWith(name) ? value : `${value}.${name}`;
    const found = zone(name);
    if (!found?.records.some((r) => r.name === record)) {
      drift.push({
        account: hub.account,
        intended: `record ${record} in zone ${name}`,
        live: found ? 'no such record: deploy the hub' : `no zone ${name} associated with the hub VPC: deploy the hub`,
      });
    }
  }
  const read = new Set(observed.spokes.flatMap((s) => s.vpcs.map((v) => v.vpcId)));
  for (const { zone: name, value: vpc } of byZone(output, 'aws_route53_vpc_association_authorization', 'vpc_id')) {
    const found = zone(name);
    if (!read.has(vpc) || !found?.authorizedVpcs || found.authorizedVpcs.includes(vpc)) continue;
    const account = observed.spokes.find((s) => s.vpcs.some((v) => v.vpcId === vpc))?.account ?? hub.account;
    drift.push({
      account,
      vpcId: vpc,
      intended: `authorized to associate with zone ${name}`,
      live: 'no authorization (a new association would be refused): deploy the hub',
    });
  }
  return drift;
}
