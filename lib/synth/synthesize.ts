/**
 * The synth pipeline, as `npm run synth` runs it after its usage check (lib/commands/synth.ts):
 * load the configuration, check it against the local state, build the stacks, synthesize into a
 * new folder that then replaces the output folder, print the summary line. Returns the exit code.
 */
import { App } from '../framework/cdktf';
import { escapeControl } from '../commands/escape';
import { buildStacks } from '../stacks/build-stacks';
import { configDir, loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import { defaultStateLayout, stateLocation } from '../state/backends';
import { dnsSwitchNotices, unsafeRemovals, UnsafeRemovalError } from '../state/removal-guard';
import { checkOutputFolder, OutputFolderError, openOutputFolder } from './output-folder';
import { originConflict, shownFolder, writeOutputOrigin } from './output-origin';
import { countWhileSynthesizing, summaryLine } from './summary';

/** Synthesizes the configuration of VPCE_CONFIG_DIR into CDKTF_OUTDIR; 0 done, 1 a problem to fix. */
export function synthesize(env: NodeJS.ProcessEnv = process.env): number {
  try {
    const layout = defaultStateLayout(env);
    // A symbolic link or a file on the way to the output folder is refused before anything is read.
    checkOutputFolder(layout.outdir);
    const folder = configDir(env);
    const conflict = originConflict(layout.outdir, folder);
    if (conflict) throw new OutputFolderError(conflict);
    const config = loadConfig(folder);
    const location = stateLocation(config, layout);
    const reasons = unsafeRemovals(config, location);
    if (reasons.length > 0) throw new UnsafeRemovalError(reasons);
    for (const notice of dnsSwitchNotices(config, location)) process.stderr.write(`vpce-hub: warning: ${notice}\n`);
    // The cdktf CLI sets CDKTF_CONTEXT_JSON when it runs the app.
    const output = openOutputFolder(layout.outdir, {
      underCdktfCli: env.CDKTF_CONTEXT_JSON !== undefined,
      notice: (line) => process.stderr.write(`vpce-hub: ${escapeControl(line)}\n`),
      cleanUpIfKilled: true,
    });
    try {
      const app = new App({ outdir: output.tempDir });
      const stacks = buildStacks(app, config, layout).all;
      const counts = countWhileSynthesizing(stacks);
      app.synth();
      writeOutputOrigin(output.tempDir, folder);
      output.commit();
      process.stdout.write(
        `${summaryLine(counts, env.CDKTF_OUTDIR || 'cdktf.out')} (from ${escapeControl(shownFolder(folder))})\n`,
      );
    } catch (error) {
      output.abort();
      throw error;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof UnsafeRemovalError || error instanceof OutputFolderError)) {
      process.setSourceMapsEnabled(true);
      throw error;
    }
    // A user's mistake: what to fix, not a stack trace.
    // Paths come from the environment: control characters in them are shown, not obeyed.
    process.stderr.write(
      `${error instanceof OutputFolderError ? `vpce-hub: ${escapeControl(error.message)}` : error.message}\n`,
    );
    return 1;
  }
}
