/**
 * The ECR registry records: `<account-id>.dkr.ecr.<region>.amazonaws.com` in the shared `ecr.dkr` zone.
 *
 * This is the record whose absence makes Fargate fail with `CannotPullContainerError ... lookup
 * <account-id>.dkr.ecr.<region>.amazonaws.com ... no such host`: a private hosted zone answers
 * NXDOMAIN for every name it has no record for, and never falls back to public DNS.
 */
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { aliasRecord } from './alias-record';
import type { ServiceEndpoint } from './service-endpoint';

/** How registry names are answered: one record per registry account, or one `*` record for all. */
export type DkrRecordMode = 'per-account' | 'wildcard';

/** Properties of {@link EcrRegistryRecords}. */
export interface EcrRegistryRecordsProps {
  /** The `ecr.dkr` service: its zone and endpoint. */
  readonly dkr: ServiceEndpoint;
  /** Every account whose registry must resolve (the hub, the consumers, `ecr.registryAccounts`). */
  readonly registryAccounts: readonly string[];
  /** `per-account` (default) or `wildcard`. */
  readonly mode: DkrRecordMode;
}

/**
 * The shard an account's registry record lives in: the last two digits of its ID. It depends on the
 * ID alone, so an account's address never changes when others come and go, and account IDs spread
 * evenly over the 100 shards (about 10 records each at 1000 accounts).
 */
export function registryShard(accountId: string): string {
  return accountId.slice(-2);
}

/** The Terraform resource name of a shard: `ecr_dkr_registry_<NN>`. */
export function registryRecordsName(accountId: string): string {
  return `ecr_dkr_registry_${registryShard(accountId)}`;
}

/**
 * Terraform addresses: `aws_route53_record.ecr_dkr_registry_<NN>["<account-id>"]`, where `<NN>` is
 * {@link registryShard}: `for_each` blocks keyed by account ID, so adding an account adds one
 * instance and changes no other. They are split into shards because Terraform's plan time grows
 * with the square of the instances of one `for_each` block; 100 shards keep a block small up to
 * thousands of accounts. In wildcard mode: `aws_route53_record.ecr_dkr_wildcard` (one `*` record).
 */
export class EcrRegistryRecords extends Construct {
  constructor(scope: Construct, id: string, props: EcrRegistryRecordsProps) {
    super(scope, id);
    const { dkr } = props;
    if (props.mode === 'wildcard') {
      aliasRecord(this, { name: 'ecr_dkr_wildcard', zoneId: dkr.zone.zoneId, recordName: `*.${dkr.zoneName}`, target: dkr.aliasTarget });
      return;
    }
    const shards = new Map<string, string[]>();
    for (const account of [...new Set(props.registryAccounts)].sort()) {
      const name = registryRecordsName(account);
      shards.set(name, [...(shards.get(name) ?? []), account]);
    }
    for (const [name, accounts] of [...shards].sort(([a], [b]) => a.localeCompare(b))) {
      const each = TerraformIterator.fromList(accounts);
      aliasRecord(this, { name, zoneId: dkr.zone.zoneId, recordName: `${each.key}.${dkr.zoneName}`, target: dkr.aliasTarget, forEach: each });
    }
  }
}
