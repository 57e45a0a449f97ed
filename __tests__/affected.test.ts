/**
 * `npm run affected`: the stacks a change affects, on a temporary git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareStacks, readStacks } from '../lib/tools/affected';
import { ACCOUNTS_YAML, HUB_YAML } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');
const NEW_ACCOUNT = '  - id: "444444444444"\n    vpcIds: [vpc-0444444444444444a]\n';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: repo, encoding: 'utf8' });
}

function affected(repo: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'lib/tools/affected.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, VPCE_CONFIG_DIR: '' },
  });
}

describe('affected stacks on a git repository', () => {
  let repo: string;
  beforeAll(() => {
    // The project as a new repository: first commit with three accounts, second adds a fourth.
    repo = tempDir('vpce-affected-repo');
    for (const entry of ['main.ts', 'lib', 'package.json', 'tsconfig.json', 'cdktf.json']) {
      cpSync(join(ROOT, entry), join(repo, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdktf.out\n');
    cpSync(join(ROOT, 'config'), join(repo, 'config'), { recursive: true });
    writeFileSync(join(repo, 'config', 'hub.yaml'), HUB_YAML);
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'three accounts');
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML + NEW_ACCOUNT);
    git(repo, 'commit', '-qam', 'add an account');
  });

  test('adding one account: exactly changed hub and added spoke-<id>', () => {
    const result = affected(repo, '--base', 'HEAD~1');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('added spoke-444444444444\nchanged hub\n');
    expect(result.stderr).toBe('');
    const json = affected(repo, '--base', 'HEAD~1', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ added: ['spoke-444444444444'], changed: ['hub'], removed: [] });
  });

  test('changing an account in the working tree: the hub and that spoke', () => {
    writeFileSync(
      join(repo, 'config', 'accounts.yaml'),
      ACCOUNTS_YAML.replace('[vpc-0123abcd4567ef890]', '[vpc-0123abcd4567ef890, vpc-0123abcd4567ef891]') + NEW_ACCOUNT,
    );
    const result = affected(repo, '--base', 'HEAD', '--json');
    expect(JSON.parse(result.stdout)).toEqual({ added: [], changed: ['hub', 'spoke-333333333333'], removed: [] });
  });

  test('removing an account: removed, with a warning to destroy it first', () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML);
    const result = affected(repo, '--base', 'HEAD');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('changed hub\nremoved spoke-444444444444\n');
    expect(result.stderr).toContain('warning: stack spoke-444444444444 is removed');
    expect(result.stderr).toContain('npx cdktf destroy spoke-444444444444');
  });

  test('no change: a line saying so; --report FILE holds the empty JSON document; no progress off a terminal', () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML + NEW_ACCOUNT);
    const report = join(tempDir('vpce-affected-report'), 'affected.json');
    const result = affected(repo, '--base', 'HEAD', '--report', report);
    expect(result).toMatchObject({ status: 0, stdout: 'no stack changes against HEAD\n', stderr: '' });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ added: [], changed: [], removed: [] });
  });

  test('a base that is not a commit, or no --base: exit 2 with a message', () => {
    const bad = affected(repo, '--base', 'no-such-ref');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--base no-such-ref is not a commit');
    expect(affected(repo).status).toBe(2);
  });
});

describe('comparing stacks', () => {
  /** A synth folder with one stack `hub`. */
  function outdirWith(stack: object): string {
    const dir = tempDir('vpce-affected-out');
    mkdirSync(join(dir, 'stacks', 'hub'), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stacks: { hub: { synthesizedStackPath: 'stacks/hub/cdk.tf.json' } } }));
    writeFileSync(join(dir, 'stacks', 'hub', 'cdk.tf.json'), JSON.stringify(stack));
    return dir;
  }

  test('cdktf metadata and key order are ignored; content changes count', () => {
    const base = readStacks(outdirWith({ '//': { metadata: { version: '0.20.0' } }, resource: { x: { y: { '//': 'a', v: 1, w: 2 } } } }));
    const sameButMetadata = readStacks(outdirWith({ resource: { x: { y: { w: 2, v: 1, '//': 'b' } } }, '//': { metadata: {} } }));
    const changed = readStacks(outdirWith({ resource: { x: { y: { v: 2, w: 2 } } } }));
    expect(compareStacks(base, sameButMetadata)).toEqual({ added: [], changed: [], removed: [] });
    expect(compareStacks(base, changed)).toEqual({ added: [], changed: ['hub'], removed: [] });
    expect(compareStacks(new Map(), base)).toEqual({ added: ['hub'], changed: [], removed: [] });
    expect(compareStacks(base, new Map())).toEqual({ added: [], changed: [], removed: ['hub'] });
  });
});
