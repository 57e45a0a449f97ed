/**
 * Loads `hub.yaml` and `accounts.yaml` from the config folder, validates them, and returns the typed
 * configuration, or throws one `ConfigError` that lists every problem with its file and line.
 */
import { join } from 'node:path';
import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import { ConfigError, type Problem } from './problems';
import { crossRules } from './rules';
import { accountsFileSchema, hubFileSchema, type VpceConfig } from './schema';
import { YamlFile, type DocPath } from './yaml-file';

/** The folder read when `VPCE_CONFIG_DIR` is not set. */
export const DEFAULT_CONFIG_DIR = 'config';

/** The config folder: `VPCE_CONFIG_DIR`, else `config`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VPCE_CONFIG_DIR && env.VPCE_CONFIG_DIR !== '' ? env.VPCE_CONFIG_DIR : DEFAULT_CONFIG_DIR;
}

// ---- walking a zod schema, to list the keys allowed where the user wrote an unknown one ----

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
  values?: unknown[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** Unwraps defaults, optionals and pipes; picks the union option that matches the data. */
function resolve(schema: z.ZodType, data: unknown): z.ZodType {
  const def = defOf(schema);
  if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType) {
    return resolve(def.innerType, data);
  }
  if (def.type === 'pipe' && def.in) return resolve(def.in, data);
  if (def.type === 'union' && def.options && def.discriminator) {
    const tag = (data as Record<string, unknown> | undefined)?.[def.discriminator];
    const match = def.options.find((option) => {
      const literal = defOf(option).shape?.[def.discriminator as string];
      return literal ? (defOf(literal).values ?? []).includes(tag) : false;
    });
    return match ? resolve(match, data) : schema;
  }
  return schema;
}

/** The keys an object schema allows at `path`, given the data there. */
function allowedKeys(schema: z.ZodType, path: DocPath, data: unknown): string[] {
  let current = resolve(schema, data);
  let value = data;
  for (const key of path) {
    const def = defOf(current);
    value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    const next = def.type === 'array' ? def.element : def.shape?.[String(key)];
    if (!next) return [];
    current = resolve(next, value);
  }
  return Object.keys(defOf(current).shape ?? {});
}

// ---- zod issues to problems ----

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

function issueProblems(file: YamlFile, schema: z.ZodType, issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path as DocPath;
  if (issue.code === 'unrecognized_keys') {
    const keys = allowedKeys(schema, path, file.data);
    return issue.keys.map((key) => {
      const guess = keys.length > 0 ? closest(key, keys) : undefined;
      const hint = guess ? ` Did you mean "${guess}"?` : '';
      return file.problemAtKey(path, key, `unknown key "${key}".${hint} Allowed here: ${keys.join(', ')}.`);
    });
  }
  if (issue.code === 'invalid_key') {
    // A map key that fails its rule (e.g. a VPC ID in s3GatewayRouteTables): point at the key.
    const key = String(path[path.length - 1]);
    const reason = issue.issues[0]?.message ?? issue.message;
    return [{ ...file.problemAtKey(path.slice(0, -1), key, reason), value: key }];
  }
  if (issue.code === 'invalid_type') {
    const input = (issue as { input?: unknown }).input;
    const key = String(path[path.length - 1] ?? 'this value');
    if (input === undefined) {
      return [file.problemAt(path, `"${key}" is missing: add it (expected ${issue.expected}).`, { quoteValue: false })];
    }
    if (issue.expected === 'string' && file.isUnquotedNumber(path)) {
      const written = file.sourceOf(path) ?? String(input);
      const lost = /^0\d/.test(written) ? `, dropping its leading zero` : '';
      return [
        file.problemAt(
          path,
          `write it in quotes: YAML reads the unquoted ${written} as the number ${String(input)}${lost}. Write "${written}".`,
        ),
      ];
    }
    if (issue.expected !== 'string' && !issue.message.startsWith('Invalid input')) {
      return [file.problemAt(path, issue.message)];
    }
    const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a map of keys' : `a ${issue.expected}`;
    return [file.problemAt(path, `expected ${expected} here, got ${describe(input)}.`)];
  }
  return [file.problemAt(path, issue.message)];
}

function validate<S extends z.ZodType>(file: YamlFile, schema: S): { value?: z.infer<S>; problems: Problem[] } {
  if (file.problems.length > 0) return { problems: [...file.problems] };
  const data = file.data;
  if (data === null || data === undefined) {
    return {
      problems: [
        { file: file.label, line: 1, column: 1, path: '', message: 'the file is empty. See the config reference in README.md.' },
      ],
    };
  }
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => issueProblems(file, schema, issue)) };
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
