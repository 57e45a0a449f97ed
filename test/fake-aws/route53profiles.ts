/**
 * The fake's Route 53 Profiles (REST-JSON, SigV4 service `route53profiles`, API version 2018-05-10):
 * Profiles, their resource associations (private hosted zones and interface VPC endpoints) and their
 * VPC associations.
 *
 * ## What the AWS provider 5.100.0 calls (provider source internal/service/route53profiles, the AWS
 * SDK for Go v2 serializers of service/route53profiles, botocore's route53profiles model; the call
 * sequences observed with the real provider 5.100.0 against this fake, 2026-11-28)
 *
 * - aws_route53profiles_profile
 *   - create: CreateProfile `POST /profile` {ClientToken, Name, Tags:[{Key,Value}]}; GetProfile
 *     `GET /profile/{ProfileId}` until Status COMPLETE twice in a row (pending CREATING)
 *   - read (refresh): GetProfile; ListTagsForResource `GET /tags/{ResourceArn}` → {Tags:{k:v}}
 *   - update: tags only: TagResource `POST /tags/{ResourceArn}` {Tags:{k:v}} (204), UntagResource
 *     `DELETE /tags/{ResourceArn}?tagKeys=` (204)
 *   - delete: DeleteProfile `DELETE /profile/{ProfileId}` (ResourceNotFoundException tolerated); GetProfile until
 *     ResourceNotFoundException (pending DELETING)
 * - aws_route53profiles_resource_association
 *   - create: AssociateResourceToProfile `POST /profileresourceassociation` {Name, ProfileId, ResourceArn,
 *     ResourceProperties?}; GetProfileResourceAssociation
 *     `GET /profileresourceassociation/{ProfileResourceAssociationId}` until COMPLETE twice (pending CREATING,
 *     UPDATING)
 *   - read (refresh): GetProfileResourceAssociation. `resource_properties` is Optional, not Computed, before
 *     provider 6.3.0: a `ResourceProperties` in the reply that the configuration did not set fails the apply
 *     with "Provider produced inconsistent result after apply" (issues 42489 on 5.97, 43494 on 5.100.0;
 *     fixed in 6.3.0 by PR 42562, "Change `resource_properties` to Computed to enable `vpc_endpoint`
 *     associations"). So the fake answers with the request's own ResourceProperties, or none.
 *   - update: none (every argument forces replacement)
 *   - delete: DisassociateResourceFromProfile
 *     `DELETE /profileresourceassociation/profileid/{ProfileId}/resourcearn/{ResourceArn}`;
 *     GetProfileResourceAssociation until ResourceNotFoundException (pending DELETING)
 * - aws_route53profiles_association
 *   - create: AssociateProfile `POST /profileassociation` {Name, ProfileId, ResourceId, Tags}; GetProfileAssociation
 *     `GET /profileassociation/{ProfileAssociationId}` until COMPLETE twice (pending CREATING); its `arn` the
 *     provider builds: `arn:aws:route53profiles:<region>:<caller>:profile-association/<id>`
 *   - read (refresh): GetProfileAssociation; ListTagsForResource on that ARN
 *   - update: tags only (TagResource / UntagResource)
 *   - delete: DisassociateProfile `DELETE /profileassociation/Profileid/{ProfileId}/resourceid/{ResourceId}`
 *     (capital P, as the model has it); GetProfileAssociation until ResourceNotFoundException (pending DELETING)
 *
 * Also served: ListProfiles `GET /profiles`, ListProfileAssociations `GET /profileassociations`
 * (?profileId, ?resourceId), ListProfileResourceAssociations `GET /profileresourceassociations/profileid/{ProfileId}`
 * (?resourceType), each paged by ?maxResults (1 to 100, default 100) and ?nextToken (`NextToken` in the reply),
 * UpdateProfileResourceAssociation `PATCH /profileresourceassociation/{id}`. Path labels come
 * URL-encoded (an ARN's `/` as `%2F`). Timestamps are epoch seconds. Every error is HTTP 400, as the
 * API reference lists them (AccessDeniedException, ConflictException, ... "HTTP Status Code: 400"),
 * but the ThrottlingException of server.ts's throttling (HTTP 429).
 *
 * ## Rules modelled (sources: Route 53 API reference and Developer Guide pages profiles.html and
 * sharing-profiles.html; where they are silent the choice is marked "assumed")
 *
 * - IDs `rp-`, `rpr-`, `rpassoc-` and 16 hex digits (the CLI examples show `rp-4987774726example`,
 *   `rpr-001913120a7example`, `rpassoc-489ce212fexample`); ARN `arn:aws:route53profiles:<region>:<owner>:profile/<id>`.
 * - A Profile belongs to its creator; only the owner associates resources with it ("the default
 *   policy AWSRAMPermissionRoute53ProfileAllowAssociation does not include"
 *   route53profiles:AssociateResourceToProfile: AccessDeniedException for a consumer) and deletes it.
 * - A resource association takes a private hosted zone of the caller's account: another account's
 *   zone is AccessDeniedException (the caller cannot read it), a missing one ResourceNotFoundException,
 *   a public one InvalidParameterException, the same zone twice in a Profile ConflictException, and
 *   (assumed, by analogy with ConflictingDomainExists) a second zone of the same name in one Profile
 *   ConflictException too.
 * - Or an interface VPC endpoint (since 2025-04, Developer Guide profile-associate-vpc-endpoints.html),
 *   by its ARN `arn:aws:ec2:<region>:<account>:vpc-endpoint/<vpce-id>`: the Profile then serves the
 *   endpoint's private DNS names (the AWS-managed zones of private-dns.ts) to every VPC associated
 *   with it. `ResourceType` `VPC_ENDPOINT` (assumed: the API reference leaves the value open; IAM's
 *   `route53profiles:ResourceTypes` says `VPCEndpoint`). Another account's endpoint is
 *   AccessDeniedException, a missing one or one outside the Profile's Region ResourceNotFoundException,
 *   a gateway endpoint InvalidParameterException, one with private DNS off InvalidParameterException
 *   (assumed: its names are its private DNS names), and an endpoint whose zones a resource of the
 *   Profile already serves (the same endpoint, a zone of that name, another endpoint of the service)
 *   ConflictException (assumed, as for zones). AWS answers with `ResourceProperties`
 *   `{"ServiceName":"com.amazonaws.<r>.<service>.","<managed zone ID>":"<name>.",...}` (issues 42558,
 *   43494); the fake does so only with the world's `endpointResourceProperties` on (see above).
 *   Deleting the endpoint removes its associations (assumed; Terraform removes them first anyway).
 * - "A VPC can have only one Profile associated with it" (AssociateProfile): a second one is
 *   ResourceExistsException ("The resource you are trying to associate, has already been
 *   associated"). VPC associations per Profile: `vpcsPerProfile` (default 1,000), then
 *   LimitExceededException. Only the VPC's owner associates it (another's VPC: ResourceNotFoundException,
 *   assumed: the VPC is not found in the caller's account).
 * - A Profile of another account is usable (GetProfile, AssociateProfile) only while a RAM share of it
 *   reaches the caller (sharing.ts); otherwise it is ResourceNotFoundException (assumed: the
 *   service shows a consumer only what is shared with it, as RAM does; no error is documented).
 * - DeleteProfile: "Before you can delete a profile, you must first disassociate it from all VPCs"
 *   (API reference): with VPC associations it is ConflictException. Its resource associations go
 *   with it ("only a Profile owner can delete a Profile they own, and this also automatically removes
 *   all resource associations of the Profile", sharing-profiles.html).
 * - Associating a Profile with a VPC that has a same-name zone associated directly, or the reverse,
 *   is allowed: the directly associated zone answers (resolver.ts quotes profiles.html).
 * - Statuses: creates answer CREATING and read COMPLETE from then on; deletes answer DELETING and the
 *   thing is gone (ResourceNotFoundException) from then on.
 */
import { AwsError, pageOf, tagsFromPairs } from './protocol';
import {
  epochSeconds,
  readReply,
  str,
  writeReply,
  type JsonObject,
  type JsonReply,
  type JsonRequest,
} from './rest-json';
import { hostedZoneArn, hostedZoneIdOfArn } from './dns-names';
import { endpointPrivateDnsNames, managedZonesFor, managedZonesOf } from './private-dns';
import {
  markDisassociated,
  profileAssociationOf,
  profileByArn,
  profileVisibleTo,
  sharesHolding,
} from './cross-account';
import type { Caller } from './sts';
import type {
  HostedZone,
  Profile,
  ProfileAssociation,
  ProfileResourceAssociation,
  ProfileResourceType,
  Tags,
  VpcEndpoint,
  World,
} from './world';

/** One routed request: the action and its path labels. */
export interface ProfilesRoute {
  readonly action: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The action a REST-JSON request is (undefined: none). */
export function route53profilesRoute(method: string, segments: readonly string[]): ProfilesRoute | undefined {
  const [first, second, third, fourth, fifth] = segments;
  const n = segments.length;
  const rest = (from: number) => segments.slice(from).join('/');
  switch (`${method} ${first ?? ''}`) {
    case 'POST profile':
      return n === 1 ? { action: 'CreateProfile', labels: {} } : undefined;
    case 'GET profile':
      return n === 2 ? { action: 'GetProfile', labels: { ProfileId: second } } : undefined;
    case 'DELETE profile':
      return n === 2 ? { action: 'DeleteProfile', labels: { ProfileId: second } } : undefined;
    case 'GET profiles':
      return n === 1 ? { action: 'ListProfiles', labels: {} } : undefined;
    case 'POST profileassociation':
      return n === 1 ? { action: 'AssociateProfile', labels: {} } : undefined;
    case 'GET profileassociation':
      return n === 2 ? { action: 'GetProfileAssociation', labels: { ProfileAssociationId: second } } : undefined;
    case 'DELETE profileassociation':
      return n === 5 && second.toLowerCase() === 'profileid' && fourth === 'resourceid'
        ? { action: 'DisassociateProfile', labels: { ProfileId: third, ResourceId: fifth } }
        : undefined;
    case 'GET profileassociations':
      return n === 1 ? { action: 'ListProfileAssociations', labels: {} } : undefined;
    case 'POST profileresourceassociation':
      return n === 1 ? { action: 'AssociateResourceToProfile', labels: {} } : undefined;
    case 'GET profileresourceassociation':
      return n === 2
        ? { action: 'GetProfileResourceAssociation', labels: { ProfileResourceAssociationId: second } }
        : undefined;
    case 'PATCH profileresourceassociation':
      return n === 2
        ? { action: 'UpdateProfileResourceAssociation', labels: { ProfileResourceAssociationId: second } }
        : undefined;
    case 'DELETE profileresourceassociation':
      return n >= 5 && second === 'profileid' && fourth === 'resourcearn'
        ? { action: 'DisassociateResourceFromProfile', labels: { ProfileId: third, ResourceArn: rest(4) } }
        : undefined;
    case 'GET profileresourceassociations':
      return n === 3 && second === 'profileid'
        ? { action: 'ListProfileResourceAssociations', labels: { ProfileId: third } }
        : undefined;
    case 'GET tags':
      return n >= 2 ? { action: 'ListTagsForResource', labels: { ResourceArn: rest(1) } } : undefined;
    case 'POST tags':
      return n >= 2 ? { action: 'TagResource', labels: { ResourceArn: rest(1) } } : undefined;
    case 'DELETE tags':
      return n >= 2 ? { action: 'UntagResource', labels: { ResourceArn: rest(1) } } : undefined;
    default:
      return undefined;
  }
}

/** The List operations' most and default `maxResults` (API reference: 1 to 100; up to 100 without it). */
const MAX_RESULTS = 100;

/**
 * One page of a List operation: `?maxResults=` (1 to 100, default 100) and `?nextToken=` (a token of
 * an earlier page; anything else is InvalidNextTokenException), with `{NextToken}` when more follow.
 */
function listPage<T>(list: readonly T[], query: URLSearchParams): { page: T[]; next: { NextToken?: string } } {
  const raw = query.get('maxResults');
  const size = raw === null ? MAX_RESULTS : Number(raw);
  if (raw !== null && (!/^\d+$/.test(raw) || size < 1 || size > MAX_RESULTS)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'maxResults' failed to satisfy constraint: ` +
        `Member must have value between 1 and ${MAX_RESULTS}`,
    );
  }
  const token = query.get('nextToken');
  const { page, nextToken } = pageOf(
    list,
    token,
    size,
    () => new AwsError('InvalidNextTokenException', `The NextToken ${token} is not valid.`),
  );
  return { page, next: nextToken ? { NextToken: nextToken } : {} };
}

/** The ARN the provider builds for a Profile VPC association (and tags it by). */
export function profileAssociationArn(association: ProfileAssociation): string {
  return `arn:aws:route53profiles:${association.region}:${association.owner}:profile-association/${association.id}`;
}

// The model's Name: "^(?!^[0-9]+$)([a-zA-Z0-9\-_' ']+)$", 0 to 64 characters.
const NAME = /^[a-zA-Z0-9\-_' ]+$/;

function validName(value: string | undefined, what: string): string {
  if (value === undefined || value === '') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at '${what}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (value.length > 64 || !NAME.test(value) || /^[0-9]+$/.test(value)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${what}' failed to satisfy constraint: ` +
        "Member must satisfy regular expression pattern: ^(?!^[0-9]+$)([a-zA-Z0-9\\-_' ']+)$",
    );
  }
  return value;
}

function requiredString(body: JsonObject, key: string): string {
  const value = str(body, key);
  if (value === undefined || value === '') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

const tagsOfList = (list: unknown): Tags => tagsFromPairs(list, ['Key', 'Value']);

const notFound = (what: string) => new AwsError('ResourceNotFoundException', `${what} not found.`);

/** How status messages name each resource type. */
const RESOURCE_WORDS: Record<ProfileResourceType, string> = {
  HOSTED_ZONE: 'hosted zone',
  VPC_ENDPOINT: 'VPC endpoint',
};

/** The parts of `arn:aws:ec2:<region>:<account>:vpc-endpoint/<vpce-id>`. */
interface EndpointArn {
  readonly region: string;
  readonly account: string;
  readonly id: string;
}

/** The parts of a VPC endpoint ARN; undefined for any other string. */
export function endpointArnParts(arn: string): EndpointArn | undefined {
  const match = /^arn:aws[\w-]*:ec2:([a-z0-9-]+):(\d{12}):vpc-endpoint\/(vpce-[0-9a-z]+)$/.exec(arn);
  return match ? { region: match[1], account: match[2], id: match[3] } : undefined;
}

export class Route53Profiles {
  constructor(private readonly world: World) {}

  private get data() {
    return this.world.data;
  }

  /** Handles one routed request of `caller` in `region`. */
  handle(caller: Caller, region: string, route: ProfilesRoute, request: JsonRequest): JsonReply {
    const body = request.body;
    const read = readReply;
    const write = writeReply;
    switch (route.action) {
      case 'CreateProfile':
        return write({ Profile: this.profileJson(this.createProfile(caller, region, body), caller.account) });
      case 'GetProfile':
        return read({ Profile: this.profileJson(this.visibleProfile(caller, route.labels.ProfileId), caller.account) });
      case 'DeleteProfile':
        return write({ Profile: this.deleteProfile(caller, route.labels.ProfileId) });
      case 'ListProfiles': {
        const profiles = Object.values(this.data.profiles).filter((p) =>
          profileVisibleTo(this.world, p, caller.account),
        );
        const { page, next } = listPage(profiles, request.query);
        return read({
          ...next,
          ProfileSummaries: page.map((p) => ({
            Arn: p.arn,
            Id: p.id,
            Name: p.name,
            ShareStatus: this.shareStatus(p, caller.account),
          })),
        });
      }
      case 'AssociateProfile':
        return write({
          ProfileAssociation: {
            ...this.associationJson(this.associateProfile(caller, region, body)),
            Status: 'CREATING',
            StatusMessage: 'Creating Profile Association',
          },
        });
      case 'GetProfileAssociation': {
        const association = this.data.profileAssociations[route.labels.ProfileAssociationId];
        if (!association || !this.mayView(caller, association)) {
          throw notFound(`Profile association ${route.labels.ProfileAssociationId}`);
        }
        return read({ ProfileAssociation: this.associationJson(association) });
      }
      case 'DisassociateProfile':
        return write({
          ProfileAssociation: this.disassociateProfile(caller, route.labels.ProfileId, route.labels.ResourceId),
        });
      case 'ListProfileAssociations': {
        const profileId = request.query.get('profileId');
        const resourceId = request.query.get('resourceId');
        const list = Object.values(this.data.profileAssociations).filter(
          (a) =>
            this.mayView(caller, a) &&
            (!profileId || a.profileId === profileId) &&
            (!resourceId || a.vpcId === resourceId),
        );
        const { page, next } = listPage(list, request.query);
        return read({ ...next, ProfileAssociations: page.map((a) => this.associationJson(a)) });
      }
      case 'AssociateResourceToProfile': {
        const association = this.associateResource(caller, body);
        return write({
          ProfileResourceAssociation: {
            ...this.resourceAssociationJson(association),
            Status: 'CREATING',
            StatusMessage: `Creating the Profile to ${RESOURCE_WORDS[association.resourceType ?? 'HOSTED_ZONE']} association`,
          },
        });
      }
      case 'GetProfileResourceAssociation': {
        const association = this.data.profileResourceAssociations[route.labels.ProfileResourceAssociationId];
        const profile = association ? this.data.profiles[association.profileId] : undefined;
        if (!association || !profile || !profileVisibleTo(this.world, profile, caller.account)) {
          throw notFound(`Profile resource association ${route.labels.ProfileResourceAssociationId}`);
        }
        return read({ ProfileResourceAssociation: this.resourceAssociationJson(association) });
      }
      case 'UpdateProfileResourceAssociation': {
        const association = this.data.profileResourceAssociations[route.labels.ProfileResourceAssociationId];
        if (!association) throw notFound(`Profile resource association ${route.labels.ProfileResourceAssociationId}`);
        this.ownedProfile(caller, association.profileId);
        const name = str(body, 'Name');
        if (name !== undefined) association.name = validName(name, 'name');
        association.modifiedAt = epochSeconds();
        return write({ ProfileResourceAssociation: this.resourceAssociationJson(association) });
      }
      case 'DisassociateResourceFromProfile':
        return write({
          ProfileResourceAssociation: this.disassociateResource(
            caller,
            route.labels.ProfileId,
            route.labels.ResourceArn,
          ),
        });
      case 'ListProfileResourceAssociations': {
        const profile = this.visibleProfile(caller, route.labels.ProfileId);
        const type = request.query.get('resourceType');
        const list = Object.values(this.data.profileResourceAssociations).filter(
          (a) => a.profileId === profile.id && (!type || type === (a.resourceType ?? 'HOSTED_ZONE')),
        );
        const { page, next } = listPage(list, request.query);
        return read({ ...next, ProfileResourceAssociations: page.map((a) => this.resourceAssociationJson(a)) });
      }
      case 'ListTagsForResource':
        return read({ Tags: { ...this.taggable(caller, route.labels.ResourceArn) } });
      case 'TagResource': {
        const tags = this.taggable(caller, route.labels.ResourceArn);
        const add = body.Tags;
        if (typeof add !== 'object' || add === null || Array.isArray(add)) {
          throw new AwsError('ValidationException', 'Tags must be a map of strings.');
        }
        for (const [key, value] of Object.entries(add)) tags[key] = String(value);
        return write(undefined, 204);
      }
      case 'UntagResource': {
        const tags = this.taggable(caller, route.labels.ResourceArn);
        for (const key of request.query.getAll('tagKeys')) delete tags[key];
        return write(undefined, 204);
      }
      default:
        throw new AwsError(
          'UnknownOperationException',
          `${route.action} is not an action of this fake Route 53 Profiles.`,
          404,
        );
    }
  }

  // ---- Profiles ----

  private shareStatus(profile: Profile, viewer: string): 'NOT_SHARED' | 'SHARED_WITH_ME' | 'SHARED_BY_ME' {
    if (profile.owner !== viewer) return 'SHARED_WITH_ME';
    return sharesHolding(this.world, profile.arn).length > 0 ? 'SHARED_BY_ME' : 'NOT_SHARED';
  }

  private profileJson(profile: Profile, viewer: string) {
    return {
      Arn: profile.arn,
      ClientToken: profile.clientToken,
      CreationTime: profile.createdAt,
      Id: profile.id,
      ModificationTime: profile.modifiedAt,
      Name: profile.name,
      OwnerId: profile.owner,
      ShareStatus: this.shareStatus(profile, viewer),
      Status: 'COMPLETE',
      StatusMessage: 'Created Profile',
    };
  }

  /** A Profile the caller may see: its own, or one shared with it. */
  private visibleProfile(caller: Caller, id: string): Profile {
    const profile = this.data.profiles[id];
    if (!profile || !profileVisibleTo(this.world, profile, caller.account)) throw notFound(`Profile ${id}`);
    return profile;
  }

  /** A Profile the caller owns (a consumer of a shared one is refused, as its default RAM permission is read-only). */
  private ownedProfile(caller: Caller, id: string): Profile {
    const profile = this.visibleProfile(caller, id);
    if (profile.owner !== caller.account) {
      throw new AwsError(
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to modify Profile ${id} of account ${profile.owner}: ` +
          'the Profile is shared with you read-only (AWSRAMPermissionRoute53ProfileAllowAssociation).',
      );
    }
    return profile;
  }

  private createProfile(caller: Caller, region: string, body: JsonObject): Profile {
    const name = validName(str(body, 'Name'), 'name');
    const clientToken = requiredString(body, 'ClientToken');
    const again = Object.values(this.data.profiles).find(
      (p) => p.owner === caller.account && p.clientToken === clientToken,
    );
    if (again) return again;
    const id = `rp-${this.world.newHex(16)}`;
    const now = epochSeconds();
    const profile: Profile = {
      id,
      arn: `arn:aws:route53profiles:${region}:${caller.account}:profile/${id}`,
      owner: caller.account,
      region,
      name,
      clientToken,
      createdAt: now,
      modifiedAt: now,
      tags: tagsOfList(body.Tags),
    };
    this.data.profiles[id] = profile;
    return profile;
  }

  private deleteProfile(caller: Caller, id: string) {
    const profile = this.ownedProfile(caller, id);
    const vpcs = Object.values(this.data.profileAssociations).filter((a) => a.profileId === id);
    if (vpcs.length > 0) {
      throw new AwsError(
        'ConflictException',
        `The Profile ${id} is associated with ${vpcs.length} VPC(s) (e.g. ${vpcs[0].vpcId}). ` +
          'Before you can delete a profile, you must first disassociate it from all VPCs.',
      );
    }
    for (const association of Object.values(this.data.profileResourceAssociations)) {
      if (association.profileId === id) delete this.data.profileResourceAssociations[association.id];
    }
    // A share that held the Profile no longer does.
    const now = epochSeconds();
    for (const share of Object.values(this.data.resourceShares)) {
      for (const resource of share.resources) if (resource.entity === profile.arn) markDisassociated(resource, now);
    }
    delete this.data.profiles[id];
    return { ...this.profileJson(profile, caller.account), Status: 'DELETED', StatusMessage: 'Deleted Profile' };
  }

  // ---- VPC associations ----

  private associationJson(association: ProfileAssociation) {
    return {
      CreationTime: association.createdAt,
      Id: association.id,
      ModificationTime: association.modifiedAt,
      Name: association.name,
      OwnerId: association.owner,
      ProfileId: association.profileId,
      ResourceId: association.vpcId,
      Status: 'COMPLETE',
      StatusMessage: 'Created Profile Association',
    };
  }

  /** The association's owner (the VPC's) sees it, and so does the Profile's owner. */
  private mayView(caller: Caller, association: ProfileAssociation): boolean {
    return association.owner === caller.account || this.data.profiles[association.profileId]?.owner === caller.account;
  }

  private associateProfile(caller: Caller, region: string, body: JsonObject): ProfileAssociation {
    const name = validName(str(body, 'Name'), 'name');
    const profileId = requiredString(body, 'ProfileId');
    const vpcId = requiredString(body, 'ResourceId');
    const vpc = this.data.vpcs[vpcId];
    if (!vpc || vpc.account !== caller.account || vpc.region !== region) {
      throw new AwsError(
        'ResourceNotFoundException',
        `The VPC ${vpcId} was not found in account ${caller.account} in ${region}.`,
      );
    }
    const profile = this.visibleProfile(caller, profileId);
    const existing = profileAssociationOf(this.world, vpcId)?.association;
    if (existing) {
      throw new AwsError(
        'ResourceExistsException',
        `The VPC ${vpcId} is already associated with the Profile ${existing.profileId} (${existing.id}); a VPC can have only one Profile associated with it.`,
      );
    }
    const count = Object.values(this.data.profileAssociations).filter((a) => a.profileId === profile.id).length;
    if (count >= this.data.vpcsPerProfile) {
      throw new AwsError(
        'LimitExceededException',
        `The Profile ${profile.id} already has ${count} VPC associations, the limit (${this.data.vpcsPerProfile}).`,
      );
    }
    const now = epochSeconds();
    const association: ProfileAssociation = {
      id: `rpassoc-${this.world.newHex(16)}`,
      profileId: profile.id,
      owner: caller.account,
      region,
      name,
      vpcId,
      createdAt: now,
      modifiedAt: now,
      tags: tagsOfList(body.Tags),
    };
    this.data.profileAssociations[association.id] = association;
    return association;
  }

  private disassociateProfile(caller: Caller, profileId: string, vpcId: string) {
    const association = profileAssociationOf(this.world, vpcId)?.association;
    if (!association || association.profileId !== profileId || association.owner !== caller.account) {
      throw notFound(`The association of Profile ${profileId} with ${vpcId}`);
    }
    delete this.data.profileAssociations[association.id];
    return {
      ...this.associationJson(association),
      Status: 'DELETING',
      StatusMessage: 'Deleting Profile Association',
      ModificationTime: epochSeconds(),
    };
  }

  // ---- resource associations ----

  private resourceAssociationJson(association: ProfileResourceAssociation) {
    const type = association.resourceType ?? 'HOSTED_ZONE';
    const properties = this.resourcePropertiesOf(association);
    return {
      CreationTime: association.createdAt,
      Id: association.id,
      ModificationTime: association.modifiedAt,
      Name: association.name,
      OwnerId: association.owner,
      ProfileId: association.profileId,
      ResourceArn: association.resourceArn,
      ...(properties === undefined ? {} : { ResourceProperties: properties }),
      ResourceType: type,
      Status: 'COMPLETE',
      StatusMessage: `Completed creation of Profile to ${RESOURCE_WORDS[type]} association`,
    };
  }

  /**
   * The `ResourceProperties` a resource association reports: what the request gave, else nothing;
   * for a VPC endpoint with `endpointResourceProperties` on, what AWS reports instead (provider
   * issues 42558, 43494: `{"ServiceName":"com.amazonaws.<r>.<service>.","<managed zone ID>":"<name>."}`).
   */
  private resourcePropertiesOf(association: ProfileResourceAssociation): string | undefined {
    const endpoint = association.endpointId ? this.data.vpcEndpoints[association.endpointId] : undefined;
    if (!endpoint || !this.data.endpointResourceProperties) return association.resourceProperties;
    const zones = managedZonesOf(endpoint).map((zone) => [zone.id, `${zone.name}.`]);
    return JSON.stringify({ ServiceName: `${endpoint.serviceName}.`, ...Object.fromEntries(zones) });
  }

  /** The private hosted zone `zoneId`, which the caller must own. */
  private ownZone(caller: Caller, zoneId: string): HostedZone {
    const zone = this.data.zones[zoneId];
    if (!zone) throw notFound(`Hosted zone ${zoneId}`);
    if (zone.account !== caller.account) {
      throw new AwsError(
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to access the hosted zone ${zoneId} of account ${zone.account}.`,
      );
    }
    if (!zone.private) {
      throw new AwsError(
        'InvalidParameterException',
        `The hosted zone ${zoneId} is public: only private hosted zones can be associated with a Profile.`,
      );
    }
    return zone;
  }

  /**
   * The interface endpoint an ARN names, which the caller must own, in the Profile's Region, with
   * private DNS on (the names a Profile serves are the endpoint's private DNS names).
   */
  private ownEndpoint(caller: Caller, profile: Profile, arn: string, ref: EndpointArn): VpcEndpoint {
    if (ref.account !== caller.account) {
      throw new AwsError(
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to access the VPC endpoint ${ref.id} of account ${ref.account}.`,
      );
    }
    const endpoint = this.data.vpcEndpoints[ref.id];
    if (!endpoint || endpoint.account !== ref.account || endpoint.region !== ref.region) {
      throw notFound(`VPC endpoint ${arn}`);
    }
    if (ref.region !== profile.region) {
      throw notFound(`VPC endpoint ${arn} in the Profile's Region ${profile.region}`);
    }
    if (endpoint.type !== 'Interface') {
      throw new AwsError(
        'InvalidParameterException',
        `The VPC endpoint ${endpoint.id} is a ${endpoint.type} endpoint: only interface endpoints can be associated with a Profile.`,
      );
    }
    if (!endpoint.privateDnsEnabled) {
      throw new AwsError(
        'InvalidParameterException',
        `The VPC endpoint ${endpoint.id} has private DNS disabled: a Profile serves an endpoint's private DNS names, so enable private DNS first.`,
      );
    }
    return endpoint;
  }

  /** The zone names a resource association serves: the zone's, or the endpoint's managed zones'. */
  private servedNames(association: Pick<ProfileResourceAssociation, 'zoneId' | 'endpointId'>): string[] {
    if (association.zoneId) {
      const zone = this.data.zones[association.zoneId];
      return zone ? [zone.name] : [];
    }
    const endpoint = association.endpointId ? this.data.vpcEndpoints[association.endpointId] : undefined;
    return endpoint ? managedZonesFor(endpoint.id, endpointPrivateDnsNames(endpoint)).map((z) => z.name) : [];
  }

  /**
   * The resource an association request names, checked: a private hosted zone or an interface VPC
   * endpoint of the caller. Anything else is InvalidParameterException.
   */
  private resolveResource(
    caller: Caller,
    profile: Profile,
    resourceArn: string,
  ): Pick<ProfileResourceAssociation, 'resourceArn' | 'resourceType' | 'zoneId' | 'endpointId'> {
    const zoneId = hostedZoneIdOfArn(resourceArn);
    if (zoneId) {
      const zone = this.ownZone(caller, zoneId);
      return { resourceArn: hostedZoneArn(zone.id), resourceType: 'HOSTED_ZONE', zoneId: zone.id };
    }
    const ref = endpointArnParts(resourceArn);
    if (ref) {
      const endpoint = this.ownEndpoint(caller, profile, resourceArn, ref);
      return { resourceArn, resourceType: 'VPC_ENDPOINT', endpointId: endpoint.id };
    }
    throw new AwsError(
      'InvalidParameterException',
      `The resource ${resourceArn} is neither a private hosted zone ARN (arn:aws:route53:::hostedzone/<id>) nor an ` +
        'interface VPC endpoint ARN (arn:aws:ec2:<region>:<account>:vpc-endpoint/<id>); this fake associates those only.',
    );
  }

  private associateResource(caller: Caller, body: JsonObject): ProfileResourceAssociation {
    const name = validName(str(body, 'Name'), 'name');
    const profile = this.ownedProfile(caller, requiredString(body, 'ProfileId'));
    const resource = this.resolveResource(caller, profile, requiredString(body, 'ResourceArn'));
    const names = this.servedNames(resource);
    for (const other of Object.values(this.data.profileResourceAssociations)) {
      if (other.profileId !== profile.id) continue;
      if (other.resourceArn === resource.resourceArn) {
        throw new AwsError(
          'ConflictException',
          `The resource ${resource.resourceArn} is already associated with the Profile ${profile.id} (${other.id}).`,
        );
      }
      const clash = this.servedNames(other).find((n) => names.includes(n));
      if (clash) {
        throw new AwsError(
          'ConflictException',
          `The Profile ${profile.id} already serves ${clash} (${other.resourceArn}, ${other.id}).`,
        );
      }
    }
    const now = epochSeconds();
    const properties = str(body, 'ResourceProperties');
    const association: ProfileResourceAssociation = {
      id: `rpr-${this.world.newHex(16)}`,
      profileId: profile.id,
      owner: caller.account,
      name,
      ...resource,
      ...(properties === undefined ? {} : { resourceProperties: properties }),
      createdAt: now,
      modifiedAt: now,
    };
    this.data.profileResourceAssociations[association.id] = association;
    return association;
  }

  private disassociateResource(caller: Caller, profileId: string, resourceArn: string) {
    const profile = this.ownedProfile(caller, profileId);
    const zoneId = hostedZoneIdOfArn(resourceArn);
    const association = Object.values(this.data.profileResourceAssociations).find(
      (a) => a.profileId === profile.id && (zoneId ? a.zoneId === zoneId : a.resourceArn === resourceArn),
    );
    if (!association) throw notFound(`The association of ${resourceArn} with Profile ${profileId}`);
    delete this.data.profileResourceAssociations[association.id];
    return {
      ...this.resourceAssociationJson(association),
      Status: 'DELETING',
      StatusMessage: `Deleting the Profile to ${RESOURCE_WORDS[association.resourceType ?? 'HOSTED_ZONE']} association`,
      ModificationTime: epochSeconds(),
    };
  }

  // ---- tags ----

  /** The tags of a Profile or Profile association the caller owns. */
  private taggable(caller: Caller, arn: string): Tags {
    const profile = profileByArn(this.world, arn);
    if (profile) return this.ownedProfile(caller, profile.id).tags;
    const association = Object.values(this.data.profileAssociations).find((a) => profileAssociationArn(a) === arn);
    if (association && association.owner === caller.account) return association.tags;
    throw notFound(`Resource ${arn}`);
  }
}

/** The domain of the zone a resource ARN names, for the IAM checks' `route53profiles:HostedZoneDomains`. */
export function zoneDomainOf(world: World, resourceArn: string): string | undefined {
  const zoneId = hostedZoneIdOfArn(resourceArn);
  return zoneId ? world.data.zones[zoneId]?.name : undefined;
}
