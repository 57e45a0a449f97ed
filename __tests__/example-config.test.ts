/**
 * The example in config/ is the user's to change: the only test that reads it checks that it is
 * valid, whatever it holds. Every other test uses its own fixtures (helpers/config.ts), so the suite
 * passes with any valid config/ (one account, or none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../lib/config/load';
import { EXAMPLE_DIR } from './helpers/config';

const ROOT = resolve(__dirname, '..');

describe('config/', () => {
  test('is a valid configuration (whatever it holds)', () => {
    expect(() => loadConfig(EXAMPLE_DIR)).not.toThrow();
  });

  test('no other test reads it', () => {
    const readers = readdirSync(join(ROOT, '__tests__'))
      .filter((file) => file.endsWith('.test.ts') && file !== 'example-config.test.ts')
      .filter((file) =>
        /EXAMPLE_DIR|ROOT, 'config'|'\.\.', 'config'|\.\.\/config\//.test(
          readFileSync(join(ROOT, '__tests__', file), 'utf8'),
        ),
      );
    expect(readers).toEqual([]);
  });
});
