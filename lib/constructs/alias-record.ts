/**
 * An alias A record in a service's zone that points a DNS name at the service's interface endpoint.
 */
import { Route53Record } from '../framework/aws';
import type { ITerraformIterator } from '../framework/cdktf';
import type { Construct } from 'constructs';

/** Where an alias record points: the endpoint's regional DNS name (`dns_entry[0]`). */
export interface AliasTarget {
  readonly dnsName: string;
  readonly hostedZoneId: string;
}

/** Properties of {@link aliasRecord}. */
export interface AliasRecordProps {
  /** The Terraform resource name, e.g. `logs_apex`. */
  readonly name: string;
  /** The zone that holds the record. */
  readonly zoneId: string;
  /** The record's DNS name, e.g. `*.s3.ap-northeast-1.amazonaws.com`. */
  readonly recordName: string;
  /** The endpoint it points at. */
  readonly target: AliasTarget;
  /** For one record per key (the ECR registry records). */
  readonly forEach?: ITerraformIterator;
}

/** Adds the record as `aws_route53_record.<name>`. */
export function aliasRecord(scope: Construct, props: AliasRecordProps): Route53Record {
  const record = new Route53Record(scope, props.name, {
    forEach: props.forEach,
    zoneId: props.zoneId,
    name: props.recordName,
    type: 'A',
    alias: {
      name: props.target.dnsName,
      zoneId: props.target.hostedZoneId,
      // One target only: there is nothing to fail over to.
      evaluateTargetHealth: false,
    },
  });
  record.overrideLogicalId(props.name);
  return record;
}
