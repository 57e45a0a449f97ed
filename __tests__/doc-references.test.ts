/**
 * Every place the code, the workflows and the tests point a user to — `docs/<guide>.md, "<heading>"`
 * in a message or comment, a link in README.md or a guide — names a guide that exists and a heading
 * it has, so a message never sends anyone to a section that was renamed or moved.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'cdktf.out', '.git', 'state'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

/** The headings of a Markdown file (outside code blocks), as written. */
function headings(file: string): string[] {
  let fence = false;
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (line.startsWith('```')) fence = !fence;
      const match = !fence && /^#+\s+(.*?)\s*$/.exec(line);
      return match ? [match[1]] : [];
    });
}

/** A source text with string concatenations and comment line breaks joined, as a reader sees it. */
const joined = (text: string) =>
  text
    .replace(/['`]\s*\+\s*\n\s*['`]/g, '')
    .replace(/\n\s*(?:\*|\/\/|#)\s*/g, ' ')
    .replace(/\s+/g, ' ');

describe('documentation references', () => {
  const sources = [
    ...files(join(ROOT, 'lib'), /\.ts$/),
    ...files(join(ROOT, 'test'), /\.ts$/),
    ...files(join(ROOT, 'bench'), /\.ts$/),
    ...files(join(ROOT, '.github'), /\.ya?ml$/),
    join(ROOT, 'main.ts'),
  ];
  const references = sources.flatMap((file) =>
    [...joined(readFileSync(file, 'utf8')).matchAll(/docs\/([a-z-]+\.md)(?:(?:,|:)? ?"([^"]+)")?/g)].map((m) => ({
      from: relative(ROOT, file),
      guide: m[1],
      heading: m[2],
    })),
  );

  test('the code points users to the guides (this test reads something)', () => {
    expect(references.length).toBeGreaterThan(20);
  });

  test('every docs/<guide>.md, "<heading>" in code, workflows and tests names a guide and a heading it has', () => {
    const broken = references.filter((r) => {
      const guide = join(ROOT, 'docs', r.guide);
      return !existsSync(guide) || (r.heading !== undefined && !headings(guide).includes(r.heading));
    });
    expect(broken).toEqual([]);
  });

  test('every relative link of README.md and the guides reaches a file that exists', () => {
    const markdown = [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/)];
    const broken = markdown.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\]\(((?!https?:|#)[^)\s#]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1])
        .filter((target) => !existsSync(join(dirname(file), target)))
        .map((target) => `${relative(ROOT, file)} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  test('README.md is short: at most 300 lines; at least six guides', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
    expect(files(join(ROOT, 'docs'), /\.md$/).length).toBeGreaterThanOrEqual(6);
  });
});
