/**
 * The fake AWS as the live doctor reads it: through the AWS SDK for JavaScript v3 (Route 53, EC2,
 * STS) and SigV4-signed Route 53 Profiles REST calls, pointed at the fake. The VPC DNS settings and
 * DHCP options a VPC's resolution depends on, the resolver's NODATA / no-dns / custom-dns answers,
 * paging, throttling in each service's wire format, the IAM checks of the read actions, and the
 * world builder.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DescribeDhcpOptionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  GetHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  ListVPCAssociationAuthorizationsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsEndpointClient } from '../test/fake-aws/client';
import { resolveName } from '../test/fake-aws/resolver';
import { FakeAws, type CallRecord } from '../test/fake-aws/server';
import { defaultDhcpOptionsId } from '../test/fake-aws/vpc-dns';
import { deployedWorld, startDeployedWorld } from '../test/fake-aws/world-builder';
import { ACCOUNTS_YAML, configFrom, HUB_YAML } from './helpers/config';
import { actionsOf, statementProblems } from './helpers/service-authorization';

const REGION = 'eu-west-1';
const HUB = '110000000001';
const SPOKE = '210000000001';

let fake: FakeAws;
let client: AwsEndpointClient;

const credentials = (account: string) => ({ accessKeyId: account, secretAccessKey: 'fake-secret' });
const ec2Of = (account: string, maxAttempts = 3) =>
  new EC2Client({ region: REGION, endpoint: fake.url, credentials: credentials(account), maxAttempts });
const route53Of = (account: string, maxAttempts = 3) =>
  new Route53Client({ region: 'us-east-1', endpoint: fake.url, credentials: credentials(account), maxAttempts });
const stsOf = (account: string, maxAttempts = 3) =>
  new STSClient({ region: REGION, endpoint: fake.url, credentials: credentials(account), maxAttempts });

/** A SigV4-signed REST-JSON call (Route 53 Profiles, RAM), as the live doctor makes it. */
async function signedJson(
  account: string,
  service: 'route53profiles' | 'ram',
  method: string,
  path: string,
  options: { query?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const url = new URL(fake.url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const signer = new SignatureV4({ service, region: REGION, credentials: credentials(account), sha256: Sha256 });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: options.query ?? {},
    headers: { host: url.host, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const search = new URLSearchParams(options.query ?? {}).toString();
  const response = await fetch(`${fake.url}${path}${search ? `?${search}` : ''}`, {
    method,
    headers: signed.headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as never) : {} };
}

async function newVpc(account: string, cidr: string): Promise<string> {
  const reply = await ec2Of(account).send(new CreateVpcCommand({ CidrBlock: cidr }));
  return reply.Vpc?.VpcId ?? '';
}

async function newZone(account: string, name: string, vpcId: string): Promise<string> {
  const reply = await route53Of(account).send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Math.random()}`,
      VPC: { VPCId: vpcId, VPCRegion: REGION },
      HostedZoneConfig: { PrivateZone: true },
    }),
  );
  return (reply.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

const upsert = (set: ResourceRecordSet): Change => ({ Action: 'UPSERT', ResourceRecordSet: set });
const aRecord = (name: string, ip = '10.0.0.10'): ResourceRecordSet => ({
  Name: name,
  Type: 'A',
  TTL: 60,
  ResourceRecords: [{ Value: ip }],
});

async function changeRecords(account: string, zoneId: string, changes: Change[]): Promise<void> {
  await route53Of(account).send(
    new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
  );
}

beforeAll(async () => {
  fake = await FakeAws.start();
  client = new AwsEndpointClient(fake.url);
});

afterAll(() => fake.close());

describe('EC2: VPC DNS attributes and DHCP options, through the AWS SDK', () => {
  test("a new VPC has AWS's defaults: DNS support on, DNS hostnames off, the account's default DHCP options", async () => {
    const ec2 = ec2Of(HUB);
    const vpcId = await newVpc(HUB, '10.10.0.0/16');
    const support = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
    expect(support).toMatchObject({ VpcId: vpcId, EnableDnsSupport: { Value: true } });
    expect(support.EnableDnsHostnames).toBeUndefined();
    const hostnames = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }),
    );
    expect(hostnames.EnableDnsHostnames).toEqual({ Value: false });

    const vpcs = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    const dopt = vpcs.Vpcs?.[0]?.DhcpOptionsId;
    expect(dopt).toBe(defaultDhcpOptionsId(HUB, REGION));
    const sets = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [dopt ?? ''] }));
    expect(sets.DhcpOptions?.[0]).toMatchObject({
      DhcpOptionsId: dopt,
      OwnerId: HUB,
      DhcpConfigurations: expect.arrayContaining([
        { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
        { Key: 'domain-name', Values: [{ Value: `${REGION}.compute.internal` }] },
      ]),
    });
  });

  test('ModifyVpcAttribute sets one attribute a request; DNS hostnames only with DNS support', async () => {
    const ec2 = ec2Of(HUB);
    const vpcId = await newVpc(HUB, '10.11.0.0/16');
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const hostnames = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }),
    );
    expect(hostnames.EnableDnsHostnames?.Value).toBe(true);
    await expect(
      ec2.send(
        new ModifyVpcAttributeCommand({
          VpcId: vpcId,
          EnableDnsSupport: { Value: false },
          EnableDnsHostnames: { Value: false },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: false } }));
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: false } }));
    await expect(
      ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const support = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
    expect(support.EnableDnsSupport?.Value).toBe(false);
    // Another account's VPC is not found, by any action; another Region's VPCs are not listed.
    await expect(
      ec2Of(SPOKE).send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
    ).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    await expect(ec2Of(SPOKE).send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
    });
    const elsewhere = new EC2Client({ region: 'us-west-2', endpoint: fake.url, credentials: credentials(HUB) });
    expect((await elsewhere.send(new DescribeVpcsCommand({}))).Vpcs ?? []).toEqual([]);
  });

  test('CreateDhcpOptions, AssociateDhcpOptions (and default), DescribeDhcpOptions by ID and filter, DeleteDhcpOptions', async () => {
    const ec2 = ec2Of(HUB);
    const vpcId = await newVpc(HUB, '10.12.0.0/16');
    const created = await ec2.send(
      new CreateDhcpOptionsCommand({
        DhcpConfigurations: [
          { Key: 'domain-name-servers', Values: ['10.99.0.2', '10.99.0.3'] },
          { Key: 'domain-name', Values: ['corp.example'] },
        ],
        TagSpecifications: [{ ResourceType: 'dhcp-options', Tags: [{ Key: 'Name', Value: 'corp' }] }],
      }),
    );
    const id = created.DhcpOptions?.DhcpOptionsId ?? '';
    expect(id).toMatch(/^dopt-/);
    expect(created.DhcpOptions?.Tags).toEqual([{ Key: 'Name', Value: 'corp' }]);
    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: id }));
    const vpc = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'dhcp-options-id', Values: [id] }] }));
    expect(vpc.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    const byKey = await ec2.send(
      new DescribeDhcpOptionsCommand({ Filters: [{ Name: 'value', Values: ['10.99.0.3'] }] }),
    );
    expect(byKey.DhcpOptions?.map((d) => d.DhcpOptionsId)).toEqual([id]);
    expect(byKey.DhcpOptions?.[0].DhcpConfigurations).toContainEqual({
      Key: 'domain-name-servers',
      Values: [{ Value: '10.99.0.2' }, { Value: '10.99.0.3' }],
    });
    await expect(ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    await expect(ec2Of(SPOKE).send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [id] }))).rejects.toMatchObject({
      name: 'InvalidDhcpOptionID.NotFound',
    });

    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: 'default' }));
    const none = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(none.Vpcs?.[0]?.DhcpOptionsId).toBe('default');
    await ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id }));
    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: defaultDhcpOptionsId(HUB, REGION) }));
    const back = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(back.Vpcs?.[0]?.DhcpOptionsId).toBe(defaultDhcpOptionsId(HUB, REGION));
  });

  test('DescribeVpcs and DescribeVpcEndpoints page (MaxResults, NextToken); endpoints, rules and interfaces by ID and filter', async () => {
    const account = '120000000001';
    const ec2 = ec2Of(account);
    const vpcIds: string[] = [];
    for (let i = 0; i < 7; i++) vpcIds.push(await newVpc(account, `10.20.${i}.0/24`));
    const pages: string[][] = [];
    for await (const page of paginateDescribeVpcs({ client: ec2, pageSize: 5 }, {})) {
      pages.push((page.Vpcs ?? []).map((v) => v.VpcId ?? ''));
    }
    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages.flat()).toEqual(vpcIds);
    const two = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcIds[1], vpcIds[3]] }));
    expect(two.Vpcs?.map((v) => v.VpcId)).toEqual([vpcIds[1], vpcIds[3]]);
    const filtered = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcIds[6]] }] }));
    expect(filtered.Vpcs?.map((v) => v.VpcId)).toEqual([vpcIds[6]]);
    await expect(ec2.send(new DescribeVpcsCommand({ MaxResults: 3 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(ec2.send(new DescribeVpcsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'InvalidPaginationToken',
    });

    // Endpoints in the first VPC, with a subnet and a security group.
    const vpcId = vpcIds[0];
    await client.ec2(account, REGION, 'CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: '10.20.0.0/26',
      AvailabilityZone: `${REGION}a`,
      'TagSpecification.1.ResourceType': 'subnet',
      'TagSpecification.1.Tag.1.Key': '_custom_id_',
      'TagSpecification.1.Tag.1.Value': 'subnet-0000000000000120a',
    });
    const group = await client.ec2(account, REGION, 'CreateSecurityGroup', {
      VpcId: vpcId,
      GroupName: 'endpoints',
      GroupDescription: 'endpoints',
    });
    const groupId = /<groupId>([^<]+)<\/groupId>/.exec(group)?.[1] ?? '';
    await client.ec2(account, REGION, 'AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '443',
      'IpPermissions.1.ToPort': '443',
      'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8',
    });
    for (const service of ['logs', 'sts', 'kms']) {
      await client.ec2(account, REGION, 'CreateVpcEndpoint', {
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${REGION}.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: 'false',
        'SubnetId.1': 'subnet-0000000000000120a',
        'SecurityGroupId.1': groupId,
      });
    }
    const endpointPages: string[][] = [];
    for await (const page of paginateDescribeVpcEndpoints(
      { client: ec2, pageSize: 2 },
      { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] },
    )) {
      endpointPages.push((page.VpcEndpoints ?? []).map((e) => e.ServiceName ?? ''));
    }
    expect(endpointPages).toEqual([
      [`com.amazonaws.${REGION}.logs`, `com.amazonaws.${REGION}.sts`],
      [`com.amazonaws.${REGION}.kms`],
    ]);
    const all = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const first = all.VpcEndpoints?.[0];
    const byId = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [first?.VpcEndpointId ?? ''] }));
    expect(byId.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual([first?.VpcEndpointId]);
    expect(first?.Groups).toEqual([{ GroupId: groupId, GroupName: 'endpoints' }]);

    const rules = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
    );
    expect(rules.SecurityGroupRules).toContainEqual(
      expect.objectContaining({ GroupId: groupId, IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    );
    const enis = await ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: first?.NetworkInterfaceIds ?? [] }),
    );
    expect(enis.NetworkInterfaces).toEqual([
      expect.objectContaining({
        NetworkInterfaceId: first?.NetworkInterfaceIds?.[0],
        SubnetId: 'subnet-0000000000000120a',
        PrivateIpAddress: expect.stringMatching(/^10\.20\.0\./),
        Groups: [{ GroupId: groupId, GroupName: 'endpoints' }],
      }),
    ]);
  });
});

describe('the resolver: DNS support, DHCP options, and what answers an A query', () => {
  let vpcId: string;
  const NAME = 'resolve.example.internal';

  beforeAll(async () => {
    vpcId = await newVpc(HUB, '10.30.0.0/16');
    const zoneId = await newZone(HUB, NAME, vpcId);
    const target = `target.${NAME}`;
    await changeRecords(HUB, zoneId, [
      upsert(aRecord(`a.${NAME}`)),
      upsert(aRecord(target)),
      upsert({ Name: `v6.${NAME}`, Type: 'AAAA', TTL: 60, ResourceRecords: [{ Value: 'fd00::10' }] }),
      upsert({ Name: `both.${NAME}`, Type: 'AAAA', TTL: 60, ResourceRecords: [{ Value: 'fd00::11' }] }),
      upsert(aRecord(`both.${NAME}`)),
      upsert({ Name: `cname.${NAME}`, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: target }] }),
      upsert({
        Name: `alias-cname.${NAME}`,
        Type: 'CNAME',
        AliasTarget: { HostedZoneId: zoneId, DNSName: target, EvaluateTargetHealth: false },
      }),
      upsert(aRecord(`*.wild.${NAME}`)),
      upsert({ Name: `txt.wild.${NAME}`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] }),
      upsert({ Name: `*.v6wild.${NAME}`, Type: 'AAAA', TTL: 60, ResourceRecords: [{ Value: 'fd00::12' }] }),
    ]);
  });

  const resolve = (host: string, vpc = vpcId) => client.resolve(vpc, host);

  test('only an A record or a plain CNAME answers; a name with other types only is NODATA, and no wildcard answers it', async () => {
    expect(await resolve(`a.${NAME}`)).toMatchObject({ result: 'answer', record: { type: 'A' } });
    expect(await resolve(`both.${NAME}`)).toMatchObject({ result: 'answer', record: { type: 'A' } });
    expect(await resolve(`cname.${NAME}`)).toMatchObject({ result: 'answer', record: { type: 'CNAME' } });
    expect(await resolve(`v6.${NAME}`)).toMatchObject({
      result: 'NODATA',
      record: { name: `v6.${NAME}`, type: 'AAAA' },
      reason: expect.stringContaining('AAAA'),
    });
    expect(await resolve(`alias-cname.${NAME}`)).toMatchObject({ result: 'NODATA', record: { type: 'CNAME' } });
    expect(await resolve(`other.wild.${NAME}`)).toMatchObject({ result: 'answer', record: { name: `*.wild.${NAME}` } });
    expect(await resolve(`txt.wild.${NAME}`)).toMatchObject({ result: 'NODATA', record: { type: 'TXT' } });
    expect(await resolve(`x.v6wild.${NAME}`)).toMatchObject({ result: 'NODATA', record: { type: 'AAAA' } });
    expect(await resolve(`missing.${NAME}`)).toMatchObject({ result: 'NXDOMAIN' });
    expect(await resolve('example.com')).toMatchObject({ result: 'public' });
  });

  test('with enableDnsSupport false the VPC resolves nothing (no-dns); the watch records it with its call', async () => {
    await client.watch([vpcId], [`a.${NAME}`]);
    await ec2Of(HUB).send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: false } }));
    expect(await resolve(`a.${NAME}`)).toMatchObject({
      result: 'no-dns',
      reason: expect.stringContaining('enableDnsSupport'),
    });
    expect(await resolve('example.com')).toMatchObject({ result: 'no-dns' });
    await ec2Of(HUB).send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
    expect(await resolve(`a.${NAME}`)).toMatchObject({ result: 'answer' });
    const report = await client.unwatch();
    expect(report.events).toEqual([
      expect.objectContaining({ action: 'ModifyVpcAttribute', result: 'no-dns', outcome: 'no-dns', regression: true }),
    ]);
    expect(report.recoveries).toEqual([expect.objectContaining({ action: 'ModifyVpcAttribute', outcome: 'record' })]);
  });

  test("DHCP options that hand out another DNS server first, or none, keep the VPC's zones away (custom-dns)", async () => {
    const ec2 = ec2Of(HUB);
    const options = async (servers: string[]) => {
      const set = await ec2.send(
        new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name-servers', Values: servers }] }),
      );
      const id = set.DhcpOptions?.DhcpOptionsId ?? '';
      await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: id }));
      return id;
    };
    const custom = await options(['192.168.0.53', 'AmazonProvidedDNS']);
    expect(await resolve(`a.${NAME}`)).toMatchObject({
      result: 'custom-dns',
      dnsServers: ['192.168.0.53', 'AmazonProvidedDNS'],
      reason: expect.stringContaining(custom),
    });
    // The Amazon-provided resolver under any of its names answers as before.
    for (const servers of [['AmazonProvidedDNS', '192.168.0.53'], ['10.30.0.2'], ['169.254.169.253']]) {
      await options(servers);
      expect(await resolve(`a.${NAME}`)).toMatchObject({ result: 'answer' });
    }
    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: 'default' }));
    expect(await resolve(`a.${NAME}`)).toMatchObject({ result: 'custom-dns', dnsServers: [] });
    await ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: defaultDhcpOptionsId(HUB, REGION) }));
    expect(await resolve(`a.${NAME}`)).toMatchObject({ result: 'answer' });
  });
});

describe('Route 53 reads page as Route 53 does', () => {
  const account = '130000000001';

  test('ListResourceRecordSets: 300 a page, then from NextRecordName / NextRecordType', async () => {
    const vpcId = await newVpc(account, '10.40.0.0/16');
    const zoneId = await newZone(account, 'many.example.internal', vpcId);
    const changes = Array.from({ length: 650 }, (_, i) =>
      upsert(aRecord(`r${String(i).padStart(3, '0')}.many.example.internal`)),
    );
    await changeRecords(account, zoneId, changes);
    const route53 = route53Of(account);
    const seen: string[] = [];
    const sizes: number[] = [];
    let start: { name?: string; type?: string } = {};
    for (;;) {
      const page = await route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          StartRecordName: start.name,
          StartRecordType: start.type as never,
        }),
      );
      sizes.push(page.ResourceRecordSets?.length ?? 0);
      seen.push(...(page.ResourceRecordSets ?? []).map((r) => `${r.Name} ${r.Type}`));
      if (!page.IsTruncated) break;
      start = { name: page.NextRecordName, type: page.NextRecordType };
    }
    expect(sizes).toEqual([300, 300, 52]);
    expect(new Set(seen).size).toBe(652);
    await expect(
      route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' })),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
    const small = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 10 }));
    expect(small).toMatchObject({ IsTruncated: true, MaxItems: 10 });
    expect(small.ResourceRecordSets).toHaveLength(10);
  });

  test('ListHostedZonesByVPC: MaxItems and NextToken; GetHostedZone', async () => {
    const vpcId = await newVpc(account, '10.41.0.0/16');
    const zones: string[] = [];
    for (let i = 0; i < 5; i++) zones.push(await newZone(account, `z${i}.byvpc.internal`, vpcId));
    const route53 = route53Of(account);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await route53.send(
        new ListHostedZonesByVPCCommand({ VPCId: vpcId, VPCRegion: REGION, MaxItems: 2, NextToken: token }),
      );
      pages.push((page.HostedZoneSummaries ?? []).map((z) => z.HostedZoneId ?? ''));
      expect(page.HostedZoneSummaries?.[0]?.Owner).toEqual({ OwningAccount: account });
      token = page.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(zones);
    const all = await route53.send(new ListHostedZonesByVPCCommand({ VPCId: vpcId, VPCRegion: REGION }));
    expect(all.HostedZoneSummaries).toHaveLength(5);
    expect(all.NextToken).toBeUndefined();
    await expect(
      route53.send(new ListHostedZonesByVPCCommand({ VPCId: vpcId, VPCRegion: REGION, NextToken: 'forged' })),
    ).rejects.toMatchObject({ name: 'InvalidPaginationToken' });

    const zone = await route53.send(new GetHostedZoneCommand({ Id: zones[0] }));
    expect(zone.HostedZone).toMatchObject({ Name: 'z0.byvpc.internal.', Config: { PrivateZone: true } });
    expect(zone.VPCs).toEqual([{ VPCId: vpcId, VPCRegion: REGION }]);
  });

  test('ListVPCAssociationAuthorizations: 50 a page by default, MaxResults fewer, NextToken on', async () => {
    const vpcId = await newVpc(account, '10.42.0.0/16');
    const zoneId = await newZone(account, 'authorized.example.internal', vpcId);
    const route53 = route53Of(account);
    const spokeVpcs = Array.from({ length: 60 }, (_, i) => `vpc-${(0x5000 + i).toString(16).padStart(17, '0')}`);
    for (const spokeVpc of spokeVpcs) {
      await route53.send(
        new CreateVPCAssociationAuthorizationCommand({
          HostedZoneId: zoneId,
          VPC: { VPCId: spokeVpc, VPCRegion: REGION },
        }),
      );
    }
    const list = async (maxResults?: number) => {
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await route53.send(
          new ListVPCAssociationAuthorizationsCommand({
            HostedZoneId: zoneId,
            MaxResults: maxResults,
            NextToken: token,
          }),
        );
        pages.push((page.VPCs ?? []).map((v) => v.VPCId ?? ''));
        token = page.NextToken;
      } while (token);
      return pages;
    };
    const byDefault = await list();
    expect(byDefault.map((p) => p.length)).toEqual([50, 10]);
    expect(byDefault.flat()).toEqual(spokeVpcs);
    expect((await list(25)).map((p) => p.length)).toEqual([25, 25, 10]);
    expect((await list(200)).map((p) => p.length)).toEqual([50, 10]);
  });
});

describe('Route 53 Profiles reads page (maxResults, nextToken), through SigV4-signed REST calls', () => {
  const owner = '140000000001';

  test('ListProfiles, ListProfileAssociations (by profileId and resourceId) and ListProfileResourceAssociations', async () => {
    const profiles: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await signedJson(owner, 'route53profiles', 'POST', '/profile', {
        body: { Name: `paged-${i}`, ClientToken: `paged-${i}-${Math.random()}` },
      });
      expect(created.status).toBe(200);
      profiles.push((created.json.Profile as { Id: string }).Id);
    }
    const listAll = async (path: string, member: string, query: Record<string, string>) => {
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const reply = await signedJson(owner, 'route53profiles', 'GET', path, {
          query: { ...query, ...(token ? { nextToken: token } : {}) },
        });
        expect(reply.status).toBe(200);
        pages.push((reply.json[member] as Array<{ Id: string }>).map((x) => x.Id));
        token = reply.json.NextToken as string | undefined;
      } while (token);
      return pages;
    };
    const profilePages = await listAll('/profiles', 'ProfileSummaries', { maxResults: '2' });
    expect(profilePages.map((p) => p.length)).toEqual([2, 1]);
    expect(profilePages.flat()).toEqual(profiles);

    const vpcs: string[] = [];
    const zones: string[] = [];
    for (let i = 0; i < 3; i++) {
      const vpcId = await newVpc(owner, `10.5${i}.0.0/16`);
      vpcs.push(vpcId);
      zones.push(await newZone(owner, `p${i}.profiles.internal`, vpcId));
      const associated = await signedJson(owner, 'route53profiles', 'POST', '/profileassociation', {
        body: { Name: `vpc-${i}`, ProfileId: profiles[0], ResourceId: vpcId },
      });
      expect(associated.status).toBe(200);
      const held = await signedJson(owner, 'route53profiles', 'POST', '/profileresourceassociation', {
        body: { Name: `zone-${i}`, ProfileId: profiles[0], ResourceArn: `arn:aws:route53:::hostedzone/${zones[i]}` },
      });
      expect(held.status).toBe(200);
    }
    const associations = await listAll('/profileassociations', 'ProfileAssociations', {
      profileId: profiles[0],
      maxResults: '2',
    });
    expect(associations.map((p) => p.length)).toEqual([2, 1]);
    const ofVpc = await signedJson(owner, 'route53profiles', 'GET', '/profileassociations', {
      query: { resourceId: vpcs[1] },
    });
    expect(ofVpc.json.ProfileAssociations).toEqual([
      expect.objectContaining({ ProfileId: profiles[0], ResourceId: vpcs[1] }),
    ]);
    expect(ofVpc.json.NextToken).toBeUndefined();
    const resources = await listAll(
      `/profileresourceassociations/profileid/${profiles[0]}`,
      'ProfileResourceAssociations',
      { maxResults: '2' },
    );
    expect(resources.map((p) => p.length)).toEqual([2, 1]);

    const forged = await signedJson(owner, 'route53profiles', 'GET', '/profiles', { query: { nextToken: 'forged' } });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('x-amzn-errortype')).toBe('InvalidNextTokenException');
    const tooMany = await signedJson(owner, 'route53profiles', 'GET', '/profiles', { query: { maxResults: '101' } });
    expect(tooMany.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});

describe('throttling: POST /_fake/throttle?every=N', () => {
  afterEach(() => client.setThrottle(0));

  const signedFetch = (account: string, service: string, method: string, path: string, body?: string) =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: {
        authorization:
          `AWS4-HMAC-SHA256 Credential=${account}/20261128/${service === 'route53' ? 'us-east-1' : REGION}/${service}/aws4_request, ` +
          'SignedHeaders=host, Signature=0',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });

  test('each service answers its own throttling error, in its wire format; the call log keeps them, without IAM checks', async () => {
    expect(await client.setThrottle(1)).toEqual({ every: 1, calls: 0, throttled: 0 });
    const since = fake.calls().length + 1;

    const route53 = await signedFetch(HUB, 'route53', 'GET', '/2013-04-01/hostedzone');
    expect(route53.status).toBe(400);
    const route53Text = await route53.text();
    expect(route53Text).toContain('<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">');
    expect(route53Text).toMatch(
      /<Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/,
    );

    const ec2 = await signedFetch(HUB, 'ec2', 'POST', '/', 'Action=DescribeVpcs&Version=2016-11-15');
    expect(ec2.status).toBe(503);
    expect(await ec2.text()).toMatch(
      /<Response><Errors><Error><Code>RequestLimitExceeded<\/Code><Message>Request limit exceeded\.<\/Message><\/Error><\/Errors><RequestID>/,
    );

    const sts = await signedFetch(HUB, 'sts', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(sts.status).toBe(400);
    expect(await sts.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>Throttling<\/Code>/);

    for (const [service, path] of [
      ['route53profiles', '/profiles'],
      ['ram', '/getresourceshares'],
    ] as const) {
      const reply = await signedJson(HUB, service, path === '/profiles' ? 'GET' : 'POST', path, {
        body: path === '/profiles' ? undefined : { resourceOwner: 'SELF' },
      });
      expect(reply.status).toBe(429);
      expect(reply.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
      expect(reply.json).toMatchObject({ __type: 'ThrottlingException', message: 'Rate exceeded' });
    }

    const throttled = fake.calls(since);
    expect(throttled.map((c) => [c.service, c.action, c.status, c.error])).toEqual([
      ['route53', 'ListHostedZones', 400, 'Throttling'],
      ['ec2', 'DescribeVpcs', 503, 'RequestLimitExceeded'],
      ['sts', 'GetCallerIdentity', 400, 'Throttling'],
      ['route53profiles', 'ListProfiles', 429, 'ThrottlingException'],
      ['ram', 'GetResourceShares', 429, 'ThrottlingException'],
    ]);
    expect(throttled.every((c) => c.account === HUB && c.checks === undefined)).toBe(true);
    expect(await (await fetch(`${fake.url}/_fake/throttle`)).json()).toEqual({ every: 1, calls: 5, throttled: 5 });
  });

  test('every N-th call counts all services; the AWS SDK reads the errors as throttling and retries them', async () => {
    // Without retries the SDK reports each service's code.
    await client.setThrottle(1);
    await expect(
      route53Of(HUB, 1).send(new ListHostedZonesByVPCCommand({ VPCId: 'vpc-1', VPCRegion: REGION })),
    ).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ec2Of(HUB, 1).send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { httpStatusCode: 503 },
    });
    await expect(stsOf(HUB, 1).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });

    // Every second call: each SDK call is throttled at most once, and retried.
    await client.setThrottle(2);
    const since = fake.calls().length + 1;
    const vpcId = await newVpc(HUB, '10.60.0.0/16');
    for (let i = 0; i < 3; i++) {
      await route53Of(HUB).send(new ListHostedZonesByVPCCommand({ VPCId: vpcId, VPCRegion: REGION }));
      await ec2Of(HUB).send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
      expect((await stsOf(HUB).send(new GetCallerIdentityCommand({}))).Account).toBe(HUB);
    }
    const calls = fake.calls(since);
    const failed = calls.filter((c) => c.error !== undefined);
    expect(failed.length).toBe(Math.floor(calls.length / 2));
    expect(calls.filter((_, i) => (i + 1) % 2 === 0)).toEqual(failed);
    expect(new Set(failed.map((c) => c.error))).toEqual(new Set(['Throttling', 'RequestLimitExceeded']));
    const succeeded = (action: string) => calls.filter((c) => c.action === action && c.status === 200).length;
    expect([
      succeeded('ListHostedZonesByVPC'),
      succeeded('DescribeVpcAttribute'),
      succeeded('GetCallerIdentity'),
    ]).toEqual([3, 3, 3]);
    const bad = await fetch(`${fake.url}/_fake/throttle?every=x`, { method: 'POST' });
    expect(bad.status).toBe(400);
  });
});

describe("the read actions' IAM checks", () => {
  const READS: Array<[string, string]> = [
    ['route53', 'ListHostedZonesByVPC'],
    ['route53', 'ListResourceRecordSets'],
    ['route53', 'ListVPCAssociationAuthorizations'],
    ['route53', 'GetHostedZone'],
    ['route53profiles', 'ListProfiles'],
    ['route53profiles', 'ListProfileAssociations'],
    ['route53profiles', 'ListProfileResourceAssociations'],
    ['ec2', 'DescribeVpcEndpoints'],
    ['ec2', 'DescribeSecurityGroupRules'],
    ['ec2', 'DescribeNetworkInterfaces'],
    ['ec2', 'DescribeVpcs'],
    ['ec2', 'DescribeVpcAttribute'],
    ['ec2', 'DescribeDhcpOptions'],
    ['ec2', 'ModifyVpcAttribute'],
    ['ec2', 'CreateDhcpOptions'],
    ['ec2', 'AssociateDhcpOptions'],
    ['ec2', 'DeleteDhcpOptions'],
    ['sts', 'GetCallerIdentity'],
  ];

  /** The first successful call of each read action the tests above made. */
  const callOf = (service: string, action: string): CallRecord | undefined =>
    fake.calls().find((c) => c.service === service && c.action === action && c.status === 200);

  test.each(READS)('%s:%s is logged with the authorization AWS makes', (service, action) => {
    const call = callOf(service, action);
    expect(call).toBeDefined();
    if (service === 'sts') return; // STS calls carry no checks (GetCallerIdentity needs no permission).
    const checks = call?.checks ?? [];
    expect(checks.map((c) => c.action)).toContain(`${service}:${action}`);
    for (const check of checks) {
      // The action exists, its resources fit its resource types, its context keys are its own.
      const statement = {
        Effect: 'Allow' as const,
        Action: check.action,
        Resource: [...check.resources],
        ...(Object.keys(check.context).length > 0 ? { Condition: { StringEquals: check.context } } : {}),
      };
      expect(statementProblems(statement)).toEqual([]);
      // An action with a required resource type is authorized on that resource, not on `*`.
      const [data] = actionsOf(check.action);
      if (data.resourceTypes.some((type) => type.required)) expect(check.resources).not.toContain('*');
    }
  });

  test('the checks name the VPC, the zone and the attribute they are about', () => {
    expect(callOf('ec2', 'DescribeVpcAttribute')?.checks).toEqual([
      {
        action: 'ec2:DescribeVpcAttribute',
        resources: [expect.stringMatching(new RegExp(`^arn:aws:ec2:${REGION}:${HUB}:vpc/vpc-`))],
        context: {},
      },
    ]);
    expect(callOf('ec2', 'ModifyVpcAttribute')?.checks).toEqual([
      {
        action: 'ec2:ModifyVpcAttribute',
        resources: [expect.stringMatching(/:vpc\/vpc-/)],
        context: { 'ec2:Attribute': ['EnableDnsHostnames'], 'ec2:Attribute/EnableDnsHostnames': ['true'] },
      },
    ]);
    expect(callOf('ec2', 'AssociateDhcpOptions')?.checks?.[0].resources).toEqual([
      expect.stringMatching(new RegExp(`^arn:aws:ec2:${REGION}:${HUB}:dhcp-options/dopt-`)),
      expect.stringMatching(/:vpc\/vpc-/),
    ]);
    expect(callOf('ec2', 'CreateDhcpOptions')?.checks).toEqual([
      { action: 'ec2:CreateDhcpOptions', resources: [`arn:aws:ec2:${REGION}:${HUB}:dhcp-options/*`], context: {} },
      {
        action: 'ec2:CreateTags',
        resources: [`arn:aws:ec2:${REGION}:${HUB}:dhcp-options/*`],
        context: { 'ec2:CreateAction': ['CreateDhcpOptions'] },
      },
    ]);
    expect(callOf('route53', 'ListResourceRecordSets')?.checks).toEqual([
      {
        action: 'route53:ListResourceRecordSets',
        resources: [expect.stringMatching(/^arn:aws:route53:::hostedzone\/Z/)],
        context: {},
      },
    ]);
    expect(callOf('route53', 'ListHostedZonesByVPC')?.checks).toEqual([
      {
        action: 'route53:ListHostedZonesByVPC',
        resources: ['*'],
        context: { 'route53:VPCs': [expect.stringMatching(new RegExp(`^VPCId=vpc-[0-9a-f]+,VPCRegion=${REGION}$`))] },
      },
    ]);
  });
});

describe('the world builder: what the stacks of a configuration would have made, without Terraform', () => {
  const config = configFrom(HUB_YAML, ACCOUNTS_YAML);
  const region = config.hub.region;

  test("every spoke VPC resolves the registry names and the ECR API to the hub's endpoints", () => {
    const deployed = deployedWorld(config);
    const dkr = deployed.services.get('ecr.dkr');
    const api = deployed.services.get('ecr.api');
    expect(deployed.spokeVpcs.map((v) => v.vpcId)).toEqual(config.accounts.flatMap((a) => a.vpcIds));
    expect(deployed.registryAccounts).toEqual([
      config.hub.accountId,
      ...config.accounts.map((a) => a.id),
      '222222222222',
    ]);
    for (const { vpcId } of deployed.spokeVpcs) {
      for (const registry of deployed.registryAccounts) {
        const answer = resolveName(deployed.world, vpcId, `${registry}.dkr.ecr.${region}.amazonaws.com`);
        expect(answer).toMatchObject({
          result: 'answer',
          zone: { id: dkr?.zoneId, name: `dkr.ecr.${region}.amazonaws.com`, account: config.hub.accountId },
          via: 'direct',
          endpoint: { id: dkr?.endpointId, service: 'ecr.dkr', type: 'Interface', vpcId: config.hub.vpcId },
        });
      }
      expect(resolveName(deployed.world, vpcId, `api.ecr.${region}.amazonaws.com`)).toMatchObject({
        result: 'answer',
        endpoint: { id: api?.endpointId, service: 'ecr.api', vpcId: config.hub.vpcId },
      });
      // per-account records: an unlisted registry has none.
      expect(resolveName(deployed.world, vpcId, `999999999999.dkr.ecr.${region}.amazonaws.com`).result).toBe(
        'NXDOMAIN',
      );
      // S3: the apex and bucket names.
      expect(resolveName(deployed.world, vpcId, `bucket.s3.${region}.amazonaws.com`)).toMatchObject({
        result: 'answer',
        record: { name: `*.s3.${region}.amazonaws.com` },
      });
    }
    const counts = deployed.world.counts();
    const spokeVpcs = deployed.spokeVpcs.length;
    expect(counts).toMatchObject({
      vpcs: spokeVpcs + 1,
      vpcEndpoints: 4,
      networkInterfaces: 4 * config.hub.subnetIds.length,
      zones: 4,
      authorizations: spokeVpcs * 4,
      zoneAssociations: (spokeVpcs + 1) * 4,
    });
    const group = deployed.world.data.securityGroups[deployed.hub.securityGroupId];
    expect(group.rules.map((r) => [r.isEgress, r.protocol, r.fromPort, r.toPort, r.cidrIpv4])).toEqual([
      [false, 'tcp', 443, 443, '10.0.0.0/8'],
    ]);
  });

  test('started as a fake, it answers /_fake/resolve and the SDK reads of one spoke', async () => {
    const { fake: built, deployed } = await startDeployedWorld(config);
    try {
      const spoke = deployed.spokeVpcs[0];
      const answer = await new AwsEndpointClient(built.url).resolve(
        spoke.vpcId,
        `${spoke.account}.dkr.ecr.${region}.amazonaws.com`,
      );
      expect(answer).toMatchObject({
        result: 'answer',
        endpoint: { id: deployed.services.get('ecr.dkr')?.endpointId },
      });
      const route53 = new Route53Client({
        region: 'us-east-1',
        endpoint: built.url,
        credentials: credentials(spoke.account),
      });
      const zones = await route53.send(
        new ListHostedZonesByVPCCommand({ VPCId: spoke.vpcId, VPCRegion: region as VPCRegion }),
      );
      expect(zones.HostedZoneSummaries?.map((z) => z.Name).sort()).toEqual(
        ['api.ecr', 'dkr.ecr', 'logs', 's3'].map((prefix) => `${prefix}.${region}.amazonaws.com.`),
      );
    } finally {
      await built.close();
    }
  });

  test('S3 gateway VPCs stay off the s3 zone; retired accounts are authorized, not associated; wildcard mode has one * record', () => {
    const accounts = `${ACCOUNTS_YAML}  - id: "444444444444"
    vpcIds: [vpc-0444444444444444a]
    s3GatewayRouteTables:
      vpc-0444444444444444a: [rtb-0444444444444444a]
  - id: "555555555555"
    retired: true
    vpcIds: [vpc-0555555555555555a]
`;
    const hub = HUB_YAML.replace('dkrRecords: per-account', 'dkrRecords: wildcard');
    const deployed = deployedWorld(configFrom(hub, accounts));
    const s3 = `bucket.s3.${region}.amazonaws.com`;
    expect(resolveName(deployed.world, 'vpc-0444444444444444a', s3)).toMatchObject({
      result: 'public',
      gatewayEndpoint: { routeTables: 1 },
    });
    expect(resolveName(deployed.world, 'vpc-0555555555555555a', `logs.${region}.amazonaws.com`).result).toBe('public');
    const logs = deployed.world.data.zones[deployed.services.get('logs')?.zoneId ?? ''];
    expect(logs.authorizations.map((a) => a.vpcId)).toContain('vpc-0555555555555555a');
    const s3Zone = deployed.world.data.zones[deployed.services.get('s3')?.zoneId ?? ''];
    expect(s3Zone.authorizations.map((a) => a.vpcId)).not.toContain('vpc-0444444444444444a');
    expect(deployed.services.get('ecr.dkr')?.records).toEqual([
      `dkr.ecr.${region}.amazonaws.com`,
      `*.dkr.ecr.${region}.amazonaws.com`,
    ]);
    expect(
      resolveName(deployed.world, 'vpc-0444444444444444a', `999999999999.dkr.ecr.${region}.amazonaws.com`),
    ).toMatchObject({ result: 'answer', record: { name: `*.dkr.ecr.${region}.amazonaws.com` } });
    expect(() => deployedWorld(configFrom(`${HUB_YAML}sharing:\n  mode: profile\n`, ACCOUNTS_YAML))).toThrow(
      /only associations mode is built/,
    );
  });

  test('100 accounts build in a moment', () => {
    const accounts = `accounts:\n${Array.from(
      { length: 100 },
      (_, i) =>
        `  - id: "${String(600000000000 + i)}"\n    vpcIds: [vpc-${(0x600000 + i).toString(16).padStart(17, '0')}]\n`,
    ).join('')}`;
    const started = Date.now();
    const deployed = deployedWorld(configFrom(HUB_YAML, accounts));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(deployed.world.counts()).toMatchObject({ authorizations: 400, zoneAssociations: 404 });
    expect(deployed.services.get('ecr.dkr')?.records).toHaveLength(1 + 102);
  });
});
