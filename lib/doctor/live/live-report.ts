/**
 * The live doctor's report for people: the doctor's report of what AWS holds (report.ts), the drift
 * from the synthesized intent, and the API calls the run made.
 */
import { escapeControl } from '../../commands/escape';
import { PLAIN, renderText, type Palette, type TextOptions } from '../report';
import type { LiveReport } from './run-live-doctor';

/** The live report as text. */
export function renderLiveText(report: LiveReport, colour: Palette = PLAIN, options: TextOptions = {}): string {
  const lines = [renderText(report, colour, options).trimEnd()];
  if (report.drift.length > 0) {
    lines.push('', colour.bad(`DRIFT: ${report.drift.length} differences between the synth output and AWS:`));
    lines.push(...driftTable(report.drift, colour));
  } else {
    lines.push('', colour.good('No drift: AWS holds what the synth output declares.'));
  }
  const calls = Object.entries(report.calls)
    .map(([service, n]) => `${service} ${n}`)
    .join(', ');
  lines.push(colour.dim(`AWS API calls: ${calls || 'none'}.`));
  return `${lines.join('\n')}\n`;
}

/** The drift, side by side: where, what the synth output says, what AWS holds; one row each. */
function driftTable(drift: LiveReport['drift'], colour: Palette): string[] {
  const rows = drift.map((d) => ({
    where: escapeControl([`account ${d.account}`, d.vpcId, d.host].filter((p) => p !== undefined).join(' ')),
    intended: escapeControl(d.intended),
    live: escapeControl(d.live),
  }));
  const whereWidth = Math.max('where'.length, ...rows.map((r) => r.where.length));
  const intendedWidth = Math.max('intended (synth output)'.length, ...rows.map((r) => r.intended.length));
  return [
    colour.dim(`  ${'where'.padEnd(whereWidth)}  ${'intended (synth output)'.padEnd(intendedWidth)}  AWS holds`),
    ...rows.map((r) => `  ${r.where.padEnd(whereWidth)}  ${r.intended.padEnd(intendedWidth)}  ${colour.bad(r.live)}`),
  ];
}
