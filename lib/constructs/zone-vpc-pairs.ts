/**
 * The (spoke VPC, service zone) pairs that the hub authorizes and a spoke associates, keyed
 * `<vpcId>/<service>`: a key depends on nothing but its own VPC and service, so adding or removing
 * an account or a service never renames another pair's Terraform instance.
 */
import { TerraformIterator } from 'cdktf';
import { eachValue, lookupByEachValue } from './expressions';

/** One pair, as the `for_each` value of an authorization or an association. */
export interface ZoneVpcPair {
  readonly account_id: string;
  readonly vpc_id: string;
  readonly service: string;
}

/** A spoke account and its VPCs. */
export interface SpokeVpcs {
  readonly id: string;
  readonly vpcIds: readonly string[];
}

/** What both sides of the sharing need to know about one spoke account. */
export interface ZoneVpcPairsProps {
  /** The spoke account and its VPCs. */
  readonly spoke: SpokeVpcs;
  /** The centralized services. */
  readonly services: readonly string[];
  /**
   * The Terraform expression of the map of zone IDs by service: `local.zone_ids` in the hub,
   * `data.terraform_remote_state.hub.outputs.zone_ids` in a spoke.
   */
  readonly zoneIds: string;
  /** The region of the spoke VPCs (the hub's). */
  readonly region: string;
}

/** The pairs of one account's VPCs with `services`, as a literal map keyed `<vpcId>/<service>`. */
export function zoneVpcPairs(account: SpokeVpcs, services: readonly string[]): Record<string, ZoneVpcPair> {
  const pairs: Record<string, ZoneVpcPair> = {};
  for (const vpcId of account.vpcIds) {
    for (const service of services) {
      pairs[`${vpcId}/${service}`] = { account_id: account.id, vpc_id: vpcId, service };
    }
  }
  return pairs;
}

/**
 * The arguments an authorization and an association share: one instance per pair of the account,
 * the zone picked from the zone ID map by the pair's service. Undefined when there are no pairs.
 */
export function zoneVpcPairArguments(props: ZoneVpcPairsProps) {
  const pairs = zoneVpcPairs(props.spoke, props.services);
  if (Object.keys(pairs).length === 0) return undefined;
  return {
    forEach: TerraformIterator.fromMap(pairs),
    zoneId: lookupByEachValue(props.zoneIds, 'service'),
    vpcId: eachValue('vpc_id'),
    vpcRegion: props.region,
  };
}
