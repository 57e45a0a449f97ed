/**
 * Per-account `for_each` blocks, split into shards by account ID. Terraform's plan time grows with
 * the square of the instances of one `for_each` block, so a block that holds one instance per
 * account is split into up to 100 blocks by the last two digits of the ID. The shard depends on the
 * ID alone, so an account's address never changes when others come and go, and account IDs spread
 * evenly over the shards (about 10 each at 1000 accounts). The ECR registry records and the
 * Profile's account principal associations use it.
 */

/** The shard of an account: the last two digits of its ID. */
export function accountShard(accountId: string): string {
  return accountId.slice(-2);
}

/**
 * The accounts (each once, sorted) grouped into blocks named `nameOf(shard)`, sorted by name: one
 * `for_each` block per entry.
 */
export function accountShards(
  accountIds: readonly string[],
  nameOf: (shard: string) => string,
): Array<[name: string, accountIds: string[]]> {
  const shards = new Map<string, string[]>();
  for (const account of [...new Set(accountIds)].sort()) {
    const name = nameOf(accountShard(account));
    const members = shards.get(name);
    if (members) members.push(account);
    else shards.set(name, [account]);
  }
  return [...shards].sort(([a], [b]) => a.localeCompare(b));
}
