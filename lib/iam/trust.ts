/**
 * Who may assume each role, split by phase: a plan may only get a planner role, an apply only a
 * deployer role.
 *
 * - `credentials: dynamic` (Terraform Cloud): each account's roles trust Terraform Cloud's OIDC
 *   provider for that stack's workspace only, the planner for `run_phase:plan`, the deployer for
 *   `run_phase:apply` (workload identity, `app.terraform.io:sub`).
 * - `credentials: assume-role`: GitHub Actions signs in with OIDC to one of two CI roles in the hub
 *   account, `vpce-ci-planner` for pull requests and `vpce-ci-deployer` for the protected `vpce-apply`
 *   environment, and the providers assume each account's planner or deployer from there
 *   (`TF_VAR_vpce_phase=plan` picks the planners).
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

/** The GitHub environment whose jobs may get the CI deployer role. */
export const APPLY_ENVIRONMENT = 'vpce-apply';
const GITHUB = 'token.actions.githubusercontent.com';

/** Trust policies for every role of a configuration; `githubRepository` is `owner/name`. */
export function trustPolicies(config: VpceConfig, githubRepository = 'OWNER/REPO'): RoleTrust[] {
  const stacks = [
    { stack: HUB_STACK, account: config.hub.accountId, roles: hubRoles(config) },
    ...config.accounts.map((a) => ({ stack: spokeStackName(a.id), account: a.id, roles: spokeRoles(config, a.id) })),
  ];
  const state = config.state;
  if (state.backend === 'cloud' && state.credentials === 'dynamic') {
    const { scope } = stateLocation(config);
    const host = state.hostname;
    return stacks.flatMap(({ stack, account, roles }) =>
      (['plan', 'apply'] as const).map((phase) => ({
        roleArn: phase === 'plan' ? roles.planner : roles.deployer,
        trust: {
          Version: '2012-10-17' as const,
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${host}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { [`${host}:aud`]: 'aws.workload.identity' },
                StringLike: {
                  [`${host}:sub`]:
                    `organization:${state.organization}:project:${state.project}` +
                    `:workspace:${cloudWorkspaceName(state.workspacePrefix, scope, stack)}:run_phase:${phase}`,
                },
              },
            },
          ],
        },
      })),
    );
  }
  const hub = config.hub.accountId;
  const ci = { planner: roleArn(hub, 'vpce-ci-planner'), deployer: roleArn(hub, 'vpce-ci-deployer') };
  const githubTrust = (sub: string): TrustPolicy => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${hub}:oidc-provider/${GITHUB}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com', [`${GITHUB}:sub`]: sub } },
      },
    ],
  });
  const assumes = (targets: string[]): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AssumeTheAccountRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: targets }],
  });
  const trustedBy = (principal: string): TrustPolicy => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
  });
  return [
    {
      roleArn: ci.planner,
      trust: githubTrust(`repo:${githubRepository}:pull_request`),
      policy: assumes(stacks.map((s) => s.roles.planner)),
    },
    {
      roleArn: ci.deployer,
      trust: githubTrust(`repo:${githubRepository}:environment:${APPLY_ENVIRONMENT}`),
      policy: assumes(stacks.map((s) => s.roles.deployer)),
    },
    ...stacks.flatMap(({ roles }) => [
      { roleArn: roles.planner, trust: trustedBy(ci.planner) },
      { roleArn: roles.deployer, trust: trustedBy(ci.deployer) },
    ]),
  ];
}
