/**
 * Test helper: a synth output folder with one stack's Terraform JSON edited by hand.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedJson } from './config';
import { tempDir } from './temp';

/** A copy of a synth folder with one stack's JSON changed. */
export function editedSynthFolder(outdir: string, stack: string, change: (json: ParsedJson) => void): string {
  const copy = tempDir('vpce-doctor');
  cpSync(outdir, copy, { recursive: true });
  const file = join(copy, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as ParsedJson;
  change(json);
  writeFileSync(file, JSON.stringify(json));
  return copy;
}
