/**
 * The framework seam (lib/framework/): the only modules that import the CDK for Terraform or its
 * provider packages, so that moving to CDK Terrain changes them and package.json, nothing else
 * (`npm run compat:cdktn` proves the move). ESLint refuses a framework import anywhere else.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SEAM = 'lib/framework';
const FRAMEWORK_IMPORT = /^(?:(?:import|export|\})[^\n]*?\bfrom\s+|import\s+)'(?:cdktf|cdktn|@cdktf\/|@cdktn\/)[^']*'/m;

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'cdktf.out', '.git', 'state'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('the framework seam', () => {
  test('no module outside lib/framework/ imports cdktf, cdktn or a provider package', () => {
    const outside = ['lib', 'bench', 'test', '__tests__', 'main.ts']
      .flatMap((p) => (p.endsWith('.ts') ? [join(ROOT, p)] : typescriptFiles(join(ROOT, p))))
      .map((file) => relative(ROOT, file))
      .filter((file) => !file.startsWith(`${SEAM}/`))
      .filter((file) => FRAMEWORK_IMPORT.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  test('npm run lint refuses a construct that imports cdktf directly', () => {
    // ESLint's own command line (its config is an ES module, which Jest cannot load), on a probe
    // given as the text of a construct; nothing is written.
    const result = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'eslint'),
      [
        '--stdin',
        '--stdin-filename',
        join(ROOT, 'lib', 'constructs', 'alias-record.ts'),
        '--format',
        'json',
        // The project's config without its type-aware rules: a second, not ten (the rule asked is not one).
        '--parser-options',
        'projectService:false',
        '--rule',
        JSON.stringify({
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
        }),
      ],
      { cwd: ROOT, encoding: 'utf8', input: "import { Fn } from 'cdktf';\nexport const f = Fn;\n" },
    );
    expect(result.status).toBe(1);
    const messages = (JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>)
      .flatMap((r) => r.messages)
      .filter((m) => m.ruleId === 'no-restricted-imports');
    expect(messages).toEqual([expect.objectContaining({ message: expect.stringContaining('lib/framework/') })]);
  }, 60_000);
});
