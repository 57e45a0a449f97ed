/**
 * The Terraform Cloud (tfe) provider's classes of the tfc-workspaces stack (`@cdktf/provider-tfe`),
 * each by its deep path. Part of the framework seam (cdktf.ts). CDK Terrain publishes no tfe
 * provider package: after a move, generate these bindings with `cdktn get` (docs/development.md, "Moving to CDK
 * Terrain").
 */
export { Project } from '@cdktf/provider-tfe/lib/project';
export { TfeProvider } from '@cdktf/provider-tfe/lib/provider';
export { Variable } from '@cdktf/provider-tfe/lib/variable';
export { Workspace } from '@cdktf/provider-tfe/lib/workspace';
export { WorkspaceSettings } from '@cdktf/provider-tfe/lib/workspace-settings';
