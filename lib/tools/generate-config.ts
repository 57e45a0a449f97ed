/**
 * Generates a configuration of N consumer accounts (fake IDs), for the benchmark and the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What to generate. */
export interface GeneratedConfigOptions {
  /** Consumer accounts. */
  readonly accounts: number;
  /** VPCs per account. @default 1 */
  readonly vpcsPerAccount?: number;
  /** Services to centralize. @default the Fargate set */
  readonly services?: readonly string[];
  /**
   * How the zones are shared: `associations` (default); `profile-organization` (the Profile shared
   * with {@link GENERATED_ORGANIZATION_ARN}); `profile-accounts` (shared with each account, inside the
   * organization: no invitations).
   */
  readonly sharing?: GeneratedSharing;
}

/** The sharing variants of generated configurations. */
export const GENERATED_SHARING = ['associations', 'profile-organization', 'profile-accounts'] as const;
export type GeneratedSharing = (typeof GENERATED_SHARING)[number];

/** The hub account of the generated configurations. */
export const GENERATED_HUB_ACCOUNT = '999999999999';

/** The organization of generated configurations: the hub account is its management account. */
export const GENERATED_ORGANIZATION_ID = 'o-vpcehub0001';
export const GENERATED_ORGANIZATION_ARN = `arn:aws:organizations::${GENERATED_HUB_ACCOUNT}:organization/${GENERATED_ORGANIZATION_ID}`;

function sharingLines(sharing: GeneratedSharing): string[] {
  if (sharing === 'profile-organization') return ['sharing:', '  mode: profile', `  principals: ["${GENERATED_ORGANIZATION_ARN}"]`];
  if (sharing === 'profile-accounts') return ['sharing:', '  mode: profile', '  acceptInvitations: false'];
  return [];
}

/** The Fargate set: what a task in a private subnet needs to pull from ECR and log. */
export const FARGATE_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'sts'];

/** A fake account ID for the i-th account; small numbers keep their leading zeros (`000000000007`). */
export function fakeAccountId(i: number): string {
  return String(i + 1).padStart(12, '0');
}

/** A fake 17-hex-digit VPC ID, unique per (account, vpc). */
export function fakeVpcId(account: number, vpc: number): string {
  return `vpc-${(account * 16 + vpc).toString(16).padStart(17, '0')}`;
}

/** The text of hub.yaml and accounts.yaml. */
export function generateConfig(options: GeneratedConfigOptions): { hub: string; accounts: string } {
  const services = options.services ?? FARGATE_SERVICES;
  const vpcs = options.vpcsPerAccount ?? 1;
  const hub = [
    'hub:',
    `  accountId: "${GENERATED_HUB_ACCOUNT}"`,
    '  region: ap-northeast-1',
    '  vpcId: vpc-0a1b2c3d4e5f60718',
    '  subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69780]',
    '  allowedCidrs: [10.0.0.0/8]',
    `services: [${services.join(', ')}]`,
    'spokes:',
    '  roleName: vpce-spoke-deployer',
    ...sharingLines(options.sharing ?? 'associations'),
    'limits:',
    `  vpcAssociationsPerZone: ${Math.max(300, options.accounts * vpcs + 1)}`,
    `  vpcAssociationsPerProfile: ${Math.max(1000, options.accounts * vpcs)}`,
    '',
  ].join('\n');
  const lines = ['accounts:'];
  for (let i = 0; i < options.accounts; i++) {
    const vpcIds = Array.from({ length: vpcs }, (_, v) => fakeVpcId(i, v));
    lines.push(`  - id: "${fakeAccountId(i)}"`, `    vpcIds: [${vpcIds.join(', ')}]`);
  }
  if (options.accounts === 0) lines[0] = 'accounts: []';
  return { hub, accounts: `${lines.join('\n')}\n` };
}

/** Writes a generated configuration into `dir`. */
export function writeGeneratedConfig(dir: string, options: GeneratedConfigOptions): void {
  mkdirSync(dir, { recursive: true });
  const { hub, accounts } = generateConfig(options);
  writeFileSync(join(dir, 'hub.yaml'), hub);
  writeFileSync(join(dir, 'accounts.yaml'), accounts);
}
