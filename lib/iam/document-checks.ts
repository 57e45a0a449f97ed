/**
 * What IAM would refuse, checked before `npm run iam` writes anything: a document over its size
 * limit, or one that is not valid policy grammar (IAM User Guide, "IAM JSON policy element
 * reference" and "IAM and AWS STS quotas"). The grammar is a zod schema of the elements vpce-hub
 * writes; anything outside it is refused rather than guessed at.
 */
import { z } from 'zod';

/** IAM's limits, in characters with whitespace excluded. */
export const IAM_LIMITS = {
  /** A customer managed policy (an inline policy may be longer, but not all of a role's together past 10,240). */
  permissions: 6144,
  /** A role trust policy, by default (raisable to 4,096 by a quota request). */
  trust: 2048,
} as const;

/** A document's size as IAM counts it: its JSON without whitespace. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
  'NumericEquals',
  'NumericLessThan',
  'NumericGreaterThan',
  'DateLessThan',
  'DateGreaterThan',
  'IpAddress',
  'NotIpAddress',
];
const OPERATOR = new RegExp(`^(?:(?:ForAllValues|ForAnyValue):)?(?:${OPERATORS.join('|')})(?:IfExists)?$|^Null$`);
/** A condition key: `service:Name`, with an optional `/tag-key` (e.g. `aws:PrincipalTag/team`, `app.terraform.io:sub`). */
const CONDITION_KEY = /^[a-z0-9.-]+:[A-Za-z0-9_.-]+(?:\/[\w.:/=+@-]+)?$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
/** An ARN (`arn:partition:service:region:account:resource`), wildcards allowed in the resource part. */
const ARN = /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|\*)?:.+$/;
/** A principal ARN: no wildcards (only a bare `*` may stand for anyone). */
const PRINCIPAL_ARN =
  /^arn:aws:(?:iam|sts)::\d{12}:(?:root|(?:role|user|oidc-provider|saml-provider|assumed-role)\/[^*?]+)$/;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);
const conditionValue = z.union([z.string(), z.boolean(), z.array(z.string()).min(1)]);
const condition = z.record(z.string(), z.record(z.string(), conditionValue)).superRefine((blocks, ctx) => {
  for (const [operator, block] of Object.entries(blocks)) {
    if (!OPERATOR.test(operator)) {
      ctx.addIssue({ code: 'custom', path: [operator], message: 'not an IAM condition operator' });
    }
    for (const key of Object.keys(block)) {
      if (!CONDITION_KEY.test(key)) {
        ctx.addIssue({ code: 'custom', path: [operator, key], message: 'not a condition key' });
      }
    }
  }
});
const sid = z.string().regex(/^[A-Za-z0-9]*$/, { error: 'a Sid is letters and digits only' });
const effect = z.enum(['Allow', 'Deny'], { error: 'Effect is Allow or Deny' });

const permissionStatement = z.strictObject({
  Sid: sid.optional(),
  Effect: effect,
  Action: oneOrMany(z.string().regex(ACTION, { error: 'not an action (service:Action)' })),
  Resource: oneOrMany(z.string().refine((r) => r === '*' || ARN.test(r), { error: 'not an ARN or *' })),
  Condition: condition.optional(),
});

const principal = z.union([
  z.literal('*'),
  z
    .strictObject({
      AWS: oneOrMany(
        z.string().refine((p) => p === '*' || PRINCIPAL_ARN.test(p), { error: 'not a principal ARN (no wildcards)' }),
      ).optional(),
      Federated: oneOrMany(z.string().regex(PRINCIPAL_ARN, { error: 'not an identity provider ARN' })).optional(),
      Service: oneOrMany(
        z.string().regex(/^[a-z0-9.-]+\.amazonaws\.com$/, { error: 'not a service principal' }),
      ).optional(),
    })
    .refine((p) => Object.keys(p).length > 0, { error: 'names no principal' }),
]);

const trustStatement = z.strictObject({
  Sid: sid.optional(),
  Effect: effect,
  Principal: principal,
  Action: oneOrMany(
    z.enum(
      [
        'sts:AssumeRole',
        'sts:AssumeRoleWithWebIdentity',
        'sts:AssumeRoleWithSAML',
        'sts:TagSession',
        'sts:SetSourceIdentity',
      ],
      {
        error: 'a trust policy grants sts:AssumeRole* (and sts:TagSession, sts:SetSourceIdentity) only',
      },
    ),
  ),
  Condition: condition.optional(),
});

const documentOf = <T extends z.ZodType>(statement: T) =>
  z
    .strictObject({
      Version: z.literal('2012-10-17', { error: 'Version is "2012-10-17"' }),
      Statement: z.array(statement).min(1, { error: 'a policy has at least one statement' }),
    })
    .superRefine((document, ctx) => {
      const seen = new Set<string>();
      (document.Statement as Array<{ Sid?: string }>).forEach((statement, i) => {
        if (!statement.Sid) return;
        if (seen.has(statement.Sid)) {
          ctx.addIssue({
            code: 'custom',
            path: ['Statement', i, 'Sid'],
            message: `Sid ${statement.Sid} is used twice`,
          });
        }
        seen.add(statement.Sid);
      });
    });

const GRAMMAR = { permissions: documentOf(permissionStatement), trust: documentOf(trustStatement) };

/** One document of one role, to check. */
export interface CheckedDocument {
  /** The role's ARN (or, for a template, its ARN with `${AWS::AccountId}`). */
  readonly role: string;
  readonly kind: 'permissions' | 'trust';
  readonly document: unknown;
}

/** What IAM would refuse, one line per problem, naming the role, the document and its size. */
export function documentProblems(documents: readonly CheckedDocument[]): string[] {
  const problems: string[] = [];
  for (const { role, kind, document } of documents) {
    const size = policySize(document);
    const limit = IAM_LIMITS[kind];
    const name = `${role}: its ${kind === 'trust' ? 'trust policy' : 'permissions policy'} (${size} characters)`;
    if (size > limit) {
      problems.push(
        `${name} is over IAM's limit of ${limit} characters (whitespace excluded): IAM would refuse it. ` +
          (kind === 'trust'
            ? 'List fewer iam.trustedPrincipals, or use wildcards that cover several.'
            : 'Report this: vpce-hub keeps every permissions policy constant in size.'),
      );
    }
    const parsed = GRAMMAR[kind].safeParse(document);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(
          `${name} is not valid IAM policy grammar at ${issue.path.join('.') || 'the top'}: ${issue.message}.`,
        );
      }
    }
  }
  return problems;
}
