/**
 * `npm run compat:cdktn`: the same app on CDK Terrain, the community fork of the archived CDK for
 * Terraform. In a temporary copy of the project it switches the framework seam (lib/framework/) to
 * `cdktn` and `@cdktn/provider-aws`, checks that nothing else imports the framework, type-checks the
 * copy, synthesizes every configuration below with both frameworks (Node 22 from the npm registry,
 * as CDK Terrain needs), and compares the Terraform JSON stack by stack: identical but for the
 * framework's metadata and the AWS provider's version constraint, every other difference listed with
 * why (KNOWN_DIFFERENCES), anything unexplained a failure.
 *
 * Installs once into a cache folder (`VPCE_COMPAT_CACHE`, else ~/.cache/vpce-hub/compat-cdktn) and
 * runs offline from it afterwards; the project's own node_modules serves everything else.
 * What it does not prove: that Terraform applies the cdktn output (the e2e's provider is the
 * mirror's 5.100.0), or the tfc-workspaces stack (CDK Terrain publishes no tfe provider package).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CommandLine, runMain } from '../../lib/commands/command-line';
import {
  accountsYaml,
  E2E_ACCOUNTS,
  E2E_HUB_YAML,
  E2E_PROFILE_ACCOUNTS,
  endpointsHubYaml,
  profileHubYaml,
} from '../e2e/fixtures';

const ROOT = resolve(__dirname, '..', '..');

/** The versions the check installs: CDK Terrain's framework and AWS provider, and the Node it needs. */
export const PINS = {
  node: '22.23.3',
  cdktn: '0.24.0',
  cdktnCli: '0.24.0',
  providerAws: '25.7.0',
  /** `@cdktn/provider-aws` 25.x wants constructs >= 10.6.0 < 10.8.0 (the project pins 10.4.2). */
  constructs: '10.7.0',
} as const;

export const USAGE = `usage: npm run compat:cdktn -- [--keep]

Synthesizes the example configuration and the test configurations in every sharing mode with cdktf
0.21.0 and with CDK Terrain (cdktn ${PINS.cdktn}, @cdktn/provider-aws ${PINS.providerAws}, Node ${PINS.node} from
the npm registry), in a temporary copy whose framework seam (lib/framework/) is switched, and compares
the Terraform JSON. Installs once into VPCE_COMPAT_CACHE (default ~/.cache/vpce-hub/compat-cdktn),
offline afterwards.

  --keep        keep the temporary copy and the synth outputs
  -h, --help    this text
Exit codes: 0 every configuration identical but the listed differences, 1 a difference that is not
explained, the seam bypassed, or a type error, 2 bad usage or nothing to install from.`;

/** A configuration the check synthesizes with both frameworks. */
interface Configuration {
  readonly name: string;
  readonly hub: string;
  readonly accounts: string;
}

function configurations(): Configuration[] {
  const example = (file: string) => readFileSync(join(ROOT, 'config', file), 'utf8');
  return [
    { name: 'example (config/)', hub: example('hub.yaml'), accounts: example('accounts.yaml') },
    { name: 'associations', hub: E2E_HUB_YAML, accounts: accountsYaml(E2E_ACCOUNTS) },
    { name: 'profile', hub: profileHubYaml('profile', 'off'), accounts: accountsYaml(E2E_PROFILE_ACCOUNTS) },
    {
      name: 'associations with transition: both',
      hub: profileHubYaml('associations', 'both'),
      accounts: accountsYaml(E2E_PROFILE_ACCOUNTS),
    },
    {
      name: 'profile with dns: endpoints',
      hub: endpointsHubYaml({ mode: 'profile', dns: 'endpoints' }),
      accounts: accountsYaml(E2E_PROFILE_ACCOUNTS),
    },
    {
      name: 's3 state, ecr.dkrRecords: wildcard',
      hub: E2E_HUB_YAML.replace('ecr:\n', 'ecr:\n  dkrRecords: wildcard\n').concat(
        'state:\n  backend: s3\n  bucket: vpce-hub-state-e2e\n  region: eu-west-1\n',
      ),
      accounts: accountsYaml(E2E_ACCOUNTS),
    },
    {
      name: 'Terraform Cloud state',
      hub: `${E2E_HUB_YAML}state:\n  backend: cloud\n  organization: acme\n`,
      accounts: accountsYaml(E2E_ACCOUNTS),
    },
  ];
}

/** A difference between the two outputs at one JSON path. */
interface Difference {
  readonly stack: string;
  readonly path: string;
  readonly cdktf: unknown;
  readonly cdktn: unknown;
}

/**
 * The differences the move brings by itself, each with why. Everything else is a failure: the
 * constructs must write the same Terraform whichever framework renders them.
 */
export const KNOWN_DIFFERENCES: ReadonlyArray<{ readonly name: string; readonly path: RegExp; readonly why: string }> =
  [
    {
      name: '//.metadata.version',
      path: /^\/\/\.metadata\.version$/,
      why: "the framework's version in its metadata (cdktf 0.21.0, cdktn 0.24.0)",
    },
    {
      name: 'terraform.required_providers.aws.source',
      path: /^terraform\.required_providers\.aws\.source$/,
      why: 'the provider source written in full ("hashicorp/aws" for cdktf\'s "aws"): Terraform reads both as registry.terraform.io/hashicorp/aws',
    },
    {
      name: 'terraform.required_providers.aws.version',
      path: /^terraform\.required_providers\.aws\.version$/,
      why: `the AWS provider each binding was generated from (@cdktf/provider-aws 21.22.1: 6.25.0; @cdktn/provider-aws ${PINS.providerAws}: its own 6.x)`,
    },
  ];

/** Every leaf of a JSON value, as `path -> value` (object keys joined by `.`, array items by `[i]`). */
function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, {});
    for (const [key, item] of entries) leaves(item, path === '' ? key : `${path}.${key}`, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** The differences between two synth outputs, stack by stack (a stack in one only is one too). */
export function compareOutputs(cdktfOut: string, cdktnOut: string): Difference[] {
  const stacks = (dir: string) => (existsSync(join(dir, 'stacks')) ? readdirSync(join(dir, 'stacks')).sort() : []);
  const read = (dir: string, stack: string) =>
    JSON.parse(readFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as unknown;
  const differences: Difference[] = [];
  for (const stack of new Set([...stacks(cdktfOut), ...stacks(cdktnOut)])) {
    const a = stacks(cdktfOut).includes(stack) ? leaves(read(cdktfOut, stack)) : new Map<string, unknown>();
    const b = stacks(cdktnOut).includes(stack) ? leaves(read(cdktnOut, stack)) : new Map<string, unknown>();
    for (const path of new Set([...a.keys(), ...b.keys()])) {
      if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) {
        differences.push({ stack, path, cdktf: a.get(path), cdktn: b.get(path) });
      }
    }
  }
  return differences;
}

/** Why a difference is expected, or undefined. */
export function explain(difference: Difference): string | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.path.test(difference.path))?.why;
}

/** The seam under CDK Terrain: each module's imports renamed (tfe: none is published). */
export function switchSeam(seam: string): void {
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(seam, file), change(readFileSync(join(seam, file), 'utf8')));
  edit('cdktf.ts', (t) => t.replace(/from 'cdktf'/g, "from 'cdktn'"));
  edit('aws.ts', (t) => t.replace(/'@cdktf\/provider-aws\/lib\//g, "'@cdktn/provider-aws/lib/"));
  edit('jest-matchers.ts', (t) => t.replace(/'cdktf\//g, "'cdktn/").replace(/from 'cdktf'/g, "from 'cdktn'"));
  // No @cdktn/provider-tfe is published: the tfc-workspaces stack needs bindings from `cdktn get`.
  edit('tfe.ts', (t) =>
    t.replace(
      /^export \{ (\w+) \} from '@cdktf\/provider-tfe\/lib\/[\w-]+';$/gm,
      (_, name: string) =>
        `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- no tfe binding under CDK Terrain yet\n` +
        `export const ${name}: any = class {\n  constructor() {\n    throw new Error('generate the tfe provider with cdktn get');\n  }\n};`,
    ),
  );
}

/** Files of the copy (outside the seam) that still import the framework: the seam bypassed. */
export function bypasses(copy: string): string[] {
  const framework = /^(?:(?:import|export|\})[^\n]*?\bfrom\s+|import\s+)'(?:cdktf|@cdktf\/)[^']*'/m;
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (['node_modules', 'cdktf.out', 'state', '.git'].includes(entry.name)) return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });
  return ['lib', 'main.ts']
    .flatMap((p) => (p.endsWith('.ts') ? [join(copy, p)] : walk(join(copy, p))))
    .filter((file) => !relative(copy, file).startsWith('lib/framework/'))
    .filter((file) => framework.test(readFileSync(file, 'utf8')));
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Installs CDK Terrain and Node 22 into the cache once; later runs find them there. */
function install(cache: string): { node: string; modules: string } {
  const modules = join(cache, 'node_modules');
  const node = join(modules, `node-${process.platform}-${process.arch}`, 'bin', 'node');
  const stamp = join(cache, 'installed.json');
  const wanted = JSON.stringify(PINS);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(node)) return { node, modules };
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{ "name": "vpce-hub-compat-cdktn", "private": true }\n');
  const result = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      `cdktn@${PINS.cdktn}`,
      `cdktn-cli@${PINS.cdktnCli}`,
      `@cdktn/provider-aws@${PINS.providerAws}`,
      `constructs@${PINS.constructs}`,
      `node-${process.platform}-${process.arch}@${PINS.node}`,
    ],
    { cwd: cache },
  );
  if (result.status !== 0) {
    throw new InstallError(`npm install in ${cache} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  }
  writeFileSync(stamp, wanted);
  return { node, modules };
}

class InstallError extends Error {}

/**
 * The copy's node_modules: the project's packages by symbolic link, CDK Terrain's and the newer
 * constructs from the cache (one constructs for the app and the framework, or no construct is a
 * Construct to the other).
 */
function linkModules(copy: string, cacheModules: string): void {
  const target = join(copy, 'node_modules');
  mkdirSync(target);
  const fromCache = new Set(['cdktn', 'cdktn-cli', '@cdktn', 'constructs']);
  const link = (from: string, name: string) => {
    mkdirSync(dirname(join(target, name)), { recursive: true });
    symlinkSync(from, join(target, name));
  };
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (fromCache.has(name)) continue;
    link(join(ROOT, 'node_modules', name), name);
  }
  for (const name of fromCache) link(join(cacheModules, name), name);
}

/** The project's files (tracked and untracked, not ignored) copied into `copy`. */
function copyProject(copy: string): void {
  const listed = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT });
  const files =
    listed.status === 0
      ? listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))
      : ['lib', 'main.ts', 'config', 'cdktf.json', 'package.json', 'tsconfig.json', '__tests__', 'test', 'bench'];
  for (const file of files) cpSync(join(ROOT, file), join(copy, file), { recursive: true });
}

/** Synthesizes `config` in `project` with `node`; the output folder, or the error text. */
function synthesize(node: string, project: string, config: Configuration, work: string, label: string) {
  const configDir = join(work, label, 'config');
  const outdir = join(work, label, 'out');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'hub.yaml'), config.hub);
  writeFileSync(join(configDir, 'accounts.yaml'), config.accounts);
  const result = run(node, ['--import', 'tsx', 'main.ts'], {
    cwd: project,
    env: { VPCE_CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir, VPCE_STATE_DIR: join(work, label, 'state') },
  });
  return result.status === 0 ? { outdir } : { error: `${result.stderr}${result.stdout}`.trim().slice(-2000) };
}

export async function main(argv: string[]): Promise<number> {
  const command = new CommandLine('compat:cdktn', USAGE);
  const values = command.parse(argv, { keep: { type: 'boolean', default: false } });
  if (typeof values === 'number') return values;
  const say = (text: string) => process.stdout.write(`${text}\n`);
  const cache = process.env.VPCE_COMPAT_CACHE ?? join(homedir(), '.cache', 'vpce-hub', 'compat-cdktn');
  let installed;
  try {
    installed = install(cache);
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    process.stderr.write(`compat:cdktn: ${error.message}\n`);
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'vpce-compat-cdktn-'));
  const copy = join(work, 'project');
  let passed = 0;
  let failed = 0;
  try {
    mkdirSync(copy);
    copyProject(copy);
    linkModules(copy, installed.modules);
    switchSeam(join(copy, 'lib', 'framework'));
    const version = run(installed.node, ['--version'], { cwd: copy }).stdout.trim();
    say(
      `compat:cdktn: Node ${version}; cdktf 0.21.0 beside cdktn ${PINS.cdktn}, @cdktn/provider-aws ${PINS.providerAws}`,
    );

    const bypassed = bypasses(copy);
    if (bypassed.length > 0) {
      failed += 1;
      say(
        `FAIL the seam: ${bypassed.map((f) => relative(copy, f)).join(', ')} import the framework outside lib/framework/`,
      );
    } else {
      passed += 1;
      say('ok   the seam: only lib/framework/ imports the framework; switched to cdktn');
    }
    const tsc = run(installed.node, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'], {
      cwd: copy,
    });
    if (tsc.status === 0) {
      passed += 1;
      say('ok   type-check: tsc --noEmit on the switched copy');
    } else {
      failed += 1;
      say(`FAIL type-check:\n${tsc.stdout.trim().slice(0, 4000)}`);
    }
    const cli = run(installed.node, [join(installed.modules, 'cdktn-cli', 'bin', 'cdktn'), '--version'], {
      cwd: copy,
    });
    // The CLI logs Terraform's own warnings to stdout too: its version is the line that is one.
    const cliVersion = cli.stdout.split('\n').find((line) => /^\d+\.\d+\.\d+$/.test(line.trim()));
    if (cli.status === 0 && cliVersion?.trim() === PINS.cdktnCli) {
      passed += 1;
      say(`ok   cdktn-cli ${PINS.cdktnCli} runs on Node ${version}`);
    } else {
      failed += 1;
      say(`FAIL cdktn-cli --version: exit ${cli.status}: ${cli.stderr.trim().split('\n')[0] ?? ''}`);
    }
    say('     differences the move brings by itself (listed, not failures):');
    for (const known of KNOWN_DIFFERENCES) say(`       ${known.name}: ${known.why}`);

    for (const [i, config] of configurations().entries()) {
      const a = synthesize(installed.node, ROOT, config, work, `${i}-cdktf`);
      const b = synthesize(installed.node, copy, config, work, `${i}-cdktn`);
      if ('error' in a || 'error' in b) {
        failed += 1;
        say(
          `FAIL ${config.name}: synth failed\n${'error' in a ? `cdktf: ${a.error}\n` : ''}${'error' in b ? `cdktn: ${b.error}` : ''}`,
        );
        continue;
      }
      const differences = compareOutputs(a.outdir, b.outdir);
      const unexplained = differences.filter((d) => explain(d) === undefined);
      const stacks = readdirSync(join(a.outdir, 'stacks')).length;
      if (unexplained.length === 0) {
        passed += 1;
        const byPath = new Map<string, number>();
        for (const d of differences) byPath.set(d.path, (byPath.get(d.path) ?? 0) + 1);
        const listed = [...byPath].map(([path, n]) => `${path} x${n}`).join(', ');
        say(
          `ok   ${config.name}: ${stacks} stacks identical but the listed differences${listed ? ` (${listed})` : ''}`,
        );
      } else {
        failed += 1;
        say(`FAIL ${config.name}: ${unexplained.length} unexplained differences:`);
        for (const d of unexplained.slice(0, 20)) {
          say(`       ${d.stack} ${d.path}: cdktf ${JSON.stringify(d.cdktf)}, cdktn ${JSON.stringify(d.cdktn)}`);
        }
      }
    }
  } finally {
    if (values.keep || failed > 0) say(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  say(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) runMain('compat:cdktn', main);
