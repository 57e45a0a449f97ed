/**
 * Least privilege: what the generated IAM documents (`npm run iam`) allow and deny, whom each role
 * trusts, what IAM would refuse, the `iam` configuration block, the evaluator the e2e replays calls
 * with, and the organization endpoint policies. Scale and day-2 constancy: iam-scale.test.ts; the
 * CloudFormation templates: iam-templates.test.ts; the Service Authorization Reference:
 * iam-service-data.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamDocuments, spokeAccountRoles } from '../lib/commands/iam';
import { documentProblems, IAM_LIMITS, policySize, type CheckedDocument } from '../lib/iam/document-checks';
import { allowedActions, evaluate, type PolicyDocument } from '../lib/iam/evaluate';
import {
  hubDeployerPolicy,
  hubPlannerPolicy,
  RARELY_CALLED,
  route53VpcKey,
  spokeDeployerPolicy,
  spokePlannerPolicy,
} from '../lib/iam/policies';
import { ciRoleTrusts, hubTrusts, spokeTrusts, type TrustPolicy } from '../lib/iam/trust';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, type ParsedJson, problemsOf, synthAll } from './helpers/config';
import { runIam } from './helpers/iam';

const R = 'ap-northeast-1';
const HUB = '111111111111';
const SPOKE = '123456789012';
const OTHER = '444444444444';
const HUB_VPC = 'vpc-0a1b2c3d4e5f60718';
const ORG = 'o-a1b2c3d4e5';
const config = configFrom();
const zone = 'arn:aws:route53:::hostedzone/Z123';
const ask = (policy: PolicyDocument, action: string, resources: string[], context: Record<string, string[]> = {}) =>
  evaluate(policy, { action, resources, context }).allowed;
const ec2 = (account: string, type: string, id: string, region = R) => `arn:aws:ec2:${region}:${account}:${type}/${id}`;
/** `route53:VPCs` naming one VPC. */
const vpcs = (vpcId: string, region = R) => ({ 'route53:VPCs': [route53VpcKey(vpcId, region)] });
/** A trust policy's first statement. */
const trust0 = (trust: TrustPolicy) => trust.Statement[0];
/** hub.yaml with more top-level lines. */
const hubWith = (lines: string, hub = HUB_YAML) => `${hub}${lines}`;
/** The 1-based line of the first occurrence of `text` in `yaml`. */
const lineOf = (yaml: string, text: string) => {
  const at = yaml.indexOf(text);
  if (at < 0) throw new Error(`test setup: ${text} not found`);
  return yaml.slice(0, at).split('\n').length;
};

describe('the evaluator', () => {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['route53:Associate*'],
        Resource: 'arn:aws:route53:::hostedzone/*',
        Condition: { 'ForAllValues:StringEquals': { 'route53:VPCs': ['a'] }, Null: { 'route53:VPCs': 'false' } },
      },
      { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:DescribeVpcs', Resource: '*' },
    ],
  };
  test('wildcards in actions and resources; ForAllValues with Null; an explicit Deny wins', () => {
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': ['a'] })).toBe(true);
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': ['b'] })).toBe(false);
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone])).toBe(false); // no VPC in the request: Null says no
    expect(
      ask(policy, 'route53:AssociateVPCWithHostedZone', ['arn:aws:route53:::change/C1'], { 'route53:VPCs': ['a'] }),
    ).toBe(false);
    expect(ask(policy, 'ec2:DescribeSubnets', ['*'])).toBe(true);
    expect(ask(policy, 'ec2:DescribeVpcs', ['*'])).toBe(false);
    expect(ask(policy, 'ec2:CreateVpc', ['*'])).toBe(false);
  });

  test('refuses a condition operator it does not know, rather than allow', () => {
    const unknown: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { x: '1' } } }],
    };
    expect(() => ask(unknown, 'a:b', ['*'], { x: ['0'] })).toThrow(
      'does not know the condition operator NumericLessThan',
    );
  });
});

describe('the hub deployer', () => {
  const policy = hubDeployerPolicy(config);
  const authorizations = ['route53:CreateVPCAssociationAuthorization', 'route53:DeleteVPCAssociationAuthorization'];

  test('authorizes and deauthorizes any VPC of its region, listed or not, and none of another region', () => {
    for (const action of authorizations) {
      expect(ask(policy, action, [zone], vpcs('vpc-0123456789abcdef0'))).toBe(true);
      expect(ask(policy, action, [zone], vpcs('vpc-0ffffffffffffffff'))).toBe(true); // in no accounts.yaml
      expect(ask(policy, action, [zone], vpcs('vpc-0123456789abcdef0', 'us-east-1'))).toBe(false);
      expect(ask(policy, action, [zone])).toBe(false); // names no VPC
      expect(
        ask(policy, action, [zone], {
          'route53:VPCs': [
            route53VpcKey('vpc-0123456789abcdef0', R),
            route53VpcKey('vpc-0123456789abcdef0', 'eu-west-1'),
          ],
        }),
      ).toBe(false);
    }
  });

  test('creates private zones only on the hub VPC, and associates no other VPC', () => {
    expect(ask(policy, 'route53:CreateHostedZone', ['*'], vpcs(HUB_VPC))).toBe(true);
    expect(ask(policy, 'route53:CreateHostedZone', ['*'], vpcs('vpc-0123456789abcdef0'))).toBe(false);
    expect(ask(policy, 'route53:CreateHostedZone', ['*'], vpcs(HUB_VPC, 'us-east-1'))).toBe(false);
    expect(ask(policy, 'route53:CreateHostedZone', ['*'])).toBe(false); // a public zone
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], vpcs(HUB_VPC))).toBe(true); // private DNS on
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], vpcs('vpc-0123456789abcdef0'))).toBe(false);
    expect(ask(policy, 'route53:DisassociateVPCFromHostedZone', [zone], vpcs(HUB_VPC))).toBe(false);
  });

  test('creates endpoints only of AWS services of its region, and only in the hub VPC and subnets', () => {
    const endpoint = (service: string) => ({ 'ec2:VpceServiceName': [service] });
    const created = [ec2(HUB, 'vpc-endpoint', '*')];
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint(`com.amazonaws.${R}.logs`))).toBe(true);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint(`com.amazonaws.${R}.ecr.dkr`))).toBe(true);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint('com.amazonaws.us-east-1.logs'))).toBe(false);
    expect(
      ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint(`com.amazonaws.vpce.${R}.vpce-svc-0123456789abcdef0`)),
    ).toBe(false); // someone's PrivateLink service
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created)).toBe(false);
    const placement = [
      ec2(HUB, 'vpc', HUB_VPC),
      ec2(HUB, 'subnet', 'subnet-0a1b2c3d4e5f60718'),
      ec2(HUB, 'subnet', 'subnet-0f1e2d3c4b5a69780'),
      ec2(HUB, 'security-group', 'sg-0123456789abcdef0'),
    ];
    expect(ask(policy, 'ec2:CreateVpcEndpoint', placement)).toBe(true);
    expect(
      ask(policy, 'ec2:CreateVpcEndpoint', [...placement.slice(1), ec2(HUB, 'vpc', 'vpc-0ffffffffffffffff')]),
    ).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', [...placement, ec2(HUB, 'subnet', 'subnet-0123456789abcdef0')])).toBe(
      false,
    );
    expect(
      ask(
        policy,
        'ec2:CreateVpcEndpoint',
        placement.map((arn) => arn.replace(HUB, OTHER)),
      ),
    ).toBe(false);
    expect(
      ask(
        policy,
        'ec2:CreateVpcEndpoint',
        placement.map((arn) => arn.replace(R, 'us-east-1')),
      ),
    ).toBe(false);
    // Deleting: only endpoints of AWS services of the region.
    const existing = [ec2(HUB, 'vpc-endpoint', 'vpce-0123456789abcdef0')];
    expect(ask(policy, 'ec2:DeleteVpcEndpoints', existing, endpoint(`com.amazonaws.${R}.logs`))).toBe(true);
    expect(ask(policy, 'ec2:DeleteVpcEndpoints', existing, endpoint('com.amazonaws.vpce.x.vpce-svc-1'))).toBe(false);
    expect(
      ask(
        policy,
        'ec2:DeleteVpcEndpoints',
        [ec2(OTHER, 'vpc-endpoint', 'vpce-1')],
        endpoint(`com.amazonaws.${R}.logs`),
      ),
    ).toBe(false);
  });

  test("puts into a Profile only zones of AWS service domains of its region and its own account's endpoints", () => {
    for (const action of [
      'route53profiles:AssociateResourceToProfile',
      'route53profiles:DisassociateResourceFromProfile',
    ]) {
      const zoneOf = (domain: string, type = 'HostedZone') => ({
        'route53profiles:ResourceTypes': [type],
        'route53profiles:HostedZoneDomains': [domain],
      });
      expect(ask(policy, action, ['*'], zoneOf(`logs.${R}.amazonaws.com`))).toBe(true);
      expect(ask(policy, action, ['*'], zoneOf(`dkr.ecr.${R}.amazonaws.com.`))).toBe(true);
      expect(ask(policy, action, ['*'], zoneOf('corp.example.com'))).toBe(false);
      expect(ask(policy, action, ['*'], zoneOf('logs.us-east-1.amazonaws.com'))).toBe(false);
      expect(ask(policy, action, ['*'], zoneOf(`logs.${R}.amazonaws.com`, 'ResolverRule'))).toBe(false);
      expect(ask(policy, action, ['*'], { 'route53profiles:ResourceTypes': ['HostedZone'] })).toBe(false);
      const endpointArn = ec2(HUB, 'vpc-endpoint', 'vpce-0123456789abcdef0');
      const endpointOf = (arn: string) => ({
        'route53profiles:ResourceTypes': ['VPCEndpoint'],
        'route53profiles:ResourceArns': [arn],
      });
      expect(ask(policy, action, ['*'], endpointOf(endpointArn))).toBe(true);
      expect(ask(policy, action, ['*'], endpointOf(endpointArn.replace(HUB, OTHER)))).toBe(false);
      expect(ask(policy, action, ['*'], endpointOf(endpointArn.replace(R, 'us-east-1')))).toBe(false);
      expect(
        ask(policy, action, ['*'], {
          'route53profiles:ResourceTypes': ['FirewallRuleGroup'],
          'route53profiles:ResourceArns': [`arn:aws:route53resolver:${R}:${HUB}:firewall-rule-group/rslvr-frg-1`],
        }),
      ).toBe(false);
      expect(ask(policy, action, ['*'], { 'route53profiles:ResourceTypes': ['VPCEndpoint'] })).toBe(false);
    }
  });

  test("shares only its own account's Profiles and RAM shares", () => {
    const profile = `arn:aws:route53profiles:${R}:${HUB}:profile/rp-1`;
    expect(ask(policy, 'route53profiles:PutProfilePolicy', [profile])).toBe(true);
    expect(ask(policy, 'route53profiles:PutProfilePolicy', [profile.replace(HUB, OTHER)])).toBe(false);
    const share = `arn:aws:ram:${R}:${HUB}:resource-share/s-1`;
    expect(ask(policy, 'ram:AssociateResourceShare', [share])).toBe(true);
    expect(ask(policy, 'ram:AssociateResourceShare', [share.replace(HUB, OTHER)])).toBe(false);
    expect(ask(policy, 'ram:DeleteResourceShare', [share.replace(R, 'us-east-1')])).toBe(false);
  });
});

describe('a spoke deployer', () => {
  const policy = spokeDeployerPolicy(config, SPOKE);
  const endpoint = (service: string) => ({ 'ec2:VpceServiceName': [service] });

  test('associates VPCs of its region only (Route 53 lets only their own account do so), with zones and with the Profile', () => {
    for (const action of ['route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone']) {
      expect(ask(policy, action, [zone], vpcs('vpc-0123456789abcdef0'))).toBe(true);
      expect(ask(policy, action, [zone], vpcs('vpc-0123456789abcdef0', 'us-east-1'))).toBe(false);
      expect(ask(policy, action, [zone])).toBe(false);
    }
    expect(ask(policy, 'route53:ListHostedZonesByVPC', ['*'], vpcs('vpc-0123456789abcdef0'))).toBe(true);
    expect(ask(policy, 'route53:ListHostedZonesByVPC', ['*'], vpcs('vpc-0123456789abcdef0', 'us-east-1'))).toBe(false);
    for (const action of ['route53profiles:AssociateProfile', 'route53profiles:DisassociateProfile']) {
      expect(ask(policy, action, ['*'], { 'route53profiles:ResourceIds': ['vpc-0123456789abcdef0'] })).toBe(true);
      expect(ask(policy, action, ['*'], { 'route53profiles:ResourceIds': ['rslvr-rr-1'] })).toBe(false);
      expect(ask(policy, action, ['*'])).toBe(false);
    }
    expect(ask(policy, 'route53:CreateVPCAssociationAuthorization', [zone], vpcs('vpc-0123456789abcdef0'))).toBe(false);
  });

  test('creates gateway endpoints only for S3 of its region, and only with VPCs and route tables of its own account', () => {
    const own = [ec2(SPOKE, 'vpc', 'vpc-0123456789abcdef0'), ec2(SPOKE, 'route-table', 'rtb-0123456789abcdef0')];
    expect(ask(policy, 'ec2:CreateVpcEndpoint', own)).toBe(true);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', [own[0].replace(SPOKE, OTHER), own[1]])).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', [own[0], own[1].replace(SPOKE, OTHER)])).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', [...own, ec2(SPOKE, 'subnet', 'subnet-0123456789abcdef0')])).toBe(
      false,
    );
    const created = [ec2(SPOKE, 'vpc-endpoint', '*')];
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint(`com.amazonaws.${R}.s3`))).toBe(true);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint(`com.amazonaws.${R}.logs`))).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created, endpoint('com.amazonaws.us-east-1.s3'))).toBe(false);
    expect(
      ask(policy, 'ec2:CreateVpcEndpoint', [created[0].replace(SPOKE, OTHER)], endpoint(`com.amazonaws.${R}.s3`)),
    ).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', created)).toBe(false);
    const existing = [ec2(SPOKE, 'vpc-endpoint', 'vpce-0123456789abcdef0')];
    expect(ask(policy, 'ec2:DeleteVpcEndpoints', existing, endpoint(`com.amazonaws.${R}.s3`))).toBe(true);
    expect(ask(policy, 'ec2:DeleteVpcEndpoints', existing, endpoint(`com.amazonaws.${R}.logs`))).toBe(false);
    // Another account's spoke deployer is the same policy with its own ID: not this account's resources.
    expect(ask(spokeDeployerPolicy(config, OTHER), 'ec2:CreateVpcEndpoint', own)).toBe(false);
  });

  test("accepts RAM invitations only of the hub account's shares", () => {
    const invitation = `arn:aws:ram:${R}:${HUB}:resource-share-invitation/i-1`;
    const owner = (account: string) => ({ 'ram:ShareOwnerAccountId': [account] });
    expect(ask(policy, 'ram:AcceptResourceShareInvitation', [invitation], owner(HUB))).toBe(true);
    expect(ask(policy, 'ram:AcceptResourceShareInvitation', [invitation], owner(OTHER))).toBe(false);
    expect(ask(policy, 'ram:AcceptResourceShareInvitation', [invitation.replace(HUB, OTHER)], owner(OTHER))).toBe(
      false,
    );
    expect(ask(policy, 'ram:AcceptResourceShareInvitation', [invitation])).toBe(false);
  });
});

describe('the planners', () => {
  const WRITE = /^(Create|Delete|Associate|Disassociate|Change|Put|Accept|Tag|Untag|Authorize|Revoke|Modify|Update)/;

  test('grant no write action; only reads', () => {
    const actions = [hubPlannerPolicy(config), spokePlannerPolicy(config, SPOKE)].flatMap(allowedActions);
    expect(actions).toEqual(expect.arrayContaining(['route53:GetHostedZone', 'route53profiles:GetProfile']));
    for (const action of actions) {
      const name = action.split(':')[1];
      expect({ action, write: WRITE.test(name) }).toEqual({ action, write: false });
      expect(name).toMatch(/^(Get|List|Describe)/);
    }
    // Every deployer write is something the planner of the same account may not do.
    for (const action of allowedActions(hubDeployerPolicy(config)).filter((a) => WRITE.test(a.split(':')[1]))) {
      expect(ask(hubPlannerPolicy(config), action, ['*'], vpcs(HUB_VPC))).toBe(false);
    }
  });
});

describe('the CI roles (credentials: assume-role)', () => {
  const statementOf = (c = config) =>
    ciRoleTrusts(c).map((role) => {
      expect(role.policy?.Statement).toHaveLength(1);
      return role.policy!.Statement[0];
    });

  test('each may assume its phase role in the hub and, by name, in any spoke account', () => {
    const [planner, deployer] = statementOf();
    expect(planner).toMatchObject({
      Action: ['sts:AssumeRole'],
      Resource: [`arn:aws:iam::${HUB}:role/vpce-hub-planner`, 'arn:aws:iam::*:role/vpce-spoke-planner'],
    });
    expect(deployer).toMatchObject({
      Action: ['sts:AssumeRole'],
      Resource: [`arn:aws:iam::${HUB}:role/vpce-hub-deployer`, 'arn:aws:iam::*:role/vpce-spoke-deployer'],
    });
    const [plannerPolicy] = ciRoleTrusts(config).map((r) => r.policy!);
    expect(ask(plannerPolicy, 'sts:AssumeRole', [`arn:aws:iam::${OTHER}:role/vpce-spoke-planner`])).toBe(true);
    expect(ask(plannerPolicy, 'sts:AssumeRole', [`arn:aws:iam::${OTHER}:role/vpce-spoke-deployer`])).toBe(false);
    expect(ask(plannerPolicy, 'sts:AssumeRole', [`arn:aws:iam::${HUB}:role/vpce-hub-deployer`])).toBe(false);
  });

  test('within the organization when iam.organizationId or endpointPolicy.organizationId is set; no condition otherwise', () => {
    expect(statementOf().map((s) => s.Condition)).toEqual([undefined, undefined]);
    const byIam = configFrom(hubWith(`iam:\n  organizationId: ${ORG}\n`));
    const byEndpointPolicy = configFrom(hubWith(`endpointPolicy:\n  organizationId: ${ORG}\n`));
    for (const c of [byIam, byEndpointPolicy]) {
      expect(statementOf(c).map((s) => s.Condition)).toEqual(
        Array(2).fill({ StringEquals: { 'aws:ResourceOrgID': ORG } }),
      );
      const policy = ciRoleTrusts(c)[1].policy!;
      const role = [`arn:aws:iam::${OTHER}:role/vpce-spoke-deployer`];
      expect(ask(policy, 'sts:AssumeRole', role, { 'aws:ResourceOrgID': [ORG] })).toBe(true);
      expect(ask(policy, 'sts:AssumeRole', role, { 'aws:ResourceOrgID': ['o-zzzzzzzzzz'] })).toBe(false);
      expect(ask(policy, 'sts:AssumeRole', role)).toBe(false);
    }
  });

  test('GitHub OIDC: pull requests and main (the live doctor) get the planner, the protected environment the deployer', () => {
    const [planner, deployer] = ciRoleTrusts(config, 'acme/network');
    const condition = (trust: TrustPolicy) => trust.Statement[0].Condition;
    expect(trust0(planner.trust)).toMatchObject({
      Principal: { Federated: `arn:aws:iam::${HUB}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
    });
    expect(condition(planner.trust)).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:acme/network:pull_request',
          'repo:acme/network:ref:refs/heads/main',
        ],
      },
    });
    expect(condition(deployer.trust)).toMatchObject({
      StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/network:environment:vpce-apply' },
    });
  });
});

describe('the account roles trust', () => {
  test('assume-role: the hub account, for the CI role of their phase only (by aws:PrincipalArn)', () => {
    for (const trusts of [hubTrusts(config), spokeTrusts(config, SPOKE), spokeTrusts(config, OTHER)]) {
      for (const phase of ['planner', 'deployer'] as const) {
        expect(trusts[phase].Statement).toEqual([
          {
            Sid: phase === 'planner' ? 'CiPlanner' : 'CiDeployer',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${HUB}:root` },
            Action: 'sts:AssumeRole',
            Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${HUB}:role/vpce-ci-${phase}` } },
          },
        ]);
      }
    }
  });

  test("iam.trustedPrincipals: named accounts by their root and ArnLike; any account only within the organization; each list in its phase's roles only", () => {
    const named = {
      deployers: [
        `arn:aws:iam::${OTHER}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_NetworkAdmin_*`,
        'arn:aws:iam::555555555555:role/break-glass',
      ],
      planners: [`arn:aws:iam::${OTHER}:role/readers/reader-?`],
    };
    const anywhere = { deployers: ['arn:aws:iam::*:role/netadmin-*'], planners: ['arn:aws:iam::*:user/auditor'] };
    const quoted = (list: string[]) => `[${list.map((p) => `"${p}"`).join(', ')}]`;
    const c = configFrom(
      hubWith(
        `iam:\n  organizationId: ${ORG}\n  trustedPrincipals:\n` +
          `    deployers: ${quoted([...named.deployers, ...anywhere.deployers])}\n` +
          `    planners: ${quoted([...named.planners, ...anywhere.planners])}\n`,
      ),
    );
    for (const trusts of [hubTrusts(c), spokeTrusts(c, SPOKE)]) {
      expect(trusts.deployer.Statement.slice(1)).toEqual([
        {
          Sid: 'TrustedDeployers',
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${OTHER}:root`, 'arn:aws:iam::555555555555:root'] },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:PrincipalArn': named.deployers } },
        },
        {
          Sid: 'TrustedDeployersOfTheOrganization',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORG },
            ArnLike: { 'aws:PrincipalArn': anywhere.deployers },
          },
        },
      ]);
      expect(trusts.planner.Statement.slice(1)).toEqual([
        {
          Sid: 'TrustedPlanners',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:PrincipalArn': named.planners } },
        },
        {
          Sid: 'TrustedPlannersOfTheOrganization',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORG },
            ArnLike: { 'aws:PrincipalArn': anywhere.planners },
          },
        },
      ]);
      // Each list only in its own phase's roles.
      const deployerText = JSON.stringify(trusts.deployer);
      const plannerText = JSON.stringify(trusts.planner);
      for (const p of [...named.planners, ...anywhere.planners]) expect(deployerText).not.toContain(p);
      for (const p of [...named.deployers, ...anywhere.deployers]) expect(plannerText).not.toContain(p);
      expect(deployerText).not.toContain('vpce-ci-planner');
      expect(plannerText).not.toContain('vpce-ci-deployer');
    }
    // The organization of endpointPolicy serves as well.
    const byEndpointPolicy = configFrom(
      hubWith(
        `endpointPolicy:\n  organizationId: ${ORG}\niam:\n  trustedPrincipals:\n    planners: ["arn:aws:iam::*:role/r"]\n`,
      ),
    );
    expect(hubTrusts(byEndpointPolicy).planner.Statement[1]).toMatchObject({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
    expect(hubTrusts(byEndpointPolicy).deployer.Statement).toHaveLength(1);
  });

  test('dynamic credentials: the account own Terraform Cloud provider, one workspace per stack, run_phase:plan for planners, apply for deployers', () => {
    const dynamic = (state: string) =>
      configFrom(
        edit(
          HUB_YAML,
          'state:\n  backend: local\n',
          `state:\n  backend: cloud\n  organization: acme\n  credentials: dynamic\n${state}`,
        ),
      );
    const expected = (
      account: string,
      workspace: string,
      phase: string,
      host = 'app.terraform.io',
      project = 'vpce-hub',
    ) => ({
      Sid: phase === 'plan' ? 'TerraformCloudPlans' : 'TerraformCloudApplies',
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${host}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${host}:aud`]: 'aws.workload.identity' },
        StringLike: {
          [`${host}:sub`]: `organization:acme:project:${project}:workspace:${workspace}:run_phase:${phase}`,
        },
      },
    });
    const c = dynamic('');
    const scope = `${HUB}-${R}`;
    expect(hubTrusts(c).planner.Statement).toEqual([expected(HUB, `vpce-${scope}-hub`, 'plan')]);
    expect(hubTrusts(c).deployer.Statement).toEqual([expected(HUB, `vpce-${scope}-hub`, 'apply')]);
    expect(spokeTrusts(c, SPOKE).planner.Statement).toEqual([expected(SPOKE, `vpce-${scope}-spoke-${SPOKE}`, 'plan')]);
    expect(spokeTrusts(c, SPOKE).deployer.Statement).toEqual([
      expected(SPOKE, `vpce-${scope}-spoke-${SPOKE}`, 'apply'),
    ]);
    expect(ciRoleTrusts(c)).toEqual([]);
    // The workspace prefix, the scope, the project and the host name are the backend's.
    const custom = dynamic('  hostname: tfe.example.com\n  workspacePrefix: net-\n  scope: prod\n  project: network\n');
    expect(spokeTrusts(custom, OTHER).deployer.Statement).toEqual([
      expected(OTHER, `net-prod-spoke-${OTHER}`, 'apply', 'tfe.example.com', 'network'),
    ]);
  });
});

describe('what IAM would refuse', () => {
  const role = `arn:aws:iam::${HUB}:role/vpce-hub-deployer`;
  const allow = (i: number) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: ['ec2:DescribeVpcs'],
    Resource: [`arn:aws:ec2:${R}:${HUB}:vpc/vpc-${String(i).padStart(17, '0')}`],
  });
  const permissions = (statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
  const trustOf = (statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
  const assume = (principal: unknown, condition?: unknown) => ({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });
  /** The problems of one document, each of which must name the role, the document kind and its size. */
  const problemsOf1 = (kind: CheckedDocument['kind'], document: unknown) => {
    const problems = documentProblems([{ role, kind, document }]);
    const name = `${role}: its ${kind === 'trust' ? 'trust policy' : 'permissions policy'} (${policySize(document)} characters)`;
    for (const problem of problems) expect(problem.startsWith(name)).toBe(true);
    return problems;
  };

  test('the generated documents: none', () => {
    const documents = iamDocuments(config);
    const roles = [...documents.hub, ...spokeAccountRoles(documents, SPOKE, R)];
    expect(
      documentProblems(
        roles.flatMap((r) => [
          { role: r.roleArn, kind: 'permissions' as const, document: r.policy },
          { role: r.roleArn, kind: 'trust' as const, document: r.trust },
        ]),
      ),
    ).toEqual([]);
  });

  test('a permissions policy over 6,144 characters, a trust policy over 2,048 (whitespace excluded)', () => {
    const big = permissions(Array.from({ length: 60 }, (_, i) => allow(i)));
    expect(policySize(big)).toBeGreaterThan(IAM_LIMITS.permissions);
    expect(problemsOf1('permissions', big)).toEqual([
      `${role}: its permissions policy (${policySize(big)} characters) is over IAM's limit of 6144 characters (whitespace excluded): ` +
        'IAM would refuse it. Report this: vpce-hub keeps every permissions policy constant in size.',
    ]);
    const justUnder = permissions(Array.from({ length: 40 }, (_, i) => allow(i)));
    expect(policySize(justUnder)).toBeLessThanOrEqual(IAM_LIMITS.permissions);
    expect(problemsOf1('permissions', justUnder)).toEqual([]);
    const principals = Array.from(
      { length: 40 },
      (_, i) => `arn:aws:iam::${String(i).padStart(12, '2')}:role/some-rather-long-role-name`,
    );
    const bigTrust = trustOf([assume({ AWS: principals })]);
    expect(policySize(bigTrust)).toBeGreaterThan(IAM_LIMITS.trust);
    const [problem, ...rest] = problemsOf1('trust', bigTrust);
    expect(rest).toEqual([]);
    expect(problem).toContain(
      `its trust policy (${policySize(bigTrust)} characters) is over IAM's limit of 2048 characters`,
    );
    expect(problem).toContain('List fewer iam.trustedPrincipals');
    // Whitespace does not count.
    expect(policySize({ a: 'b c', d: ['e'] })).toBe(JSON.stringify({ a: 'bc', d: ['e'] }).length);
  });

  test('grammar: an unknown condition operator, a wildcard in a principal ARN, a duplicate Sid, a Resource that is not an ARN', () => {
    const operator = permissions([{ ...allow(1), Condition: { StringEqualz: { 'aws:ResourceOrgID': ORG } } }]);
    expect(problemsOf1('permissions', operator)).toEqual([
      expect.stringMatching(/is not valid IAM policy grammar at Statement\.0\.Condition\.StringEqualz: /),
    ]);
    const wildcard = trustOf([assume({ AWS: `arn:aws:iam::${OTHER}:role/admin-*` })]);
    expect(problemsOf1('trust', wildcard)).toEqual([
      expect.stringMatching(/at Statement\.0\.Principal\.AWS: not a principal ARN \(no wildcards\)\.$/),
    ]);
    const duplicate = permissions([allow(1), { ...allow(2), Sid: 'S1' }]);
    expect(problemsOf1('permissions', duplicate)).toEqual([
      expect.stringMatching(/at Statement\.1\.Sid: Sid S1 is used twice\.$/),
    ]);
    const notArn = permissions([{ ...allow(1), Resource: ['vpc-0123456789abcdef0'] }]);
    expect(problemsOf1('permissions', notArn)).toEqual([
      expect.stringMatching(/at Statement\.0\.Resource\.0: not an ARN or \*\.$/),
    ]);
    // Each is a problem of its own document: the role and size are those of the one refused.
    expect(
      documentProblems([
        { role: 'arn:aws:iam::210987654321:role/a', kind: 'permissions', document: notArn },
        { role: 'arn:aws:iam::210987654321:role/b', kind: 'trust', document: wildcard },
      ]),
    ).toEqual([
      expect.stringContaining(`role/a: its permissions policy (${policySize(notArn)} characters)`),
      expect.stringContaining(`role/b: its trust policy (${policySize(wildcard)} characters)`),
    ]);
  });

  // zod 4 reports a record key that fails its schema as "Invalid key in record": the check must say which.
  test('an unknown condition operator or condition key is named as such', () => {
    const operator = permissions([{ ...allow(1), Condition: { StringEqualz: { 'aws:ResourceOrgID': ORG } } }]);
    expect(problemsOf1('permissions', operator)).toEqual([
      expect.stringMatching(/at Statement\.0\.Condition\.StringEqualz: not an IAM condition operator\.$/),
    ]);
    const key = permissions([{ ...allow(1), Condition: { StringEquals: { 'not a key': ORG } } }]);
    expect(problemsOf1('permissions', key)).toEqual([expect.stringMatching(/: not a condition key\.$/)]);
  });

  test('npm run iam refuses trustedPrincipals that push a trust policy over 2,048 characters: exit 1, nothing written', () => {
    const patterns = Array.from(
      { length: 25 },
      (_, i) =>
        `arn:aws:iam::${String(200000000000 + i)}:role/aws-reserved/sso.amazonaws.com/${R}/AWSReservedSSO_NetworkAdmin_*`,
    );
    const hub = hubWith(
      `iam:\n  trustedPrincipals:\n    deployers:\n${patterns.map((p) => `      - "${p}"\n`).join('')}`,
    );
    const size = policySize(hubTrusts(configFrom(hub)).deployer);
    expect(size).toBeGreaterThan(IAM_LIMITS.trust);
    const run = runIam(hub, ACCOUNTS_YAML);
    expect(run.status).toBe(1);
    expect(run.files.size).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('nothing written');
    expect(run.stderr).toContain(
      `arn:aws:iam::${HUB}:role/vpce-hub-deployer: its trust policy (${size} characters) is over IAM's limit`,
    );
    expect(run.stderr).toMatch(
      /arn:aws:iam::<spoke>:role\/vpce-spoke-deployer: its trust policy \(\d+ characters\) is over/,
    );
    // The planners' trust is not over: not named.
    expect(run.stderr).not.toContain('vpce-hub-planner');
  });
});

describe('the iam block of hub.yaml', () => {
  test('a trusted principal that is not a role or user ARN pattern is refused at its line', () => {
    const hub = hubWith('iam:\n  trustedPrincipals:\n    deployers:\n      - arn:aws:iam::1234:role/admin\n');
    const [problem, ...rest] = problemsOf(hub);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      file: 'config/hub.yaml',
      line: lineOf(hub, 'arn:aws:iam::1234'),
      path: 'iam.trustedPrincipals.deployers[0]',
    });
    expect(problem.message).toContain('not a role or user ARN pattern');
  });

  test('a principal of any account without an organization is refused; with iam.organizationId or endpointPolicy it is fine', () => {
    const trusted = '  trustedPrincipals:\n    planners: ["arn:aws:iam::*:role/auditor"]\n';
    const hub = hubWith(`iam:\n${trusted}`);
    const [problem, ...rest] = problemsOf(hub);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ line: lineOf(hub, 'arn:aws:iam::*'), path: 'iam.trustedPrincipals.planners[0]' });
    expect(problem.message).toContain('this principal may be in any account, and no organization limits it');
    expect(problem.message).toContain('Set iam.organizationId');
    expect(configFrom(hubWith(`iam:\n  organizationId: ${ORG}\n${trusted}`)).iam.organizationId).toBe(ORG);
    expect(
      configFrom(hubWith(`endpointPolicy:\n  organizationId: ${ORG}\niam:\n${trusted}`)).iam.trustedPrincipals.planners,
    ).toEqual(['arn:aws:iam::*:role/auditor']);
  });

  test('iam.organizationId other than endpointPolicy.organizationId is refused', () => {
    const hub = hubWith(`endpointPolicy:\n  organizationId: ${ORG}\niam:\n  organizationId: o-zzzzzzzzzz\n`);
    const [problem, ...rest] = problemsOf(hub);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ line: lineOf(hub, 'o-zzzzzzzzzz'), path: 'iam.organizationId' });
    expect(problem.message).toContain(
      `iam.organizationId is o-zzzzzzzzzz, but endpointPolicy.organizationId is ${ORG}`,
    );
    // The same is fine, and it defaults to endpointPolicy's.
    expect(
      configFrom(hubWith(`endpointPolicy:\n  organizationId: ${ORG}\niam:\n  organizationId: ${ORG}\n`)).iam
        .organizationId,
    ).toBe(ORG);
  });

  test('a principal listed twice is refused, naming the first line', () => {
    const p = `arn:aws:iam::${OTHER}:role/break-glass`;
    const hub = hubWith(`iam:\n  trustedPrincipals:\n    deployers:\n      - ${p}\n      - ${p}\n`);
    const [problem, ...rest] = problemsOf(hub);
    expect(rest).toEqual([]);
    const first = lineOf(hub, p);
    expect(problem).toMatchObject({ line: first + 1, path: 'iam.trustedPrincipals.deployers[1]' });
    expect(problem.message).toContain(`listed twice (first at line ${first})`);
    // The same principal as a deployer and a planner is fine.
    expect(() =>
      configFrom(hubWith(`iam:\n  trustedPrincipals:\n    deployers: [${p}]\n    planners: [${p}]\n`)),
    ).not.toThrow();
  });
});

describe('npm run iam', () => {
  test('--json: the hub account roles, the spoke roles once in template form, the accounts and both templates', () => {
    const run = runIam(HUB_YAML, ACCOUNTS_YAML, ['--json', '--github-repo', 'acme/network']);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout) as ParsedJson;
    expect(document.hub.map((r: ParsedJson) => [r.kind, r.roleArn])).toEqual([
      ['hub-deployer', `arn:aws:iam::${HUB}:role/vpce-hub-deployer`],
      ['hub-planner', `arn:aws:iam::${HUB}:role/vpce-hub-planner`],
      ['ci-planner', `arn:aws:iam::${HUB}:role/vpce-ci-planner`],
      ['ci-deployer', `arn:aws:iam::${HUB}:role/vpce-ci-deployer`],
    ]);
    expect(document.spoke.map((r: ParsedJson) => r.roleArn)).toEqual([
      'arn:aws:iam::${AWS::AccountId}:role/vpce-spoke-deployer',
      'arn:aws:iam::${AWS::AccountId}:role/vpce-spoke-planner',
    ]);
    expect(document.accounts).toEqual(config.accounts.map((a) => a.id));
    expect(Object.keys(document.templates)).toEqual(['hub', 'spoke']);
    expect(JSON.stringify(document.hub[2].trust)).toContain('repo:acme/network:pull_request');
    expect(document.rarelyCalled).toEqual(RARELY_CALLED);
    // The files: the templates, and each account's documents.
    expect(run.files.get('hub-roles.template.json')).toBe(`${JSON.stringify(document.templates.hub, null, 2)}\n`);
    expect(run.files.get(`${SPOKE}-vpce-spoke-deployer.policy.json`)).toBe(
      `${JSON.stringify(spokeDeployerPolicy(config, SPOKE), null, 2)}\n`,
    );
    expect(run.files.get(`${HUB}-vpce-ci-planner.trust.json`)).toContain('repo:acme/network:pull_request');
  });

  test('the text: each role with its documents and their sizes against the limits', () => {
    const run = runIam(HUB_YAML, ACCOUNTS_YAML);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`## hub-deployer arn:aws:iam::${HUB}:role/vpce-hub-deployer`);
    expect(run.stdout).toContain(`permissions (${policySize(hubDeployerPolicy(config))} of 6144 characters):`);
    expect(run.stdout).toContain('## spoke-planner arn:aws:iam::${AWS::AccountId}:role/vpce-spoke-planner');
    expect(run.stdout).toContain('(3 in accounts.yaml)');
    expect(runIam(HUB_YAML, ACCOUNTS_YAML, ['--github-repo', 'not a repo']).status).toBe(2);
  });

  test('every action granted but called only on some changes is granted by some policy, with a reason, and named in docs/security-and-iam.md', () => {
    const documents = iamDocuments(config);
    const granted = new Set([...documents.hub, ...documents.spoke].flatMap((r) => allowedActions(r.policy)));
    const readme = readFileSync(join(__dirname, '..', 'docs', 'security-and-iam.md'), 'utf8');
    expect(Object.keys(RARELY_CALLED).length).toBeGreaterThan(3);
    for (const [action, reason] of Object.entries(RARELY_CALLED)) {
      expect(reason.length).toBeGreaterThan(20);
      expect({ action, granted: granted.has(action), inReadme: readme.includes(`\`${action}\``) }).toEqual({
        action,
        granted: true,
        inReadme: true,
      });
    }
  });
});

/** An endpoint policy as the organization setting writes it: every statement has a StringEquals condition. */
interface EndpointPolicy {
  readonly Statement: ReadonlyArray<{ readonly Condition: { readonly StringEquals: Record<string, string> } }>;
}

describe('organization endpoint policies', () => {
  const withPolicy = `${HUB_YAML}endpointPolicy:\n  organizationId: o-a1b2c3d4e5\n`;

  test('every endpoint admits only principals of the organization; S3 also the ECR layer bucket; none without the setting', () => {
    const { hub, spokes } = synthAll(
      configFrom(
        withPolicy,
        edit(
          ACCOUNTS_YAML,
          '    vpcIds: [vpc-0123abcd4567ef890]\n',
          '    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n',
        ),
      ),
    );
    const endpoints = hub.json.resource.aws_vpc_endpoint;
    for (const [name, endpoint] of Object.entries<ParsedJson>(endpoints)) {
      const policy = JSON.parse(endpoint.policy) as EndpointPolicy;
      expect({
        name,
        org: policy.Statement.every((s) => s.Condition.StringEquals['aws:PrincipalOrgID'] === 'o-a1b2c3d4e5'),
      }).toEqual({ name, org: true });
    }
    const s3 = JSON.parse(endpoints.s3.policy);
    expect(s3.Statement[0].Condition.StringEquals['aws:ResourceOrgID']).toBe('o-a1b2c3d4e5');
    expect(s3.Statement[1]).toMatchObject({
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::prod-${R}-starport-layer-bucket/*`,
    });
    expect(
      JSON.parse(spokes.get('333333333333')!.json.resource.aws_vpc_endpoint.s3_gateway.policy).Statement,
    ).toHaveLength(2);
    for (const endpoint of Object.values<ParsedJson>(synthAll(configFrom()).hub.json.resource.aws_vpc_endpoint)) {
      expect(endpoint.policy).toBeUndefined();
    }
  });

  test('an organization ID that is not one is refused', () => {
    const problems = problemsOf(`${HUB_YAML}endpointPolicy:\n  organizationId: org-123\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'endpointPolicy.organizationId', value: 'org-123' });
    expect(problems[0].message).toContain('not an AWS Organizations ID');
  });
});
