/**
 * Discovery's report for people (what was added, what a person must retire and how, what was
 * skipped) and as JSON for tools. Names come from AWS: shown with their control characters escaped.
 */
import { escapeControl } from '../commands/escape';
import { spokeStackName } from '../stack-names';
import { describeFilter, type DiscoverResult } from './run-discover';

const label = (account: string, name?: string) => escapeControl(name ? `${account} (${name})` : account);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a person does for a departure: the retirement steps of docs/operations.md, or taking a VPC off its entry. */
export function retirementSteps(account: string, vpcId?: string): string {
  const stack = spokeStackName(account);
  if (vpcId) {
    return `take ${vpcId} off its vpcIds in accounts.yaml, then npx cdktf deploy ${stack} and npx cdktf deploy hub`;
  }
  return (
    `retire it: 1. retired: true on its entry in accounts.yaml; 2. npx cdktf deploy ${stack}; ` +
    `3. delete the entry; 4. npx cdktf deploy hub; 5. delete its state (docs/operations.md, "Remove an account")`
  );
}

/** The report as text. */
export function renderDiscoverText(result: DiscoverResult, check: boolean): string {
  const { changes } = result;
  const scope =
    result.organizationalUnits.length > 0 ? `under ${result.organizationalUnits.join(', ')}` : 'in the organization';
  const lines = [
    `vpce-hub discover: ${plural(result.accounts.organization, 'account')} in the organization, ` +
      `${result.accounts.inScope} active ${scope}, ${result.accounts.read} read; ` +
      `VPCs with ${escapeControl(describeFilter(result.filter))}; ${escapeControl(result.file)}`,
  ];
  const verb = check ? 'To add' : 'Added';
  if (changes.add.length > 0) {
    lines.push('', `${verb}: ${plural(changes.add.length, 'account')}`);
    for (const a of changes.add) lines.push(`  + ${label(a.id, a.name)}: ${a.vpcIds.join(', ')}`);
  }
  if (changes.addVpcs.size > 0) {
    lines.push('', `${verb}: VPCs of ${plural(changes.addVpcs.size, 'listed account')}`);
    for (const [id, vpcs] of changes.addVpcs) lines.push(`  + ${label(id)}: ${vpcs.join(', ')}`);
  }
  if (changes.departures.length > 0) {
    lines.push('', `For a person (discover never deletes): ${plural(changes.departures.length, 'entry', 'entries')}`);
    for (const d of changes.departures) {
      lines.push(`  - ${label(d.account, d.name)}${d.vpcId ? ` ${d.vpcId}` : ''} ${escapeControl(d.reason)}`);
      lines.push(`      ${retirementSteps(d.account, d.vpcId)}`);
    }
  }
  if (changes.skipped.length > 0) {
    lines.push('', `Skipped: ${plural(changes.skipped.length, 'account')} whose planner role could not be used`);
    for (const s of changes.skipped) lines.push(`  ! ${label(s.account, s.name)}: ${escapeControl(s.reason)}`);
  }
  const vpcsAdded =
    changes.add.reduce((n, a) => n + a.vpcIds.length, 0) +
    [...changes.addVpcs.values()].reduce((n, v) => n + v.length, 0);
  lines.push('');
  if (result.written) {
    lines.push(
      `Wrote ${escapeControl(result.file)}: ${plural(changes.add.length, 'account')} and ${plural(vpcsAdded, 'VPC')} ` +
        'added. Deploy the hub, then the new spokes (docs/operations.md, "Add an account").',
    );
  } else if (!result.differs) {
    lines.push(`${escapeControl(result.file)} is in step with the organization.`);
  } else if (check) {
    lines.push(
      `${escapeControl(result.file)} differs from the organization (above): run npm run discover, and retire what left.`,
    );
  } else {
    lines.push(`Nothing to add to ${escapeControl(result.file)}; the entries above are for a person.`);
  }
  const calls = Object.entries(result.calls)
    .map(([service, n]) => `${service} ${n}`)
    .join(', ');
  lines.push(`AWS API calls: ${calls || 'none'}.`);
  return `${lines.join('\n')}\n`;
}

/** The result as JSON. */
export function renderDiscoverJson(result: DiscoverResult): string {
  return `${JSON.stringify(
    {
      ...result,
      changes: { ...result.changes, addVpcs: Object.fromEntries(result.changes.addVpcs) },
    },
    null,
    2,
  )}\n`;
}
