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
 * Terraform addresses: `aws_route53_record.ecr_dkr_registry["<account-id>"]` (one `for_each` keyed
 * by account ID, so adding an account adds one instance and changes no other), or
 * `aws_route53_record.ecr_dkr_wildcard` (one `*` record) in wildcard mode.
 */
export class EcrRegistryRecords extends Construct {
  constructor(scope: Construct, id: string, props: EcrRegistryRecordsProps) {
    super(scope, id);
    const { dkr } = props;
    if (props.mode === 'wildcard') {
      aliasRecord(this, { name: 'ecr_dkr_wildcard', zoneId: dkr.zone.zoneId, recordName: `*.${dkr.zoneName}`, target: dkr.aliasTarget });
      return;
    }
    const each = TerraformIterator.fromList([...new Set(props.registryAccounts)].sort());
    aliasRecord(this, {
      name: 'ecr_dkr_registry',
      zoneId: dkr.zone.zoneId,
      recordName: `${each.key}.${dkr.zoneName}`,
      target: dkr.aliasTarget,
      forEach: each,
    });
  }
}
