/**
 * `npm run docs [-- --check]`: the documentation that is generated from the code, never typed
 * twice. Writes (or, with --check, compares and refuses on drift):
 *
 * - `schemas/hub.schema.json`, `schemas/accounts.schema.json`: the files' JSON Schemas, from the zod
 *   schemas and their key descriptions (lib/config/json-schema.ts);
 * - the configuration reference in docs/configuration.md (between `<!-- generated:<name> -->`
 *   markers): every key, its type, whether it is required, its default, its meaning, and its value in
 *   the example configuration;
 * - docs/iam-example/: what `npm run iam -- --out` writes for the example configuration.
 *
 * The benchmark tables in docs/performance.md are written by the benchmarks themselves
 * (`npm run bench -- --write-readme`), which measure; --check does not re-run them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { CommandLine, runMain } from '../../lib/commands/command-line';
import { iamDocuments, iamFiles } from '../../lib/commands/iam';
import { configJsonSchema, keyDocs, type ConfigFile } from '../../lib/config/json-schema';
import { loadConfig } from '../../lib/config/load';
import type { VpceConfig } from '../../lib/config/schema';
import { monthlyCost } from '../../lib/cost/estimate';

const ROOT = resolve(__dirname, '..', '..');

export const USAGE = `usage: npm run docs -- [--check]

Regenerates the documentation generated from the code: schemas/*.schema.json, the configuration
reference in docs/configuration.md, docs/iam-example/.

  --check       write nothing; exit 1 when a generated file or block differs from what the code makes
  -h, --help    this text
Exit codes: 0 written or up to date, 1 (--check) something drifted, or a marker is missing, 2 bad usage.`;

type Json = Record<string, unknown>;

/** A key's type in words, from its JSON Schema. */
function typeOf(node: Json): string {
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) {
    const options = (node.oneOf ?? node.anyOf) as Json[];
    return [...new Set(options.map(typeOf))].join(' or ');
  }
  switch (node.type) {
    case 'array':
      return `list of ${typeOf((node.items ?? {}) as Json)}`;
    case 'object':
      return node.properties ? 'object' : `map of string to ${typeOf((node.additionalProperties ?? {}) as Json)}`;
    case 'integer':
      return 'whole number';
    default:
      return typeof node.type === 'string' ? node.type : 'any';
  }
}

/** A value in a table cell. */
const cell = (value: unknown) =>
  value === undefined ? '' : `\`${JSON.stringify(value).replace(/\|/g, '\\|').replace(/","/g, '", "')}\``;

interface Row {
  key: string;
  type: string;
  required: string;
  defaultValue: string;
  description: string;
  example: string;
}

/** The value at a key path (`hub.subnetIds`, `accounts[].id`: the first item's) of a parsed file. */
function valueAt(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    const [key, list] = part.endsWith('[]') ? [part.slice(0, -2), true] : [part, false];
    value = (value as Record<string, unknown> | undefined)?.[key];
    if (list) value = Array.isArray(value) ? value[0] : undefined;
  }
  return value;
}

/** The reference rows of one file, from its JSON Schema, key docs and the example configuration. */
export function referenceRows(file: ConfigFile, example: unknown): Row[] {
  const docs = keyDocs(file);
  const rows = new Map<string, Row>();
  const walk = (node: Json, path: string, requiredWhen: (key: string) => string) => {
    const options = (node.oneOf ?? node.anyOf) as Json[] | undefined;
    if (options && !node.properties) {
      for (const option of options) {
        const tag = Object.entries((option.properties ?? {}) as Record<string, Json>).find(([, v]) => v.const)?.[0];
        const when = tag ? `with ${tag}: ${String((option.properties as Record<string, Json>)[tag].const)}` : 'yes';
        walk(option, path, (key) =>
          ((option.required ?? []) as string[]).includes(key) ? (key === tag ? 'yes' : when) : '',
        );
      }
      return;
    }
    if (node.type === 'array' && node.items) return walk(node.items as Json, `${path}[]`, () => '');
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
      const at = path === '' ? key : `${path}.${key}`;
      const required = requiredWhen(key) || (((node.required ?? []) as string[]).includes(key) ? 'yes' : '');
      const row = rows.get(at);
      if (row) {
        row.required = [...new Set([row.required, required].filter((r) => r !== ''))].join('; ');
        if (!row.type.includes(typeOf(child))) row.type = `${row.type} \\| ${typeOf(child)}`;
      } else {
        const defaultValue =
          docs[at]?.defaultText ?? (child.default !== undefined && child.type !== 'object' ? cell(child.default) : '');
        rows.set(at, {
          key: at,
          type: typeOf(child),
          required,
          defaultValue,
          description: docs[at]?.description ?? '',
          example: (() => {
            const value = valueAt(example, at);
            return value === undefined || (typeof value === 'object' && !Array.isArray(value)) ? '' : cell(value);
          })(),
        });
      }
      walk(child, at, () => '');
    }
  };
  const schema = configJsonSchema(file);
  walk(schema, '', (key) => (((schema.required ?? []) as string[]).includes(key) ? 'yes' : ''));
  return [...rows.values()];
}

/** The reference table of one file. */
export function referenceTable(file: ConfigFile, example: unknown): string {
  const lines = [
    '| key | type | required | default | meaning | example (config/) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...referenceRows(file, example).map(
      (r) =>
        `| \`${r.key}\` | ${r.type} | ${r.required || 'no'} | ${r.defaultValue} | ${r.description.replace(/\|/g, '\\|')} | ${r.example} |`,
    ),
  ];
  return lines.join('\n');
}

const dollars = (usd: number) => usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** What each sharing mode costs a month at 10, 100 and 1000 accounts (one VPC each), for the example hub. */
export function costTable(example: VpceConfig): string {
  const modes: Array<[string, VpceConfig['sharing']]> = [
    ['`associations`', { ...example.sharing, mode: 'associations', transition: 'off', dns: 'zones', zoneServices: [] }],
    [
      '`profile` (`dns: zones`)',
      { ...example.sharing, mode: 'profile', transition: 'off', dns: 'zones', zoneServices: [] },
    ],
    [
      '`profile`, `dns: endpoints`',
      { ...example.sharing, mode: 'profile', transition: 'off', dns: 'endpoints', zoneServices: [] },
    ],
  ];
  const sizes = [10, 100, 1000];
  const accounts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: String(400000000000 + i),
      vpcIds: [`vpc-0${(0x1000 + i).toString(16).padStart(16, '0')}`],
      retired: false,
      s3GatewayRouteTables: {},
    }));
  const services = example.services.length;
  const azs = example.hub.subnetIds.length;
  return [
    `| monthly cost (example hub: ${services} services in ${azs} Availability Zones; 1 VPC per account) | ` +
      `${sizes.map((n) => `${n.toLocaleString('en-US')} accounts`).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---').join(' | ')} |`,
    ...modes.map(
      ([label, sharing]) =>
        `| ${label} | ${sizes
          .map((n) => `$${dollars(monthlyCost({ ...example, sharing, accounts: accounts(n) }).usdPerMonth)}`)
          .join(' | ')} |`,
    ),
  ].join('\n');
}

/** Replaces the text between `<!-- generated:name -->` and `<!-- /generated:name -->`. */
export function withBlock(text: string, name: string, body: string, file: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new MarkerError(`${file} has no ${start} ... ${end} block`);
  return `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`;
}

class MarkerError extends Error {}

/** Every generated file, by path relative to the project, with the text it must have. */
export function generated(root = ROOT): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['hub', 'accounts'] as const) {
    out.set(`schemas/${file}.schema.json`, `${JSON.stringify(configJsonSchema(file), null, 2)}\n`);
  }
  const example = (name: string) => parse(readFileSync(join(root, 'config', name), 'utf8')) as unknown;
  const configuration = 'docs/configuration.md';
  let text = readFileSync(join(root, configuration), 'utf8');
  text = withBlock(text, 'hub-reference', referenceTable('hub', example('hub.yaml')), configuration);
  text = withBlock(text, 'accounts-reference', referenceTable('accounts', example('accounts.yaml')), configuration);
  out.set(configuration, text);
  const config = loadConfig(join(root, 'config'));
  out.set(
    'README.md',
    withBlock(readFileSync(join(root, 'README.md'), 'utf8'), 'cost-by-mode', costTable(config), 'README.md'),
  );
  for (const [name, body] of iamFiles(iamDocuments(config), config.hub.region)) {
    out.set(`docs/iam-example/${name}`, body);
  }
  return out;
}

export function main(argv: string[]): number {
  const command = new CommandLine('docs', USAGE);
  const values = command.parse(argv, { check: { type: 'boolean', default: false } });
  if (typeof values === 'number') return values;
  let files: Map<string, string>;
  try {
    files = generated();
  } catch (error) {
    if (!(error instanceof MarkerError)) throw error;
    process.stderr.write(`docs: ${error.message}\n`);
    return 1;
  }
  // Files of docs/iam-example/ that the code no longer makes are drift too.
  const iamDir = join(ROOT, 'docs', 'iam-example');
  const stale = existsSync(iamDir)
    ? readdirSync(iamDir)
        .map((name) => `docs/iam-example/${name}`)
        .filter((path) => !files.has(path))
    : [];
  const drifted = [...files]
    .filter(([path, text]) => !existsSync(join(ROOT, path)) || readFileSync(join(ROOT, path), 'utf8') !== text)
    .map(([path]) => path);
  if (values.check) {
    for (const path of [...drifted, ...stale]) {
      process.stdout.write(`docs: ${path} differs from what the code generates: run npm run docs\n`);
    }
    process.stdout.write(
      `docs: ${files.size} generated files, ${drifted.length + stale.length} drifted${drifted.length + stale.length > 0 ? '' : ': up to date'}\n`,
    );
    return drifted.length + stale.length > 0 ? 1 : 0;
  }
  for (const path of drifted) {
    mkdirSync(join(ROOT, path, '..'), { recursive: true });
    writeFileSync(join(ROOT, path), files.get(path) as string);
  }
  for (const path of stale) rmSync(join(ROOT, path));
  process.stdout.write(
    `docs: ${drifted.length + stale.length} of ${files.size} generated files written (${relative(ROOT, ROOT) || '.'})\n`,
  );
  return 0;
}

if (require.main === module) runMain('docs', main);
