/**
 * The one line `npm run synth` prints on success: how many resource instances each stack got, and
 * where the output went. Counted from the Terraform JSON cdktf synthesizes anyway (no file is
 * read back), so it costs microseconds at 1000 accounts.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { TerraformStack } from '../framework/cdktf';
import { HUB_STACK, SPOKE_STACK_PREFIX } from '../stack-names';
import { countResourceInstances, type InstanceCount } from '../state/stack-holdings';

export { countResourceInstances, forEachKeys, type InstanceCount } from '../state/stack-holdings';

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
