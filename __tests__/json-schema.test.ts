/**
 * The configuration's JSON Schemas (schemas/, written by `npm run docs` from the zod schemas) and
 * the generated documentation: the schemas accept the example configuration and refuse an unknown
 * key, every key has its description, and `npm run docs -- --check` fails after a hand edit.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { configJsonSchema, undocumentedKeys } from '../lib/config/json-schema';
import { generated, withBlock } from '../test/docs/docs';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the JSON Schemas of hub.yaml and accounts.yaml', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = {
    hub: ajv.compile(JSON.parse(read('schemas/hub.schema.json'))),
    accounts: ajv.compile(JSON.parse(read('schemas/accounts.schema.json'))),
  };

  test('the shipped files are what the schema makes now', () => {
    expect(JSON.parse(read('schemas/hub.schema.json'))).toEqual(configJsonSchema('hub'));
    expect(JSON.parse(read('schemas/accounts.schema.json'))).toEqual(configJsonSchema('accounts'));
  });

  test('they accept config/*.yaml, and the example files name them for editors', () => {
    for (const file of ['hub', 'accounts'] as const) {
      const text = read(`config/${file}.yaml`);
      expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=../schemas/${file}.schema.json`);
      expect({ file, ok: validate[file](parse(text)), errors: validate[file].errors ?? null }).toEqual({
        file,
        ok: true,
        errors: null,
      });
    }
  });

  test('they refuse an unknown key, a wrong type and a missing required key', () => {
    const hub = parse(read('config/hub.yaml')) as Record<string, Record<string, unknown>>;
    expect(validate.hub({ ...hub, hub: { ...hub.hub, acountId: '111111111111' } })).toBe(false);
    expect(validate.hub({ ...hub, servces: ['logs'] })).toBe(false);
    expect(validate.hub({ ...hub, protect: 'yes' })).toBe(false);
    expect(validate.hub({ ...hub, state: { backend: 's3' } })).toBe(false); // no bucket
    const accounts = parse(read('config/accounts.yaml')) as { accounts: Array<Record<string, unknown>> };
    expect(validate.accounts({ accounts: [{ ...accounts.accounts[0], vpcId: 'vpc-0123456789abcdef0' }] })).toBe(false);
    expect(validate.accounts({ accounts: [{ id: '123456789012' }] })).toBe(false);
  });

  test('every key of both files is described, and every description names a key', () => {
    expect(undocumentedKeys('hub')).toEqual({ undocumented: [], unknown: [] });
    expect(undocumentedKeys('accounts')).toEqual({ undocumented: [], unknown: [] });
    const schema = configJsonSchema('hub') as { properties: Record<string, { description?: string }> };
    expect(schema.properties.protect.description).toMatch(/prevent_destroy/);
  });
});

describe('npm run docs -- --check', () => {
  test('every generated file and block is what the code makes now', () => {
    const drifted = [...generated()].filter(([path, text]) => read(path) !== text).map(([path]) => path);
    expect(drifted).toEqual([]);
  });

  test('a hand edit of a generated block is drift; a missing marker is an error', () => {
    const root = tempDir('docs-check');
    for (const dir of ['config', 'docs']) {
      mkdirSync(join(root, dir), { recursive: true });
      cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
    }
    cpSync(join(ROOT, 'README.md'), join(root, 'README.md'));
    const file = join(root, 'docs', 'configuration.md');
    const clean = generated(root).get('docs/configuration.md');
    expect(clean).toBe(read('docs/configuration.md'));
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '| `protect` | boolean | no | `true` |',
        '| `protect` | boolean | no | `false` |',
      ),
    );
    expect(readFileSync(file, 'utf8')).not.toBe(clean);
    expect(generated(root).get('docs/configuration.md')).toBe(clean);
    expect(() => withBlock('no markers here', 'hub-reference', 'x', 'docs/configuration.md')).toThrow(
      'docs/configuration.md has no <!-- generated:hub-reference --> ... <!-- /generated:hub-reference --> block',
    );
  });
});
