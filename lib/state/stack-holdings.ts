/**
 * What a stack holds, read from either side of a change: a Terraform state file (what is deployed)
 * or a stack's synthesized Terraform JSON (what a commit deploys). The synth guard reads state files
 * and `affected` reads the base commit's synth output; both hand the holdings to the same rules
 * (`unsafe-changes.ts`).
 */
import { readFileSync } from 'node:fs';
import type { Mechanisms } from '../config/sharing';
import { ACCOUNT_OUTPUT, FIRST_RELEASE_BLOCKS } from '../stack-names';

/** Parsed JSON: a state file or a `cdk.tf.json`. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What one stack holds. */
export interface StackHoldings {
  /** Resource instances (data sources left out); 0 when the stack has nothing left to lose. */
  readonly instances: number;
  /** The resource types with at least one instance. */
  readonly types: ReadonlySet<string>;
  /** The resource blocks with at least one instance, as `<type>.<name>`. */
  readonly blocks: ReadonlySet<string>;
  /** The first release's resource blocks it still has (`<type>.<name>`, see FIRST_RELEASE_BLOCKS). */
  readonly firstReleaseBlocks: readonly string[];
  /** The services whose hub zone a spoke associates VPCs with (association keys `<vpcId>/<service>`). */
  readonly associatedServices: ReadonlySet<string>;
  /** Whether its spoke's account is retired (the spoke output `account.retired`). */
  readonly retired: boolean;
  /** The VPCs with a spoke's own S3 gateway endpoint (`aws_vpc_endpoint.s3_gateway` keys). */
  readonly s3GatewayVpcs: ReadonlySet<string>;
}

/** The resource block of a spoke's S3 gateway endpoints, keyed by VPC ID. */
export const S3_GATEWAY_BLOCK = 'aws_vpc_endpoint.s3_gateway';

/** The sharing mechanisms a spoke holds: zone associations, a Profile association, or both. */
export function spokeMechanisms(holdings: StackHoldings): Mechanisms {
  return {
    associations: holdings.types.has('aws_route53_zone_association'),
    profile: holdings.types.has('aws_route53profiles_association'),
  };
}

/** The mechanisms of a spoke that holds nothing (retired, or not there). */
export const NO_MECHANISMS: Mechanisms = { associations: false, profile: false };

/**
 * The instance keys of a `for_each` value, when the JSON tells: a map's keys, a list's items, or the
 * strings of `${toset([...])}`; undefined for an expression Terraform alone can evaluate.
 */
export function forEachKeys(forEach: unknown): string[] | undefined {
  if (isObject(forEach)) return Object.keys(forEach);
  if (Array.isArray(forEach)) return [...new Set(forEach.map(String))];
  // cdktf writes TerraformIterator.fromList as "${toset([...])}" with a JSON list of literals.
  const list = typeof forEach === 'string' ? /^\$\{toset\((\[[\s\S]*\])\)\}$/.exec(forEach)?.[1] : undefined;
  if (list === undefined) return undefined;
  try {
    const items = JSON.parse(list) as unknown;
    return Array.isArray(items) && items.every((i) => typeof i === 'string') ? [...new Set(items)] : undefined;
  } catch {
    return undefined; // an expression in the list: not a literal
  }
}

/** Resource instances of one stack's Terraform JSON. */
export interface InstanceCount {
  /** Each resource block once, a `for_each` block once per key, a `count` block `count` times. */
  readonly instances: number;
  /** False when some `for_each`/`count` could not be counted from the JSON (then `instances` is a lower bound). */
  readonly exact: boolean;
}

/** Counts the resource instances (not data sources) of one stack's Terraform JSON. */
export function countResourceInstances(stack: Json): InstanceCount {
  let instances = 0;
  let exact = true;
  for (const byName of Object.values(isObject(stack.resource) ? stack.resource : {})) {
    for (const body of Object.values(isObject(byName) ? byName : {})) {
      const block = isObject(body) ? body : {};
      if (block.for_each !== undefined) {
        const size = forEachKeys(block.for_each)?.length;
        if (size === undefined) exact = false;
        instances += size ?? 0;
      } else if (block.count !== undefined) {
        if (typeof block.count === 'number') instances += block.count;
        else exact = false;
      } else {
        instances += 1;
      }
    }
  }
  return { instances, exact };
}

/** One resource block with its instance keys, from either source. */
interface Block {
  readonly type: string;
  readonly name: string;
  readonly keys: readonly unknown[];
}

function holdingsOf(blocks: readonly Block[], outputs: unknown, instances: number): StackHoldings {
  const held = blocks.filter((b) => b.keys.length > 0);
  const associatedServices = new Set<string>();
  for (const block of held) {
    if (block.type !== 'aws_route53_zone_association') continue;
    for (const key of block.keys) {
      const service = typeof key === 'string' ? key.split('/')[1] : undefined;
      if (service) associatedServices.add(service);
    }
  }
  const account = isObject(outputs) && isObject(outputs[ACCOUNT_OUTPUT]) ? outputs[ACCOUNT_OUTPUT].value : undefined;
  return {
    instances,
    types: new Set(held.map((b) => b.type)),
    blocks: new Set(held.map((b) => `${b.type}.${b.name}`)),
    firstReleaseBlocks: held
      .filter((b) => Object.values(FIRST_RELEASE_BLOCKS).some(([type, name]) => b.type === type && b.name === name))
      .map((b) => `${b.type}.${b.name}`),
    associatedServices,
    retired: isObject(account) && account.retired === true,
    s3GatewayVpcs: new Set(
      held.filter((b) => `${b.type}.${b.name}` === S3_GATEWAY_BLOCK).flatMap((b) => b.keys.map(String)),
    ),
  };
}

/** What a stack's synthesized Terraform JSON (`cdk.tf.json`) declares. */
export function holdingsFromSynth(json: Json): StackHoldings {
  const blocks: Block[] = [];
  for (const [type, byName] of Object.entries(isObject(json.resource) ? json.resource : {})) {
    for (const [name, body] of Object.entries(isObject(byName) ? byName : {})) {
      const block = isObject(body) ? body : {};
      // An uncountable for_each or count still holds something: one stand-in key.
      const keys =
        block.for_each !== undefined
          ? (forEachKeys(block.for_each) ?? ['?'])
          : typeof block.count === 'number'
            ? Array.from({ length: block.count }, (_, i) => i)
            : [undefined];
      blocks.push({ type, name, keys });
    }
  }
  return holdingsOf(blocks, json.output, countResourceInstances(json).instances);
}

/**
 * A state file the guard cannot read. The guard refuses rather than pass a change it cannot check
 * against what is deployed: the message says what is wrong with the file and how to restore it.
 */
export class UnreadableStateError extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(
      `${file} ${why}. The guard cannot check this change against it, so nothing was synthesized: ` +
        `restore the file (Terraform keeps the previous state in ${file}.backup), then synthesize again.`,
    );
    this.name = 'UnreadableStateError';
  }
}

/** The parsed state file: a Terraform state, or undefined for an empty file (no state yet, as Terraform reads it). */
export function readStateFile(file: string, shown = file): Json | undefined {
  const bytes = readFileSync(file);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new UnreadableStateError(shown, 'starts with a UTF-8 byte-order mark (an editor added it; Terraform cannot read it either)');
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UnreadableStateError(shown, `is not valid JSON (${(error as Error).message}; a truncated or hand-edited file)`);
  }
  if (!isObject(parsed) || typeof parsed.version !== 'number' || !Array.isArray(parsed.resources ?? [])) {
    throw new UnreadableStateError(shown, 'is not a Terraform state (no "version", or "resources" is not a list)');
  }
  return parsed;
}

/**
 * What a state file holds: nothing for an empty file; throws {@link UnreadableStateError} for a
 * file that is not a Terraform state (`shown` names it in the message).
 */
export function holdingsFromState(file: string, shown = file): StackHoldings {
  const state = readStateFile(file, shown) ?? {};
  const resources = Array.isArray(state.resources) ? state.resources.filter(isObject) : [];
  const blocks = resources
    .filter((r) => r.mode !== 'data')
    .map((r) => ({
      type: String(r.type ?? ''),
      name: String(r.name ?? ''),
      keys: (Array.isArray(r.instances) ? r.instances : []).map((i: unknown) =>
        isObject(i) ? i.index_key : undefined,
      ),
    }));
  return holdingsOf(
    blocks,
    state.outputs,
    blocks.reduce((n, b) => n + b.keys.length, 0),
  );
}
