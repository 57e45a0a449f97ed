/**
 * Test helpers for the doctor: its command line run in this process with captured output, and one
 * answer of a report.
 */
import { join, resolve } from 'node:path';
import { main, type CliIo } from '../../lib/commands/doctor';
import type { DoctorReport } from '../../lib/doctor/run-doctor';

/** An environment without a configuration folder (the staleness warning stays quiet). */
export const NO_CONFIG = { VPCE_CONFIG_DIR: join(resolve(__dirname, '..', '..'), 'no-such-config-folder') };

/** The doctor's CLI (static, never --live) in this process, with captured output. */
export function doctorCli(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: NO_CONFIG,
  };
  const status = main(args, io);
  if (typeof status !== 'number') throw new Error('doctorCli runs the static doctor only (no --live)');
  return { status, stdout, stderr };
}

/** The answer for one host in one VPC. */
export function answerOf(report: DoctorReport, vpcId: string, host: string) {
  return report.vpcs.find((v) => v.vpcId === vpcId)?.answers.find((a) => a.host === host);
}
