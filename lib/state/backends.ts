/**
 * Where each stack keeps its Terraform state (one state per stack), and how a spoke reads the hub's.
 *
 * The spoke reads the hub's zone IDs through an explicitly declared remote-state data source rather
 * than a cdktf cross-stack reference: a cross-stack reference would make every spoke depend on the
 * hub in cdktf's manifest, and `cdktf deploy spoke-<id>` alone would then refuse to run.
 */
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  type TerraformRemoteState,
  type TerraformStack,
} from '../framework/cdktf';
import type { Construct } from 'constructs';
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { StateConfig, VpceConfig } from '../config/schema';

/** The folder, in the project folder, that holds local state files when VPCE_STATE_DIR is not set. */
export const LOCAL_STATE_DIR = 'state';

/** Where the synth output and the local state files are, as absolute paths. */
export interface StateLayout {
  /** The synth output folder the stacks end up in (Terraform runs each in `<outdir>/stacks/<stack>`). */
  readonly outdir: string;
  /** The folder that holds local state files. */
  readonly stateDir: string;
}

/** The layout of a synth run: CDKTF_OUTDIR (default `cdktf.out`) and VPCE_STATE_DIR (default `state`), from `cwd`. */
export function defaultStateLayout(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): StateLayout {
  return {
    outdir: resolve(cwd, env.CDKTF_OUTDIR || 'cdktf.out'),
    stateDir: resolve(cwd, env.VPCE_STATE_DIR || LOCAL_STATE_DIR),
  };
}

/** One hub's state settings: the backend, the scope that keeps hubs apart, and the layout. */
export interface StateLocation {
  readonly state: StateConfig;
  /** `<hub.accountId>-<hub.region>` unless `state.scope` says otherwise; `""`: the first release's names. */
  readonly scope: string;
  readonly layout: StateLayout;
}

/** The state location of a configuration. */
export function stateLocation(config: Pick<VpceConfig, 'state' | 'hub'>, layout: StateLayout = defaultStateLayout()): StateLocation {
  return { state: config.state, scope: config.state.scope ?? `${config.hub.accountId}-${config.hub.region}`, layout };
}

/** The local state file of a stack, as an absolute path. */
export function localStateFile(location: Pick<StateLocation, 'scope' | 'layout'>, stack: string): string {
  return join(location.layout.stateDir, location.scope, `${stack}.tfstate`);
}

/**
 * The local state path as Terraform sees it: relative to the folder Terraform runs the stack in
 * (`<outdir>/stacks/<stack>`), so no absolute path of the synth machine lands in the output, and
 * right for any output folder.
 *
 * Terraform climbs each `..` from the folder as the system sees it, so a symbolic link in the output
 * folder's path (one outside the project: synth refuses those inside it) would lead the climb
 * elsewhere, to a state the removal guard does not read. There the path is taken between the real
 * folders instead; everywhere else it stays what it always was.
 */
export function localStatePath(location: Pick<StateLocation, 'scope' | 'layout'>, stack: string): string {
  const { outdir } = location.layout;
  const file = localStateFile(location, stack);
  let path = relative(join(outdir, 'stacks', stack), file);
  const realOutdir = realOutdirs.get(location.layout) ?? realLocation(outdir);
  realOutdirs.set(location.layout, realOutdir);
  if (realOutdir !== resolve(outdir)) {
    const realStackDir = join(realOutdir, 'stacks', stack);
    const realFile = realLocation(file);
    if (realLocation(join(realStackDir, path)) !== realFile) path = relative(realStackDir, realFile);
  }
  return path.split(sep).join('/');
}

/** The output folder as the system sees it, by layout (one look per synth, not one per stack). */
const realOutdirs = new WeakMap<StateLayout, string>();

/** `path` with the symbolic links of the part of it that exists resolved (the rest is yet to be made). */
function realLocation(path: string): string {
  const rest: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    try {
      if (lstatSync(at, { throwIfNoEntry: false })) return join(realpathSync.native(at), ...rest);
    } catch {
      // a file on the way (ENOTDIR) or a dangling link: the part above it is what exists
    }
    if (dirname(at) === at) return resolve(path);
    rest.unshift(basename(at));
  }
}

/** The S3 object key of a stack's state: `<keyPrefix><scope>/<stack>.tfstate`. */
export function s3StateKey(keyPrefix: string, scope: string, stack: string): string {
  return `${keyPrefix}${scope === '' ? '' : `${scope}/`}${stack}.tfstate`;
}

/** The Terraform Cloud workspace of a stack: `<workspacePrefix><scope>-<stack>`. */
export function cloudWorkspaceName(workspacePrefix: string, scope: string, stack: string): string {
  return `${workspacePrefix}${scope === '' ? '' : `${scope}-`}${stack}`;
}

/** Configures the state backend of `stack`, whose name is `stackName`. */
export function addStateBackend(stack: TerraformStack, stackName: string, location: StateLocation): void {
  const { state, scope } = location;
  switch (state.backend) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(location, stackName) });
      return;
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: state.bucket,
        region: state.region,
        key: s3StateKey(state.keyPrefix, scope, stackName),
        encrypt: true,
        assumeRole: state.roleArn ? { roleArn: state.roleArn } : undefined,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no field for it.
      backend.addOverride('use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        organization: state.organization,
        hostname: state.hostname,
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(state.workspacePrefix, scope, stackName)),
      });
      return;
  }
}

/**
 * Declares, in `scope`, a read of the applied state of the stack named `stackName`, addressed as
 * `data.terraform_remote_state.<stackName>`.
 */
export function readStackState(scope: Construct, stackName: string, location: StateLocation): TerraformRemoteState {
  const source = remoteStateSource(scope, stackName, location);
  source.overrideLogicalId(stackName);
  return source;
}

function remoteStateSource(scope: Construct, stackName: string, location: StateLocation): TerraformRemoteState {
  const { state } = location;
  switch (state.backend) {
    case 'local':
      return new DataTerraformRemoteStateLocal(scope, stackName, { path: localStatePath(location, stackName) });
    case 's3':
      return new DataTerraformRemoteStateS3(scope, stackName, {
        bucket: state.bucket,
        region: state.region,
        key: s3StateKey(state.keyPrefix, location.scope, stackName),
        assumeRole: state.roleArn ? { roleArn: state.roleArn } : undefined,
      });
    case 'cloud':
      // Terraform Cloud serves other workspaces' outputs through the `remote` backend; the hub
      // workspace must share its state with the spoke workspaces (docs/terraform-cloud-and-github.md).
      return new DataTerraformRemoteState(scope, stackName, {
        organization: state.organization,
        hostname: state.hostname,
        workspaces: { name: cloudWorkspaceName(state.workspacePrefix, location.scope, stackName) },
      });
  }
}
