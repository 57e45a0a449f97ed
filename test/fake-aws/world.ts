/**
 * Everything the fake AWS knows, across accounts: VPCs (with their DNS attributes and DHCP options
 * sets), security groups, VPC endpoints, Route 53 zones with their records, authorizations and VPC
 * associations, Route 53 Profiles with their resource and VPC associations, AWS RAM resource shares
 * with their resources, principals and invitations, the organization (AWS Organizations' accounts and
 * OUs, which RAM consults too), and the credentials it handed out.
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
  /**
   * `enableDnsSupport`: whether the Amazon-provided resolver (VPC+2, 169.254.169.253) answers in the
   * VPC. Absent: true, AWS's default for every VPC.
   */
  enableDnsSupport?: boolean;
  /** `enableDnsHostnames`. Absent: false, AWS's default for a VPC other than the default VPC. */
  enableDnsHostnames?: boolean;
  /**
   * The DHCP options set (`dopt-...`), or `default` for none (AssociateDhcpOptions `default`).
   * Absent: the default set of the VPC's account and region (ec2.ts `defaultDhcpOptions`).
   */
  dhcpOptionsId?: string;
}

/** One option of a DHCP options set, e.g. `domain-name-servers` with `['AmazonProvidedDNS']`. */
export interface DhcpConfiguration {
  key: string;
  values: string[];
}

/** A DHCP options set made with CreateDhcpOptions (each account's default set per region is not stored). */
export interface DhcpOptions {
  /** `dopt-...`. */
  id: string;
  account: string;
  region: string;
  configurations: DhcpConfiguration[];
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

/** An interface endpoint's DNS options (DescribeVpcEndpoints `dnsOptions`). */
export interface EndpointDnsOptions {
  /** As requested (`ipv4` by default); the fake's resolver answers the same whatever it is. */
  dnsRecordIpType: string;
  /**
   * S3 only: private DNS answers inbound Resolver endpoints only, and the VPC's own queries go to
   * its S3 gateway endpoint. Absent for other services, and for S3 while never set.
   */
  privateDnsOnlyForInboundResolverEndpoint?: boolean;
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
  /** Interface endpoints only (absent in world files written before private DNS was modelled). */
  dnsOptions?: EndpointDnsOptions;
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

/** A Route 53 Profile (route53profiles.ts). Status is always COMPLETE once created. */
export interface Profile {
  /** `rp-<16 hex>`. */
  id: string;
  /** `arn:aws:route53profiles:<region>:<owner>:profile/<id>`. */
  arn: string;
  /** The creating account: the only one that manages the Profile and its resources. */
  owner: string;
  region: string;
  name: string;
  clientToken: string;
  /** Epoch seconds, as the API returns them. */
  createdAt: number;
  modifiedAt: number;
  tags: Tags;
}

/** What a Profile resource association holds: a private hosted zone, or an interface VPC endpoint. */
export type ProfileResourceType = 'HOSTED_ZONE' | 'VPC_ENDPOINT';

/** A resource (a private hosted zone or an interface VPC endpoint) associated with a Profile. */
export interface ProfileResourceAssociation {
  /** `rpr-<16 hex>`. */
  id: string;
  profileId: string;
  /** The account that made the association (the Profile's owner). */
  owner: string;
  name: string;
  /** `arn:aws:route53:::hostedzone/<zone-id>`, or `arn:aws:ec2:<region>:<owner>:vpc-endpoint/<vpce-id>`. */
  resourceArn: string;
  /** Absent in world files written before endpoints could be associated: `HOSTED_ZONE`. */
  resourceType?: ProfileResourceType;
  /** The zone behind `resourceArn` (hosted zones). */
  zoneId?: string;
  /** The endpoint behind `resourceArn` (VPC endpoints). */
  endpointId?: string;
  /** The request's `ResourceProperties`, when it had one (returned as given). */
  resourceProperties?: string;
  createdAt: number;
  modifiedAt: number;
}

/** A VPC associated with a Profile (one Profile per VPC). */
export interface ProfileAssociation {
  /** `rpassoc-<16 hex>`. */
  id: string;
  profileId: string;
  /** The VPC's owner, who made the association. */
  owner: string;
  region: string;
  name: string;
  vpcId: string;
  createdAt: number;
  modifiedAt: number;
  tags: Tags;
}

/** `ASSOCIATING` until an invitation is accepted, `ASSOCIATED` once in effect, `DISASSOCIATED` when removed. */
export type ShareAssociationStatus = 'ASSOCIATING' | 'ASSOCIATED' | 'DISASSOCIATED';

/** A principal or resource of a RAM resource share. */
export interface ShareAssociation {
  /** An account ID, an organization ARN or an OU ARN (principals); a resource ARN (resources). */
  entity: string;
  status: ShareAssociationStatus;
  /** Whether the principal is outside the share owner's organization (principals only). */
  external: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A RAM resource share. Deleted shares stay listed with status DELETED, as RAM lists them. */
export interface ResourceShare {
  /** `arn:aws:ram:<region>:<owner>:resource-share/<uuid>`. */
  arn: string;
  owner: string;
  region: string;
  name: string;
  allowExternalPrincipals: boolean;
  status: 'ACTIVE' | 'DELETED';
  createdAt: number;
  updatedAt: number;
  tags: Tags;
  principals: ShareAssociation[];
  resources: ShareAssociation[];
  /** RAM permission ARNs attached (the resource type's default once a resource of it is added). */
  permissions: string[];
}

/** A RAM invitation: one per (share, invited account), while the account is associated by invitation. */
export interface ShareInvitation {
  /** `arn:aws:ram:<region>:<sender>:resource-share-invitation/<uuid>`. */
  arn: string;
  shareArn: string;
  sender: string;
  receiver: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  createdAt: number;
}

/**
 * The organization: which accounts are members, which belong to which OU, and whether RAM sharing
 * with the organization is enabled (`EnableSharingWithAwsOrganization`). RAM consults it (ram.ts,
 * cross-account.ts), and the fake's AWS Organizations serves it (organizations.ts).
 *
 * The fields after `ramSharingEnabled` are optional, each with a default, so an organization written
 * before Organizations was served keeps working as it was.
 */
export interface Organization {
  /** `o-<10 to 32 lower-case letters or digits>`. */
  id: string;
  managementAccount: string;
  /** Every member account (the management account is always counted as one). */
  accounts: string[];
  /**
   * OU ID (`ou-<root>-<id>`) to the accounts in it, nested OUs' accounts included: an OU lists every
   * account of the OUs under it too (what RAM's OU principals cover). For AWS Organizations an
   * account's direct parent is the deepest OU (in `ouParents`) that lists it; an account no OU lists
   * is directly under the root.
   */
  ous: Record<string, string[]>;
  ramSharingEnabled: boolean;
  /** The root's ID, `r-<4 to 32 lower-case letters or digits>`. Absent: {@link organizationRootId}'s default. */
  rootId?: string;
  /** OU ID to its parent: the root's ID or another OU's. Absent, or an OU not in it: the root. */
  ouParents?: Record<string, string>;
  /** OU ID to its name. Absent: the OU's ID. */
  ouNames?: Record<string, string>;
  /** Account ID to its name. Absent: `account-<id>`. (Every account's email is `<id>@example.com`.) */
  names?: Record<string, string>;
  /** Member accounts that are suspended (Organizations' `Status` and `State` SUSPENDED); absent: none. */
  suspended?: string[];
  /**
   * Member accounts registered as delegated administrators: besides the management account, the only
   * callers Organizations' List and Describe operations answer. Absent: none.
   */
  delegatedAdministrators?: string[];
}

/** The root ID of an organization: its `rootId`, or `r-` and the first 4 characters of the organization ID after `o-`. */
export function organizationRootId(organization: Pick<Organization, 'id' | 'rootId'>): string {
  return organization.rootId ?? `r-${organization.id.slice(2, 6)}`;
}

export interface WorldData {
  version: 1;
  /** Counter behind every generated ID, so IDs never repeat within a world. */
  serial: number;
  /** Route 53 quota: VPCs associated with one private hosted zone. */
  vpcsPerZone: number;
  /** Route 53 Profiles quota: VPCs associated with one Profile. */
  vpcsPerProfile: number;
  /** Role ARNs whose AssumeRole is refused with AccessDenied (`POST /_fake/deny-assume`). */
  deniedRoles?: string[];
  /**
   * Whether Profile resource associations of VPC endpoints report `ResourceProperties` as AWS does
   * (`{"ServiceName": ..., "<managed zone ID>": "<name>."}`). Off by default: the AWS provider before
   * 6.3.0 (the mirror's 5.100.0 among them) fails such an apply with "Provider produced inconsistent
   * result" (provider issues 42489, 43494; fixed by PR 42562 in 6.3.0). See route53profiles.ts.
   */
  endpointResourceProperties?: boolean;
  /** The organization every account of the world belongs to, if any. */
  organization?: Organization;
  credentials: Record<string, IssuedCredentials>;
  vpcs: Record<string, Vpc>;
  /** DHCP options sets made with CreateDhcpOptions, by ID (absent in world files written before them). */
  dhcpOptions: Record<string, DhcpOptions>;
  subnets: Record<string, Subnet>;
  securityGroups: Record<string, SecurityGroup>;
  networkInterfaces: Record<string, NetworkInterface>;
  vpcEndpoints: Record<string, VpcEndpoint>;
  zones: Record<string, HostedZone>;
  /** Route 53 Profiles, by ID. */
  profiles: Record<string, Profile>;
  /** Profile resource associations, by ID. */
  profileResourceAssociations: Record<string, ProfileResourceAssociation>;
  /** Profile VPC associations, by ID. */
  profileAssociations: Record<string, ProfileAssociation>;
  /** RAM resource shares, by ARN. */
  resourceShares: Record<string, ResourceShare>;
  /** RAM invitations, by ARN. */
  invitations: Record<string, ShareInvitation>;
}

/** Route 53's default quota of VPCs per private hosted zone. */
export const DEFAULT_VPCS_PER_ZONE = 300;

/** The default quota of VPC associations per Route 53 Profile (AssociateProfile API reference: 1,000). */
export const DEFAULT_VPCS_PER_PROFILE = 1000;

function emptyData(): WorldData {
  return {
    version: 1,
    serial: 0,
    vpcsPerZone: DEFAULT_VPCS_PER_ZONE,
    vpcsPerProfile: DEFAULT_VPCS_PER_PROFILE,
    credentials: {},
    vpcs: {},
    dhcpOptions: {},
    subnets: {},
    securityGroups: {},
    networkInterfaces: {},
    vpcEndpoints: {},
    zones: {},
    profiles: {},
    profileResourceAssociations: {},
    profileAssociations: {},
    resourceShares: {},
    invitations: {},
  };
}

/** A world file written before Profiles, RAM or DHCP options existed, completed with their empty collections. */
function upgrade(data: WorldData): WorldData {
  return { ...emptyData(), ...data };
}

/** The world, optionally kept in a file (written after every change). */
export class World {
  readonly data: WorldData;

  /** Opens the world in `file` (a new one when the file does not exist), or an in-memory world. */
  constructor(private readonly file?: string) {
    this.data = file && existsSync(file) ? upgrade(JSON.parse(readFileSync(file, 'utf8')) as WorldData) : emptyData();
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
    const shares = Object.values(this.data.resourceShares).filter((s) => s.status !== 'DELETED');
    return {
      vpcs: Object.keys(this.data.vpcs).length,
      dhcpOptions: Object.keys(this.data.dhcpOptions).length,
      subnets: Object.keys(this.data.subnets).length,
      securityGroups: Object.keys(this.data.securityGroups).length,
      networkInterfaces: Object.keys(this.data.networkInterfaces).length,
      vpcEndpoints: Object.keys(this.data.vpcEndpoints).length,
      zones: zones.length,
      records: zones.reduce(
        (n, z) => n + z.records.filter((r) => !(r.name === z.name && (r.type === 'SOA' || r.type === 'NS'))).length,
        0,
      ),
      authorizations: zones.reduce((n, z) => n + z.authorizations.length, 0),
      zoneAssociations: zones.reduce((n, z) => n + z.vpcs.length, 0),
      profiles: Object.keys(this.data.profiles).length,
      profileResourceAssociations: Object.keys(this.data.profileResourceAssociations).length,
      profileAssociations: Object.keys(this.data.profileAssociations).length,
      // Deleted shares, removed associations and answered invitations stay listed (as RAM lists
      // them for a while) but are not things the world holds.
      resourceShares: shares.length,
      shareAssociations: shares.reduce(
        (n, s) => n + [...s.principals, ...s.resources].filter((a) => a.status !== 'DISASSOCIATED').length,
        0,
      ),
      pendingInvitations: Object.values(this.data.invitations).filter((i) => i.status === 'PENDING').length,
    };
  }

  /**
   * Sets (or, with undefined, removes) the organization (RAM consults it, Organizations serves it),
   * and saves the world. Throws for an organization the fake could not use (malformed IDs, OUs
   * holding non-members, an OU tree that is not a tree: see {@link validateOrganization}).
   */
  setOrganization(organization: Organization | undefined): void {
    if (organization) validateOrganization(organization);
    this.data.organization = organization ? copyOrganization(organization) : undefined;
    this.save();
  }

  /** A new random-looking hex string of `digits` digits, unique within the world. */
  newHex(digits: number): string {
    return this.newId('', digits).toLowerCase();
  }

  /** A new UUID-shaped ID (RAM's share and invitation IDs), unique within the world. */
  newUuid(): string {
    const hex = `${this.newHex(20)}${this.newHex(12)}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** A copy of an organization that shares nothing with it, the management account first among its accounts. */
function copyOrganization(organization: Organization): Organization {
  const record = (value: Record<string, string> | undefined) => (value ? { ...value } : undefined);
  const list = (value: string[] | undefined) => (value ? [...value] : undefined);
  const optional = {
    rootId: organization.rootId,
    ouParents: record(organization.ouParents),
    ouNames: record(organization.ouNames),
    names: record(organization.names),
    suspended: list(organization.suspended),
    delegatedAdministrators: list(organization.delegatedAdministrators),
  };
  return {
    id: organization.id,
    managementAccount: organization.managementAccount,
    accounts: [...new Set([organization.managementAccount, ...organization.accounts])],
    ous: Object.fromEntries(Object.entries(organization.ous).map(([ou, accounts]) => [ou, [...accounts]])),
    ramSharingEnabled: organization.ramSharingEnabled,
    // Absent stays absent (no `"rootId": undefined` members in the world file).
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** Whether `value` is a JSON object (not null, not a list). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses an organization the fake could not use: malformed IDs; OUs, names, suspended accounts or
 * delegated administrators naming accounts that are not members; `ouParents` naming an OU `ous`
 * lacks, or a parent that is neither the root nor such an OU, or making a cycle; a nested OU holding
 * an account its parent OU does not list (an OU lists its nested OUs' accounts too); an account in
 * two OUs neither of which is inside the other (an account has one parent).
 */
export function validateOrganization(organization: Organization): void {
  const account = /^\d{12}$/;
  if (typeof organization !== 'object' || organization === null) throw new Error('an organization is a JSON object');
  if (typeof organization.id !== 'string' || !/^o-[a-z0-9]{10,32}$/.test(organization.id)) {
    throw new Error(`organization id must be o- and 10 to 32 lower-case letters or digits, not ${organization.id}`);
  }
  if (typeof organization.managementAccount !== 'string' || !account.test(organization.managementAccount)) {
    throw new Error(
      `organization managementAccount must be a 12-digit account ID, not ${organization.managementAccount}`,
    );
  }
  if (
    !Array.isArray(organization.accounts) ||
    !organization.accounts.every((a) => typeof a === 'string' && account.test(a))
  ) {
    throw new Error('organization accounts must be 12-digit account IDs');
  }
  const isMember = (a: unknown) =>
    typeof a === 'string' && (organization.accounts.includes(a) || a === organization.managementAccount);
  if (!isRecord(organization.ous)) {
    throw new Error('organization ous must map OU IDs to lists of member accounts');
  }
  for (const [ou, accounts] of Object.entries(organization.ous)) {
    if (!OU_ID.test(ou)) {
      throw new Error(`OU ID ${ou} must look like ou-<root>-<8 to 32 characters>`);
    }
    if (!Array.isArray(accounts) || !accounts.every(isMember)) {
      throw new Error(`OU ${ou} may hold only accounts of the organization`);
    }
  }
  if (typeof organization.ramSharingEnabled !== 'boolean') {
    throw new Error('organization ramSharingEnabled must be true or false');
  }
  validateOrganizationsFields(organization, isMember);
}

/** `ou-<4 to 32 of the root's characters>-<8 to 32 lower-case letters or digits>`, as Organizations' OU IDs. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** {@link validateOrganization}'s checks of the optional fields AWS Organizations reads. */
function validateOrganizationsFields(organization: Organization, isMember: (a: unknown) => boolean): void {
  const { rootId, ouParents, ouNames, names, suspended, delegatedAdministrators } = organization;
  if (rootId !== undefined && (typeof rootId !== 'string' || !/^r-[0-9a-z]{4,32}$/.test(rootId))) {
    throw new Error(`organization rootId must be r- and 4 to 32 lower-case letters or digits, not ${rootId}`);
  }
  const root = organizationRootId(organization);
  const ous = organization.ous;
  const checkNames = (field: string, value: unknown, keyOk: (key: string) => boolean, what: string) => {
    if (value === undefined) return;
    if (!isRecord(value)) throw new Error(`organization ${field} must map ${what} to names`);
    for (const [key, name] of Object.entries(value)) {
      if (!keyOk(key)) throw new Error(`organization ${field} names ${key}, which is not ${what}`);
      if (typeof name !== 'string' || name === '') {
        throw new Error(`organization ${field}: the name of ${key} must be a non-empty string`);
      }
    }
  };
  checkNames('ouNames', ouNames, (key) => Object.hasOwn(ous, key), 'an OU of ous');
  checkNames('names', names, isMember, 'a member account of the organization');
  for (const [field, value] of [
    ['suspended', suspended],
    ['delegatedAdministrators', delegatedAdministrators],
  ] as const) {
    if (value !== undefined && (!Array.isArray(value) || !value.every(isMember))) {
      throw new Error(`organization ${field} must list member accounts only`);
    }
  }
  if (delegatedAdministrators?.includes(organization.managementAccount)) {
    throw new Error(
      'organization delegatedAdministrators may not list the management account (AWS refuses to register it)',
    );
  }
  if (ouParents !== undefined) {
    if (!isRecord(ouParents)) throw new Error('organization ouParents must map OU IDs to their parent (root or OU)');
    for (const [ou, parent] of Object.entries(ouParents)) {
      if (!Object.hasOwn(ous, ou)) throw new Error(`organization ouParents names ${ou}, which is not an OU of ous`);
      if (typeof parent !== 'string' || (parent !== root && !Object.hasOwn(ous, parent))) {
        throw new Error(`the parent of OU ${ou} must be the root ${root} or an OU of ous, not ${String(parent)}`);
      }
    }
  }
  // The OU tree: no cycle, and every OU's accounts listed by its parent OU too.
  const parentOf = (ou: string): string => ouParents?.[ou] ?? root;
  const ancestors = new Map<string, string[]>();
  for (const ou of Object.keys(ous)) {
    const chain: string[] = [];
    for (let up = parentOf(ou); up !== root; up = parentOf(up)) {
      if (up === ou || chain.includes(up)) throw new Error(`organization ouParents make a cycle through OU ${ou}`);
      chain.push(up);
    }
    ancestors.set(ou, chain);
    const parent = parentOf(ou);
    const missing = parent === root ? [] : ous[ou].filter((a) => !ous[parent].includes(a));
    if (missing.length > 0) {
      throw new Error(
        `OU ${parent} must list the accounts of its nested OU ${ou} too (${missing.join(', ')}): ous lists every account under an OU`,
      );
    }
  }
  // One parent per account: the OUs listing an account lie on one branch.
  for (const member of new Set(Object.values(ous).flat())) {
    const holding = Object.keys(ous).filter((ou) => ous[ou].includes(member));
    for (const a of holding) {
      for (const b of holding) {
        if (a < b && !ancestors.get(a)?.includes(b) && !ancestors.get(b)?.includes(a)) {
          throw new Error(
            `account ${member} is in OUs ${a} and ${b}, neither inside the other: an account has one parent`,
          );
        }
      }
    }
  }
}
