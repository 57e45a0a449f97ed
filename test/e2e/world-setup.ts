/**
 * The AWS world a configuration expects before its first deploy: the hub VPC with its subnets in the
 * hub account, and each spoke VPC in its own account. Created through the EC2 API with LocalStack's
 * `_custom_id_` tag, so the IDs are the configuration's, against the fake or LocalStack alike.
 */
import type { VpceConfig } from '../../lib/config/schema';
import type { AwsEndpointClient } from '../fake-aws/client';

/** One VPC to create. */
export interface SeedVpc {
  readonly account: string;
  readonly vpcId: string;
  readonly cidr: string;
  readonly subnets: ReadonlyArray<{ readonly id: string; readonly cidr: string; readonly availabilityZone: string }>;
}

/** The VPCs (and hub subnets) of a configuration, each spoke VPC in its own /16 of 10.0.0.0/8. */
export function seedVpcs(config: VpceConfig): SeedVpc[] {
  const region = config.hub.region;
  const vpcs: SeedVpc[] = [
    {
      account: config.hub.accountId,
      vpcId: config.hub.vpcId,
      cidr: '10.0.0.0/16',
      subnets: config.hub.subnetIds.map((id, i) => ({
        id,
        cidr: `10.0.${i}.0/24`,
        availabilityZone: `${region}${'abcdef'[i % 6]}`,
      })),
    },
  ];
  let next = 1;
  for (const account of config.accounts) {
    for (const vpcId of account.vpcIds) {
      vpcs.push({ account: account.id, vpcId, cidr: `10.${next % 256}.0.0/16`, subnets: [] });
      next += 1;
    }
  }
  return vpcs;
}

function customId(resourceType: string, id: string): Record<string, string> {
  return {
    'TagSpecification.1.ResourceType': resourceType,
    'TagSpecification.1.Tag.1.Key': '_custom_id_',
    'TagSpecification.1.Tag.1.Value': id,
  };
}

/** Creates the VPCs and subnets that do not exist yet. */
export async function createVpcs(client: AwsEndpointClient, region: string, vpcs: readonly SeedVpc[]): Promise<void> {
  for (const vpc of vpcs) {
    const existing = await client.ec2(vpc.account, region, 'DescribeVpcs', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': vpc.vpcId,
    });
    if (existing.includes(`<vpcId>${vpc.vpcId}</vpcId>`)) continue;
    await client.ec2(vpc.account, region, 'CreateVpc', { CidrBlock: vpc.cidr, ...customId('vpc', vpc.vpcId) });
    for (const subnet of vpc.subnets) {
      await client.ec2(vpc.account, region, 'CreateSubnet', {
        VpcId: vpc.vpcId,
        CidrBlock: subnet.cidr,
        AvailabilityZone: subnet.availabilityZone,
        ...customId('subnet', subnet.id),
      });
    }
  }
}

/** Deletes the VPCs and their subnets again (after every stack is destroyed). */
export async function deleteVpcs(client: AwsEndpointClient, region: string, vpcs: readonly SeedVpc[]): Promise<void> {
  for (const vpc of vpcs) {
    for (const subnet of vpc.subnets) await client.ec2(vpc.account, region, 'DeleteSubnet', { SubnetId: subnet.id });
    await client.ec2(vpc.account, region, 'DeleteVpc', { VpcId: vpc.vpcId });
  }
}
