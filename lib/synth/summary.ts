/**
 * The one line `npm run synth` prints on success: how many resource instances each stack got, and
 * where the output went. Counted from the Terraform JSON cdktf synthesizes anyway (no file is
 * read back), so it costs microseconds at 1000 accounts.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { HUB_STACK, SPOKE_STACK_PREFIX } from '../stack-names';

/** Resource instances of one stack. */
export interface InstanceCount {
  /** Each resource block once, a `for_each` block once per key, a `count` block `count` times. */
  readonly instances: number;
  /** False when some `for_each`/`count` could not be counted from the JSON (then `instances` is a lower bound). */
  readonly exact: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

/**
 * Counts each stack's resource instances as cdktf synthesizes it: wraps the stack's `toTerraform`,
 * which the synthesizer calls once per stack, and reads the JSON it returns. Call before
 * `app.synth()`; the map fills during it, by stack name.
 */
export function countWhileSynthesizing(stacks: readonly TerraformStack[]): Map<string, InstanceCount> {
  const counts = new Map<string, InstanceCount>();
  for (const stack of stacks) {
    const toTerraform = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = toTerraform();
      counts.set(stack.node.id, countResourceInstances(json));
      return json;
    };
  }
  return counts;
}

/** `82 resource instances` (`at least 82 ...` when a for_each could not be counted). */
function instancesText(counts: readonly InstanceCount[]): string {
  const numbers = counts.map((c) => c.instances);
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  const prefix = counts.every((c) => c.exact) ? '' : 'at least ';
  return `${prefix}${low === high ? low : `${low}-${high}`} resource instance${high === 1 ? '' : 's'}`;
}

/** The output folder as given, relative to `cwd` when it is inside it. */
function displayPath(outdir: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, outdir));
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(cwd, outdir) : rel;
}

/**
 * The summary line, e.g.
 * `hub: 82 resource instances; 3 spoke stacks, 8-16 resource instances each -> cdktf.out`.
 * Stacks other than the hub and the spokes (tfc-workspaces) get their own part.
 */
export function summaryLine(counts: ReadonlyMap<string, InstanceCount>, outdir: string, cwd = process.cwd()): string {
  const parts: string[] = [];
  const hub = counts.get(HUB_STACK);
  if (hub) parts.push(`${HUB_STACK}: ${instancesText([hub])}`);
  const spokes = [...counts].filter(([name]) => name.startsWith(SPOKE_STACK_PREFIX)).map(([, count]) => count);
  if (spokes.length === 0) parts.push('no spoke stacks');
  else if (spokes.length === 1) parts.push(`1 spoke stack, ${instancesText(spokes)}`);
  else parts.push(`${spokes.length} spoke stacks, ${instancesText(spokes)} each`);
  for (const [name, count] of counts) {
    if (name !== HUB_STACK && !name.startsWith(SPOKE_STACK_PREFIX)) parts.push(`${name}: ${instancesText([count])}`);
  }
  return `${parts.join('; ')} -> ${displayPath(outdir, cwd)}`;
}
