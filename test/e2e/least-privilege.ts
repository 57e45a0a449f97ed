/**
 * The generated IAM policies (lib/iam) replayed against every API call real Terraform made in the
 * e2e, as the fake recorded them with their IAM authorizations:
 *
 * - sufficient: every call a role made is allowed by that role's policy, and the role fits the
 *   phase (a plan's calls come from planner roles; applies and destroys from deployer roles);
 * - minimal: every action a policy grants was needed by some call, except the few the policies
 *   list as called only on some changes (`RARELY_CALLED`, also in the README).
 *
 * A run that went through several configurations (a mode switch, services moving between zones and
 * private DNS) is replayed against the policies of all of them: a call is allowed when the policy of
 * its role in one of them allows it (an apply that changes the configuration runs with the policies
 * of the configurations before and after it).
 */
import type { VpceConfig } from '../../lib/config/schema';
import type { CallRecord } from '../fake-aws/server';
import { allowedActions, evaluate } from '../../lib/iam/evaluate';
import { RARELY_CALLED, rolePolicies, type RoleKind, type RolePolicy } from '../../lib/iam/policies';

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
  readonly unused: Partial<Record<RoleKind, string[]>>;
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

/** Replays the calls of one or more runs, each with the configurations it deployed. */
export function replayCalls(
  runs: ReadonlyArray<{ configs: readonly VpceConfig[]; calls: readonly CallRecord[] }>,
): ReplayResult {
  const result = {
    checked: 0,
    unknownRoles: [] as string[],
    wrongPhase: [] as string[],
    denied: [] as string[],
    unused: {} as ReplayResult['unused'],
  };
  const used = new Map<RoleKind, Set<string>>();
  const granted = new Map<RoleKind, Set<string>>();
  for (const { configs, calls } of runs) {
    // Each role's policies, one per configuration of the run.
    const roles = new Map<string, RolePolicy[]>();
    for (const role of configs.flatMap((config) => rolePolicies(config))) {
      roles.set(role.roleArn, [...(roles.get(role.roleArn) ?? []), role]);
      const set = granted.get(role.kind) ?? new Set<string>();
      for (const action of allowedActions(role.policy)) set.add(action);
      granted.set(role.kind, set);
    }
    for (const call of calls) {
      if (!call.roleArn) continue; // the operator's own calls (AssumeRole), or setting the world up
      const policies = roles.get(call.roleArn);
      const role = policies?.[0];
      if (!policies || !role) {
        result.unknownRoles.push(`${call.principal} ${call.service}:${call.action}`);
        continue;
      }
      const phase = phaseOf(call.label);
      const planner = role.kind.endsWith('planner');
      if ((phase === 'plan' && !planner) || (phase === 'apply' && planner)) {
        result.wrongPhase.push(`${call.label}: ${call.service}:${call.action} as ${role.roleArn}`);
      }
      for (const check of call.checks ?? []) {
        result.checked += 1;
        if (!policies.some((p) => evaluate(p.policy, check).allowed)) {
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
