/**
 * The doctor's check: every spoke VPC of a synth output against the host names of a profile.
 */
import { REGISTRY_ACCOUNTS_OUTPUT, RETIRED_SERVICES_OUTPUT } from '../stack-names';
import { requiredHosts, type Profile } from './profiles';
import { Resolver, type Answer, type Result, type RetiredSpoke, type SpokeProblem } from './resolver-model';
import { SynthOutput } from './synth-output';
import { outputOrigin, shownFolder } from '../synth/output-origin';

/** What to check. */
export interface DoctorOptions {
  /** The synth output folder. */
  readonly outdir: string;
  readonly profile: Profile;
  /** Registries to require besides each spoke's own and the hub's `ecr_registry_accounts`. */
  readonly registries?: readonly string[];
  /**
   * The hub's services whose names to require; by default the output's own interface endpoints.
   * The live doctor passes the synthesized ones: a service whose endpoint is gone is still required.
   */
  readonly hubServices?: readonly string[];
}

/** One spoke VPC's answers. */
export interface VpcReport {
  readonly stack: string;
  readonly account: string;
  /** The account's `name` from accounts.yaml (the spoke stack's `account` output); null without one. */
  readonly accountName: string | null;
  readonly vpcId: string;
  readonly answers: ReadonlyArray<Answer & { readonly need: string }>;
}

/** The whole check. */
export interface DoctorReport {
  readonly outdir: string;
  /** The configuration folder the synth output was made from (`config/`), when it records one. */
  readonly configDir?: string;
  readonly profile: Profile;
  /** Registries required of every spoke besides its own. */
  readonly registries: readonly string[];
  readonly vpcs: readonly VpcReport[];
  /** Spoke stacks (or parts) that cannot be checked, e.g. an association `for_each` that cannot be evaluated: failures. */
  readonly spokeProblems: readonly SpokeProblem[];
  /** Spoke stacks of retired accounts: not checked (their VPCs are leaving the hub's zones). */
  readonly retired: readonly RetiredSpoke[];
  /** Things the doctor could not follow in the output. */
  readonly warnings: readonly string[];
  /**
   * What the override files beside the stacks changed, merged in as Terraform merges them before
   * judging: `<stack>: <file>: <address> (<arguments>)`.
   */
  readonly overrides: readonly string[];
  /** Names checked, and names that fail. */
  readonly checked: number;
  readonly failed: number;
  /** True when every required name resolves in every spoke VPC and no spoke has a problem. */
  readonly ok: boolean;
}

/** Whether a result counts as resolving. */
export function isOk(result: Result): boolean {
  return result === 'ok';
}

/** Reads the synth output and resolves every required name in every spoke VPC. */
export function runDoctor(options: DoctorOptions): DoctorReport {
  const report = doctorReport(SynthOutput.read(options.outdir), options);
  const origin = outputOrigin(options.outdir);
  return origin ? { ...report, configDir: shownFolder(origin) } : report;
}

/**
 * Resolves every required name in every spoke VPC of `output`: a synth output, or what AWS holds
 * rendered as one (the live doctor, `live/observed-output.ts`), so both are judged by one model.
 */
export function doctorReport(output: SynthOutput, options: DoctorOptions): DoctorReport {
  const resolver = new Resolver(output);
  const registries = [
    ...new Set([...resolver.stringListOutput(REGISTRY_ACCOUNTS_OUTPUT), ...(options.registries ?? [])]),
  ];
  // Retired services are on their way out: the spokes no longer resolve them through the hub.
  const retiredServices = new Set(resolver.stringListOutput(RETIRED_SERVICES_OUTPUT));
  const hubServices = [...(options.hubServices ?? resolver.hubServices())].filter(
    (service) => !retiredServices.has(service),
  );
  const vpcs = resolver.spokeVpcs().map((vpc) => ({
    stack: vpc.stack,
    account: vpc.account,
    accountName: vpc.accountName ?? null,
    vpcId: vpc.vpcId,
    answers: requiredHosts(options.profile, { region: vpc.region, account: vpc.account, registries, hubServices }).map(
      ({ host, need }) => ({ ...resolver.resolve(vpc, host), need }),
    ),
  }));
  const answers = vpcs.flatMap((v) => v.answers);
  const failed = answers.filter((a) => !isOk(a.result)).length;
  return {
    outdir: options.outdir,
    profile: options.profile,
    registries,
    vpcs,
    spokeProblems: resolver.problems,
    retired: resolver.retired,
    warnings: resolver.warnings,
    overrides: output.stacks.flatMap((stack) => stack.overrides.map((change) => `${stack.name}: ${change}`)),
    checked: answers.length,
    failed,
    ok: failed === 0 && resolver.problems.length === 0,
  };
}
