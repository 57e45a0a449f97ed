/**
 * A synth output folder (`cdktf.out/`) read back: its stacks and their resource instances, with
 * every expression evaluated as far as the synthesized JSON allows.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { evaluateJson, isRef, UNKNOWN, type Scope, type Value } from './expression-evaluator';
import { countOf, unjudgeable } from './judged-arguments';
import { terraformConfiguration, type Refusal } from './terraform-files';

/** The synth output cannot be read: missing, damaged or unsafe (exit code 2). */
export class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthOutputError';
  }
}

/** The folder holds no synth output (exit code 2). */
export class NoSynthOutputError extends SynthOutputError {
  constructor(dir: string, detail: string) {
    super(`no synth output in ${dir}: ${detail}. Run \`npm run synth\` first, or pass --out <folder>.`);
    this.name = 'NoSynthOutputError';
  }
}

/**
 * The synth output holds what Terraform would apply but the doctor does not model (an HCL file
 * beside a stack, an override Terraform refuses, an argument of a judged resource it does not know):
 * it refuses to judge rather than pass it (exit code 2).
 */
export class UnjudgeableOutputError extends SynthOutputError {
  constructor(
    readonly dir: string,
    readonly refusals: readonly Refusal[],
  ) {
    super(
      [
        UnjudgeableOutputError.heading(dir),
        ...refusals.map(UnjudgeableOutputError.line),
        UnjudgeableOutputError.advice,
      ].join('\n'),
    );
    this.name = 'UnjudgeableOutputError';
  }

  static heading(dir: string): string {
    return (
      `cannot judge the synth output in ${dir}: Terraform would apply what the doctor does not model, ` +
      'so it passes nothing:'
    );
  }

  /** One refusal: `stack <name>: <file>: <address>: <cause>`. */
  static line(refusal: Refusal): string {
    return [`stack ${refusal.stack}`, refusal.file, refusal.address, refusal.cause].filter(Boolean).join(': ');
  }

  static readonly advice = 'Take each out (or change it as it says), then run the doctor again.';
}

/** A file of the synth output is not what cdktf writes: damaged, hand-edited or crafted. */
function damaged(file: string, detail: string): SynthOutputError {
  return new SynthOutputError(`${file}: ${detail}. The synth output is damaged: run \`npm run synth\` again.`);
}

/** Parses a JSON file of the synth output that must hold an object. */
function readJsonObject(file: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw damaged(file, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw damaged(file, 'not a JSON object');
  return parsed as Json;
}

/**
 * `path` from the manifest, resolved inside `dir`; refused when it is absolute or leads outside
 * (`../../etc/passwd`, or a symbolic link out of the folder), so a crafted manifest cannot make the
 * doctor read other files.
 */
function insideOutput(dir: string, manifestPath: string, stack: string, key: string, path: unknown): string {
  const shown = JSON.stringify(path);
  if (typeof path !== 'string' || path === '') {
    throw damaged(manifestPath, `stack ${JSON.stringify(stack)}: ${key} is ${shown}, not a path`);
  }
  const outside = (from: string, to: string) => {
    const rel = relative(from, to);
    return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  const full = resolve(dir, path);
  if (isAbsolute(path) || outside(resolve(dir), full)) {
    throw damaged(manifestPath, `stack ${JSON.stringify(stack)}: ${key} ${shown} leads outside ${dir}; refused`);
  }
  if (existsSync(full) && outside(realpathSync(dir), realpathSync(full))) {
    throw damaged(manifestPath, `stack ${JSON.stringify(stack)}: ${key} ${shown} is a link to outside ${dir}; refused`);
  }
  return full;
}

type Json = Record<string, unknown>;

/** One resource (or data source) instance, `for_each` expanded, attributes evaluated. */
export interface Instance {
  readonly stack: string;
  /** e.g. `aws_route53_record`. */
  readonly type: string;
  /** `<type>.<name>` or `<type>.<name>["<key>"]`. */
  readonly address: string;
  /** The `for_each` key, if any. */
  readonly key?: string;
  /** The `for_each` value (`each.value`), if any. */
  readonly eachValue?: Value;
  /** The `count` index, if any. */
  readonly index?: number;
  /** Evaluated arguments. */
  readonly attrs: Readonly<Record<string, Value>>;
}

const META_KEYS = new Set([
  '//',
  'for_each',
  'count',
  'lifecycle',
  'depends_on',
  'provider',
  'provisioner',
  'connection',
]);

function asJson(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** One synthesized stack. */
export class SynthStack {
  private readonly localCache = new Map<string, Value>();
  /** {@link expand}'s answers by type (`data.` before a data source's): the JSON does not change. */
  private readonly expansions = new Map<string, ReturnType<SynthStack['expand']>>();
  private outputCache?: Record<string, Value>;
  /** Evaluation scope without `each`. */
  readonly scope: Scope;

  constructor(
    /** The stack name. */
    readonly name: string,
    /** The parsed `cdk.tf.json`. */
    readonly json: Json,
    /** Absolute path of the folder Terraform runs this stack in. */
    readonly workingDirectory: string,
    private readonly output: SynthOutput,
    /** What the override files beside the stack's JSON changed (`<file>: <address> (<arguments>)`), merged into `json`. */
    readonly overrides: readonly string[] = [],
  ) {
    this.scope = this.scopeWith(undefined);
  }

  /** A scope of this stack, with `each` (or `count.index`) bound for one instance. */
  scopeWith(each: Scope['each'], countIndex?: number): Scope {
    return {
      stack: this.name,
      each,
      ...(countIndex === undefined ? {} : { countIndex }),
      local: (name) => this.local(name),
      remoteState: (name) => this.output.remoteStateOutputs(this, name),
      hasResource: (type, name) => asJson(asJson(this.json.resource)[type])[name] !== undefined,
    };
  }

  private local(name: string): Value {
    if (!this.localCache.has(name)) {
      this.localCache.set(name, UNKNOWN); // guards against a local that refers to itself
      const raw = asJson(this.json.locals)[name];
      this.localCache.set(name, raw === undefined ? UNKNOWN : evaluateJson(raw, this.scope));
    }
    return this.localCache.get(name) as Value;
  }

  /** Evaluated outputs. */
  outputs(): Record<string, Value> {
    if (!this.outputCache) {
      this.outputCache = {};
      for (const [name, output] of Object.entries(asJson(this.json.output))) {
        this.outputCache[name] = evaluateJson(asJson(output).value, this.scope);
      }
    }
    return this.outputCache;
  }

  /**
   * The default AWS provider block (the one without an `alias`: the one resources without a
   * `provider` use), evaluated (region, allowed_account_ids).
   */
  awsProvider(): Record<string, Value> {
    const providers = asJson(this.json.provider).aws;
    const blocks = Array.isArray(providers) ? providers : [providers];
    const byDefault = blocks.find((block) => block !== undefined && asJson(block).alias === undefined);
    return asJson(evaluateJson(byDefault ?? {}, this.scope)) as Record<string, Value>;
  }

  /** The instances of every resource of `type`, or of data sources with `data: true`. */
  instances(type: string, options: { data?: boolean } = {}): Instance[] {
    return this.expand(type, options).instances;
  }

  /**
   * The instances of every resource of `type` (data sources with `data: true`), and the blocks
   * whose `for_each` (or `count`) the synth output does not let us evaluate to a map or a set of
   * strings (a whole number): those have instances nobody can tell, and must not count as none.
   * A `count` of 0, like an empty `for_each`, has no instance: Terraform creates nothing.
   */
  expand(
    type: string,
    options: { data?: boolean } = {},
  ): { instances: Instance[]; unevaluable: Array<{ address: string; argument: 'for_each' | 'count' }> } {
    const cacheKey = `${options.data ? 'data.' : ''}${type}`;
    const cached = this.expansions.get(cacheKey);
    if (cached) return cached;
    const block = asJson(asJson(options.data ? this.json.data : this.json.resource)[type]);
    const prefix = options.data ? `data.${type}` : type;
    const result: Instance[] = [];
    const unevaluable: Array<{ address: string; argument: 'for_each' | 'count' }> = [];
    for (const [name, raw] of Object.entries(block)) {
      const body = asJson(raw);
      const attrsOf = (scope: Scope): Record<string, Value> => {
        const attrs: Record<string, Value> = {};
        for (const [key, value] of Object.entries(body)) {
          if (!META_KEYS.has(key)) attrs[key] = evaluateJson(value, scope);
        }
        return attrs;
      };
      const address = `${prefix}.${name}`;
      if (body.count !== undefined) {
        const count = body.for_each === undefined ? countOf(evaluateJson(body.count, this.scope)) : undefined;
        if (count === undefined) {
          unevaluable.push({ address, argument: 'count' });
          continue;
        }
        for (let index = 0; index < count; index++) {
          const scope = this.scopeWith(undefined, index);
          result.push({ stack: this.name, type, address: `${address}[${index}]`, index, attrs: attrsOf(scope) });
        }
        continue;
      }
      if (body.for_each === undefined) {
        result.push({ stack: this.name, type, address, attrs: attrsOf(this.scope) });
        continue;
      }
      const forEach = evaluateJson(body.for_each, this.scope);
      let entries: Array<[string, Value]>;
      if (Array.isArray(forEach) && forEach.every((v) => typeof v === 'string')) {
        entries = (forEach as string[]).map((v) => [v, v]);
      } else if (typeof forEach === 'object' && forEach !== null && !Array.isArray(forEach) && !isRef(forEach)) {
        entries = Object.entries(forEach as Record<string, Value>);
      } else {
        unevaluable.push({ address, argument: 'for_each' });
        continue;
      }
      for (const [key, value] of entries) {
        result.push({
          stack: this.name,
          type,
          address: `${address}["${key}"]`,
          key,
          eachValue: value,
          attrs: attrsOf(this.scopeWith({ key, value })),
        });
      }
    }
    const expansion = { instances: result, unevaluable };
    this.expansions.set(cacheKey, expansion);
    return expansion;
  }

  /** Where this stack keeps its state, as a comparable identity (see `stateIdentity`). */
  backendIdentity(): string | undefined {
    const terraform = asJson(this.json.terraform);
    const cloud = asJson(terraform.cloud);
    if (cloud.organization) {
      return tfcIdentity(cloud.hostname, cloud.organization, asJson(cloud.workspaces).name);
    }
    const [kind, config] = Object.entries(asJson(terraform.backend))[0] ?? [];
    return kind ? stateIdentity(kind, asJson(config), this.workingDirectory) : undefined;
  }
}

function tfcIdentity(hostname: unknown, organization: unknown, workspace: unknown): string {
  return `tfc:${String(hostname ?? 'app.terraform.io')}/${String(organization)}/${String(workspace)}`;
}

/** The same state location gives the same identity, whichever stack names it. */
function stateIdentity(kind: string, config: Json, workingDirectory: string): string | undefined {
  switch (kind) {
    case 'local':
      return `local:${resolve(workingDirectory, String(config.path ?? 'terraform.tfstate'))}`;
    case 's3':
      return `s3:${String(config.bucket)}/${String(config.key)}`;
    case 'remote':
      return tfcIdentity(config.hostname, config.organization, asJson(config.workspaces).name);
    default:
      return undefined;
  }
}

/** A whole synth output folder. */
export class SynthOutput {
  /** The stacks, in manifest order. */
  readonly stacks: SynthStack[];
  private readonly remoteStates = new Map<string, Value>();

  /**
   * Reads `dir` as Terraform would (each stack's JSON with its override files merged in); throws
   * {@link NoSynthOutputError} when it holds no synth output, {@link SynthOutputError} when a file
   * is not valid JSON or the manifest points outside `dir`, and {@link UnjudgeableOutputError} when
   * a stack holds what the doctor cannot judge (see terraform-files.ts and judged-arguments.ts).
   */
  static read(dir: string): SynthOutput {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new NoSynthOutputError(dir, 'manifest.json not found');
    const manifest = readJsonObject(manifestPath);
    const entries = Object.entries(asJson(manifest.stacks));
    if (entries.length === 0) throw new NoSynthOutputError(dir, 'the manifest lists no stacks');
    const refusals: Refusal[] = [];
    const stacks = entries.map(([name, raw]) => {
      const entry = asJson(raw);
      const file = insideOutput(dir, manifestPath, name, 'synthesizedStackPath', entry.synthesizedStackPath);
      if (!existsSync(file)) throw new NoSynthOutputError(dir, `${file} is missing`);
      const workingDirectory =
        entry.workingDirectory === undefined
          ? dirname(file)
          : insideOutput(dir, manifestPath, name, 'workingDirectory', entry.workingDirectory);
      // What Terraform applies: the stack's JSON with the override files beside it merged in.
      const configuration = terraformConfiguration(name, file, readJsonObject(file), workingDirectory, dir);
      refusals.push(...configuration.refusals);
      return { name, json: configuration.json, workingDirectory, overrides: configuration.overrides };
    });
    if (refusals.length > 0) throw new UnjudgeableOutputError(dir, refusals);
    const output = new SynthOutput(stacks);
    const unjudged = output.stacks.flatMap((stack) => unjudgeable(stack));
    if (unjudged.length > 0) throw new UnjudgeableOutputError(dir, unjudged);
    return output;
  }

  constructor(
    stacks: ReadonlyArray<{ name: string; json: Json; workingDirectory: string; overrides?: readonly string[] }>,
  ) {
    this.stacks = stacks.map((s) => new SynthStack(s.name, s.json, s.workingDirectory, this, s.overrides));
  }

  /** The stack named `name`. */
  stack(name: string): SynthStack | undefined {
    return this.stacks.find((s) => s.name === name);
  }

  /** The stack whose state a `terraform_remote_state` data source reads, if it is in this output. */
  producerOf(consumer: SynthStack, dataSourceName: string): SynthStack | undefined {
    const source = asJson(asJson(asJson(consumer.json.data).terraform_remote_state)[dataSourceName]);
    const kind = typeof source.backend === 'string' ? source.backend : undefined;
    if (!kind) return undefined;
    const config = asJson(evaluateJson(source.config ?? {}, consumer.scope));
    const identity = stateIdentity(kind, config, consumer.workingDirectory);
    return identity ? this.stacks.find((s) => s !== consumer && s.backendIdentity() === identity) : undefined;
  }

  /** `data.terraform_remote_state.<name>` of `consumer`: the producer's outputs, or unknown. */
  remoteStateOutputs(consumer: SynthStack, dataSourceName: string): Value {
    const key = `${consumer.name}\u0000${dataSourceName}`;
    if (!this.remoteStates.has(key)) {
      const producer = this.producerOf(consumer, dataSourceName);
      this.remoteStates.set(key, producer ? { outputs: producer.outputs() } : UNKNOWN);
    }
    return this.remoteStates.get(key) as Value;
  }
}
