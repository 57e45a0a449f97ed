/**
 * The roles as CloudFormation templates, for a platform team to roll out:
 *
 * - `spoke-roles.template.json`: the spoke deployer and planner, the same template for every
 *   account (the account's own ID is `${AWS::AccountId}`), fit for a service-managed StackSet with
 *   automatic deployment to the accounts of an OU (docs/security-and-iam.md, "Rolling the roles out");
 * - `hub-roles.template.json`: the hub deployer and planner, and the CI roles (or Terraform Cloud's
 *   identity provider), for the hub account.
 *
 * Both carry exactly the statements of `policies.ts` and `trust.ts`; {@link templateRoles} reads a
 * template back (resolving its few intrinsic functions) so that the e2e replays what it deploys.
 */
import type { VpceConfig } from '../config/schema';
import { hubRoles, spokeRoles } from '../stacks/roles';
import type { PolicyDocument } from './evaluate';
import {
  hubDeployerPolicy,
  hubPlannerPolicy,
  spokeDeployerPolicy,
  spokePlannerPolicy,
  TEMPLATE_ACCOUNT,
  type RoleKind,
} from './policies';
import {
  ciRoleTrusts,
  GITHUB_OIDC_HOST,
  hubTrusts,
  spokeTrusts,
  usesTerraformCloudIdentity,
  type TrustPolicy,
} from './trust';

/** A CloudFormation template (JSON). */
export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Parameters?: Record<string, Record<string, unknown>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
  readonly Outputs?: Record<string, Record<string, unknown>>;
}

/** The file names `npm run iam -- --out` writes the templates under. */
export const TEMPLATE_FILES = { hub: 'hub-roles.template.json', spoke: 'spoke-roles.template.json' } as const;

/** A role resource's own kind (the account roles' kinds, and the CI roles'). */
export type TemplateRoleKind = RoleKind | 'ci-planner' | 'ci-deployer';

const KIND_TAG = 'vpce-hub:role';

/** The name and path of a role ARN (`arn:aws:iam::<account>:role/<path>/<name>`). */
function nameAndPath(arn: string): { RoleName: string; Path?: string } {
  const parts = arn.split(':role/')[1].split('/');
  const name = parts.pop() as string;
  return parts.length > 0 ? { RoleName: name, Path: `/${parts.join('/')}/` } : { RoleName: name };
}

/**
 * A value as CloudFormation should carry it: strings equal to a key of `replace` become its value
 * (an identity provider's ARN becomes a reference to it), and strings that name `${AWS::...}` become
 * `Fn::Sub`.
 */
function toCfn(value: unknown, replace: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (replace.has(value)) return replace.get(value);
    return value.includes('${AWS::') ? { 'Fn::Sub': value } : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCfn(item, replace));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCfn(v, replace)]));
  }
  return value;
}

function role(
  config: VpceConfig,
  kind: TemplateRoleKind,
  arn: string,
  description: string,
  trust: TrustPolicy,
  policy: PolicyDocument,
  replace: ReadonlyMap<string, unknown>,
) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      ...nameAndPath(arn),
      Description: description,
      AssumeRolePolicyDocument: toCfn(trust, replace),
      Policies: [{ PolicyName: nameAndPath(arn).RoleName, PolicyDocument: toCfn(policy, replace) }],
      Tags: [{ Key: KIND_TAG, Value: kind }, ...Object.entries(config.tags).map(([Key, Value]) => ({ Key, Value }))],
    },
  };
}

/**
 * An OIDC identity provider the template creates when its parameter says so (an account has at most
 * one per URL: where it exists already, the stack refers to it by ARN instead).
 */
function identityProvider(host: string, audience: string, parameter: string, account: string) {
  const condition = `${parameter}Condition`;
  const logicalId = host === GITHUB_OIDC_HOST ? 'GitHubOidcProvider' : 'TerraformCloudOidcProvider';
  const arn = `arn:aws:iam::${account}:oidc-provider/${host}`;
  return {
    parameter: {
      [parameter]: {
        Type: 'String',
        AllowedValues: ['true', 'false'],
        Default: 'true',
        Description: `Whether this stack creates the account's OIDC identity provider for ${host}; false where it exists already.`,
      },
    },
    condition: { [condition]: { 'Fn::Equals': [{ Ref: parameter }, 'true'] } },
    resource: {
      [logicalId]: {
        Type: 'AWS::IAM::OIDCProvider',
        Condition: condition,
        Properties: { Url: `https://${host}`, ClientIdList: [audience] },
      },
    },
    // Trust policies name the provider: a reference when the stack creates it (so the roles wait for it).
    replace: [
      arn,
      { 'Fn::If': [condition, { Ref: logicalId }, arn.includes('${AWS::') ? { 'Fn::Sub': arn } : arn] },
    ] as const,
  };
}

/** Terraform Cloud's identity provider, where the roles trust it (dynamic credentials). */
function terraformCloudProvider(config: VpceConfig, account: string) {
  if (!usesTerraformCloudIdentity(config) || config.state.backend !== 'cloud') return undefined;
  return identityProvider(config.state.hostname, 'aws.workload.identity', 'CreateTerraformCloudOidcProvider', account);
}

const outputs = (logicalIds: readonly string[]) =>
  Object.fromEntries(logicalIds.map((id) => [`${id}Arn`, { Value: { 'Fn::GetAtt': [id, 'Arn'] } }]));

/** The spoke roles' template: one for every account (`${AWS::AccountId}` is each account's own ID). */
export function spokeRolesTemplate(config: VpceConfig): CfnTemplate {
  const arns = spokeRoles(config, TEMPLATE_ACCOUNT);
  const trusts = spokeTrusts(config, TEMPLATE_ACCOUNT);
  const provider = terraformCloudProvider(config, TEMPLATE_ACCOUNT);
  const replace = new Map<string, unknown>(provider ? [provider.replace] : []);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      `vpce-hub spoke roles for hub ${config.hub.accountId} in ${config.hub.region}: the deployer (applies) and the ` +
      'planner (plans) of one consumer account. The same template for every account: deploy it as a service-managed ' +
      'StackSet with automatic deployment.',
    ...(provider ? { Parameters: provider.parameter, Conditions: provider.condition } : {}),
    Resources: {
      DeployerRole: role(
        config,
        'spoke-deployer',
        arns.deployer,
        "vpce-hub: applies this account's spoke stack",
        trusts.deployer,
        spokeDeployerPolicy(config, TEMPLATE_ACCOUNT),
        replace,
      ),
      PlannerRole: role(
        config,
        'spoke-planner',
        arns.planner,
        "vpce-hub: plans this account's spoke stack (read-only)",
        trusts.planner,
        spokePlannerPolicy(config, TEMPLATE_ACCOUNT),
        replace,
      ),
      ...(provider?.resource ?? {}),
    },
    Outputs: outputs(['DeployerRole', 'PlannerRole']),
  };
}

/** The hub account's template: the hub roles, and the CI roles with GitHub's identity provider (or Terraform Cloud's). */
export function hubRolesTemplate(config: VpceConfig, githubRepository?: string): CfnTemplate {
  const hub = config.hub.accountId;
  const arns = hubRoles(config);
  const trusts = hubTrusts(config);
  const ci = ciRoleTrusts(config, githubRepository);
  const provider =
    terraformCloudProvider(config, hub) ??
    identityProvider(GITHUB_OIDC_HOST, 'sts.amazonaws.com', 'CreateGitHubOidcProvider', hub);
  const replace = new Map<string, unknown>([provider.replace]);
  const ciResources = Object.fromEntries(
    ci.map((c, i) => {
      const kind = i === 0 ? 'ci-planner' : 'ci-deployer';
      const description =
        kind === 'ci-planner'
          ? 'vpce-hub CI: pull-request plans (GitHub OIDC); assumes the planner roles'
          : 'vpce-hub CI: applies from the protected environment (GitHub OIDC); assumes the deployer roles';
      return [
        kind === 'ci-planner' ? 'CiPlannerRole' : 'CiDeployerRole',
        role(config, kind, c.roleArn, description, c.trust, c.policy as PolicyDocument, replace),
      ];
    }),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `vpce-hub hub roles for hub ${hub} in ${config.hub.region}: the hub deployer and planner${ci.length > 0 ? ', and the CI roles' : ''}.`,
    Parameters: provider.parameter,
    Conditions: provider.condition,
    Resources: {
      HubDeployerRole: role(
        config,
        'hub-deployer',
        arns.deployer,
        'vpce-hub: applies the hub stack',
        trusts.deployer,
        hubDeployerPolicy(config),
        replace,
      ),
      HubPlannerRole: role(
        config,
        'hub-planner',
        arns.planner,
        'vpce-hub: plans the hub stack (read-only)',
        trusts.planner,
        hubPlannerPolicy(config),
        replace,
      ),
      ...ciResources,
      ...provider.resource,
    },
    Outputs: outputs(['HubDeployerRole', 'HubPlannerRole', ...Object.keys(ciResources)]),
  };
}

// ---- Reading a template back ----

/** A role as a template creates it in one account. */
export interface TemplateRole {
  readonly kind: TemplateRoleKind;
  readonly roleArn: string;
  readonly trust: TrustPolicy;
  readonly policy: PolicyDocument;
}

/** Where a template is deployed, and its parameters (default: each parameter's Default). */
export interface TemplateDeployment {
  readonly accountId: string;
  readonly region: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * Resolves the intrinsic functions vpce-hub's templates use (`Ref`, `Fn::Sub`, `Fn::If`,
 * `Fn::Equals`) for one deployment; anything else throws, so a template it cannot read is never
 * taken for what it is not.
 */
class Resolver {
  private readonly conditions = new Map<string, boolean>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly deployment: TemplateDeployment,
  ) {}

  private ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': this.deployment.accountId,
      'AWS::Region': this.deployment.region,
      'AWS::Partition': 'aws',
    };
    if (name in pseudo) return pseudo[name];
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.deployment.parameters?.[name] ?? String(parameter.Default);
    const resource = this.template.Resources[name];
    if (resource?.Type === 'AWS::IAM::OIDCProvider') {
      const url = String(resource.Properties.Url).replace(/^https:\/\//, '');
      return `arn:aws:iam::${this.deployment.accountId}:oidc-provider/${url}`;
    }
    throw new Error(`the template reader cannot resolve Ref ${name}`);
  }

  condition(name: string): boolean {
    if (!this.conditions.has(name)) {
      const definition = this.template.Conditions?.[name] as { 'Fn::Equals'?: [unknown, unknown] } | undefined;
      if (!definition?.['Fn::Equals']) throw new Error(`the template reader cannot evaluate the condition ${name}`);
      const [a, b] = definition['Fn::Equals'].map((v) => this.value(v));
      this.conditions.set(name, a === b);
    }
    return this.conditions.get(name) as boolean;
  }

  value(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key === 'Ref') return this.ref(String(argument));
    if (entries.length === 1 && key === 'Fn::Sub') {
      return String(argument).replace(/\$\{([^}!]+)\}/g, (_, name: string) => this.ref(name));
    }
    if (entries.length === 1 && key === 'Fn::If') {
      const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return this.value(this.condition(condition) ? whenTrue : whenFalse);
    }
    if (entries.length === 1 && key.startsWith('Fn::')) throw new Error(`the template reader does not know ${key}`);
    return Object.fromEntries(entries.map(([k, v]) => [k, this.value(v)]));
  }
}

/** The roles a template creates in one account, with their trust and permissions as IAM receives them. */
export function templateRoles(template: CfnTemplate, deployment: TemplateDeployment): TemplateRole[] {
  const resolver = new Resolver(template, deployment);
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Role')
    .filter((resource) => !resource.Condition || resolver.condition(resource.Condition))
    .map((resource) => {
      const p = resolver.value(resource.Properties) as {
        RoleName: string;
        Path?: string;
        AssumeRolePolicyDocument: TrustPolicy;
        Policies: Array<{ PolicyDocument: PolicyDocument }>;
        Tags: Array<{ Key: string; Value: string }>;
      };
      if (p.Policies.length !== 1) throw new Error(`internal: role ${p.RoleName} has ${p.Policies.length} policies`);
      return {
        kind: p.Tags.find((t) => t.Key === KIND_TAG)?.Value as TemplateRoleKind,
        roleArn: `arn:aws:iam::${deployment.accountId}:role${p.Path ?? '/'}${p.RoleName}`,
        trust: p.AssumeRolePolicyDocument,
        policy: p.Policies[0].PolicyDocument,
      };
    });
}
