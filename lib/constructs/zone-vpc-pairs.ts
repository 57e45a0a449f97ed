/**
 * The (spoke VPC, service zone) pairs that the hub authorizes and the spokes associate, keyed
 * `<vpcId>/<service>`: a key depends on nothing but its own VPC and service, so adding or removing
 * an account or a service never renames another pair's Terraform instance.
 */

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

/** The pairs of `accounts` with `services`, as a literal map keyed `<vpcId>/<service>`. */
export function zoneVpcPairs(accounts: readonly SpokeVpcs[], services: readonly string[]): Record<string, ZoneVpcPair> {
  const pairs: Record<string, ZoneVpcPair> = {};
  for (const account of accounts) {
    for (const vpcId of account.vpcIds) {
      for (const service of services) {
        pairs[`${vpcId}/${service}`] = { account_id: account.id, vpc_id: vpcId, service };
      }
    }
  }
  return pairs;
}
