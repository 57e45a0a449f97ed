/**
 * `npm run affected`: the stacks a change affects, on a temporary git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareStacks, readStackJsons, unsafeChangesBetween as unsafeChanges } from '../lib/commands/affected';
import { ACCOUNTS_YAML, configFrom, HUB_YAML, type ParsedJson, synthAll } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');
const NEW_ACCOUNT = '  - id: "444444444444"\n    vpcIds: [vpc-0444444444444444a]\n';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
}

function affected(repo: string, ...args: (string | Record<string, string>)[]) {
  const env = args.find((a): a is Record<string, string> => typeof a === 'object') ?? {};
  const argv = args.filter((a): a is string => typeof a === 'string');
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'lib/commands/affected.ts'), ...argv], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, VPCE_CONFIG_DIR: '', ...env },
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
    mkdirSync(join(repo, 'config'));
    writeFileSync(join(repo, 'config', 'hub.yaml'), HUB_YAML);
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'three accounts');
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML + NEW_ACCOUNT);
    git(repo, 'commit', '-qam', 'add an account');
  });

  test('adding one account: exactly changed hub and added spoke-<id>', () => {
    // One run gives both: the text on stdout, the JSON document in the --report file.
    const report = join(tempDir('vpce-affected-report'), 'affected.json');
    const result = affected(repo, '--base', 'HEAD~1', '--report', report);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('added spoke-444444444444\nchanged hub\n');
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({
      added: ['spoke-444444444444'],
      changed: ['hub'],
      removed: [],
      unsafe: [],
      notices: [],
    });
  });

  test('changing an account in the working tree: the hub and that spoke', () => {
    writeFileSync(
      join(repo, 'config', 'accounts.yaml'),
      ACCOUNTS_YAML.replace('[vpc-0123abcd4567ef890]', '[vpc-0123abcd4567ef890, vpc-0123abcd4567ef891]') + NEW_ACCOUNT,
    );
    const result = affected(repo, '--base', 'HEAD', '--json');
    expect(JSON.parse(result.stdout)).toEqual({
      added: [],
      changed: ['hub', 'spoke-333333333333'],
      removed: [],
      unsafe: [],
      notices: [],
    });
  });

  test('removing an account that was not retired: removed, and unsafe, with what to do', () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML);
    const result = affected(repo, '--base', 'HEAD');
    // Unsafe is exit 1, and the problem is printed once: on stdout, with what to do.
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^changed hub\nremoved spoke-444444444444\nunsafe spoke-444444444444: account 444444444444 is deleted .* without being retired first.*\n$/,
    );
    expect(result.stdout).toContain(
      'retired: true, deploy spoke-444444444444 (npx cdktf deploy spoke-444444444444), then delete the entry.',
    );
    expect(result.stderr).toBe('');
  });

  test("an absolute VPCE_CONFIG_DIR compares the base commit's copy of the folder, as the relative one does", () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML);
    const result = affected(repo, '--base', 'HEAD', '--json', { VPCE_CONFIG_DIR: join(repo, 'config') });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ changed: ['hub'], removed: ['spoke-444444444444'] });
    expect(JSON.parse(result.stdout).unsafe).toHaveLength(1);
  });

  test('a configuration folder outside the repository: exit 2, one line', () => {
    const outside = tempDir('vpce-affected-outside');
    const result = affected(repo, '--base', 'HEAD', { VPCE_CONFIG_DIR: outside });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`affected: VPCE_CONFIG_DIR=${outside} is not a folder inside the project`),
    ]);
  });

  test("a configuration folder that is new in the change (a new hub's first pull request): every stack added", () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML + NEW_ACCOUNT);
    mkdirSync(join(repo, 'config-b'), { recursive: true });
    writeFileSync(join(repo, 'config-b', 'hub.yaml'), HUB_YAML);
    writeFileSync(join(repo, 'config-b', 'accounts.yaml'), ACCOUNTS_YAML);
    const result = affected(repo, '--base', 'HEAD', '--json', { VPCE_CONFIG_DIR: 'config-b' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      added: ['hub', 'spoke-012345678901', 'spoke-123456789012', 'spoke-333333333333'],
      changed: [],
      removed: [],
      unsafe: [],
      notices: [],
    });
  });

  test('no change: a line saying so; --report FILE holds the empty JSON document; no progress off a terminal', () => {
    writeFileSync(join(repo, 'config', 'accounts.yaml'), ACCOUNTS_YAML + NEW_ACCOUNT);
    const report = join(tempDir('vpce-affected-report'), 'affected.json');
    const result = affected(repo, '--base', 'HEAD', '--report', report);
    expect(result).toMatchObject({ status: 0, stdout: 'no stack changes against HEAD\n', stderr: '' });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({
      added: [],
      changed: [],
      removed: [],
      unsafe: [],
      notices: [],
    });
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
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ stacks: { hub: { synthesizedStackPath: 'stacks/hub/cdk.tf.json' } } }),
    );
    writeFileSync(join(dir, 'stacks', 'hub', 'cdk.tf.json'), JSON.stringify(stack));
    return dir;
  }

  test('cdktf metadata and key order are ignored; content changes count', () => {
    const base = readStackJsons(
      outdirWith({ '//': { metadata: { version: '0.20.0' } }, resource: { x: { y: { '//': 'a', v: 1, w: 2 } } } }),
    );
    const sameButMetadata = readStackJsons(
      outdirWith({ resource: { x: { y: { w: 2, v: 1, '//': 'b' } } }, '//': { metadata: {} } }),
    );
    const changed = readStackJsons(outdirWith({ resource: { x: { y: { v: 2, w: 2 } } } }));
    expect(compareStacks(base, sameButMetadata)).toEqual({
      added: [],
      changed: [],
      removed: [],
      unsafe: [],
      notices: [],
    });
    expect(compareStacks(base, changed)).toEqual({ added: [], changed: ['hub'], removed: [], unsafe: [], notices: [] });
    expect(compareStacks(new Map(), base)).toEqual({
      added: ['hub'],
      changed: [],
      removed: [],
      unsafe: [],
      notices: [],
    });
    expect(compareStacks(base, new Map())).toEqual({
      added: [],
      changed: [],
      removed: ['hub'],
      unsafe: [],
      notices: [],
    });
  });
});

describe('unsafe removals (what the apply workflow refuses)', () => {
  const stacks = (hubYaml: string, accountsYaml: string) => {
    const { hub, spokes } = synthAll(configFrom(hubYaml, accountsYaml));
    return new Map<string, ParsedJson>([
      ['hub', hub.json],
      ...[...spokes].map(([id, s]): [string, ParsedJson] => [`spoke-${id}`, s.json]),
    ]);
  };
  const retired333 = ACCOUNTS_YAML.replace(
    '    vpcIds: [vpc-0123abcd4567ef890]\n',
    '    vpcIds: [vpc-0123abcd4567ef890]\n    retired: true\n',
  );
  const without333 = ACCOUNTS_YAML.replace(/ {2}- id: "333333333333"\n( {4}.*\n)+/, '');
  const noLogs = HUB_YAML.replace('services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3]');
  const retiredLogs = HUB_YAML.replace(
    'services: [ecr.api, ecr.dkr, s3, logs]',
    'services: [ecr.api, ecr.dkr, s3]\nretiredServices: [logs]',
  );
  const base = stacks(HUB_YAML, ACCOUNTS_YAML);

  test('an account deleted without being retired first', () => {
    const unsafe = unsafeChanges(base, stacks(HUB_YAML, without333));
    expect(unsafe).toHaveLength(1);
    expect(unsafe[0]).toMatch(
      /^spoke-333333333333: account 333333333333 is deleted from accounts.yaml without being retired first/,
    );
    expect(unsafe[0]).toContain('retired: true, deploy spoke-333333333333 (npx cdktf deploy spoke-333333333333)');
  });

  test('an account deleted after it was retired (and its spoke applied) is safe', () => {
    expect(unsafeChanges(stacks(HUB_YAML, retired333), stacks(HUB_YAML, without333))).toEqual([]);
  });

  test('a service dropped while spokes associate with it; safe once it was retired', () => {
    const unsafe = unsafeChanges(base, stacks(noLogs, ACCOUNTS_YAML));
    expect(unsafe).toHaveLength(3); // one per spoke stack
    expect(unsafe[0]).toMatch(
      /^spoke-\d{12}: service logs leaves the hub \(zone logs\.ap-northeast-1\.amazonaws\.com\), but the spoke still associates VPCs/,
    );
    expect(unsafeChanges(stacks(retiredLogs, ACCOUNTS_YAML), stacks(noLogs, ACCOUNTS_YAML))).toEqual([]);
  });
});
