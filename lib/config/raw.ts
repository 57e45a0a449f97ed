/**
 * Helpers of the cross-value rules (rules.ts, sharing-rules.ts), which read the YAML before the
 * schema has validated it.
 */
import type { Problem } from './problems';
import type { DocPath, YamlFile } from './yaml-file';

/** A YAML value before validation. */
export type Raw = Record<string, unknown>;

/** The value as a mapping, if it is one. */
export function asRecord(value: unknown): Raw | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
}

/** The value as a list, or an empty one. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Reports each string value that appeared before, pointing at the repeat and naming the first line.
 * `same` maps a value to what makes two values the same (e.g. a CIDR's canonical form); values it
 * maps to undefined are skipped (they are malformed, which the schema reports).
 */
export function duplicates(
  file: YamlFile,
  entries: Array<{ value: unknown; path: DocPath }>,
  message: (value: string, firstLine: number | undefined, first: string) => string,
  same: (value: string) => string | undefined = (value) => value,
): Problem[] {
  const seen = new Map<string, { path: DocPath; value: string }>();
  const problems: Problem[] = [];
  for (const { value, path } of entries) {
    if (typeof value !== 'string') continue;
    const key = same(value);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first) {
      problems.push(file.problemAt(path, message(value, file.lineOf(first.path), first.value)));
    } else {
      seen.set(key, { path, value });
    }
  }
  return problems;
}
