/**
 * Which configuration folder an output folder was synthesized from: synth writes it into the output
 * (`vpce-hub.json`), names it in its summary line, and refuses to overwrite an output folder made
 * from another configuration folder (`npx cdktf list` in a shell without the right folder set would
 * otherwise replace one hub's output with another's). The doctor names it in its report.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** The file in the output folder. */
export const ORIGIN_FILE = 'vpce-hub.json';

/** A configuration folder as people read it: relative to `cwd` when inside it, with a trailing `/`. */
export function shownFolder(dir: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, dir));
  const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(cwd, dir) : rel;
  return `${shown}/`;
}

/** The configuration folder an output folder was made from (absolute), or undefined. */
export function outputOrigin(outdir: string): string | undefined {
  const file = join(outdir, ORIGIN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { configDir?: unknown }).configDir;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Records the configuration folder in a (new) output folder. */
export function writeOutputOrigin(outdir: string, configDir: string, cwd: string = process.cwd()): void {
  writeFileSync(join(outdir, ORIGIN_FILE), `${JSON.stringify({ configDir: resolve(cwd, configDir) }, null, 2)}\n`);
}

/**
 * Why synthesizing `configDir` into `outdir` must stop: the folder holds another configuration's
 * output. Undefined when it holds none, or this one's.
 */
export function originConflict(outdir: string, configDir: string, cwd: string = process.cwd()): string | undefined {
  const origin = outputOrigin(resolve(cwd, outdir));
  if (origin === undefined || origin === resolve(cwd, configDir)) return undefined;
  return (
    `${shownFolder(outdir, cwd).slice(0, -1)} holds the synth output of ${shownFolder(origin, cwd)}, and this synth reads ` +
    `${shownFolder(configDir, cwd)} (VPCE_CONFIG_DIR, else cdktf.json's context.vpceHubConfigDir). Nothing was written. ` +
    `Synthesize into a folder of its own (CDKTF_OUTDIR=cdktf.out-<name>), set the folder you meant, or delete ` +
    `${shownFolder(outdir, cwd).slice(0, -1)} first.`
  );
}
