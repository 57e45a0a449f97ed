/**
 * `npm run affected -- --base <git-ref> [--json] [--report FILE]`: which stacks a change affects.
 *
 * Synthesizes the base commit (from `git archive`, with this checkout's node_modules) and the working
 * tree into temporary folders, and compares each stack's Terraform JSON with cdktf's metadata (the
 * `//` blocks) left out. Prints `added <stack>`, `changed <stack>`, `removed <stack>`, one per line
 * (`no stack changes against <base>` when there are none), or `{"added": [], "changed": [],
 * "removed": []}` with `--json`; `--report FILE` writes that JSON to FILE as well. A removed stack
 * still has resources in its state that nothing plans any more: it gets a warning on stderr. On a
 * terminal, a progress line on stderr says which synth runs (not with --json).
 *
 * Exit codes: 0 compared, nothing unsafe; 1 compared, and at least one change is unsafe (the
 * `unsafe` lines say what to do); 2 bad usage, an unknown ref, a configuration folder outside the
 * repository, a synth that fails, or a report file that cannot be written.
 *
 * The configuration folder (VPCE_CONFIG_DIR, default `config`) is read from each side: the base
 * commit's copy of that folder for the base, the working tree's for the head. A folder the base
 * commit does not have yet (a new hub's first pull request) has no stacks on the base side.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { accountOfSpokeStack, HUB_STACK } from '../stack-names';
import { holdingsFromSynth, type Json } from '../state/stack-holdings';
import { hubMoves, stateMoves } from '../state/state-moves';
import {
  dnsSwitchWindows,
  intendedFromSynth,
  retireSteps,
  unsafeChanges,
  type Deployed,
} from '../state/unsafe-changes';
import { escapeControl } from './escape';
import { CommandLine, runMain } from './command-line';
import { progress, type Progress } from './progress';
import { runAppAsync } from '../synth/run-app';

/** The stacks that differ between two synth outputs. */
export interface AffectedStacks {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  /**
   * Removals the state does not allow yet, each a sentence saying what to do: a spoke stack removed
   * without being retired first, or a service removed from the hub while spokes still associate with
   * its zone. The apply workflow refuses to apply while there is one.
   */
  readonly unsafe: string[];
  /**
   * What the apply does that the team should know first, each a sentence: services the hub moves
   * between self-managed zones and the endpoints' private DNS, with the public-DNS window.
   */
  readonly notices: string[];
}

/** A usage or environment problem, reported without a stack trace (exit code 2). */
export class AffectedError extends Error {}

/** Drops cdktf's `//` metadata blocks, at any depth. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '//')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, v]) => [key, withoutMetadata(v)]),
    );
  }
  return value;
}

/** Each stack of a synth output, parsed; empty when there is no output. */
export function readStackJsons(outdir: string): Map<string, Json> {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) return new Map();
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return new Map(
    Object.entries(manifest.stacks).map(([name, entry]) => [
      name,
      JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as Json,
    ]),
  );
}

function comparable(stacks: ReadonlyMap<string, Json>): Map<string, string> {
  return new Map([...stacks].map(([name, json]) => [name, JSON.stringify(withoutMetadata(json))]));
}

/**
 * See {@link AffectedStacks.unsafe}: the rules of `state/unsafe-changes.ts`, with the base commit's
 * synth output standing in for the deployed state.
 */
export function unsafeChangesBetween(base: ReadonlyMap<string, Json>, head: ReadonlyMap<string, Json>): string[] {
  return unsafeChanges(deployedFromSynth(base), intendedFromSynth(head));
}

/** A synth output as what is deployed. */
function deployedFromSynth(stacks: ReadonlyMap<string, Json>): Deployed {
  return new Map([...stacks].map(([stack, json]) => [stack, { holdings: holdingsFromSynth(json) }]));
}

/** Hub first, then the rest by name: the order they deploy in. */
function deployOrder(a: string, b: string): number {
  return a === HUB_STACK ? -1 : b === HUB_STACK ? 1 : a.localeCompare(b);
}

/** Compares two sets of stacks (parsed `cdk.tf.json` by stack name). */
export function compareStacks(baseJsons: Map<string, Json>, headJsons: Map<string, Json>): AffectedStacks {
  const base = comparable(baseJsons);
  const head = comparable(headJsons);
  return {
    added: [...head.keys()].filter((s) => !base.has(s)).sort(deployOrder),
    changed: [...head.keys()].filter((s) => base.has(s) && base.get(s) !== head.get(s)).sort(deployOrder),
    removed: [...base.keys()].filter((s) => !head.has(s)).sort(deployOrder),
    unsafe: [...hubMoves(baseJsons, headJsons), ...unsafeChangesBetween(baseJsons, headJsons)],
    notices: [
      ...stateMoves(baseJsons, headJsons),
      ...dnsSwitchWindows(deployedFromSynth(baseJsons), intendedFromSynth(headJsons)),
    ],
  };
}

/**
 * Runs the app in `projectDir`, writing to `<run>/cdktf.out` with local state in `<run>/state`: laid
 * out as in a project, so both synths write the same relative state paths, and empty, so the local
 * guard of the working tree's state does not stop the comparison (its `unsafe` list says it instead).
 */
async function synth(projectDir: string, configDir: string, run: string, label: string): Promise<string> {
  const outdir = join(run, 'cdktf.out');
  const result = await runAppAsync({
    cwd: projectDir,
    outdir,
    env: { VPCE_STATE_DIR: join(run, 'state'), VPCE_CONFIG_DIR: configDir },
  });
  if (result.status !== 0) {
    throw new AffectedError(`could not synthesize ${label}:\n${result.stderr || result.stdout}`);
  }
  return outdir;
}

/**
 * The configuration folder (VPCE_CONFIG_DIR, default `config`) relative to the project, so that the
 * base side reads the base commit's copy of it: an absolute path would read the working tree's
 * configuration on both sides and see no change at all.
 */
export function configFolderInProject(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const requested = env.VPCE_CONFIG_DIR || 'config';
  const inProject = relative(resolve(projectDir), resolve(projectDir, requested));
  if (inProject === '' || inProject === '..' || inProject.startsWith(`..${sep}`) || isAbsolute(inProject)) {
    throw new AffectedError(
      `VPCE_CONFIG_DIR=${requested} is not a folder inside the project ${projectDir}: affected compares the ` +
        `configuration of two commits, so it must be a folder the repository holds (e.g. VPCE_CONFIG_DIR=config).`,
    );
  }
  return inProject;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Synthesizes `base` and the working tree of the repository at `projectDir`, side by side, and
 * compares them. `shown` (optional) hears what runs, for a progress line.
 */
export async function affectedStacks(
  projectDir: string,
  base: string,
  shown?: Pick<Progress, 'update'>,
): Promise<AffectedStacks> {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], projectDir);
  } catch {
    throw new AffectedError(
      `--base ${base} is not a commit of this repository (fetch it first, e.g. actions/checkout with fetch-depth: 0)`,
    );
  }
  const configDir = configFolderInProject(projectDir);
  const work = mkdtempSync(join(tmpdir(), 'vpce-affected-'));
  try {
    const baseDir = join(work, 'base');
    mkdirSync(baseDir);
    shown?.update(`extracting the base ${base} (${commit.slice(0, 12)})`);
    execFileSync('sh', ['-c', `git archive "${commit}" | tar -x -C "${baseDir}"`], {
      cwd: projectDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The project may sit in a folder of the repository.
    const baseProject = join(baseDir, git(['rev-parse', '--show-prefix'], projectDir));
    // A base from before the app existed, or before this configuration folder did (a new hub's
    // first pull request), has no stacks: everything is added.
    const hasBase = existsSync(join(baseProject, 'main.ts')) && existsSync(join(baseProject, configDir, 'hub.yaml'));
    if (hasBase) symlinkSync(resolve(projectDir, 'node_modules'), join(baseProject, 'node_modules'), 'dir');
    shown?.update(
      hasBase
        ? `synthesizing the base ${base} (${commit.slice(0, 12)}) and the working tree`
        : 'synthesizing the working tree',
    );
    // Side by side: each synth is mostly one CPU loading modules.
    const [baseOut, headOut] = await Promise.all([
      hasBase
        ? synth(baseProject, configDir, join(work, 'base-run'), `the base ${base} (${commit.slice(0, 12)})`)
        : undefined,
      synth(projectDir, configDir, join(work, 'head-run'), 'the working tree'),
    ]);
    return compareStacks(baseOut ? readStackJsons(baseOut) : new Map<string, Json>(), readStackJsons(headOut));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The warning for a stack that the change removes. */
export function removedWarning(stack: string): string {
  const id = accountOfSpokeStack(stack);
  return (
    `warning: stack ${stack} is removed: whatever its state still holds, nothing plans it any more.` +
    (id ? ` Remove an account in two steps: ${retireSteps(id)} Afterwards delete the stack's state.` : '')
  );
}

const USAGE = `usage: npm run affected -- --base <git-ref> [--json] [--report FILE]

Synthesizes <git-ref> and the working tree and prints the stacks whose Terraform JSON differs:
"added <stack>", "changed <stack>", "removed <stack>", one per line, or "no stack changes against
<git-ref>".

  --base REF       the commit to compare with, e.g. origin/main (required)
  --json           {"added":[...],"changed":[...],"removed":[...],"unsafe":[...]} on stdout instead
                   (through npm: npm run -s affected -- --base REF --json)
  --report FILE    also write that JSON document to FILE, whatever stdout shows
  -h, --help       this text
Exit codes: 0 compared, nothing unsafe; 1 compared, and a change is unsafe (each "unsafe" line
says what to do first); 2 bad usage, an unknown --base, VPCE_CONFIG_DIR outside the repository, a
synth that fails, or FILE cannot be written.`;

/** What stdout shows: one line per stack, a line saying nothing changed, or the JSON document. */
export function renderAffected(result: AffectedStacks, options: { json: boolean; base: string }): string {
  if (options.json) return `${JSON.stringify(result)}\n`;
  const lines = [
    ...(['added', 'changed', 'removed'] as const).flatMap((kind) => result[kind].map((stack) => `${kind} ${stack}`)),
    ...result.unsafe.map((reason) => `unsafe ${escapeControl(reason)}`),
    ...result.notices.map((notice) => `notice ${escapeControl(notice)}`),
  ];
  return lines.length > 0 ? `${lines.join('\n')}\n` : `no stack changes against ${escapeControl(options.base)}\n`;
}

/** Runs with command-line arguments; returns the exit code. */
export async function main(argv: string[], projectDir = process.cwd()): Promise<number> {
  const command = new CommandLine('affected', USAGE);
  const values = command.parse(argv, {
    base: { type: 'string' },
    json: { type: 'boolean', default: false },
    report: { type: 'string' },
  });
  if (typeof values === 'number') return values;
  if (!values.base) return command.mistake('--base is required (the commit to compare with, e.g. --base origin/main)');
  if (values.report === '') return command.mistake('--report needs a file name');
  const shown = progress('affected', { enabled: !values.json });
  try {
    const result = await affectedStacks(projectDir, values.base, shown);
    shown.done();
    // A removal that is unsafe is said once, by its `unsafe` line; the others get the warning.
    for (const stack of result.removed.filter((s) => !result.unsafe.some((r) => r.startsWith(`${s}:`)))) {
      process.stderr.write(`${removedWarning(stack)}\n`);
    }
    if (values.report !== undefined) {
      try {
        writeFileSync(values.report, `${JSON.stringify(result)}\n`);
      } catch (error) {
        throw new AffectedError(
          `cannot write the report to ${values.report}: ${(error as Error).message}. Pass --report a file in an existing folder you may write to.`,
        );
      }
    }
    process.stdout.write(renderAffected(result, { json: values.json, base: values.base }));
    return result.unsafe.length > 0 ? 1 : 0;
  } catch (error) {
    shown.done();
    if (!(error instanceof AffectedError)) throw error;
    process.stderr.write(`affected: ${error.message}\n`);
    return 2;
  }
}

if (require.main === module) runMain('affected', main);
