/**
 * Benchmark figures go into README.md by the benchmark itself, never typed by hand: each table sits
 * between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->`, with the machine and date it ran on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const README = join(resolve(__dirname, '..', '..'), 'README.md');

/** The machine a benchmark ran on, for the line above its table. */
export function machineLine(date = new Date()): string {
  const cpu = cpus();
  return `Measured by \`npm run bench\` on ${date.toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

/** Replaces the text between the markers of `name` in `text`; throws when the markers are missing. */
export function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  return `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`;
}

/** Writes a benchmark's table into README.md. */
export function replaceReadmeBlock(name: string, body: string, file = README): void {
  writeFileSync(file, replaceBlock(readFileSync(file, 'utf8'), name, body));
}

/** The text between the markers of `name` (empty when there is none yet). */
export function readBlock(text: string, name: string): string {
  const start = `<!-- bench:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(`<!-- /bench:${name} -->`);
  return from < 0 || to < from ? '' : text.slice(from + start.length, to).trim();
}

/** Rewrites a benchmark's block in README.md from its current text. */
export function updateReadmeBlock(name: string, body: (old: string) => string, file = README): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, replaceBlock(text, name, body(readBlock(text, name))));
}
