/**
 * The local AWS fake that the e2e applies Terraform against: wire formats, accounts, and Route 53's
 * rules, through HTTP as the provider calls it. No terraform needed.
 */
import { join } from 'node:path';
import { AwsEndpointClient, Ec2CallError } from '../test/fake-aws/client';
import { FakeAws, type CallRecord } from '../test/fake-aws/server';
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
      authorization:
        `AWS4-HMAC-SHA256 Credential=${key}/20261128/${service === 'route53' ? 'us-east-1' : REGION}/${service}/aws4_request, ` +
        'SignedHeaders=host, Signature=0',
      ...(token ? { 'x-amz-security-token': token } : {}),
      ...(method === 'POST' && service !== 'route53' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: method === 'GET' || method === 'DELETE' ? undefined : body,
  });
  return { status: response.status, text: await response.text() };
}

const route53 = (account: string, method: string, path: string, body = '') =>
  call(account, 'route53', method, `/2013-04-01/${path}`, body);
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
  `<Change><Action>${action}</Action><ResourceRecordSet><Name>${name}</Name><Type>A</Type><TTL>60</TTL>` +
  '<ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>';

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
    expect(last).toMatchObject({
      service: 'sts',
      action: 'GetCallerIdentity',
      account: HUB,
      label: 'hub plan',
      status: 200,
    });
  });

  test("AssumeRole hands out credentials of the role's account, labelled like their caller", async () => {
    const role = `arn:aws:iam::${SPOKE}:role/vpce-spoke-deployer`;
    const reply = await call(
      HUB,
      'sts',
      'POST',
      '/',
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(role)}&RoleSessionName=s1`,
      'spoke apply',
    );
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
      client.ec2(SPOKE, REGION, 'CreateVpcEndpoint', {
        VpcId: 'vpc-0000000000000000a',
        ServiceName: `com.amazonaws.${REGION}.logs`,
        VpcEndpointType: 'Interface',
      }),
    ).rejects.toMatchObject({ code: 'InvalidVpcId.NotFound' });
    const mine = await client.ec2(SPOKE, REGION, 'DescribeVpcs', {});
    expect(mine).toContain('vpc-0000000000000000b');
    expect(mine).not.toContain('vpc-0000000000000000a');
  });

  test("an interface endpoint gets an interface per subnet and the regional DNS entry first; S3's is a wildcard", async () => {
    const reply = await client.ec2(HUB, REGION, 'CreateVpcEndpoint', {
      VpcId: 'vpc-0000000000000000a',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: 'false',
      'SubnetId.1': 'subnet-0000000000000000a',
    });
    const id = xmlText(reply, 'vpcEndpointId') ?? '';
    expect(xmlText(reply, 'dnsName')).toMatch(
      new RegExp(`^\\*\\.${id}-[0-9a-f]+\\.s3\\.${REGION}\\.vpce\\.amazonaws\\.com$`),
    );
    const enis = await client.ec2(HUB, REGION, 'DescribeNetworkInterfaces', {
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': 'vpc-0000000000000000a',
    });
    expect(enis).toContain('<subnetId>subnet-0000000000000000a</subnetId>');
    await client.ec2(HUB, REGION, 'DeleteVpcEndpoints', { 'VpcEndpointId.1': id });
    await expect(client.ec2(HUB, REGION, 'DescribeVpcEndpoints', { 'VpcEndpointId.1': id })).rejects.toBeInstanceOf(
      Ec2CallError,
    );
  });

  test('a service without gateway endpoints refuses one', async () => {
    await expect(
      client.ec2(SPOKE, REGION, 'CreateVpcEndpoint', {
        VpcId: 'vpc-0000000000000000b',
        ServiceName: `com.amazonaws.${REGION}.logs`,
        VpcEndpointType: 'Gateway',
      }),
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
      route53(
        SPOKE,
        'POST',
        `hostedzone/${zone}/associatevpc`,
        `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000b')}</AssociateVPCWithHostedZoneRequest>`,
      );
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
    expect(await client.zonesOf('vpc-0000000000000000b')).toEqual([
      { id: zone, name: 'logs.eu-west-1.amazonaws.com', account: HUB },
    ]);
  });

  test('only the zone owner authorizes, and only the VPC owner associates', async () => {
    const byStranger = await route53(
      OTHER,
      'POST',
      `hostedzone/${zone}/authorizevpcassociation`,
      `<CreateVPCAssociationAuthorizationRequest>${vpcXml('vpc-0000000000000000d')}</CreateVPCAssociationAuthorizationRequest>`,
    );
    expect(xmlText(byStranger.text, 'Code')).toBe('AccessDenied');
    const notTheirVpc = await route53(
      OTHER,
      'POST',
      `hostedzone/${zone}/associatevpc`,
      `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000c')}</AssociateVPCWithHostedZoneRequest>`,
    );
    expect(xmlText(notTheirVpc.text, 'Code')).toBe('InvalidVPCId');
  });

  test('a VPC cannot see two zones of the same name (ConflictingDomainExists)', async () => {
    const reply = await route53(
      SPOKE,
      'POST',
      'hostedzone',
      '<CreateHostedZoneRequest><Name>logs.eu-west-1.amazonaws.com.</Name><CallerReference>dup</CallerReference>' +
        `${vpcXml('vpc-0000000000000000b')}</CreateHostedZoneRequest>`,
    );
    expect(xmlText(reply.text, 'Code')).toBe('ConflictingDomainExists');
  });

  test('the VPCs-per-zone quota holds (LimitsExceeded), and the last VPC never leaves (LastVPCAssociation)', async () => {
    await client.setVpcsPerZone(2);
    const own = await createZone(SPOKE, 'quota.example.internal', 'vpc-0000000000000000b');
    const second = await route53(
      SPOKE,
      'POST',
      `hostedzone/${own}/associatevpc`,
      `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000c')}</AssociateVPCWithHostedZoneRequest>`,
    );
    expect(second.status).toBe(200);
    await createVpc(SPOKE, 'vpc-0000000000000000e', '10.4.0.0/16');
    const third = await route53(
      SPOKE,
      'POST',
      `hostedzone/${own}/associatevpc`,
      `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000e')}</AssociateVPCWithHostedZoneRequest>`,
    );
    expect(xmlText(third.text, 'Code')).toBe('LimitsExceeded');
    await client.setVpcsPerZone(300);
    const off = (vpc: string) =>
      route53(
        SPOKE,
        'POST',
        `hostedzone/${own}/disassociatevpc`,
        `<DisassociateVPCFromHostedZoneRequest>${vpcXml(vpc)}</DisassociateVPCFromHostedZoneRequest>`,
      );
    expect((await off('vpc-0000000000000000c')).status).toBe(200);
    expect(xmlText((await off('vpc-0000000000000000b')).text, 'Code')).toBe('LastVPCAssociation');
  });

  test('records: * comes back as \\052; a zone with records is not deleted (HostedZoneNotEmpty)', async () => {
    expect((await changeRecords(HUB, zone, aRecord('CREATE', '*.logs.eu-west-1.amazonaws.com'))).status).toBe(200);
    const listed = await route53(
      HUB,
      'GET',
      `hostedzone/${zone}/rrset?name=${encodeURIComponent('\\052.logs.eu-west-1.amazonaws.com')}&type=A&maxitems=1`,
    );
    expect(listed.text).toContain('<Name>\\052.logs.eu-west-1.amazonaws.com.</Name>');
    const twice = await changeRecords(HUB, zone, aRecord('CREATE', '*.logs.eu-west-1.amazonaws.com'));
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('<InvalidChangeBatch');
    const outside = await changeRecords(HUB, zone, aRecord('CREATE', 'elsewhere.example.com'));
    expect(outside.text).toContain('is not permitted in zone');
    expect(xmlText((await route53(HUB, 'DELETE', `hostedzone/${zone}`)).text, 'Code')).toBe('HostedZoneNotEmpty');
  });

  test('an alias to a VPC endpoint name that does not exist is refused', async () => {
    const alias = [
      '<Change><Action>CREATE</Action><ResourceRecordSet><Name>logs.eu-west-1.amazonaws.com</Name><Type>A</Type>',
      '<AliasTarget><HostedZoneId>ZNOPE</HostedZoneId><DNSName>vpce-0nothere.logs.eu-west-1.vpce.amazonaws.com</DNSName>',
      '<EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget></ResourceRecordSet></Change>',
    ].join('');
    expect((await changeRecords(HUB, zone, alias)).text).toContain(
      'alias target name does not lie within the target zone',
    );
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
    expect(await client.resolve('vpc-0000000000000000a', `${OTHER}.dkr.ecr.eu-west-1.amazonaws.com`)).toMatchObject({
      result: 'NXDOMAIN',
    });
    expect(await client.resolve('vpc-0000000000000000a', 'any.logs.eu-west-1.amazonaws.com')).toMatchObject({
      result: 'answer',
      record: { name: '*.logs.eu-west-1.amazonaws.com' },
    });
    // vpc-...d is associated with nothing: public DNS answers.
    expect(await client.resolve('vpc-0000000000000000d', 'logs.eu-west-1.amazonaws.com')).toMatchObject({
      result: 'public',
    });
  });

  test('an S3 name in a VPC with its own S3 gateway endpoint goes public, through the gateway', async () => {
    await client.ec2(OTHER, REGION, 'CreateVpcEndpoint', {
      VpcId: 'vpc-0000000000000000d',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcEndpointType: 'Gateway',
      'RouteTableId.1': 'rtb-0000000000000000d',
    });
    expect(
      await client.resolve('vpc-0000000000000000d', `prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com`),
    ).toMatchObject({
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

// ---- Route 53 Profiles and RAM (REST-JSON), shared across accounts and through an organization ----

const ORG_MEMBER = '400000000001';
const MANAGEMENT = '900000000001';
const ORG_ID = 'o-abcdefghij';
const ORG_ARN = `arn:aws:organizations::${MANAGEMENT}:organization/${ORG_ID}`;
const OU_ID = 'ou-ab12-abcdefgh';

/** A REST-JSON call of Route 53 Profiles or RAM as `key`; returns the status, the JSON reply and the error code. */
async function jsonCall(key: string, service: 'route53profiles' | 'ram', method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization:
        `AWS4-HMAC-SHA256 Credential=${key}/20261128/${REGION}/${service}/aws4_request, ` +
        'SignedHeaders=host, Signature=0',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the service's JSON reply, which the tests walk freely and check with expect()
    body: (text ? JSON.parse(text) : undefined) as any,
    code: response.headers.get('x-amzn-errortype') ?? undefined,
  };
}
const profiles = (key: string, method: string, path: string, body?: unknown) =>
  jsonCall(key, 'route53profiles', method, path, body);
const ram = (key: string, method: string, path: string, body?: unknown) => jsonCall(key, 'ram', method, path, body);

async function createProfile(account: string, name: string): Promise<{ Id: string; Arn: string }> {
  const reply = await profiles(account, 'POST', '/profile', {
    ClientToken: `${name}-${Math.random()}`,
    Name: name,
    Tags: [{ Key: 'project', Value: 'vpce-hub' }],
  });
  expect(reply.status).toBe(200);
  return reply.body.Profile;
}

const associateZone = (account: string, profileId: string, zoneId: string, name = `zone-${zoneId}`) =>
  profiles(account, 'POST', '/profileresourceassociation', {
    Name: name,
    ProfileId: profileId,
    ResourceArn: `arn:aws:route53:::hostedzone/${zoneId}`,
  });
const associateVpc = (account: string, profileId: string, vpcId: string) =>
  profiles(account, 'POST', '/profileassociation', { Name: `assoc-${vpcId}`, ProfileId: profileId, ResourceId: vpcId });
const disassociateVpc = (account: string, profileId: string, vpcId: string) =>
  profiles(account, 'DELETE', `/profileassociation/Profileid/${profileId}/resourceid/${vpcId}`);

async function createShare(account: string, name: string, allowExternalPrincipals = true): Promise<string> {
  const reply = await ram(account, 'POST', '/createresourceshare', {
    name,
    allowExternalPrincipals,
    tags: [{ key: 'project', value: 'vpce-hub' }],
  });
  expect(reply.status).toBe(200);
  expect(reply.body.resourceShare).toMatchObject({ name, status: 'ACTIVE', owningAccountId: account });
  return reply.body.resourceShare.resourceShareArn;
}

const shareWith = (account: string, shareArn: string, part: { resourceArns?: string[]; principals?: string[] }) =>
  ram(account, 'POST', '/associateresourceshare', {
    clientToken: `t-${Math.random()}`,
    resourceShareArn: shareArn,
    ...part,
  });

describe('Route 53 Profiles and RAM', () => {
  let profile: { Id: string; Arn: string };
  let profileZone: string;
  let shareArn: string;
  let orgShare: string;

  beforeAll(async () => {
    await createVpc(HUB, 'vpc-0000000000000001a', '10.20.0.0/16');
    await createVpc(ORG_MEMBER, 'vpc-0000000000000004a', '10.40.0.0/16');
    profileZone = await createZone(HUB, 'profile.example.internal', 'vpc-0000000000000000a');
    await changeRecords(HUB, profileZone, aRecord('CREATE', 'api.profile.example.internal'));
  });

  afterAll(async () => {
    await client.setOrganization(null);
  });

  test('a Profile belongs to its creator: others cannot see or delete it; names are validated', async () => {
    profile = await createProfile(HUB, 'vpce-hub');
    expect(profile.Id).toMatch(/^rp-[0-9a-f]{16}$/);
    expect(profile.Arn).toBe(`arn:aws:route53profiles:${REGION}:${HUB}:profile/${profile.Id}`);
    const got = await profiles(HUB, 'GET', `/profile/${profile.Id}`);
    expect(got.body.Profile).toMatchObject({
      Id: profile.Id,
      OwnerId: HUB,
      Status: 'COMPLETE',
      ShareStatus: 'NOT_SHARED',
      Name: 'vpce-hub',
    });
    expect(typeof got.body.Profile.CreationTime).toBe('number');
    const tags = await profiles(HUB, 'GET', `/tags/${encodeURIComponent(profile.Arn)}`);
    expect(tags.body).toEqual({ Tags: { project: 'vpce-hub' } });
    expect((await profiles(OTHER, 'GET', `/profile/${profile.Id}`)).code).toBe('ResourceNotFoundException');
    expect((await profiles(OTHER, 'DELETE', `/profile/${profile.Id}`)).code).toBe('ResourceNotFoundException');
    const badName = await profiles(HUB, 'POST', '/profile', { ClientToken: 'x', Name: '12345' });
    expect(badName).toMatchObject({ status: 400, code: 'ValidationException' });
  });

  test('a resource association takes a private zone of the owner, once (ConflictException); others are refused', async () => {
    const created = await associateZone(HUB, profile.Id, profileZone);
    expect(created.body.ProfileResourceAssociation).toMatchObject({
      Status: 'CREATING',
      ResourceType: 'HOSTED_ZONE',
      OwnerId: HUB,
    });
    const id = created.body.ProfileResourceAssociation.Id;
    expect(id).toMatch(/^rpr-[0-9a-f]{16}$/);
    expect(
      (await profiles(HUB, 'GET', `/profileresourceassociation/${id}`)).body.ProfileResourceAssociation,
    ).toMatchObject({
      Status: 'COMPLETE',
      ResourceArn: `arn:aws:route53:::hostedzone/${profileZone}`,
    });
    expect((await associateZone(HUB, profile.Id, profileZone, 'again')).code).toBe('ConflictException');
    const othersZone = await createZone(OTHER, 'other.example.internal', 'vpc-0000000000000000d');
    expect((await associateZone(HUB, profile.Id, othersZone)).code).toBe('AccessDeniedException');
    expect((await associateZone(HUB, profile.Id, 'Z0NOSUCHZONE')).code).toBe('ResourceNotFoundException');
    const publicZone = await route53(
      HUB,
      'POST',
      'hostedzone',
      `<CreateHostedZoneRequest><Name>public.example.com</Name><CallerReference>pub</CallerReference></CreateHostedZoneRequest>`,
    );
    const publicId = (xmlText(publicZone.text, 'Id') ?? '').replace('/hostedzone/', '');
    expect((await associateZone(HUB, profile.Id, publicId)).code).toBe('InvalidParameterException');
    // A consumer cannot add resources to a Profile it does not own.
    expect((await associateZone(OTHER, profile.Id, othersZone)).code).toBe('ResourceNotFoundException');
  });

  test('a VPC of another account associates only once the Profile is shared with it: an accepted invitation', async () => {
    expect((await associateVpc(SPOKE, profile.Id, 'vpc-0000000000000000c')).code).toBe('ResourceNotFoundException');
    shareArn = await createShare(HUB, 'vpce-hub-profile');
    expect((await shareWith(HUB, shareArn, { resourceArns: [profile.Arn] })).status).toBe(200);
    const principal = await shareWith(HUB, shareArn, { principals: [SPOKE] });
    expect(principal.body.resourceShareAssociations).toMatchObject([
      { associatedEntity: SPOKE, associationType: 'PRINCIPAL', status: 'ASSOCIATING', external: true },
    ]);
    // Not accepted yet: the share does not reach the spoke.
    expect((await associateVpc(SPOKE, profile.Id, 'vpc-0000000000000000c')).code).toBe('ResourceNotFoundException');
    const invitations = await ram(SPOKE, 'POST', '/getresourceshareinvitations', { resourceShareArns: [shareArn] });
    expect(invitations.body.resourceShareInvitations).toMatchObject([
      { status: 'PENDING', senderAccountId: HUB, receiverAccountId: SPOKE, resourceShareName: 'vpce-hub-profile' },
    ]);
    const invitationArn = invitations.body.resourceShareInvitations[0].resourceShareInvitationArn;
    expect(invitationArn).toMatch(new RegExp(`^arn:aws:ram:${REGION}:${HUB}:resource-share-invitation/`));
    const accepted = await ram(SPOKE, 'POST', '/acceptresourceshareinvitation', {
      clientToken: 'c',
      resourceShareInvitationArn: invitationArn,
    });
    expect(accepted.body.resourceShareInvitation.status).toBe('ACCEPTED');
    expect(
      (await ram(SPOKE, 'POST', '/acceptresourceshareinvitation', { resourceShareInvitationArn: invitationArn })).code,
    ).toBe('ResourceShareInvitationAlreadyAcceptedException');
    const associations = await ram(HUB, 'POST', '/getresourceshareassociations', {
      associationType: 'PRINCIPAL',
      principal: SPOKE,
      resourceShareArns: [shareArn],
    });
    expect(associations.body.resourceShareAssociations).toMatchObject([{ status: 'ASSOCIATED' }]);
    const seen = await ram(SPOKE, 'POST', '/getresourceshares', {
      resourceOwner: 'OTHER-ACCOUNTS',
      resourceShareArns: [shareArn],
    });
    expect(seen.body.resourceShares).toHaveLength(1);
    const resources = await ram(SPOKE, 'POST', '/listresources', {
      resourceOwner: 'OTHER-ACCOUNTS',
      resourceShareArns: [shareArn],
    });
    expect(resources.body.resources).toMatchObject([{ arn: profile.Arn, type: 'route53profiles:Profile' }]);

    // Only the VPC's owner associates it.
    expect((await associateVpc(SPOKE, profile.Id, 'vpc-0000000000000000d')).code).toBe('ResourceNotFoundException');
    const created = await associateVpc(SPOKE, profile.Id, 'vpc-0000000000000000c');
    expect(created.body.ProfileAssociation).toMatchObject({
      Status: 'CREATING',
      OwnerId: SPOKE,
      ResourceId: 'vpc-0000000000000000c',
    });
    expect(created.body.ProfileAssociation.Id).toMatch(/^rpassoc-[0-9a-f]{16}$/);
    const got = await profiles(SPOKE, 'GET', `/profileassociation/${created.body.ProfileAssociation.Id}`);
    expect(got.body.ProfileAssociation.Status).toBe('COMPLETE');
    expect((await profiles(SPOKE, 'GET', `/profile/${profile.Id}`)).body.Profile.ShareStatus).toBe('SHARED_WITH_ME');
    expect((await profiles(HUB, 'GET', `/profile/${profile.Id}`)).body.Profile.ShareStatus).toBe('SHARED_BY_ME');
    // The spoke VPC now resolves through the Profile.
    expect(await client.resolve('vpc-0000000000000000c', 'api.profile.example.internal')).toMatchObject({
      result: 'answer',
      zone: { id: profileZone, account: HUB },
      via: 'profile',
      profileId: profile.Id,
    });
  });

  test('one Profile per VPC (ResourceExistsException); the VPCs-per-Profile quota (LimitExceededException)', async () => {
    const second = await createProfile(HUB, 'second');
    expect((await associateVpc(HUB, profile.Id, 'vpc-0000000000000000a')).status).toBe(200);
    expect((await associateVpc(HUB, second.Id, 'vpc-0000000000000000a')).code).toBe('ResourceExistsException');
    await client.setVpcsPerProfile(2); // a (hub) and c (spoke) already use it
    const over = await associateVpc(HUB, profile.Id, 'vpc-0000000000000001a');
    expect(over).toMatchObject({ status: 400, code: 'LimitExceededException' });
    await client.setVpcsPerProfile(1000);
    expect((await associateVpc(HUB, second.Id, 'vpc-0000000000000001a')).status).toBe(200);
  });

  test('DeleteProfile refuses while VPCs are associated (ConflictException); its resource associations go with it', async () => {
    const second = (await profiles(HUB, 'GET', '/profiles')).body.ProfileSummaries.find(
      (p: { Name: string }) => p.Name === 'second',
    );
    const zone = await createZone(HUB, 'second.example.internal', 'vpc-0000000000000000a');
    const association = (await associateZone(HUB, second.Id, zone)).body.ProfileResourceAssociation.Id;
    expect((await profiles(HUB, 'DELETE', `/profile/${second.Id}`)).code).toBe('ConflictException');
    expect((await disassociateVpc(HUB, second.Id, 'vpc-0000000000000001a')).body.ProfileAssociation.Status).toBe(
      'DELETING',
    );
    expect((await disassociateVpc(HUB, second.Id, 'vpc-0000000000000001a')).code).toBe('ResourceNotFoundException');
    const deleted = await profiles(HUB, 'DELETE', `/profile/${second.Id}`);
    expect(deleted.body.Profile.Status).toBe('DELETED');
    expect((await profiles(HUB, 'GET', `/profile/${second.Id}`)).code).toBe('ResourceNotFoundException');
    expect((await profiles(HUB, 'GET', `/profileresourceassociation/${association}`)).code).toBe(
      'ResourceNotFoundException',
    );
  });

  test("a zone of the same name associated directly wins over the Profile's; the most specific name wins across both", async () => {
    // Route 53 allows both (profiles.html: local settings and a Profile may overlap, e.g. for migration).
    const local = await createZone(SPOKE, 'profile.example.internal', 'vpc-0000000000000000c');
    await changeRecords(SPOKE, local, aRecord('CREATE', 'api.profile.example.internal'));
    expect(await client.resolve('vpc-0000000000000000c', 'api.profile.example.internal')).toMatchObject({
      result: 'answer',
      zone: { id: local, account: SPOKE },
      via: 'direct',
    });
    // A more specific zone in the Profile answers for its names (profiles.html: test.example.com -> Profile).
    const specific = await createZone(HUB, 'test.profile.example.internal', 'vpc-0000000000000000a');
    await changeRecords(HUB, specific, aRecord('CREATE', 'x.test.profile.example.internal'));
    expect((await associateZone(HUB, profile.Id, specific)).status).toBe(200);
    expect(await client.resolve('vpc-0000000000000000c', 'x.test.profile.example.internal')).toMatchObject({
      zone: { id: specific },
      via: 'profile',
    });
    expect(await client.resolve('vpc-0000000000000000c', 'other.profile.example.internal')).toMatchObject({
      result: 'NXDOMAIN',
      zone: { id: local },
      via: 'direct',
    });
    expect((await client.visibleZones('vpc-0000000000000000c')).map((z) => `${z.name} ${z.via}`).sort()).toEqual([
      'profile.example.internal direct',
      'profile.example.internal profile',
      'test.profile.example.internal profile',
    ]);
  });

  test('an organization principal reaches member accounts without invitations, once RAM sharing with the organization is on', async () => {
    await client.setOrganization({
      id: ORG_ID,
      managementAccount: MANAGEMENT,
      accounts: [HUB, SPOKE, ORG_MEMBER],
      ous: { [OU_ID]: [ORG_MEMBER] },
      ramSharingEnabled: false,
    });
    orgShare = await createShare(HUB, 'vpce-hub-org');
    expect((await shareWith(HUB, orgShare, { resourceArns: [profile.Arn] })).status).toBe(200);
    const refused = await shareWith(HUB, orgShare, { principals: [ORG_ARN] });
    expect(refused).toMatchObject({ status: 400, code: 'OperationNotPermittedException' });
    expect(refused.body.message).toContain('can only be shared within your AWS Organization');
    expect((await ram(HUB, 'POST', '/enablesharingwithawsorganization', {})).code).toBe(
      'OperationNotPermittedException',
    );
    expect((await ram(MANAGEMENT, 'POST', '/enablesharingwithawsorganization', {})).body).toEqual({
      returnValue: true,
    });
    expect(
      (
        await shareWith(HUB, orgShare, {
          principals: [`arn:aws:organizations::${MANAGEMENT}:organization/o-zzzzzzzzzz`],
        })
      ).code,
    ).toBe('UnknownResourceException');
    expect((await shareWith(HUB, orgShare, { principals: [ORG_ARN] })).status).toBe(200);
    const associations = await ram(HUB, 'POST', '/getresourceshareassociations', {
      associationType: 'PRINCIPAL',
      principal: ORG_ARN,
      resourceShareArns: [orgShare],
    });
    expect(associations.body.resourceShareAssociations).toMatchObject([{ status: 'ASSOCIATED', external: false }]);
    expect((await ram(ORG_MEMBER, 'POST', '/getresourceshareinvitations', {})).body.resourceShareInvitations).toEqual(
      [],
    );
    expect((await associateVpc(ORG_MEMBER, profile.Id, 'vpc-0000000000000004a')).status).toBe(200);
    // The member cannot leave a share that reaches it through the organization.
    expect(
      (
        await ram(ORG_MEMBER, 'POST', '/disassociateresourceshare', {
          resourceShareArn: orgShare,
          principals: [ORG_MEMBER],
        })
      ).code,
    ).toBe('OperationNotPermittedException');
  });

  test('an OU principal reaches the accounts of that OU only', async () => {
    const ouProfile = await createProfile(HUB, 'ou-only');
    const ouShare = await createShare(HUB, 'vpce-hub-ou');
    await shareWith(HUB, ouShare, { resourceArns: [ouProfile.Arn] });
    expect(
      (
        await shareWith(HUB, ouShare, {
          principals: [`arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/ou-ab12-zzzzzzzz`],
        })
      ).code,
    ).toBe('UnknownResourceException');
    expect(
      (await shareWith(HUB, ouShare, { principals: [`arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/${OU_ID}`] }))
        .status,
    ).toBe(200);
    expect((await profiles(ORG_MEMBER, 'GET', `/profile/${ouProfile.Id}`)).body.Profile.ShareStatus).toBe(
      'SHARED_WITH_ME',
    );
    expect((await profiles(SPOKE, 'GET', `/profile/${ouProfile.Id}`)).code).toBe('ResourceNotFoundException');
    expect(
      (await ram(HUB, 'DELETE', `/deleteresourceshare?resourceShareArn=${encodeURIComponent(ouShare)}`)).status,
    ).toBe(200);
    expect((await profiles(ORG_MEMBER, 'GET', `/profile/${ouProfile.Id}`)).code).toBe('ResourceNotFoundException');
    expect((await profiles(HUB, 'DELETE', `/profile/${ouProfile.Id}`)).status).toBe(200);
  });

  test('allowExternalPrincipals: false refuses accounts outside the organization; members join at once', async () => {
    const inner = await createShare(HUB, 'vpce-hub-inner', false);
    const outside = await shareWith(HUB, inner, { principals: [OTHER] });
    expect(outside).toMatchObject({ status: 400, code: 'OperationNotPermittedException' });
    expect((await shareWith(HUB, inner, { principals: [ORG_MEMBER] })).status).toBe(200);
    const associations = await ram(HUB, 'POST', '/getresourceshareassociations', {
      associationType: 'PRINCIPAL',
      resourceShareArns: [inner],
    });
    expect(associations.body.resourceShareAssociations).toMatchObject([
      { associatedEntity: ORG_MEMBER, status: 'ASSOCIATED', external: false },
    ]);
    expect(
      (await ram(ORG_MEMBER, 'POST', '/getresourceshareinvitations', { resourceShareArns: [inner] })).body
        .resourceShareInvitations,
    ).toEqual([]);
    expect(
      (await ram(HUB, 'DELETE', `/deleteresourceshare?resourceShareArn=${encodeURIComponent(inner)}&clientToken=d`))
        .body.returnValue,
    ).toBe(true);
    const deleted = await ram(HUB, 'POST', '/getresourceshares', { resourceOwner: 'SELF', resourceShareArns: [inner] });
    expect(deleted.body.resourceShares).toMatchObject([{ status: 'DELETED' }]);
  });

  test('the watch records each moment a watched VPC answers NXDOMAIN or public, with the call that caused it', async () => {
    // vpc-...b sees watch.example.internal directly (authorized association), and has no Profile yet.
    const zone = await createZone(HUB, 'watch.example.internal', 'vpc-0000000000000000a');
    await changeRecords(HUB, zone, aRecord('CREATE', 'svc.watch.example.internal'));
    await route53(
      HUB,
      'POST',
      `hostedzone/${zone}/authorizevpcassociation`,
      `<CreateVPCAssociationAuthorizationRequest>${vpcXml('vpc-0000000000000000b')}</CreateVPCAssociationAuthorizationRequest>`,
    );
    await route53(
      SPOKE,
      'POST',
      `hostedzone/${zone}/associatevpc`,
      `<AssociateVPCWithHostedZoneRequest>${vpcXml('vpc-0000000000000000b')}</AssociateVPCWithHostedZoneRequest>`,
    );
    const started = await client.watch(
      ['vpc-0000000000000000b', 'vpc-0000000000000000c'],
      ['svc.watch.example.internal', 'api.profile.example.internal'],
    );
    // c does not see the watch zone at all: public from the start; b sees both through direct zones.
    expect(started.events.map((e) => `${e.action} ${e.vpcId} ${e.host} ${e.result}`)).toEqual([
      'watch start vpc-0000000000000000b api.profile.example.internal public',
      'watch start vpc-0000000000000000c svc.watch.example.internal public',
    ]);
    const before = started.events.length;

    // An NXDOMAIN moment: the record is replaced by a delete and a create in two calls.
    const record =
      '<ResourceRecordSet><Name>svc.watch.example.internal</Name><Type>A</Type><TTL>60</TTL>' +
      '<ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>';
    expect((await changeRecords(HUB, zone, `<Change><Action>DELETE</Action>${record}</Change>`)).status).toBe(200);
    await changeRecords(HUB, zone, aRecord('CREATE', 'svc.watch.example.internal'));
    // A switch from the direct zone to the Profile that leaves a gap: disassociate first, associate later.
    await associateZone(HUB, profile.Id, zone);
    await route53(
      SPOKE,
      'POST',
      `hostedzone/${zone}/disassociatevpc`,
      `<DisassociateVPCFromHostedZoneRequest>${vpcXml('vpc-0000000000000000b')}</DisassociateVPCFromHostedZoneRequest>`,
    );
    await associateVpc(SPOKE, profile.Id, 'vpc-0000000000000000b');
    const report = await client.watchReport();
    const seen = report.events.slice(before).map((e) => `${e.service}:${e.action} ${e.vpcId} ${e.host} ${e.result}`);
    expect(seen).toEqual([
      // Each call re-looks at everything: c's watch name is still public until the Profile holds its zone.
      'route53:ChangeResourceRecordSets vpc-0000000000000000b svc.watch.example.internal NXDOMAIN',
      'route53:ChangeResourceRecordSets vpc-0000000000000000b api.profile.example.internal public',
      'route53:ChangeResourceRecordSets vpc-0000000000000000c svc.watch.example.internal public',
      'route53:ChangeResourceRecordSets vpc-0000000000000000b api.profile.example.internal public',
      'route53:ChangeResourceRecordSets vpc-0000000000000000c svc.watch.example.internal public',
      'route53profiles:AssociateResourceToProfile vpc-0000000000000000b api.profile.example.internal public',
      'route53:DisassociateVPCFromHostedZone vpc-0000000000000000b svc.watch.example.internal public',
      'route53:DisassociateVPCFromHostedZone vpc-0000000000000000b api.profile.example.internal public',
    ]);
    const nxdomain = report.events.find((e) => e.result === 'NXDOMAIN');
    expect(nxdomain).toMatchObject({ account: HUB, zone: { id: zone }, via: 'direct' });
    expect(typeof nxdomain?.seq).toBe('number');
    expect(await client.resolve('vpc-0000000000000000b', 'svc.watch.example.internal')).toMatchObject({
      result: 'answer',
      via: 'profile',
    });

    // The spoke receives the Profile through two shares (its accepted invitation, and the organization):
    // deleting one changes nothing; unsharing the other takes the Profile's zones away at once.
    const checks = report.checks;
    const eventsBefore = report.events.length;
    await ram(HUB, 'DELETE', `/deleteresourceshare?resourceShareArn=${encodeURIComponent(orgShare)}`);
    expect((await client.watchReport()).events).toHaveLength(eventsBefore);
    await ram(HUB, 'POST', '/disassociateresourceshare', { resourceShareArn: shareArn, principals: [SPOKE] });
    const after = await client.unwatch();
    expect(after.checks).toBe(checks + 2);
    expect(after.events.slice(eventsBefore).map((e) => `${e.action} ${e.vpcId} ${e.host} ${e.result}`)).toEqual([
      'DisassociateResourceShare vpc-0000000000000000b svc.watch.example.internal public',
      'DisassociateResourceShare vpc-0000000000000000b api.profile.example.internal public',
      'DisassociateResourceShare vpc-0000000000000000c svc.watch.example.internal public',
    ]);
    // Nothing is watched any more: further calls cost no lookups (the last report stays readable).
    await ram(HUB, 'POST', '/associateresourceshare', { resourceShareArn: shareArn, principals: [SPOKE] });
    const idle = await client.watchReport();
    expect(idle).toMatchObject({ watching: false, checks: after.checks });
    expect(idle.events).toHaveLength(after.events.length);
  });

  test('every call records the IAM authorizations it needs', async () => {
    const calls = fake.calls();
    const checksOf = (service: string, action: string) =>
      calls.find((c) => c.service === service && c.action === action && c.status === 200)?.checks;
    expect(checksOf('route53profiles', 'AssociateProfile')).toEqual(
      expect.arrayContaining([
        {
          action: 'route53profiles:AssociateProfile',
          resources: ['*'],
          context: { 'route53profiles:ResourceIds': [expect.stringMatching(/^vpc-/)] },
        },
        { action: 'ec2:DescribeVpcs', resources: ['*'], context: {} },
      ]),
    );
    expect(checksOf('route53profiles', 'AssociateResourceToProfile')).toEqual([
      {
        action: 'route53profiles:AssociateResourceToProfile',
        resources: ['*'],
        context: {
          'route53profiles:ResourceArns': [`arn:aws:route53:::hostedzone/${profileZone}`],
          'route53profiles:ResourceTypes': ['HostedZone'],
          'route53profiles:HostedZoneDomains': ['profile.example.internal'],
        },
      },
      { action: 'route53:GetHostedZone', resources: [`arn:aws:route53:::hostedzone/${profileZone}`], context: {} },
    ]);
    expect(checksOf('route53profiles', 'CreateProfile')).toEqual([
      { action: 'route53profiles:CreateProfile', resources: ['*'], context: { 'aws:TagKeys': ['project'] } },
      {
        action: 'route53profiles:TagResource',
        resources: [`arn:aws:route53profiles:${REGION}:${HUB}:profile/*`],
        context: { 'aws:TagKeys': ['project'] },
      },
    ]);
    // Sharing the Profile needs its permission-only policy actions (sharing-profiles.html).
    const sharing = calls.find((c) => c.action === 'AssociateResourceShare' && c.status === 200)?.checks;
    expect(sharing).toEqual([
      {
        action: 'ram:AssociateResourceShare',
        resources: [shareArn],
        context: {
          'ram:ResourceShareName': ['vpce-hub-profile'],
          'ram:AllowsExternalPrincipals': ['true'],
          'ram:ResourceArn': [profile.Arn],
          'ram:RequestedResourceType': ['route53profiles:Profile'],
        },
      },
      { action: 'route53profiles:GetProfilePolicy', resources: [profile.Arn], context: {} },
      { action: 'route53profiles:PutProfilePolicy', resources: [profile.Arn], context: {} },
    ]);
    const accept = calls.find((c) => c.action === 'AcceptResourceShareInvitation' && c.status === 200)?.checks;
    expect(accept).toEqual([
      {
        action: 'ram:AcceptResourceShareInvitation',
        resources: [expect.stringMatching(/:resource-share-invitation\//)],
        context: { 'ram:ShareOwnerAccountId': [HUB], 'ram:ResourceShareName': ['vpce-hub-profile'] },
      },
    ]);
    expect(checksOf('ram', 'GetResourceShares')).toEqual([
      { action: 'ram:GetResourceShares', resources: ['*'], context: {} },
    ]);
  });
});

// ---- Interface endpoints with private DNS, and Route 53 Profiles that hold them ----

describe('private DNS of interface endpoints, and Profiles that hold endpoints', () => {
  const EP_SPOKE = '500000000001';
  const HUB_VPC = 'vpc-0000000000000005a';
  const SPOKE_VPC = 'vpc-0000000000000005b';
  const DKR = `dkr.ecr.${REGION}.amazonaws.com`;
  const LOGS = `logs.${REGION}.amazonaws.com`;
  const LAYERS = `prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com`;
  const REGISTRY = `123456789012.${DKR}`;
  let logs: string;
  let dkr: string;
  let profile: { Id: string; Arn: string };

  const endpointArn = (id: string, account = HUB) => `arn:aws:ec2:${REGION}:${account}:vpc-endpoint/${id}`;

  async function createEndpoint(vpcId: string, service: string, params: Record<string, string> = {}) {
    const reply = await client.ec2(HUB, REGION, 'CreateVpcEndpoint', {
      VpcId: vpcId,
      ServiceName: `com.amazonaws.${REGION}.${service}`,
      VpcEndpointType: 'Interface',
      ...(vpcId === HUB_VPC ? { 'SubnetId.1': 'subnet-0000000000000005a' } : {}),
      ...params,
    });
    return xmlText(reply, 'vpcEndpointId') ?? '';
  }

  const modifyEndpoint = (id: string, params: Record<string, string>) =>
    client.ec2(HUB, REGION, 'ModifyVpcEndpoint', { VpcEndpointId: id, ...params });

  const associateEndpoint = (profileId: string, id: string, account = HUB) =>
    profiles(account, 'POST', '/profileresourceassociation', {
      Name: `endpoint-${id}`,
      ProfileId: profileId,
      ResourceArn: endpointArn(id),
    });

  beforeAll(async () => {
    await createVpc(HUB, HUB_VPC, '10.50.0.0/16');
    await client.ec2(HUB, REGION, 'CreateSubnet', {
      VpcId: HUB_VPC,
      CidrBlock: '10.50.1.0/24',
      AvailabilityZone: `${REGION}a`,
      'TagSpecification.1.ResourceType': 'subnet',
      'TagSpecification.1.Tag.1.Key': '_custom_id_',
      'TagSpecification.1.Tag.1.Value': 'subnet-0000000000000005a',
    });
    await createVpc(EP_SPOKE, SPOKE_VPC, '10.51.0.0/16');
  });

  test("an endpoint's private DNS answers its names in its own VPC; DescribeVpcEndpoints and DescribeVpcEndpointServices report them", async () => {
    logs = await createEndpoint(HUB_VPC, 'logs', { PrivateDnsEnabled: 'true' });
    dkr = await createEndpoint(HUB_VPC, 'ecr.dkr', { PrivateDnsEnabled: 'true' });
    const described = await client.ec2(HUB, REGION, 'DescribeVpcEndpoints', { 'VpcEndpointId.1': logs });
    expect(xmlText(described, 'privateDnsEnabled')).toBe('true');
    expect(described).toContain('<dnsOptions><dnsRecordIpType>ipv4</dnsRecordIpType></dnsOptions>');
    // The regional name stays first (alias records use it); the private DNS name comes last.
    const names = [...described.matchAll(/<dnsName>([^<]*)<\/dnsName>/g)].map((m) => m[1]);
    expect(names[0]).toMatch(new RegExp(`^${logs}-[0-9a-f]+\\.logs\\.${REGION}\\.vpce\\.amazonaws\\.com$`));
    expect(names.at(-1)).toBe(LOGS);

    expect(await client.resolve(HUB_VPC, LOGS)).toMatchObject({
      result: 'answer',
      via: 'direct',
      zone: { name: LOGS, account: HUB, privateDnsOf: logs },
      endpoint: { id: logs, service: 'logs', type: 'Interface', vpcId: HUB_VPC, account: HUB },
    });
    expect(await client.resolve(HUB_VPC, REGISTRY)).toMatchObject({
      result: 'answer',
      record: { name: `*.${DKR}`, type: 'A' },
      endpoint: { id: dkr, service: 'ecr.dkr' },
    });
    // ecr.dkr's private DNS name is the wildcard only: the apex has no answer.
    expect(await client.resolve(HUB_VPC, DKR)).toMatchObject({ result: 'NXDOMAIN', zone: { privateDnsOf: dkr } });

    const services = await client.ec2(HUB, REGION, 'DescribeVpcEndpointServices', {
      'ServiceName.1': `com.amazonaws.${REGION}.ecr.dkr`,
      'ServiceName.2': `com.amazonaws.${REGION}.s3`,
    });
    const details = [
      ...services.matchAll(/<serviceName>([^<]*)<\/serviceName>[\s\S]*?<serviceType><item><serviceType>(\w+)/g),
    ];
    expect(details.map((m) => `${m[1]} ${m[2]}`)).toEqual([
      `com.amazonaws.${REGION}.ecr.dkr Interface`,
      `com.amazonaws.${REGION}.s3 Interface`,
      `com.amazonaws.${REGION}.s3 Gateway`,
    ]);
    expect([...services.matchAll(/<privateDnsName>([^<]*)<\/privateDnsName>/g)].map((m) => m[1])).toEqual([
      `*.${DKR}`,
      `*.${DKR}`,
      `s3.${REGION}.amazonaws.com`,
      `s3.${REGION}.amazonaws.com`,
      `*.s3.${REGION}.amazonaws.com`,
    ]);
  });

  test('private DNS and a self-managed zone of the same name on one VPC conflict, both ways', async () => {
    // vpc-...a has the zones logs.<r> and dkr.ecr.<r> (earlier tests): EC2 refuses private DNS for them.
    await expect(createEndpoint('vpc-0000000000000000a', 'logs', { PrivateDnsEnabled: 'true' })).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: expect.stringContaining(
        `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${LOGS} in the VPC vpc-0000000000000000a`,
      ),
    });
    // For the wildcard *.dkr.ecr.<r>, the conflicting zone is dkr.ecr.<r>; on ModifyVpcEndpoint too.
    const off = await createEndpoint('vpc-0000000000000000a', 'ecr.dkr', { PrivateDnsEnabled: 'false' });
    await expect(modifyEndpoint(off, { PrivateDnsEnabled: 'true' })).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: expect.stringContaining(`conflicting DNS domain for ${DKR}`),
    });
    expect(
      xmlText(await client.ec2(HUB, REGION, 'DescribeVpcEndpoints', { 'VpcEndpointId.1': off }), 'privateDnsEnabled'),
    ).toBe('false');
    await client.ec2(HUB, REGION, 'DeleteVpcEndpoints', { 'VpcEndpointId.1': off });
    // A second endpoint of the service with private DNS in one VPC conflicts the same way.
    await expect(createEndpoint(HUB_VPC, 'logs', { PrivateDnsEnabled: 'true' })).rejects.toMatchObject({
      code: 'InvalidParameter',
    });

    // Route 53 refuses a zone named like an endpoint's private DNS zone on its VPC: created there, or associated.
    for (const name of [LOGS, DKR]) {
      const created = await route53(
        HUB,
        'POST',
        'hostedzone',
        `<CreateHostedZoneRequest><Name>${name}</Name><CallerReference>clash-${name}</CallerReference>${vpcXml(HUB_VPC)}</CreateHostedZoneRequest>`,
      );
      expect(xmlText(created.text, 'Code')).toBe('ConflictingDomainExists');
    }
    const hubLogsZone = (await client.zonesOf('vpc-0000000000000000a')).find((z) => z.name === LOGS)?.id ?? '';
    const associated = await route53(
      HUB,
      'POST',
      `hostedzone/${hubLogsZone}/associatevpc`,
      `<AssociateVPCWithHostedZoneRequest>${vpcXml(HUB_VPC)}</AssociateVPCWithHostedZoneRequest>`,
    );
    expect(xmlText(associated.text, 'Code')).toBe('ConflictingDomainExists');
    // Other names are no conflict: a more specific zone, or another service's.
    await createZone(HUB, `api.ecr.${REGION}.amazonaws.com`, HUB_VPC);
    await createZone(HUB, `x.${LOGS}`, HUB_VPC);
  });

  test('S3: only-inbound needs a gateway endpoint; with it VPC queries go to the gateway, without it to the interface endpoint', async () => {
    // AWS reads a missing PrivateDnsOnlyForInboundResolverEndpoint as true when private DNS turns on for S3.
    await expect(createEndpoint(HUB_VPC, 's3', { PrivateDnsEnabled: 'true' })).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: `InvalidParameter: To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC ${HUB_VPC} must have a Gateway endpoint for the service.`,
    });
    const s3 = await createEndpoint(HUB_VPC, 's3', {
      PrivateDnsEnabled: 'true',
      'DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint': 'false',
    });
    const described = await client.ec2(HUB, REGION, 'DescribeVpcEndpoints', { 'VpcEndpointId.1': s3 });
    expect(described).toContain(
      '<dnsOptions><dnsRecordIpType>ipv4</dnsRecordIpType>' +
        '<privateDnsOnlyForInboundResolverEndpoint>false</privateDnsOnlyForInboundResolverEndpoint></dnsOptions>',
    );
    expect(await client.resolve(HUB_VPC, LAYERS)).toMatchObject({
      result: 'answer',
      record: { name: `*.s3.${REGION}.amazonaws.com` },
      endpoint: { id: s3, service: 's3', type: 'Interface' },
    });
    expect(await client.resolve(HUB_VPC, `s3.${REGION}.amazonaws.com`)).toMatchObject({ endpoint: { id: s3 } });

    const inboundOnly = { 'DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint': 'true' };
    await expect(modifyEndpoint(s3, inboundOnly)).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(
      client.ec2(HUB, REGION, 'CreateVpcEndpoint', {
        VpcId: HUB_VPC,
        ServiceName: `com.amazonaws.${REGION}.s3`,
        VpcEndpointType: 'Gateway',
        'RouteTableId.1': 'rtb-0000000000000005a',
        ...inboundOnly,
      }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      message:
        'InvalidParameter: DnsOptions PrivateDnsOnlyForInboundResolverEndpoint is applicable only to Interface VPC Endpoints.',
    });
    await expect(modifyEndpoint(logs, inboundOnly)).rejects.toMatchObject({ code: 'InvalidParameter' });
    const gateway = await client.ec2(HUB, REGION, 'CreateVpcEndpoint', {
      VpcId: HUB_VPC,
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcEndpointType: 'Gateway',
      'RouteTableId.1': 'rtb-0000000000000005a',
    });
    await modifyEndpoint(s3, inboundOnly);
    expect(await client.resolve(HUB_VPC, LAYERS)).toMatchObject({
      result: 'public',
      gatewayEndpoint: { id: xmlText(gateway, 'vpcEndpointId'), service: 's3' },
    });
    await modifyEndpoint(s3, { 'DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint': 'false' });
    expect(await client.resolve(HUB_VPC, LAYERS)).toMatchObject({ endpoint: { id: s3 } });
  });

  test('a Profile holds endpoints: a spoke VPC of another account resolves their private DNS names through it', async () => {
    profile = await createProfile(HUB, 'endpoints');
    const created = await associateEndpoint(profile.Id, dkr);
    expect(created.body.ProfileResourceAssociation).toMatchObject({
      Status: 'CREATING',
      ResourceArn: endpointArn(dkr),
      ResourceType: 'VPC_ENDPOINT',
      OwnerId: HUB,
    });
    // No ResourceProperties unless the request had some: the provider before 6.3.0 fails on them.
    expect(created.body.ProfileResourceAssociation.ResourceProperties).toBeUndefined();
    const id = created.body.ProfileResourceAssociation.Id;
    expect(
      (await profiles(HUB, 'GET', `/profileresourceassociation/${id}`)).body.ProfileResourceAssociation,
    ).toMatchObject({
      Status: 'COMPLETE',
      ResourceArn: endpointArn(dkr),
      ResourceType: 'VPC_ENDPOINT',
    });
    expect((await associateEndpoint(profile.Id, logs)).status).toBe(200);
    const listed = await profiles(
      HUB,
      'GET',
      `/profileresourceassociations/profileid/${profile.Id}?resourceType=VPC_ENDPOINT`,
    );
    expect(listed.body.ProfileResourceAssociations).toHaveLength(2);

    // Refused: the same endpoint again, one without private DNS, a gateway endpoint, another account's, none.
    expect((await associateEndpoint(profile.Id, dkr)).code).toBe('ConflictException');
    const withoutDns = await createEndpoint(HUB_VPC, 'sts', { PrivateDnsEnabled: 'false' });
    expect((await associateEndpoint(profile.Id, withoutDns)).code).toBe('InvalidParameterException');
    const gateway = await client.ec2(HUB, REGION, 'DescribeVpcEndpoints', {
      'Filter.1.Name': 'vpc-endpoint-type',
      'Filter.1.Value.1': 'Gateway',
      'Filter.2.Name': 'vpc-id',
      'Filter.2.Value.1': HUB_VPC,
    });
    expect((await associateEndpoint(profile.Id, xmlText(gateway, 'vpcEndpointId') ?? '')).code).toBe(
      'InvalidParameterException',
    );
    const foreign = await profiles(HUB, 'POST', '/profileresourceassociation', {
      Name: 'foreign',
      ProfileId: profile.Id,
      ResourceArn: endpointArn('vpce-0123456789abcdef0', OTHER),
    });
    expect(foreign.code).toBe('AccessDeniedException');
    expect((await associateEndpoint(profile.Id, 'vpce-0nosuchendpoint')).code).toBe('ResourceNotFoundException');

    // Share the Profile with the spoke account (outside any organization: an invitation it accepts).
    const share = await createShare(HUB, 'vpce-hub-endpoints');
    await shareWith(HUB, share, { resourceArns: [profile.Arn] });
    await shareWith(HUB, share, { principals: [EP_SPOKE] });
    const invitation = (await ram(EP_SPOKE, 'POST', '/getresourceshareinvitations', { resourceShareArns: [share] }))
      .body.resourceShareInvitations[0].resourceShareInvitationArn;
    await ram(EP_SPOKE, 'POST', '/acceptresourceshareinvitation', { resourceShareInvitationArn: invitation });
    expect((await associateVpc(EP_SPOKE, profile.Id, SPOKE_VPC)).status).toBe(200);

    expect(await client.resolve(SPOKE_VPC, REGISTRY)).toMatchObject({
      result: 'answer',
      via: 'profile',
      profileId: profile.Id,
      zone: { name: DKR, account: HUB, privateDnsOf: dkr },
      record: { name: `*.${DKR}` },
      endpoint: { id: dkr, service: 'ecr.dkr', type: 'Interface', vpcId: HUB_VPC, account: HUB },
    });
    expect(await client.resolve(SPOKE_VPC, LOGS)).toMatchObject({
      result: 'answer',
      via: 'profile',
      endpoint: { id: logs, vpcId: HUB_VPC },
    });
    expect(await client.resolve(SPOKE_VPC, DKR)).toMatchObject({ result: 'NXDOMAIN', via: 'profile' });
    expect(await client.resolve(SPOKE_VPC, `sts.${REGION}.amazonaws.com`)).toMatchObject({ result: 'public' });
    expect((await client.visibleZones(SPOKE_VPC)).map((z) => `${z.name} ${z.via} ${z.privateDnsOf}`).sort()).toEqual([
      `${DKR} profile ${dkr}`,
      `${LOGS} profile ${logs}`,
    ]);

    // IAM: the association is authorized with the resource type VPCEndpoint.
    const checks = fake
      .calls()
      .find(
        (c) => c.action === 'AssociateResourceToProfile' && c.status === 200 && JSON.stringify(c.checks).includes(dkr),
      )?.checks;
    expect(checks?.[0]).toEqual({
      action: 'route53profiles:AssociateResourceToProfile',
      resources: ['*'],
      context: { 'route53profiles:ResourceArns': [endpointArn(dkr)], 'route53profiles:ResourceTypes': ['VPCEndpoint'] },
    });

    // On request, AWS's own ResourceProperties: the service name and the managed zones, fully qualified.
    await client.setEndpointResourceProperties(true);
    const properties = (await profiles(HUB, 'GET', `/profileresourceassociation/${id}`)).body.ProfileResourceAssociation
      .ResourceProperties;
    await client.setEndpointResourceProperties(false);
    expect(Object.entries(JSON.parse(properties))).toEqual([
      ['ServiceName', `com.amazonaws.${REGION}.ecr.dkr.`],
      [expect.stringMatching(/^Z[0-9A-Z]{20}$/), `${DKR}.`],
    ]);
  });

  test('S3 through the Profile: only-inbound true serves no VPC query, false serves the interface endpoint', async () => {
    const s3 =
      (
        await client.ec2(HUB, REGION, 'DescribeVpcEndpoints', {
          'Filter.1.Name': 'service-name',
          'Filter.1.Value.1': `com.amazonaws.${REGION}.s3`,
          'Filter.2.Name': 'vpc-endpoint-type',
          'Filter.2.Value.1': 'Interface',
          'Filter.3.Name': 'vpc-id',
          'Filter.3.Value.1': HUB_VPC,
        })
      ).match(/<vpcEndpointId>([^<]*)</)?.[1] ?? '';
    expect((await associateEndpoint(profile.Id, s3)).status).toBe(200);
    expect(await client.resolve(SPOKE_VPC, LAYERS)).toMatchObject({ via: 'profile', endpoint: { id: s3 } });
    await modifyEndpoint(s3, { 'DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint': 'true' });
    // The spoke has no gateway endpoint of its own: public DNS.
    expect(await client.resolve(SPOKE_VPC, LAYERS)).toMatchObject({ result: 'public' });
    expect((await client.resolve(SPOKE_VPC, LAYERS)).gatewayEndpoint).toBeUndefined();
    await modifyEndpoint(s3, { 'DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint': 'false' });
    expect(await client.resolve(SPOKE_VPC, LAYERS)).toMatchObject({ result: 'answer', endpoint: { id: s3 } });
  });

  test('the watch counts outcomes per host and tells names that stopped answering from names that never did', async () => {
    const started = await client.watch([SPOKE_VPC], [REGISTRY, LOGS, DKR]);
    expect(started.baseline.map((b) => `${b.host} ${b.outcome}`)).toEqual([
      `${REGISTRY} endpoint`,
      `${LOGS} endpoint`,
      `${DKR} NXDOMAIN`,
    ]);
    // Private DNS off on the hub's logs endpoint: the Profile no longer serves logs (an EC2 call the watch sees).
    await modifyEndpoint(logs, { PrivateDnsEnabled: 'false' });
    await modifyEndpoint(logs, { PrivateDnsEnabled: 'true' });
    const report = await client.unwatch();
    expect(report.checks).toBe(3);
    expect(report.events.map((e) => `${e.action} ${e.host} ${e.outcome} ${e.regression}`)).toEqual([
      `watch start ${DKR} NXDOMAIN false`,
      `ModifyVpcEndpoint ${LOGS} public true`,
      `ModifyVpcEndpoint ${DKR} NXDOMAIN false`,
      `ModifyVpcEndpoint ${DKR} NXDOMAIN false`,
    ]);
    expect(report.tally).toEqual({
      [REGISTRY]: { endpoint: 3 },
      [LOGS]: { endpoint: 2, public: 1 },
      [DKR]: { NXDOMAIN: 3 },
    });
    // logs answered again after the second call; the apex of dkr never answered, so never recovered.
    expect(report.recoveries.map((r) => `${r.action} ${r.vpcId} ${r.host} ${r.outcome}`)).toEqual([
      `ModifyVpcEndpoint ${SPOKE_VPC} ${LOGS} endpoint`,
    ]);
    expect(Date.parse(report.recoveries[0].time)).toBeGreaterThanOrEqual(Date.parse(report.events[1].time));
  });

  test("turning private DNS on needs route53:AssociateVPCWithHostedZone on the endpoint's VPC; off does not", () => {
    // The calls of this block: on the hub VPC, or on its endpoints.
    const ours = (c: CallRecord) =>
      (c.checks ?? []).some((k) => k.resources.some((r) => r.endsWith(`vpc/${HUB_VPC}`) || r.endsWith(`/${logs}`)));
    const route53 = (action: string) =>
      fake
        .calls()
        .filter((c) => c.action === action && c.status === 200 && ours(c))
        .map((c) => (c.checks ?? []).filter((k) => k.action === 'route53:AssociateVPCWithHostedZone'));
    const associate = {
      action: 'route53:AssociateVPCWithHostedZone',
      resources: ['arn:aws:route53:::hostedzone/*'],
      context: { 'route53:VPCs': [`VPCId=${HUB_VPC},VPCRegion=${REGION}`] },
    };
    // Created with private DNS (the first two endpoints), then off and on again (the watch test).
    expect(route53('CreateVpcEndpoint').slice(0, 2)).toEqual([[associate], [associate]]);
    const modified = route53('ModifyVpcEndpoint');
    expect(modified).toContainEqual([]);
    expect(modified).toContainEqual([associate]);
  });

  test("a zone associated directly with the VPC wins over the Profile's endpoint name; the most specific name wins", async () => {
    // The spoke's own dkr.ecr zone: it answers alone for every name below it (NXDOMAIN for the others).
    const own = await createZone(EP_SPOKE, DKR, SPOKE_VPC);
    await changeRecords(EP_SPOKE, own, aRecord('CREATE', REGISTRY));
    expect(await client.resolve(SPOKE_VPC, REGISTRY)).toMatchObject({
      result: 'answer',
      via: 'direct',
      zone: { id: own, account: EP_SPOKE },
    });
    expect((await client.resolve(SPOKE_VPC, REGISTRY)).endpoint).toBeUndefined();
    expect(await client.resolve(SPOKE_VPC, `999999999999.${DKR}`)).toMatchObject({
      result: 'NXDOMAIN',
      via: 'direct',
    });
    // A less specific direct zone does not shadow the Profile's more specific endpoint name.
    const wide = await createZone(EP_SPOKE, `${REGION}.amazonaws.com`, SPOKE_VPC);
    expect(await client.resolve(SPOKE_VPC, LOGS)).toMatchObject({ via: 'profile', endpoint: { id: logs } });
    expect(await client.resolve(SPOKE_VPC, `sts.${REGION}.amazonaws.com`)).toMatchObject({
      result: 'NXDOMAIN',
      zone: { id: wide },
    });
  });
});
