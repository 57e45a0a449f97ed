/**
 * Each state backend's JSON, for the hub and for a spoke (its own state, and its read of the hub's).
 */
import { App } from '../lib/framework/cdktf';
import { buildStacks } from '../lib/stacks/build-stacks';
import { localStatePath } from '../lib/state/backends';
import { configFrom, edit, HUB_YAML, synthAll, synthStack } from './helpers/config';
import { tempDir } from './helpers/temp';

/** The hub account and region of HUB_YAML: the default scope of every state location. */
const SCOPE = '111111111111-ap-northeast-1';

function stacksWith(stateYaml: string) {
  const { hub, spokes } = synthAll(configFrom(edit(HUB_YAML, 'state:\n  backend: local\n', stateYaml)));
  return { hub: hub.json, spoke: spokes.get('123456789012')?.json };
}

describe('state backends: one state per stack, scoped by hub account and region', () => {
  test('local: state/<account>-<region>/<stack>.tfstate, relative to the stack folder', () => {
    const { hub, spoke } = stacksWith('state:\n  backend: local\n');
    expect(hub.terraform.backend).toEqual({ local: { path: `../../../state/${SCOPE}/hub.tfstate` } });
    expect(spoke.terraform.backend).toEqual({ local: { path: `../../../state/${SCOPE}/spoke-123456789012.tfstate` } });
    expect(spoke.data.terraform_remote_state.hub).toEqual({
      backend: 'local',
      config: { path: `../../../state/${SCOPE}/hub.tfstate` },
    });
  });

  test('local is the default', () => {
    const { hub } = stacksWith('');
    expect(hub.terraform.backend.local.path).toBe(`../../../state/${SCOPE}/hub.tfstate`);
  });

  test('two hubs that differ in account or region never share a state location', () => {
    const other = (from: string, to: string) =>
      synthAll(configFrom(edit(edit(HUB_YAML, from, to), 'arn:aws:iam::111111111111', 'arn:aws:iam::222222222223'))).hub
        .json;
    const base = stacksWith('').hub.terraform.backend.local.path;
    const account = other('accountId: "111111111111"', 'accountId: "222222222223"').terraform.backend.local.path;
    const region = synthAll(configFrom(edit(HUB_YAML, 'region: ap-northeast-1', 'region: eu-west-1'))).hub.json
      .terraform.backend.local.path;
    expect(new Set([base, account, region]).size).toBe(3);
  });

  test('state.scope: a scope of its own, or "" for the first release\'s locations', () => {
    expect(stacksWith('state:\n  backend: local\n  scope: prod\n').hub.terraform.backend.local.path).toBe(
      '../../../state/prod/hub.tfstate',
    );
    expect(stacksWith('state:\n  backend: local\n  scope: ""\n').hub.terraform.backend.local.path).toBe(
      '../../../state/hub.tfstate',
    );
    expect(
      stacksWith('state:\n  backend: s3\n  bucket: b-1\n  region: eu-west-1\n  scope: ""\n').hub.terraform.backend.s3
        .key,
    ).toBe('vpce/hub.tfstate');
    expect(
      stacksWith('state:\n  backend: cloud\n  organization: acme\n  scope: ""\n').hub.terraform.cloud.workspaces.name,
    ).toBe('vpce-hub');
  });

  test('the local state path is right for any output folder, and no absolute path lands in the output', () => {
    const project = tempDir('vpce-project');
    const outdir = `${tempDir('vpce-elsewhere')}/deep/out`;
    const layout = { outdir, stateDir: `${project}/state` };
    const path = localStatePath({ scope: SCOPE, layout }, 'hub');
    expect(path.startsWith('../')).toBe(true);
    expect(require('node:path').resolve(`${outdir}/stacks/hub`, path)).toBe(`${project}/state/${SCOPE}/hub.tfstate`);
    const hub = synthStack(buildStacks(new App({ outdir: tempDir('cdktf-test') }), configFrom(), layout).hub).json;
    expect(hub.terraform.backend.local.path).toBe(path);
    expect(JSON.stringify(hub)).not.toContain(project);
  });

  test('s3: key per stack, encrypted, S3 lock file, optional role; the spoke reads the hub key', () => {
    const { hub, spoke } = stacksWith(
      'state:\n  backend: s3\n  bucket: acme-tfstate\n  region: eu-west-1\n  roleArn: arn:aws:iam::444444444444:role/tfstate\n',
    );
    const s3 = {
      bucket: 'acme-tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
      assume_role: { role_arn: 'arn:aws:iam::444444444444:role/tfstate' },
    };
    expect(hub.terraform.backend).toEqual({ s3: { ...s3, key: `vpce/${SCOPE}/hub.tfstate` } });
    expect(spoke.terraform.backend).toEqual({ s3: { ...s3, key: `vpce/${SCOPE}/spoke-123456789012.tfstate` } });
    expect(spoke.data.terraform_remote_state.hub).toEqual({
      backend: 's3',
      config: {
        bucket: 'acme-tfstate',
        region: 'eu-west-1',
        key: `vpce/${SCOPE}/hub.tfstate`,
        assume_role: { role_arn: 'arn:aws:iam::444444444444:role/tfstate' },
      },
    });
  });

  test('s3 with a custom key prefix and no role', () => {
    const { hub } = stacksWith(
      'state:\n  backend: s3\n  bucket: acme-tfstate\n  region: eu-west-1\n  keyPrefix: network/vpce/\n',
    );
    expect(hub.terraform.backend.s3.key).toBe(`network/vpce/${SCOPE}/hub.tfstate`);
    expect(hub.terraform.backend.s3.assume_role).toBeUndefined();
  });

  test('cloud: a named workspace per stack; the spoke reads the hub workspace through the remote backend', () => {
    const { hub, spoke } = stacksWith('state:\n  backend: cloud\n  organization: acme\n');
    expect(hub.terraform.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: 'acme',
      workspaces: { name: `vpce-${SCOPE}-hub` },
    });
    expect(hub.terraform.backend).toBeUndefined();
    expect(spoke.terraform.cloud.workspaces).toEqual({ name: `vpce-${SCOPE}-spoke-123456789012` });
    expect(spoke.data.terraform_remote_state.hub).toEqual({
      backend: 'remote',
      config: { hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: `vpce-${SCOPE}-hub` } },
    });
  });

  test('cloud with its own host name and workspace prefix', () => {
    const { spoke } = stacksWith(
      'state:\n  backend: cloud\n  organization: acme\n  hostname: tfe.example.com\n  workspacePrefix: net-\n',
    );
    expect(spoke.terraform.cloud).toMatchObject({
      hostname: 'tfe.example.com',
      workspaces: { name: `net-${SCOPE}-spoke-123456789012` },
    });
    expect(spoke.data.terraform_remote_state.hub.config.workspaces).toEqual({ name: `net-${SCOPE}-hub` });
  });
});
