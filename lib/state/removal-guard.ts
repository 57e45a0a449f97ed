/**
 * The local guard: with local state, synth refuses a configuration that would break what the state
 * files hold (the rules and their advice: `unsafe-changes.ts`, shared with `npm run affected`), and
 * state files left at the first release's locations when the configuration keeps its state under a
 * scope (synth would start from empty state and create everything a second time).
 *
 * Remote backends (s3, cloud) are not read here; `npm run affected` and the apply workflow guard them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { VpceConfig } from '../config/schema';
import { accountOfSpokeStack, HUB_STACK, spokeStackName } from '../stack-names';
import { localStateFile, type StateLocation } from './backends';
import { holdingsFromState, type StackHoldings } from './stack-holdings';
import { dnsSwitchWindows, intendedFromConfig, unsafeChanges } from './unsafe-changes';

/** A change the guard refuses, with what to do. */
export class UnsafeRemovalError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(
      [
        `vpce-hub: ${reasons.length === 1 ? 'a change' : `${reasons.length} changes`} would break what the state ` +
          'still holds; nothing was synthesized.',
        ...reasons.map((r) => `  ${r}`),
      ].join('\n'),
    );
    this.name = 'UnsafeRemovalError';
  }
}

const TFSTATE = '.tfstate';

/** The reasons to refuse a synth of `config`, from its local state files (none for other backends). */
export function unsafeRemovals(config: VpceConfig, location: StateLocation): string[] {
  if (config.state.backend !== 'local') return [];
  const cwd = process.cwd();
  const show = (file: string) => relative(cwd, file) || file;
  const dir = join(location.layout.stateDir, location.scope);
  const reasons: string[] = [];

  if (location.scope !== '') {
    const stacks = [HUB_STACK, ...config.accounts.map((a) => spokeStackName(a.id))];
    const stranded = stacks.filter((stack) => {
      const old = join(location.layout.stateDir, `${stack}${TFSTATE}`);
      return existsSync(old) && (holdingsFromState(old)?.instances ?? 0) > 0 && !existsSync(localStateFile(location, stack));
    });
    if (stranded.length > 0) {
      const first = show(join(location.layout.stateDir, `${stranded[0]}${TFSTATE}`));
      const more = stranded.length > 1 ? ` (and ${stranded.length - 1} more)` : '';
      reasons.push(
        `${first}${more} is state at the first release's location; this configuration keeps its state in ` +
          `${show(dir)}/. Move it there (mkdir -p ${show(dir)} && mv ${show(location.layout.stateDir)}/*${TFSTATE} ` +
          `${show(dir)}/), or set state.scope: "" in hub.yaml to keep the first release's locations.`,
      );
    }
  }

  return [...reasons, ...unsafeChanges(deployedFromState(location), intendedFromConfig(config))];
}

/** What the local state files of `location` hold, by stack (hub and spokes). */
function deployedFromState(location: StateLocation): Map<string, { holdings: StackHoldings; source: string }> {
  const cwd = process.cwd();
  const dir = join(location.layout.stateDir, location.scope);
  const deployed = new Map<string, { holdings: StackHoldings; source: string }>();
  const stateFiles = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(TFSTATE)) : [];
  for (const file of stateFiles.sort()) {
    const stack = file.slice(0, -TFSTATE.length);
    if (stack !== HUB_STACK && accountOfSpokeStack(stack) === undefined) continue;
    const holdings = holdingsFromState(join(dir, file));
    if (holdings) deployed.set(stack, { holdings, source: relative(cwd, join(dir, file)) || join(dir, file) });
  }
  return deployed;
}

/** What synth says before an apply that moves services between zones and private DNS (local state). */
export function dnsSwitchNotices(config: VpceConfig, location: StateLocation): string[] {
  if (config.state.backend !== 'local') return [];
  return dnsSwitchWindows(deployedFromState(location), intendedFromConfig(config));
}
