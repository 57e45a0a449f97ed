/**
 * The generated IAM policies (lib/iam) replayed against every API call real Terraform made in the
 * e2e, as the fake recorded them with their IAM authorizations:
 *
 * - sufficient: every call a role made is allowed by that role's policy, and the role fits the
 *   phase (a plan's calls come from planner roles; applies and destroys from deployer roles);
 * - minimal: every action a policy grants was needed by some call, except the few the policies
 *   list as called only on some changes (`RARELY_CALLED`, also in docs/security-and-iam.md).
 *
 * Each run is replayed against the documents `npm run iam` generates from its configuration at the
 * *start* of the run (its CloudFormation templates, read back), however the run changed the
 * configuration afterwards: accounts added, retired and removed, services moved, sharing modes
 * switched. The one change that needs new documents, the hub moving to another VPC, rolls them out
 * first (docs/operations.md, "What each change does"); its calls are replayed against the new ones. The spoke
 * template gives any account, listed at the start or not, the roles of its own ID, as a StackSet
 * with automatic deployment would.
 */
import type { VpceConfig } from '../../lib/config/schema';
import type { CallRecord } from '../fake-aws/server';
import { allowedActions, evaluate } from '../../lib/iam/evaluate';
import { templateRoles, type TemplateRole, type TemplateRoleKind } from '../../lib/iam/cloudformation';
import { iamDocuments } from '../../lib/commands/iam';
import { RARELY_CALLED } from '../../lib/iam/policies';

/** What the replay found. */
export interface ReplayResult {
  /** Authorizations checked. */
  readonly checked: number;
  /** Calls by roles the policies do not know (`<principal> <action>`). */
  readonly unknownRoles: string[];
  /** Calls of a phase made by the other phase's role. */
  readonly wrongPhase: string[];
  /** Authorizations a policy denied. */
  readonly denied: string[];
  /** Actions a policy grants that no call needed (and that are not in RARELY_CALLED), by role kind. */
  readonly unused: Partial<Record<TemplateRoleKind, string[]>>;
}

/** The phase of a call from its label (`<stack> <command>`): plans are plans, the rest change things. */
function phaseOf(label: string | undefined): 'plan' | 'apply' | undefined {
  const command = label?.split(' ').slice(1).join(' ');
  if (command === 'plan') return 'plan';
  if (
    command === 'apply' ||
    command === 'destroy' ||
    command?.startsWith('cdktf deploy') ||
    command?.startsWith('cdktf destroy')
  ) {
    return 'apply';
  }
  return undefined;
}

/** The roles of a configuration's templates: the hub account's, and any account's spoke roles. */
function rolesOf(config: VpceConfig): (roleArn: string) => TemplateRole | undefined {
  const documents = iamDocuments(config);
  const region = config.hub.region;
  const hub = new Map(documents.hub.map((role) => [role.roleArn, role]));
  const spokes = new Map<string, TemplateRole | undefined>();
  return (roleArn) => {
    if (hub.has(roleArn)) return hub.get(roleArn);
    if (!spokes.has(roleArn)) {
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      const roles = account ? templateRoles(documents.templates.spoke, { accountId: account, region }) : [];
      spokes.set(
        roleArn,
        roles.find((role) => role.roleArn === roleArn),
      );
    }
    return spokes.get(roleArn);
  };
}

/**
 * Replays the calls of one or more runs, each against the documents of its configuration at its
 * start, or from a role update on (`roleUpdates`: a step that rolled out new documents first, as
 * the hub moving VPC does), against that configuration's.
 */
export function replayCalls(
  runs: ReadonlyArray<{
    startConfig: VpceConfig;
    roleUpdates?: ReadonlyArray<{ readonly fromCall: number; readonly config: VpceConfig }>;
    calls: readonly CallRecord[];
  }>,
): ReplayResult {
  const result = {
    checked: 0,
    unknownRoles: [] as string[],
    wrongPhase: [] as string[],
    denied: [] as string[],
    unused: {} as ReplayResult['unused'],
  };
  const used = new Map<TemplateRoleKind, Set<string>>();
  const granted = new Map<TemplateRoleKind, Set<string>>();
  for (const { startConfig, roleUpdates = [], calls } of runs) {
    const epochs = [
      { fromCall: 0, roleOf: rolesOf(startConfig) },
      ...roleUpdates.map((u) => ({ fromCall: u.fromCall, roleOf: rolesOf(u.config) })),
    ];
    for (const [index, call] of calls.entries()) {
      if (!call.roleArn) continue; // the operator's own calls (AssumeRole), or setting the world up
      const roleOf = epochs.filter((epoch) => epoch.fromCall <= index).at(-1)!.roleOf;
      const role = roleOf(call.roleArn);
      if (!role) {
        result.unknownRoles.push(`${call.principal} ${call.service}:${call.action}`);
        continue;
      }
      const grants = granted.get(role.kind) ?? new Set<string>();
      for (const action of allowedActions(role.policy)) grants.add(action);
      granted.set(role.kind, grants);
      const phase = phaseOf(call.label);
      const planner = role.kind.endsWith('planner');
      if ((phase === 'plan' && !planner) || (phase === 'apply' && planner)) {
        result.wrongPhase.push(`${call.label}: ${call.service}:${call.action} as ${role.roleArn}`);
      }
      for (const check of call.checks ?? []) {
        result.checked += 1;
        if (!evaluate(role.policy, check).allowed) {
          result.denied.push(
            `${role.kind} ${role.roleArn}: ${check.action} on ${check.resources.join(', ')}` +
              `${Object.keys(check.context).length ? ` with ${JSON.stringify(check.context)}` : ''} (${call.label})`,
          );
          continue;
        }
        const set = used.get(role.kind) ?? new Set<string>();
        set.add(check.action);
        used.set(role.kind, set);
      }
    }
  }
  for (const [kind, actions] of granted) {
    const unused = [...actions].filter((action) => !used.get(kind)?.has(action) && !(action in RARELY_CALLED));
    if (unused.length > 0) result.unused[kind] = unused.sort();
  }
  return result satisfies ReplayResult;
}
