/**
 * Test helpers: configurations from YAML text, problems of invalid ones, and synthesized stacks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type TerraformStack, Testing } from '../../lib/framework/cdktf';
import { buildStacks } from '../../lib/stacks/build-stacks';
import { validateFiles } from '../../lib/config/load';
import { ConfigError, type Problem } from '../../lib/config/problems';
import type { VpceConfig } from '../../lib/config/schema';
import { YamlFile } from '../../lib/config/yaml-file';
import { tempDir } from './temp';

/** The project's own example configuration. */
export const EXAMPLE_DIR = join(__dirname, '..', '..', 'config');

/** A valid hub.yaml with every option; tests edit it with {@link edit}. */
export const HUB_YAML = `hub:
  accountId: "111111111111"
  region: ap-northeast-1
  vpcId: vpc-0a1b2c3d4e5f60718
  subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69780]
  allowedCidrs: [10.0.0.0/8]
  roleArn: arn:aws:iam::111111111111:role/vpce-hub-deployer
services: [ecr.api, ecr.dkr, s3, logs]
ecr:
  dkrRecords: per-account
  registryAccounts: ["222222222222"]
spokes:
  roleName: vpce-spoke-deployer
state:
  backend: local
tags: { Project: vpce-hub }
`;

/** hub.yaml (by default {@link HUB_YAML}) with a `sharing` block (its indented lines). */
export const withSharing = (sharing: string, hub = HUB_YAML): string => `${hub}sharing:\n${sharing}`;

/** Three accounts: one with a leading zero, one with two VPCs. */
export const ACCOUNTS_YAML = `accounts:
  - id: "123456789012"
    name: payments-prod
    vpcIds: [vpc-0123456789abcdef0]
  - id: "012345678901"
    name: data-platform
    vpcIds: [vpc-0fedcba9876543210, vpc-0aaaabbbbccccdddd]
  - id: "333333333333"
    vpcIds: [vpc-0123abcd4567ef890]
`;

/** Replaces `from` (which must occur) with `to`. */
export function edit(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`test setup: ${String(from)} not found`);
  return text.replace(from, to);
}

/** Validates YAML texts as config/hub.yaml and config/accounts.yaml. */
export function configFrom(hub = HUB_YAML, accounts = ACCOUNTS_YAML): VpceConfig {
  return validateFiles(YamlFile.parse(hub, 'config/hub.yaml'), YamlFile.parse(accounts, 'config/accounts.yaml'));
}

/** The problems of an invalid configuration (fails the test if it is valid). */
export function problemsOf(hub = HUB_YAML, accounts = ACCOUNTS_YAML): Problem[] {
  try {
    configFrom(hub, accounts);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be invalid');
}

/**
 * Parsed synth output (a stack's Terraform JSON, a manifest) as the tests read it: they walk it path by path
 * (`json.resource.aws_vpc_endpoint.s3.policy`) and let `expect` check what they find.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary parsed JSON that tests walk freely; expect() checks the shape
export type ParsedJson = any;

/** Synthesized Terraform JSON of one stack, as text (for the cdktf matchers) and parsed. */
export interface Synthesized {
  readonly text: string;
  readonly json: ParsedJson;
}

/** A cdktf testing app whose output folder is removed after the test file (Testing.app() leaves one behind). */
export function testApp(): App {
  return Testing.app({ outdir: tempDir('cdktf-test') });
}

/** Synthesizes one stack. */
export function synthStack(stack: TerraformStack): Synthesized {
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) };
}

/** Every stack of a configuration, synthesized in one in-memory app. */
export function synthAll(config: VpceConfig): { hub: Synthesized; spokes: Map<string, Synthesized> } {
  const stacks = buildStacks(testApp(), config);
  return {
    hub: synthStack(stacks.hub),
    spokes: new Map([...stacks.spokes].map(([id, stack]) => [id, synthStack(stack)])),
  };
}

/** A full app synth into a new temporary folder, as `npm run synth` does; returns the folder. */
export function synthToFolder(config: VpceConfig): string {
  const outdir = tempDir('vpce-hub-out');
  const app = new App({ outdir });
  buildStacks(app, config);
  app.synth();
  return outdir;
}

/** The stacks a synth folder holds: name -> parsed cdk.tf.json. */
export function readSynthFolder(outdir: string): Map<string, ParsedJson> {
  return new Map(
    readdirSync(join(outdir, 'stacks')).map((name) => [
      name,
      JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')),
    ]),
  );
}
