/**
 * `npm run e2e`: applies, re-plans and destroys vpce-hub's stacks with the real Terraform CLI and the
 * real AWS provider (from a local filesystem mirror) against the local AWS fake (test/fake-aws), and
 * prints one line per scenario and `N passed, M failed`.
 *
 * Skips with one line and exit 0 when terraform or the provider mirror is missing (see TERRAFORM and
 * VPCE_TF_MIRROR). `--endpoint URL` (or VPCE_E2E_ENDPOINT) runs against another endpoint, e.g.
 * LocalStack; the scenarios that need the fake's resolver and call log are then skipped.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandLine, runMain } from '../../lib/commands/command-line';
import { AwsEndpointClient } from '../fake-aws/client';
import { progress } from '../../lib/commands/progress';
import { FakeAws } from '../fake-aws/server';
import { Deployment } from './deployment';
import {
  E2E_ACCOUNTS,
  E2E_HUB_ACCOUNT,
  E2E_HUB_YAML,
  E2E_PROFILE_ACCOUNTS,
  accountsYaml,
  profileHubYaml,
} from './fixtures';
import { DISCOVER_ACCOUNTS_YAML, DISCOVER_HUB_YAML, discoverScenarios } from './discover-scenarios';
import { profileConfigScenarios } from './profile-scenarios';
import {
  endpointsConfigScenarios,
  fromAssociationsScenarios,
  migrationScenarios,
  writeFirstConfig,
  type EndpointsPart,
} from './endpoint-scenarios';
import { loadConfig } from '../../lib/config/load';
import { E2eProject } from './project';
import {
  brokenSynthScenario,
  changeMatrixScenarios,
  exampleConfigScenarios,
  leastPrivilegeScenario,
  testConfigScenarios,
  type E2eTarget,
  type Scenario,
} from './scenarios';
import { findToolchain, TerraformRunner, warmPluginCache, writeCliConfig, type TerraformRun } from './terraform';

const ROOT = resolve(__dirname, '..', '..');

export const USAGE = `usage: npm run e2e -- [--endpoint URL] [--keep] [--only TEXT] [--flows A,B]

Applies, re-plans and destroys the stacks of a test configuration, of the example configuration
(config/), of a Route 53 Profile configuration (with switches between the sharing modes) and of
dns: endpoints configurations (deployed so, and migrated to from zones and from associations), and of
one written by npm run discover from the fake's organization, with the real terraform and AWS
provider, against a local AWS fake.

  --endpoint URL   use this AWS endpoint (e.g. LocalStack, http://localhost:4566) instead of starting
                   the fake; scenarios that need the fake's resolver and call log are skipped
                   (also VPCE_E2E_ENDPOINT)
  --keep           keep the work folder (Terraform state, synth output, the fake's world and call log)
  --only TEXT      run only the scenarios whose name contains TEXT (deploy scenarios always run)
  --flows A,B      run only these configurations' flows: test, changes, harness, example, profile,
                   endpoints, discover (default: all; the least-privilege replay runs when all do)
Needs terraform >= 1.10 (TERRAFORM=/path, else PATH) and a hashicorp/aws provider mirror
(VPCE_TF_MIRROR=<folder holding registry.terraform.io>, else found at /*/*/registry.terraform.io).
Exit codes: 0 all passed or skipped for a missing tool, 1 a scenario failed, 2 bad usage.`;

/** The flows `--flows` chooses from. */
const FLOW_NAMES = ['test', 'changes', 'harness', 'example', 'profile', 'endpoints', 'discover'] as const;
type FlowName = (typeof FLOW_NAMES)[number];

function pinnedAwsVersion(): string {
  return (require('@cdktf/provider-aws/package.json') as { cdktf: { provider: { version: string } } }).cdktf.provider
    .version;
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

/** Per stack, the seconds spent in each terraform command. */
export function timingsTable(runs: readonly TerraformRun[]): string {
  const commands = ['init', 'validate', 'apply', 'plan', 'show', 'destroy'];
  const byStack = new Map<string, Map<string, number>>();
  for (const run of runs) {
    const name = run.group ? `${run.group}: ${run.stack}` : run.stack;
    const row = byStack.get(name) ?? new Map<string, number>();
    row.set(run.command, (row.get(run.command) ?? 0) + run.seconds);
    byStack.set(name, row);
  }
  const width = Math.max(5, ...[...byStack.keys()].map((s) => s.length));
  const lines = [`  ${'stack'.padEnd(width)}  ${commands.map((c) => c.padStart(9)).join('')}     total`];
  for (const [stack, row] of byStack) {
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    lines.push(
      `  ${stack.padEnd(width)}  ${commands.map((c) => (row.has(c) ? row.get(c)!.toFixed(1) : '-').padStart(9)).join('')}  ${total.toFixed(1).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

/** Runs the e2e; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const command = new CommandLine('e2e', USAGE);
  const values = command.parse(argv, {
    endpoint: { type: 'string' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    flows: { type: 'string' },
  });
  if (typeof values === 'number') return values;
  const wantedFlows = values.flows?.split(',').map((f) => f.trim());
  const unknown = wantedFlows?.filter((f) => !(FLOW_NAMES as readonly string[]).includes(f));
  if (unknown && unknown.length > 0) {
    return command.mistake(`--flows: unknown ${unknown.join(', ')}; choose from ${FLOW_NAMES.join(', ')}`);
  }
  const toolchain = findToolchain();
  if (!toolchain.ok) {
    process.stdout.write(`e2e: skipped: ${toolchain.missing}\n`);
    return 0;
  }
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'vpce-e2e-'));
  const endpointOption = values.endpoint ?? process.env.VPCE_E2E_ENDPOINT;
  const fakes: FakeAws[] = [];
  const endpointFor = async (name: string): Promise<string> => {
    if (endpointOption) return endpointOption;
    const fake = await FakeAws.start({ stateFile: join(work, `${name}-world.json`) });
    fakes.push(fake);
    return fake.url;
  };
  // On a terminal, one redrawn line on stderr says which terraform commands are running.
  let line = progress('e2e');
  const say = (text: string) => {
    line.done();
    process.stdout.write(text);
    line = progress('e2e');
  };
  const runner = new TerraformRunner({
    onRunning: (running) => line.update(running.length === 0 ? 'checking' : `terraform: ${running.join(', ')}`),
    terraform: toolchain.terraform,
    cliConfig: writeCliConfig(join(work, 'terraform.rc'), toolchain.mirror),
    pluginCache: join(work, 'plugin-cache'),
  });
  mkdirSync(join(work, 'plugin-cache'));
  line.update('filling the plugin cache from the mirror');
  await warmPluginCache(runner, join(work, 'plugin-cache-warmup'), toolchain.mirror.awsVersion);

  /** A flow's target, with its configuration at the start (the least-privilege replay's documents). */
  const makeTarget = async (
    label: string,
    name: string,
    operatorAccount: string,
    write: (project: E2eProject) => void,
  ) => {
    const endpoint = await endpointFor(name);
    const client = new AwsEndpointClient(endpoint);
    const project = new E2eProject(join(work, name));
    write(project);
    const target: E2eTarget = {
      label,
      project,
      client,
      isFake: await client.isFake(),
      deployment: new Deployment(project, runner, { operatorAccount, group: name }),
      seeded: [],
      startConfig: loadConfig(project.configDir),
      roleUpdates: [],
    };
    return { target, endpoint };
  };

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    // Every flow's calls are checked against the documents of its configuration at the start: the
    // test flow adds, retires and removes an account; the profile and endpoints flows switch modes.
    const test = await makeTarget('test config', 'test', E2E_HUB_ACCOUNT, (p) =>
      p.writeConfig(E2E_HUB_YAML, accountsYaml(E2E_ACCOUNTS)),
    );
    // The change matrix (docs/operations.md, "What each change does") on a deployment of its own.
    const changes = await makeTarget('change matrix', 'changes', E2E_HUB_ACCOUNT, (p) =>
      p.writeConfig(E2E_HUB_YAML, accountsYaml(E2E_ACCOUNTS)),
    );
    // Synthesized and validated only (never applied): the broken-synth scenario edits copies of its stacks.
    const harness = await makeTarget('harness', 'harness', E2E_HUB_ACCOUNT, (p) =>
      p.writeConfig(E2E_HUB_YAML, accountsYaml(E2E_ACCOUNTS)),
    );
    const example = await makeTarget('example config', 'example', '111111111111', (p) => {
      copyFileSync(join(ROOT, 'config', 'hub.yaml'), join(p.configDir, 'hub.yaml'));
      copyFileSync(join(ROOT, 'config', 'accounts.yaml'), join(p.configDir, 'accounts.yaml'));
    });
    const profile = await makeTarget('profile config', 'profile', E2E_HUB_ACCOUNT, (p) =>
      p.writeConfig(profileHubYaml('profile', 'off'), accountsYaml(E2E_PROFILE_ACCOUNTS)),
    );
    // The endpoints flow: three deployments side by side, each with its own fake.
    const endpointsPart = (part: EndpointsPart, label: string, name: string) =>
      makeTarget(label, name, E2E_HUB_ACCOUNT, (p) => writeFirstConfig(p, part));
    const endpoints = await endpointsPart('endpoints', 'endpoints config', 'endpoints');
    const migration = await endpointsPart('migration', 'endpoints migration', 'endpoints-migration');
    const fromAssociations = await endpointsPart(
      'from-associations',
      'endpoints from associations',
      'endpoints-from-associations',
    );
    // npm run discover writes this flow's accounts.yaml from the fake's organization.
    const discovered = await makeTarget('discover', 'discover', E2E_HUB_ACCOUNT, (p) =>
      p.writeConfig(DISCOVER_HUB_YAML, DISCOVER_ACCOUNTS_YAML),
    );
    const mirror = toolchain.mirror;
    say(
      `vpce-hub e2e: terraform ${toolchain.terraformVersion}; provider hashicorp/aws ${mirror.awsVersion} from the mirror ${mirror.path} ` +
        `(the project pins ${pinnedAwsVersion()} for users; an override file pins the mirror's version here); ` +
        `AWS APIs: ${test.target.isFake ? 'the local fake' : test.endpoint}; work folder ${work}\n`,
    );
    // The configurations run side by side: one flow's Route 53 change waits overlap another's terraform CPU.
    const flows: Array<{ name: FlowName; target: E2eTarget; scenarios: Scenario[] }> = [
      {
        name: 'test',
        target: test.target,
        scenarios: testConfigScenarios(test.target, { mirror, endpoint: test.endpoint }),
      },
      {
        name: 'changes',
        target: changes.target,
        scenarios: changeMatrixScenarios(changes.target, { mirror, endpoint: changes.endpoint }),
      },
      {
        name: 'harness',
        target: harness.target,
        scenarios: [brokenSynthScenario(harness.target, { mirror, endpoint: harness.endpoint }, work)],
      },
      {
        name: 'example',
        target: example.target,
        scenarios: exampleConfigScenarios(example.target, { mirror, endpoint: example.endpoint }),
      },
      {
        name: 'profile',
        target: profile.target,
        scenarios: profileConfigScenarios(profile.target, { mirror, endpoint: profile.endpoint }),
      },
      {
        name: 'endpoints',
        target: endpoints.target,
        scenarios: endpointsConfigScenarios(endpoints.target, { mirror, endpoint: endpoints.endpoint }),
      },
      {
        name: 'endpoints',
        target: migration.target,
        scenarios: migrationScenarios(migration.target, { mirror, endpoint: migration.endpoint }),
      },
      {
        name: 'endpoints',
        target: fromAssociations.target,
        scenarios: fromAssociationsScenarios(fromAssociations.target, {
          mirror,
          endpoint: fromAssociations.endpoint,
        }),
      },
      {
        name: 'discover',
        target: discovered.target,
        scenarios: discoverScenarios(discovered.target, { mirror, endpoint: discovered.endpoint }),
      },
    ];
    const selected = flows.filter((flow) => !wantedFlows || wantedFlows.includes(flow.name));
    let number = 0;
    const numbered = selected.map((flow) => ({
      ...flow,
      scenarios: flow.scenarios.map((scenario) => ({ scenario, number: ++number })),
    }));
    const runFlow = async (flow: {
      target: E2eTarget;
      scenarios: ReadonlyArray<{ scenario: Scenario; number: number }>;
    }) => {
      for (const { scenario, number: n } of flow.scenarios) {
        const label = `${String(n).padStart(2)} ${scenario.name}`;
        const wanted = !values.only || scenario.name.includes(values.only) || /deploy|destroy/.test(scenario.name);
        if (!wanted || (scenario.needsFake && !flow.target.isFake)) {
          skipped += 1;
          say(`skip ${label}${wanted ? ': needs the vpce-hub fake' : ''}\n`);
          continue;
        }
        const t0 = performance.now();
        try {
          const detail = await scenario.run();
          passed += 1;
          say(`ok   ${label} (${formatSeconds((performance.now() - t0) / 1000)}): ${detail}\n`);
        } catch (error) {
          failed += 1;
          const message = error instanceof Error ? error.message : String(error);
          say(
            `FAIL ${label} (${formatSeconds((performance.now() - t0) / 1000)}):\n${message.replace(/^/gm, '       ')}\n`,
          );
        }
      }
    };
    await Promise.all(numbered.map(runFlow));
    // After every flow: the generated IAM policies against every call of every run.
    if (!wantedFlows) {
      await runFlow({
        target: test.target,
        scenarios: [
          {
            scenario: leastPrivilegeScenario([
              test.target,
              changes.target,
              example.target,
              profile.target,
              endpoints.target,
              migration.target,
              fromAssociations.target,
              discovered.target,
            ]),
            number: ++number,
          },
        ],
      });
    }
  } finally {
    line.done();
    await Promise.all(fakes.map((fake) => fake.close()));
  }
  process.stdout.write(`\nterraform time per stack (seconds; show is plan -json):\n${timingsTable(runner.runs)}\n`);
  const keep = values.keep || failed > 0;
  if (keep) process.stdout.write(`work folder kept: ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
  process.stdout.write(
    `\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''} (${formatSeconds((performance.now() - started) / 1000)})\n`,
  );
  return failed > 0 ? 1 : 0;
}

if (require.main === module) runMain('e2e', main);
