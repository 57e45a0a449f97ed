/**
 * Who may assume each role, split by phase: a plan may only get a planner role, an apply only a
 * deployer role.
 *
 * - `credentials: dynamic` (Terraform Cloud): each account's roles trust Terraform Cloud's OIDC
 *   provider in that account for that stack's workspace only, the planner for `run_phase:plan`, the
 *   deployer for `run_phase:apply` (workload identity, `app.terraform.io:sub`).
 * - `credentials: assume-role`: GitHub Actions signs in with OIDC to one of two CI roles in the hub
 *   account, `vpce-ci-planner` for pull requests and `vpce-ci-deployer` for the protected `vpce-apply`
 *   environment, and the providers assume each account's planner or deployer from there
 *   (`TF_VAR_vpce_phase=plan` picks the planners). The account roles name the CI role by
 *   `aws:PrincipalArn` with the hub account as principal, so they can be created before it, and
 *   survive its re-creation.
 * - `iam.trustedPrincipals`: people and break-glass roles, beside either (`deployers` may assume the
 *   deployer roles, `planners` the planner roles).
 *
 * Like the permissions, every trust policy is constant in the number of accounts, and a spoke's is
 * the same for every account but for its own ID.
 */
import type { VpceConfig } from '../config/schema';
import { cloudWorkspaceName, stateLocation } from '../state/backends';
import { hubRoles, roleArn, spokeRoles } from '../stacks/roles';
import { HUB_STACK, spokeStackName } from '../stack-names';
import type { PolicyDocument } from './evaluate';

/** A trust policy (its statements have a Principal, unlike identity policies). */
export interface TrustPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/** A role's trust policy, and for the CI roles their permissions too. */
export interface RoleTrust {
  readonly roleArn: string;
  readonly trust: TrustPolicy;
  /** The CI roles' own permissions (assuming the account roles); none for the account roles. */
  readonly policy?: PolicyDocument;
}

/** The trust policies of one account's two roles. */
export interface AccountTrusts {
  readonly deployer: TrustPolicy;
  readonly planner: TrustPolicy;
}

/** The GitHub environment whose jobs may get the CI deployer role. */
export const APPLY_ENVIRONMENT = 'vpce-apply';
/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The CI roles' names (credentials: assume-role). */
export const CI_ROLE_NAMES = { planner: 'vpce-ci-planner', deployer: 'vpce-ci-deployer' } as const;

type Phase = 'plan' | 'apply';

/** The organization the IAM roles belong to: `iam.organizationId`, else `endpointPolicy.organizationId`. */
export function iamOrganizationId(config: Pick<VpceConfig, 'iam' | 'endpointPolicy'>): string | undefined {
  return config.iam.organizationId ?? config.endpointPolicy?.organizationId;
}

/** The CI roles' ARNs, in the hub account. */
export function ciRoles(config: Pick<VpceConfig, 'hub'>): { planner: string; deployer: string } {
  return {
    planner: roleArn(config.hub.accountId, CI_ROLE_NAMES.planner),
    deployer: roleArn(config.hub.accountId, CI_ROLE_NAMES.deployer),
  };
}

const trustPolicy = (statements: ReadonlyArray<Record<string, unknown>>): TrustPolicy => ({
  Version: '2012-10-17',
  Statement: statements,
});

/**
 * `iam.trustedPrincipals` of one phase: principals of named accounts by their account, those of any
 * account (`arn:aws:iam::*:...`) only within the organization; each by `aws:PrincipalArn`.
 */
function trustedPrincipalStatements(config: VpceConfig, phase: Phase): Array<Record<string, unknown>> {
  const patterns = config.iam.trustedPrincipals[phase === 'plan' ? 'planners' : 'deployers'];
  const sid = phase === 'plan' ? 'TrustedPlanners' : 'TrustedDeployers';
  const accountOf = (pattern: string) => pattern.split(':')[4];
  const named = patterns.filter((p) => accountOf(p) !== '*');
  const anywhere = patterns.filter((p) => accountOf(p) === '*');
  const statements: Array<Record<string, unknown>> = [];
  if (named.length > 0) {
    const roots = [...new Set(named.map((p) => `arn:aws:iam::${accountOf(p)}:root`))];
    statements.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: roots.length === 1 ? roots[0] : roots },
      Action: 'sts:AssumeRole',
      Condition: { ArnLike: { 'aws:PrincipalArn': named } },
    });
  }
  if (anywhere.length > 0) {
    statements.push({
      Sid: `${sid}OfTheOrganization`,
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': iamOrganizationId(config) },
        ArnLike: { 'aws:PrincipalArn': anywhere },
      },
    });
  }
  return statements;
}

/** Terraform Cloud's workload identity for one stack's workspace and phase, in `account`. */
function terraformCloudStatement(config: VpceConfig, account: string, stack: string, phase: Phase) {
  const state = config.state;
  if (state.backend !== 'cloud') throw new Error('internal: dynamic credentials without the cloud backend');
  const host = state.hostname;
  const workspace = cloudWorkspaceName(state.workspacePrefix, stateLocation(config).scope, stack);
  return {
    Sid: phase === 'plan' ? 'TerraformCloudPlans' : 'TerraformCloudApplies',
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${host}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { [`${host}:aud`]: 'aws.workload.identity' },
      StringLike: {
        [`${host}:sub`]: `organization:${state.organization}:project:${state.project}:workspace:${workspace}:run_phase:${phase}`,
      },
    },
  };
}

/** Whether the roles trust Terraform Cloud (dynamic credentials) rather than the CI roles. */
export function usesTerraformCloudIdentity(config: Pick<VpceConfig, 'state'>): boolean {
  return config.state.backend === 'cloud' && config.state.credentials === 'dynamic';
}

/** The trust policies of the roles of `account` (an account ID or the template's), whose stack is `stack`. */
function accountTrusts(config: VpceConfig, account: string, stack: string): AccountTrusts {
  const ci = ciRoles(config);
  const caller = (phase: Phase) =>
    usesTerraformCloudIdentity(config)
      ? terraformCloudStatement(config, account, stack, phase)
      : {
          Sid: phase === 'plan' ? 'CiPlanner' : 'CiDeployer',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${config.hub.accountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { ArnEquals: { 'aws:PrincipalArn': phase === 'plan' ? ci.planner : ci.deployer } },
        };
  return {
    deployer: trustPolicy([caller('apply'), ...trustedPrincipalStatements(config, 'apply')]),
    planner: trustPolicy([caller('plan'), ...trustedPrincipalStatements(config, 'plan')]),
  };
}

/** The hub roles' trust policies. */
export function hubTrusts(config: VpceConfig): AccountTrusts {
  return accountTrusts(config, config.hub.accountId, HUB_STACK);
}

/** One spoke account's roles' trust policies (`account` may be the CloudFormation template's). */
export function spokeTrusts(config: VpceConfig, account: string): AccountTrusts {
  return accountTrusts(config, account, spokeStackName(account));
}

/**
 * The CI roles (credentials: assume-role; none with Terraform Cloud's identity): GitHub OIDC for one
 * repository (`owner/name`), pull requests and the main branch (the live doctor, doctor.yml) to the
 * planner and the protected environment to the deployer; each may assume its phase's roles in the hub and in any spoke (by name), of the
 * organization when `iam.organizationId` is known.
 */
export function ciRoleTrusts(config: VpceConfig, githubRepository = 'OWNER/REPO'): RoleTrust[] {
  if (usesTerraformCloudIdentity(config)) return [];
  const hub = config.hub.accountId;
  const ci = ciRoles(config);
  const organization = iamOrganizationId(config);
  const githubTrust = (sub: string | string[]): TrustPolicy =>
    trustPolicy([
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${hub}:oidc-provider/${GITHUB_OIDC_HOST}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: sub },
        },
      },
    ]);
  const assumes = (hubRole: string, spokeRole: string): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AssumeTheAccountRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: [hubRole, spokeRole],
        ...(organization ? { Condition: { StringEquals: { 'aws:ResourceOrgID': organization } } } : {}),
      },
    ],
  });
  const hubRoleArns = hubRoles(config);
  // Every account's spoke role of the phase, by name.
  const anySpoke = spokeRoles(config, '*');
  return [
    {
      roleArn: ci.planner,
      // Pull-request plans, and the live doctor (doctor.yml) on main: after each apply and on a schedule.
      trust: githubTrust([`repo:${githubRepository}:pull_request`, `repo:${githubRepository}:ref:refs/heads/main`]),
      policy: assumes(hubRoleArns.planner, anySpoke.planner),
    },
    {
      roleArn: ci.deployer,
      trust: githubTrust(`repo:${githubRepository}:environment:${APPLY_ENVIRONMENT}`),
      policy: assumes(hubRoleArns.deployer, anySpoke.deployer),
    },
  ];
}
