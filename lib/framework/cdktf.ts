/**
 * The framework seam: every use of the CDK for Terraform (`cdktf` 0.21.0, the project's chosen
 * framework; HashiCorp archived it on 2025-12-10) goes through this module, and the providers'
 * classes through `aws.ts` and `tfe.ts` beside it. Moving to its community fork, CDK Terrain
 * (`cdktn`), changes these three modules and package.json, nothing else (docs/development.md, "Moving to CDK
 * Terrain"); `npm run compat:cdktn` proves it, and ESLint refuses a framework import anywhere else.
 */
export {
  App,
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformRemoteState,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktf';
export type { ITerraformDependable, ITerraformIterator } from 'cdktf';
