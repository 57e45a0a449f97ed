/**
 * Every validation rule: the file, line, offending value and the message that says what to do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../lib/config/load';
import { ConfigError, formatProblem, type Problem } from '../lib/config/problems';
import { COMMERCIAL_REGIONS, otherPartition } from '../lib/config/regions';
import { HubStack } from '../lib/stacks/hub-stack';
import { ACCOUNTS_YAML, configFrom, edit, HUB_YAML, problemsOf, synthStack, testApp } from './helpers/config';
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
    const minimal = HUB_YAML.replace(/ecr:\n( {2}.*\n)+/, '')
      .replace(/state:\n( {2}.*\n)+/, '')
      .replace(/tags:.*\n/, '');
    const config = configFrom(minimal);
    expect(config.ecr).toEqual({ dkrRecords: 'per-account', registryAccounts: [] });
    expect(config.state).toEqual({ backend: 'local', credentials: 'assume-role' });
    expect(config.tags).toEqual({});
  });

  test('accepts an empty account list', () => {
    expect(configFrom(HUB_YAML, 'accounts: []\n').accounts).toEqual([]);
  });
});

describe('account IDs', () => {
  test('an unquoted ID is refused with a hint to quote it, keeping its leading zero', () => {
    const problem = onlyProblem(HUB_YAML, edit(ACCOUNTS_YAML, '"012345678901"', '012345678901'));
    expect(problem).toMatchObject({
      file: 'config/accounts.yaml',
      line: 5,
      path: 'accounts[1].id',
      value: '012345678901',
    });
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
    expect(configFrom(edit(HUB_YAML, '[10.0.0.0/8]', '[10.0.0.0/8, "2001:db8::/32"]')).hub.allowedCidrs).toHaveLength(
      2,
    );
  });

  test('IPv6 CIDRs are handed out in canonical (RFC 5952) form', () => {
    const config = configFrom(
      edit(
        HUB_YAML,
        '[10.0.0.0/8]',
        '["2001:0DB8:0000:0:0:0:0:0/32", "2001:db8:0:0:1:0:0:0/80", "fd00:0:0:0:0:0:0:0/8"]',
      ),
    );
    expect(config.hub.allowedCidrs).toEqual(['2001:db8::/32', '2001:db8:0:0:1::/80', 'fd00::/8']);
  });

  test('the security group rule gets the canonical form: the address AWS stores and a stable Terraform key', () => {
    const config = configFrom(edit(HUB_YAML, '[10.0.0.0/8]', '[10.0.0.0/8, "2001:0DB8:0:0::/32"]'));
    const hub = synthStack(new HubStack(testApp(), { config }));
    expect(hub.json.resource.aws_vpc_security_group_ingress_rule.https_ipv6).toMatchObject({
      for_each: '${toset(["2001:db8::/32"])}',
      cidr_ipv6: '${each.value}',
    });
  });

  test.each([
    ['2001:db8::/32', '"2001:0db8:0:0::/32"'],
    ['2001:db8::/32', '"2001:DB8::/32"'],
    ['10.0.0.0/8', '10.0.0.0/8'],
  ])('%s and %s are the same network: the second is listed twice', (first, second) => {
    const problem = onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', `["${first}", ${second}]`));
    expect(problem).toMatchObject({ line: 6, path: 'hub.allowedCidrs[1]', value: second });
    expect(problem.message).toContain('is listed twice');
    expect(problem.message).toContain('first at line 6');
  });

  test('an IPv6 CIDR with host bits set suggests the network, in canonical form', () => {
    const problem = onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', '["2001:0DB8:0:0:0:0:0:1/32"]'));
    expect(problem).toMatchObject({ line: 6, path: 'hub.allowedCidrs[0]' });
    expect(problem.message).toContain('host bits are set');
    expect(problem.message).toContain('Write 2001:db8::/32.');
    expect(onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', '["fd12:3456:789a:1::1/64"]')).message).toContain(
      'Write fd12:3456:789a:1::/64.',
    );
  });

  test.each(['0.0.0.0/0', '"::/0"', '"::0/0"', '"0:0:0:0:0:0:0:0/0"', '"0000::/0"'])(
    '%s (any network) is refused without hub.allowAnyCidr',
    (any) => {
      const problem = onlyProblem(edit(HUB_YAML, '[10.0.0.0/8]', `[10.0.0.0/8, ${any}]`));
      expect(problem).toMatchObject({ line: 6, path: 'hub.allowedCidrs[1]', value: any });
      expect(problem.message).toContain('the endpoints would admit any network that can route to them');
      expect(problem.message).toContain('set hub.allowAnyCidr: true');
    },
  );

  test('hub.allowAnyCidr: true admits any network deliberately; it is off by default', () => {
    expect(configFrom().hub.allowAnyCidr).toBe(false);
    const config = configFrom(
      edit(HUB_YAML, '  allowedCidrs: [10.0.0.0/8]', '  allowedCidrs: [0.0.0.0/0, "::0/0"]\n  allowAnyCidr: true'),
    );
    expect(config.hub.allowedCidrs).toEqual(['0.0.0.0/0', '::/0']);
    const problem = onlyProblem(
      edit(HUB_YAML, '  allowedCidrs: [10.0.0.0/8]', '  allowedCidrs: [10.0.0.0/8]\n  allowAnyCidr: "yes"'),
    );
    expect(problem).toMatchObject({ path: 'hub.allowAnyCidr' });
    expect(problem.message).toContain('true or false');
  });

  test('a region name that does not exist', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'region: ap-northeast-1', 'region: tokyo'));
    expect(problem).toMatchObject({ line: 3, value: 'tokyo', path: 'hub.region' });
    expect(problem.message).toContain('not an AWS region name');
    expect(problem.message).toContain('lib/config/regions.ts');
  });

  test('a region code shaped like a real one but not in the list gets a did-you-mean', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'region: ap-northeast-1', 'region: ap-northeast-9'));
    expect(problem).toMatchObject({ line: 3, value: 'ap-northeast-9' });
    expect(problem.message).toContain('Did you mean ap-northeast-1?');
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s: another partition, not supported', (region, partition) => {
    const problem = onlyProblem(edit(HUB_YAML, 'region: ap-northeast-1', `region: ${region}`));
    expect(problem).toMatchObject({ line: 3, value: region });
    expect(problem.message).toContain(`the ${partition}`);
    expect(problem.message).toContain('vpce-hub supports the commercial partition (aws, amazonaws.com) only');
    expect(problem.message).not.toContain('not an AWS region name');
  });

  test('the state region is checked against the same list', () => {
    const s3 = (region: string) =>
      edit(HUB_YAML, '  backend: local', `  backend: s3\n  bucket: acme-tfstate\n  region: ${region}`);
    expect(configFrom(s3('ap-southeast-6')).state).toMatchObject({ region: 'ap-southeast-6' });
    const problem = onlyProblem(s3('eu-west-4'));
    expect(problem).toMatchObject({ line: 17, path: 'state.region', value: 'eu-west-4' });
    expect(problem.message).toContain('Did you mean eu-west-1?');
    expect(onlyProblem(s3('us-gov-east-1')).message).toContain('aws-us-gov');
  });

  test('every listed commercial region is accepted, the newest ones included', () => {
    expect(COMMERCIAL_REGIONS).toEqual(
      expect.arrayContaining(['ap-east-2', 'ap-southeast-6', 'ap-southeast-7', 'mx-central-1', 'ca-west-1']),
    );
    expect(new Set(COMMERCIAL_REGIONS).size).toBe(COMMERCIAL_REGIONS.length);
    for (const region of COMMERCIAL_REGIONS) {
      expect(otherPartition(region)).toBeUndefined();
      expect(configFrom(edit(HUB_YAML, 'region: ap-northeast-1', `region: ${region}`)).hub.region).toBe(region);
    }
  });

  test('a role name that is an ARN', () => {
    const problem = onlyProblem(
      edit(HUB_YAML, 'roleName: vpce-spoke-deployer', 'roleName: arn:aws:iam::111111111111:role/x'),
    );
    expect(problem).toMatchObject({ line: 13, path: 'spokes.roleName' });
    expect(problem.message).toContain('the name only, not an ARN');
  });

  test('a malformed role ARN', () => {
    const problem = onlyProblem(
      edit(HUB_YAML, 'arn:aws:iam::111111111111:role/vpce-hub-deployer', 'vpce-hub-deployer'),
    );
    expect(problem).toMatchObject({ line: 7, path: 'hub.roleArn', value: 'vpce-hub-deployer' });
    expect(problem.message).toContain('not an IAM role ARN');
  });
});

describe('S3 gateway route tables', () => {
  const withGateway = (map: string) =>
    edit(
      ACCOUNTS_YAML,
      '    vpcIds: [vpc-0123abcd4567ef890]\n',
      `    vpcIds: [vpc-0123abcd4567ef890]\n    s3GatewayRouteTables:\n${map}`,
    );

  test('a valid map loads', () => {
    const config = configFrom(HUB_YAML, withGateway('      vpc-0123abcd4567ef890: [rtb-0123456789abcdef0]\n'));
    expect(config.accounts[2].s3GatewayRouteTables).toEqual({ 'vpc-0123abcd4567ef890': ['rtb-0123456789abcdef0'] });
    expect(config.accounts[0].s3GatewayRouteTables).toEqual({});
  });

  test("the VPC must be one of the account's vpcIds", () => {
    const problem = onlyProblem(HUB_YAML, withGateway('      vpc-0123456789abcdef0: [rtb-0123456789abcdef0]\n'));
    expect(problem).toMatchObject({ line: 11, column: 7, value: 'vpc-0123456789abcdef0' });
    expect(problem.message).toContain("is not one of this account's vpcIds");
  });

  test('malformed route table and VPC IDs', () => {
    const problems = problemsOf(
      HUB_YAML,
      withGateway('      vpc-0123abcd4567ef890: [rtb-12]\n      vpc-x: [rtb-0123456789abcdef0]\n'),
    );
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
    const problem = onlyProblem(
      edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3, log]'),
    );
    expect(problem).toMatchObject({ line: 8, value: 'log', path: 'services[3]' });
    expect(problem.message).toContain('Did you mean "logs"?');
  });

  test('a service listed twice', () => {
    const problem = onlyProblem(
      edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecr.dkr, s3, logs, s3]'),
    );
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

  test('a tab in the indentation is one problem that says to indent with spaces', () => {
    const problem = onlyProblem(edit(HUB_YAML, '  vpcId: vpc', '\tvpcId: vpc'));
    expect(problem).toMatchObject({ file: 'config/hub.yaml', line: 4, column: 1 });
    expect(problem.message).toContain('YAML indentation must use spaces, not tabs');
  });

  test('tabs on several lines: one problem per line', () => {
    const hub = edit(edit(HUB_YAML, '  vpcId: vpc', '\tvpcId: vpc'), '  roleName:', '\troleName:');
    expect(problemsOf(hub).map((p) => [p.line, p.message.includes('not tabs')])).toEqual([
      [4, true],
      [13, true],
    ]);
  });

  test('at most one YAML syntax problem per line', () => {
    const problem = onlyProblem(
      edit(HUB_YAML, '  vpcId: vpc-0a1b2c3d4e5f60718\n', '  vpcId: vpc-0a1b2c3d4e5f60718\n    extra: 1\n'),
    );
    expect(problem).toMatchObject({ line: 4 });
    expect(problem.message).toContain('YAML syntax error');
  });

  test('a YAML merge key is refused as such, once, without a did-you-mean', () => {
    const accounts = edit(
      ACCOUNTS_YAML,
      '  - id: "333333333333"\n    vpcIds: [vpc-0123abcd4567ef890]\n',
      '  - id: "333333333333"\n    <<: {vpcIds: [vpc-0123abcd4567ef890]}\n',
    );
    const problem = onlyProblem(HUB_YAML, accounts);
    expect(problem).toMatchObject({ line: 9, column: 5, path: 'accounts[2].<<' });
    expect(problem.message).toContain('YAML merge keys (<<) are not supported');
    expect(problem.message).toContain('Write the keys out in this map (it needs vpcIds)');
    expect(problem.message).not.toContain('Did you mean');
  });

  test('a %YAML 1.1 directive is refused: YAML 1.1 would read << as a merge key', () => {
    const problem = onlyProblem(HUB_YAML, `%YAML 1.1\n---\n${ACCOUNTS_YAML}`);
    expect(problem).toMatchObject({ file: 'config/accounts.yaml', line: 1, column: 1 });
    expect(problem.message).toContain('the %YAML 1.1 directive is not supported: vpce-hub reads YAML 1.2');
    expect(configFrom(HUB_YAML, `%YAML 1.2\n---\n${ACCOUNTS_YAML}`).accounts).toHaveLength(3);
  });

  test('YAML tags and lists as map keys are refused at their line', () => {
    expect(onlyProblem(HUB_YAML, 'accounts: !custom []\n')).toMatchObject({
      line: 1,
      column: 11,
      message: expect.stringContaining('YAML tags are not supported (Unresolved tag: !custom)'),
    });
    expect(onlyProblem(HUB_YAML, 'accounts: []\n? [a, b]\n: c\n')).toMatchObject({
      line: 2,
      message: expect.stringContaining('a list or map is used as a map key here'),
    });
  });

  test('anchors and aliases of whole values are read', () => {
    const accounts = `accounts:
  - id: "123456789012"
    vpcIds: [vpc-0123456789abcdef0]
    s3GatewayRouteTables:
      vpc-0123456789abcdef0: &tables [rtb-0123456789abcdef0]
  - id: "333333333333"
    vpcIds: [vpc-0123abcd4567ef890]
    s3GatewayRouteTables:
      vpc-0123abcd4567ef890: *tables
`;
    const config = configFrom(HUB_YAML, accounts);
    expect(config.accounts[1].s3GatewayRouteTables).toEqual({ 'vpc-0123abcd4567ef890': ['rtb-0123456789abcdef0'] });
  });

  test('a problem in an aliased value points at the alias', () => {
    const accounts =
      'accounts:\n  - id: &id "123456789012"\n    vpcIds: [vpc-0123456789abcdef0]\n  - id: *id\n    vpcIds: [vpc-0123abcd4567ef890]\n';
    const problem = onlyProblem(HUB_YAML, accounts);
    expect(problem).toMatchObject({ line: 4, path: 'accounts[1].id', value: '*id' });
    expect(problem.message).toContain('listed twice (first at line 2)');
  });

  test('a key written twice is a YAML error', () => {
    const problem = onlyProblem(edit(HUB_YAML, 'tags:', 'services: [logs]\ntags:'));
    expect(problem.message).toContain('YAML syntax error');
  });

  test('a misspelt required key is one problem: the unknown key, naming the key it should be', () => {
    const problem = onlyProblem(
      HUB_YAML,
      edit(ACCOUNTS_YAML, '    vpcIds: [vpc-0123abcd4567ef890]', '    vpcIdz: [vpc-0123abcd4567ef890]'),
    );
    expect(problem).toMatchObject({ line: 9, column: 5, path: 'accounts[2].vpcIdz' });
    expect(problem.message).toContain('unknown key "vpcIdz". Did you mean "vpcIds"?');
    expect(problem.message).toContain('vpcIds is required here: rename vpcIdz to vpcIds');
  });

  test('an unknown key and a missing required key in the same map are one problem, even when unlike', () => {
    const problem = onlyProblem(
      HUB_YAML,
      edit(ACCOUNTS_YAML, '    vpcIds: [vpc-0123abcd4567ef890]', '    vpcs: [vpc-0123abcd4567ef890]'),
    );
    expect(problem).toMatchObject({ line: 9, path: 'accounts[2].vpcs' });
    expect(problem.message).toContain('the required key "vpcIds" is missing in accounts[2]');
    expect(problem.message).toContain('rename it to vpcIds');
  });

  test('a key indented into the wrong map is one problem that says where it belongs', () => {
    const hub = edit(
      edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]\n', ''),
      '  roleName: vpce-spoke-deployer\n',
      '  roleName: vpce-spoke-deployer\n  services: [logs]\n',
    );
    const problem = onlyProblem(hub);
    expect(problem).toMatchObject({ line: 13, path: 'spokes.services' });
    expect(problem.message).toContain(
      '"services" belongs at services (at the top level), where it is required and missing',
    );
    expect(problem.message).toContain('check the indentation');
  });

  test('an unknown key far from every allowed key gets no far-fetched suggestion', () => {
    const problem = onlyProblem(`${HUB_YAML}defaults: {}\n`);
    expect(problem).toMatchObject({ path: 'defaults', line: 17 });
    expect(problem.message).not.toContain('Did you mean');
    expect(problem.message).toContain('Allowed here: hub, services');
  });

  test('a key of another state backend names the backend that takes it, not a look-alike key', () => {
    const problem = onlyProblem(edit(HUB_YAML, '  backend: local', '  backend: local\n  bucket: acme-tfstate'));
    expect(problem).toMatchObject({ line: 16, column: 3, path: 'state.bucket' });
    expect(problem.message).toContain('it belongs to backend: s3, and this state has backend: local');
    expect(problem.message).toContain('Set backend: s3 (which needs bucket and region), or remove bucket');
    expect(problem.message).not.toContain('Did you mean');
  });

  test('an unknown key in the state section suggests from the chosen backend', () => {
    const hub = edit(
      HUB_YAML,
      '  backend: local',
      '  backend: s3\n  bucket: acme-tfstate\n  region: ap-northeast-1\n  keyprefix: x/',
    );
    const problem = onlyProblem(hub);
    expect(problem).toMatchObject({ line: 18, path: 'state.keyprefix' });
    expect(problem.message).toContain('Did you mean "keyPrefix"?');
  });

  test('an empty file', () => {
    const problem = onlyProblem('');
    expect(problem).toMatchObject({ file: 'config/hub.yaml', line: 1 });
    expect(problem.message).toContain('the file is empty');
  });

  test('accounts with nothing after it: located at the key, no garbled value, says to write []', () => {
    const problem = onlyProblem(HUB_YAML, '# consumers\naccounts:\n');
    expect(problem).toMatchObject({ file: 'config/accounts.yaml', line: 2, column: 1, path: 'accounts' });
    expect(problem.value).toBeUndefined();
    expect(problem.message).toContain('nothing follows "accounts:"');
    expect(problem.message).toContain('write accounts: []');
    expect(formatProblem(problem)).toMatch(/^config\/accounts\.yaml:2:1: accounts: nothing follows/);
  });

  test('accounts that is not a list', () => {
    const problem = onlyProblem(HUB_YAML, 'accounts: none\n');
    expect(problem).toMatchObject({ line: 1, column: 11, value: 'none' });
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
    `accounts:\n${Array.from(
      { length: n },
      (_, i) => `  - id: "${String(500000000000 + i)}"\n    vpcIds: [vpc-${i.toString(16).padStart(17, '0')}]\n`,
    ).join('')}`;

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

test('ecs-agent and ecs-telemetry need ecs: one problem each, saying why', () => {
  const problems = problemsOf(
    edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecs-agent, ecs-telemetry]'),
  );
  expect(problems.map((p) => [p.path, p.value])).toEqual([
    ['services[1]', 'ecs-agent'],
    ['services[2]', 'ecs-telemetry'],
  ]);
  expect(problems[0].message).toContain(
    'AWS hands out ecs-a-<N>.<region>.amazonaws.com names, which no private zone answers',
  );
  expect(() =>
    configFrom(
      edit(HUB_YAML, 'services: [ecr.api, ecr.dkr, s3, logs]', 'services: [ecr.api, ecs, ecs-agent, ecs-telemetry]'),
    ),
  ).not.toThrow();
});
