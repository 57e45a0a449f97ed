/**
 * Builds every stack of a configuration into a cdktf app.
 */
import type { App, TerraformStack } from '../framework/cdktf';
import type { VpceConfig } from '../config/schema';
import type { StateLayout } from '../state/backends';
import { HubStack } from './hub-stack';
import { SpokeStack } from './spoke-stack';
import { TfcWorkspacesStack } from './tfc-workspaces-stack';

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

/**
 * Adds the hub stack, one spoke stack per consumer account and, if asked for, the workspace stack.
 * `stateLayout` says where the output will be and where local state lives (default: from the
 * environment), for the relative local state paths.
 */
export function buildStacks(app: App, config: VpceConfig, stateLayout?: StateLayout): VpceStacks {
  const hub = new HubStack(app, { config, stateLayout });
  const spokes = new Map(
    config.accounts.map((account) => [account.id, new SpokeStack(app, { config, account, stateLayout })]),
  );
  const tfcWorkspaces =
    config.state.backend === 'cloud' && config.state.manageWorkspaces
      ? new TfcWorkspacesStack(app, { config, stateLayout })
      : undefined;
  return { hub, spokes, tfcWorkspaces, all: [hub, ...spokes.values(), ...(tfcWorkspaces ? [tfcWorkspaces] : [])] };
}
