/**
 * The doctor's report for people (the VPCs with failures, or with --verbose every spoke VPC, and a
 * summary), or as JSON for tools.
 */
import { escapeControl, escapeJsonText } from '../commands/escape';
import { isOk, type DoctorReport } from './run-doctor';

/** Colours for a terminal; none when the output is not one (or NO_COLOR is set). */
export interface Palette {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
}

export const PLAIN: Palette = { good: (t) => t, bad: (t) => t, dim: (t) => t };

export const ANSI: Palette = {
  good: (t) => `\u001b[32m${t}\u001b[39m`,
  bad: (t) => `\u001b[31m${t}\u001b[39m`,
  dim: (t) => `\u001b[2m${t}\u001b[22m`,
};

/** The palette for a stream. */
export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  return stream.isTTY && !env.NO_COLOR ? ANSI : PLAIN;
}

/** What {@link renderText} shows. */
export interface TextOptions {
  /** Every VPC's table with every name; by default only the VPCs with a failing name. */
  readonly verbose?: boolean;
}

/** A copy of a value with every string's control characters escaped (see escapeControl). */
function escaped<T>(value: T): T {
  if (typeof value === 'string') return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map(escaped) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeControl(k), escaped(v)])) as T;
  }
  return value;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `account 123456789012 (payments-prod)`. */
function accountLabel(account: string, name: string | null | undefined): string {
  return name ? `account ${account} (${name})` : `account ${account}`;
}

/**
 * The report as text: a table per spoke VPC that has a failing name (every VPC with `verbose`),
 * the problems, then a summary with one line per failure. Every string from the synth output is
 * shown with its control characters escaped, so a crafted output cannot drive the terminal.
 */
export function renderText(raw: DoctorReport, colour: Palette = PLAIN, options: TextOptions = {}): string {
  const report = escaped(raw);
  const lines: string[] = [];
  const registries =
    report.registries.length > 0 ? `; registries besides each spoke's own: ${report.registries.join(', ')}` : '';
  lines.push(
    `vpce-hub doctor: profile ${report.profile}, ${report.outdir}${report.configDir ? ` (from ${report.configDir})` : ''}, ` +
      `${plural(report.vpcs.length, 'spoke VPC')}${registries}`,
  );
  const failing = report.vpcs.filter((vpc) => vpc.answers.some((a) => !isOk(a.result)));
  for (const vpc of options.verbose ? report.vpcs : failing) {
    const hostWidth = Math.max(4, ...vpc.answers.map((a) => a.host.length));
    const resultWidth = Math.max(6, ...vpc.answers.map((a) => a.result.length));
    lines.push('', `${vpc.stack}  ${accountLabel(vpc.account, vpc.accountName)}  ${vpc.vpcId}`);
    lines.push(colour.dim(`  ${'host'.padEnd(hostWidth)}  ${'result'.padEnd(resultWidth)}  path / reason`));
    for (const answer of vpc.answers) {
      const paint = isOk(answer.result) ? colour.good : colour.bad;
      lines.push(
        `  ${answer.host.padEnd(hostWidth)}  ${paint(answer.result.padEnd(resultWidth))}  ${answer.path ?? answer.reason ?? ''}`,
      );
    }
  }
  if (report.retired.length > 0) {
    lines.push(
      '',
      "Retired (not checked: deploying their spoke stacks takes their VPCs off the hub's zones; the hub keeps their records until their entries are deleted):",
    );
    for (const spoke of report.retired) {
      const left = spoke.resources > 0 ? ` - still declares ${plural(spoke.resources, 'resource')}` : '';
      lines.push(`  ${spoke.stack}  ${accountLabel(spoke.account, spoke.accountName)}${left}`);
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Could not follow:');
    for (const warning of report.warnings) lines.push(`  ${warning}`);
  }
  if (report.overrides.length > 0) {
    lines.push('', 'Judged with the override files Terraform merges in:');
    for (const override of report.overrides) lines.push(`  ${override}`);
  }
  lines.push('');
  const problems = report.spokeProblems;
  if (report.vpcs.length === 0 && problems.length === 0) {
    lines.push('No spoke VPCs in this synth output: nothing to check.');
  } else if (report.ok) {
    const more = options.verbose ? '' : ' (--verbose lists every name)';
    lines.push(
      colour.good(
        `OK: all ${report.checked} names resolve through the hub in ${plural(report.vpcs.length, 'spoke VPC')}.${more}`,
      ),
    );
  } else {
    const what: string[] = [];
    if (report.failed > 0) {
      what.push(
        `${report.failed} of ${report.checked} names do not resolve as they must, in ${failing.length} of ${plural(report.vpcs.length, 'spoke VPC')}`,
      );
    }
    if (problems.length > 0) {
      what.push(`${plural(new Set(problems.map((p) => p.stack)).size, 'spoke stack')} cannot be checked`);
    }
    lines.push(colour.bad(`FAIL: ${what.join('; ')}:`));
    for (const problem of problems) {
      lines.push(
        `  ${problem.stack} ${accountLabel(problem.account, problem.accountName)}: ${problem.address ? `${problem.address}: ` : ''}${problem.reason}`,
      );
    }
    for (const vpc of failing) {
      for (const answer of vpc.answers.filter((a) => !isOk(a.result))) {
        lines.push(
          `  ${accountLabel(vpc.account, vpc.accountName)} ${vpc.vpcId}: ${answer.host} ${answer.result}: ${answer.reason ?? ''}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON (control characters escaped, as JSON allows, even those JSON.stringify leaves raw). */
export function renderJson(report: DoctorReport): string {
  return `${escapeJsonText(JSON.stringify(report, null, 2))}\n`;
}
