/**
 * The synth output folder: written all at once, never deleting what synth did not create, one synth
 * at a time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputFolderError, openOutputFolder } from '../lib/synth/output-folder';
import { tempDir } from './helpers/temp';

/** Writes a synth output with these stacks into `dir` (what cdktf writes: manifest.json, stacks/<stack>/cdk.tf.json). */
function fakeSynth(dir: string, stacks: string[], marker = 'new'): void {
  mkdirSync(join(dir, 'stacks'), { recursive: true });
  const manifest = {
    stacks: Object.fromEntries(stacks.map((s) => [s, { synthesizedStackPath: `stacks/${s}/cdk.tf.json` }])),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const stack of stacks) {
    mkdirSync(join(dir, 'stacks', stack), { recursive: true });
    writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ marker }));
  }
}

/** One synth through the output folder. */
function synthInto(outdir: string, stacks: string[], options: { underCdktfCli?: boolean } = {}): void {
  const write = openOutputFolder(outdir, options);
  fakeSynth(write.tempDir, stacks);
  write.commit();
}

const stackJson = (outdir: string, stack: string) =>
  JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

describe('the output folder', () => {
  test('a new folder: the synth lands whole, no temporary folder or lock is left', () => {
    const parent = tempDir('out');
    synthInto(join(parent, 'cdktf.out'), ['hub', 'spoke-111111111111']);
    expect(readdirSync(join(parent, 'cdktf.out', 'stacks')).sort()).toEqual(['hub', 'spoke-111111111111']);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test("a stack keeps what Terraform and people added (.terraform, lock file, overrides); a removed account's folder goes", () => {
    const outdir = join(tempDir('out'), 'cdktf.out');
    synthInto(outdir, ['hub', 'spoke-111111111111', 'spoke-222222222222']);
    mkdirSync(join(outdir, 'stacks', 'hub', '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'hub', '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(outdir, 'stacks', 'hub', 'my_override.tf.json'), '{}');
    synthInto(outdir, ['hub', 'spoke-111111111111']);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['hub', 'spoke-111111111111']);
    expect(readdirSync(join(outdir, 'stacks', 'hub')).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'cdk.tf.json',
      'my_override.tf.json',
    ]);
    expect(stackJson(outdir, 'hub')).toEqual({ marker: 'new' });
  });

  test("under the cdktf CLI a removed account's folder is left for the CLI, which removes it after the app", () => {
    const outdir = join(tempDir('out'), 'cdktf.out');
    synthInto(outdir, ['hub', 'spoke-111111111111', 'spoke-222222222222']);
    synthInto(outdir, ['hub', 'spoke-111111111111'], { underCdktfCli: true });
    expect(existsSync(join(outdir, 'stacks', 'spoke-222222222222'))).toBe(true);
    expect(
      JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks['spoke-222222222222'],
    ).toBeUndefined();
  });

  test('a failed synth leaves the previous output whole', () => {
    const outdir = join(tempDir('out'), 'cdktf.out');
    synthInto(outdir, ['hub']);
    const write = openOutputFolder(outdir);
    writeFileSync(join(write.tempDir, 'half-written'), 'x');
    write.abort();
    expect(stackJson(outdir, 'hub')).toEqual({ marker: 'new' });
    expect(readdirSync(join(outdir, '..'))).toEqual(['cdktf.out']);
  });

  test('refuses a folder that holds files but no synth output (CDKTF_OUTDIR=lib), and leaves it untouched', () => {
    const lib = tempDir('lib');
    mkdirSync(join(lib, 'stacks'));
    writeFileSync(join(lib, 'stacks', 'hub-stack.ts'), 'code');
    expect(() => openOutputFolder(lib)).toThrow(OutputFolderError);
    expect(() => openOutputFolder(lib)).toThrow(/holds files but no earlier synth output \(no manifest.json\)/);
    expect(readFileSync(join(lib, 'stacks', 'hub-stack.ts'), 'utf8')).toBe('code');
  });

  test('refuses other content in stacks/, and a stacks/ that is a symbolic link, touching neither', () => {
    const outdir = join(tempDir('out'), 'cdktf.out');
    synthInto(outdir, ['hub']);
    mkdirSync(join(outdir, 'stacks', 'notes'));
    writeFileSync(join(outdir, 'stacks', 'notes', 'keep.md'), 'mine');
    expect(() => openOutputFolder(outdir)).toThrow(/holds "notes", which is not a stack of the previous synth/);
    expect(readFileSync(join(outdir, 'stacks', 'notes', 'keep.md'), 'utf8')).toBe('mine');

    const linked = join(tempDir('out'), 'cdktf.out');
    const target = tempDir('target');
    writeFileSync(join(target, 'precious'), 'keep');
    mkdirSync(linked);
    writeFileSync(join(linked, 'manifest.json'), JSON.stringify({ stacks: { hub: {} } }));
    symlinkSync(target, join(linked, 'stacks'));
    expect(() => openOutputFolder(linked)).toThrow(/is a symbolic link or not a folder/);
    expect(readFileSync(join(target, 'precious'), 'utf8')).toBe('keep');
  });

  test("refuses a second synth into the same folder while the first runs; a dead synth's lock is taken over", async () => {
    const outdir = join(tempDir('out'), 'cdktf.out');
    const first = openOutputFolder(outdir);
    expect(() => openOutputFolder(outdir)).toThrow(
      new RegExp(`another synth \\(process ${process.pid}\\) is writing to`),
    );
    first.abort();
    // A lock left by a process that is gone.
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid as number)));
    writeFileSync(`${outdir}.lock`, JSON.stringify({ pid: deadPid }));
    const again = openOutputFolder(outdir);
    fakeSynth(again.tempDir, ['hub']);
    again.commit();
    expect(existsSync(`${outdir}.lock`)).toBe(false);
    expect(stackJson(outdir, 'hub')).toEqual({ marker: 'new' });
  });
});
