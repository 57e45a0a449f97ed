/**
 * Builds every stack of a configuration into a cdktf app.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App, TerraformStack } from 'cdktf';
import type { VpceConfig } from './config/schema';
import { HubStack } from './stacks/hub-stack';
import { SpokeStack } from './stacks/spoke-stack';
import { TfcWorkspacesStack } from './stacks/tfc-workspaces-stack';

/** The stacks built for one configuration. */
export interface VpceStacks {
  readonly hub: HubStack;
  /** By account ID, in `accounts.yaml` order. */
  readonly spokes: ReadonlyMap<string, SpokeStack>;
  /** The Terraform Cloud bootstrap stack, with `state.backend: cloud` and `manageWorkspaces: true`. */
  readonly tfcWorkspaces?: TfcWorkspacesStack;
  /** Every stack above. */
  readonly all: readonly TerraformStack[];
}

/** Adds the hub stack, one spoke stack per consumer account and, if asked for, the workspace stack. */
export function buildStacks(app: App, config: VpceConfig): VpceStacks {
  const hub = new HubStack(app, { config });
  const spokes = new Map(config.accounts.map((account) => [account.id, new SpokeStack(app, { config, account })]));
  const tfcWorkspaces =
    config.state.backend === 'cloud' && config.state.manageWorkspaces ? new TfcWorkspacesStack(app, { config }) : undefined;
  return { hub, spokes, tfcWorkspaces, all: [hub, ...spokes.values(), ...(tfcWorkspaces ? [tfcWorkspaces] : [])] };
}

/**
 * Removes the folders in `<outdir>/stacks/` of stacks that no longer exist (a removed account), so
 * nobody deploys an old one by mistake. Current stacks keep their folders and `.terraform` caches.
 */
export function removeStaleStackFolders(outdir: string, stacks: readonly TerraformStack[]): void {
  const current = new Set(stacks.map((stack) => stack.node.id));
  const dir = join(outdir, 'stacks');
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!current.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
