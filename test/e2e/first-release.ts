/**
 * A hub stack as the first release laid it out, made from today's synth output: the per-account
 * blocks merged back into the two `for_each` blocks it had (`aws_route53_record.ecr_dkr_registry`,
 * `aws_route53_vpc_association_authorization.spoke`), and no `moved` blocks. Applying it makes "an
 * existing deployment made with the first release's addresses", to upgrade from.
 */
import type { StackJson } from './project';

const REGISTRY_SHARD = /^ecr_dkr_registry_\d\d$/;
const ACCOUNT_AUTHORIZATIONS = /^spoke_\d{12}$/;

/** The keys of a `${toset([...])}` for_each. */
export function tosetKeys(forEach: unknown): string[] {
  const match = typeof forEach === 'string' ? /^\$\{toset\((\[.*\])\)\}$/s.exec(forEach) : null;
  if (!match) throw new Error(`not a toset() for_each: ${String(forEach)}`);
  return JSON.parse(match[1]) as string[];
}

/** Returns a copy of a hub's cdk.tf.json in the first release's layout. */
export function firstReleaseHub(hub: StackJson): StackJson {
  const json = JSON.parse(JSON.stringify(hub)) as StackJson;
  const records = json.resource?.aws_route53_record ?? {};
  const shards = Object.keys(records).filter((name) => REGISTRY_SHARD.test(name));
  if (shards.length > 0) {
    const keys = shards.flatMap((name) => tosetKeys(records[name].for_each)).sort();
    records.ecr_dkr_registry = { ...records[shards[0]], for_each: `\${toset(${JSON.stringify(keys)})}` };
    for (const name of shards) delete records[name];
  }
  const authorizations = json.resource?.aws_route53_vpc_association_authorization ?? {};
  const blocks = Object.keys(authorizations).filter((name) => ACCOUNT_AUTHORIZATIONS.test(name));
  if (blocks.length > 0) {
    const forEach = Object.assign({}, ...blocks.map((name) => authorizations[name].for_each));
    authorizations.spoke = { ...authorizations[blocks[0]], for_each: forEach };
    for (const name of blocks) delete authorizations[name];
  }
  delete json.moved;
  return json;
}
