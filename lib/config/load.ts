/**
 * Loads `hub.yaml` and `accounts.yaml` from the config folder, validates them, and returns the typed
 * configuration, or throws one `ConfigError` that lists every problem with its file and line.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type Problem } from './problems';
import { crossRules } from './rules';
import { accountsFileSchema, hubFileSchema, type VpceConfig } from './schema';
import { suggest } from './suggest';
import { formatPath, YamlFile, type DocPath } from './yaml-file';

export { configDir, DEFAULT_CONFIG_DIR } from './config-dir';
import { configDir } from './config-dir';
import { defOf, unwrap } from './zod-def';

// ---- walking a zod schema, to list the keys allowed where the user wrote an unknown one ----

/** The discriminator values of one option of a discriminated union (`s3` for the s3 state). */
function tagsOf(option: z.ZodType, discriminator: string): unknown[] {
  const literal = defOf(option).shape?.[discriminator];
  return literal ? (defOf(literal).values ?? []) : [];
}

/** Unwraps, and picks the union option that matches the data. */
function resolve(schema: z.ZodType, data: unknown): z.ZodType {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union' && def.options && def.discriminator) {
    const tag = (data as Record<string, unknown> | undefined)?.[def.discriminator];
    const match = def.options.find((option) => tagsOf(option, def.discriminator as string).includes(tag));
    return match ? resolve(match, data) : inner;
  }
  return inner;
}

/** The schema at `path` (unwrapped, union not yet chosen), given the data along it. */
function schemaAt(schema: z.ZodType, path: DocPath, data: unknown): z.ZodType | undefined {
  let current = unwrap(schema);
  let value = data;
  for (const key of path) {
    const def = defOf(resolve(current, value));
    value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    const next = def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : def.shape?.[String(key)];
    if (!next) return undefined;
    current = unwrap(next);
  }
  return current;
}

/** The keys an object schema allows at `path`, given the data there. */
function allowedKeys(schema: z.ZodType, path: DocPath, data: unknown): string[] {
  const here = schemaAt(schema, path, data);
  if (!here) return [];
  const value = path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key], data);
  return Object.keys(defOf(resolve(here, value)).shape ?? {});
}

function isRequired(field: z.ZodType): boolean {
  const type = defOf(field).type;
  return type !== 'optional' && type !== 'default';
}

/** Where else a key is allowed: in another option of the union at `path` (e.g. another state backend). */
function otherOptionsWith(
  schema: z.ZodType,
  path: DocPath,
  data: unknown,
  key: string,
): { discriminator: string; owners: Array<{ tag: string; required: string[] }> } | undefined {
  const here = schemaAt(schema, path, data);
  const def = here ? defOf(here) : undefined;
  if (!def || def.type !== 'union' || !def.options || !def.discriminator) return undefined;
  const discriminator = def.discriminator;
  const owners = def.options
    .filter((option) => defOf(option).shape?.[key])
    .map((option) => {
      const shape = defOf(option).shape ?? {};
      return {
        tag: String(tagsOf(option, discriminator)[0]),
        required: Object.keys(shape).filter((k) => k !== discriminator && isRequired(shape[k])),
      };
    });
  return owners.length > 0 ? { discriminator, owners } : undefined;
}

/** Every place in the schema where an object allows `key`, as `state.bucket` or `accounts[].vpcIds`. */
function homesOf(schema: z.ZodType, key: string): string[] {
  const homes = new Set<string>();
  const walk = (node: z.ZodType, at: string, depth: number): void => {
    if (depth > 8) return;
    const def = defOf(unwrap(node));
    if (def.type === 'union' && def.options) for (const option of def.options) walk(option, at, depth + 1);
    if (def.type === 'array' && def.element) walk(def.element, `${at}[]`, depth + 1);
    if (def.type === 'record' && def.valueType) walk(def.valueType, `${at}.<key>`, depth + 1);
    for (const [name, field] of Object.entries(def.shape ?? {})) {
      const inner = at === '' ? name : `${at}.${name}`;
      if (name === key) homes.add(inner);
      walk(field, inner, depth + 1);
    }
  };
  walk(schema, '', 0);
  return [...homes];
}

/** A path with its list indexes replaced by `[]`, to compare with {@link homesOf}. */
function pathShape(path: DocPath): string {
  return formatPath(path.map((key) => (typeof key === 'number' ? 0 : key))).replace(/\[0\]/g, '[]');
}

// ---- zod issues to problems ----

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

function dataAt(data: unknown, path: DocPath): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], data);
}

/** What a zod type name stands for, with its article: `a list`, `a whole number`. */
function expectedPhrase(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a map of keys';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

/**
 * An unquoted number where text is expected (`id: 012345678901`). Quoting it keeps every digit as
 * written, so say so, but suggest the quoted value only when the rule at `path` takes it: a 30-digit
 * "account ID" gets the account ID rule, not the advice to write it in quotes as it is.
 */
function unquotedNumberProblem(file: YamlFile, schema: z.ZodType, path: DocPath, input: unknown): Problem {
  const written = file.sourceOf(path) ?? String(input);
  const lost = /^0\d/.test(written) ? `, dropping its leading zero` : '';
  const reads = `YAML reads the unquoted ${written} as the number ${String(input)}${lost}`;
  const rule = schemaAt(schema, path, file.data)?.safeParse(written, { reportInput: true });
  if (rule === undefined || rule.success) {
    return file.problemAt(path, `write it in quotes: ${reads}. Write "${written}".`);
  }
  return file.problemAt(path, `${reads}, and it is not valid in quotes either: ${rule.error.issues[0].message}`);
}

function issueProblem(file: YamlFile, schema: z.ZodType, issue: z.core.$ZodIssue): Problem {
  const path = issue.path as DocPath;
  if (issue.code === 'invalid_key') {
    // A map key that fails its rule (e.g. a VPC ID in s3GatewayRouteTables): point at the key.
    const key = String(path[path.length - 1]);
    const reason = issue.issues[0]?.message ?? issue.message;
    return { ...file.problemAtKey(path.slice(0, -1), key, reason), value: key };
  }
  if (issue.code === 'invalid_type') {
    const input = (issue as { input?: unknown }).input;
    const key = String(path[path.length - 1] ?? 'this value');
    const custom = !issue.message.startsWith('Invalid input');
    const expected = expectedPhrase(issue.expected);
    if (input === undefined) {
      return file.problemAt(path, `"${key}" is missing: add it (expected ${expected}).`, { quoteValue: false });
    }
    if (input === null && typeof path[path.length - 1] === 'string') {
      // `key:` with nothing after it: say so, instead of quoting an empty value.
      const hint = custom ? issue.message : `Write ${expected} after "${key}:", or remove the key.`;
      return file.problemAt(path, `nothing follows "${key}:". ${hint}`);
    }
    if (typeof input === 'number' && !Number.isFinite(input)) {
      // 1e400 (Infinity) or .nan: a number, but none that any setting takes.
      const written = file.sourceOf(path) ?? String(input);
      const range = Number.isNaN(input)
        ? `${written} is not a number (YAML reads it as NaN)`
        : `${written} is out of range: YAML reads it as ${String(input)}, not a finite number`;
      return file.problemAt(path, `${range}. ${custom ? issue.message : `Write ${expected}.`}`);
    }
    if (issue.expected === 'string' && file.isUnquotedNumber(path)) {
      return unquotedNumberProblem(file, schema, path, input);
    }
    if (issue.expected !== 'string' && custom) return file.problemAt(path, issue.message);
    return file.problemAt(path, `expected ${expected} here, got ${describe(input)}.`);
  }
  return file.problemAt(path, issue.message);
}

/**
 * Problems for the unknown keys of one map, one per mistake: a misspelt required key is one problem
 * (not "unknown key" and "missing key"), a key of another state backend says which backend takes
 * it, a key indented into the wrong map says where it belongs, and a YAML merge key (`<<`) says it
 * is not supported. `missing` are the required keys missing in this map, `elsewhere` every missing
 * key's path; the paths of those explained here are added to `explained`.
 */
function unknownKeyProblems(
  file: YamlFile,
  schema: z.ZodType,
  path: DocPath,
  keys: readonly string[],
  missing: readonly string[],
  elsewhere: readonly DocPath[],
  explained: Set<string>,
): Problem[] {
  const allowed = allowedKeys(schema, path, file.data);
  const list = ` Allowed here: ${allowed.join(', ')}.`;
  const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
  const open = new Set(missing);
  const explain = (key: string): void => {
    open.delete(key);
    explained.add(formatPath([...path, key]));
  };

  const messages = new Map<string, string>();
  const unexplained: string[] = [];
  for (const key of keys) {
    if (key === '<<') {
      const needs = [...open];
      needs.forEach(explain);
      messages.set(
        key,
        'YAML merge keys (<<) are not supported: vpce-hub reads YAML 1.2, which has no merge keys, and a problem ' +
          'inside merged keys could not be pointed to its line. Write the keys out in this map' +
          `${needs.length > 0 ? ` (it needs ${needs.join(', ')})` : ''}. An alias of a whole value (vpcIds: *shared) does work.`,
      );
      continue;
    }
    const other = otherOptionsWith(schema, path, file.data, key);
    if (other) {
      const current = String(dataAt(file.data, [...path, other.discriminator]));
      const owners = other.owners.map((o) => `${other.discriminator}: ${o.tag}`).join(' or ');
      const first = other.owners[0];
      const needs = first.required.length > 0 ? ` (which needs ${first.required.join(' and ')})` : '';
      messages.set(
        key,
        `unknown key "${key}": it belongs to ${owners}, and this ${formatPath(path) || 'map'} has ${other.discriminator}: ` +
          `${current}. Set ${other.discriminator}: ${first.tag}${needs}, or remove ${key}.${list}`,
      );
      continue;
    }
    const meant = suggest(key, [...open]);
    if (meant) {
      explain(meant);
      messages.set(
        key,
        `unknown key "${key}". Did you mean "${meant}"? ${meant} is required here: rename ${key} to ${meant}.`,
      );
      continue;
    }
    unexplained.push(key);
  }

  // A key indented into the wrong map: where it is missing from the map it belongs in, that is the
  // same mistake.
  const homes = new Map(
    unexplained.map((key) => [key, homesOf(schema, key).filter((home) => home !== pathShape([...path, key]))]),
  );
  const moved = (key: string, wanted: DocPath | undefined): void => {
    const places = (homes.get(key) ?? [])
      .map((home) => (home === key ? `${key} (at the top level)` : home))
      .join(' or ');
    const missingThere = wanted ? ', where it is required and missing' : '';
    messages.set(
      key,
      `unknown key "${key}" ${where}: "${key}" belongs at ${places}${missingThere}. Move it there (check the indentation of this line).${list}`,
    );
  };
  const rest: string[] = [];
  for (const key of unexplained) {
    const here = homes.get(key) ?? [];
    const wanted = elsewhere.filter((p) => here.includes(pathShape(p)) && !explained.has(formatPath(p)));
    if (wanted.length === 1) {
      explained.add(formatPath(wanted[0]));
      moved(key, wanted[0]);
    } else {
      rest.push(key);
    }
  }

  // One unknown key and one missing required key in the same map are most likely one mistake.
  if (rest.length === 1 && open.size === 1) {
    const [key] = rest;
    const [meant] = [...open];
    explain(meant);
    messages.set(
      key,
      `unknown key "${key}", and the required key "${meant}" is missing ${where}: if ${key} stands for ${meant}, ` +
        `rename it to ${meant}; otherwise remove ${key} and add ${meant}.${list}`,
    );
  } else {
    for (const key of rest) {
      const guess = suggest(key, allowed);
      if (guess) {
        messages.set(key, `unknown key "${key}". Did you mean "${guess}"?${list}`);
      } else if ((homes.get(key) ?? []).length > 0) {
        moved(key, undefined);
      } else {
        messages.set(key, `unknown key "${key}". Remove it, or check its spelling.${list}`);
      }
    }
  }
  return keys.map((key) => file.problemAtKey(path, key, messages.get(key) as string));
}

function validate<S extends z.ZodType>(file: YamlFile, schema: S): { value?: z.infer<S>; problems: Problem[] } {
  if (file.problems.length > 0) return { problems: [...file.problems] };
  const data = file.data;
  if (data === null || data === undefined) {
    return {
      problems: [
        {
          file: file.label,
          line: 1,
          column: 1,
          path: '',
          message: 'the file is empty. See docs/configuration.md for every key, and config/ for an example.',
        },
      ],
    };
  }
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data, problems: [] };

  const issues = result.error.issues;
  // Required keys missing, by the map they are missing from.
  const missing = new Map<string, string[]>();
  const missingPaths: DocPath[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined && issue.path.length > 0) {
      missingPaths.push(issue.path as DocPath);
      const parent = formatPath(issue.path.slice(0, -1) as DocPath);
      missing.set(parent, [...(missing.get(parent) ?? []), String(issue.path[issue.path.length - 1])]);
    }
  }
  const explained = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = issue.path as DocPath;
    problems.push(
      ...unknownKeyProblems(
        file,
        schema,
        path,
        issue.keys,
        missing.get(formatPath(path)) ?? [],
        missingPaths,
        explained,
      ),
    );
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' || explained.has(formatPath(issue.path as DocPath))) continue;
    problems.push(issueProblem(file, schema, issue));
  }
  return { problems };
}

/** Validates already-read files; exported for tests that build files in memory. */
export function validateFiles(hubFile: YamlFile, accountsFile: YamlFile): VpceConfig {
  const hub = validate(hubFile, hubFileSchema);
  const accounts = validate(accountsFile, accountsFileSchema);
  const problems = [...hub.problems, ...accounts.problems];
  if (hubFile.problems.length === 0 && accountsFile.problems.length === 0) {
    problems.push(...crossRules(hubFile, accountsFile));
  }
  if (problems.length > 0 || !hub.value || !accounts.value) {
    throw new ConfigError(problems);
  }
  return { ...hub.value, accounts: accounts.value.accounts };
}

/** Reads and validates `<dir>/hub.yaml` and `<dir>/accounts.yaml`. */
export function loadConfig(dir: string = configDir()): VpceConfig {
  return validateFiles(
    YamlFile.read(join(dir, 'hub.yaml'), join(dir, 'hub.yaml')),
    YamlFile.read(join(dir, 'accounts.yaml'), join(dir, 'accounts.yaml')),
  );
}
