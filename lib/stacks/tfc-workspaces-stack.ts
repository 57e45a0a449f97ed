/**
 * The optional Terraform Cloud bootstrap stack: one workspace per stack, their dynamic AWS
 * credentials, and remote-state sharing from the hub workspace to the spoke workspaces.
 *
 * Synthesized only with `state.backend: cloud` and `state.manageWorkspaces: true`. It keeps its own
 * state in `state/<scope>/tfc-workspaces.tfstate`, or with `state.workspacesBackend: cloud` in the
 * workspace `<workspacePrefix><scope>-tfc-workspaces` (created once by hand, execution mode local),
 * where the apply workflow deploys it. Nothing else depends on it, so `cdktf synth` and the other
 * stacks never need it or a Terraform Cloud token. Deploy it with `TFE_TOKEN` set.
 */
import { Project, TfeProvider, Variable, Workspace, WorkspaceSettings } from '../framework/tfe';
import { TerraformIterator, TerraformStack, Token } from '../framework/cdktf';
import type { Construct } from 'constructs';
import type { VpceConfig } from '../config/schema';
import { eachValue } from '../constructs/for-each-expressions';
import { addStateBackend, cloudWorkspaceName, stateLocation, type StateLayout } from '../state/backends';
import { hubRoles, spokeRoles } from './roles';
import { HUB_STACK, spokeStackName, TFC_WORKSPACES_STACK } from '../stack-names';

type CloudState = Extract<VpceConfig['state'], { backend: 'cloud' }>;

/** Properties of {@link TfcWorkspacesStack}. */
export interface TfcWorkspacesStackProps {
  /** The validated configuration; its state must be `cloud`. */
  readonly config: VpceConfig;
  /** Where the synth output and local state files are (default: from the environment). */
  readonly stateLayout?: StateLayout;
}

/**
 * Terraform addresses: `tfe_project.vpce`, `tfe_workspace.stack["<stack>"]`,
 * `tfe_workspace_settings.stack["<stack>"]`, and with `state.credentials: dynamic`
 * `tfe_variable.aws_provider_auth["<stack>"]`, `tfe_variable.aws_plan_role_arn["<stack>"]` and
 * `tfe_variable.aws_apply_role_arn["<stack>"]` (the planner role for plans, the deployer for applies).
 */
export class TfcWorkspacesStack extends TerraformStack {
  constructor(scope: Construct, props: TfcWorkspacesStackProps) {
    super(scope, TFC_WORKSPACES_STACK);
    const { config } = props;
    const state = config.state as CloudState;
    if (state.backend !== 'cloud') throw new Error('internal: the workspace stack needs state.backend: cloud');

    // The token comes from TFE_TOKEN (or `terraform login`), never from the configuration.
    new TfeProvider(this, 'tfe', { hostname: state.hostname, organization: state.organization });
    const location = stateLocation(config, props.stateLayout);
    addStateBackend(
      this,
      TFC_WORKSPACES_STACK,
      state.workspacesBackend === 'cloud'
        ? location
        : { ...location, state: { backend: 'local', credentials: 'assume-role' } },
    );

    const project = new Project(this, 'project', { name: state.project, organization: state.organization });
    project.overrideLogicalId('vpce');

    // Keyed by stack name; the roles are what a stack's plan and apply phases get with dynamic credentials.
    const stacks = [
      { stack: HUB_STACK, roles: hubRoles(config) },
      ...config.accounts.map((a) => ({ stack: spokeStackName(a.id), roles: spokeRoles(config, a.id) })),
    ];
    const each = TerraformIterator.fromMap(
      Object.fromEntries(
        stacks.map(({ stack }) => [
          stack,
          { name: cloudWorkspaceName(state.workspacePrefix, location.scope, stack), stack },
        ]),
      ),
    );

    const workspaces = new Workspace(this, 'workspace', {
      forEach: each,
      name: eachValue('name'),
      organization: state.organization,
      projectId: project.id,
      description: 'vpce-hub: managed by the tfc-workspaces stack; runs are driven by the GitHub workflows.',
      tags: { app: 'vpce-hub', stack: eachValue('stack') },
      // Every spoke resolves through the hub: no destroy plan of the hub workspace.
      allowDestroyPlan: Token.asAny(`\${each.key != "${HUB_STACK}"}`),
    });
    workspaces.overrideLogicalId('stack');

    // Every spoke reads the hub's outputs (zone_ids): the hub shares its state with them, and only them.
    const settings = new WorkspaceSettings(this, 'settings', {
      forEach: each,
      workspaceId: `\${tfe_workspace.stack[each.key].id}`,
      executionMode: 'remote',
      globalRemoteState: false,
      remoteStateConsumerIds: Token.asList(
        `\${each.key == "${HUB_STACK}" ? [for key, workspace in tfe_workspace.stack : workspace.id if key != "${HUB_STACK}"] : []}`,
      ),
    });
    settings.overrideLogicalId('stack');

    if (state.credentials === 'dynamic') {
      // Plans (speculative ones of pull requests included) get the read-only planner role; only
      // applies get the deployer. Each role's trust policy names its run phase (npm run iam).
      const roles = TerraformIterator.fromMap(
        Object.fromEntries(
          stacks.map(({ stack, roles }) => [stack, { plan_role_arn: roles.planner, apply_role_arn: roles.deployer }]),
        ),
      );
      const variables: Array<[string, string, string]> = [
        ['aws_provider_auth', 'TFC_AWS_PROVIDER_AUTH', 'true'],
        ['aws_plan_role_arn', 'TFC_AWS_PLAN_ROLE_ARN', eachValue('plan_role_arn')],
        ['aws_apply_role_arn', 'TFC_AWS_APPLY_ROLE_ARN', eachValue('apply_role_arn')],
      ];
      for (const [name, key, value] of variables) {
        const variable = new Variable(this, name, {
          forEach: roles,
          workspaceId: `\${tfe_workspace.stack[each.key].id}`,
          category: 'env',
          key,
          value,
          description: 'Terraform Cloud dynamic provider credentials for AWS',
        });
        variable.overrideLogicalId(name);
      }
    }
  }
}
