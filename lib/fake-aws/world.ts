/**
 * Everything the fake AWS knows, across accounts: VPCs, security groups, VPC endpoints, Route 53
 * zones with their records, authorizations and VPC associations, and the credentials it handed out.
 *
 * One world is shared by every Terraform process that talks to the fake (the hub, then each spoke),
 * and it is kept in a JSON file, so a restarted fake, or a test reading the file, sees the same world.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Tags, key to value. */
export type Tags = Record<string, string>;

export interface Vpc {
  id: string;
  account: string;
  region: string;
  cidr: string;
  tags: Tags;
}

export interface Subnet {
  id: string;
  vpcId: string;
  account: string;
  availabilityZone: string;
  cidr: string;
  tags: Tags;
}

export interface SecurityGroupRule {
  id: string;
  isEgress: boolean;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  description?: string;
  tags: Tags;
}

export interface SecurityGroup {
  id: string;
  account: string;
  vpcId: string;
  name: string;
  description: string;
  rules: SecurityGroupRule[];
  tags: Tags;
}

export interface NetworkInterface {
  id: string;
  account: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIp: string;
  endpointId: string;
}

export interface DnsEntry {
  dnsName: string;
  hostedZoneId: string;
}

export interface VpcEndpoint {
  id: string;
  account: string;
  region: string;
  vpcId: string;
  serviceName: string;
  type: 'Interface' | 'Gateway';
  subnetIds: string[];
  securityGroupIds: string[];
  routeTableIds: string[];
  networkInterfaceIds: string[];
  privateDnsEnabled: boolean;
  policy: string;
  dnsEntries: DnsEntry[];
  createdAt: string;
  tags: Tags;
}

export interface ResourceRecordSet {
  /** Lower case, no trailing dot, `*` unescaped. */
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface VpcRef {
  vpcId: string;
  region: string;
}

export interface HostedZone {
  id: string;
  account: string;
  /** Lower case, no trailing dot. */
  name: string;
  callerReference: string;
  comment: string;
  private: boolean;
  vpcs: VpcRef[];
  authorizations: VpcRef[];
  records: ResourceRecordSet[];
  tags: Tags;
}

/** Credentials the fake's STS handed out (AssumeRole). */
export interface IssuedCredentials {
  account: string;
  /** The assumed-role session ARN, `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  roleArn: string;
  /** The label of the caller that assumed the role (see `Caller.label`). */
  label?: string;
}

export interface WorldData {
  version: 1;
  /** Counter behind every generated ID, so IDs never repeat within a world. */
  serial: number;
  /** Route 53 quota: VPCs associated with one private hosted zone. */
  vpcsPerZone: number;
  credentials: Record<string, IssuedCredentials>;
  vpcs: Record<string, Vpc>;
  subnets: Record<string, Subnet>;
  securityGroups: Record<string, SecurityGroup>;
  networkInterfaces: Record<string, NetworkInterface>;
  vpcEndpoints: Record<string, VpcEndpoint>;
  zones: Record<string, HostedZone>;
}

/** Route 53's default quota of VPCs per private hosted zone. */
export const DEFAULT_VPCS_PER_ZONE = 300;

function emptyData(): WorldData {
  return {
    version: 1,
    serial: 0,
    vpcsPerZone: DEFAULT_VPCS_PER_ZONE,
    credentials: {},
    vpcs: {},
    subnets: {},
    securityGroups: {},
    networkInterfaces: {},
    vpcEndpoints: {},
    zones: {},
  };
}

/** The world, optionally kept in a file (written after every change). */
export class World {
  readonly data: WorldData;

  /** Opens the world in `file` (a new one when the file does not exist), or an in-memory world. */
  constructor(private readonly file?: string) {
    this.data = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WorldData) : emptyData();
  }

  /** Writes the world to its file (atomically: a crash never leaves half a file). */
  save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }

  /** A new ID: `prefix` and `digits` hex digits (`vpce-0000000000000001a`). */
  newId(prefix: string, digits = 17): string {
    this.data.serial += 1;
    const hex = (this.data.serial * 2654435761 + 0x5bd1e995).toString(16).slice(-6).padStart(6, '0');
    return `${prefix}${(this.data.serial.toString(16) + hex).padStart(digits, '0').slice(-digits)}`;
  }

  /** A new upper-case Route 53 style ID (`Z0123ABC...`). */
  newRoute53Id(prefix: string): string {
    return this.newId(prefix, 20).toUpperCase();
  }

  /** How many things of each kind the world holds (credentials aside): all zero when it is empty. */
  counts(): Record<string, number> {
    const zones = Object.values(this.data.zones);
    return {
      vpcs: Object.keys(this.data.vpcs).length,
      subnets: Object.keys(this.data.subnets).length,
      securityGroups: Object.keys(this.data.securityGroups).length,
      networkInterfaces: Object.keys(this.data.networkInterfaces).length,
      vpcEndpoints: Object.keys(this.data.vpcEndpoints).length,
      zones: zones.length,
      records: zones.reduce((n, z) => n + z.records.filter((r) => !(r.name === z.name && (r.type === 'SOA' || r.type === 'NS'))).length, 0),
      authorizations: zones.reduce((n, z) => n + z.authorizations.length, 0),
      zoneAssociations: zones.reduce((n, z) => n + z.vpcs.length, 0),
    };
  }
}
