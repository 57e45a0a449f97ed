/**
 * The ECR registry records: `<account-id>.dkr.ecr.<region>.amazonaws.com` in the shared `ecr.dkr` zone.
 *
 * This is the record whose absence makes Fargate fail with `CannotPullContainerError ... lookup
 * <account-id>.dkr.ecr.<region>.amazonaws.com ... no such host`: a private hosted zone answers
 * NXDOMAIN for every name it has no record for, and never falls back to public DNS.
 */
import type { Route53Record, Route53Zone } from '../framework/aws';
import { TerraformIterator } from '../framework/cdktf';
import { Construct } from 'constructs';
import { aliasRecord } from './alias-record';
import { accountShard, accountShards } from './account-shards';
import type { ServiceEndpoint } from './service-endpoint';

/**
 * How registry names are answered: one record per registry account, one `*` record for all, or
 * both while switching between the two (so that no name goes unanswered during the switch).
 */
export type DkrRecordMode = 'per-account' | 'wildcard' | 'both';

/** Properties of {@link EcrRegistryRecords}. */
export interface EcrRegistryRecordsProps {
  /** The `ecr.dkr` service: its endpoint (the alias target) and zone name. */
  readonly dkr: ServiceEndpoint;
  /** The `ecr.dkr` zone (the service has one unless its endpoint serves private DNS). */
  readonly zone: Route53Zone;
  /** Every account whose registry must resolve (the hub, the consumers, `ecr.registryAccounts`). */
  readonly registryAccounts: readonly string[];
  /** `per-account` (default), `wildcard`, or `both` (the step between them). */
  readonly mode: DkrRecordMode;
}

/** The Terraform resource name of a shard's records: `ecr_dkr_registry_<NN>`. */
const shardRecordsName = (shard: string): string => `ecr_dkr_registry_${shard}`;

/** The Terraform resource name of the block that holds an account's registry record. */
export function registryRecordsName(accountId: string): string {
  return shardRecordsName(accountShard(accountId));
}

/**
 * Terraform addresses: `aws_route53_record.ecr_dkr_registry_<NN>["<account-id>"]`, where `<NN>` is
 * {@link accountShard}: `for_each` blocks keyed by account ID, so adding an account adds one
 * instance and changes no other. They are split into shards because Terraform's plan time grows
 * with the square of the instances of one `for_each` block; 100 shards keep a block small up to
 * thousands of accounts. In wildcard mode: `aws_route53_record.ecr_dkr_wildcard` (one `*` record);
 * `both` has both, the exact records answering their names and the wildcard every other.
 */
export class EcrRegistryRecords extends Construct {
  /** The record blocks (one per shard, or the wildcard). */
  readonly records: Route53Record[] = [];

  constructor(scope: Construct, id: string, props: EcrRegistryRecordsProps) {
    super(scope, id);
    const { dkr } = props;
    if (props.mode !== 'per-account') {
      this.records.push(
        aliasRecord(this, {
          name: 'ecr_dkr_wildcard',
          zoneId: props.zone.zoneId,
          recordName: `*.${dkr.zoneName}`,
          target: dkr.aliasTarget,
        }),
      );
      if (props.mode === 'wildcard') return;
    }
    for (const [name, accounts] of accountShards(props.registryAccounts, shardRecordsName)) {
      const each = TerraformIterator.fromList(accounts);
      this.records.push(
        aliasRecord(this, {
          name,
          zoneId: props.zone.zoneId,
          recordName: `${each.key}.${dkr.zoneName}`,
          target: dkr.aliasTarget,
          forEach: each,
        }),
      );
    }
  }
}
