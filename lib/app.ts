/**
 * Builds every stack of a configuration into a cdktf app.
 */
import type { App } from 'cdktf';
import type { VpceConfig } from './config/schema';
import { HubStack } from './stacks/hub-stack';
import { SpokeStack } from './stacks/spoke-stack';

/** The stacks built for one configuration. */
export interface VpceStacks {
  readonly hub: HubStack;
  /** By account ID, in `accounts.yaml` order. */
  readonly spokes: ReadonlyMap<string, SpokeStack>;
}

/** Adds the hub stack and one spoke stack per consumer account to `app`. */
export function buildStacks(app: App, config: VpceConfig): VpceStacks {
  const hub = new HubStack(app, { config });
  const spokes = new Map(config.accounts.map((account) => [account.id, new SpokeStack(app, { config, account })]));
  return { hub, spokes };
}
