/**
 * Changes that move where a stack lives: the hub to another region or account, or a stack's state
 * to another location (backend, bucket, key, workspace or scope). Read from two synth outputs, as
 * `npm run affected` compares them; the local synth guard reads the state files instead
 * (`removal-guard.ts`).
 */
import { HUB_STACK } from '../stack-names';
import { isObject, type Json } from './stack-holdings';

/** The hub's region and account, from its AWS provider block. */
function hubPlace(hub: Json): { region?: string; account?: string } {
  const providers = isObject(hub.provider) && Array.isArray(hub.provider.aws) ? hub.provider.aws : [];
  const aws: Json = providers.find((p: unknown) => isObject(p) && p.alias === undefined) ?? {};
  const accounts = Array.isArray(aws.allowed_account_ids) ? aws.allowed_account_ids : [];
  return {
    region: typeof aws.region === 'string' ? aws.region : undefined,
    account: typeof accounts[0] === 'string' ? accounts[0] : undefined,
  };
}

/**
 * The hub moving to another region or account: not a change one apply can make (every endpoint,
 * zone and association is replaced, and the spokes' VPCs are in the old region and account). A
 * reason to refuse, with the steps; none when the hub stays.
 */
export function hubMoves(base: ReadonlyMap<string, Json>, head: ReadonlyMap<string, Json>): string[] {
  const before = base.get(HUB_STACK);
  const after = head.get(HUB_STACK);
  if (!before || !after) return [];
  const [from, to] = [hubPlace(before), hubPlace(after)];
  const changes = [
    from.region !== to.region ? `hub.region from ${from.region} to ${to.region}` : undefined,
    from.account !== to.account ? `hub.accountId from ${from.account} to ${to.account}` : undefined,
  ].filter((c): c is string => c !== undefined);
  return changes.length === 0 ? [] : [hubMoveReason(changes)];
}

/** The reason to refuse the hub moving (`changes`: e.g. `hub.region from a to b`), with the steps. */
export function hubMoveReason(changes: readonly string[]): string {
  return (
    `hub: ${changes.join(' and ')} makes a new hub, not a change to this one: every endpoint, zone and ` +
    `association would be replaced, and the spokes' VPCs stay where they are. Keep this configuration as it ` +
    `is; give the new hub its own configuration folder (VPCE_CONFIG_DIR) and deploy it; move the spokes to it; ` +
    `then retire this hub's accounts and services here (docs/operations.md, "What each change does").`
  );
}

/** Where a stack's state lives: its backend or cloud block, as text; undefined when it has none. */
function stateLocationOf(stack: Json): string | undefined {
  const terraform = isObject(stack.terraform) ? stack.terraform : {};
  const where = terraform.backend ?? terraform.cloud;
  return where === undefined ? undefined : JSON.stringify(where);
}

/**
 * Stacks whose state moves (backend, bucket, key, organization, workspace or scope): a notice with
 * what to do first. Not refused: `affected` cannot read remote state to tell a migrated move from
 * one that leaves the state behind; the pull request's plans can (a migrated stack plans no change).
 */
export function stateMoves(base: ReadonlyMap<string, Json>, head: ReadonlyMap<string, Json>): string[] {
  const moved = [...head.keys()].filter((stack) => {
    const before = base.get(stack);
    return before !== undefined && stateLocationOf(before) !== stateLocationOf(head.get(stack) ?? {});
  });
  if (moved.length === 0) return [];
  const more = moved.length > 1 ? ` and ${moved.length - 1} more stacks` : '';
  return [
    `the state of ${moved[0]}${more} moves to a new location (state backend, bucket, key prefix, organization or ` +
      `scope changed): migrate each stack's state before this merges (docs/operations.md, "Moving state between backends"). A stack whose ` +
      `state has not moved plans to create everything a second time.`,
  ];
}
