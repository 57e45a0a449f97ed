/**
 * Project rules that keep synth fast and the output portable.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localStatePath } from '../lib/state/backends';

const ROOT = resolve(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('project', () => {
  test('provider classes are imported by deep path, never the package root', () => {
    for (const file of [
      'main.ts',
      ...sources('lib'),
      ...sources('test'),
      ...sources('bench'),
      ...sources('__tests__'),
    ]) {
      expect({ file, rootImport: /from ['"]@cdktf\/provider-aws['"]/.test(read(file)) }).toEqual({
        file,
        rootImport: false,
      });
    }
  });

  test('lib/ holds what users run: nothing in it imports the test tooling (test/, bench/)', () => {
    const imports = sources('lib').flatMap((file) =>
      [...read(file).matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1])
        .filter((spec) => spec.startsWith('.') && /^(test|bench)(\/|$)/.test(join(file, '..', spec)))
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(imports).toEqual([]);
    expect(sources('lib').filter((file) => /fake-aws|e2e|bench/.test(file))).toEqual([]);
  });

  test('cdktf.json runs the app without type-checking, into cdktf.out', () => {
    const cdktf = JSON.parse(read('cdktf.json'));
    expect(cdktf.app).toBe('node --import tsx main.ts');
    // The local state path climbs from cdktf.out/stacks/<stack>/ back to the project folder.
    expect(cdktf.output).toBe('cdktf.out');
    expect(
      localStatePath(
        { scope: '111111111111-ap-northeast-1', layout: { outdir: '/p/cdktf.out', stateDir: '/p/state' } },
        'hub',
      ),
    ).toBe('../../../state/111111111111-ap-northeast-1/hub.tfstate');
  });

  test('dependencies are pinned to the chosen versions', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.dependencies.cdktf).toBe('0.21.0');
    expect(pkg.dependencies['@cdktf/provider-aws']).toBe('21.22.1');
    expect(pkg.devDependencies['cdktf-cli']).toBe('0.21.0');
    expect(pkg.devDependencies.typescript).toMatch(/^5\.9\./);
    expect(pkg.dependencies.constructs).toMatch(/^10\./);
  });

  test('npm scripts keep cdktf and terraform from calling home; test type-checks', () => {
    const { scripts } = JSON.parse(read('package.json'));
    expect(scripts.synth).toContain('CHECKPOINT_DISABLE=1');
    expect(scripts.test).toContain('CHECKPOINT_DISABLE=1');
    expect(scripts.test).toMatch(/^tsc --noEmit/);
    expect(scripts.synth).not.toMatch(/ts-node|tsc/);
  });

  test('no dependency runs an install script, on npm 10 as on npm 11', () => {
    // npm 10 (Node 20's) ignores allowScripts; .npmrc's ignore-scripts holds on every npm.
    expect(read('.npmrc')).toMatch(/^ignore-scripts=true$/m);
    const lock = JSON.parse(read('package-lock.json'));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    const { allowScripts } = JSON.parse(read('package.json'));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect({ name, allowed: allowScripts[name] }).toEqual({ name, allowed: false });
  });
});
