/**
 * `moved` blocks from the first release's hub addresses to today's, so that upgrading plans only
 * moves: no record or authorization is destroyed and created again (a registry record re-created
 * breaks that account's image pulls while the apply runs).
 *
 * The first release kept every account in two `for_each` blocks, whose plan time grew with the
 * square of the accounts:
 * - `aws_route53_vpc_association_authorization.spoke["<vpcId>/<service>"]`, now
 *   `...spoke_<accountId>["<vpcId>/<service>"]`;
 * - `aws_route53_record.ecr_dkr_registry["<accountId>"]`, now `...ecr_dkr_registry_<NN>["<accountId>"]`.
 *
 * A move whose old address is not in the state does nothing, so the blocks are harmless in a new
 * deployment. Once every deployment has applied them, `upgrade.firstReleaseMoves: false` drops them.
 */
import type { TerraformStack } from '../framework/cdktf';
import { registryRecordsName } from '../constructs/ecr-registry-records';
import { authorizationsName } from '../constructs/zone-authorizations';
import { zoneVpcPairs, type SpokeVpcs } from '../constructs/zone-vpc-pairs';
import { FIRST_RELEASE_BLOCKS } from '../stack-names';

/** One `moved` block. */
export interface Move {
  readonly from: string;
  readonly to: string;
}

/** What the moves are computed from. */
export interface HubMovesProps {
  readonly spokes: readonly SpokeVpcs[];
  readonly services: readonly string[];
  /** The accounts with a per-account registry record (none in wildcard mode). */
  readonly registryAccounts: readonly string[];
}

function instance(type: string, name: string, key: string): string {
  return `${type}.${name}[${JSON.stringify(key)}]`;
}

/** Every move from a first-release address to today's, for this configuration. */
export function hubMoves(props: HubMovesProps): Move[] {
  const moves: Move[] = [];
  const [recordType, recordsName] = FIRST_RELEASE_BLOCKS.records;
  for (const account of [...new Set(props.registryAccounts)].sort()) {
    moves.push({
      from: instance(recordType, recordsName, account),
      to: instance(recordType, registryRecordsName(account), account),
    });
  }
  const [type, authorizationsBlock] = FIRST_RELEASE_BLOCKS.authorizations;
  for (const spoke of props.spokes) {
    for (const key of Object.keys(zoneVpcPairs(spoke, props.services))) {
      moves.push({
        from: instance(type, authorizationsBlock, key),
        to: instance(type, authorizationsName(spoke.id), key),
      });
    }
  }
  return moves;
}

/** Adds the moves to a stack as top-level `moved` blocks. */
export function addMoves(stack: TerraformStack, moves: readonly Move[]): void {
  if (moves.length > 0) {
    stack.addOverride(
      'moved',
      moves.map((move) => ({ from: move.from, to: move.to })),
    );
  }
}
