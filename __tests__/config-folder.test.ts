/**
 * One configuration folder for every command: VPCE_CONFIG_DIR, else cdktf.json's
 * `context.vpceHubConfigDir`, else `config`; synth names it, records it in the output, and refuses
 * to overwrite an output folder made from another configuration folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDir, CONFIG_DIR_SETTING, DEFAULT_CONFIG_DIR } from '../lib/config/config-dir';
import { originConflict, outputOrigin, writeOutputOrigin } from '../lib/synth/output-origin';
import { ACCOUNTS_YAML, HUB_YAML } from './helpers/config';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');

describe('the configuration folder', () => {
  test('VPCE_CONFIG_DIR, else cdktf.json context.vpceHubConfigDir, else config', () => {
    const project = tempDir('config-setting');
    expect(configDir({}, project)).toBe(DEFAULT_CONFIG_DIR);
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ context: { [CONFIG_DIR_SETTING]: 'envs/prod' } }));
    expect(configDir({}, project)).toBe('envs/prod');
    expect(configDir({ VPCE_CONFIG_DIR: 'envs/test' }, project)).toBe('envs/test');
    expect(configDir({ VPCE_CONFIG_DIR: '' }, project)).toBe('envs/prod');
    writeFileSync(join(project, 'cdktf.json'), '{ not json');
    expect(configDir({}, project)).toBe(DEFAULT_CONFIG_DIR);
  });

  test("this repository's cdktf.json names config/", () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { context: Record<string, string> };
    expect(json.context[CONFIG_DIR_SETTING]).toBe('config');
  });

  test('an output folder records its configuration folder; another folder is refused, the same one is not', () => {
    const project = tempDir('origin');
    const out = join(project, 'cdktf.out');
    mkdirSync(out);
    expect(originConflict(out, 'config', project)).toBeUndefined(); // nothing recorded yet
    writeOutputOrigin(out, 'config', project);
    expect(outputOrigin(out)).toBe(join(project, 'config'));
    expect(originConflict('cdktf.out', 'config', project)).toBeUndefined();
    expect(originConflict('cdktf.out', join(project, 'config'), project)).toBeUndefined();
    expect(originConflict('cdktf.out', 'envs/prod', project)).toBe(
      "cdktf.out holds the synth output of config/, and this synth reads envs/prod/ (VPCE_CONFIG_DIR, else cdktf.json's " +
        'context.vpceHubConfigDir). Nothing was written. Synthesize into a folder of its own (CDKTF_OUTDIR=cdktf.out-<name>), ' +
        'set the folder you meant, or delete cdktf.out first.',
    );
  });

  test('npm run synth: the summary names the folder; a synth of another folder into the same output stops, exit 1', () => {
    const work = tempDir('origin-synth');
    for (const folder of ['a', 'b']) {
      mkdirSync(join(work, folder));
      writeFileSync(join(work, folder, 'hub.yaml'), HUB_YAML);
      writeFileSync(join(work, folder, 'accounts.yaml'), ACCOUNTS_YAML);
    }
    const out = join(work, 'out');
    const synth = (config: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          VPCE_CONFIG_DIR: join(work, config),
          CDKTF_OUTDIR: out,
          VPCE_STATE_DIR: join(work, 'state'),
        },
      });
    const first = synth('a');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`-> ${out} \\(from ${join(work, 'a')}/\\)\\n$`));
    const other = synth('b');
    expect(other.status).toBe(1);
    expect(other.stderr).toContain(
      `holds the synth output of ${join(work, 'a')}/, and this synth reads ${join(work, 'b')}/`,
    );
    expect(other.stderr).not.toMatch(/\n\s+at /);
    expect(outputOrigin(out)).toBe(join(work, 'a'));
  });
});
