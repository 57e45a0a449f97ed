/**
 * The hub of the AWS-call benchmarks (live-doctor-calls.ts, discover-calls.ts): account
 * 111111111111 in ap-northeast-1, four services in two Availability Zones, Route 53's VPCs-per-zone
 * quota raised to 2000 so that 1000 accounts validate. `extra` is appended (more top-level keys).
 */
export const LARGE_HUB_ACCOUNT = '111111111111';
export const LARGE_HUB_REGION = 'ap-northeast-1';

export function largeHubYaml(extra = ''): string {
  return `hub:
  accountId: "${LARGE_HUB_ACCOUNT}"
  region: ${LARGE_HUB_REGION}
  vpcId: vpc-0a1b2c3d4e5f60718
  subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69780]
  allowedCidrs: [10.0.0.0/8]
services: [ecr.api, ecr.dkr, s3, logs]
spokes:
  roleName: vpce-spoke-deployer
limits:
  vpcAssociationsPerZone: 2000
${extra}`;
}
