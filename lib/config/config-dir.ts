/**
 * The configuration folder every command reads (synth, `npx cdktf ...`, the doctor, affected, iam,
 * discover, cost): `VPCE_CONFIG_DIR` when set, else the project setting `context.vpceHubConfigDir` of
 * `cdktf.json` (in the folder the command runs in), else `config`. Set it once in cdktf.json; the
 * environment variable still overrides it for one run. No heavy imports: the static doctor loads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder read when nothing else names one. */
export const DEFAULT_CONFIG_DIR = 'config';

/** The key of `cdktf.json`'s `context` that names the configuration folder. */
export const CONFIG_DIR_SETTING = 'vpceHubConfigDir';

/** The project setting, or undefined where cdktf.json has none (or cannot be read). */
export function projectConfigDir(cwd: string = process.cwd()): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(cwd, 'cdktf.json'), 'utf8')) as { context?: Record<string, unknown> };
    const value = json.context?.[CONFIG_DIR_SETTING];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The config folder: `VPCE_CONFIG_DIR`, else cdktf.json's `context.vpceHubConfigDir`, else `config`. */
export function configDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  if (env.VPCE_CONFIG_DIR && env.VPCE_CONFIG_DIR !== '') return env.VPCE_CONFIG_DIR;
  return projectConfigDir(cwd) ?? DEFAULT_CONFIG_DIR;
}
