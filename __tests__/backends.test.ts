/**
 * Each state backend's JSON, for the hub and for a spoke (its own state, and its read of the hub's).
 */
import { configFrom, edit, HUB_YAML, synthAll } from './helpers/config';

function stacksWith(stateYaml: string) {
  const { hub, spokes } = synthAll(configFrom(edit(HUB_YAML, 'state:\n  backend: local\n', stateYaml)));
  return { hub: hub.json, spoke: spokes.get("123456789012")?.json };
}

describe('state backends: one state per stack', () => {
  test('local: state/<stack>.tfstate, relative to the stack folder', () => {
    const { hub, spoke } = stacksWith('state:\n  backend: local\n');
    expect(hub.terraform.backend).toEqual({ local: { path: '../../../state/hub.tfstate' } });
    expect(spoke.terraform.backend).toEqual({ local: { path: '../../../state/spoke-123456789012.tfstate' } });
    expect(spoke.data.terraform_remote_state.hub).toEqual({ backend: 'local', config: { path: '../../../state/hub.tfstate' } });
  });

  test('local is the default', () => {
    const { hub } = stacksWith('');
    expect(hub.terraform.backend.local.path).toBe('../../../state/hub.tfstate');
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
    expect(hub.terraform.backend).toEqual({ s3: { ...s3, key: 'vpce/hub.tfstate' } });
    expect(spoke.terraform.backend).toEqual({ s3: { ...s3, key: 'vpce/spoke-123456789012.tfstate' } });
    expect(spoke.data.terraform_remote_state.hub).toEqual({
      backend: 's3',
      config: {
        bucket: 'acme-tfstate',
        region: 'eu-west-1',
        key: 'vpce/hub.tfstate',
        assume_role: { role_arn: 'arn:aws:iam::444444444444:role/tfstate' },
      },
    });
  });

  test('s3 with a custom key prefix and no role', () => {
    const { hub } = stacksWith('state:\n  backend: s3\n  bucket: acme-tfstate\n  region: eu-west-1\n  keyPrefix: network/vpce/\n');
    expect(hub.terraform.backend.s3.key).toBe('network/vpce/hub.tfstate');
    expect(hub.terraform.backend.s3.assume_role).toBeUndefined();
  });

  test('cloud: a named workspace per stack; the spoke reads the hub workspace through the remote backend', () => {
    const { hub, spoke } = stacksWith('state:\n  backend: cloud\n  organization: acme\n');
    expect(hub.terraform.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: 'acme',
      workspaces: { name: 'vpce-hub' },
    });
    expect(hub.terraform.backend).toBeUndefined();
    expect(spoke.terraform.cloud.workspaces).toEqual({ name: 'vpce-spoke-123456789012' });
    expect(spoke.data.terraform_remote_state.hub).toEqual({
      backend: 'remote',
      config: { hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'vpce-hub' } },
    });
  });

  test('cloud with its own host name and workspace prefix', () => {
    const { spoke } = stacksWith('state:\n  backend: cloud\n  organization: acme\n  hostname: tfe.example.com\n  workspacePrefix: net-\n');
    expect(spoke.terraform.cloud).toMatchObject({ hostname: 'tfe.example.com', workspaces: { name: 'net-spoke-123456789012' } });
    expect(spoke.data.terraform_remote_state.hub.config.workspaces).toEqual({ name: 'net-hub' });
  });
});
