/**
 * The (spoke VPC, service zone) pairs that the hub authorizes and a spoke associates, keyed
 * `<vpcId>/<service>`: a key depends on nothing but its own VPC and service, so adding or removing
 * an account or a service never renames another pair's Terraform instance.
 *
 * A VPC with its own S3 gateway endpoint (`s3GatewayRouteTables`) is never paired with the `s3`
 * zone: associated, the hub's zone would answer its S3 names with the hub's interface endpoint and
 * the VPC's gateway would carry nothing. Unassociated, its S3 names resolve in public DNS and the
 * gateway's routes carry the traffic, free of the interface endpoint's per-GB charge.
 */
import { TerraformIterator } from '../framework/cdktf';
import { eachValue, lookupByEachValue } from './for-each-expressions';
import { S3 } from '../services/catalog';

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
  /** Route tables by VPC ID, for the VPCs with their own S3 gateway endpoint. */
  readonly s3GatewayRouteTables?: Readonly<Record<string, readonly string[]>>;
}

/** Whether `vpcId` of `account` associates with the zone of `service`. */
export function pairsWithZone(account: SpokeVpcs, vpcId: string, service: string): boolean {
  return !(service === S3 && Object.prototype.hasOwnProperty.call(account.s3GatewayRouteTables ?? {}, vpcId));
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
      if (!pairsWithZone(account, vpcId, service)) continue;
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
