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
    for (const d of report.drift) {
      const where = [`account ${d.account}`, d.vpcId, d.host].filter((p) => p !== undefined).join(' ');
      lines.push(`  ${escapeControl(where)}: intended ${escapeControl(d.intended)}; AWS: ${escapeControl(d.live)}`);
    }
  } else {
    lines.push('', colour.good('No drift: AWS holds what the synth output declares.'));
  }
  const calls = Object.entries(report.calls)
    .map(([service, n]) => `${service} ${n}`)
    .join(', ');
  lines.push(colour.dim(`AWS API calls: ${calls || 'none'}.`));
  return `${lines.join('\n')}\n`;
}
