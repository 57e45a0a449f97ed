/**
 * The fake's Route 53 (REST-XML under `/2013-04-01/`): private hosted zones, their records, VPC
 * association authorizations and associations, tags and changes, with Route 53's own rules:
 *
 * - only the zone's owner manages it, its records and its authorizations;
 * - a VPC of another account associates only with an authorization for that (zone, VPC), and only
 *   its owner associates it;
 * - a VPC cannot see two zones of the same name (`ConflictingDomainExists`), and the AWS-managed zones
 *   of its VPC endpoints' private DNS count (private-dns.ts): a zone named like one of them, created
 *   on or associated with the VPC, is `ConflictingDomainExists` too (FACTS: "If a spoke VPC already
 *   has its own endpoint for the same service with private DNS on, the association fails with
 *   ConflictingDomainExists"; the message is the fake's own);
 * - at most `vpcsPerZone` VPCs per zone (`LimitsExceeded`), and never fewer than one for a private
 *   zone (`LastVPCAssociation`);
 * - a zone with records besides its SOA and NS is not deleted (`HostedZoneNotEmpty`);
 * - names come back fully qualified with `*` as `\052`.
 */
import { vpceHostedZoneId } from './endpoint-services';
import { isWithin, normalizeName, recordOrderKey, route53Name } from './dns-names';
import { endpointWithZone } from './private-dns';
import { AwsError, pageOf, tagPairs, type XmlNode } from './protocol';
import type { Caller } from './sts';
import type { HostedZone, ResourceRecordSet, VpcRef, World } from './world';

/** The XML namespace of Route 53 replies. */
export const ROUTE53_NAMESPACE = 'https://route53.amazonaws.com/doc/2013-04-01/';

/** A reply: HTTP status, root element and its body. */
export interface Route53Reply {
  readonly status: number;
  readonly root: string;
  readonly body: Record<string, unknown>;
  /** Whether the world changed. */
  readonly changed: boolean;
}

/** A Route 53 request, already routed. */
export interface Route53Request {
  readonly method: string;
  /** The path below `/2013-04-01/`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed XML body. */
  readonly body: Record<string, XmlNode>;
}

/** The action a request is, for the call log; undefined when no action matches. */
export function route53Action(method: string, path: string): string | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  const [first, , third] = parts;
  const key = `${method} ${first ?? ''}${parts.length > 1 ? '/{id}' : ''}${third ? `/${third}` : ''}`;
  const actions: Record<string, string> = {
    'POST hostedzone': 'CreateHostedZone',
    'GET hostedzone': 'ListHostedZones',
    'GET hostedzone/{id}': 'GetHostedZone',
    'POST hostedzone/{id}': 'UpdateHostedZoneComment',
    'DELETE hostedzone/{id}': 'DeleteHostedZone',
    'GET hostedzone/{id}/rrset': 'ListResourceRecordSets',
    'POST hostedzone/{id}/rrset': 'ChangeResourceRecordSets',
    'POST hostedzone/{id}/associatevpc': 'AssociateVPCWithHostedZone',
    'POST hostedzone/{id}/disassociatevpc': 'DisassociateVPCFromHostedZone',
    'POST hostedzone/{id}/authorizevpcassociation': 'CreateVPCAssociationAuthorization',
    'GET hostedzone/{id}/authorizevpcassociation': 'ListVPCAssociationAuthorizations',
    'POST hostedzone/{id}/deauthorizevpcassociation': 'DeleteVPCAssociationAuthorization',
    'GET change/{id}': 'GetChange',
    'GET hostedzonesbyvpc': 'ListHostedZonesByVPC',
    'GET tags/{id}/hostedzone': 'ListTagsForResource',
    'POST tags/{id}/hostedzone': 'ChangeTagsForResource',
    'POST tags/{id}': 'ListTagsForResources',
  };
  // tags/hostedzone/<id> has the resource type in the middle: normalize it to the table's form.
  if (first === 'tags') {
    if (parts.length === 3) return actions[`${method} tags/{id}/hostedzone`];
    if (parts.length === 2) return actions[`${method} tags/{id}`];
  }
  return actions[key];
}

const MAX_ITEMS = 100;
/** ListVPCAssociationAuthorizations answers 50 at a time, as AWS does by default, and never more. */
const AUTHORIZATIONS_PAGE = 50;
/** ListResourceRecordSets answers up to 300 record sets a page, its default and its most. */
const RECORDS_PAGE = 300;
/** ListHostedZonesByVPC answers up to 100 zones a page (assumed: as ListHostedZones). */
const ZONES_BY_VPC_PAGE = 100;

/**
 * A page size from `MaxItems` / `MaxResults` (absent: `fallback`); more than `most` is `most`, as
 * Route 53 answers; anything but a positive whole number is InvalidInput.
 */
function pageSize(raw: string | null, fallback: number, most: number, name: string): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1) {
    throw new AwsError(
      'InvalidInput',
      `1 validation error detected: Value '${raw}' at '${name}' must be a positive integer`,
    );
  }
  return Math.min(value, most);
}

/** Route 53's error for a `NextToken` it did not hand out. */
const invalidToken = (token: string | null) => () =>
  new AwsError('InvalidPaginationToken', `The pagination token ${token} is invalid or expired.`);

function zoneXml(zone: HostedZone) {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: route53Name(zone.name),
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment ? { Comment: zone.comment } : {}), PrivateZone: zone.private },
    ResourceRecordSetCount: zone.records.length,
  };
}

function vpcXml(vpc: VpcRef) {
  return { VPCRegion: vpc.region, VPCId: vpc.vpcId };
}

function recordXml(record: ResourceRecordSet) {
  return {
    Name: route53Name(record.name),
    Type: record.type,
    ...(record.alias
      ? {
          AliasTarget: {
            HostedZoneId: record.alias.hostedZoneId,
            DNSName: route53Name(record.alias.dnsName),
            EvaluateTargetHealth: record.alias.evaluateTargetHealth,
          },
        }
      : {
          TTL: record.ttl ?? 300,
          ResourceRecords: { ResourceRecord: (record.values ?? []).map((Value) => ({ Value })) },
        }),
  };
}

/** One text member of a parsed XML element. */
function text(node: XmlNode, key: string): string | undefined {
  const value = node?.[key];
  return value === undefined || value === null ? undefined : String(value);
}

function requireText(node: XmlNode, key: string): string {
  const value = text(node, key);
  if (value === undefined || value === '') {
    throw new AwsError('InvalidInput', `1 validation error detected: ${key} must not be null`);
  }
  return value;
}

/** The `<VPC>` of a request body. */
function vpcOf(request: XmlNode): VpcRef {
  const vpc = request?.VPC;
  return { vpcId: requireText(vpc, 'VPCId'), region: requireText(vpc, 'VPCRegion') };
}

function stripId(id: string): string {
  return decodeURIComponent(id).replace(/^\/?(hostedzone|change)\//, '');
}

export class Route53 {
  constructor(private readonly world: World) {}

  private newChange(): Record<string, unknown> {
    return {
      ChangeInfo: {
        Id: `/change/${this.world.newRoute53Id('C')}`,
        Status: 'PENDING',
        SubmittedAt: new Date().toISOString(),
      },
    };
  }

  /** The zone `id`, which only its owner may touch. */
  private zone(caller: Caller, id: string): HostedZone {
    const zone = this.world.data.zones[stripId(id)];
    if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${stripId(id)}`, 404);
    if (zone.account !== caller.account) {
      throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to access this resource`, 403);
    }
    return zone;
  }

  /** The VPC, which must exist and belong to the caller (`InvalidVPCId` otherwise, as Route 53 says). */
  private ownVpc(caller: Caller, vpc: VpcRef): void {
    const known = this.world.data.vpcs[vpc.vpcId];
    if (!known || known.account !== caller.account || known.region !== vpc.region) {
      throw new AwsError(
        'InvalidVPCId',
        `The VPC ID '${vpc.vpcId}' is invalid or does not belong to the account ${caller.account} in ${vpc.region}.`,
      );
    }
  }

  /** Refuses a second zone named like `name` on one VPC: a hosted zone, or a VPC endpoint's private DNS. */
  private checkNoConflict(name: string, vpcId: string): void {
    const clash = Object.values(this.world.data.zones).find(
      (z) => z.name === name && z.vpcs.some((v) => v.vpcId === vpcId),
    );
    if (clash) {
      throw new AwsError(
        'ConflictingDomainExists',
        `The VPC ${vpcId} is already associated with a hosted zone named ${route53Name(name)} (${clash.id}).`,
      );
    }
    const managed = endpointWithZone(this.world, vpcId, name);
    if (managed) {
      throw new AwsError(
        'ConflictingDomainExists',
        `The VPC ${vpcId} is already associated with a hosted zone named ${route53Name(name)}: ` +
          `the private DNS of its VPC endpoint ${managed.endpoint.id} (${managed.endpoint.serviceName}).`,
      );
    }
  }

  /** Handles one request for `caller`. */
  handle(caller: Caller, request: Route53Request): Route53Reply {
    const action = route53Action(request.method, request.path);
    const parts = request.path.split('/').filter((p) => p !== '');
    const id = parts[0] === 'tags' ? (parts[2] ?? '') : (parts[1] ?? '');
    const body = request.body;
    const read = (root: string, reply: Record<string, unknown>): Route53Reply => ({
      status: 200,
      root,
      body: reply,
      changed: false,
    });
    const write = (root: string, reply: Record<string, unknown>, status = 200): Route53Reply => ({
      status,
      root,
      body: reply,
      changed: true,
    });
    switch (action) {
      case 'CreateHostedZone':
        return write('CreateHostedZoneResponse', this.createHostedZone(caller, body.CreateHostedZoneRequest), 201);
      case 'ListHostedZones': {
        const zones = Object.values(this.world.data.zones).filter((z) => z.account === caller.account);
        return read('ListHostedZonesResponse', {
          HostedZones: { HostedZone: zones.map(zoneXml) },
          IsTruncated: false,
          MaxItems: MAX_ITEMS,
        });
      }
      case 'GetHostedZone': {
        const zone = this.zone(caller, id);
        return read('GetHostedZoneResponse', { HostedZone: zoneXml(zone), VPCs: { VPC: zone.vpcs.map(vpcXml) } });
      }
      case 'UpdateHostedZoneComment': {
        const zone = this.zone(caller, id);
        zone.comment = text(body.UpdateHostedZoneCommentRequest, 'Comment') ?? '';
        return write('UpdateHostedZoneCommentResponse', { HostedZone: zoneXml(zone) });
      }
      case 'DeleteHostedZone': {
        const zone = this.zone(caller, id);
        const extra = zone.records.filter((r) => !(r.name === zone.name && (r.type === 'SOA' || r.type === 'NS')));
        if (extra.length > 0) {
          throw new AwsError(
            'HostedZoneNotEmpty',
            'The specified hosted zone contains non-required resource record sets and so cannot be deleted ' +
              `(${extra.length}, e.g. ${route53Name(extra[0].name)} ${extra[0].type}).`,
          );
        }
        delete this.world.data.zones[zone.id];
        return write('DeleteHostedZoneResponse', this.newChange());
      }
      case 'ListResourceRecordSets':
        return read('ListResourceRecordSetsResponse', this.listRecords(this.zone(caller, id), request.query));
      case 'ChangeResourceRecordSets':
        return write(
          'ChangeResourceRecordSetsResponse',
          this.changeRecords(this.zone(caller, id), body.ChangeResourceRecordSetsRequest),
        );
      case 'CreateVPCAssociationAuthorization': {
        const zone = this.zone(caller, id);
        const vpc = vpcOf(body.CreateVPCAssociationAuthorizationRequest);
        if (!zone.private) {
          throw new AwsError('InvalidInput', 'VPC association authorizations apply to private hosted zones only.');
        }
        if (!zone.authorizations.some((a) => a.vpcId === vpc.vpcId && a.region === vpc.region)) {
          zone.authorizations.push(vpc);
        }
        return write('CreateVPCAssociationAuthorizationResponse', { HostedZoneId: zone.id, VPC: vpcXml(vpc) });
      }
      case 'ListVPCAssociationAuthorizations': {
        const zone = this.zone(caller, id);
        const token = request.query.get('nexttoken');
        const size = pageSize(request.query.get('maxresults'), AUTHORIZATIONS_PAGE, AUTHORIZATIONS_PAGE, 'maxResults');
        const { page, nextToken } = pageOf(zone.authorizations, token, size, invalidToken(token));
        return read('ListVPCAssociationAuthorizationsResponse', {
          HostedZoneId: zone.id,
          ...(nextToken ? { NextToken: nextToken } : {}),
          VPCs: { VPC: page.map(vpcXml) },
        });
      }
      case 'DeleteVPCAssociationAuthorization': {
        const zone = this.zone(caller, id);
        const vpc = vpcOf(body.DeleteVPCAssociationAuthorizationRequest);
        const index = zone.authorizations.findIndex((a) => a.vpcId === vpc.vpcId && a.region === vpc.region);
        if (index < 0) {
          throw new AwsError(
            'VPCAssociationAuthorizationNotFound',
            `The VPC ${vpc.vpcId} has no authorization to associate with ${zone.id}.`,
            404,
          );
        }
        zone.authorizations.splice(index, 1);
        return write('DeleteVPCAssociationAuthorizationResponse', {});
      }
      case 'AssociateVPCWithHostedZone':
        return write(
          'AssociateVPCWithHostedZoneResponse',
          this.associate(caller, stripId(id), vpcOf(body.AssociateVPCWithHostedZoneRequest)),
        );
      case 'DisassociateVPCFromHostedZone':
        return write(
          'DisassociateVPCFromHostedZoneResponse',
          this.disassociate(caller, stripId(id), vpcOf(body.DisassociateVPCFromHostedZoneRequest)),
        );
      case 'GetChange':
        return read('GetChangeResponse', {
          ChangeInfo: { Id: `/change/${stripId(id)}`, Status: 'INSYNC', SubmittedAt: new Date().toISOString() },
        });
      case 'ListHostedZonesByVPC': {
        const vpc = { vpcId: request.query.get('vpcid') ?? '', region: request.query.get('vpcregion') ?? '' };
        this.ownVpc(caller, vpc);
        const zones = Object.values(this.world.data.zones).filter((z) => z.vpcs.some((v) => v.vpcId === vpc.vpcId));
        const token = request.query.get('nexttoken');
        const size = pageSize(request.query.get('maxitems'), ZONES_BY_VPC_PAGE, ZONES_BY_VPC_PAGE, 'maxItems');
        const { page, nextToken } = pageOf(zones, token, size, invalidToken(token));
        return read('ListHostedZonesByVPCResponse', {
          HostedZoneSummaries: {
            HostedZoneSummary: page.map((z) => ({
              HostedZoneId: z.id,
              Name: route53Name(z.name),
              Owner: { OwningAccount: z.account },
            })),
          },
          MaxItems: size,
          ...(nextToken ? { NextToken: nextToken } : {}),
        });
      }
      case 'ListTagsForResource': {
        const zone = this.zone(caller, id);
        return read('ListTagsForResourceResponse', {
          ResourceTagSet: {
            ResourceType: 'hostedzone',
            ResourceId: zone.id,
            Tags: { Tag: tagPairs(zone.tags, ['Key', 'Value']) },
          },
        });
      }
      case 'ChangeTagsForResource': {
        const zone = this.zone(caller, id);
        const change = body.ChangeTagsForResourceRequest ?? {};
        for (const key of change.RemoveTagKeys?.Key ?? []) delete zone.tags[String(key)];
        for (const tag of change.AddTags?.Tag ?? []) zone.tags[String(tag.Key)] = String(tag.Value ?? '');
        return write('ChangeTagsForResourceResponse', {});
      }
      case 'ListTagsForResources': {
        const ids: string[] = (body.ListTagsForResourcesRequest?.ResourceIds?.ResourceId ?? []) as string[];
        const sets = [ids].flat().map((zoneId) => {
          const zone = this.zone(caller, String(zoneId));
          return {
            ResourceType: 'hostedzone',
            ResourceId: zone.id,
            Tags: { Tag: tagPairs(zone.tags, ['Key', 'Value']) },
          };
        });
        return read('ListTagsForResourcesResponse', { ResourceTagSets: { ResourceTagSet: sets } });
      }
      default:
        throw new AwsError(
          'InvalidAction',
          `${request.method} /2013-04-01/${request.path} is not an action of this fake Route 53.`,
          404,
        );
    }
  }

  private createHostedZone(caller: Caller, request: XmlNode): Record<string, unknown> {
    const name = normalizeName(requireText(request, 'Name'));
    const callerReference = requireText(request, 'CallerReference');
    if (
      Object.values(this.world.data.zones).some(
        (z) => z.account === caller.account && z.callerReference === callerReference,
      )
    ) {
      throw new AwsError(
        'HostedZoneAlreadyExists',
        `A hosted zone has already been created with the specified caller reference.`,
        409,
      );
    }
    const config = request?.HostedZoneConfig;
    const vpc = request?.VPC ? vpcOf(request) : undefined;
    const isPrivate = vpc !== undefined || text(config, 'PrivateZone') === 'true';
    if (isPrivate && !vpc) throw new AwsError('InvalidInput', 'A private hosted zone needs a VPC.');
    if (vpc) {
      this.ownVpc(caller, vpc);
      this.checkNoConflict(name, vpc.vpcId);
    }
    const zone: HostedZone = {
      id: this.world.newRoute53Id('Z'),
      account: caller.account,
      name,
      callerReference,
      comment: text(config, 'Comment') ?? '',
      private: isPrivate,
      vpcs: vpc ? [vpc] : [],
      authorizations: [],
      records: [
        { name, type: 'NS', ttl: 172800, values: ['ns-0.awsdns-00.com.', 'ns-512.awsdns-00.net.'] },
        {
          name,
          type: 'SOA',
          ttl: 900,
          values: ['ns-0.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
        },
      ],
      tags: {},
    };
    this.world.data.zones[zone.id] = zone;
    return {
      HostedZone: zoneXml(zone),
      ...this.newChange(),
      ...(vpc
        ? { VPC: vpcXml(vpc) }
        : { DelegationSet: { NameServers: { NameServer: ['ns-0.awsdns-00.com', 'ns-512.awsdns-00.net'] } } }),
    };
  }

  private associate(caller: Caller, zoneId: string, vpc: VpcRef): Record<string, unknown> {
    const zone = this.world.data.zones[zoneId];
    if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`, 404);
    this.ownVpc(caller, vpc);
    if (!zone.private) {
      throw new AwsError('PublicZoneVPCAssociation', 'You are trying to associate a VPC with a public hosted zone.');
    }
    if (
      zone.account !== caller.account &&
      !zone.authorizations.some((a) => a.vpcId === vpc.vpcId && a.region === vpc.region)
    ) {
      throw new AwsError(
        'NotAuthorizedException',
        `The VPC: ${vpc.vpcId} in region ${vpc.region} is not authorized to be associated with the hosted zone ${zone.id}.`,
        401,
      );
    }
    this.checkNoConflict(zone.name, vpc.vpcId);
    if (zone.vpcs.length >= this.world.data.vpcsPerZone) {
      throw new AwsError(
        'LimitsExceeded',
        `The hosted zone ${zone.id} already has ${zone.vpcs.length} VPC associations, the limit of this account (${this.world.data.vpcsPerZone}).`,
      );
    }
    zone.vpcs.push(vpc);
    return this.newChange();
  }

  private disassociate(caller: Caller, zoneId: string, vpc: VpcRef): Record<string, unknown> {
    const zone = this.world.data.zones[zoneId];
    if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`, 404);
    const vpcOwner = this.world.data.vpcs[vpc.vpcId]?.account;
    if (caller.account !== zone.account && caller.account !== vpcOwner) {
      throw new AwsError(
        'AccessDenied',
        `User: ${caller.arn} may not disassociate ${vpc.vpcId} from ${zone.id}: neither the zone nor the VPC is theirs.`,
        403,
      );
    }
    const index = zone.vpcs.findIndex((v) => v.vpcId === vpc.vpcId && v.region === vpc.region);
    if (index < 0) {
      throw new AwsError(
        'VPCAssociationNotFound',
        `The VPC ${vpc.vpcId} is not associated with the hosted zone ${zone.id}.`,
        404,
      );
    }
    if (zone.vpcs.length === 1) {
      throw new AwsError(
        'LastVPCAssociation',
        `The VPC ${vpc.vpcId} is the last VPC of the private hosted zone ${zone.id}: it cannot be disassociated.`,
      );
    }
    zone.vpcs.splice(index, 1);
    return this.newChange();
  }

  private listRecords(zone: HostedZone, query: URLSearchParams): Record<string, unknown> {
    const sorted = [...zone.records].sort((a, b) =>
      recordOrderKey(a.name, a.type) < recordOrderKey(b.name, b.type) ? -1 : 1,
    );
    const startName = query.get('name');
    const startType = query.get('type') ?? '';
    if (startName === null && startType !== '') {
      throw new AwsError('InvalidInput', 'The input is not valid: StartRecordType needs StartRecordName.');
    }
    const from = startName === null ? '' : recordOrderKey(normalizeName(startName), startType);
    const max = pageSize(query.get('maxitems'), RECORDS_PAGE, RECORDS_PAGE, 'maxItems');
    const rest = sorted.filter((r) => recordOrderKey(r.name, r.type) >= from);
    const page = rest.slice(0, max);
    const next = rest[max];
    return {
      ResourceRecordSets: { ResourceRecordSet: page.map(recordXml) },
      IsTruncated: next !== undefined,
      ...(next ? { NextRecordName: route53Name(next.name), NextRecordType: next.type } : {}),
      MaxItems: max,
    };
  }

  /** Applies a change batch all or nothing, as Route 53 does. */
  private changeRecords(zone: HostedZone, request: XmlNode): Record<string, unknown> {
    const changes: XmlNode[] = request?.ChangeBatch?.Changes?.Change ?? [];
    if (changes.length === 0) throw new AwsError('InvalidInput', 'The change batch has no changes.');
    const records = zone.records.map((r) => ({ ...r }));
    const problems: string[] = [];
    for (const change of changes) {
      const action = String(change.Action);
      const set = change.ResourceRecordSet ?? {};
      const record: ResourceRecordSet = {
        name: normalizeName(String(set.Name ?? '')),
        type: String(set.Type ?? ''),
        ...(set.AliasTarget
          ? {
              alias: {
                hostedZoneId: String(set.AliasTarget.HostedZoneId),
                dnsName: normalizeName(String(set.AliasTarget.DNSName)),
                evaluateTargetHealth: String(set.AliasTarget.EvaluateTargetHealth) === 'true',
              },
            }
          : {
              ttl: Number(set.TTL ?? 300),
              values: (set.ResourceRecords?.ResourceRecord ?? []).map((r: XmlNode) => String(r.Value)),
            }),
      };
      const label = `[name='${route53Name(record.name)}', type='${record.type}']`;
      if (!isWithin(record.name, zone.name)) {
        problems.push(
          `RRSet with DNS name ${route53Name(record.name)} is not permitted in zone ${route53Name(zone.name)}`,
        );
        continue;
      }
      const aliasProblem = record.alias ? this.aliasProblem(record.alias) : undefined;
      if (aliasProblem && action !== 'DELETE') {
        problems.push(
          `Tried to create an alias that targets ${route53Name(record.alias?.dnsName ?? '')}, ` +
            `type ${record.type} in zone ${record.alias?.hostedZoneId}, but ${aliasProblem}`,
        );
        continue;
      }
      const index = records.findIndex((r) => r.name === record.name && r.type === record.type);
      if (action === 'CREATE') {
        if (index >= 0) problems.push(`Tried to create resource record set ${label} but it already exists`);
        else records.push(record);
      } else if (action === 'DELETE') {
        if (index < 0) problems.push(`Tried to delete resource record set ${label} but it was not found`);
        else if (JSON.stringify(records[index]) !== JSON.stringify(record)) {
          problems.push(
            `Tried to delete resource record set ${label} but the values provided do not match the current values`,
          );
        } else records.splice(index, 1);
      } else if (action === 'UPSERT') {
        if (index >= 0) records[index] = record;
        else records.push(record);
      } else {
        problems.push(`Unknown change action ${action}`);
      }
    }
    if (problems.length > 0) throw new InvalidChangeBatch(problems);
    zone.records = records;
    return this.newChange();
  }

  /**
   * Why an alias target is refused, if it is. A target in a VPC endpoint zone must be the DNS name of
   * an existing endpoint; a target in a zone of this world must lie within that zone.
   */
  private aliasProblem(alias: NonNullable<ResourceRecordSet['alias']>): string | undefined {
    const endpoints = Object.values(this.world.data.vpcEndpoints);
    if (
      endpoints.some((e) => vpceHostedZoneId(e.region) === alias.hostedZoneId) ||
      (alias.hostedZoneId.startsWith('Z') && alias.dnsName.endsWith('.vpce.amazonaws.com'))
    ) {
      const known = endpoints.some((e) =>
        e.dnsEntries.some((d) => d.dnsName === alias.dnsName && d.hostedZoneId === alias.hostedZoneId),
      );
      return known ? undefined : 'the alias target name does not lie within the target zone';
    }
    const target = this.world.data.zones[alias.hostedZoneId];
    if (target && !isWithin(alias.dnsName, target.name)) {
      return 'the alias target name does not lie within the target zone';
    }
    return undefined;
  }
}

/** Route 53's `InvalidChangeBatch`, which has its own error document. */
export class InvalidChangeBatch extends AwsError {
  constructor(readonly messages: string[]) {
    super('InvalidChangeBatch', messages.join('; '));
  }
}
