/**
 * Test helpers for the IAM documents (`npm run iam`): generated configurations of N accounts in each
 * sharing mode and credentials setting, and a run of the command's `main` with a config folder.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as iamMain } from '../../lib/commands/iam';
import type { VpceConfig } from '../../lib/config/schema';
import { GENERATED_HUB_ACCOUNT, GENERATED_ORGANIZATION_ARN, generateConfig } from '../../test/fixtures/generate-config';
import { configFrom, edit } from './config';
import { tempDir } from './temp';

/** The organization of the generated configurations, as iam.organizationId takes it. */
export const ORGANIZATION_ID = GENERATED_ORGANIZATION_ARN.split('/').pop() as string;

/** `iam.trustedPrincipals` of the variant that has some: named accounts and any account of the organization. */
export const TRUSTED_PRINCIPALS = {
  deployers: [
    'arn:aws:iam::444444444444:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_NetworkAdmin_*',
    'arn:aws:iam::555555555555:role/break-glass',
  ],
  planners: [
    'arn:aws:iam::444444444444:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_ReadOnly_*',
    'arn:aws:iam::*:role/auditor-?',
  ],
} as const;

/** Lines of hub.yaml that make each variant (appended to the generated hub.yaml, or edited into it). */
const VARIANTS = {
  associations: '',
  profile: 'sharing:\n  mode: profile\n',
  'profile-organization': `sharing:\n  mode: profile\n  principals: ["${GENERATED_ORGANIZATION_ARN}"]\n`,
  'profile-endpoints': `sharing:\n  mode: profile\n  dns: endpoints\n  principals: ["${GENERATED_ORGANIZATION_ARN}"]\n`,
  'profile-transition-both': 'sharing:\n  mode: profile\n  transition: both\n',
  'associations-transition-hub': 'sharing:\n  mode: associations\n  transition: hub\n',
  'cloud-dynamic': 'state:\n  backend: cloud\n  organization: acme\n  credentials: dynamic\n',
  'trusted-principals':
    `iam:\n  organizationId: ${ORGANIZATION_ID}\n  trustedPrincipals:\n` +
    `    deployers: [${TRUSTED_PRINCIPALS.deployers.map((p) => `"${p}"`).join(', ')}]\n` +
    `    planners: [${TRUSTED_PRINCIPALS.planners.map((p) => `"${p}"`).join(', ')}]\n`,
} as const;

/** A sharing mode, credentials setting or iam block whose documents the tests check. */
export type IamVariant = keyof typeof VARIANTS;
export const IAM_VARIANTS = Object.keys(VARIANTS) as IamVariant[];

/** The hub deployer's ARN in the generated configurations (dynamic credentials need it in hub.yaml). */
export const GENERATED_HUB_ROLE = `arn:aws:iam::${GENERATED_HUB_ACCOUNT}:role/vpce-hub-deployer`;

/** hub.yaml and accounts.yaml of a variant with `accounts` accounts of `vpcsPerAccount` VPCs. */
export function variantText(
  variant: IamVariant,
  accounts: number,
  vpcsPerAccount = 2,
  services?: readonly string[],
): { hub: string; accounts: string } {
  const generated = generateConfig({ accounts, vpcsPerAccount, services });
  let hub = generated.hub + VARIANTS[variant];
  if (variant === 'cloud-dynamic') {
    hub = edit(
      hub,
      '  allowedCidrs: [10.0.0.0/8]\n',
      `  allowedCidrs: [10.0.0.0/8]\n  roleArn: ${GENERATED_HUB_ROLE}\n`,
    );
  }
  return { hub, accounts: generated.accounts };
}

/** A variant's configuration, validated. */
export function variantConfig(variant: IamVariant, accounts: number, vpcsPerAccount = 2): VpceConfig {
  const text = variantText(variant, accounts, vpcsPerAccount);
  return configFrom(text.hub, text.accounts);
}

/** What one run of `npm run iam` did. */
export interface IamRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The files `--out` wrote: name -> content (empty when it wrote none). */
  readonly files: ReadonlyMap<string, string>;
  readonly outDir: string;
}

/**
 * Runs `npm run iam -- --out <new temp folder> ...args` on a config folder holding `hub` and
 * `accounts`, with stdout and stderr captured and VPCE_CONFIG_DIR restored afterwards.
 */
export function runIam(hub: string, accounts: string, args: readonly string[] = []): IamRun {
  const configDir = tempDir('vpce-iam-config');
  writeFileSync(join(configDir, 'hub.yaml'), hub);
  writeFileSync(join(configDir, 'accounts.yaml'), accounts);
  const outDir = join(tempDir('vpce-iam-out'), 'out');
  const saved = process.env.VPCE_CONFIG_DIR;
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  let status: number;
  try {
    process.env.VPCE_CONFIG_DIR = configDir;
    status = iamMain(['--out', outDir, ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    if (saved === undefined) delete process.env.VPCE_CONFIG_DIR;
    else process.env.VPCE_CONFIG_DIR = saved;
  }
  return { status, stdout, stderr, files: readFiles(outDir), outDir };
}

/** The files of a folder (none when it does not exist): name -> content. */
function readFiles(dir: string): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return new Map();
  }
  return new Map(names.sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}
