/**
 * A fake world as vpce-hub's stacks leave it after every stack of a configuration was applied, in
 * associations mode (`sharing.mode: associations`, the default, `transition: off`), built without
 * Terraform: for a test that needs a deployed world of many accounts (the live doctor's Route 53
 * calls at 100 accounts) without one apply per account.
 *
 * It is filled through the fake's own EC2 and Route 53 handlers, as each stack's principal (the hub
 * account for the hub stack, each spoke account for its stack), so every rule of the fake holds on
 * the way (authorizations before associations, ConflictingDomainExists, quotas), and IDs, DNS entries
 * and alias targets are the ones the fake would have given Terraform. What it makes mirrors
 * lib/stacks/hub-stack.ts and spoke-stack.ts with lib/constructs/* (their names and records come from
 * lib/services/catalog.ts, as the stacks take them):
 *
 * - the hub VPC (`10.0.0.0/16`) with one subnet per `hub.subnetIds` entry (`10.0.<i>.0/24`, one
 *   Availability Zone each), made as the world set-up would make them (CreateVpc, CreateSubnet);
 * - the endpoint security group `vpce-hub-endpoints` (EndpointSecurityGroup): AWS's default egress
 *   rule removed, one tcp/443 ingress rule per `hub.allowedCidrs` entry (IPv4 and IPv6);
 * - per service, active and retired (ServiceEndpoint): an interface endpoint in every hub subnet with
 *   that group, private DNS off, tagged `Name = vpce-hub-<service>`, with the organization endpoint
 *   policy when `endpointPolicy` is set; its private hosted zone (`zoneName`), created with the hub VPC;
 *   alias A records to the endpoint's regional DNS name: the apex and `*.<zone>` as the catalog's
 *   `records` say, and for `ecr.dkr` (EcrRegistryRecords) `<account>.<zone>` for the hub account,
 *   every account of accounts.yaml and `ecr.registryAccounts` (`per-account`), one `*` record
 *   (`wildcard`), or both (`both`);
 * - an authorization of every spoke VPC (retired accounts' too) on every service zone
 *   (ZoneAuthorizations), but the `s3` zone for VPCs with their own S3 gateway endpoint
 *   (`s3GatewayRouteTables`, zone-vpc-pairs.ts);
 * - per spoke account: its VPCs (`10.1.0.0/24` on, one /24 each, inside the usual `10.0.0.0/8` of `hub.allowedCidrs`, unless the world already has
 *   them), and unless retired, the association of each VPC with each active service's zone (same
 *   exception) and an S3 gateway endpoint per `s3GatewayRouteTables` VPC (S3GatewayEndpoints).
 *
 * The Route 53 quota of VPCs per zone is set to `limits.vpcAssociationsPerZone` (what the
 * configuration says AWS granted). Profile mode is not built (it throws).
 */
import { hubServices, type VpceConfig } from '../../lib/config/schema';
import { sharingOf } from '../../lib/config/sharing';
import { organizationEndpointPolicy } from '../../lib/constructs/endpoint-policy';
import { ECR_DKR, endpointServiceName, S3, serviceEntry, zoneName } from '../../lib/services/catalog';
import { ec2 } from './ec2';
import { parseQuery, parseXml } from './protocol';
import { Route53, ROUTE53_NAMESPACE } from './route53';
import { FakeAws, type FakeAwsOptions } from './server';
import type { Caller } from './sts';
import { World } from './world';

/** One service as the hub deployed it. */
export interface DeployedService {
  readonly service: string;
  readonly endpointId: string;
  readonly zoneId: string;
  readonly zoneName: string;
  /** The record names of its zone (lower case, no trailing dot), in the order they were made. */
  readonly records: readonly string[];
  /** Whether it is among `retiredServices` (the hub keeps it; the spokes dropped their associations). */
  readonly retired: boolean;
}

/** A spoke VPC of the deployed world. */
export interface DeployedSpokeVpc {
  readonly account: string;
  readonly vpcId: string;
  /** Its CIDR block. */
  readonly cidr: string;
  /** Its account is retired: authorized, never associated. */
  readonly retired: boolean;
  /** Its own S3 gateway endpoint (`s3GatewayRouteTables`), if it has one. */
  readonly s3GatewayEndpointId?: string;
}

/** What {@link deployedWorld} built. */
export interface DeployedWorld {
  readonly world: World;
  readonly region: string;
  readonly hub: {
    readonly account: string;
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly securityGroupId: string;
  };
  /** Every service the hub runs (active, then retired), by catalog name. */
  readonly services: ReadonlyMap<string, DeployedService>;
  /** Every spoke VPC, in accounts.yaml order. */
  readonly spokeVpcs: readonly DeployedSpokeVpc[];
  /** The accounts with an `<id>.dkr.ecr` record (hub, accounts.yaml, ecr.registryAccounts); none in wildcard mode. */
  readonly registryAccounts: readonly string[];
}

/** Options of {@link deployedWorld}. */
export interface DeployedWorldOptions {
  /** The world to fill (e.g. one with an organization set); default: a new in-memory world. */
  readonly world?: World;
}

/** Route 53 takes at most 1,000 changes per ChangeResourceRecordSets batch. */
const CHANGES_PER_BATCH = 500;

const ROOT = (account: string): Caller => ({ account, arn: `arn:aws:iam::${account}:root`, accessKeyId: account });

/** Query-protocol parameters as the fake's EC2 handler takes them. */
function query(params: Record<string, string | undefined>): ReturnType<typeof parseQuery> {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return parseQuery(new URLSearchParams(defined).toString());
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The fake's EC2 and Route 53 handlers, as one account or another, in one Region. */
class Builder {
  private readonly route53: Route53;

  constructor(
    readonly world: World,
    readonly region: string,
  ) {
    this.route53 = new Route53(world);
  }

  ec2(account: string, action: string, params: Record<string, string | undefined>): Record<string, unknown> {
    return ec2(this.world, ROOT(account), action, query(params), this.region);
  }

  route53Call(account: string, method: string, path: string, root?: string, inner = ''): Record<string, unknown> {
    const body = root ? parseXml(`<${root} xmlns="${ROUTE53_NAMESPACE}">${inner}</${root}>`) : {};
    return this.route53.handle(ROOT(account), { method, path, query: new URLSearchParams(), body }).body;
  }

  vpcXml(vpcId: string): string {
    return `<VPC><VPCRegion>${this.region}</VPCRegion><VPCId>${vpcId}</VPCId></VPC>`;
  }

  /** A VPC of `account` with the ID the configuration names (kept when the world already has it). */
  vpc(account: string, vpcId: string, cidr: string): void {
    const existing = this.world.data.vpcs[vpcId];
    if (existing) {
      if (existing.account !== account) {
        throw new Error(`world-builder: ${vpcId} exists in account ${existing.account}, not ${account}`);
      }
      return;
    }
    this.ec2(account, 'CreateVpc', {
      CidrBlock: cidr,
      'TagSpecification.1.ResourceType': 'vpc',
      'TagSpecification.1.Tag.1.Key': '_custom_id_',
      'TagSpecification.1.Tag.1.Value': vpcId,
    });
  }
}

/** Whether a spoke VPC pairs with a service zone: not `s3` when it has its own S3 gateway endpoint (zone-vpc-pairs.ts). */
function pairsWithZone(routeTables: Readonly<Record<string, readonly string[]>>, vpcId: string, service: string) {
  return !(service === S3 && Object.prototype.hasOwnProperty.call(routeTables, vpcId));
}

/** Fills a world with what the stacks of `config` (associations mode) would have made; see the module comment. */
export function deployedWorld(config: VpceConfig, options: DeployedWorldOptions = {}): DeployedWorld {
  const sharing = sharingOf(config);
  if (sharing.hub.profile || sharing.spokes.profile || !sharing.hub.associations || !sharing.spokes.associations) {
    throw new Error(
      'world-builder: only associations mode is built (sharing.mode: associations, sharing.transition: off)',
    );
  }
  const { hub } = config;
  const region = hub.region;
  const world = options.world ?? new World();
  const b = new Builder(world, region);
  world.data.vpcsPerZone = config.limits.vpcAssociationsPerZone;

  // The hub VPC and its subnets (the world set-up's: the hub stack only names them).
  b.vpc(hub.accountId, hub.vpcId, '10.0.0.0/16');
  hub.subnetIds.forEach((subnetId, i) => {
    if (world.data.subnets[subnetId]) return;
    b.ec2(hub.accountId, 'CreateSubnet', {
      VpcId: hub.vpcId,
      CidrBlock: `10.0.${i}.0/24`,
      AvailabilityZone: `${region}${String.fromCharCode(97 + (i % 26))}`,
      'TagSpecification.1.ResourceType': 'subnet',
      'TagSpecification.1.Tag.1.Key': '_custom_id_',
      'TagSpecification.1.Tag.1.Value': subnetId,
    });
  });

  // EndpointSecurityGroup: HTTPS from the allowed CIDRs, no egress rule.
  const group = b.ec2(hub.accountId, 'CreateSecurityGroup', {
    VpcId: hub.vpcId,
    GroupName: 'vpce-hub-endpoints',
    GroupDescription: 'vpce-hub interface endpoints: HTTPS from the allowed CIDRs only',
    'TagSpecification.1.ResourceType': 'security-group',
    'TagSpecification.1.Tag.1.Key': 'Name',
    'TagSpecification.1.Tag.1.Value': 'vpce-hub-endpoints',
  });
  const securityGroupId = String(group.groupId);
  for (const rule of world.data.securityGroups[securityGroupId].rules.filter((r) => r.isEgress)) {
    b.ec2(hub.accountId, 'RevokeSecurityGroupEgress', { GroupId: securityGroupId, 'SecurityGroupRuleId.1': rule.id });
  }
  for (const cidr of [...hub.allowedCidrs].sort()) {
    const v6 = cidr.includes(':');
    b.ec2(hub.accountId, 'AuthorizeSecurityGroupIngress', {
      GroupId: securityGroupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '443',
      'IpPermissions.1.ToPort': '443',
      [`IpPermissions.1.${v6 ? 'Ipv6Ranges.1.CidrIpv6' : 'IpRanges.1.CidrIp'}`]: cidr,
      [`IpPermissions.1.${v6 ? 'Ipv6Ranges' : 'IpRanges'}.1.Description`]: 'HTTPS to the interface endpoints',
    });
  }

  // ServiceEndpoint and EcrRegistryRecords, per service.
  const registryAccounts =
    config.ecr.dkrRecords === 'wildcard'
      ? []
      : [...new Set([hub.accountId, ...config.accounts.map((a) => a.id), ...config.ecr.registryAccounts])];
  const services = new Map<string, DeployedService>();
  for (const service of hubServices(config)) {
    const subnets = Object.fromEntries(hub.subnetIds.map((id, i) => [`SubnetId.${i + 1}`, id]));
    const created = b.ec2(hub.accountId, 'CreateVpcEndpoint', {
      VpcId: hub.vpcId,
      ServiceName: endpointServiceName(service, region),
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: 'false',
      'SecurityGroupId.1': securityGroupId,
      ...subnets,
      PolicyDocument: config.endpointPolicy
        ? organizationEndpointPolicy(service, region, config.endpointPolicy.organizationId)
        : undefined,
      'TagSpecification.1.ResourceType': 'vpc-endpoint',
      'TagSpecification.1.Tag.1.Key': 'Name',
      'TagSpecification.1.Tag.1.Value': `vpce-hub-${service}`,
    });
    const endpointId = String((created.vpcEndpoint as { vpcEndpointId: string }).vpcEndpointId);
    const target = world.data.vpcEndpoints[endpointId].dnsEntries[0];

    const name = zoneName(service, region);
    const zone = b.route53Call(
      hub.accountId,
      'POST',
      'hostedzone',
      'CreateHostedZoneRequest',
      `<Name>${name}</Name><CallerReference>vpce-hub-${service}-${world.newHex(8)}</CallerReference>` +
        `<HostedZoneConfig><Comment>${escapeXml(`vpce-hub: ${service} interface endpoint, shared with spoke VPCs`)}` +
        `</Comment><PrivateZone>true</PrivateZone></HostedZoneConfig>${b.vpcXml(hub.vpcId)}`,
    );
    const zoneId = String((zone.HostedZone as { Id: string }).Id).replace('/hostedzone/', '');
    b.route53Call(
      hub.accountId,
      'POST',
      `tags/hostedzone/${zoneId}`,
      'ChangeTagsForResourceRequest',
      `<AddTags><Tag><Key>Name</Key><Value>${name}</Value></Tag></AddTags>`,
    );

    const kinds = serviceEntry(service).records;
    const records: string[] = [];
    if (kinds.includes('apex')) records.push(name);
    if (kinds.includes('wildcard')) records.push(`*.${name}`);
    if (service === ECR_DKR) {
      if (config.ecr.dkrRecords !== 'per-account') records.push(`*.${name}`);
      records.push(...registryAccounts.map((account) => `${account}.${name}`));
    }
    for (let i = 0; i < records.length; i += CHANGES_PER_BATCH) {
      const changes = records
        .slice(i, i + CHANGES_PER_BATCH)
        .map(
          (record) =>
            `<Change><Action>CREATE</Action><ResourceRecordSet><Name>${record}</Name><Type>A</Type>` +
            `<AliasTarget><HostedZoneId>${target.hostedZoneId}</HostedZoneId><DNSName>${target.dnsName}</DNSName>` +
            '<EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget></ResourceRecordSet></Change>',
        )
        .join('');
      b.route53Call(
        hub.accountId,
        'POST',
        `hostedzone/${zoneId}/rrset`,
        'ChangeResourceRecordSetsRequest',
        `<ChangeBatch><Changes>${changes}</Changes></ChangeBatch>`,
      );
    }
    services.set(service, {
      service,
      endpointId,
      zoneId,
      zoneName: name,
      records,
      retired: !config.services.includes(service),
    });
  }

  // The spoke VPCs, the hub's authorizations (ZoneAuthorizations), each spoke's associations
  // (ZoneAssociations) and S3 gateway endpoints (S3GatewayEndpoints).
  const spokeVpcs: DeployedSpokeVpc[] = [];
  let n = 0;
  for (const account of config.accounts) {
    for (const vpcId of account.vpcIds) {
      b.vpc(account.id, vpcId, `10.${1 + (n >> 8)}.${n & 255}.0/24`);
      n += 1;
    }
  }
  for (const account of config.accounts) {
    for (const vpcId of account.vpcIds) {
      for (const service of services.values()) {
        if (!pairsWithZone(account.s3GatewayRouteTables, vpcId, service.service)) continue;
        b.route53Call(
          hub.accountId,
          'POST',
          `hostedzone/${service.zoneId}/authorizevpcassociation`,
          'CreateVPCAssociationAuthorizationRequest',
          b.vpcXml(vpcId),
        );
      }
    }
  }
  for (const account of config.accounts) {
    for (const vpcId of account.vpcIds) {
      let s3GatewayEndpointId: string | undefined;
      if (!account.retired) {
        for (const service of config.services) {
          if (!pairsWithZone(account.s3GatewayRouteTables, vpcId, service)) continue;
          b.route53Call(
            account.id,
            'POST',
            `hostedzone/${services.get(service)?.zoneId}/associatevpc`,
            'AssociateVPCWithHostedZoneRequest',
            b.vpcXml(vpcId),
          );
        }
        const routeTables = account.s3GatewayRouteTables[vpcId];
        if (routeTables) {
          const gateway = b.ec2(account.id, 'CreateVpcEndpoint', {
            VpcId: vpcId,
            ServiceName: endpointServiceName(S3, region),
            VpcEndpointType: 'Gateway',
            ...Object.fromEntries([...routeTables].sort().map((id, i) => [`RouteTableId.${i + 1}`, id])),
            PolicyDocument: config.endpointPolicy
              ? organizationEndpointPolicy(S3, region, config.endpointPolicy.organizationId)
              : undefined,
            'TagSpecification.1.ResourceType': 'vpc-endpoint',
            'TagSpecification.1.Tag.1.Key': 'Name',
            'TagSpecification.1.Tag.1.Value': 'vpce-hub-s3-gateway',
          });
          s3GatewayEndpointId = String((gateway.vpcEndpoint as { vpcEndpointId: string }).vpcEndpointId);
        }
      }
      spokeVpcs.push({
        account: account.id,
        vpcId,
        cidr: world.data.vpcs[vpcId].cidr,
        retired: account.retired,
        ...(s3GatewayEndpointId ? { s3GatewayEndpointId } : {}),
      });
    }
  }
  world.save();
  return {
    world,
    region,
    hub: { account: hub.accountId, vpcId: hub.vpcId, subnetIds: [...hub.subnetIds], securityGroupId },
    services,
    spokeVpcs,
    registryAccounts,
  };
}

/**
 * Starts a fake serving the world {@link deployedWorld} builds for `config` (in memory, or in
 * `options.stateFile` when given: the world is written there).
 */
export async function startDeployedWorld(
  config: VpceConfig,
  options: Omit<FakeAwsOptions, 'world'> & DeployedWorldOptions = {},
): Promise<{ fake: FakeAws; deployed: DeployedWorld }> {
  const deployed = deployedWorld(config, { world: options.world ?? new World(options.stateFile) });
  const fake = await FakeAws.start({ ...options, world: deployed.world });
  return { fake, deployed };
}
