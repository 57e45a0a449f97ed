/**
 * A small evaluator of IAM identity policies, for proving the generated policies against the calls a
 * real Terraform run made (recorded by the AWS fake): for each resource of the request, an explicit
 * Deny wins, else some Allow statement must match the action, that resource and the conditions;
 * otherwise the request is denied.
 *
 * It understands what the generated policies use: `Action` / `Resource` with `*` and `?`
 * wildcards, and the condition operators `StringEquals`, `StringLike`, `ArnLike`, `ArnEquals`,
 * `Null`, with the `ForAllValues:` and `ForAnyValue:` set qualifiers. Anything else is refused
 * (throws), so a policy this evaluator cannot read is never reported as allowing.
 */

/** A policy statement, as IAM JSON has it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

/** What a request asks for: one action, its resources and its condition keys. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resources: readonly string[];
  readonly context: Readonly<Record<string, readonly string[]>>;
}

const list = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? (value as readonly T[]) : [value as T];

/** `*` and `?` wildcards, case-sensitive (`caseless` for actions). */
export function wildcardMatch(pattern: string, value: string, caseless = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseless ? 'i' : '').test(value);
}

function operatorMatches(operator: string, patterns: readonly string[], value: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return patterns.includes(value);
    case 'StringLike':
    case 'ArnLike':
      return patterns.some((pattern) => wildcardMatch(pattern, value));
    default:
      throw new Error(`the IAM evaluator does not know the condition operator ${operator}`);
  }
}

/** Whether one condition block holds for the request's context. */
function conditionHolds(
  qualifiedOperator: string,
  key: string,
  expected: string | boolean | readonly string[],
  context: AuthorizationRequest['context'],
): boolean {
  const values = context[key];
  if (qualifiedOperator === 'Null') {
    const isNull = values === undefined || values.length === 0;
    return String(expected) === String(isNull);
  }
  const [qualifier, operator] = qualifiedOperator.includes(':')
    ? qualifiedOperator.split(':')
    : [undefined, qualifiedOperator];
  const patterns = list(expected).map(String);
  if (qualifier === 'ForAllValues') return (values ?? []).every((value) => operatorMatches(operator, patterns, value));
  if (qualifier === 'ForAnyValue') return (values ?? []).some((value) => operatorMatches(operator, patterns, value));
  if (qualifier !== undefined) throw new Error(`the IAM evaluator does not know the qualifier ${qualifier}`);
  // A single-valued key: absent means the condition does not hold.
  return (
    values !== undefined && values.length > 0 && values.every((value) => operatorMatches(operator, patterns, value))
  );
}

function statementMatches(statement: Statement, request: AuthorizationRequest, resource: string): boolean {
  if (!list(statement.Action).some((pattern) => wildcardMatch(pattern, request.action, true))) return false;
  if (!list(statement.Resource).some((pattern) => wildcardMatch(pattern, resource))) return false;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(block)) {
      if (!conditionHolds(operator, key, expected, request.context)) return false;
    }
  }
  return true;
}

/**
 * Whether the policy allows the request; also which statements did (for reports). IAM authorizes
 * each resource of a request on its own (an EC2 call that names a VPC, subnets and a security group
 * needs each allowed, by any statement), so every resource needs an Allow and none a Deny.
 */
export function evaluate(policy: PolicyDocument, request: AuthorizationRequest): { allowed: boolean; by?: string } {
  const by = new Set<string>();
  for (const resource of request.resources) {
    if (policy.Statement.some((s) => s.Effect === 'Deny' && statementMatches(s, request, resource))) {
      return { allowed: false };
    }
    const allow = policy.Statement.find((s) => s.Effect === 'Allow' && statementMatches(s, request, resource));
    if (!allow) return { allowed: false };
    by.add(allow.Sid ?? '(no Sid)');
  }
  return request.resources.length > 0 ? { allowed: true, by: [...by].join(', ') } : { allowed: false };
}

/** Every action a policy's Allow statements name (wildcards as written). */
export function allowedActions(policy: PolicyDocument): string[] {
  return [...new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [...list(s.Action)]))];
}
