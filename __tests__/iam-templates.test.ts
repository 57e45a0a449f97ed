/**
 * The CloudFormation templates `npm run iam -- --out` writes: valid against the CloudFormation
 * resource specification, the same spoke template whatever accounts.yaml lists, and read back
 * (`templateRoles`) exactly the documents of `policies.ts` and `trust.ts` in any account.
 */
import { hubRolesTemplate, spokeRolesTemplate, templateRoles, type CfnTemplate } from '../lib/iam/cloudformation';
import { hubDeployerPolicy, hubPlannerPolicy, spokeDeployerPolicy, spokePlannerPolicy } from '../lib/iam/policies';
import { ciRoleTrusts, hubTrusts, spokeTrusts } from '../lib/iam/trust';
import type { VpceConfig } from '../lib/config/schema';
import { hubRoles, spokeRoles } from '../lib/stacks/roles';
import { ACCOUNTS_YAML, configFrom, type ParsedJson } from './helpers/config';
import { CloudFormationSpec } from './helpers/cloudformation-spec';
import { variantConfig, variantText, type IamVariant } from './helpers/iam';

const REGION = 'ap-northeast-1';
const REPO = 'acme/network';
/** The variants whose templates differ in shape: CI roles and GitHub's provider, or Terraform Cloud's. */
const SHAPES: IamVariant[] = ['associations', 'profile', 'cloud-dynamic', 'trusted-principals'];
const configs = new Map<IamVariant, VpceConfig>(SHAPES.map((variant) => [variant, variantConfig(variant, 3)]));
const config = (variant: IamVariant) => configs.get(variant)!;

let spec: CloudFormationSpec;
beforeAll(async () => {
  spec = await CloudFormationSpec.load();
});

/** A deep copy to break. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the templates are valid CloudFormation', () => {
  test.each(SHAPES)('%s: both templates pass the resource specification', (variant) => {
    const hub = hubRolesTemplate(config(variant), REPO);
    const spoke = spokeRolesTemplate(config(variant));
    expect(spec.problems(hub)).toEqual([]);
    expect(spec.problems(spoke)).toEqual([]);
    const types = (t: CfnTemplate) => Object.values(t.Resources).map((r) => r.Type);
    if (variant === 'cloud-dynamic') {
      expect(types(hub)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::OIDCProvider']);
      expect(types(spoke)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::OIDCProvider']);
    } else {
      expect(types(hub)).toEqual([...Array(4).fill('AWS::IAM::Role'), 'AWS::IAM::OIDCProvider']);
      expect(types(spoke)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role']);
    }
  });

  test('the validator finds what CloudFormation would refuse', () => {
    const broken: ParsedJson = copy(spokeRolesTemplate(config('cloud-dynamic')));
    const resources = broken.Resources;
    const deployer = resources.DeployerRole.Properties;
    deployer.RoleNmae = deployer.RoleName; // a typo
    deployer.MaxSessionDuration = 'one hour';
    deployer.Tags = [{ Key: 'team', Value: 3 }];
    deployer.Policies = [{ PolicyDocument: {} }];
    delete resources.PlannerRole.Properties.AssumeRolePolicyDocument;
    resources.PlannerRole.Properties.Description = { Ref: 'NoSuchThing' };
    resources.PlannerRole.Condition = 'NoSuchCondition';
    resources.Extra = { Type: 'AWS::IAM::Rolee', Properties: {} };
    broken.Outputs.DeployerRoleArn.Value = { 'Fn::GetAtt': ['DeployerRole', 'Nope'] };
    broken.Outputs.Name = { Value: { 'Fn::Sub': '${Missing} in ${AWS::Region}' } };
    broken.Parameters.CreateTerraformCloudOidcProvider.Default = 'yes';
    broken.Resource = {};
    const problems = spec.problems(broken);
    expect(problems.sort()).toEqual(
      [
        'unknown top-level key Resource',
        'Parameters.CreateTerraformCloudOidcProvider: Default "yes" is not among its AllowedValues',
        'Resources.DeployerRole.Properties: unknown property RoleNmae',
        'Resources.DeployerRole.Properties.MaxSessionDuration: expected an integer, got "one hour"',
        'Resources.DeployerRole.Properties.Tags[0].Value: expected a string, got 3',
        'Resources.DeployerRole.Properties.Policies[0]: the required property PolicyName is missing',
        'Resources.PlannerRole.Properties: the required property AssumeRolePolicyDocument is missing',
        'Resources.PlannerRole.Condition: the condition "NoSuchCondition" is not defined in Conditions',
        'Resources.PlannerRole.Properties.Description.Ref: NoSuchThing is no parameter, pseudo parameter or resource of the template',
        'Resources.Extra: unknown resource type "AWS::IAM::Rolee"',
        'Outputs.DeployerRoleArn.Value.Fn::GetAtt: AWS::IAM::Role has no attribute "Nope"',
        'Outputs.Name.Value.Fn::Sub: Missing is no parameter, pseudo parameter or resource of the template',
      ].sort(),
    );
    // A Ref where a list is expected, a pseudo parameter left outside Fn::Sub, and an Fn::If of an undefined condition.
    const more = copy(spokeRolesTemplate(config('associations'))) as unknown as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    more.Resources.DeployerRole.Properties.ManagedPolicyArns = { Ref: 'AWS::Region' };
    more.Resources.DeployerRole.Properties.Path = 'arn:aws:iam::${AWS::AccountId}:x';
    more.Resources.PlannerRole.Properties.Description = { 'Fn::If': ['Nowhere', 'a', 'b'] };
    expect(spec.problems(more).sort()).toEqual(
      [
        'Resources.DeployerRole.Properties.ManagedPolicyArns: Ref where the specification expects array of string',
        'Resources.DeployerRole.Properties.Path: arn:aws:iam::${AWS::AccountId}:x names a pseudo parameter outside Fn::Sub',
        'Resources.PlannerRole.Properties.Description.Fn::If: the condition "Nowhere" is not defined in Conditions',
      ].sort(),
    );
  });

  test('the spoke template (and the hub template) is the same whatever accounts.yaml lists', () => {
    for (const variant of ['associations', 'cloud-dynamic'] as const) {
      const { hub } = variantText(variant, 3);
      const of = (accounts: string) => {
        const c = configFrom(hub, accounts);
        return { spoke: JSON.stringify(spokeRolesTemplate(c)), hub: JSON.stringify(hubRolesTemplate(c, REPO)) };
      };
      const reference = of(ACCOUNTS_YAML);
      expect(of('accounts: []\n')).toEqual(reference);
      expect(of(variantText(variant, 50).accounts)).toEqual(reference);
      expect(reference.spoke).not.toContain('123456789012');
    }
  });
});

describe('a template read back is exactly the generated documents', () => {
  test.each(SHAPES)(
    '%s: the spoke template in any account gives spokeDeployerPolicy, spokePlannerPolicy and spokeTrusts',
    (variant) => {
      const c = config(variant);
      const template = spokeRolesTemplate(c);
      for (const accountId of [...c.accounts.map((a) => a.id), '210987654321']) {
        const roles = templateRoles(template, { accountId, region: REGION });
        const arns = spokeRoles(c, accountId);
        const trusts = spokeTrusts(c, accountId);
        expect(roles).toEqual([
          {
            kind: 'spoke-deployer',
            roleArn: arns.deployer,
            trust: trusts.deployer,
            policy: spokeDeployerPolicy(c, accountId),
          },
          {
            kind: 'spoke-planner',
            roleArn: arns.planner,
            trust: trusts.planner,
            policy: spokePlannerPolicy(c, accountId),
          },
        ]);
        expect(JSON.stringify(roles)).not.toContain('${');
      }
    },
  );

  test.each(SHAPES)('%s: the hub template gives the hub documents and the CI roles', (variant) => {
    const c = config(variant);
    const hub = c.hub.accountId;
    const arns = hubRoles(c);
    const trusts = hubTrusts(c);
    const ci = ciRoleTrusts(c, REPO);
    const expected = [
      { kind: 'hub-deployer', roleArn: arns.deployer, trust: trusts.deployer, policy: hubDeployerPolicy(c) },
      { kind: 'hub-planner', roleArn: arns.planner, trust: trusts.planner, policy: hubPlannerPolicy(c) },
      ...ci.map((role, i) => ({
        kind: i === 0 ? 'ci-planner' : 'ci-deployer',
        roleArn: role.roleArn,
        trust: role.trust,
        policy: role.policy,
      })),
    ];
    expect(ci).toHaveLength(variant === 'cloud-dynamic' ? 0 : 2);
    const parameter = variant === 'cloud-dynamic' ? 'CreateTerraformCloudOidcProvider' : 'CreateGitHubOidcProvider';
    for (const create of ['true', 'false']) {
      const roles = templateRoles(hubRolesTemplate(c, REPO), {
        accountId: hub,
        region: REGION,
        parameters: { [parameter]: create },
      });
      expect(roles).toEqual(expected);
    }
  });

  test('dynamic credentials: the Federated principal is the account own Terraform Cloud provider, created by the stack or not', () => {
    const c = config('cloud-dynamic');
    const federated = (roles: ReturnType<typeof templateRoles>) =>
      roles.map((role) => (role.trust.Statement[0].Principal as { Federated: string }).Federated);
    for (const create of ['true', 'false']) {
      const parameters = { CreateTerraformCloudOidcProvider: create };
      const spoke = templateRoles(spokeRolesTemplate(c), { accountId: '210987654321', region: REGION, parameters });
      expect(federated(spoke)).toEqual(Array(2).fill('arn:aws:iam::210987654321:oidc-provider/app.terraform.io'));
      const hub = templateRoles(hubRolesTemplate(c), { accountId: c.hub.accountId, region: REGION, parameters });
      expect(federated(hub)).toEqual(Array(2).fill(`arn:aws:iam::${c.hub.accountId}:oidc-provider/app.terraform.io`));
    }
    // Where the stack creates the provider, the roles refer to it (and so wait for it); the provider is conditional.
    const template = spokeRolesTemplate(c);
    const trust = template.Resources.DeployerRole.Properties.AssumeRolePolicyDocument as {
      Statement: Array<{ Principal: { Federated: unknown } }>;
    };
    expect(trust.Statement[0].Principal.Federated).toEqual({
      'Fn::If': [
        'CreateTerraformCloudOidcProviderCondition',
        { Ref: 'TerraformCloudOidcProvider' },
        { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:oidc-provider/app.terraform.io' },
      ],
    });
    expect(template.Resources.TerraformCloudOidcProvider).toMatchObject({
      Condition: 'CreateTerraformCloudOidcProviderCondition',
      Properties: { Url: 'https://app.terraform.io', ClientIdList: ['aws.workload.identity'] },
    });
  });
});
