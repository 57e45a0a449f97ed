/**
 * The whole app, synthesized into a folder the way `npm run synth` and `cdktf synth` do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeGeneratedConfig } from '../test/fixtures/generate-config';
import { countResourceInstances } from '../lib/state/stack-holdings';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, readSynthFolder, synthToFolder } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

/** Runs the app as cdktf.json does, with a config folder and an output folder. */
function runApp(configDir: string, outdir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, VPCE_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
}

describe('full app synth into a folder', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthToFolder(configFrom());
  });

  test('writes the hub and one spoke stack per account', () => {
    expect([...readSynthFolder(outdir).keys()].sort()).toEqual([
      'hub',
      'spoke-012345678901',
      'spoke-123456789012',
      'spoke-333333333333',
    ]);
  });

  test('the manifest lists no stack dependency, so each stack deploys on its own', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toHaveLength(4);
    for (const stack of Object.values(manifest.stacks) as Array<{ dependencies: string[] }>) {
      expect(stack.dependencies).toEqual([]);
    }
  });

  test('no absolute path of this machine lands in the output', () => {
    for (const [name, stack] of readSynthFolder(outdir)) {
      const text = JSON.stringify(stack);
      expect({ name, hasRoot: text.includes(ROOT) }).toEqual({ name, hasRoot: false });
      expect({ name, hasTmp: text.includes(outdir) }).toEqual({ name, hasTmp: false });
      expect(text).not.toMatch(/"path":"\//);
    }
  });

  test('each stack has its own state', () => {
    const paths = [...readSynthFolder(outdir).values()].map((s) => s.terraform.backend.local.path);
    expect(new Set(paths).size).toBe(4);
  });
});

describe('the app as a command (node --import tsx main.ts)', () => {
  test('a valid config synthesizes, exit 0, with its summary line', () => {
    const configDir = tempDir('vpce-hub-cfg');
    writeFileSync(join(configDir, 'hub.yaml'), HUB_YAML);
    writeFileSync(join(configDir, 'accounts.yaml'), ACCOUNTS_YAML);
    const outdir = tempDir('vpce-hub-cli');
    const result = runApp(configDir, outdir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^hub: \d+ resource instances; \d+ spoke stacks, [\d-]+ resource instances each -> .+\n$/,
    );
    const stacks = readSynthFolder(outdir);
    expect(stacks.has('hub')).toBe(true);
    expect([...stacks.keys()].filter((s) => s.startsWith('spoke-')).length).toBe(3);
  });

  test("a removed account's old stack folder does not survive a new synth; the others keep theirs", () => {
    const configDir = tempDir('vpce-hub-cfg');
    const outdir = tempDir('vpce-hub-cli');
    writeGeneratedConfig(configDir, { accounts: 3 });
    const first = runApp(configDir, outdir);
    expect(first.status).toBe(0);
    expect(existsSync(join(outdir, 'stacks', 'spoke-000000000003'))).toBe(true);
    // One summary line on stdout, its numbers those of the files written.
    const counts = new Map(
      [...readSynthFolder(outdir)].map(([name, json]) => [name, countResourceInstances(json).instances]),
    );
    const spokes = [...counts].filter(([name]) => name.startsWith('spoke-')).map(([, n]) => n);
    const range =
      Math.min(...spokes) === Math.max(...spokes) ? `${spokes[0]}` : `${Math.min(...spokes)}-${Math.max(...spokes)}`;
    expect(counts.get('hub')).toBeGreaterThan(10);
    expect(first.stdout).toBe(
      `hub: ${counts.get('hub')} resource instances; 3 spoke stacks, ${range} resource instances each -> ${outdir} (from ${configDir}/)\n`,
    );
    // A current stack keeps its folder, and with it Terraform's .terraform cache.
    mkdirSync(join(outdir, 'stacks', 'spoke-000000000002', '.terraform'));
    writeGeneratedConfig(configDir, { accounts: 2 });
    expect(runApp(configDir, outdir).status).toBe(0);
    expect(existsSync(join(outdir, 'stacks', 'spoke-000000000003'))).toBe(false);
    expect(existsSync(join(outdir, 'stacks', 'spoke-000000000002', '.terraform'))).toBe(true);
  });

  test('a bad config: every problem on stderr, exit 1, no stack trace, nothing written', () => {
    const configDir = tempDir('vpce-hub-bad');
    const outdir = join(tempDir('vpce-hub-cli'), 'out');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'hub.yaml'), edit(HUB_YAML, 'region: ap-northeast-1', 'region: tokyo'));
    writeFileSync(join(configDir, 'accounts.yaml'), edit(ACCOUNTS_YAML, '"012345678901"', '012345678901'));
    const result = runApp(configDir, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the configuration has 2 problems');
    expect(result.stderr).toContain(`${join(configDir, 'hub.yaml')}:3:11: hub.region, got tokyo`);
    expect(result.stderr).toContain(`${join(configDir, 'accounts.yaml')}:5:9: accounts[1].id, got 012345678901`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(existsSync(outdir)).toBe(false);
  });
});
