/**
 * The doctor's report: a table per spoke VPC for people, or JSON for tools.
 */
import { isOk, type DoctorReport } from './doctor';

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

/** The report as text: one table per spoke VPC, then a summary. */
export function renderText(report: DoctorReport, colour: Palette = PLAIN): string {
  const lines: string[] = [];
  const registries = report.registries.length > 0 ? `; registries besides each spoke's own: ${report.registries.join(', ')}` : '';
  lines.push(`vpce-hub doctor: profile ${report.profile}, ${report.outdir}, ${report.vpcs.length} spoke VPC(s)${registries}`);
  for (const vpc of report.vpcs) {
    const hostWidth = Math.max(4, ...vpc.answers.map((a) => a.host.length));
    const resultWidth = Math.max(6, ...vpc.answers.map((a) => a.result.length));
    lines.push('', `${vpc.stack}  account ${vpc.account}  ${vpc.vpcId}`);
    lines.push(colour.dim(`  ${'host'.padEnd(hostWidth)}  ${'result'.padEnd(resultWidth)}  path / reason`));
    for (const answer of vpc.answers) {
      const paint = isOk(answer.result) ? colour.good : colour.bad;
      lines.push(`  ${answer.host.padEnd(hostWidth)}  ${paint(answer.result.padEnd(resultWidth))}  ${answer.path ?? answer.reason ?? ''}`);
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Could not follow:');
    for (const warning of report.warnings) lines.push(`  ${warning}`);
  }
  lines.push('');
  if (report.vpcs.length === 0) {
    lines.push('No spoke VPCs in this synth output: nothing to check.');
  } else if (report.ok) {
    lines.push(colour.good(`OK: all ${report.checked} names resolve through the hub in ${report.vpcs.length} spoke VPC(s).`));
  } else {
    lines.push(colour.bad(`FAIL: ${report.failed} of ${report.checked} names do not resolve as they must:`));
    for (const vpc of report.vpcs) {
      for (const answer of vpc.answers.filter((a) => !isOk(a.result))) {
        lines.push(`  account ${vpc.account} ${vpc.vpcId}: ${answer.host} ${answer.result}: ${answer.reason ?? ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON. */
export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
