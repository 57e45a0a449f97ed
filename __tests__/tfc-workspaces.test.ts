/**
 * Terraform Cloud: the workspace bootstrap stack, and the providers with and without dynamic credentials.
 */
import { Project, TfeProvider, Workspace } from '../lib/framework/tfe';
import { buildStacks } from '../lib/stacks/build-stacks';
import {
  configFrom,
  edit,
  HUB_YAML,
  problemsOf,
  synthAll,
  type Synthesized,
  synthStack,
  testApp,
} from './helpers/config';

const cloud = (extra: string) =>
  edit(HUB_YAML, 'state:\n  backend: local\n', `state:\n  backend: cloud\n  organization: acme\n${extra}`);

function workspacesStack(hubYaml: string): Synthesized {
  const stacks = buildStacks(testApp(), configFrom(hubYaml));
  if (!stacks.tfcWorkspaces) throw new Error('expected the tfc-workspaces stack');
  return synthStack(stacks.tfcWorkspaces);
}

describe('tfc-workspaces stack', () => {
  let stack: Synthesized;
  beforeAll(() => {
    stack = workspacesStack(cloud('  manageWorkspaces: true\n  credentials: dynamic\n  project: network\n'));
  });

  test('exists only with state.backend: cloud and manageWorkspaces: true', () => {
    expect(buildStacks(testApp(), configFrom(cloud(''))).tfcWorkspaces).toBeUndefined();
    expect(buildStacks(testApp(), configFrom()).tfcWorkspaces).toBeUndefined();
  });

  test('its own local state, and a tfe provider with no token in the configuration', () => {
    expect(stack.json.terraform.backend).toEqual({
      local: { path: '../../../state/111111111111-ap-northeast-1/tfc-workspaces.tfstate' },
    });
    expect(stack.text).toHaveProviderWithProperties(TfeProvider, {
      hostname: 'app.terraform.io',
      organization: 'acme',
    });
    expect(stack.json.provider.tfe[0].token).toBeUndefined();
  });

  test('one workspace per stack, in the configured project, tagged', () => {
    expect(stack.text).toHaveResourceWithProperties(Project, { name: 'network', organization: 'acme' });
    const workspaces = stack.json.resource.tfe_workspace.stack;
    expect(Object.keys(workspaces.for_each).sort()).toEqual([
      'hub',
      'spoke-012345678901',
      'spoke-123456789012',
      'spoke-333333333333',
    ]);
    expect(workspaces.for_each['spoke-012345678901']).toEqual({
      name: 'vpce-111111111111-ap-northeast-1-spoke-012345678901',
      stack: 'spoke-012345678901',
    });
    expect(workspaces).toMatchObject({
      name: '${each.value.name}',
      project_id: '${tfe_project.vpce.id}',
      tags: { app: 'vpce-hub', stack: '${each.value.stack}' },
    });
    expect(stack.text).toHaveResource(Workspace);
  });

  test('dynamic credentials: TFC_AWS_PROVIDER_AUTH, and distinct plan and apply roles for each workspace', () => {
    const variables = stack.json.resource.tfe_variable;
    expect(variables.aws_provider_auth).toMatchObject({ key: 'TFC_AWS_PROVIDER_AUTH', value: 'true', category: 'env' });
    expect(variables.aws_run_role_arn).toBeUndefined();
    expect(variables.aws_plan_role_arn).toMatchObject({
      key: 'TFC_AWS_PLAN_ROLE_ARN',
      value: '${each.value.plan_role_arn}',
      category: 'env',
      workspace_id: '${tfe_workspace.stack[each.key].id}',
    });
    expect(variables.aws_apply_role_arn).toMatchObject({
      key: 'TFC_AWS_APPLY_ROLE_ARN',
      value: '${each.value.apply_role_arn}',
      category: 'env',
    });
    expect(variables.aws_plan_role_arn.for_each).toEqual({
      hub: {
        plan_role_arn: 'arn:aws:iam::111111111111:role/vpce-hub-planner',
        apply_role_arn: 'arn:aws:iam::111111111111:role/vpce-hub-deployer',
      },
      'spoke-123456789012': {
        plan_role_arn: 'arn:aws:iam::123456789012:role/vpce-spoke-planner',
        apply_role_arn: 'arn:aws:iam::123456789012:role/vpce-spoke-deployer',
      },
      'spoke-012345678901': {
        plan_role_arn: 'arn:aws:iam::012345678901:role/vpce-spoke-planner',
        apply_role_arn: 'arn:aws:iam::012345678901:role/vpce-spoke-deployer',
      },
      'spoke-333333333333': {
        plan_role_arn: 'arn:aws:iam::333333333333:role/vpce-spoke-planner',
        apply_role_arn: 'arn:aws:iam::333333333333:role/vpce-spoke-deployer',
      },
    });
    for (const entry of Object.values<{ plan_role_arn: string; apply_role_arn: string }>(
      variables.aws_plan_role_arn.for_each,
    )) {
      expect(entry.plan_role_arn).not.toBe(entry.apply_role_arn);
    }
  });

  test('no destroy plan of the hub workspace; the spokes keep theirs', () => {
    expect(stack.json.resource.tfe_workspace.stack.allow_destroy_plan).toBe('${each.key != "hub"}');
  });

  test('its own state: local by default, or a Terraform Cloud workspace (state.workspacesBackend: cloud)', () => {
    const inCloud = synthStack(
      buildStacks(
        testApp(),
        configFrom(
          cloud('  manageWorkspaces: true\n  project: network\n  credentials: dynamic\n  workspacesBackend: cloud\n'),
        ),
      ).tfcWorkspaces!,
    ).json;
    expect(inCloud.terraform.backend).toBeUndefined();
    expect(inCloud.terraform.cloud.workspaces.name).toBe('vpce-111111111111-ap-northeast-1-tfc-workspaces');
  });

  test('the hub workspace shares its state with the spoke workspaces only', () => {
    const settings = stack.json.resource.tfe_workspace_settings.stack;
    expect(settings).toMatchObject({
      execution_mode: 'remote',
      global_remote_state: false,
      workspace_id: '${tfe_workspace.stack[each.key].id}',
    });
    expect(settings.remote_state_consumer_ids).toBe(
      '${each.key == "hub" ? [for key, workspace in tfe_workspace.stack : workspace.id if key != "hub"] : []}',
    );
  });

  test('with assume-role credentials there are no credential variables', () => {
    const plain = workspacesStack(cloud('  manageWorkspaces: true\n'));
    expect(plain.json.resource.tfe_variable).toBeUndefined();
    expect(Object.keys(plain.json.resource.tfe_workspace.stack.for_each)).toHaveLength(4);
  });
});

describe('providers and credentials', () => {
  test('assume-role (default): each provider assumes its deployer role, or its planner with TF_VAR_vpce_phase=plan', () => {
    const { hub, spokes } = synthAll(configFrom(cloud('')));
    expect(hub.json.provider.aws[0].assume_role[0].role_arn).toBe(
      '${var.vpce_phase == "plan" ? "arn:aws:iam::111111111111:role/vpce-hub-planner" : "arn:aws:iam::111111111111:role/vpce-hub-deployer"}',
    );
    const spoke = spokes.get('123456789012')?.json;
    expect(spoke.provider.aws[0].assume_role[0].role_arn).toBe(
      '${var.vpce_phase == "plan" ? "arn:aws:iam::123456789012:role/vpce-spoke-planner" : "arn:aws:iam::123456789012:role/vpce-spoke-deployer"}',
    );
    expect(spoke.variable.vpce_phase).toMatchObject({ type: 'string', default: 'apply' });
    expect(spoke.variable.vpce_phase.validation[0].condition).toBe('${contains(["plan", "apply"], var.vpce_phase)}');
  });

  test('planner roles: hub.planRoleArn and spokes.planRoleName', () => {
    const { hub, spokes } = synthAll(
      configFrom(
        edit(
          edit(
            HUB_YAML,
            '  roleName: vpce-spoke-deployer\n',
            '  roleName: vpce-spoke-deployer\n  planRoleName: readonly\n',
          ),
          'hub:\n',
          'hub:\n  planRoleArn: arn:aws:iam::111111111111:role/ro\n',
        ),
      ),
    );
    expect(hub.json.provider.aws[0].assume_role[0].role_arn).toContain('"arn:aws:iam::111111111111:role/ro"');
    expect(spokes.get('123456789012')?.json.provider.aws[0].assume_role[0].role_arn).toContain(
      '"arn:aws:iam::123456789012:role/readonly"',
    );
    expect(
      problemsOf(edit(HUB_YAML, 'hub:\n', 'hub:\n  planRoleArn: arn:aws:iam::999999999999:role/ro\n'))[0].message,
    ).toContain('this role is in account 999999999999');
  });

  test('dynamic: no provider assumes the role Terraform Cloud already handed the run; accounts stay pinned', () => {
    const { hub, spokes } = synthAll(configFrom(cloud('  credentials: dynamic\n')));
    expect(hub.json.provider.aws[0].assume_role).toBeUndefined();
    expect(hub.json.provider.aws[0].allowed_account_ids).toEqual(['111111111111']);
    for (const spoke of spokes.values()) {
      expect(spoke.json.provider.aws[0].assume_role).toBeUndefined();
      expect(spoke.json.provider.aws[0].allowed_account_ids).toHaveLength(1);
    }
  });

  test('dynamic credentials need the cloud backend and a hub role', () => {
    const local = problemsOf(edit(HUB_YAML, '  backend: local\n', '  backend: local\n  credentials: dynamic\n'));
    expect(local.map((p) => p.message).join('\n')).toContain('use them with state.backend: cloud');
    const noRole = problemsOf(
      edit(cloud('  credentials: dynamic\n'), '  roleArn: arn:aws:iam::111111111111:role/vpce-hub-deployer\n', ''),
    );
    expect(noRole).toEqual([
      expect.objectContaining({ path: 'state.credentials', message: expect.stringContaining('need hub.roleArn') }),
    ]);
  });

  test('manageWorkspaces belongs to the cloud backend', () => {
    const problems = problemsOf(edit(HUB_YAML, '  backend: local\n', '  backend: local\n  manageWorkspaces: true\n'));
    expect(problems.map((p) => p.message).join('\n')).toContain('unknown key "manageWorkspaces"');
  });
});
