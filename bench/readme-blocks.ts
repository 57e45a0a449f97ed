/**
 * Benchmark figures go into docs/performance.md by the benchmark itself, never typed by hand: each table sits
 * between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->`, with the machine and date it ran on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';

const README = join(resolve(__dirname, '..'), 'docs', 'performance.md');

/** The machine a benchmark ran on, for the line above its table. */
export function machineLine(date = new Date()): string {
  const cpu = cpus();
  return (
    `Measured by \`npm run bench\` on ${date.toISOString().slice(0, 10)}: ` +
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, ${process.platform}/${process.arch}.`
  );
}

/** Where the text between the markers of `name` starts and ends in `text`; throws when the markers are missing. */
function blockRange(text: string, name: string, file: string): { from: number; to: number } {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${basename(file)} has no ${start} ... ${end} block`);
  return { from: from + start.length, to };
}

/** Rewrites a benchmark's block in docs/performance.md from its current text. */
export function updateReadmeBlock(name: string, body: (old: string) => string, file = README): void {
  const text = readFileSync(file, 'utf8');
  const { from, to } = blockRange(text, name, file);
  writeFileSync(file, `${text.slice(0, from)}\n${body(text.slice(from, to).trim()).trim()}\n${text.slice(to)}`);
}
