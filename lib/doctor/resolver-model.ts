/**
 * What a host name resolves to inside a spoke VPC, modelled on the Route 53 Resolver:
 *
 * - The VPC sees the private hosted zones it is associated with: hub zones through the spoke's
 *   `aws_route53_zone_association`s (followed through `for_each`, the remote-state read and the
 *   hub's outputs to the hub zone), and zones created with the VPC in their `vpc` blocks.
 * - The most specific visible zone whose name is a suffix of the host answers. Inside it: an exact
 *   record, else a wildcard record, else NXDOMAIN. A private zone never falls back to public DNS.
 *   Workloads ask for A (IPv4): a name whose records are of other types only (an AAAA or CNAME
 *   alias) exists but gives no address, and no wildcard answers it.
 * - No visible zone matches: the name goes to public DNS (`public`), except S3 names in a VPC with
 *   an S3 gateway endpoint, which reach S3 privately through it.
 * - A record is good only when it aliases an interface endpoint of the zone's service.
 * - A hub zone is visible only if the hub authorizes the VPC on it; otherwise the association would
 *   be refused (`unauthorized`).
 * - Route 53 Profiles: a VPC associated with a Profile (`aws_route53profiles_association`, followed
 *   like a zone association) sees every zone the Profile holds (`aws_route53profiles_resource_association`).
 *   The Profile must be shared with the spoke's account (an `aws_ram_principal_association` for the
 *   account, or an organization or OU principal), else the association would be refused
 *   (`unauthorized`). When a VPC sees a zone both directly and through its Profile, the direct
 *   association answers: see {@link DIRECT_ASSOCIATION_WINS}.
 * - Interface endpoints with private DNS (`sharing.dns: endpoints`, see private-dns.ts): a Profile
 *   that holds an endpoint (`aws_route53profiles_resource_association` to `aws_vpc_endpoint.<name>.arn`)
 *   serves its private DNS names (the catalog's `privateDnsNames`, wildcards included) to every VPC
 *   associated with it, as AWS-managed zones: one per name, the zone `x` for a wildcard name `*.x`.
 *   A VPC's own endpoints with private DNS count as zones associated with it directly. An endpoint
 *   serves nothing while `private_dns_enabled` is not true, or for S3 while
 *   `private_dns_only_for_inbound_resolver_endpoint` is true; a name left to public DNS says so.
 *   Precedence: {@link ENDPOINT_PRIVATE_DNS_RANKS_AS_ZONES}.
 */
import {
  publicDiscoveredName,
  SERVICE_NAMES,
  serviceEntry,
  servicesDiscoveredVia,
  zoneName,
  S3,
} from '../services/catalog';
import { ACCOUNT_ID, ACCOUNT_OUTPUT, SPOKE_STACK_PREFIX } from '../stack-names';
import { isRef, refAddress, type Ref, type Value } from './expression-evaluator';
import { answeringName, endpointPrivateDns, privateDnsZones, type EndpointPrivateDns } from './private-dns';
import type { Instance, SynthOutput, SynthStack } from './synth-output';

/**
 * Which zone answers when a VPC sees two private hosted zones of the same name, one associated with
 * the VPC directly and one through its Route 53 Profile: the direct one. Route 53 Developer Guide,
 * "What are Amazon Route 53 Profiles?", "How Route 53 Profile settings are prioritized": "When a DNS
 * query matches both the Resolver rule for a private hosted zone that is directly associated with
 * the VPC and a Resolver rule for a private hosted zone that is associated to the Profile, the local
 * DNS settings take precedence. When DNS query is made for a conflicting domain name, the most
 * specific one wins." Nothing refuses the combination ("You can have the local DNS settings and
 * associations set for Profiles for migration, or other testing purposes"), which is what makes a
 * switch between sharing modes safe. The fake (test/fake-aws/resolver.ts) models the same.
 * Source: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html
 */
export const DIRECT_ASSOCIATION_WINS = true;

/**
 * How an interface endpoint's private DNS, held by a Route 53 Profile, ranks against private hosted
 * zones: like a private hosted zone seen through the Profile, which it is (AWS manages one private
 * hosted zone per private DNS name of the endpoint; `*.dkr.ecr.<r>.amazonaws.com` lives in the zone
 * `dkr.ecr.<r>.amazonaws.com`). So a zone associated with the VPC directly wins over the Profile's
 * endpoint of the same name ({@link DIRECT_ASSOCIATION_WINS}), and between the Profile's zones and
 * endpoints, and the VPC's own ones, the most specific name wins. Route 53 Developer Guide, "What
 * are Amazon Route 53 Profiles?", "How Route 53 Profile settings are prioritized": "When a DNS query
 * matches both the Resolver rule for a private hosted zone that is directly associated with the VPC
 * and a Resolver rule for a private hosted zone that is associated to the Profile, the local DNS
 * settings take precedence. When DNS query is made for a conflicting domain name, the most specific
 * one wins." That page names private hosted zones, not endpoints; that an endpoint's private DNS
 * ranks as its managed zones do is this model's reading (the fake, test/fake-aws/resolver.ts, reads it
 * the same way). A Profile zone and a Profile endpoint of one name have no documented winner (and the
 * endpoint's private DNS cannot be turned on while a zone of that name is associated with its VPC:
 * ConflictingDomainExists): the doctor fails the name and says so, it does not pick one.
 * Sources: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profile-associate-vpc-endpoints.html
 */
export const ENDPOINT_PRIVATE_DNS_RANKS_AS_ZONES = true;

/** The outcome for one host name. */
export type Result =
  | 'ok'
  | 'NXDOMAIN'
  | 'public'
  | 'unauthorized'
  | 'wrong-target'
  /** Live only: the name resolves, but the endpoint is not available, or its security group does not admit the VPC. */
  | 'unreachable'
  /** Live only: the VPC's DNS does not reach the Route 53 Resolver (DNS support or hostnames off, custom DHCP DNS servers). */
  | 'no-dns';

/** One host name, resolved. */
export interface Answer {
  readonly host: string;
  readonly result: Result;
  /** How it resolves (zone -> record -> endpoint), when it does. */
  readonly path?: string;
  /** Why it fails, when it does. */
  readonly reason?: string;
}

/** A spoke VPC to check. */
export interface SpokeVpc {
  /** The spoke stack. */
  readonly stack: string;
  readonly account: string;
  /** The account's `name` from accounts.yaml (the spoke's `account` output), if it has one. */
  readonly accountName?: string;
  readonly vpcId: string;
  readonly region: string;
}

/**
 * A spoke stack the doctor cannot check (in part): its associations cannot be followed, so some
 * of its VPCs may resolve nothing through the hub. Always a failure, never left out silently.
 */
/** A spoke stack of a retired account: nothing of it is checked, it is listed on its own. */
export interface RetiredSpoke {
  readonly stack: string;
  readonly account: string;
  readonly accountName?: string;
  /** Resources the stack still declares (none, for a stack vpce-hub synthesized). */
  readonly resources: number;
}

export interface SpokeProblem {
  readonly stack: string;
  readonly account: string;
  readonly accountName?: string;
  /** The resource it is about, if any. */
  readonly address?: string;
  readonly reason: string;
}

interface Zone {
  readonly kind: 'zone';
  readonly key: string;
  readonly stack: string;
  readonly address: string;
  readonly name: string;
  /** VPCs in the zone's own `vpc` blocks. */
  readonly vpcs: readonly string[];
}

interface ZoneRecord {
  readonly address: string;
  readonly name: string;
  readonly instance: Instance;
}

interface Endpoint {
  readonly address: string;
  readonly stack: string;
  readonly service?: string;
  /** `Interface` or `Gateway` (Terraform's default). */
  readonly type: string;
  readonly vpcId?: string;
  readonly routeTables: number;
  /** Its private DNS, for an interface endpoint of a catalog service whose endpoint has one. */
  readonly privateDns?: EndpointPrivateDns;
}

/** One AWS-managed zone of an interface endpoint's private DNS (private-dns.ts). */
interface PrivateDnsZone {
  readonly kind: 'private-dns';
  /** The zone name: `dkr.ecr.<r>.amazonaws.com` for `*.dkr.ecr.<r>.amazonaws.com`. */
  readonly name: string;
  /** The endpoint's private DNS names in this zone. */
  readonly names: readonly string[];
  readonly endpoint: Endpoint;
}

/** A Route 53 Profile: its name, and the zones and endpoints it holds (keys of `zones` and `endpoints`). */
interface Profile {
  readonly name?: string;
  readonly zones: string[];
  readonly endpoints: string[];
}

/**
 * Whether a record answers an A (IPv4) query, the one workloads make: an A record, or a CNAME that
 * is not an alias (a plain CNAME answers every type; whether its target is an endpoint is checked
 * after).
 */
function answersA(record: ZoneRecord): boolean {
  const { type, alias } = record.instance.attrs;
  return type === 'A' || (type === 'CNAME' && alias === undefined);
}

/** Host names compare in lower case without the trailing dot. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** `aws_route53_record.name` as Route 53 stores it: relative names get the zone appended. */
function recordName(name: string, zone: string): string {
  const n = normalize(name);
  return n === zone || n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
}

function isUnder(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/**
 * A zone a VPC sees: directly, or through the Route 53 Profile `profile` (`<stack>: <address>`); a
 * private hosted zone, or one of an interface endpoint's private DNS.
 */
interface VisibleZone {
  readonly zone: Zone | PrivateDnsZone;
  /** Whether the association that makes it visible would be accepted. */
  readonly authorized: boolean;
  /** The association (and Profile) it is seen through, for messages. */
  readonly via: string;
  readonly profile?: string;
  /** The Profile as paths show it: `vpce-hub-<region> (hub: aws_route53profiles_profile.hub)`. */
  readonly profileLabel?: string;
  readonly unauthorizedReason?: string;
}

function refKey(stack: string, address: string): string {
  return `${stack}|${address}`;
}

/** The stack and address a ref points at, for a ref to `<type>.<name>.<attribute>` (one of `attributes`). */
function resourceRefKey(value: Value | undefined, type: string, attributes: readonly string[]): string | undefined {
  if (value === undefined || !isRef(value)) return undefined;
  return value.address.startsWith(`${type}.`) && value.path.length === 1 && attributes.includes(String(value.path[0]))
    ? refKey(value.stack, refAddress(value))
    : undefined;
}

/** The stack and address a ref points at, for refs to a zone's `zone_id`/`id`. */
function zoneRefKey(value: Value | undefined): string | undefined {
  return resourceRefKey(value, 'aws_route53_zone', ['zone_id', 'id']);
}

function asString(value: Value | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A JSON object's properties (none for anything else). */
function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function firstBlock(value: Value | undefined): Record<string, Value> | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return typeof block === 'object' && block !== null && !Array.isArray(block) && !isRef(block)
    ? (block as Record<string, Value>)
    : undefined;
}

/**
 * The AWS-managed zones of an endpoint's private DNS that answer VPC queries: none while its private
 * DNS is off (or, for S3, answers inbound Resolver endpoints only).
 */
function servedZones(endpoint: Endpoint): PrivateDnsZone[] {
  const dns = endpoint.privateDns;
  if (!dns || dns.off !== undefined) return [];
  return privateDnsZones(dns.names).map(({ zone, names }) => ({ kind: 'private-dns', name: zone, names, endpoint }));
}

/** A Profile as paths show it: `vpce-hub-<region> (hub: aws_route53profiles_profile.hub)`, or its address alone. */
function profileLabel(profile: Profile, key: string): string {
  const address = key.replace('|', ': ');
  return profile.name ? `${profile.name} (${address})` : address;
}

/** Everything the resolver needs from a synth output, indexed once. */
export class Resolver {
  private readonly zones = new Map<string, Zone>();
  private readonly records = new Map<string, ZoneRecord[]>();
  private readonly endpoints = new Map<string, Endpoint>();
  /** Each VPC's first S3 gateway endpoint with route tables, by VPC ID (asked for every S3 name). */
  private readonly s3Gateways = new Map<string, Endpoint>();
  /** Interface endpoints with private DNS, by VPC ID (their VPC sees their names directly). */
  private readonly privateDnsEndpoints = new Map<string, Endpoint[]>();
  private readonly authorizations = new Set<string>();
  private readonly associations = new Map<string, Array<{ zone?: string; address: string }>>();
  /** Profile key -> its name and the zones and endpoints it holds. */
  private readonly profiles = new Map<string, Profile>();
  /** Stack -> whom its RAM share(s) admit: account IDs, and whether an organization or OU is among them. */
  private readonly shares = new Map<string, { accounts: Set<string>; organization: boolean }>();
  /** VPC -> its Profile associations. */
  private readonly profileAssociations = new Map<
    string,
    Array<{ profile?: string; account: string; address: string }>
  >();
  private readonly vpcs: SpokeVpc[] = [];
  /** Spoke stacks, or parts of them, that cannot be checked: failures. */
  readonly problems: SpokeProblem[] = [];
  /** Spoke stacks of retired accounts (`retired = true` in their `account` output). */
  readonly retired: RetiredSpoke[] = [];
  /** Things the doctor could not follow; shown with the report. */
  readonly warnings: string[] = [];

  constructor(private readonly output: SynthOutput) {
    for (const stack of output.stacks) this.indexStack(stack);
    for (const stack of output.stacks) this.indexSpoke(stack);
  }

  /** Every spoke VPC found in the spoke stacks, in stack order. */
  spokeVpcs(): readonly SpokeVpc[] {
    return this.vpcs;
  }

  /** The services of every interface endpoint outside the spoke stacks (what the hub centralizes). */
  hubServices(): string[] {
    const spokeStacks = new Set(this.vpcs.map((v) => v.stack));
    const services = [...this.endpoints.values()]
      .filter((e) => e.type === 'Interface' && !spokeStacks.has(e.stack) && e.service)
      .map((e) => e.service as string);
    return [...new Set(services)];
  }

  /**
   * The instances of `type` in `stack`. A block whose for_each cannot be evaluated has none here,
   * which can only make names fail (a zone, record, endpoint or authorization missing), never pass;
   * it is named among the warnings so the failure can be explained.
   */
  private instancesOf(stack: SynthStack, type: string): Instance[] {
    const { instances, unevaluable } = stack.expand(type);
    for (const { address, argument } of unevaluable) {
      this.warnings.push(
        `${stack.name}: ${address}: its ${argument} cannot be evaluated from the synth output; its instances are left out`,
      );
    }
    return instances;
  }

  private indexStack(stack: SynthStack): void {
    const region = asString(stack.awsProvider().region);
    for (const zone of this.instancesOf(stack, 'aws_route53_zone')) {
      const name = asString(zone.attrs.name);
      if (!name) continue;
      const vpcs = (Array.isArray(zone.attrs.vpc) ? zone.attrs.vpc : [])
        .map((block) => asString(firstBlock(block)?.vpc_id))
        .filter((v): v is string => v !== undefined);
      const key = refKey(stack.name, zone.address);
      this.zones.set(key, { kind: 'zone', key, stack: stack.name, address: zone.address, name: normalize(name), vpcs });
    }
    for (const record of this.instancesOf(stack, 'aws_route53_record')) {
      const zoneKey = zoneRefKey(record.attrs.zone_id);
      const name = asString(record.attrs.name);
      const zone = zoneKey ? this.zones.get(zoneKey) : undefined;
      if (!zone || !name) {
        this.warnings.push(`${stack.name}: ${record.address}: cannot tell its zone or name; left out`);
        continue;
      }
      const list = this.records.get(zone.key) ?? [];
      list.push({ address: record.address, name: recordName(name, zone.name), instance: record });
      this.records.set(zone.key, list);
    }
    for (const endpoint of this.instancesOf(stack, 'aws_vpc_endpoint')) {
      const serviceName = asString(endpoint.attrs.service_name);
      const prefix = region ? `com.amazonaws.${region}.` : undefined;
      const routeTables = endpoint.attrs.route_table_ids;
      const type = asString(endpoint.attrs.vpc_endpoint_type) ?? 'Gateway';
      const privateDns = type === 'Interface' ? endpointPrivateDns(endpoint.attrs) : undefined;
      const indexed: Endpoint = {
        address: endpoint.address,
        stack: stack.name,
        service: serviceName && prefix && serviceName.startsWith(prefix) ? serviceName.slice(prefix.length) : undefined,
        type,
        vpcId: asString(endpoint.attrs.vpc_id),
        routeTables: Array.isArray(routeTables) ? routeTables.length : routeTables === undefined ? 0 : 1,
        ...(privateDns ? { privateDns } : {}),
      };
      this.endpoints.set(refKey(stack.name, endpoint.address), indexed);
      const { service, vpcId } = indexed;
      if (type === 'Gateway' && service === S3 && vpcId && indexed.routeTables > 0 && !this.s3Gateways.has(vpcId)) {
        this.s3Gateways.set(vpcId, indexed);
      }
      if (privateDns && vpcId) {
        this.privateDnsEndpoints.set(vpcId, [...(this.privateDnsEndpoints.get(vpcId) ?? []), indexed]);
      }
    }
    for (const profile of this.instancesOf(stack, 'aws_route53profiles_profile')) {
      const name = asString(profile.attrs.name);
      this.profiles.set(refKey(stack.name, profile.address), { ...(name ? { name } : {}), zones: [], endpoints: [] });
    }
    for (const held of this.instancesOf(stack, 'aws_route53profiles_resource_association')) {
      const profile = this.profiles.get(
        resourceRefKey(held.attrs.profile_id, 'aws_route53profiles_profile', ['id']) ?? '',
      );
      const zone = resourceRefKey(held.attrs.resource_arn, 'aws_route53_zone', ['arn']);
      const endpoint = resourceRefKey(held.attrs.resource_arn, 'aws_vpc_endpoint', ['arn']);
      if (profile && zone) profile.zones.push(zone);
      else if (profile && endpoint && this.heldEndpointFollowed(stack.name, held.address, endpoint)) {
        profile.endpoints.push(endpoint);
      } else if (!profile || !endpoint) {
        this.warnings.push(
          `${stack.name}: ${held.address}: cannot tell its Profile, or the zone or endpoint it holds; left out`,
        );
      }
    }
    for (const principal of this.instancesOf(stack, 'aws_ram_principal_association')) {
      const value = asString(principal.attrs.principal);
      const share = this.shares.get(stack.name) ?? { accounts: new Set<string>(), organization: false };
      if (value && ACCOUNT_ID.test(value)) share.accounts.add(value);
      else if (value?.startsWith('arn:aws:organizations::')) share.organization = true;
      this.shares.set(stack.name, share);
    }
    for (const authorization of this.instancesOf(stack, 'aws_route53_vpc_association_authorization')) {
      const zone = zoneRefKey(authorization.attrs.zone_id);
      const vpc = asString(authorization.attrs.vpc_id);
      if (zone && vpc) this.authorizations.add(`${zone}#${vpc}`);
    }
  }

  /**
   * Whether the endpoint `key` that a Profile holds (through `address`) is one whose private DNS the
   * doctor can follow; a warning names what it cannot (the endpoint then serves nothing, which can
   * only make names fail).
   */
  private heldEndpointFollowed(stack: string, address: string, key: string): boolean {
    const endpoint = this.endpoints.get(key);
    const why = !endpoint
      ? 'an endpoint that is not in this synth output'
      : endpoint.type !== 'Interface'
        ? `${endpoint.address}, a ${endpoint.type} endpoint: only interface endpoints have private DNS`
        : !endpoint.privateDns
          ? `${endpoint.address}, whose service_name is not com.amazonaws.<region>.<service> of a catalog service with private DNS names`
          : endpoint.privateDns.unknown
            ? `${endpoint.address}: ${endpoint.privateDns.off}`
            : undefined;
    if (why) this.warnings.push(`${stack}: ${address}: holds ${why}; its private DNS is left out`);
    return why === undefined || endpoint?.privateDns?.unknown === true;
  }

  private indexSpoke(stack: SynthStack): void {
    const zoneAssociations = stack.expand('aws_route53_zone_association');
    const profileAssociations = stack.expand('aws_route53profiles_association');
    const associations = zoneAssociations.instances;
    const unevaluable = [...zoneAssociations.unevaluable, ...profileAssociations.unevaluable];
    const isSpoke = stack.name.startsWith(SPOKE_STACK_PREFIX);
    if (
      associations.length === 0 &&
      profileAssociations.instances.length === 0 &&
      unevaluable.length === 0 &&
      !isSpoke
    ) {
      return;
    }
    const provider = stack.awsProvider();
    const allowed = provider.allowed_account_ids;
    const account = (Array.isArray(allowed) ? asString(allowed[0]) : undefined) ?? stack.name.replace(/^spoke-/, '');
    const label = stack.outputs()[ACCOUNT_OUTPUT];
    const accountName =
      typeof label === 'object' && label !== null && !Array.isArray(label) && !isRef(label)
        ? asString(label.name)
        : undefined;
    const region = asString(provider.region) ?? 'unknown-region';
    const named = accountName === undefined ? {} : { accountName };
    const isRetired =
      typeof label === 'object' && label !== null && !Array.isArray(label) && !isRef(label) && label.retired === true;
    if (isRetired) {
      const resources = Object.values(asObject(stack.json.resource)).reduce<number>(
        (n, byName) => n + Object.keys(asObject(byName)).length,
        0,
      );
      this.retired.push({ stack: stack.name, account, ...named, resources });
      return;
    }
    const problem = (reason: string, address?: string) =>
      this.problems.push({
        stack: stack.name,
        account,
        ...named,
        ...(address === undefined ? {} : { address }),
        reason,
      });
    for (const { address, argument } of unevaluable) {
      problem(
        `its ${argument} cannot be evaluated from the synth output (${
          argument === 'count' ? 'not a whole number' : 'not a literal map or set'
        }, nor a local or hub output that resolves to one), so nobody can tell which VPCs it associates with ` +
          'which zone: the spoke cannot be checked',
        address,
      );
    }
    const vpcIds: string[] = [];
    const addVpc = (vpc: string | undefined) => {
      if (vpc && !vpcIds.includes(vpc)) vpcIds.push(vpc);
    };
    for (const association of associations) {
      const vpc = asString(association.attrs.vpc_id);
      const zone = zoneRefKey(association.attrs.zone_id);
      if (!vpc) {
        problem(
          'its vpc_id cannot be evaluated from the synth output, so nobody can tell which VPC it associates: that VPC cannot be checked',
          association.address,
        );
        continue;
      }
      if (!zone) {
        this.warnings.push(
          `${stack.name}: ${association.address}: cannot follow its zone_id to a zone of this synth output (is ` +
            `the remote state's backend one of these stacks'?)`,
        );
      }
      addVpc(vpc);
      const list = this.associations.get(vpc) ?? [];
      list.push({ zone, address: `${stack.name}: ${association.address}` });
      this.associations.set(vpc, list);
    }
    for (const association of profileAssociations.instances) {
      const vpc = asString(association.attrs.resource_id);
      const profile = resourceRefKey(association.attrs.profile_id, 'aws_route53profiles_profile', ['id']);
      if (!vpc) {
        problem(
          'its resource_id cannot be evaluated from the synth output, so nobody can tell which VPC it associates: that VPC cannot be checked',
          association.address,
        );
        continue;
      }
      if (!profile) {
        this.warnings.push(
          `${stack.name}: ${association.address}: cannot follow its profile_id to a Route 53 Profile of this synth ` +
            `output (is the remote state's backend one of these stacks'?)`,
        );
      }
      addVpc(vpc);
      const list = this.profileAssociations.get(vpc) ?? [];
      list.push({ profile, account, address: `${stack.name}: ${association.address}` });
      this.profileAssociations.set(vpc, list);
      if (list.length === 2) {
        problem(
          `${vpc} is associated with two Route 53 Profiles; a VPC can have only one, so the second association fails`,
          association.address,
        );
      }
    }
    for (const endpoint of this.endpoints.values()) if (endpoint.stack === stack.name) addVpc(endpoint.vpcId);
    if (vpcIds.length === 0 && unevaluable.length === 0) {
      problem(
        'no aws_route53_zone_association, no aws_route53profiles_association and no VPC found: none of its VPCs would resolve through the hub',
      );
    }
    for (const vpcId of vpcIds) this.vpcs.push({ stack: stack.name, account, ...named, vpcId, region });
  }

  /**
   * The zones `vpc` sees, each with whether its association would be accepted, and whether it is
   * seen through a Route 53 Profile. Of two zones with one name, the direct one alone is kept
   * ({@link DIRECT_ASSOCIATION_WINS}).
   */
  private visibleZones(vpc: SpokeVpc): VisibleZone[] {
    const direct: VisibleZone[] = [];
    for (const association of this.associations.get(vpc.vpcId) ?? []) {
      const zone = association.zone ? this.zones.get(association.zone) : undefined;
      if (!zone) continue;
      const authorized = zone.stack === vpc.stack || this.authorizations.has(`${zone.key}#${vpc.vpcId}`);
      direct.push({ zone, authorized, via: association.address });
    }
    for (const zone of this.zones.values()) {
      if (zone.vpcs.includes(vpc.vpcId)) {
        direct.push({ zone, authorized: true, via: `${zone.stack}: ${zone.address} vpc block` });
      }
    }
    for (const endpoint of this.privateDnsEndpoints.get(vpc.vpcId) ?? []) {
      for (const zone of servedZones(endpoint)) {
        direct.push({ zone, authorized: true, via: `${endpoint.stack}: ${endpoint.address} private DNS` });
      }
    }
    const throughProfile: typeof direct = [];
    for (const association of this.profileAssociations.get(vpc.vpcId) ?? []) {
      const profile = association.profile ? this.profiles.get(association.profile) : undefined;
      if (!association.profile || !profile) continue;
      const [profileStack, profileAddress] = association.profile.split('|');
      const share = this.shares.get(profileStack);
      const seen = {
        authorized:
          profileStack === vpc.stack ||
          share?.organization === true ||
          share?.accounts.has(association.account) === true,
        via: `${association.address} -> ${profileStack}: ${profileAddress}`,
        profile: `${profileStack}: ${profileAddress}`,
        profileLabel: profileLabel(profile, association.profile),
        unauthorizedReason:
          `the Route 53 Profile ${profileStack}: ${profileAddress} is not shared with account ${association.account} ` +
          `(no aws_ram_principal_association for it, and no organization or OU principal): the Profile association ` +
          `would be refused`,
      };
      for (const zone of profile.zones.map((key) => this.zones.get(key))) {
        if (zone) throughProfile.push({ zone, ...seen });
      }
      // Ranked with the zones, by name ({@link ENDPOINT_PRIVATE_DNS_RANKS_AS_ZONES}).
      for (const endpoint of profile.endpoints.map((key) => this.endpoints.get(key))) {
        if (ENDPOINT_PRIVATE_DNS_RANKS_AS_ZONES && endpoint) {
          for (const zone of servedZones(endpoint)) throughProfile.push({ zone, ...seen });
        }
      }
    }
    const directNames = new Set(direct.map((d) => d.zone.name));
    return [...direct, ...throughProfile.filter((p) => !(DIRECT_ASSOCIATION_WINS && directNames.has(p.zone.name)))];
  }

  /** The catalog service whose zone is `zone` in `region`, if any. */
  private serviceOfZone(zone: string, region: string): string | undefined {
    return SERVICE_NAMES.find((service) => zoneName(service, region) === zone);
  }

  /** Resolves `host` as a workload in `vpc` would. */
  resolve(vpc: SpokeVpc, rawHost: string): Answer {
    const host = normalize(rawHost);
    const matches = this.visibleZones(vpc)
      .filter(({ zone }) => isUnder(host, zone.name))
      .sort((a, b) => b.zone.name.length - a.zone.name.length);
    if (matches.length === 0) return this.publicAnswer(vpc, host);

    const seen = matches[0];
    const { zone, authorized, unauthorizedReason, via, profile } = seen;
    const where =
      zone.kind === 'zone'
        ? `zone ${zone.name} (${zone.stack}: ${zone.address}${profile ? `, through ${via}` : ''})`
        : `the private DNS ${zone.names.join(', ')} of ${zone.endpoint.stack}: ${zone.endpoint.address}` +
          `${profile ? ` (through ${via})` : ''}`;
    const rival = matches.find((m) => m !== seen && m.zone.name === zone.name);
    if (rival && (zone.kind === 'private-dns' || rival.zone.kind === 'private-dns')) {
      return this.conflictAnswer(host, seen, rival);
    }
    const gateway = zone.name === zoneName(S3, vpc.region) ? this.ownS3Gateway(vpc) : undefined;
    if (gateway) {
      const fix = profile
        ? `A Route 53 Profile cannot leave s3 out for one VPC: take s3 out of services, or this VPC out of s3GatewayRouteTables`
        : `Synthesize again: vpce-hub does not associate such a VPC with the s3 zone`;
      return {
        host,
        result: 'wrong-target',
        reason:
          `${where} answers S3 names in ${vpc.vpcId}, which has its own S3 gateway endpoint (${gateway.stack}: ` +
          `${gateway.address}): the gateway carries nothing. ${fix}`,
      };
    }
    if (!authorized) {
      return {
        host,
        result: 'unauthorized',
        reason:
          unauthorizedReason ??
          `${where} has no aws_route53_vpc_association_authorization for ${vpc.vpcId}: the association would be refused`,
      };
    }
    if (zone.kind === 'private-dns') return this.privateDnsAnswer(host, zone, seen.profileLabel, where);
    const records = this.records.get(zone.key) ?? [];
    const wildcard = records
      .filter((r) => r.name.startsWith('*.') && isUnder(host, r.name.slice(2)) && host !== r.name.slice(2))
      .sort((a, b) => b.name.length - a.name.length)[0];
    // A name with records of any type exists: a wildcard does not answer it (RFC 4592).
    const exact = records.filter((r) => r.name === host);
    const named = exact.length > 0 ? exact : records.filter((r) => r.name === wildcard?.name);
    if (named.length === 0) {
      return {
        host,
        result: 'NXDOMAIN',
        reason: `${where} has no record for this name and no wildcard record; a private zone never falls back to public DNS`,
      };
    }
    const record = named.find(answersA);
    if (!record) return this.noAddressAnswer(host, zone, named, profile ? ` (Profile ${profile})` : '');
    return this.checkTarget(
      host,
      zone,
      record,
      this.serviceOfZone(zone.name, vpc.region),
      profile ? ` (Profile ${profile})` : '',
    );
  }

  /**
   * A name answered by an interface endpoint's private DNS: through the Profile
   * (`Profile <name> (<stack>: <address>) -> private DNS <name> -> <stack>: <endpoint> (<service>)`),
   * or the VPC's own endpoint (`private DNS <name> -> ...`). A name of the zone that no private DNS
   * name answers (the apex of a wildcard-only zone, `dkr.ecr.<r>.amazonaws.com`) gets no address.
   */
  private privateDnsAnswer(
    host: string,
    zone: PrivateDnsZone,
    profileLabel: string | undefined,
    where: string,
  ): Answer {
    const name = answeringName(zone.names, host);
    if (!name) {
      return {
        host,
        result: 'NXDOMAIN',
        reason:
          `${where} answers names below ${zone.name} only, not this one: AWS manages the zone ${zone.name} for it, ` +
          `and a private zone never falls back to public DNS`,
      };
    }
    const { endpoint } = zone;
    const path = `${profileLabel ? `Profile ${profileLabel} -> ` : ''}private DNS ${name}`;
    return {
      host,
      result: 'ok',
      path: `${path} -> ${endpoint.stack}: ${endpoint.address} (${endpoint.privateDns?.service ?? endpoint.service})`,
    };
  }

  /**
   * Two answers of one name for one VPC, at least one an endpoint's private DNS: a Profile that
   * holds a zone and an endpoint of the same name, or a VPC with its own endpoint and a zone of that
   * name. AWS documents no winner, and refuses private DNS on an endpoint whose VPC has such a zone
   * (ConflictingDomainExists): a failure, never a guess ({@link ENDPOINT_PRIVATE_DNS_RANKS_AS_ZONES}).
   */
  private conflictAnswer(host: string, seen: VisibleZone, rival: VisibleZone): Answer {
    const describe = ({ zone, via }: VisibleZone) =>
      zone.kind === 'zone'
        ? `the zone ${zone.stack}: ${zone.address} (through ${via})`
        : `the private DNS of ${zone.endpoint.stack}: ${zone.endpoint.address} (through ${via})`;
    return {
      host,
      result: 'wrong-target',
      reason:
        `${describe(seen)} and ${describe(rival)} both answer ${seen.zone.name}: which one a VPC gets is not ` +
        `documented, and AWS refuses private DNS on an endpoint while a zone of the same name is associated ` +
        `with its VPC (ConflictingDomainExists). Keep one of them (sharing.zoneServices keeps a hub service on its zone)`,
    };
  }

  /**
   * A name whose records (the exact ones, else the most specific wildcard's) include none that
   * answers the A query a workload makes: an alias record answers queries of its own type only, so
   * an AAAA or CNAME alias gives no IPv4 address, and the name exists, so nothing else answers it.
   */
  private noAddressAnswer(host: string, zone: Zone, named: readonly ZoneRecord[], profile: string): Answer {
    const types = named.map((r) => {
      const type = r.instance.attrs.type;
      return typeof type === 'string'
        ? `${r.address} is a record of type ${type}`
        : `the type of ${r.address} cannot be evaluated from the synth output`;
    });
    return {
      host,
      result: 'wrong-target',
      reason:
        `${zone.name}${profile} -> ${types.join(', ')}: nothing answers the A query workloads make (an alias ` +
        'record answers queries of its own type only), and the name exists, so no wildcard or public DNS answers ' +
        'it either. Make the record type A',
    };
  }

  private checkTarget(host: string, zone: Zone, record: ZoneRecord, service: string | undefined, profile = ''): Answer {
    const path = `${zone.name}${profile} -> ${record.address}`;
    const alias = firstBlock(record.instance.attrs.alias);
    const target = alias?.name;
    const endpoint =
      target !== undefined && isRef(target) && target.path[0] === 'dns_entry'
        ? this.endpoints.get(refKey((target as Ref).stack, refAddress(target as Ref)))
        : undefined;
    if (!endpoint) {
      return {
        host,
        result: 'wrong-target',
        reason: `${path} is not an alias to an interface endpoint of this synth output`,
      };
    }
    if (endpoint.type !== 'Interface') {
      return {
        host,
        result: 'wrong-target',
        reason: `${path} -> ${endpoint.address} is a ${endpoint.type} endpoint, not an interface endpoint`,
      };
    }
    if (service && endpoint.service !== service) {
      return {
        host,
        result: 'wrong-target',
        reason: `${path} -> ${endpoint.address} is the ${endpoint.service ?? 'unknown'} endpoint, not ${service}`,
      };
    }
    return { host, result: 'ok', path: `${path} -> ${endpoint.stack}: ${endpoint.address} (${endpoint.service})` };
  }

  /** The S3 gateway endpoint of `vpc` itself, with route tables, if it has one. */
  private ownS3Gateway(vpc: SpokeVpc) {
    return this.s3Gateways.get(vpc.vpcId);
  }

  private publicAnswer(vpc: SpokeVpc, host: string): Answer {
    const s3Zone = zoneName(S3, vpc.region);
    if (isUnder(host, s3Zone)) {
      const gateway = this.ownS3Gateway(vpc);
      if (gateway) {
        return { host, result: 'ok', path: `public DNS -> S3 gateway endpoint ${gateway.stack}: ${gateway.address}` };
      }
    }
    return {
      host,
      result: 'public',
      reason:
        `no associated private zone covers it: it resolves in public DNS, needs a NAT path and bypasses the hub ` +
        `endpoints${this.privateDnsNote(vpc, host)}${this.discoveryNote(host, vpc.region)}`,
    };
  }

  /**
   * For a name left to public DNS that an interface endpoint's private DNS would answer: why `vpc`
   * does not get it. The VPC's Profile holds the endpoint but its private DNS serves no VPC queries
   * (`private_dns_enabled` false; S3's inbound-only option), or the endpoint serves them but the
   * VPC's Profile does not hold it (its `aws_route53profiles_resource_association` is missing) or
   * the VPC has no Profile. Empty when no endpoint's private DNS names cover it.
   */
  private privateDnsNote(vpc: SpokeVpc, host: string): string {
    const profiles = (this.profileAssociations.get(vpc.vpcId) ?? [])
      .map((a) => a.profile)
      .filter((key): key is string => key !== undefined && this.profiles.has(key));
    const notes: string[] = [];
    for (const [key, endpoint] of this.endpoints) {
      const dns = endpoint.privateDns;
      if (!dns || endpoint.vpcId === vpc.vpcId || !answeringName(dns.names, host)) continue;
      const what = `the ${dns.service} endpoint ${endpoint.stack}: ${endpoint.address}`;
      const holders = profiles.filter((p) => this.profiles.get(p)!.endpoints.includes(key));
      const label = (p: string) => `the Route 53 Profile ${profileLabel(this.profiles.get(p)!, p)}`;
      if (holders.length > 0 && dns.off) notes.push(`${label(holders[0])} holds ${what}, but ${dns.off}`);
      else if (holders.length === 0 && !dns.off && profiles.length > 0) {
        notes.push(
          `${label(profiles[0])} does not hold ${what}, whose private DNS answers this name: no ` +
            `aws_route53profiles_resource_association for it, so the name reaches only the endpoint's own VPC`,
        );
      } else if (holders.length === 0 && !dns.off) {
        notes.push(
          `${what} answers this name with private DNS, but ${vpc.vpcId} is associated with no Route 53 Profile ` +
            `of this synth output that could hold it`,
        );
      }
    }
    return notes.map((note) => `; ${note}`).join('');
  }

  /**
   * For the name of an API that hands out other services' names (`ecs`, whose DiscoverPollEndpoint
   * hands the ECS agent its ecs-a / ecs-t names; the catalog's `discoveredVia`): what else goes
   * public when that API is not reached through an interface endpoint. Empty for other names.
   */
  private discoveryNote(host: string, region: string): string {
    const service = this.serviceOfZone(host, region);
    const handedOut = service ? servicesDiscoveredVia(service) : [];
    const via = handedOut.length > 0 ? serviceEntry(handedOut[0]).discoveredVia : undefined;
    if (!service || !via) return '';
    const call = via.call.charAt(0).toUpperCase() + via.call.slice(1);
    const names = handedOut.map((s) => publicDiscoveredName(s, region)).join(' and ');
    return (
      `. ${call} goes to this name too; not made through an ${service} interface endpoint, it is answered with ` +
      `${names}: public names that no private zone can answer, so ${handedOut.join(' and ')} bypass the hub ` +
      `as well`
    );
  }

  /** The first list of strings any stack outputs as `outputName` (the hub's `ecr_registry_accounts`, `retired_services`); empty without one. */
  stringListOutput(outputName: string): string[] {
    for (const stack of this.output.stacks) {
      const value = stack.outputs()[outputName];
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    }
    return [];
  }
}
