/**
 * The local AWS fake that the e2e applies Terraform against: wire formats, accounts, and Route 53's
 * rules, through HTTP as the provider calls it. No terraform needed.
 */
import { join } from 'node:path';
import { AwsEndpointClient, Ec2CallError } from '../lib/fake-aws/client';
import { FakeAws } from '../lib/fake-aws/server';
import { tempDir } from './helpers/temp';

const REGION = 'eu-west-1';
const HUB = '100000000001';
const SPOKE = '200000000001';
const OTHER = '300000000001';

let fake: FakeAws;
let client: AwsEndpointClient;

/** A signed-looking request as `key` (an account ID or an issued access key). */
async function call(key: string, service: string, method: string, path: string, body = '', token?: string) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${key}/20261128/${service === 'route53' ? 'us-east-1' : REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      ...(token ? { 'x-amz-security-token': token } : {}),
      ...(method === 'POST' && service !== 'route53' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: method === 'GET' || method === 'DELETE' ? undefined : body,
  });
  return { status: response.status, text: await response.text() };
}

const route53 = (account: string, method: string, path: string, body = '') => call(account, 'route53', method, `/2013-04-01/${path}`, body);
const xmlText = (text: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];
const vpcXml = (vpcId: string) => `<VPC><VPCRegion>${REGION}</VPCRegion><VPCId>${vpcId}</VPCId></VPC>`;

async function createVpc(account: string, vpcId: string, cidr = '10.1.0.0/16') {
  await client.ec2(account, REGION, 'CreateVpc', {
    CidrBlock: cidr,
    'TagSpecification.1.ResourceType': 'vpc',
    'TagSpecification.1.Tag.1.Key': '_custom_id_',
    'TagSpecification.1.Tag.1.Value': vpcId,
  });
}

async function createZone(account: string, name: string, vpcId: string): Promise<string> {
  const reply = await route53(
    account,
    'POST',
    'hostedzone',
    `<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>${name}</Name><CallerReference>${name}-${Math.random()}</CallerReference><HostedZoneConfig><PrivateZone>true</PrivateZone></HostedZoneConfig>${vpcXml(vpcId)}</CreateHostedZoneRequest>`,
  );
  expect(reply.status).toBe(201);
  return (xmlText(reply.text, 'Id') ?? '').replace('/hostedzone/', '');
}

function changeRecords(account: string, zoneId: string, changes: string) {
  return route53(
    account,
    'POST',
    `hostedzone/${zoneId}/rrset`,
    `<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes>${changes}</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`,
  );
}

const aRecord = (action: string, name: string) =>
  `<Change><Action>${action}</Action><ResourceRecordSet><Name>${name}</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>`;

let stateFile: string;

beforeAll(async () => {
  stateFile = join(tempDir('fake-aws'), 'world.json');
  fake = await FakeAws.start({ stateFile });
  client = new AwsEndpointClient(fake.url);
  await createVpc(HUB, 'vpc-0000000000000000a', '10.0.0.0/16');
  await createVpc(SPOKE, 'vpc-0000000000000000b');
  await createVpc(SPOKE, 'vpc-0000000000000000c', '10.2.0.0/16');
  await createVpc(OTHER, 'vpc-0000000000000000d', '10.3.0.0/16');
  await client.ec2(HUB, REGION, 'CreateSubnet', {
    VpcId: 'vpc-0000000000000000a',
    CidrBlock: '10.0.1.0/24',
    AvailabilityZone: `${REGION}a`,
    'TagSpecification.1.ResourceType': 'subnet',
    'TagSpecification.1.Tag.1.Key': '_custom_id_',
    'TagSpecification.1.Tag.1.Value': 'subnet-0000000000000000a',
  });
});

afterAll(() => fake.close());

describe('STS and who is calling', () => {
  test('a 12-digit access key is that account; the session token labels the call', async () => {
    const reply = await call(HUB, 'sts', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15', 'hub plan');
    expect(reply.status).toBe(200);
    expect(xmlText(reply.text, 'Account')).toBe(HUB);
    const last = fake.calls().at(-1);
    expect(last).toMatchObject({ service: 'sts', action: 'GetCallerIdentity', account: HUB, label: 'hub plan', status: 200 });
  });

  test('AssumeRole hands out credentials of the role\'s account, labelled like their caller', async () => {
    const role = `arn:aws:iam::${SPOKE}:role/vpce-spoke-deployer`;
    const reply = await call(HUB, 'sts', 'POST', '/', `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(role)}&RoleSessionName=s1`, 'spoke apply');
    const key = xmlText(reply.text, 'AccessKeyId') ?? '';
    expect(key).toMatch(/^ASIA/);
    const who = await call(key, 'sts', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(xmlText(who.text, 'Account')).toBe(SPOKE);
    expect(xmlText(who.text, 'Arn')).toBe(`arn:aws:sts::${SPOKE}:assumed-role/vpce-spoke-deployer/s1`);
    expect(fake.calls().at(-1)).toMatchObject({ account: SPOKE, roleArn: role, label: 'spoke apply' });
  });

  test('unknown credentials are refused, and the refusal is logged', async () => {
    const reply = await call('AKIANOTISSUED', 'sts', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(reply.status).toBe(403);
    expect(xmlText(reply.text, 'Code')).toBe('InvalidClientTokenId');
    expect(fake.calls().at(-1)).toMatchObject({ status: 403, error: 'InvalidClientTokenId' });
  });
});

describe('EC2', () => {
  test('an account only sees and uses its own VPCs', async () => {
    await expect(
      client.ec2(SPOKE, REGION, 'CreateVpcEndpoint', { VpcId: 'vpc-0000000000000000a', ServiceName: `com.amazonaws.${REGION}.logs`, VpcEndpointType: 'Interface' }),
    ).rejects.toMatchObject({ code: 'InvalidVpcId.NotFound' });
    const mine = await client.ec2(SPOKE, REGION, 'DescribeVpcs', {});
    expect(mine).toContain('vpc-0000000000000000b');
    expect(mine).not.toContain('vpc-0000000000000000a');
  });

  test('an interface endpoint gets an interface per subnet and the regional DNS entry first; S3\'s is a wildcard', async () => {
    const reply = await client.ec2(HUB, REGION, 'CreateVpcEndpoint', {
      VpcId: 'vpc-0000000000000000a',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcEndpointType: 'Interface',
      'SubnetId.1': 'subnet-0000000000000000a',
    });
    const id = xmlText(reply, 'vpcEndpointId') ?? '';
    expect(xmlText(reply, 'dnsName')).toMatch(new RegExp(`^\\*\\.${id}-[0-9a-f]+\\.s3\\.${REGION}\\.vpce\\.amazonaws\\.com$`));
    const enis = await client.ec2(HUB, REGION, 'DescribeNetworkInterfaces', { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': 'vpc-0000000000000000a' });
    expect(enis).toContain('<subnetId>subnet-0000000000000000a</subnetId>');
    await client.ec2(HUB, REGION, 'DeleteVpcEndpoints', { 'VpcEndpointId.1': id });
    await expect(client.ec2(HUB, REGION, 'DescribeVpcEndpoints', { 'VpcEndpointId.1': id })).rejects.toBeInstanceOf(Ec2CallError);
  });

  test('a service without gateway endpoints refuses one', async () => {
    await expect(
      client.ec2(SPOKE, REGION, 'CreateVpcEndpoint', { VpcId: 'vpc-0000000000000000b', ServiceName: `com.amazonaws.${REGION}.logs`, VpcEndpointType: 'Gateway' }),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});

describe('Route 53 rules', () => {
  let zone: string;
  beforeAll(async () => {
    zone = await createZone(HUB, 'logs.eu-west-1.amazonaws.com', 'vpc-0000000000000000a');
  });

  test('another account associates its VPC only with an authorization for that zone and VPC', async () => {
    const associate = () =>
      route53(SPOKE, 'POST', `hostedzone/${zone}/associatevpc`, `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000b')}</AssociateVPCWithHostedZoneRequest>`);
    const refused = await associate();
    expect(refused.status).toBe(401);
    expect(xmlText(refused.text, 'Code')).toBe('NotAuthorizedException');
    const authorized = await route53(
      HUB,
      'POST',
      `hostedzone/${zone}/authorizevpcassociation`,
      `<CreateVPCAssociationAuthorizationRequest>${vpcXml('vpc-0000000000000000b')}</CreateVPCAssociationAuthorizationRequest>`,
    );
    expect(authorized.status).toBe(200);
    expect((await associate()).status).toBe(200);
    expect(await client.zonesOf('vpc-0000000000000000b')).toEqual([{ id: zone, name: 'logs.eu-west-1.amazonaws.com', account: HUB }]);
  });

  test('only the zone owner authorizes, and only the VPC owner associates', async () => {
    const byStranger = await route53(
      OTHER,
      'POST',
      `hostedzone/${zone}/authorizevpcassociation`,
      `<CreateVPCAssociationAuthorizationRequest>${vpcXml('vpc-0000000000000000d')}</CreateVPCAssociationAuthorizationRequest>`,
    );
    expect(xmlText(byStranger.text, 'Code')).toBe('AccessDenied');
    const notTheirVpc = await route53(OTHER, 'POST', `hostedzone/${zone}/associatevpc`, `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000c')}</AssociateVPCWithHostedZoneRequest>`);
    expect(xmlText(notTheirVpc.text, 'Code')).toBe('InvalidVPCId');
  });

  test('a VPC cannot see two zones of the same name (ConflictingDomainExists)', async () => {
    const reply = await route53(
      SPOKE,
      'POST',
      'hostedzone',
      `<CreateHostedZoneRequest><Name>logs.eu-west-1.amazonaws.com.</Name><CallerReference>dup</CallerReference>${vpcXml('vpc-0000000000000000b')}</CreateHostedZoneRequest>`,
    );
    expect(xmlText(reply.text, 'Code')).toBe('ConflictingDomainExists');
  });

  test('the VPCs-per-zone quota holds (LimitsExceeded), and the last VPC never leaves (LastVPCAssociation)', async () => {
    await client.setVpcsPerZone(2);
    const own = await createZone(SPOKE, 'quota.example.internal', 'vpc-0000000000000000b');
    const second = await route53(SPOKE, 'POST', `hostedzone/${own}/associatevpc`, `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000c')}</AssociateVPCWithHostedZoneRequest>`);
    expect(second.status).toBe(200);
    await createVpc(SPOKE, 'vpc-0000000000000000e', '10.4.0.0/16');
    const third = await route53(SPOKE, 'POST', `hostedzone/${own}/associatevpc`, `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000e')}</AssociateVPCWithHostedZoneRequest>`);
    expect(xmlText(third.text, 'Code')).toBe('LimitsExceeded');
    await client.setVpcsPerZone(300);
    const off = (vpc: string) =>
      route53(SPOKE, 'POST', `hostedzone/${own}/disassociatevpc`, `<DisassociateVPCFromHostedZoneRequest>${vpcXml(vpc)}</DisassociateVPCFromHostedZoneRequest>`);
    expect((await off('vpc-0000000000000000c')).status).toBe(200);
    expect(xmlText((await off('vpc-0000000000000000b')).text, 'Code')).toBe('LastVPCAssociation');
  });

  test('records: * comes back as \\052; a zone with records is not deleted (HostedZoneNotEmpty)', async () => {
    expect((await changeRecords(HUB, zone, aRecord('CREATE', '*.logs.eu-west-1.amazonaws.com'))).status).toBe(200);
    const listed = await route53(HUB, 'GET', `hostedzone/${zone}/rrset?name=${encodeURIComponent('\\052.logs.eu-west-1.amazonaws.com')}&type=A&maxitems=1`);
    expect(listed.text).toContain('<Name>\\052.logs.eu-west-1.amazonaws.com.</Name>');
    const twice = await changeRecords(HUB, zone, aRecord('CREATE', '*.logs.eu-west-1.amazonaws.com'));
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('<InvalidChangeBatch');
    const outside = await changeRecords(HUB, zone, aRecord('CREATE', 'elsewhere.example.com'));
    expect(outside.text).toContain('is not permitted in zone');
    expect(xmlText((await route53(HUB, 'DELETE', `hostedzone/${zone}`)).text, 'Code')).toBe('HostedZoneNotEmpty');
  });

  test('an alias to a VPC endpoint name that does not exist is refused', async () => {
    const alias = `<Change><Action>CREATE</Action><ResourceRecordSet><Name>logs.eu-west-1.amazonaws.com</Name><Type>A</Type><AliasTarget><HostedZoneId>ZNOPE</HostedZoneId><DNSName>vpce-0nothere.logs.eu-west-1.vpce.amazonaws.com</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget></ResourceRecordSet></Change>`;
    expect((await changeRecords(HUB, zone, alias)).text).toContain('alias target name does not lie within the target zone');
  });
});

describe('the resolver', () => {
  test('the most specific associated zone answers: exact record, then wildcard, else NXDOMAIN; no zone is public', async () => {
    const dkr = await createZone(HUB, 'dkr.ecr.eu-west-1.amazonaws.com', 'vpc-0000000000000000a');
    await changeRecords(HUB, dkr, aRecord('CREATE', `${SPOKE}.dkr.ecr.eu-west-1.amazonaws.com`));
    expect(await client.resolve('vpc-0000000000000000a', `${SPOKE}.dkr.ecr.eu-west-1.amazonaws.com`)).toMatchObject({
      result: 'answer',
      zone: { id: dkr },
      record: { name: `${SPOKE}.dkr.ecr.eu-west-1.amazonaws.com` },
    });
    expect(await client.resolve('vpc-0000000000000000a', `${OTHER}.dkr.ecr.eu-west-1.amazonaws.com`)).toMatchObject({ result: 'NXDOMAIN' });
    expect(await client.resolve('vpc-0000000000000000a', 'any.logs.eu-west-1.amazonaws.com')).toMatchObject({
      result: 'answer',
      record: { name: '*.logs.eu-west-1.amazonaws.com' },
    });
    // vpc-...d is associated with nothing: public DNS answers.
    expect(await client.resolve('vpc-0000000000000000d', 'logs.eu-west-1.amazonaws.com')).toMatchObject({ result: 'public' });
  });

  test('an S3 name in a VPC with its own S3 gateway endpoint goes public, through the gateway', async () => {
    await client.ec2(OTHER, REGION, 'CreateVpcEndpoint', {
      VpcId: 'vpc-0000000000000000d',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcEndpointType: 'Gateway',
      'RouteTableId.1': 'rtb-0000000000000000d',
    });
    expect(await client.resolve('vpc-0000000000000000d', `prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com`)).toMatchObject({
      result: 'public',
      gatewayEndpoint: { service: 's3', routeTables: 1 },
    });
  });
});

describe('the world file', () => {
  test('a second fake on the same file sees the same world', async () => {
    const again = await FakeAws.start({ stateFile });
    try {
      const counts = await new AwsEndpointClient(again.url).worldCounts();
      expect(counts.vpcs).toBe(5);
      expect(counts.zones).toBeGreaterThanOrEqual(3);
    } finally {
      await again.close();
    }
  });
});
