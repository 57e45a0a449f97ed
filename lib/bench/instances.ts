/**
 * Resource instances of a synthesized stack, counted without Terraform: one per plain resource
 * block, one per `for_each` key (literal maps, lists and `toset([...])` strings).
 */
export function countInstances(json: any): number {
  let n = 0;
  for (const blocks of Object.values<any>(json.resource ?? {})) {
    for (const block of Object.values<any>(blocks)) n += block.for_each === undefined ? 1 : forEachKeys(block.for_each).length;
  }
  return n;
}

/** The keys of a synthesized `for_each`: a map's keys, a list, or the strings of `${toset([...])}`. */
export function forEachKeys(forEach: unknown): string[] {
  if (typeof forEach === 'string') return [...forEach.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  return Array.isArray(forEach) ? (forEach as string[]) : Object.keys(forEach as object);
}
