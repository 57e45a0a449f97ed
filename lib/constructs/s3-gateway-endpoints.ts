/**
 * S3 gateway endpoints in a spoke's own VPCs.
 *
 * A gateway endpoint works only inside its own VPC (not across Transit Gateway or peering), so it
 * cannot be shared through the hub. A spoke VPC that does not use the hub's `s3` interface endpoint
 * needs one of its own for Fargate's image layers (`prod-<region>-starport-layer-bucket`).
 */
import { VpcEndpoint } from '../framework/aws';
import { TerraformIterator } from '../framework/cdktf';
import { Construct } from 'constructs';
import { endpointServiceName, S3 } from '../services/catalog';

/** Properties of {@link S3GatewayEndpoints}. */
export interface S3GatewayEndpointsProps {
  /** Route tables by VPC ID: one endpoint per VPC, routing those tables' S3 traffic. */
  readonly routeTables: Readonly<Record<string, readonly string[]>>;
  /** The region of the VPCs. */
  readonly region: string;
  /** The endpoints' policy (JSON); AWS's full-access default when absent. */
  readonly policy?: string;
}

/** Terraform address: `aws_vpc_endpoint.s3_gateway["<vpcId>"]`. Nothing when the map is empty. */
export class S3GatewayEndpoints extends Construct {
  constructor(scope: Construct, id: string, props: S3GatewayEndpointsProps) {
    super(scope, id);
    const vpcIds = Object.keys(props.routeTables).sort();
    if (vpcIds.length === 0) return;
    const each = TerraformIterator.fromMap(
      Object.fromEntries(vpcIds.map((vpcId) => [vpcId, { route_table_ids: [...props.routeTables[vpcId]].sort() }])),
    );
    const endpoint = new VpcEndpoint(this, 's3_gateway', {
      forEach: each,
      vpcId: each.key,
      serviceName: endpointServiceName(S3, props.region),
      vpcEndpointType: 'Gateway',
      routeTableIds: each.getList('route_table_ids'),
      policy: props.policy,
      tags: { Name: 'vpce-hub-s3-gateway' },
    });
    endpoint.overrideLogicalId('s3_gateway');
  }
}
