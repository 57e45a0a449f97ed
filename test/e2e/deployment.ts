/**
 * Deploying one e2e project's stacks with real Terraform against an AWS endpoint: init, apply, plan,
 * destroy per stack, in the order `cdktf deploy` is documented to use (the hub, then the spokes).
 *
 * Every command runs with base credentials of the hub account (an operator); each stack's provider
 * assumes its own role as configured, so a spoke acts in its own account. The session token of the
 * base credentials labels the command (`<stack> <command>`), so the fake's call log tells which run
 * made each call.
 */
import { join, resolve } from 'node:path';
import { HUB_STACK } from '../../lib/stack-names';
import type { E2eProject } from './project';
import type { TerraformRunner } from './terraform';

const ROOT = resolve(__dirname, '..', '..');

/** Where {@link Deployment.plan} saves a plan, in the stack folder. */
const PLAN_FILE = 'e2e.tfplan';

/** What a plan would do, from `terraform show -json`. */
export interface PlanSummary {
  readonly stack: string;
  /** 0: no changes; 2: changes (`-detailed-exitcode`). */
  readonly exitCode: number;
  readonly create: string[];
  readonly update: string[];
  readonly delete: string[];
  readonly replace: string[];
  /** `from -> to`, for instances a `moved` block renames. */
  readonly move: string[];
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure after all settle. */
export async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  const queue = [...items];
  const errors: unknown[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await fn(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** Options of a {@link Deployment}. */
export interface DeploymentOptions {
  /** The configuration's name in the timings table (`test`, `example`). */
  readonly group: string;
  /** The account of the operator's base credentials. */
  readonly operatorAccount: string;
  /** Terraform's `-parallelism`: Route 53 waits ~15 s per change, so more than the default 10. */
  readonly parallelism?: number;
  /** Spoke stacks deployed at once. */
  readonly spokeConcurrency?: number;
}

export class Deployment {
  private initialized = new Set<string>();
  private initLock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly project: E2eProject,
    private readonly runner: TerraformRunner,
    private readonly options: DeploymentOptions,
  ) {}

  /**
   * The environment of one command. A `plan` that is never applied runs as a pull request's plan:
   * `TF_VAR_vpce_phase=plan` makes the providers assume the read-only planner roles. Everything else
   * (applies, destroys, and the plans an apply applies) runs with the deployer roles. The session
   * token labels the calls `<stack> <command>` in the fake's call log.
   */
  private env(stack: string, command: string): NodeJS.ProcessEnv {
    return {
      ...(command === 'plan' ? { TF_VAR_vpce_phase: 'plan' } : {}),
      AWS_ACCESS_KEY_ID: this.options.operatorAccount,
      AWS_SECRET_ACCESS_KEY: 'vpce-hub-e2e',
      AWS_SESSION_TOKEN: `${stack} ${command}`,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PROFILE: '',
    };
  }

  /** Runs terraform for `stack` (in its folder, or `dir`), labelled and timed as this configuration's. */
  terraform(stack: string, args: string[], options: { dir?: string; okCodes?: number[]; forApply?: boolean } = {}) {
    return this.runner.run(stack, options.dir ?? this.project.stackDir(stack), args, {
      okCodes: options.okCodes,
      env: this.env(stack, options.forApply && args[0] === 'plan' ? 'apply' : args[0]),
      group: this.options.group,
    });
  }

  /**
   * Runs the cdktf CLI of the project (`npx cdktf <args>`) for this configuration, the way users run
   * it: in the project folder, on this configuration, into this project's output folder.
   */
  cdktf(stack: string, args: string[]) {
    return this.runner.run(stack, ROOT, [...args, '--output', this.project.outdir], {
      executable: join(ROOT, 'node_modules', '.bin', 'cdktf'),
      label: `cdktf ${args[0]}`,
      group: this.options.group,
      env: {
        ...this.env(stack, `cdktf ${args[0]}`),
        VPCE_CONFIG_DIR: this.project.configDir,
        VPCE_STATE_DIR: this.project.stateDir,
        CI: '1',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
    });
  }

  private get parallelism(): string {
    return `-parallelism=${this.options.parallelism ?? 32}`;
  }

  /** The spoke stacks of the current synth output, by name. */
  spokes(): string[] {
    return this.project.stacks().filter((s) => s.startsWith('spoke-'));
  }

  /** `terraform init` once per stack folder; one at a time, as they share the plugin cache. */
  async init(stack: string): Promise<void> {
    if (this.initialized.has(stack)) return;
    const run = this.initLock.then(() => this.terraform(stack, ['init', '-input=false']));
    this.initLock = run.catch(() => undefined);
    await run;
    this.initialized.add(stack);
  }

  /** Forgets that a stack folder was initialized (after a synth replaced it). */
  resetInit(stack?: string): void {
    if (stack) this.initialized.delete(stack);
    else this.initialized.clear();
  }

  async validate(stack: string, dir = this.project.stackDir(stack)): Promise<void> {
    await this.terraform(stack, ['init', '-input=false', '-backend=false'], { dir });
    await this.terraform(stack, ['validate'], { dir });
  }

  async apply(stack: string): Promise<void> {
    await this.init(stack);
    await this.terraform(stack, ['apply', '-auto-approve', '-input=false', this.parallelism]);
  }

  async destroy(stack: string): Promise<void> {
    await this.init(stack);
    await this.terraform(stack, ['destroy', '-auto-approve', '-input=false', this.parallelism]);
  }

  /** Applies the plan the last {@link plan} of `stack` saved (no second refresh and plan). */
  async applySavedPlan(stack: string): Promise<void> {
    const dir = this.project.stackDir(stack);
    await this.terraform(stack, ['apply', '-input=false', this.parallelism, join(dir, PLAN_FILE)]);
  }

  /**
   * `terraform plan -detailed-exitcode`, and what it would change. A pull request's plan (planner
   * roles) unless `forApply`: then the deployer's, saved for {@link applySavedPlan}.
   */
  async plan(stack: string, options: { forApply?: boolean } = {}): Promise<PlanSummary> {
    await this.init(stack);
    const dir = this.project.stackDir(stack);
    const planFile = join(dir, PLAN_FILE);
    const run = await this.terraform(
      stack,
      ['plan', '-input=false', '-detailed-exitcode', this.parallelism, `-out=${planFile}`],
      {
        okCodes: [0, 2],
        forApply: options.forApply,
      },
    );
    const summary: PlanSummary = {
      stack,
      exitCode: run.exitCode ?? 1,
      create: [],
      update: [],
      delete: [],
      replace: [],
      move: [],
    };
    if (run.exitCode === 0) return summary;
    const shown = await this.terraform(stack, ['show', '-json', planFile]);
    const plan = JSON.parse(shown.stdout) as {
      resource_changes?: Array<{ address: string; previous_address?: string; change: { actions: string[] } }>;
    };
    for (const change of plan.resource_changes ?? []) {
      const actions = change.change.actions.join(',');
      if (change.previous_address && change.previous_address !== change.address) {
        summary.move.push(`${change.previous_address} -> ${change.address}`);
      }
      if (actions === 'create') summary.create.push(change.address);
      else if (actions === 'update') summary.update.push(change.address);
      else if (actions === 'delete') summary.delete.push(change.address);
      else if (actions.includes('delete') && actions.includes('create')) summary.replace.push(change.address);
    }
    return summary;
  }

  /** Applies the hub, then every spoke (a few at a time). */
  async applyAll(): Promise<void> {
    await this.apply(HUB_STACK);
    await eachLimit(this.spokes(), this.options.spokeConcurrency ?? 4, (spoke) => this.apply(spoke));
  }

  /** Destroys every spoke, then the hub. */
  async destroyAll(): Promise<void> {
    await eachLimit(this.spokes(), this.options.spokeConcurrency ?? 4, (spoke) => this.destroy(spoke));
    await this.destroy(HUB_STACK);
  }
}
