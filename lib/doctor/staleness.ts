/**
 * Is the synth output older than the configuration it came from? Then the doctor checks what was,
 * not what will be: worth one line of warning.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** The config files synth reads. */
const CONFIG_FILES = ['hub.yaml', 'accounts.yaml'];

function mtime(file: string): Date | undefined {
  try {
    return statSync(file).mtime;
  } catch {
    return undefined;
  }
}

/** `2026-11-28 08:12:05` in local time. */
function when(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * One line when a config file in `configDir` changed after `<outdir>/manifest.json` was written;
 * undefined when the output is current, or when the config folder or the manifest is absent (then
 * there is nothing to compare: the doctor may be reading someone else's output).
 */
export function staleOutputWarning(outdir: string, configDir: string): string | undefined {
  const manifest = join(outdir, 'manifest.json');
  const written = mtime(manifest);
  if (!written) return undefined;
  const newer = CONFIG_FILES.map((name) => ({ file: join(configDir, name), changed: mtime(join(configDir, name)) }))
    .filter((c): c is { file: string; changed: Date } => c.changed !== undefined && c.changed > written)
    .sort((a, b) => b.changed.getTime() - a.changed.getTime());
  if (newer.length === 0) return undefined;
  return (
    `warning: the synth output is older than the configuration (${newer[0].file} changed ${when(newer[0].changed)}, ` +
    `${manifest} written ${when(written)}), so this checks the old output. Run \`npm run synth\` first.`
  );
}
