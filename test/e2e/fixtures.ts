/**
 * The e2e's own configuration (never the example in config/): a hub with the Fargate services, three
 * spoke accounts (one with a leading zero and two VPCs, one with its own S3 gateway endpoint), an
 * extra registry account, and the account that the add/remove scenarios bring and take away; the
 * Route 53 Profile variants of it (the profile flow's, and the endpoints flow's with `sharing.dns`).
 */

export const E2E_HUB_ACCOUNT = '100000000001';
export const E2E_REGION = 'eu-west-1';

export const E2E_HUB_YAML = `hub:
  accountId: "${E2E_HUB_ACCOUNT}"
  region: ${E2E_REGION}
  vpcId: vpc-0e2e0000000000001
  subnetIds: [subnet-0e2e0000000000001, subnet-0e2e0000000000002]
  allowedCidrs: [10.0.0.0/8]
  roleArn: arn:aws:iam::${E2E_HUB_ACCOUNT}:role/vpce-hub-deployer
services: [ecr.api, ecr.dkr, s3, logs, sts]
ecr:
  registryAccounts: ["100000000099"]
spokes:
  roleName: vpce-spoke-deployer
endpointPolicy:
  organizationId: o-e2etest0001
tags:
  Project: vpce-hub-e2e
`;

/** One spoke entry of accounts.yaml. */
export interface E2eAccount {
  readonly id: string;
  readonly yaml: string;
}

export const E2E_ACCOUNTS: readonly E2eAccount[] = [
  { id: '200000000001', yaml: '  - id: "200000000001"\n    name: payments\n    vpcIds: [vpc-0e2e00000000000a1]\n' },
  { id: '020000000002', yaml: '  - id: "020000000002"\n    vpcIds: [vpc-0e2e00000000000b1, vpc-0e2e00000000000b2]\n' },
  {
    id: '200000000003',
    yaml: '  - id: "200000000003"\n    vpcIds: [vpc-0e2e00000000000c1]\n    s3GatewayRouteTables:\n      vpc-0e2e00000000000c1: [rtb-0e2e00000000000c1]\n',
  },
];

/** The account the add and remove scenarios bring and take away. */
export const E2E_NEW_ACCOUNT: E2eAccount = {
  id: '200000000004',
  yaml: '  - id: "200000000004"\n    name: new-team\n    vpcIds: [vpc-0e2e00000000000d1, vpc-0e2e00000000000d2]\n',
};

/** accounts.yaml with these entries. */
export function accountsYaml(accounts: readonly E2eAccount[]): string {
  return accounts.length === 0 ? 'accounts: []\n' : `accounts:\n${accounts.map((a) => a.yaml).join('')}`;
}

/** The profile-mode configuration's organization (in the fake): an OU with two spoke accounts; 200000000003 stays outside. */
export const E2E_ORGANIZATION = {
  id: 'o-e2etest0001',
  managementAccount: E2E_HUB_ACCOUNT,
  accounts: [E2E_HUB_ACCOUNT, '200000000001', '020000000002', '100000000099'],
  ous: { 'ou-e2e0-e2etest1': ['200000000001', '020000000002'] },
  ramSharingEnabled: true,
};

/** The OU the profile-mode configuration shares its Profile with. */
export const E2E_OU_ARN = `arn:aws:organizations::${E2E_HUB_ACCOUNT}:ou/o-e2etest0001/ou-e2e0-e2etest1`;

/**
 * The spokes of the profile-mode configuration: the test accounts, the third without its S3 gateway
 * (a Profile cannot leave the s3 zone out for one VPC), outside the organization: it gets the
 * Profile as an account principal and accepts RAM's invitation.
 */
export const E2E_PROFILE_ACCOUNTS: readonly E2eAccount[] = [
  E2E_ACCOUNTS[0],
  E2E_ACCOUNTS[1],
  { id: '200000000003', yaml: '  - id: "200000000003"\n    vpcIds: [vpc-0e2e00000000000c1]\n' },
];

/**
 * hub.yaml of the profile-mode configuration in one step of a switch between modes: the test hub
 * (without its endpoint policy: one principal is outside the organization) and its `sharing`.
 */
export function profileHubYaml(mode: 'associations' | 'profile', transition: 'off' | 'both' | 'hub'): string {
  const hub = E2E_HUB_YAML.replace('endpointPolicy:\n  organizationId: o-e2etest0001\n', '');
  const keepsProfile = mode === 'profile' || transition !== 'off';
  const lines = ['sharing:', `  mode: ${mode}`, `  transition: ${transition}`];
  if (keepsProfile) lines.push(`  principals: ["${E2E_OU_ARN}", "200000000003"]`);
  return `${hub}${lines.join('\n')}\n`;
}

/** The organization ARN the endpoints configuration shares its Profile with. */
export const E2E_ORGANIZATION_ARN = `arn:aws:organizations::${E2E_HUB_ACCOUNT}:organization/o-e2etest0001`;

/**
 * The organization of the endpoints configuration (in the fake): the profile configuration's, with
 * the account the add scenario brings as a member too (an organization principal reaches it at once,
 * so the hub does not change). 200000000003 stays outside.
 */
export const E2E_ENDPOINTS_ORGANIZATION = {
  ...E2E_ORGANIZATION,
  accounts: [...E2E_ORGANIZATION.accounts, E2E_NEW_ACCOUNT.id],
};

/**
 * Registry accounts that appear nowhere in the endpoints configuration: with the `ecr.dkr` endpoint's
 * private DNS (`*.dkr.ecr.<r>.amazonaws.com`) their names resolve anyway; with a self-managed zone
 * they would be NXDOMAIN.
 */
export const E2E_UNLISTED_REGISTRIES = ['300000000011', '300000000012', '300000000013'] as const;

/** One step of the endpoints configuration's `sharing`. */
export interface EndpointsSharing {
  readonly mode: 'associations' | 'profile';
  readonly transition?: 'off' | 'both' | 'hub';
  readonly dns?: 'zones' | 'endpoints';
  /** With `dns: endpoints`: the services that keep their self-managed zone. */
  readonly zoneServices?: readonly string[];
}

/**
 * hub.yaml of the endpoints configuration: the test hub (without its endpoint policy: one principal
 * is outside the organization), shared with the whole organization and with 200000000003, which
 * accepts RAM's invitation.
 */
export function endpointsHubYaml(sharing: EndpointsSharing): string {
  const hub = E2E_HUB_YAML.replace('endpointPolicy:\n  organizationId: o-e2etest0001\n', '');
  const transition = sharing.transition ?? 'off';
  const lines = ['sharing:', `  mode: ${sharing.mode}`, `  transition: ${transition}`];
  if (sharing.dns) lines.push(`  dns: ${sharing.dns}`);
  if (sharing.zoneServices && sharing.zoneServices.length > 0) {
    lines.push(`  zoneServices: [${sharing.zoneServices.join(', ')}]`);
  }
  if (sharing.mode === 'profile' || transition !== 'off') {
    lines.push(`  principals: ["${E2E_ORGANIZATION_ARN}", "200000000003"]`);
  }
  return `${hub}${lines.join('\n')}\n`;
}
