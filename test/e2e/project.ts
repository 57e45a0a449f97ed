/**
 * A project-shaped temporary folder for one e2e configuration: `config/`, `cdktf.out/` (the synth
 * output, with the e2e's override file in each stack folder) and `state/` (local state), laid out as
 * in a checkout, so the stacks' relative state paths resolve as they do for users.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runApp } from '../../lib/synth/run-app';
import type { ProviderMirror } from './terraform';

const ROOT = resolve(__dirname, '..', '..');

/** The file the e2e adds to each stack folder; Terraform merges `*_override.tf.json` into the stack. */
export const OVERRIDE_FILE = 'vpce_e2e_override.tf.json';

/** A parsed cdk.tf.json, as the harness reads and edits it: resources by type and name, each a JSON object. */
export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
  moved?: unknown[];
  [block: string]: unknown;
}

/** A synth or config problem of the e2e's own making. */
export class E2eSetupError extends Error {}

/** One configuration's project folder. */
export class E2eProject {
  readonly configDir: string;
  readonly outdir: string;

  constructor(
    /** The project folder. */
    readonly dir: string,
  ) {
    this.configDir = join(dir, 'config');
    this.outdir = join(dir, 'cdktf.out');
    mkdirSync(this.configDir, { recursive: true });
    mkdirSync(join(dir, 'state'), { recursive: true });
  }

  /** Writes hub.yaml and accounts.yaml. */
  writeConfig(hubYaml: string, accountsYaml: string): void {
    writeFileSync(join(this.configDir, 'hub.yaml'), hubYaml);
    writeFileSync(join(this.configDir, 'accounts.yaml'), accountsYaml);
  }

  /** The current accounts.yaml text. */
  readAccounts(): string {
    return readFileSync(join(this.configDir, 'accounts.yaml'), 'utf8');
  }

  /** Where this project's local state lives. */
  get stateDir(): string {
    return join(this.dir, 'state');
  }

  /** Synthesizes the configuration the way `npm run synth` does, into this project's cdktf.out. */
  synth(): void {
    const result = this.trySynth();
    if (result.status !== 0) throw new E2eSetupError(`synth failed (exit ${result.status}):\n${result.stderr}`);
  }

  /** Synthesizes, and returns the exit code and output instead of throwing (for the refusals). */
  trySynth(): { status: number | null; stderr: string } {
    const result = runApp({
      cwd: ROOT,
      outdir: this.outdir,
      env: { VPCE_CONFIG_DIR: this.configDir, VPCE_STATE_DIR: this.stateDir },
    });
    return { status: result.status, stderr: result.stderr };
  }

  /** Edits hub.yaml. */
  editHub(edit: (text: string) => string): void {
    const file = join(this.configDir, 'hub.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  }

  /** The stacks of the last synth, from its manifest. */
  stacks(): string[] {
    const manifest = JSON.parse(readFileSync(join(this.outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, unknown>;
    };
    return Object.keys(manifest.stacks);
  }

  /** The folder Terraform runs a stack in. */
  stackDir(stack: string): string {
    return join(this.outdir, 'stacks', stack);
  }

  /** The parsed cdk.tf.json of a stack. */
  stackJson(stack: string): StackJson {
    return JSON.parse(readFileSync(join(this.stackDir(stack), 'cdk.tf.json'), 'utf8')) as StackJson;
  }

  /** Rewrites a stack's cdk.tf.json (a hand edit, for the scenarios that need a broken or edited stack). */
  writeStackJson(stack: string, json: unknown): void {
    writeFileSync(join(this.stackDir(stack), 'cdk.tf.json'), `${JSON.stringify(json, null, 2)}\n`);
  }

  /**
   * Writes the e2e override into every stack folder: the mirror's provider version instead of the
   * pinned one, and every AWS API of the provider pointed at `endpoint`.
   */
  writeOverrides(mirror: ProviderMirror, endpoint: string): void {
    for (const stack of this.stacks()) {
      const json = this.stackJson(stack);
      if (!json.provider?.aws) continue;
      const override = {
        '//': 'vpce-hub e2e: provider from the local mirror, AWS APIs from the local fake. Not part of the synth output.',
        terraform: { required_providers: { aws: { source: 'aws', version: mirror.awsVersion } } },
        provider: {
          aws: [
            {
              endpoints: [
                { sts: endpoint, ec2: endpoint, route53: endpoint, route53profiles: endpoint, ram: endpoint },
              ],
              skip_metadata_api_check: true,
              skip_region_validation: true,
            },
          ],
        },
      };
      writeFileSync(join(this.stackDir(stack), OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
    }
  }
}
