/**
 * Least privilege: the generated IAM policies and trust policies (`npm run iam`), the evaluator the
 * e2e replays calls with, and the organization endpoint policies.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamDocuments, main as iamMain } from '../lib/commands/iam';
import { evaluate, type PolicyDocument } from '../lib/iam/evaluate';
import {
  hubDeployerPolicy,
  hubPlannerPolicy,
  RARELY_CALLED,
  rolePolicies,
  route53VpcKey,
  spokeDeployerPolicy,
  spokePlannerPolicy,
} from '../lib/iam/policies';
import { trustPolicies } from '../lib/iam/trust';
import {
  ACCOUNTS_YAML,
  configFrom,
  edit,
  HUB_YAML,
  type ParsedJson,
  problemsOf,
  synthAll,
  withSharing,
} from './helpers/config';
import { tempDir } from './helpers/temp';

const R = 'ap-northeast-1';
const config = configFrom(
  HUB_YAML,
  edit(
    ACCOUNTS_YAML,
    '    vpcIds: [vpc-0123abcd4567ef890]\n',
    '    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n',
  ),
);
const zone = 'arn:aws:route53:::hostedzone/Z123';
const ask = (policy: PolicyDocument, action: string, resources: string[], context: Record<string, string[]> = {}) =>
  evaluate(policy, { action, resources, context }).allowed;

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

describe('the policies', () => {
  const hubVpc = route53VpcKey('vpc-0a1b2c3d4e5f60718', R);
  const spokeVpc = route53VpcKey('vpc-0123456789abcdef0', R);

  test('the hub deployer creates endpoints only in the hub VPC and subnets, zones only on the hub VPC, and authorizes only spoke VPCs', () => {
    const policy = hubDeployerPolicy(config);
    const ec2 = (type: string, id: string) => `arn:aws:ec2:${R}:111111111111:${type}/${id}`;
    const endpoint = [
      ec2('vpc', 'vpc-0a1b2c3d4e5f60718'),
      ec2('subnet', 'subnet-0a1b2c3d4e5f60718'),
      ec2('security-group', 'sg-1'),
      ec2('vpc-endpoint', '*'),
    ];
    expect(ask(policy, 'ec2:CreateVpcEndpoint', endpoint)).toBe(true);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', [...endpoint.slice(1), ec2('vpc', 'vpc-0ffffffffffffffff')])).toBe(
      false,
    );
    expect(
      ask(
        policy,
        'ec2:CreateVpcEndpoint',
        endpoint.map((a) => a.replace('111111111111', '222222222222')),
      ),
    ).toBe(false);
    expect(ask(policy, 'route53:CreateHostedZone', ['*'], { 'route53:VPCs': [hubVpc] })).toBe(true);
    expect(ask(policy, 'route53:CreateHostedZone', ['*'])).toBe(false); // a public zone
    expect(ask(policy, 'route53:CreateVPCAssociationAuthorization', [zone], { 'route53:VPCs': [spokeVpc] })).toBe(true);
    expect(
      ask(policy, 'route53:CreateVPCAssociationAuthorization', [zone], {
        'route53:VPCs': [route53VpcKey('vpc-0ffffffffffffffff', R)],
      }),
    ).toBe(false);
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': [spokeVpc] })).toBe(false);
  });

  test('the planners only read', () => {
    const actions = [hubPlannerPolicy(config), spokePlannerPolicy(config, '333333333333')]
      .flatMap((p) => p.Statement)
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.length).toBeGreaterThan(3);
    for (const action of actions) expect(action).toMatch(/^(ec2:Describe|route53:(Get|List))/);
  });

  test('a spoke deployer associates its own VPCs only; its S3 gateway endpoints only where it has them', () => {
    const policy = spokeDeployerPolicy(config, '123456789012');
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': [spokeVpc] })).toBe(true);
    expect(
      ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], {
        'route53:VPCs': [route53VpcKey('vpc-0123abcd4567ef890', R)],
      }),
    ).toBe(false);
    expect(ask(policy, 'ec2:CreateVpcEndpoint', ['*'])).toBe(false);
    const gateway = spokeDeployerPolicy(config, '333333333333');
    const arn = (type: string, id: string) => `arn:aws:ec2:${R}:333333333333:${type}/${id}`;
    expect(
      ask(gateway, 'ec2:CreateVpcEndpoint', [
        arn('vpc', 'vpc-0123abcd4567ef890'),
        arn('route-table', 'rtb-0123456789abcdef0'),
        arn('vpc-endpoint', '*'),
      ]),
    ).toBe(true);
  });

  test('four roles per hub and two per spoke account, each with a distinct ARN', () => {
    const roles = rolePolicies(config);
    expect(roles.map((r) => r.kind)).toEqual([
      'hub-deployer',
      'hub-planner',
      ...config.accounts.flatMap(() => ['spoke-deployer', 'spoke-planner']),
    ]);
    expect(new Set(roles.map((r) => r.roleArn)).size).toBe(roles.length);
  });

  test('every action granted but called only on some changes is named with a reason (and in the README)', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const [action, reason] of Object.entries(RARELY_CALLED)) {
      expect(reason.length).toBeGreaterThan(20);
      expect({ action, inReadme: readme.includes(`\`${action}\``) }).toEqual({ action, inReadme: true });
    }
  });
});

describe('the trust policies, split by phase', () => {
  test('Terraform Cloud (dynamic credentials): one workspace each, run_phase:plan for planners, run_phase:apply for deployers', () => {
    const dynamic = configFrom(
      edit(
        HUB_YAML,
        'state:\n  backend: local\n',
        'state:\n  backend: cloud\n  organization: acme\n  credentials: dynamic\n',
      ),
    );
    const trusts = trustPolicies(dynamic);
    const of = (arn: string) => JSON.stringify(trusts.find((t) => t.roleArn === arn)?.trust);
    expect(of('arn:aws:iam::111111111111:role/vpce-hub-planner')).toContain(
      'organization:acme:project:vpce-hub:workspace:vpce-111111111111-ap-northeast-1-hub:run_phase:plan',
    );
    expect(of('arn:aws:iam::111111111111:role/vpce-hub-deployer')).toContain(
      'workspace:vpce-111111111111-ap-northeast-1-hub:run_phase:apply',
    );
    expect(of('arn:aws:iam::123456789012:role/vpce-spoke-planner')).toContain(
      'workspace:vpce-111111111111-ap-northeast-1-spoke-123456789012:run_phase:plan',
    );
    expect(of('arn:aws:iam::123456789012:role/vpce-spoke-deployer')).not.toContain('run_phase:plan');
  });

  test('assume-role: GitHub OIDC to two CI roles (pull requests; the protected environment), each account role trusts only its phase', () => {
    const trusts = trustPolicies(config, 'acme/network');
    const ci = trusts.filter((t) => t.roleArn.includes('vpce-ci-'));
    expect(JSON.stringify(ci[0].trust)).toContain(
      '"token.actions.githubusercontent.com:sub":"repo:acme/network:pull_request"',
    );
    expect(JSON.stringify(ci[1].trust)).toContain('repo:acme/network:environment:vpce-apply');
    expect(ci[0].policy?.Statement[0].Resource).toEqual(
      expect.arrayContaining(['arn:aws:iam::123456789012:role/vpce-spoke-planner']),
    );
    expect(JSON.stringify(ci[0].policy)).not.toContain('deployer');
    const spokePlanner = trusts.find((t) => t.roleArn === 'arn:aws:iam::123456789012:role/vpce-spoke-planner');
    expect(JSON.stringify(spokePlanner?.trust)).toContain('"AWS":"arn:aws:iam::111111111111:role/vpce-ci-planner"');
  });
});

describe('npm run iam', () => {
  test('--json is one document; --out writes a file per policy; bad usage exits 2', () => {
    const dir = tempDir('vpce-iam');
    writeFileSync(join(dir, 'hub.yaml'), HUB_YAML);
    writeFileSync(join(dir, 'accounts.yaml'), ACCOUNTS_YAML);
    const out = tempDir('vpce-iam-out');
    const saved = process.env.VPCE_CONFIG_DIR;
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.env.VPCE_CONFIG_DIR = dir;
      expect(iamMain(['--json', '--out', out, '--github-repo', 'acme/network'])).toBe(0);
      expect(iamMain(['--github-repo', 'not a repo'])).toBe(2);
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
      process.env.VPCE_CONFIG_DIR = saved;
    }
    const document = JSON.parse(writes.join(''));
    expect(document.roles).toHaveLength(2 + 2 * 3);
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining([
        '111111111111-vpce-hub-deployer.policy.json',
        '123456789012-vpce-spoke-planner.trust.json',
        'vpce-ci-planner.trust.json',
      ]),
    );
    expect(iamDocuments(configFrom()).rarelyCalled).toBe(RARELY_CALLED);
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

describe('the policies in profile mode', () => {
  const profile = configFrom(
    withSharing(
      '  mode: profile\n  principals: ["arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56", "333333333333"]\n',
    ),
  );
  const profileArn = `arn:aws:route53profiles:${R}:111111111111:profile/rp-1`;
  const actionsOf = (policy: PolicyDocument) =>
    policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  test('the hub deployer manages its Profile with its own zones, shares it, and authorizes nothing', () => {
    const policy = hubDeployerPolicy(profile);
    expect(actionsOf(policy)).not.toContain('route53:CreateVPCAssociationAuthorization');
    const dkrZone = {
      'route53profiles:ResourceTypes': ['HostedZone'],
      'route53profiles:HostedZoneDomains': [`dkr.ecr.${R}.amazonaws.com`],
    };
    expect(ask(policy, 'route53profiles:AssociateResourceToProfile', ['*'], dkrZone)).toBe(true);
    expect(
      ask(policy, 'route53profiles:AssociateResourceToProfile', ['*'], {
        ...dkrZone,
        'route53profiles:HostedZoneDomains': ['corp.example.com'],
      }),
    ).toBe(false);
    expect(ask(policy, 'route53profiles:PutProfilePolicy', [profileArn])).toBe(true);
    expect(ask(policy, 'ram:AssociateResourceShare', [`arn:aws:ram:${R}:111111111111:resource-share/s-1`])).toBe(true);
    expect(ask(policy, 'ram:AssociateResourceShare', [`arn:aws:ram:${R}:222222222222:resource-share/s-1`])).toBe(false);
    // While switching, both.
    expect(actionsOf(hubDeployerPolicy(configFrom(withSharing('  mode: profile\n  transition: both\n'))))).toContain(
      'route53:CreateVPCAssociationAuthorization',
    );
  });

  test("a spoke deployer associates only its own VPCs with the Profile; only an invited spoke accepts, only the hub account's invitation", () => {
    const invited = spokeDeployerPolicy(profile, '333333333333');
    const inOu = spokeDeployerPolicy(profile, '123456789012');
    expect(
      ask(inOu, 'route53profiles:AssociateProfile', ['*'], {
        'route53profiles:ResourceIds': ['vpc-0123456789abcdef0'],
      }),
    ).toBe(true);
    expect(
      ask(inOu, 'route53profiles:AssociateProfile', ['*'], {
        'route53profiles:ResourceIds': ['vpc-0123abcd4567ef890'],
      }),
    ).toBe(false);
    expect(ask(inOu, 'route53profiles:AssociateProfile', ['*'])).toBe(false);
    expect(actionsOf(inOu)).not.toContain('ram:AcceptResourceShareInvitation');
    expect(actionsOf(inOu)).not.toContain('route53:AssociateVPCWithHostedZone');
    const invitation = `arn:aws:ram:${R}:111111111111:resource-share-invitation/i-1`;
    expect(
      ask(invited, 'ram:AcceptResourceShareInvitation', [invitation], { 'ram:ShareOwnerAccountId': ['111111111111'] }),
    ).toBe(true);
    expect(
      ask(invited, 'ram:AcceptResourceShareInvitation', [invitation.replace('111111111111', '444444444444')], {
        'ram:ShareOwnerAccountId': ['444444444444'],
      }),
    ).toBe(false);
  });

  test('the planners only read', () => {
    const actions = [
      hubPlannerPolicy(profile),
      spokePlannerPolicy(profile, '333333333333'),
      spokePlannerPolicy(profile, '123456789012'),
    ].flatMap(actionsOf);
    expect(actions).toContain('route53profiles:GetProfile');
    for (const action of actions) {
      expect(action).toMatch(/^(ec2:Describe|route53:(Get|List)|route53profiles:(Get|List)|ram:(Get|List))/);
    }
  });
});

describe('the policies with dns: endpoints', () => {
  const principals = '  principals: ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"]\n';
  const endpoints = configFrom(withSharing(`  mode: profile\n  dns: endpoints\n  zoneServices: [logs]\n${principals}`));
  const zones = configFrom(withSharing(`  mode: profile\n${principals}`));
  const hubVpc = route53VpcKey('vpc-0a1b2c3d4e5f60718', R);
  const endpointArn = `arn:aws:ec2:${R}:111111111111:vpc-endpoint/vpce-0123456789abcdef0`;
  const endpoint = (arn = endpointArn) => ({
    'route53profiles:ResourceTypes': ['VPCEndpoint'],
    'route53profiles:ResourceArns': [arn],
  });
  const zoneOf = (domain: string) => ({
    'route53profiles:ResourceTypes': ['HostedZone'],
    'route53profiles:HostedZoneDomains': [domain],
  });
  const associate = 'route53profiles:AssociateResourceToProfile';
  const disassociate = 'route53profiles:DisassociateResourceFromProfile';

  test("the hub deployer puts the hub's own endpoints in the Profile, and zones only of zoneServices", () => {
    const policy = hubDeployerPolicy(endpoints);
    expect(ask(policy, associate, ['*'], endpoint())).toBe(true);
    expect(ask(policy, disassociate, ['*'], endpoint())).toBe(true);
    // Another account's endpoint, another Region's, or a request that names no ARN.
    expect(ask(policy, associate, ['*'], endpoint(endpointArn.replace('111111111111', '222222222222')))).toBe(false);
    expect(ask(policy, associate, ['*'], endpoint(endpointArn.replace(R, 'us-east-1')))).toBe(false);
    expect(ask(policy, associate, ['*'], { 'route53profiles:ResourceTypes': ['VPCEndpoint'] })).toBe(false);
    // Zones: in only for zoneServices; out for any hub service (a move to private DNS takes its zone out).
    expect(ask(policy, associate, ['*'], zoneOf(`logs.${R}.amazonaws.com`))).toBe(true);
    expect(ask(policy, associate, ['*'], zoneOf(`dkr.ecr.${R}.amazonaws.com`))).toBe(false);
    expect(ask(policy, disassociate, ['*'], zoneOf(`dkr.ecr.${R}.amazonaws.com`))).toBe(true);
    expect(ask(policy, disassociate, ['*'], zoneOf('corp.example.com'))).toBe(false);
  });

  test("turning private DNS on may associate AWS's zones with the hub VPC only", () => {
    const policy = hubDeployerPolicy(endpoints);
    const zone = 'arn:aws:route53:::hostedzone/*';
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': [hubVpc] })).toBe(true);
    expect(
      ask(policy, 'route53:AssociateVPCWithHostedZone', [zone], {
        'route53:VPCs': [route53VpcKey('vpc-0123456789abcdef0', R)],
      }),
    ).toBe(false);
    expect(ask(policy, 'route53:AssociateVPCWithHostedZone', [zone])).toBe(false);
    // Nothing of it with dns: zones, where no endpoint has private DNS.
    expect(
      ask(hubDeployerPolicy(zones), 'route53:AssociateVPCWithHostedZone', [zone], { 'route53:VPCs': [hubVpc] }),
    ).toBe(false);
  });

  test('with dns: zones the hub deployer may only take its endpoints out of the Profile (the move back)', () => {
    const policy = hubDeployerPolicy(zones);
    expect(ask(policy, associate, ['*'], endpoint())).toBe(false);
    expect(ask(policy, disassociate, ['*'], endpoint())).toBe(true);
    expect(ask(policy, associate, ['*'], zoneOf(`dkr.ecr.${R}.amazonaws.com`))).toBe(true);
  });

  test('the planners and spokes are those of dns: zones', () => {
    expect(hubPlannerPolicy(endpoints)).toEqual(hubPlannerPolicy(zones));
    for (const account of ['123456789012', '012345678901']) {
      expect(spokeDeployerPolicy(endpoints, account)).toEqual(spokeDeployerPolicy(zones, account));
      expect(spokePlannerPolicy(endpoints, account)).toEqual(spokePlannerPolicy(zones, account));
    }
  });
});
