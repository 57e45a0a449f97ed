/**
 * The local guard against removals that break image pulls: with local state, synth refuses when a
 * spoke's state still holds resources that the configuration no longer has a place for.
 *
 * - An account deleted from accounts.yaml while its spoke state still holds resources: its VPCs stay
 *   associated with the hub's zones while the hub would drop its record, so its own
 *   `<id>.dkr.ecr` name would get NXDOMAIN. Retire it first (`retired: true`, deploy its spoke).
 * - A service deleted from `services` (and not in `retiredServices`) while a spoke's state still
 *   associates a VPC with its zone: the hub would delete the zone under the spoke. Retire it first.
 * - State files at the first release's locations, when the configuration keeps its state under a
 *   scope: synth would start from empty state and create everything a second time.
 * - A hub state with the first release's addresses while `upgrade.firstReleaseMoves` is false: the
 *   hub would destroy and re-create its records instead of moving them.
 * - A switch of `sharing.mode` in one step: a spoke state holds only the old mode's associations, and
 *   the configuration gives the spoke only the new mode's; or the hub would delete its Route 53
 *   Profile while a spoke state still associates VPCs with it.
 *
 * Remote backends (s3, cloud) are not read here; `npm run affected` and the apply workflow guard them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hubServices, type VpceConfig } from '../config/schema';
import { oneStepSwitch, sharingOf, SWITCH_PROBLEMS } from '../config/sharing';
import { HUB_STACK, isFirstReleaseBlock, spokeStackName } from '../stack-names';
import { localStateFile, type StateLocation } from './backends';

/** A removal the guard refuses, with what to do. */
export class UnsafeRemovalError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(
      [
        `vpce-hub: ${reasons.length === 1 ? 'a change' : `${reasons.length} changes`} would break what the state still holds; nothing was synthesized.`,
        ...reasons.map((r) => `  ${r}`),
      ].join('\n'),
    );
    this.name = 'UnsafeRemovalError';
  }
}

interface StateResource {
  readonly mode?: string;
  readonly type?: string;
  readonly name?: string;
  readonly instances?: ReadonlyArray<{ readonly index_key?: unknown }>;
}

/** The managed resources of a state file, or undefined when it cannot be read as a state. */
function stateResources(file: string): StateResource[] | undefined {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { resources?: StateResource[] };
    return (state.resources ?? []).filter((r) => r.mode !== 'data' && (r.instances ?? []).length > 0);
  } catch {
    return undefined;
  }
}

/** The reasons to refuse a synth of `config`, from its local state files (none for other backends). */
export function unsafeRemovals(config: VpceConfig, location: StateLocation): string[] {
  if (config.state.backend !== 'local') return [];
  const reasons: string[] = [];
  const cwd = process.cwd();
  const show = (file: string) => relative(cwd, file) || file;
  const dir = join(location.layout.stateDir, location.scope);

  if (location.scope !== '') {
    const stacks = [HUB_STACK, ...config.accounts.map((a) => spokeStackName(a.id))];
    const stranded = stacks.filter((stack) => {
      const old = join(location.layout.stateDir, `${stack}.tfstate`);
      return existsSync(old) && (stateResources(old) ?? []).length > 0 && !existsSync(localStateFile(location, stack));
    });
    if (stranded.length > 0) {
      reasons.push(
        `${show(join(location.layout.stateDir, `${stranded[0]}.tfstate`))}${stranded.length > 1 ? ` (and ${stranded.length - 1} more)` : ''} is state at the first release's location; this configuration keeps its state in ${show(dir)}/. Move it there (mkdir -p ${show(dir)} && mv ${show(location.layout.stateDir)}/*.tfstate ${show(dir)}/), or set state.scope: "" in hub.yaml to keep the first release's locations.`,
      );
    }
  }

  if (!config.upgrade.firstReleaseMoves) {
    const hub = stateResources(localStateFile(location, HUB_STACK)) ?? [];
    const old = hub.filter((r) => isFirstReleaseBlock(r.type ?? '', r.name ?? ''));
    if (old.length > 0) {
      reasons.push(
        `${show(localStateFile(location, HUB_STACK))} still holds the first release's addresses (${old.map((r) => `${r.type}.${r.name}`).join(', ')}), but upgrade.firstReleaseMoves is false: the hub would destroy and re-create those records and authorizations. Remove upgrade.firstReleaseMoves: false, apply the hub once (moves only), then set it again.`,
      );
    }
  }

  if (!existsSync(dir)) return reasons;
  const accounts = new Map(config.accounts.map((a) => [a.id, a]));
  const known = new Set(hubServices(config));
  for (const file of readdirSync(dir).sort()) {
    const match = /^spoke-(\d{12})\.tfstate$/.exec(file);
    if (!match) continue;
    const resources = stateResources(join(dir, file));
    if (!resources || resources.length === 0) continue;
    const id = match[1];
    const instances = resources.reduce((n, r) => n + (r.instances?.length ?? 0), 0);
    if (!accounts.has(id)) {
      reasons.push(
        `account ${id} is not in accounts.yaml, but ${show(join(dir, file))} still holds ${instances} resource instance(s): its VPCs are still associated with the hub's zones, and the hub would drop its ${id}.dkr.ecr record (NXDOMAIN for its image pulls). Put the entry back with retired: true, deploy spoke-${id} (npx cdktf deploy spoke-${id}), then delete the entry.`,
      );
      continue;
    }
    const orphaned = new Set<string>();
    for (const resource of resources) {
      if (resource.type !== 'aws_route53_zone_association') continue;
      for (const instance of resource.instances ?? []) {
        const service = typeof instance.index_key === 'string' ? instance.index_key.split('/')[1] : undefined;
        if (service && !known.has(service)) orphaned.add(service);
      }
    }
    for (const service of orphaned) {
      reasons.push(
        `service ${service} is in neither services nor retiredServices, but ${show(join(dir, file))} still associates VPCs of account ${id} with its zone: the hub would delete the zone under them. Move ${service} to retiredServices, deploy the spokes, then delete it.`,
      );
    }
    if (!accounts.get(id)!.retired) reasons.push(...sharingSwitchReasons(config, resources, `${show(join(dir, file))}`, id));
  }
  return reasons;
}

/** A mode switch in one step, read from one spoke's state (see `config/sharing.ts` for the steps). */
function sharingSwitchReasons(config: VpceConfig, resources: readonly StateResource[], file: string, id: string): string[] {
  const sharing = sharingOf(config);
  const holds = (type: string) => resources.some((r) => r.type === type);
  const held = { associations: holds('aws_route53_zone_association'), profile: holds('aws_route53profiles_association') };
  const reasons: string[] = [];
  const kind = oneStepSwitch(held, sharing.spokes);
  if (kind) {
    const now = kind === 'to-profile' ? "with the hub's zones directly" : "with the hub's Route 53 Profile";
    reasons.push(`${file} associates account ${id}'s VPCs ${now}, and this configuration would switch ${SWITCH_PROBLEMS[kind].what}. ${SWITCH_PROBLEMS[kind].steps}`);
  }
  if (held.profile && !sharing.hub.profile) {
    const { what, steps } = SWITCH_PROBLEMS['profile-in-use'];
    reasons.push(`${file} still associates account ${id}'s VPCs with the hub's Route 53 Profile, but the hub would delete the Profile (${what}). ${steps}`);
  }
  return reasons;
}
