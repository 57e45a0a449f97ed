/**
 * Running the real Terraform CLI offline: finding the binary and the AWS provider mirror, and running
 * one command in one stack folder, with an error that names the stack and quotes Terraform.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Where the AWS provider comes from: a filesystem mirror holding `registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`. */
export interface ProviderMirror {
  /** The mirror folder (the one that holds `registry.terraform.io`). */
  readonly path: string;
  /** The newest hashicorp/aws version in it, e.g. `5.100.0`. */
  readonly awsVersion: string;
}

/** What the e2e needs from the machine, or why it cannot run. */
export type Toolchain =
  | {
      readonly ok: true;
      readonly terraform: string;
      readonly terraformVersion: string;
      readonly mirror: ProviderMirror;
    }
  | { readonly ok: false; readonly missing: string };

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const PLATFORM = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The hashicorp/aws versions a mirror folder holds for this platform, newest first. */
export function mirrorAwsVersions(mirror: string): string[] {
  const dir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((version) => /^\d+\.\d+\.\d+$/.test(version) && existsSync(join(dir, version, PLATFORM)))
    .sort(compareVersions)
    .reverse();
}

/** Candidate mirror folders: `VPCE_TF_MIRROR`, else every `/*\/*\/registry.terraform.io`'s parent. */
function mirrorCandidates(env: NodeJS.ProcessEnv): string[] {
  if (env.VPCE_TF_MIRROR) return [resolve(env.VPCE_TF_MIRROR)];
  const found: string[] = [];
  for (const top of safeList('/')) {
    for (const second of safeList(join('/', top))) {
      const candidate = join('/', top, second);
      if (existsSync(join(candidate, 'registry.terraform.io'))) found.push(candidate);
    }
  }
  return found;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Finds terraform (`TERRAFORM`, else on PATH) and the provider mirror; says what is missing. */
export function findToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const terraform = env.TERRAFORM || 'terraform';
  const probe = spawnSync(terraform, ['version', '-json'], {
    encoding: 'utf8',
    env: { ...env, CHECKPOINT_DISABLE: '1' },
  });
  if (probe.error || probe.status !== 0) {
    return {
      ok: false,
      missing:
        `terraform not found (${env.TERRAFORM ? `TERRAFORM=${env.TERRAFORM}` : 'not on PATH'}): ` +
        'install Terraform >= 1.10 or set TERRAFORM=/path/to/terraform',
    };
  }
  const terraformVersion = String(
    (JSON.parse(probe.stdout) as { terraform_version?: string }).terraform_version ?? '0',
  );
  if (compareVersions(terraformVersion, '1.10.0') < 0) {
    return {
      ok: false,
      missing: `terraform ${terraformVersion} is too old: the e2e needs >= 1.10 (set TERRAFORM=/path/to/terraform)`,
    };
  }
  for (const path of mirrorCandidates(env)) {
    const [awsVersion] = mirrorAwsVersions(path);
    if (awsVersion) return { ok: true, terraform, terraformVersion, mirror: { path, awsVersion } };
  }
  return {
    ok: false,
    missing:
      `no hashicorp/aws provider mirror for ${PLATFORM} ` +
      `(${env.VPCE_TF_MIRROR ? `VPCE_TF_MIRROR=${env.VPCE_TF_MIRROR}` : 'none found at /*/*/registry.terraform.io'}): ` +
      `set VPCE_TF_MIRROR to a folder holding registry.terraform.io/hashicorp/aws/<version>/${PLATFORM}/`,
  };
}

/**
 * Writes a Terraform CLI config that installs hashicorp/aws from the mirror only; returns its path.
 *
 * `plugin_cache_may_break_dependency_lock_file`: since Terraform 1.4 a stack folder without a
 * `.terraform.lock.hcl` entry does not trust the plugin cache and installs the provider into it again.
 * Synthesized stack folders have no lock file, so every init re-installed the 700 MB package into the
 * shared cache, and two inits doing so at once failed with "after installing registry.terraform.io/
 * hashicorp/aws it is still not detected in .terraform/providers". With this setting an init whose
 * package is already cached only links it. The cache holds nothing but the mirror's package (filled by
 * {@link warmPluginCache}), so the checksums written to the lock files are the mirror's own.
 */
export function writeCliConfig(file: string, mirror: ProviderMirror): string {
  writeFileSync(
    file,
    [
      'plugin_cache_may_break_dependency_lock_file = true',
      '',
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror.path)}`,
      `    include = ["registry.terraform.io/hashicorp/aws"]`,
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

/** A Terraform command that failed: names the stack and quotes Terraform's error. */
export class TerraformError extends Error {
  constructor(
    readonly stack: string,
    readonly command: string,
    readonly exitCode: number | null,
    /** Terraform's `Error:` blocks (or the tail of its output when it printed none). */
    readonly terraformError: string,
  ) {
    super(
      `stack ${stack}: terraform ${command} failed (exit ${exitCode}):\n${terraformError.replace(/^/gm, '    | ')}`,
    );
    this.name = 'TerraformError';
  }
}

/** The `Error: ...` blocks of Terraform's output (run with -no-color), or its last lines. */
export function terraformErrors(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^[│╷╵]\s?/, ''));
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('Error: ')) continue;
    const block = [lines[i]];
    for (
      let j = i + 1;
      j < lines.length && !lines[j].startsWith('Error: ') && !/^[╵]/.test(output.split('\n')[j] ?? '');
      j++
    ) {
      block.push(lines[j]);
    }
    blocks.push(block.join('\n').trim());
  }
  if (blocks.length > 0) return blocks.join('\n\n');
  return lines
    .filter((l) => l.trim() !== '')
    .slice(-15)
    .join('\n');
}

/** One finished command. */
export interface TerraformRun {
  /** Which configuration's stack (`test`, `example`, ...), for the timings table. */
  readonly group?: string;
  readonly stack: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** The largest resident set of terraform or its provider, when the runner measures memory. */
  readonly peakMegabytes?: number;
}

/** How to run terraform in the stack folders of one synth output. */
export interface TerraformRunnerOptions {
  readonly terraform: string;
  /** The CLI config that points at the mirror. */
  readonly cliConfig: string;
  /** The shared plugin cache: the 700 MB provider is linked, never copied. */
  readonly pluginCache: string;
  /** Environment for every command (credentials, endpoints). */
  readonly env?: NodeJS.ProcessEnv;
  /** Called whenever a command starts or ends, with the commands running (`test: hub apply`). */
  readonly onRunning?: (running: readonly string[]) => void;
  /**
   * Measure each command's peak memory with GNU time (`/usr/bin/time`: the largest resident set of
   * terraform and the provider it waits for). Nothing is measured where it is missing.
   */
  readonly measureMemory?: boolean;
}

/**
 * Fills the shared plugin cache with the mirror's provider, once, before stacks are initialized side
 * by side: Terraform's plugin cache is not safe for concurrent installs (two inits racing on an empty
 * cache leave one with "there is no package ... cached in .terraform/providers"). Once the package is
 * cached, inits only link it (with the CLI config of {@link writeCliConfig}), which is safe in parallel.
 */
export async function warmPluginCache(runner: TerraformRunner, dir: string, awsVersion: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'providers.tf.json'),
    JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: awsVersion } } } }),
  );
  await runner.run('plugin cache', dir, ['init', '-input=false', '-backend=false'], { label: 'init' });
}

/** GNU time, where the machine has it. */
const GNU_TIME = '/usr/bin/time';

/** Runs terraform commands, asynchronously (a fake in this process keeps answering meanwhile). */
export class TerraformRunner {
  /** Every command run so far, for the timings table. */
  readonly runs: TerraformRun[] = [];
  private readonly running: string[] = [];

  constructor(private readonly options: TerraformRunnerOptions) {}

  /**
   * Runs `terraform <args>` in `dir` (the folder of stack `stack`); throws {@link TerraformError}
   * unless the exit code is one of `okCodes`.
   */
  run(
    stack: string,
    dir: string,
    args: string[],
    options: { okCodes?: number[]; env?: NodeJS.ProcessEnv; group?: string; executable?: string; label?: string } = {},
  ): Promise<TerraformRun> {
    const okCodes = options.okCodes ?? [0];
    const env = {
      ...process.env,
      ...this.options.env,
      ...options.env,
      TF_CLI_CONFIG_FILE: this.options.cliConfig,
      TF_PLUGIN_CACHE_DIR: this.options.pluginCache,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };
    const started = performance.now();
    const command0 = options.label ?? args[0];
    const label = `${options.group ? `${options.group}: ` : ''}${stack} ${command0}`;
    this.running.push(label);
    this.options.onRunning?.([...this.running]);
    const executable = options.executable ?? this.options.terraform;
    const terraformArgs = options.executable
      ? args
      : [...args, ...(args[0] === 'show' || args[0] === 'output' ? [] : ['-no-color'])];
    const memoryFile =
      this.options.measureMemory && existsSync(GNU_TIME)
        ? join(dir, `.peak-memory-${process.pid}-${this.runs.length}`)
        : undefined;
    const [command, commandArgs] = memoryFile
      ? [GNU_TIME, ['-f', '%M', '-o', memoryFile, executable, ...terraformArgs]]
      : [executable, terraformArgs];
    return new Promise((resolvePromise, reject) => {
      const child = spawn(command, commandArgs, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => {
        this.running.splice(this.running.indexOf(label), 1);
        this.options.onRunning?.([...this.running]);
        const peakKilobytes =
          memoryFile && existsSync(memoryFile)
            ? Number(readFileSync(memoryFile, 'utf8').trim().split('\n').pop())
            : NaN;
        if (memoryFile) rmSync(memoryFile, { force: true });
        const run: TerraformRun = {
          group: options.group,
          stack,
          command: command0,
          exitCode,
          stdout,
          stderr,
          seconds: (performance.now() - started) / 1000,
          ...(Number.isFinite(peakKilobytes) ? { peakMegabytes: peakKilobytes / 1024 } : {}),
        };
        this.runs.push(run);
        if (exitCode !== null && okCodes.includes(exitCode)) resolvePromise(run);
        else {
          reject(
            new TerraformError(
              stack,
              `${options.executable ? `${command0} ` : ''}${args.join(' ')}`,
              exitCode,
              terraformErrors(`${stderr}\n${stdout}`),
            ),
          );
        }
      });
    });
  }
}
