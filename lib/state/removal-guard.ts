/**
 * The local guard: with local state, synth refuses a configuration that would break what the state
 * files hold (the rules and their advice: `unsafe-changes.ts`, shared with `npm run affected`), and
 * state files left at the first release's locations when the configuration keeps its state under a
 * scope (synth would start from empty state and create everything a second time).
 *
 * The guard fails closed: a state file it cannot read, or state left at another location than the
 * one this configuration keeps it at (the last synth's location, or another scope's folder holding
 * this hub's VPC: `hub.region`, `hub.accountId` or `state.scope` changed), is refused with the fix.
 *
 * Remote backends (s3, cloud) are not read here; `npm run affected` and the apply workflow guard them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { VpceConfig } from '../config/schema';
import { accountOfSpokeStack, HUB_STACK, spokeStackName } from '../stack-names';
import { localStateFile, type StateLocation } from './backends';
import { holdingsFromState, isObject, readStateFile, UnreadableStateError, type StackHoldings } from './stack-holdings';
import { hubMoveReason } from './state-moves';
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

/** Paths as the user types them: relative to the working folder. */
function shown(file: string): string {
  return relative(process.cwd(), file) || file;
}

/** The reasons to refuse a synth of `config`, from its local state files (none for other backends). */
export function unsafeRemovals(config: VpceConfig, location: StateLocation): string[] {
  if (config.state.backend !== 'local') return [];
  const dir = join(location.layout.stateDir, location.scope);
  const reasons: string[] = [];
  try {
    const stacks = [HUB_STACK, ...config.accounts.map((a) => spokeStackName(a.id))];
    if (location.scope !== '') {
      const stranded = stacks.filter((stack) => {
        const old = join(location.layout.stateDir, `${stack}${TFSTATE}`);
        return existsSync(old) && holdsResources(old) && !existsSync(localStateFile(location, stack));
      });
      if (stranded.length > 0) {
        const first = shown(join(location.layout.stateDir, `${stranded[0]}${TFSTATE}`));
        const more = stranded.length > 1 ? ` (and ${stranded.length - 1} more)` : '';
        reasons.push(
          `${first}${more} is state at the first release's location; this configuration keeps its state in ` +
            `${shown(dir)}/. Move it there (mkdir -p ${shown(dir)} && mv ${shown(location.layout.stateDir)}/*${TFSTATE} ` +
            `${shown(dir)}/), or set state.scope: "" in hub.yaml to keep the first release's locations.`,
        );
      }
    }
    const moved = reasons.length > 0 ? undefined : movedStateFolder(config, location, stacks);
    const hubState = join(moved ?? dir, `${HUB_STACK}${TFSTATE}`);
    const place = existsSync(hubState) ? hubPlaceOf(hubState) : undefined;
    const changes = [
      place?.region && place.region !== config.hub.region ? `hub.region from ${place.region} to ${config.hub.region}` : '',
      place?.account && place.account !== config.hub.accountId
        ? `hub.accountId from ${place.account} to ${config.hub.accountId}`
        : '',
    ].filter((c) => c !== '');
    if (changes.length > 0) reasons.push(hubMoveReason(changes));
    else if (moved) reasons.push(movedReason(moved, dir, location));
    const rules = unsafeChanges(deployedFromState(location), intendedFromConfig(config));
    // Where the state still is, the rules read it there too: what the old location holds is deployed.
    const atOldLocation = moved ? unsafeChanges(deployedFromDir(moved), intendedFromConfig(config)) : [];
    return [...reasons, ...new Set([...rules, ...atOldLocation])];
  } catch (error) {
    if (error instanceof UnreadableStateError) return [...reasons, error.message];
    throw error;
  }
}

/** Whether a state file holds at least one resource instance (throws for an unreadable one). */
function holdsResources(file: string): boolean {
  return holdingsFromState(file, shown(file)).instances > 0;
}

/**
 * The folder that holds this hub's state when it is not where this configuration keeps it (else
 * undefined): the folder the last synth into this output folder used for the hub (or a spoke), or
 * another scope's folder whose hub state holds this hub's VPC. Only when the configured location
 * holds no hub state yet: once the state moved there, the old folder is history.
 */
function movedStateFolder(config: VpceConfig, location: StateLocation, stacks: string[]): string | undefined {
  const here = join(location.layout.stateDir, location.scope);
  if (existsSync(localStateFile(location, HUB_STACK)) && holdsResources(localStateFile(location, HUB_STACK))) {
    return undefined;
  }
  for (const stack of stacks) {
    const previous = previousStatePath(location.layout.outdir, stack);
    if (previous === undefined || resolve(previous) === resolve(localStateFile(location, stack))) continue;
    if (existsSync(previous) && holdsResources(previous)) return resolve(previous, '..');
  }
  const stateDir = location.layout.stateDir;
  const folders = existsSync(stateDir)
    ? readdirSync(stateDir).filter((name) => statSync(join(stateDir, name)).isDirectory())
    : [];
  for (const folder of folders.map((name) => join(stateDir, name)).sort()) {
    if (resolve(folder) === resolve(here)) continue;
    const hub = join(folder, `${HUB_STACK}${TFSTATE}`);
    if (existsSync(hub) && holdsResources(hub) && hubVpcsOf(hub).has(config.hub.vpcId)) return folder;
  }
  return undefined;
}

/** Where the last synth into `outdir` kept `stack`'s local state, when its output says. */
function previousStatePath(outdir: string, stack: string): string | undefined {
  const stackDir = join(outdir, 'stacks', stack);
  try {
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as unknown;
    const terraform = isObject(json) && isObject(json.terraform) ? json.terraform : {};
    const backend = isObject(terraform.backend) ? terraform.backend : {};
    const path = isObject(backend.local) ? backend.local.path : undefined;
    return typeof path === 'string' ? resolve(stackDir, path) : undefined;
  } catch {
    return undefined; // no earlier output, or one of another shape: nothing to learn from it
  }
}

/** The VPCs the hub's endpoints and security group are in, from its state. */
function hubVpcsOf(file: string): Set<string> {
  const state = readStateFile(file, shown(file)) ?? {};
  const vpcs = new Set<string>();
  for (const resource of Array.isArray(state.resources) ? state.resources.filter(isObject) : []) {
    if (resource.type !== 'aws_vpc_endpoint' && resource.type !== 'aws_security_group') continue;
    for (const instance of Array.isArray(resource.instances) ? resource.instances.filter(isObject) : []) {
      const vpc = isObject(instance.attributes) ? instance.attributes.vpc_id : undefined;
      if (typeof vpc === 'string') vpcs.add(vpc);
    }
  }
  return vpcs;
}

/** The region and account of the hub's endpoints, from their ARNs in its state. */
function hubPlaceOf(file: string): { region: string; account: string } | undefined {
  const state = readStateFile(file, shown(file)) ?? {};
  for (const resource of Array.isArray(state.resources) ? state.resources.filter(isObject) : []) {
    if (resource.type !== 'aws_vpc_endpoint') continue;
    for (const instance of Array.isArray(resource.instances) ? resource.instances.filter(isObject) : []) {
      const arn = isObject(instance.attributes) ? instance.attributes.arn : undefined;
      const parts = typeof arn === 'string' ? arn.split(':') : [];
      if (parts.length >= 6 && parts[3] && parts[4]) return { region: parts[3], account: parts[4] };
    }
  }
  return undefined;
}

function movedReason(from: string, to: string, location: StateLocation): string {
  return (
    `the state moved: this hub's state is in ${shown(from)}/, and this configuration keeps it in ${shown(to)}/ ` +
    `(scope "${location.scope}": hub.accountId-hub.region unless state.scope says otherwise), which holds none. ` +
    `Terraform would start from empty state and create everything a second time while the old resources stay. ` +
    `If only state.scope changed, move the state: mkdir -p ${shown(to)} && mv ${shown(from)}/*${TFSTATE} ${shown(to)}/. ` +
    `If hub.region or hub.accountId changed, that is a new hub: give it its own configuration folder and output ` +
    `folder (VPCE_CONFIG_DIR, CDKTF_OUTDIR), and retire the old hub with its own configuration (docs/operations.md, ` +
    `"What each change does").`
  );
}

/** What the local state files of `location` hold, by stack (hub and spokes). */
function deployedFromState(location: StateLocation): Map<string, { holdings: StackHoldings; source: string }> {
  return deployedFromDir(join(location.layout.stateDir, location.scope));
}

/** What the state files of one folder hold, by stack (hub and spokes). */
function deployedFromDir(dir: string): Map<string, { holdings: StackHoldings; source: string }> {
  const deployed = new Map<string, { holdings: StackHoldings; source: string }>();
  const stateFiles = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(TFSTATE)) : [];
  for (const file of stateFiles.sort()) {
    const stack = file.slice(0, -TFSTATE.length);
    if (stack !== HUB_STACK && accountOfSpokeStack(stack) === undefined) continue;
    const source = shown(join(dir, file));
    deployed.set(stack, { holdings: holdingsFromState(join(dir, file), source), source });
  }
  return deployed;
}

/** What synth says before an apply that moves services between zones and private DNS (local state). */
export function dnsSwitchNotices(config: VpceConfig, location: StateLocation): string[] {
  if (config.state.backend !== 'local') return [];
  try {
    return dnsSwitchWindows(deployedFromState(location), intendedFromConfig(config));
  } catch (error) {
    if (error instanceof UnreadableStateError) return []; // unsafeRemovals refused it already
    throw error;
  }
}
