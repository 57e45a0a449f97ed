/**
 * Every validation rule: the file, line, offending value and the message that says what to do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../lib/config/load';
import { ConfigError, formatProblem, type Problem } from '../lib/config/problems';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, problemsOf } from './helpers/config';
import { tempDir } from './helpers/temp';

/** The only problem of a configuration (fails when there are more or none). */
function onlyProblem(hub = HUB_YAML, accounts = ACCOUNTS_YAML): Problem {
  const problems = problemsOf(hub, accounts);
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0];
}

describe('a valid configuration', () => {
  test('loads with its values and defaults', () => {
    const config = configFrom();
    expect(config.hub.accountId).toBe('111111111111');
    expect(config.accounts.map((a) => a.id)).toEqual(['123456789012', '012345678901', '333333333333']);
    expect(config.accounts[1].vpcIds).toHaveLength(2);
    expect(config.limits.vpcAssociationsPerZone).toBe(300);
  });

  test('fills in defaults for the optional sections', () => {
    const minimal = HUB_YAML.replace(/ecr:\n(  .*\n)+/, '').replace(/state:\n(  .*\n)+/, '').replace(/tags:.*\n/, '');
    const config = configFrom(minimal);
    expect(config.ecr).toEqual({ dkrRecords: 'per-account', registryAccounts: [] });
    expect(config.state).toEqual({ backend: 'local', credentials: 'assume-role' });
    expect(config.tags).toEqual({});
  });

  test('accepts an empty account list', () => {
    expect(configFrom(HUB_YAML, 'accounts: []\n').accounts).toEqual([]);
  });

  test('the example in config/ is valid', () => {
    const config = loadConfig(join(__dirname, '..', 'config'));
    expect(config.accounts.length).toBeGreaterThan(0);
    expect(config.accounts.some((a) => a.id.startsWith('0'))).toBe(true);
  });
});

describe('account IDs', () => {
  test('an unquoted ID is refused with a hint to quote it, keeping its leading zero', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"012345678901"', '012345678901'));
    expect(problem).toMatchObject({ file: 'config/accounts.yaml', line: 5, path: 'accounts[1].id', value: '012345678901' });
    expect(problem.message).toContain('YAML reads the unquoted 012345678901 as the number 12345678901');
    expect(problem.message).toContain('leading zero');
    expect(problem.message).toContain('Write "012345678901"');
  });

  test('an unquoted ID without a leading zero is refused too', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'accountId: "111111111111"', 'accountId: 111111111111'));
    expect(problem).toMatchObject({ file: 'config/hub.yaml', line: 2, path: 'hub.accountId' });
    expect(problem.message).toContain('Write "111111111111"');
    expect(problem.message).not.toContain('leading zero');
  });

  test('an ID that is not 12 digits', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"333333333333"', '"33333333333"'));
    expect(problem).toMatchObject({ line: 8, value: '"33333333333"', path: 'accounts[2].id' });
    expect(problem.message).toContain('exactly 12 digits');
  });

  test('an unquoted registry account', () => {
    const problem = onlyProblem(edit(HUB_YAML, '["222222222222"]', '[222222222222]'));
    expect(problem).toMatchObject({ line: 11, path: 'ecr.registryAccounts[0]' });
    expect(problem.message).toContain('in quotes');
  });

  test('a duplicate account names the first line', () => {
    const accounts = `${ACCOUNTS_YAML}  - id: "123456789012"\n    vpcIds: [vpc-0123456789abcdeff]\n`;
    const problem = onlyProblem(HUB_YAML, accounts);
    expect(problem).toMatchObject({ line: 10, path: 'accounts[3].id', value: '"123456789012"' });
    expect(problem.message).toContain('listed twice (first at line 2)');
  });

  test('the hub account listed as a consumer', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"333333333333"', '"111111111111"'));
    expect(problem).toMatchObject({ line: 8, path: 'accounts[2].id' });
    expect(problem.message).toContain('this is the hub account');
  });

  test('a hub role in another account', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'iam::111111111111:role', 'iam::444444444444:role'));
    expect(problem).toMatchObject({ line: 7, path: 'hub.roleArn' });
    expect(problem.message).toContain('account 444444444444');
  });
});

describe('VPCs, subnets, CIDRs, regions, roles', () => {
  test('a VPC listed twice, across accounts', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, 'vpc-0123abcd4567ef890', 'vpc-0aaaabbbbccccdddd'));
    expect(problem).toMatchObject({ line: 9, value: 'vpc-0aaaabbbbccccdddd' });
    expect(problem.message).toContain('listed twice (first at line 7)');
  });

  test('the hub VPC listed as a spoke VPC', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, 'vpc-0123abcd4567ef890', 'vpc-0a1b2c3d4e5f60718'));
    expect(problem.message).toContain('this is the hub VPC');
  });

  test.each([
    ['vpc-12345', 'not a VPC ID'],
    ['vpc-0123456789ABCDEF0', 'not a VPC ID'],
    ['subnet-0123456789abcdef0', 'not a VPC ID'],
  ])('malformed VPC ID %s', (bad, message) => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, 'vpc-0123abcd4567ef890', bad));
    expect(problem).toMatchObject({ line: 9, value: bad, path: 'accounts[2].vpcIds[0]' });
    expect(problem.message).toContain(message);
  });

  test('a malformed subnet ID', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'subnet-0f1e2d3c4b5a69780', 'subnet-xyz'));
    expect(problem).toMatchObject({ line: 5, value: 'subnet-xyz', path: 'hub.subnetIds[1]' });
    expect(problem.message).toContain('not a subnet ID');
  });

  test('a CIDR with a prefix over /32', () => {
    const problem = onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', '[10.0.0.0/33]'));
    expect(problem).toMatchObject({ line: 6, value: '10.0.0.0/33', path: 'hub.allowedCidrs[0]' });
    expect(problem.message).toContain('not a CIDR block');
  });

  test('a CIDR with host bits set suggests the network', () => {
    const problem = onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', '[10.1.2.3/16]'));
    expect(problem.message).toContain('Write 10.1.0.0/16');
  });

  test('IPv6 CIDRs are accepted', () => {
    expect(configFrom(edit(HUB_YAML, '[10.0.0.0/8]', '[10.0.0.0/8, "2001:db8::/32"]')).hub.allowedCidrs).toHaveLength(2);
  });

  test('a region name that does not exist', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'region: ap-northeast-1', 'region: tokyo'));
    expect(problem).toMatchObject({ line: 3, value: 'tokyo', path: 'hub.region' });
    expect(problem.message).toContain('not an AWS region name');
  });

  test('a role name that is an ARN', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'roleName: vpce-spoke-deployer', 'roleName: arn:aws:iam::111111111111:role/x'));
    expect(problem).toMatchObject({ line: 13, path: 'spokes.roleName' });
    expect(problem.message).toContain('the name only, not an ARN');
  });

  test('a malformed role ARN', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'arn:aws:iam::111111111111:role/vpce-hub-deployer', 'vpce-hub-deployer'));
    expect(problem).toMatchObject({ line: 7, path: 'hub.roleArn', value: 'vpce-hub-deployer' });
    expect(problem.message).toContain('not an IAM role ARN');
  });
});

describe('S3 gateway route tables', () => {
  const withGateway = (map: string) =>
    edit(ACCOUNTS_YAML, '    vpcIds: [vpc-0123abcd4567ef890]\n', `    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n${map}`);

  test('a valid map loads', () => {
    const config = configFrom(HUB_YAML, withGateway('      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n'));
    expect(config.accounts[2].s3GatewayRouteTables).toEqual({ 'vpc-0123abcd4567ef890': ['rtb-0123456789abcdef0'] });
    expect(config.accounts[0].s3GatewayRouteTables).toEqual({});
  });

  test('the VPC must be one of the account\'s vpcIds', () => {
    const problem = onlyProblem(HUB_YAML, withGateway('      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]\n'));
    expect(problem).toMatchObject({ line: 11, column: 7, value: 'vpc-0123456789abcdef0' });
    expect(problem.message).toContain("is not one of this account's vpcIds");
  });

  test('malformed route table and VPC IDs', () => {
    const problems = problemsOf(HUB_YAML, withGateway('      vpc-0123abcd4567ef890: [rtb-12]\n      vpc-x: [rtb-0123456789abcdef0]\n'));
    expect(problems.map((p) => [p.line, p.value, p.message.split('.')[0]])).toEqual([
      [11, 'rtb-12', 'not a route table ID'],
      [12, 'vpc-x', 'not a VPC ID'],
    ]);
  });

  test('an empty route table list', () => {
    const problem = onlyProblem(HUB_YAML, withGateway('      vpc-0123abcd4567ef890: []\n'));
    expect(problem.message).toContain('list the route tables');
  });
});

describe('services', () => {
  test('a service not in the catalog suggests the closest name', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3, log]'));
    expect(problem).toMatchObject({ line: 8, value: 'log', path: 'services[3]' });
    expect(problem.message).toContain('Did you mean "logs"?');
  });

  test('a service listed twice', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3, logs, s3]'));
    expect(problem.message).toContain('service "s3" is listed twice');
  });

  test('an empty service list', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: []'));
    expect(problem.message).toContain('at least one service');
  });
});

describe('files and keys', () => {
  function dirWith(files: Record<string, string>): string {
    const dir = tempDir('vpce-hub-config');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  test('a missing file says how to fix it', () => {
    const dir = dirWith({ 'hub.yaml': HUB_YAML });
    expect(() => loadConfig(dir)).toThrow(ConfigError);
    try {
      loadConfig(dir);
    } catch (error) {
      const [problem] = (error as ConfigError).problems;
      expect(problem.file).toBe(join(dir, 'accounts.yaml'));
      expect(problem.message).toContain('file not found');
      expect(problem.message).toContain('VPCE_CONFIG_DIR');
    }
  });

  test('a YAML syntax error names its line', () => {
    const problem = onlyProblem(HUB_YAML, 'accounts:\n  - id: "123456789012"\n    vpcIds: [vpc-0123456789abcdef0\n');
    expect(problem.file).toBe('config/accounts.yaml');
    expect(problem.line).toBeGreaterThanOrEqual(3);
    expect(problem.message).toContain('YAML syntax error');
  });

  test('a key written twice is a YAML error', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'tags:', 'services: [logs]\ntags:'));
    expect(problem.message).toContain('YAML syntax error');
  });

  test('an unknown key is named with the likely intended one', () => {
    const problems = problemsOf(HUB_YAML, edit(ACCOUNTS_YAML, '    vpcIds: [vpc-0123abcd4567ef890]', '    vpcId: [vpc-0123abcd4567ef890]'));
    // The typo is named where it stands, and the key it should have been is reported missing.
    expect(problems).toEqual([
      expect.objectContaining({ line: 8, path: 'accounts[2].vpcIds', message: expect.stringContaining('"vpcIds" is missing') }),
      expect.objectContaining({
        line: 9,
        column: 5,
        path: 'accounts[2].vpcId',
        message: expect.stringContaining('unknown key "vpcId". Did you mean "vpcIds"?'),
      }),
    ]);
  });

  test('an unknown key in the state section suggests from the chosen backend', () => {
    const hub = edit(HUB_YAML, '  backend: local', '  backend: s3\n  bucket: acme-tfstate\n  region: ap-northeast-1\n  keyprefix: x/');
    const problem = onlyProblem(hub);
    expect(problem).toMatchObject({ line: 18, path: 'state.keyprefix' });
    expect(problem.message).toContain('Did you mean "keyPrefix"?');
  });

  test('an empty file', () => {
    const problem = onlyProblem('');
    expect(problem).toMatchObject({ file: 'config/hub.yaml', line: 1 });
    expect(problem.message).toContain('the file is empty');
  });

  test('accounts without a list', () => {
    const problem = onlyProblem(HUB_YAML, 'accounts:\n');
    expect(problem.message).toContain('write accounts: []');
  });

  test('a missing required key', () => {
    const problem = onlyProblem(edit(HUB_YAML, '  vpcId: vpc-0a1b2c3d4e5f60718\n', ''));
    expect(problem).toMatchObject({ path: 'hub.vpcId', line: 2 });
    expect(problem.message).toContain('"vpcId" is missing');
  });
});

describe('quota', () => {
  const manyAccounts = (n: number): string =>
    `accounts:\n${Array.from({ length: n }, (_, i) => `  - id: "${String(500000000000 + i)}"\n    vpcIds: [vpc-${i.toString(16).padStart(17, '0')}]\n`).join('')}`;

  test('more VPCs than a zone can take', () => {
    const problem = onlyProblem(HUB_YAML, manyAccounts(300));
    expect(problem).toMatchObject({ file: 'config/accounts.yaml', line: 1, path: 'accounts' });
    expect(problem.message).toContain('301 VPCs');
    expect(problem.message).toContain('limits.vpcAssociationsPerZone');
  });

  test('exactly at the quota is fine, and a raised limit admits more', () => {
    expect(configFrom(HUB_YAML, manyAccounts(299)).accounts).toHaveLength(299);
    const raised = `${HUB_YAML}limits:\n  vpcAssociationsPerZone: 1000\n`;
    expect(configFrom(raised, manyAccounts(400)).accounts).toHaveLength(400);
  });
});

describe('the report', () => {
  test('lists every problem at once, in file and line order', () => {
    const hub = edit(edit(HUB_YAML, 'region: ap-northeast-1', 'region: nowhere'), '[10.0.0.0/8]', '[10.0.0.0/33]');
    const accounts = edit(ACCOUNTS_YAML, '"012345678901"', '012345678901');
    const problems = problemsOf(hub, accounts);
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      'config/accounts.yaml:5',
      'config/hub.yaml:3',
      'config/hub.yaml:6',
    ]);
    const message = new ConfigError(problems).message;
    expect(message).toContain('the configuration has 3 problems');
    expect(message).toContain('config/hub.yaml:3:11: hub.region, got nowhere: not an AWS region name');
  });
});
