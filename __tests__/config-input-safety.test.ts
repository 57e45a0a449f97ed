/**
 * Hostile or broken input: YAML bombs, folders, pipes and huge files as config files, and Terraform
 * template sequences in config strings. Each is a problem with its file (and line), never a crash,
 * a hang or a stack trace, and nothing is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../lib/config/load';
import { ConfigError, type Problem } from '../lib/config/problems';
import { formatPath, MAX_FILE_BYTES } from '../lib/config/yaml-file';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, problemsOf } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

/** The problems of loading a config folder (fails the test if it loads). */
function loadProblems(dir: string): Problem[] {
  try {
    loadConfig(dir);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be invalid');
}

function configDirWith(files: Record<string, string>): string {
  const dir = tempDir('vpce-hub-cfg');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('YAML that would exhaust the process', () => {
  test('an alias without its anchor is a problem at its line', () => {
    const problems = problemsOf(HUB_YAML, 'accounts:\n  - id: "123456789012"\n    vpcIds: *vpcs\n');
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'config/accounts.yaml',
        line: 3,
        column: 13,
        message: expect.stringContaining('the alias *vpcs has no anchor'),
      }),
    ]);
  });

  test('a "billion laughs" alias bomb is refused quickly, at the alias that blows up', () => {
    const levels = [
      'lol: &l0 "lol"',
      ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`),
    ];
    const started = Date.now();
    const problems = problemsOf(HUB_YAML, `${levels.join('\n')}\naccounts: []\n`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'config/accounts.yaml', line: 10 });
    expect(problems[0].message).toContain('too many aliases');
    expect(problems[0].message).toContain('more than 2,097,152 values');
  });

  test('an alias inside the value it names is refused', () => {
    const problems = problemsOf(
      HUB_YAML,
      'accounts: &a\n  - id: "123456789012"\n    vpcIds: [vpc-0123456789abcdef0]\n    name: *a\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringContaining('would contain itself') }),
    ]);
  });

  test('thousands of nested brackets are refused before they can overflow the stack', () => {
    const deep = `accounts: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    // Twice: a second deep parse in one process is what used to abort V8.
    for (let i = 0; i < 2; i++) {
      const problems = problemsOf(HUB_YAML, deep);
      expect(problems).toEqual([
        expect.objectContaining({ line: 1, message: expect.stringContaining('nested more than 32 levels deep') }),
      ]);
    }
  });

  test('a second YAML document is refused', () => {
    const problems = problemsOf(HUB_YAML, `${ACCOUNTS_YAML}---\naccounts: []\n`);
    expect(problems).toEqual([
      expect.objectContaining({ line: 10, message: expect.stringContaining('a second YAML document') }),
    ]);
  });
});

describe('config paths that are not regular files of sane size', () => {
  test('a folder in place of a file', () => {
    const dir = configDirWith({ 'accounts.yaml': ACCOUNTS_YAML });
    mkdirSync(join(dir, 'hub.yaml'));
    expect(loadProblems(dir)).toEqual([
      { file: join(dir, 'hub.yaml'), path: '', message: expect.stringContaining('is a folder, not a file') },
    ]);
  });

  test('a file over the size limit is refused without being read', () => {
    const dir = configDirWith({ 'hub.yaml': HUB_YAML });
    // 1 byte over the limit, of valid YAML, so that only the size can be the problem.
    writeFileSync(join(dir, 'accounts.yaml'), `accounts: []\n${'#'.repeat(MAX_FILE_BYTES - 13)}\n`);
    const [problem, ...others] = loadProblems(dir);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ file: join(dir, 'accounts.yaml'), path: '' });
    expect(problem.line).toBeUndefined();
    expect(problem.message).toContain(
      'is 2.0 MiB (2,097,153 bytes); a config file may be at most 2.0 MiB (2,097,152 bytes)',
    );
    // At the limit, the same file is read.
    writeFileSync(join(dir, 'accounts.yaml'), `accounts: []\n${'#'.repeat(MAX_FILE_BYTES - 14)}\n`);
    expect(loadConfig(dir).accounts).toEqual([]);
  });

  test('a file that is not UTF-8 text', () => {
    const dir = configDirWith({ 'hub.yaml': HUB_YAML });
    writeFileSync(join(dir, 'accounts.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(loadProblems(dir)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('is not UTF-8 text') }),
    ]);
  });
});

describe('the app as a command, on hostile config paths', () => {
  test('a folder and a named pipe: exit 1, both named, no stack trace, no hang, nothing written', () => {
    const configDir = tempDir('vpce-hub-hostile');
    const outdir = join(tempDir('vpce-hub-cli'), 'out');
    mkdirSync(join(configDir, 'hub.yaml'));
    const fifo = join(configDir, 'accounts.yaml');
    const mkfifo = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
    expect(mkfifo.status).toBe(0);

    // Opening the pipe for reading would block until a writer comes; the timeout keeps a
    // regression from hanging the suite.
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, VPCE_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.error).toBeUndefined();
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the configuration has 2 problems; nothing was synthesized.');
    expect(result.stderr).toContain(`${join(configDir, 'hub.yaml')}: is a folder, not a file.`);
    expect(result.stderr).toContain(`${fifo}: is a named pipe (FIFO), not a regular file`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('Terraform template sequences in config strings', () => {
  test.each([
    [
      'a tag value',
      '"${file(\\"/etc/passwd\\")}"',
      'tags: { Project: "${file(\\"/etc/passwd\\")}" }',
      'tags.Project',
      'a tag value',
    ],
    ['a tag value', '"%{if true}x%{endif}"', 'tags: { Project: "%{if true}x%{endif}" }', 'tags.Project', 'a tag value'],
    ['a tag key', '${path.cwd}', 'tags: { "${path.cwd}": vpce-hub }', 'tags.${path.cwd}', 'a tag key'],
    ['a tag key', '%{for x in y}', 'tags: { "%{for x in y}": vpce-hub }', 'tags.%{for x in y}', 'a tag key'],
  ])('%s with %s is refused, naming the allowed characters', (_what, written, line, path, kind) => {
    const problems = problemsOf(edit(HUB_YAML, 'tags: { Project: vpce-hub }', line));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 16, path, value: written });
    expect(problems[0].message).toContain(`${kind} is`);
    expect(problems[0].message).toContain('letters, digits, spaces and _ . : / = + - @');
  });

  test("tags in AWS's character set pass, Unicode letters included; aws: keys are reserved", () => {
    const tags =
      'tags: { Project: vpce-hub, "Cost Center": "CC-1234 / ops@example.com", Équipe: réseau, "team:owner": a=b+c_d.e }';
    expect(configFrom(edit(HUB_YAML, 'tags: { Project: vpce-hub }', tags)).tags).toMatchObject({ Équipe: 'réseau' });
    const problems = problemsOf(edit(HUB_YAML, 'tags: { Project: vpce-hub }', 'tags: { "AWS:Owner": x }'));
    expect(problems).toEqual([
      expect.objectContaining({ path: 'tags.AWS:Owner', message: expect.stringContaining('reserved for AWS') }),
    ]);
  });

  // Every string of a full configuration (each state backend, an account name, S3 gateway route
  // tables, tags), map keys included, with a template sequence in it, must be refused: no free text
  // reaches the synthesized JSON, where Terraform would evaluate it.
  const s3Hub = edit(
    HUB_YAML,
    '  backend: local',
    '  backend: s3\n  bucket: acme-tfstate\n  region: ap-northeast-1\n  keyPrefix: vpce/prod/\n  roleArn: arn:aws:iam::111111111111:role/state',
  );
  const cloudHub = edit(
    HUB_YAML,
    '  backend: local',
    '  backend: cloud\n  organization: acme\n  hostname: tfe.example.com\n  workspacePrefix: vpce-\n  project: vpce hub\n  manageWorkspaces: true',
  );
  const accounts = edit(
    ACCOUNTS_YAML,
    '    vpcIds: [vpc-0123abcd4567ef890]\n',
    '    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n',
  );

  /** Every string in `data`, map keys included, as [path, replace-with-`text`]. */
  function stringSlots(
    data: unknown,
    path: PropertyKey[] = [],
  ): Array<{ path: string; inject: (text: string) => unknown }> {
    if (typeof data === 'string') return [{ path: formatPath(path), inject: (text) => text }];
    if (Array.isArray(data)) {
      return data.flatMap((item, i) =>
        stringSlots(item, [...path, i]).map((slot) => ({
          ...slot,
          inject: (text: string) => data.map((x, j) => (j === i ? slot.inject(text) : x)),
        })),
      );
    }
    if (typeof data === 'object' && data !== null) {
      const entries = Object.entries(data);
      return entries.flatMap(([key, value]) => [
        {
          path: `${formatPath(path)}{key ${key}}`,
          inject: (text: string) => Object.fromEntries(entries.map(([k, v]) => [k === key ? `${text}${k}` : k, v])),
        },
        ...stringSlots(value, [...path, key]).map((slot) => ({
          ...slot,
          inject: (text: string) => Object.fromEntries(entries.map(([k, v]) => [k, k === key ? slot.inject(text) : v])),
        })),
      ]);
    }
    return [];
  }

  test.each([
    ['local state', HUB_YAML],
    ['s3 state', s3Hub],
    ['cloud state', cloudHub],
  ])('with %s, no string anywhere admits ${ or %{', (_backend, hub) => {
    // The fixtures are valid to begin with.
    configFrom(hub, accounts);
    const admitted: string[] = [];
    let tried = 0;
    for (const [file, text] of [
      ['hub', hub],
      ['accounts', accounts],
    ] as const) {
      for (const slot of stringSlots(parse(text))) {
        for (const sequence of ['${x}', '%{x}']) {
          const injected = stringify(slot.inject(`a${sequence}`));
          const [h, a] = file === 'hub' ? [injected, accounts] : [hub, injected];
          tried += 1;
          try {
            configFrom(h, a);
            admitted.push(`${file}: ${slot.path} <- ${sequence}`);
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
          }
        }
      }
    }
    expect(admitted).toEqual([]);
    // Every key and value of both files: the hub's 20-odd and the accounts' 20-odd, twice each.
    expect(tried).toBeGreaterThan(80);
  });
});
