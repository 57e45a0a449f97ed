/**
 * The small pieces of the commands: the progress line, the synth summary, affected's and bench's
 * command lines.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateReadmeBlock } from '../bench/readme-blocks';
import { renderAffected } from '../lib/commands/affected';
import { mergePerAccountRows, mergeRows, previousPerAccountRows, previousRows } from '../bench/terraform-bench';
import { parseBenchArgs } from '../bench/bench';
import { progress, type ProgressStream } from '../lib/commands/progress';
import { summaryLine } from '../lib/synth/summary';
import { countResourceInstances, type InstanceCount } from '../lib/state/stack-holdings';
import { tempDir } from './helpers/temp';

/** A stream that records what is written to it. */
function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { text: string } {
  const stream = {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('progress', () => {
  test('writes nothing when the stream is not a terminal, or when disabled (--json)', () => {
    for (const [stream, enabled] of [
      [fakeStream(false), true],
      [fakeStream(true), false],
    ] as const) {
      const p = progress('bench', { stream, enabled, env: {} });
      p.update('10 accounts, run 1 of 3');
      p.done('finished');
      expect({ active: p.active, text: stream.text }).toEqual({ active: false, text: '' });
    }
    const dumb = fakeStream(true);
    progress('bench', { stream: dumb, env: { TERM: 'dumb' } }).update('x');
    expect(dumb.text).toBe('');
  });

  test('on a terminal: each update redraws one line; done erases it, or leaves a final line', () => {
    const stream = fakeStream(true, 120);
    const p = progress('affected', { stream, env: {} });
    expect(p.active).toBe(true);
    p.update('synthesizing the base, 1 of 2');
    p.update('synthesizing the working tree, 2 of 2');
    expect(stream.text).toBe(
      '\r\u001b[2Kaffected: synthesizing the base, 1 of 2\r\u001b[2Kaffected: synthesizing the working tree, 2 of 2',
    );
    p.done();
    expect(stream.text.endsWith('2 of 2\r\u001b[2K')).toBe(true);
    p.update('after done');
    p.done('again');
    expect(stream.text).not.toContain('after done');

    const final = fakeStream(true);
    const q = progress('bench', { stream: final, env: {} });
    q.update('run 1');
    q.done('3 runs');
    expect(final.text).toBe('\r\u001b[2Kbench: run 1\r\u001b[2Kbench: 3 runs\n');
  });

  test('cuts the line to the terminal width and escapes control characters', () => {
    const stream = fakeStream(true, 30);
    const p = progress('affected', { stream, env: {} });
    p.update(`ref \u001b[31mred\u0007 ${'x'.repeat(50)}`);
    const shown = stream.text.replace('\r\u001b[2K', '');
    expect(shown).toBe('affected: ref \\u001b[31mred\\…');
    expect(shown.length).toBe(29);
  });
});

describe('synth summary', () => {
  test('counts resource instances: plain blocks once, for_each per key, count; data sources not', () => {
    const stack = {
      data: { terraform_remote_state: { hub: { backend: 'local' } } },
      resource: {
        aws_security_group: { endpoints: {} },
        aws_route53_record: {
          logs_apex: {},
          ecr_dkr_registry: { for_each: '${toset(["111111111111", "222222222222", "111111111111"])}' },
        },
        aws_route53_zone_association: { hub: { for_each: { 'vpc-1/logs': {}, 'vpc-1/s3': {}, 'vpc-2/logs': {} } } },
        aws_instance: { many: { count: 4 } },
      },
    };
    expect(countResourceInstances(stack)).toEqual({ instances: 1 + 1 + 2 + 3 + 4, exact: true });
    expect(countResourceInstances({ resource: { x: { y: { for_each: '${var.set}' }, z: {} } } })).toEqual({
      instances: 1,
      exact: false,
    });
    expect(countResourceInstances({})).toEqual({ instances: 0, exact: true });
  });

  test('one line: the hub, the range over the spokes, other stacks, the folder', () => {
    const c = (instances: number, exact = true): InstanceCount => ({ instances, exact });
    const counts = new Map([
      ['hub', c(82)],
      ['spoke-111111111111', c(8)],
      ['spoke-222222222222', c(16)],
      ['spoke-333333333333', c(8)],
      ['tfc-workspaces', c(12)],
    ]);
    expect(summaryLine(counts, '/work/project/cdktf.out', '/work/project')).toBe(
      'hub: 82 resource instances; 3 spoke stacks, 8-16 resource instances each; tfc-workspaces: 12 resource instances -> cdktf.out',
    );
    expect(summaryLine(new Map([['hub', c(30, false)]]), '/tmp/out', '/work/project')).toBe(
      'hub: at least 30 resource instances; no spoke stacks -> /tmp/out',
    );
    expect(
      summaryLine(
        new Map([
          ['hub', c(30)],
          ['spoke-1', c(1)],
        ]),
        'cdktf.out',
        '/work/project',
      ),
    ).toBe('hub: 30 resource instances; 1 spoke stack, 1 resource instance -> cdktf.out');
  });
});

describe('affected output', () => {
  const none = { added: [], changed: [], removed: [], unsafe: [], notices: [] };

  test('no stack changes: a line saying so; with --json the empty document', () => {
    expect(renderAffected(none, { json: false, base: 'origin/main' })).toBe('no stack changes against origin/main\n');
    expect(JSON.parse(renderAffected(none, { json: true, base: 'origin/main' }))).toEqual(none);
  });

  test('changes: one line per stack, or the JSON document', () => {
    const result = { added: ['spoke-444444444444'], changed: ['hub'], removed: [], unsafe: [], notices: [] };
    expect(renderAffected(result, { json: false, base: 'HEAD' })).toBe('added spoke-444444444444\nchanged hub\n');
    expect(JSON.parse(renderAffected(result, { json: true, base: 'HEAD' }))).toEqual(result);
    const unsafe = {
      ...result,
      removed: ['spoke-333333333333'],
      unsafe: ['spoke-333333333333 is removed, but it was not retired first'],
    };
    expect(renderAffected(unsafe, { json: false, base: 'HEAD' })).toContain(
      '\nunsafe spoke-333333333333 is removed, but it was not retired first\n',
    );
  });
});

describe('bench options', () => {
  test('defaults, values, help', () => {
    const allModes = ['associations', 'profile-organization', 'profile-accounts', 'profile-endpoints'];
    expect(parseBenchArgs([])).toEqual({
      terraform: false,
      sizes: [10, 100, 1000],
      runs: 3,
      writeReadme: false,
      sharing: allModes,
    });
    expect(parseBenchArgs(['--sizes', '5,50', '--runs', '1'])).toEqual({
      terraform: false,
      sizes: [5, 50],
      runs: 1,
      writeReadme: false,
      sharing: allModes,
    });
    expect(parseBenchArgs(['--terraform', '--sharing', 'profile-accounts,associations'])).toMatchObject({
      sharing: ['profile-accounts', 'associations'],
    });
    expect(parseBenchArgs(['--terraform'])).toMatchObject({ terraform: true, sizes: [100, 1000] });
    expect(parseBenchArgs(['-h'])).toBe('help');
  });

  test.each([
    [['--sizes', '10,abc'], '--sizes: "abc" is not a whole number'],
    [['--runs', '0'], '--runs: "0" is not a whole number from 1 to 100'],
    [['--runs'], "Option '--runs <value>' argument missing"],
    [['--size', '10'], "Unknown option '--size'"],
    [
      ['--terraform', '--sharing', 'profile'],
      '--sharing: "profile" is not one of associations, profile-organization, profile-accounts',
    ],
  ])('%j is refused', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(message);
  });
});

describe('terraform bench: a partial run keeps the rows it did not measure', () => {
  const block = [
    'Measured by `npm run bench` on 2026-11-01: 2 cores.',
    '',
    '| accounts | sharing | stack | resource instances | a | b | c | d | e | f | g | measured |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    '| 100 | associations | hub | 1031 | 10.0 | 10.0 | 9.0 | 300 | 2088 | 2049 | 6.8 | 2026-11-01 |',
    '| 1000 | associations | hub | 10031 | 60.0 | 62.0 | 35.0 | 800 | 182088 | 182049 | 606.8 | 2026-11-01 |',
    '',
    '| sharing | accounts | hub resource instances | with one more account | added per account |',
    '| --- | --- | --- | --- | --- |',
    '| associations | 100 | 1031 | 1041 | 10 |',
    '| associations | 1000 | 10031 | 10041 | 10 |',
    '| profile-organization | 1000 | 1044 | 1045 | 1 |',
  ].join('\n');

  test('timing rows: a fresh row replaces its own key only; sorted by accounts, mode, hub first', () => {
    const old = previousRows(block);
    expect(old).toHaveLength(2);
    const fresh = ['| 100 | associations | hub | 1031 | 11.0 | 11.0 | 10.5 | 345 | 2088 | 2049 | 6.8 | 2026-11-28 |'];
    const merged = mergeRows(old, fresh);
    expect(merged.map((line) => line.split('|')[1].trim())).toEqual(['100', '1000']);
    expect(merged[0]).toContain('2026-11-28');
    expect(merged[1]).toContain('| 62.0 |');
  });

  test('per-account rows: merged by mode and accounts, the 1000-account rows kept', () => {
    const old = previousPerAccountRows(block);
    expect(old).toHaveLength(3);
    const merged = mergePerAccountRows(old, [
      '| associations | 100 | 1031 | 1041 | 10 |',
      '| profile-organization | 100 | 144 | 145 | 1 |',
    ]);
    expect(
      merged.map((line) =>
        line
          .split('|')
          .slice(1, 3)
          .map((c) => c.trim())
          .join(' '),
      ),
    ).toEqual(['associations 100', 'associations 1000', 'profile-organization 100', 'profile-organization 1000']);
  });
});

describe('benchmark blocks in README.md', () => {
  test('a block is rewritten from its previous text; the rest of the file stays; a missing block is an error', () => {
    const file = join(tempDir('readme'), 'README.md');
    writeFileSync(file, 'intro\n<!-- bench:synth -->\nold table\n<!-- /bench:synth -->\noutro\n');
    updateReadmeBlock('synth', (old) => `${old} + new row`, file);
    expect(readFileSync(file, 'utf8')).toBe(
      'intro\n<!-- bench:synth -->\nold table + new row\n<!-- /bench:synth -->\noutro\n',
    );
    expect(() => updateReadmeBlock('terraform', (old) => old, file)).toThrow(
      'README.md has no <!-- bench:terraform --> ... <!-- /bench:terraform --> block',
    );
  });
});
