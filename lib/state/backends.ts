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
} from 'cdktf';
import type { Construct } from 'constructs';
import type { StateConfig } from '../config/schema';

/** The project folder that holds local state files (`state/<stack>.tfstate`). */
export const LOCAL_STATE_DIR = 'state';

/**
 * The local state path as Terraform sees it. Terraform runs each stack in
 * `cdktf.out/stacks/<stack>/`, so the path climbs three folders back to the project folder; no
 * absolute path of the synth machine lands in the output.
 */
export function localStatePath(stack: string): string {
  return `../../../${LOCAL_STATE_DIR}/${stack}.tfstate`;
}

/** The S3 object key of a stack's state. */
export function s3StateKey(keyPrefix: string, stack: string): string {
  return `${keyPrefix}${stack}.tfstate`;
}

/** The Terraform Cloud workspace of a stack. */
export function cloudWorkspaceName(workspacePrefix: string, stack: string): string {
  return `${workspacePrefix}${stack}`;
}

/** Configures the state backend of `stack`, whose name is `stackName`. */
export function addStateBackend(stack: TerraformStack, stackName: string, state: StateConfig): void {
  switch (state.backend) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(stackName) });
      return;
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: state.bucket,
        region: state.region,
        key: s3StateKey(state.keyPrefix, stackName),
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
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(state.workspacePrefix, stackName)),
      });
      return;
  }
}

/**
 * Declares, in `scope`, a read of the applied state of the stack named `stackName`, addressed as
 * `data.terraform_remote_state.<stackName>`.
 */
export function readStackState(scope: Construct, stackName: string, state: StateConfig): TerraformRemoteState {
  const source = remoteStateSource(scope, stackName, state);
  source.overrideLogicalId(stackName);
  return source;
}

function remoteStateSource(scope: Construct, stackName: string, state: StateConfig): TerraformRemoteState {
  switch (state.backend) {
    case 'local':
      return new DataTerraformRemoteStateLocal(scope, stackName, { path: localStatePath(stackName) });
    case 's3':
      return new DataTerraformRemoteStateS3(scope, stackName, {
        bucket: state.bucket,
        region: state.region,
        key: s3StateKey(state.keyPrefix, stackName),
        assumeRole: state.roleArn ? { roleArn: state.roleArn } : undefined,
      });
    case 'cloud':
      // Terraform Cloud serves other workspaces' outputs through the `remote` backend; the hub
      // workspace must share its state with the spoke workspaces (README: Terraform Cloud).
      return new DataTerraformRemoteState(scope, stackName, {
        organization: state.organization,
        hostname: state.hostname,
        workspaces: { name: cloudWorkspaceName(state.workspacePrefix, stackName) },
      });
  }
}
