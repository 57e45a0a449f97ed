/**
 * The configuration files' JSON Schemas (schemas/hub.schema.json, schemas/accounts.schema.json),
 * written by zod 4 from the very schemas the loader validates with, each key carrying its
 * description from key-docs.ts (registered on the zod schema, so zod writes it). Editors complete
 * and check the files with them (`# yaml-language-server: $schema=...`); the configuration reference
 * is generated from them (docs/configuration.md).
 */
import { z } from 'zod';
import { ACCOUNTS_KEY_DOCS, HUB_KEY_DOCS, type KeyDoc } from './key-docs';
import { accountsFileSchema, hubFileSchema } from './schema';
import { defOf, unwrap } from './zod-def';

/** The two files. */
export type ConfigFile = 'hub' | 'accounts';

/** Every key of a schema, by path (`state.bucket`, `accounts[].id`), with its zod schemas (one per union option). */
export function schemaKeys(
  schema: z.ZodType,
  path = '',
  out = new Map<string, z.ZodType[]>(),
): Map<string, z.ZodType[]> {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'object' && def.shape) {
    for (const [key, value] of Object.entries(def.shape)) {
      const at = path === '' ? key : `${path}.${key}`;
      out.set(at, [...(out.get(at) ?? []), value]);
      schemaKeys(value, at, out);
    }
  } else if (def.type === 'union' && def.options) {
    for (const option of def.options) schemaKeys(option, path, out);
  } else if (def.type === 'array' && def.element) {
    schemaKeys(def.element, `${path}[]`, out);
  }
  return out;
}

const FILES: Record<ConfigFile, { schema: z.ZodType; docs: Readonly<Record<string, KeyDoc>>; title: string }> = {
  hub: { schema: hubFileSchema, docs: HUB_KEY_DOCS, title: 'vpce-hub hub.yaml' },
  accounts: { schema: accountsFileSchema, docs: ACCOUNTS_KEY_DOCS, title: 'vpce-hub accounts.yaml' },
};

let registered = false;

/** Puts each key's description on its zod schema (once), where zod's JSON Schema writer reads it. */
function registerDescriptions(): void {
  if (registered) return;
  registered = true;
  for (const { schema, docs } of Object.values(FILES)) {
    for (const [path, schemas] of schemaKeys(schema)) {
      const doc = docs[path];
      if (!doc) continue;
      for (const node of schemas) z.globalRegistry.add(node, { description: doc.description });
    }
  }
}

/** The JSON Schema of one file, as an editor reads it (what may be written: defaults optional). */
export function configJsonSchema(file: ConfigFile): Record<string, unknown> {
  registerDescriptions();
  const { schema, title } = FILES[file];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...json, $id: `https://github.com/vpce-hub/vpce-hub/schemas/${file}.schema.json`, title };
}

/** The keys of a file that the schema has and key-docs.ts does not describe, and the reverse. */
export function undocumentedKeys(file: ConfigFile): { undocumented: string[]; unknown: string[] } {
  const { schema, docs } = FILES[file];
  const keys = [...schemaKeys(schema).keys()];
  return {
    undocumented: keys.filter((k) => !docs[k]),
    unknown: Object.keys(docs).filter((k) => !keys.includes(k)),
  };
}

/** The key docs of a file (for the reference's default column). */
export function keyDocs(file: ConfigFile): Readonly<Record<string, KeyDoc>> {
  return FILES[file].docs;
}
