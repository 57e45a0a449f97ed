/**
 * The fake's AWS Resource Access Manager (REST-JSON, SigV4 service `ram`, API version 2018-01-04):
 * resource shares of Route 53 Profiles, with their principals (accounts, the organization, OUs),
 * invitations, and the organization rules RAM applies.
 *
 * ## What the AWS provider 5.100.0 calls (provider source internal/service/ram, botocore's RAM model
 * for paths and shapes; the call sequences observed with the real provider 5.100.0 against this
 * fake, 2026-11-28)
 *
 * - aws_ram_resource_share
 *   - create: CreateResourceShare `POST /createresourceshare` {name, allowExternalPrincipals, tags:[{key,value}]};
 *     GetResourceShares `POST /getresourceshares` {resourceOwner: SELF, resourceShareArns:[arn]} (retried while not
 *     found, then until status ACTIVE, pending PENDING); then read
 *   - read (refresh): GetResourceShares (SELF); ListResourceSharePermissions `POST /listresourcesharepermissions`
 *     {resourceShareArn} (paginated, `nextToken`)
 *   - update: UpdateResourceShare `POST /updateresourceshare` {resourceShareArn, name, allowExternalPrincipals};
 *     tags: TagResource `POST /tagresource` {resourceShareArn, tags}, UntagResource `POST /untagresource`
 *     {resourceShareArn, tagKeys}
 *   - delete: DeleteResourceShare `DELETE /deleteresourceshare?resourceShareArn=&clientToken=`
 *     (UnknownResourceException tolerated); GetResourceShares (SELF) until the share is gone or DELETED (pending
 *     DELETING)
 * - aws_ram_resource_association
 *   - create: GetResourceShareAssociations `POST /getresourceshareassociations` {associationType: RESOURCE,
 *     resourceArn, resourceShareArns:[arn]} (must find none, or DISASSOCIATED); AssociateResourceShare
 *     `POST /associateresourceshare` {clientToken, resourceArns:[arn], resourceShareArn};
 *     GetResourceShareAssociations until ASSOCIATED (pending ASSOCIATING)
 *   - read (refresh): GetResourceShareAssociations (DISASSOCIATED is gone)
 *   - update: none (forces replacement)
 *   - delete: DisassociateResourceShare `POST /disassociateresourceshare` {resourceArns, resourceShareArn}
 *     (UnknownResourceException tolerated); GetResourceShareAssociations until gone or DISASSOCIATED (pending
 *     ASSOCIATED, DISASSOCIATING)
 * - aws_ram_principal_association
 *   - create: GetResourceShareAssociations {associationType: PRINCIPAL, principal, resourceShareArns} (must find
 *     none); AssociateResourceShare {clientToken, principals:[p], resourceShareArn}; for an account ID no wait (it
 *     may wait for an invitation), for an organization or OU ARN GetResourceShareAssociations until ASSOCIATED
 *     (pending ASSOCIATING)
 *   - read (refresh): GetResourceShareAssociations
 *   - update: none
 *   - delete: DisassociateResourceShare {principals, resourceShareArn}; wait as above
 * - aws_ram_resource_share_accepter
 *   - create: GetResourceShareInvitations `POST /getresourceshareinvitations` {resourceShareArns:[arn]}, retried
 *     until a PENDING one exists (none: the provider fails with "No pending RAM Resource Share (...) invitation
 *     found"); AcceptResourceShareInvitation `POST /acceptresourceshareinvitation` {clientToken,
 *     resourceShareInvitationArn}; GetResourceShareInvitations {resourceShareInvitationArns} until ACCEPTED;
 *     GetResourceShares {resourceOwner: OTHER-ACCOUNTS}; then read
 *   - read (refresh): GetResourceShareInvitations {resourceShareArns} (keeps the ACCEPTED one for invitation_arn);
 *     GetResourceShares (OTHER-ACCOUNTS); ListResources `POST /listresources` {resourceOwner: OTHER-ACCOUNTS,
 *     resourceShareArns, maxResults: 500}
 *   - update: none
 *   - delete: DisassociateResourceShare {clientToken, principals:[own account], resourceShareArn} (leaves the share;
 *     OperationNotPermittedException only logged); GetResourceShares (SELF) until not found
 *
 * Also served: RejectResourceShareInvitation, ListPendingInvitationResources,
 * EnableSharingWithAwsOrganization (from the management account: sets the organization's
 * `ramSharingEnabled`). Request and reply members are camelCase; timestamps epoch seconds. Error
 * statuses follow the model: 400 for all but ServerInternalException (500),
 * ServiceUnavailableException (503), ThrottlingException (429).
 *
 * ## Rules modelled (RAM User Guide and API reference; the errors as RAM words them, from
 * hashicorp/terraform-provider-aws issues 7769, 12169 and 16321)
 *
 * - Only the owner changes a share; a share it does not know is UnknownResourceException. Shares are
 *   ACTIVE at once; a deleted share stays listed as DELETED, its associations DISASSOCIATED.
 * - Resources: Route 53 Profiles the owner owns (type `route53profiles:Profile`); the first one
 *   attaches the default permission `arn:aws:ram::aws:permission/AWSRAMPermissionRoute53ProfileAllowAssociation`.
 * - Principals: an account ID, an organization ARN or an OU ARN (with the world's organization,
 *   world.ts). Sharing with the organization or an OU, or with only members of the organization
 *   (`allowExternalPrincipals: false`), needs the owner in the organization with RAM sharing enabled:
 *   else OperationNotPermittedException "The resource you are attempting to share can only be shared
 *   within your AWS Organization. This error may also occur if you have not enabled sharing with
 *   your AWS organization, or that onboarding process is still in progress." An organization or OU
 *   the world does not have is UnknownResourceException ("Organization o-... could not be found.").
 *   `allowExternalPrincipals: false` "only has meaning if your account is a member of an AWS
 *   Organization" (CreateResourceShare API reference): outside one it refuses nothing.
 * - An account in the owner's organization with sharing enabled is associated at once, without an
 *   invitation ("If you are part of an organization in AWS Organizations and sharing within your
 *   organization is enabled, consumers in your organization are automatically granted access ...
 *   Otherwise, consumers receive an invitation", Route 53 Developer Guide, sharing-profiles.html).
 *   Any other account gets a PENDING invitation and stays ASSOCIATING until it accepts; organization
 *   and OU principals never get invitations.
 * - An account that joined by invitation may leave (DisassociateResourceShare naming itself); one
 *   the organization reaches may not (OperationNotPermittedException).
 */
import { AwsError, tagPairs, tagsFromPairs } from './protocol';
import {
  epochSeconds,
  readReply,
  str,
  strings,
  writeReply,
  type JsonObject,
  type JsonReply,
  type JsonRequest,
} from './rest-json';
import {
  markDisassociated,
  organizationOf,
  ORGANIZATION_ARN,
  OU_ARN,
  principalCovers,
  profileByArn,
  shareReaches,
} from './cross-account';
import type { Caller } from './sts';
import type { Profile, ResourceShare, ShareAssociation, ShareInvitation, Tags, World } from './world';

/** The RAM resource type of a Route 53 Profile. */
export const PROFILE_RESOURCE_TYPE = 'route53profiles:Profile';
/** RAM's default (AWS managed) permission for Route 53 Profiles. */
export const PROFILE_PERMISSION_ARN = 'arn:aws:ram::aws:permission/AWSRAMPermissionRoute53ProfileAllowAssociation';

const ACTIONS: Record<string, string> = {
  'POST acceptresourceshareinvitation': 'AcceptResourceShareInvitation',
  'POST associateresourceshare': 'AssociateResourceShare',
  'POST createresourceshare': 'CreateResourceShare',
  'DELETE deleteresourceshare': 'DeleteResourceShare',
  'POST disassociateresourceshare': 'DisassociateResourceShare',
  'POST enablesharingwithawsorganization': 'EnableSharingWithAwsOrganization',
  'POST getresourceshareassociations': 'GetResourceShareAssociations',
  'POST getresourceshareinvitations': 'GetResourceShareInvitations',
  'POST getresourceshares': 'GetResourceShares',
  'POST listpendinginvitationresources': 'ListPendingInvitationResources',
  'POST listresources': 'ListResources',
  'POST listresourcesharepermissions': 'ListResourceSharePermissions',
  'POST rejectresourceshareinvitation': 'RejectResourceShareInvitation',
  'POST tagresource': 'TagResource',
  'POST untagresource': 'UntagResource',
  'POST updateresourceshare': 'UpdateResourceShare',
};

/** The action a RAM request is (undefined: none). */
export function ramAction(method: string, segments: readonly string[]): string | undefined {
  return segments.length === 1 ? ACTIONS[`${method} ${segments[0]}`] : undefined;
}

const SHARE_ARN = /^arn:aws[\w-]*:ram:[a-z0-9-]+:(\d{12}):resource-share\/[0-9a-f-]+$/;

/** The error for a share ARN that does not exist, or that the caller may not see. */
const shareNotFound = (arn: string | undefined) =>
  new AwsError('UnknownResourceException', `ResourceShare ${arn} could not be found.`);

const notWithinOrganization = () =>
  new AwsError(
    'OperationNotPermittedException',
    'The resource you are attempting to share can only be shared within your AWS Organization. ' +
      'This error may also occur if you have not enabled sharing with your AWS organization, ' +
      'or that onboarding process is still in progress.',
  );

/** RAM's tag pairs: `{key, value}`. */
const RAM_TAG: readonly ['key', 'value'] = ['key', 'value'];
const tagList = (tags: Tags) => tagPairs(tags, RAM_TAG);
const tagsOf = (list: unknown): Tags => tagsFromPairs(list, RAM_TAG);

export class Ram {
  constructor(private readonly world: World) {}

  private get data() {
    return this.world.data;
  }

  /** Handles one request of `caller` in `region`. */
  handle(caller: Caller, region: string, action: string, request: JsonRequest): JsonReply {
    const body = request.body;
    const read = readReply;
    const write = writeReply;
    const clientToken = str(body, 'clientToken') ?? request.query.get('clientToken') ?? undefined;
    const withToken = (reply: Record<string, unknown>) => (clientToken ? { ...reply, clientToken } : reply);
    switch (action) {
      case 'CreateResourceShare':
        return write(withToken({ resourceShare: this.shareJson(this.createShare(caller, region, body)) }));
      case 'GetResourceShares':
        return read(this.getShares(caller, body));
      case 'UpdateResourceShare': {
        const share = this.ownShare(caller, str(body, 'resourceShareArn'));
        const name = str(body, 'name');
        if (name !== undefined && name !== '') share.name = name;
        if (typeof body.allowExternalPrincipals === 'boolean') {
          share.allowExternalPrincipals = body.allowExternalPrincipals;
        }
        share.updatedAt = epochSeconds();
        return write(withToken({ resourceShare: this.shareJson(share) }));
      }
      case 'DeleteResourceShare': {
        const share = this.ownShare(caller, request.query.get('resourceShareArn') ?? undefined);
        const now = epochSeconds();
        share.status = 'DELETED';
        share.updatedAt = now;
        for (const a of [...share.principals, ...share.resources]) markDisassociated(a, now);
        this.dropPendingInvitations(share.arn);
        return write(withToken({ returnValue: true }));
      }
      case 'AssociateResourceShare':
        return write(
          withToken({
            resourceShareAssociations: this.associate(
              caller,
              str(body, 'resourceShareArn'),
              strings(body, 'resourceArns'),
              strings(body, 'principals'),
            ),
          }),
        );
      case 'DisassociateResourceShare':
        return write(
          withToken({
            resourceShareAssociations: this.disassociate(
              caller,
              str(body, 'resourceShareArn'),
              strings(body, 'resourceArns'),
              strings(body, 'principals'),
            ),
          }),
        );
      case 'GetResourceShareAssociations':
        return read(this.getAssociations(caller, body));
      case 'GetResourceShareInvitations':
        return read(this.getInvitations(caller, body));
      case 'AcceptResourceShareInvitation':
      case 'RejectResourceShareInvitation': {
        const invitation = this.answer(
          caller,
          str(body, 'resourceShareInvitationArn'),
          action === 'AcceptResourceShareInvitation',
        );
        return write(withToken({ resourceShareInvitation: this.invitationJson(invitation) }));
      }
      case 'ListPendingInvitationResources': {
        const invitation = this.receivedInvitation(caller, str(body, 'resourceShareInvitationArn'));
        const share = this.data.resourceShares[invitation.shareArn];
        return read({ resources: share ? this.resourcesJson([share]) : [] });
      }
      case 'ListResources':
        return read(this.listResources(caller, body));
      case 'ListResourceSharePermissions': {
        const share = this.visibleShare(caller, str(body, 'resourceShareArn'));
        return read({
          permissions: share.permissions.map((arn) => ({
            arn,
            version: '1',
            defaultVersion: true,
            name: arn.split('/').pop(),
            resourceType: PROFILE_RESOURCE_TYPE,
            status: 'ATTACHABLE',
            creationTime: share.createdAt,
            lastUpdatedTime: share.updatedAt,
            isResourceTypeDefault: true,
            permissionType: 'AWS_MANAGED',
            featureSet: 'STANDARD',
          })),
        });
      }
      case 'TagResource': {
        const share = this.ownShare(caller, str(body, 'resourceShareArn'));
        Object.assign(share.tags, tagsOf(body.tags));
        return write({});
      }
      case 'UntagResource': {
        const share = this.ownShare(caller, str(body, 'resourceShareArn'));
        for (const key of strings(body, 'tagKeys')) delete share.tags[key];
        return write({});
      }
      case 'EnableSharingWithAwsOrganization': {
        const org = this.data.organization;
        if (!org || org.managementAccount !== caller.account) {
          throw new AwsError(
            'OperationNotPermittedException',
            'You must call EnableSharingWithAwsOrganization from the management account of your organization.',
          );
        }
        org.ramSharingEnabled = true;
        return write({ returnValue: true });
      }
      default:
        throw new AwsError('UnknownOperationException', `${action} is not an action of this fake RAM.`, 404);
    }
  }

  // ---- shares ----

  private shareJson(share: ResourceShare) {
    return {
      resourceShareArn: share.arn,
      name: share.name,
      owningAccountId: share.owner,
      allowExternalPrincipals: share.allowExternalPrincipals,
      status: share.status,
      tags: tagList(share.tags),
      creationTime: share.createdAt,
      lastUpdatedTime: share.updatedAt,
      featureSet: 'STANDARD',
    };
  }

  /** A share ARN the request names: malformed is MalformedArnException, unknown UnknownResourceException. */
  private share(arn: string | undefined): ResourceShare {
    if (!arn) {
      throw new AwsError(
        'MissingRequiredParameterException',
        'The request must contain the parameter resourceShareArn.',
      );
    }
    if (!SHARE_ARN.test(arn)) throw new AwsError('MalformedArnException', `The ARN ${arn} is malformed.`);
    const share = this.data.resourceShares[arn];
    if (!share) throw shareNotFound(arn);
    return share;
  }

  /** A share the caller owns and that is not deleted. */
  private ownShare(caller: Caller, arn: string | undefined): ResourceShare {
    const share = this.share(arn);
    if (share.owner !== caller.account || share.status === 'DELETED') throw shareNotFound(arn);
    return share;
  }

  /** A share the caller owns, or receives. */
  private visibleShare(caller: Caller, arn: string | undefined): ResourceShare {
    const share = this.share(arn);
    if (share.owner !== caller.account && !shareReaches(this.world, share, caller.account)) {
      throw shareNotFound(arn);
    }
    return share;
  }

  private createShare(caller: Caller, region: string, body: JsonObject): ResourceShare {
    const name = str(body, 'name');
    if (!name) throw new AwsError('InvalidParameterException', 'The request must contain the parameter name.');
    const now = epochSeconds();
    const share: ResourceShare = {
      arn: `arn:aws:ram:${region}:${caller.account}:resource-share/${this.world.newUuid()}`,
      owner: caller.account,
      region,
      name,
      // "The default value is true" (CreateResourceShare API reference).
      allowExternalPrincipals: typeof body.allowExternalPrincipals === 'boolean' ? body.allowExternalPrincipals : true,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
      tags: tagsOf(body.tags),
      principals: [],
      resources: [],
      permissions: [],
    };
    // Validate what it would share before it exists, so a refusal leaves nothing behind.
    const resources = strings(body, 'resourceArns');
    const principals = strings(body, 'principals');
    this.data.resourceShares[share.arn] = share;
    try {
      if (resources.length > 0 || principals.length > 0) this.associate(caller, share.arn, resources, principals);
    } catch (error) {
      delete this.data.resourceShares[share.arn];
      throw error;
    }
    return share;
  }

  /** `resourceOwner` of GetResourceShares and ListResources: SELF (the caller's shares) or OTHER-ACCOUNTS (shares that reach it). */
  private ownerFilter(caller: Caller, body: JsonObject): (share: ResourceShare) => boolean {
    const owner = str(body, 'resourceOwner');
    if (owner !== 'SELF' && owner !== 'OTHER-ACCOUNTS') {
      throw new AwsError(
        'InvalidParameterException',
        `resourceOwner must be SELF or OTHER-ACCOUNTS, not ${owner ?? 'absent'}.`,
      );
    }
    return owner === 'SELF'
      ? (share) => share.owner === caller.account
      : (share) => share.owner !== caller.account && shareReaches(this.world, share, caller.account);
  }

  private getShares(caller: Caller, body: JsonObject) {
    const ownedAsAsked = this.ownerFilter(caller, body);
    const arns = strings(body, 'resourceShareArns');
    for (const arn of arns) {
      if (!SHARE_ARN.test(arn)) throw new AwsError('MalformedArnException', `The ARN ${arn} is malformed.`);
    }
    const name = str(body, 'name');
    const status = str(body, 'resourceShareStatus');
    const shares = Object.values(this.data.resourceShares).filter(
      (s) =>
        ownedAsAsked(s) &&
        (arns.length === 0 || arns.includes(s.arn)) &&
        (!name || s.name === name) &&
        (!status || s.status === status),
    );
    return { resourceShares: shares.map((s) => this.shareJson(s)) };
  }

  // ---- associations ----

  private associationJson(
    share: ResourceShare,
    association: ShareAssociation,
    type: 'PRINCIPAL' | 'RESOURCE',
    status: string = association.status,
  ) {
    return {
      resourceShareArn: share.arn,
      resourceShareName: share.name,
      associatedEntity: association.entity,
      associationType: type,
      status,
      creationTime: association.createdAt,
      lastUpdatedTime: association.updatedAt,
      external: association.external,
    };
  }

  /** The Profile a resource ARN names, which the share's owner must own. */
  private ownProfile(owner: string, arn: string): Profile {
    if (!/^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+/.test(arn)) {
      throw new AwsError('MalformedArnException', `The ARN ${arn} is malformed.`);
    }
    if (!/^arn:aws[\w-]*:route53profiles:/.test(arn)) {
      throw new AwsError(
        'InvalidParameterException',
        `The resource ${arn} cannot be shared by this fake RAM: it shares Route 53 Profiles only.`,
      );
    }
    const profile = profileByArn(this.world, arn);
    if (!profile || profile.owner !== owner) {
      throw new AwsError('UnknownResourceException', `Resource ${arn} could not be found.`);
    }
    return profile;
  }

  /** How a principal would be associated with `share`: its status and whether it is external; throws when refused. */
  private principalTerms(
    share: ResourceShare,
    principal: string,
  ): { status: 'ASSOCIATED' | 'ASSOCIATING'; external: boolean; invite: boolean } {
    const org = this.data.organization;
    const ownerOrg = organizationOf(this.world, share.owner);
    const asOrg = ORGANIZATION_ARN.exec(principal);
    const asOu = OU_ARN.exec(principal);
    if (asOrg || asOu) {
      const orgId = (asOrg ?? asOu)![2];
      if (!org || org.id !== orgId || !ownerOrg) {
        throw new AwsError('UnknownResourceException', `Organization ${orgId} could not be found.`);
      }
      if (asOu && !(asOu[3] in org.ous)) {
        throw new AwsError('UnknownResourceException', `OrganizationalUnit ${asOu[3]} could not be found.`);
      }
      if (!org.ramSharingEnabled) throw notWithinOrganization();
      return { status: 'ASSOCIATED', external: false, invite: false };
    }
    if (principal.startsWith('arn:')) {
      throw new AwsError(
        'InvalidParameterException',
        `The principal ${principal} is not supported by this fake RAM: share with an account ID, an organization or an OU.`,
      );
    }
    if (!/^\d{12}$/.test(principal)) {
      throw new AwsError(
        'InvalidParameterException',
        `The principal ${principal} is not a valid AWS account ID or ARN.`,
      );
    }
    if (principal === share.owner) {
      throw new AwsError(
        'InvalidParameterException',
        `The resource share ${share.arn} cannot be shared with its owner ${principal}.`,
      );
    }
    const inOrg = ownerOrg !== undefined && organizationOf(this.world, principal) === ownerOrg;
    if (ownerOrg && !share.allowExternalPrincipals && !(inOrg && ownerOrg.ramSharingEnabled)) {
      throw notWithinOrganization();
    }
    if (inOrg && ownerOrg.ramSharingEnabled) return { status: 'ASSOCIATED', external: false, invite: false };
    return { status: 'ASSOCIATING', external: !inOrg, invite: true };
  }

  private associate(caller: Caller, shareArn: string | undefined, resourceArns: string[], principals: string[]) {
    const share = this.ownShare(caller, shareArn);
    if (resourceArns.length === 0 && principals.length === 0) {
      throw new AwsError('InvalidParameterException', 'The request must name resourceArns or principals.');
    }
    // All or nothing: every part is checked before anything changes.
    resourceArns.forEach((arn) => this.ownProfile(share.owner, arn));
    const terms = principals.map((p) => ({ principal: p, ...this.principalTerms(share, p) }));
    const now = epochSeconds();
    const reply: ReturnType<Ram['associationJson']>[] = [];
    for (const arn of resourceArns) {
      const association = this.upsert(share.resources, arn, 'ASSOCIATED', false, now);
      reply.push(this.associationJson(share, association, 'RESOURCE', 'ASSOCIATING'));
      if (!share.permissions.includes(PROFILE_PERMISSION_ARN)) share.permissions.push(PROFILE_PERMISSION_ARN);
    }
    for (const { principal, status, external, invite } of terms) {
      const existing = share.principals.find((p) => p.entity === principal && p.status !== 'DISASSOCIATED');
      const association = existing ?? this.upsert(share.principals, principal, status, external, now);
      if (!existing && invite) this.invite(share, principal, now);
      reply.push(this.associationJson(share, association, 'PRINCIPAL', 'ASSOCIATING'));
    }
    share.updatedAt = now;
    return reply;
  }

  /** Adds (or revives) an association of `entity`. */
  private upsert(
    list: ShareAssociation[],
    entity: string,
    status: ShareAssociation['status'],
    external: boolean,
    now: number,
  ): ShareAssociation {
    const existing = list.find((a) => a.entity === entity);
    if (existing) {
      if (existing.status === 'DISASSOCIATED') {
        Object.assign(existing, { status, external, createdAt: now, updatedAt: now });
      }
      return existing;
    }
    const association: ShareAssociation = { entity, status, external, createdAt: now, updatedAt: now };
    list.push(association);
    return association;
  }

  private invite(share: ResourceShare, receiver: string, now: number): void {
    const pending = Object.values(this.data.invitations).some(
      (i) => i.shareArn === share.arn && i.receiver === receiver && i.status === 'PENDING',
    );
    if (pending) return;
    const invitation: ShareInvitation = {
      arn: `arn:aws:ram:${share.region}:${share.owner}:resource-share-invitation/${this.world.newUuid()}`,
      shareArn: share.arn,
      sender: share.owner,
      receiver,
      status: 'PENDING',
      createdAt: now,
    };
    this.data.invitations[invitation.arn] = invitation;
  }

  private dropPendingInvitations(shareArn: string, receiver?: string): void {
    for (const invitation of Object.values(this.data.invitations)) {
      if (
        invitation.shareArn === shareArn &&
        invitation.status === 'PENDING' &&
        (receiver === undefined || invitation.receiver === receiver)
      ) {
        delete this.data.invitations[invitation.arn];
      }
    }
  }

  private disassociate(caller: Caller, shareArn: string | undefined, resourceArns: string[], principals: string[]) {
    const share = this.share(shareArn);
    const now = epochSeconds();
    if (share.owner !== caller.account) {
      // A receiver leaving the share: it may name only itself, and only if it joined by invitation.
      const own = share.principals.find((p) => p.entity === caller.account && p.status !== 'DISASSOCIATED');
      if (share.status === 'DELETED' || (!own && !shareReaches(this.world, share, caller.account))) {
        throw shareNotFound(shareArn);
      }
      if (resourceArns.length > 0 || principals.length !== 1 || principals[0] !== caller.account || !own) {
        throw new AwsError(
          'OperationNotPermittedException',
          `The account ${caller.account} can leave the resource share ${shareArn} ` +
            'only if it was shared with it directly by invitation, not through its organization.',
        );
      }
      markDisassociated(own, now);
      this.dropPendingInvitations(share.arn, caller.account);
      return [this.associationJson(share, own, 'PRINCIPAL', 'DISASSOCIATING')];
    }
    if (share.status === 'DELETED') throw shareNotFound(shareArn);
    if (resourceArns.length === 0 && principals.length === 0) {
      throw new AwsError('InvalidParameterException', 'The request must name resourceArns or principals.');
    }
    const reply: ReturnType<Ram['associationJson']>[] = [];
    const remove = (list: ShareAssociation[], entity: string, type: 'PRINCIPAL' | 'RESOURCE') => {
      const association = list.find((a) => a.entity === entity && a.status !== 'DISASSOCIATED');
      if (!association) {
        throw new AwsError(
          'UnknownResourceException',
          `${type === 'PRINCIPAL' ? 'Principal' : 'Resource'} ${entity} is not associated with the resource share ${share.arn}.`,
        );
      }
      return association;
    };
    const found = [
      ...resourceArns.map((arn) => ({
        association: remove(share.resources, arn, 'RESOURCE'),
        type: 'RESOURCE' as const,
      })),
      ...principals.map((p) => ({ association: remove(share.principals, p, 'PRINCIPAL'), type: 'PRINCIPAL' as const })),
    ];
    for (const { association, type } of found) {
      markDisassociated(association, now);
      if (type === 'PRINCIPAL') this.dropPendingInvitations(share.arn, association.entity);
      reply.push(this.associationJson(share, association, type, 'DISASSOCIATING'));
    }
    share.updatedAt = now;
    return reply;
  }

  private getAssociations(caller: Caller, body: JsonObject) {
    const type = str(body, 'associationType');
    if (type !== 'PRINCIPAL' && type !== 'RESOURCE') {
      throw new AwsError(
        'InvalidParameterException',
        `associationType must be PRINCIPAL or RESOURCE, not ${type ?? 'absent'}.`,
      );
    }
    const arns = strings(body, 'resourceShareArns');
    const resourceArn = str(body, 'resourceArn');
    const principal = str(body, 'principal');
    if (type === 'PRINCIPAL' && resourceArn) {
      throw new AwsError(
        'InvalidParameterException',
        'resourceArn cannot be specified when associationType is PRINCIPAL.',
      );
    }
    if (type === 'RESOURCE' && principal) {
      throw new AwsError(
        'InvalidParameterException',
        'principal cannot be specified when associationType is RESOURCE.',
      );
    }
    const status = str(body, 'associationStatus');
    const list = [];
    for (const share of Object.values(this.data.resourceShares)) {
      if (share.owner !== caller.account || (arns.length > 0 && !arns.includes(share.arn))) continue;
      for (const association of type === 'PRINCIPAL' ? share.principals : share.resources) {
        if (resourceArn && association.entity !== resourceArn) continue;
        if (principal && association.entity !== principal) continue;
        if (status && association.status !== status) continue;
        list.push(this.associationJson(share, association, type));
      }
    }
    return { resourceShareAssociations: list };
  }

  // ---- invitations ----

  private invitationJson(invitation: ShareInvitation) {
    return {
      resourceShareInvitationArn: invitation.arn,
      resourceShareName: this.data.resourceShares[invitation.shareArn]?.name,
      resourceShareArn: invitation.shareArn,
      senderAccountId: invitation.sender,
      receiverAccountId: invitation.receiver,
      invitationTimestamp: invitation.createdAt,
      status: invitation.status,
    };
  }

  private receivedInvitation(caller: Caller, arn: string | undefined): ShareInvitation {
    if (!arn) {
      throw new AwsError(
        'MissingRequiredParameterException',
        'The request must contain the parameter resourceShareInvitationArn.',
      );
    }
    const invitation = this.data.invitations[arn];
    if (!invitation || invitation.receiver !== caller.account) {
      throw new AwsError(
        'ResourceShareInvitationArnNotFoundException',
        `ResourceShareInvitationArn ${arn} could not be found.`,
      );
    }
    return invitation;
  }

  private getInvitations(caller: Caller, body: JsonObject) {
    const arns = strings(body, 'resourceShareInvitationArns');
    const shareArns = strings(body, 'resourceShareArns');
    for (const arn of arns) this.receivedInvitation(caller, arn);
    const list = Object.values(this.data.invitations).filter(
      (i) =>
        i.receiver === caller.account &&
        (arns.length === 0 || arns.includes(i.arn)) &&
        (shareArns.length === 0 || shareArns.includes(i.shareArn)),
    );
    return { resourceShareInvitations: list.map((i) => this.invitationJson(i)) };
  }

  private answer(caller: Caller, arn: string | undefined, accept: boolean): ShareInvitation {
    const invitation = this.receivedInvitation(caller, arn);
    if (invitation.status === 'ACCEPTED') {
      throw new AwsError(
        'ResourceShareInvitationAlreadyAcceptedException',
        `The invitation ${arn} was already accepted.`,
      );
    }
    if (invitation.status === 'REJECTED') {
      throw new AwsError(
        'ResourceShareInvitationAlreadyRejectedException',
        `The invitation ${arn} was already rejected.`,
      );
    }
    const share = this.data.resourceShares[invitation.shareArn];
    const association = share?.principals.find((p) => p.entity === caller.account && p.status === 'ASSOCIATING');
    if (!share || share.status !== 'ACTIVE' || !association) {
      throw new AwsError(
        'ResourceShareInvitationExpiredException',
        `The invitation ${arn} is no longer valid: its share or association is gone.`,
      );
    }
    const now = epochSeconds();
    invitation.status = accept ? 'ACCEPTED' : 'REJECTED';
    Object.assign(association, { status: accept ? 'ASSOCIATED' : 'DISASSOCIATED', updatedAt: now });
    return invitation;
  }

  // ---- resources ----

  private resourcesJson(shares: ResourceShare[]) {
    return shares.flatMap((share) =>
      share.resources
        .filter((r) => r.status === 'ASSOCIATED')
        .map((r) => ({
          arn: r.entity,
          type: PROFILE_RESOURCE_TYPE,
          resourceShareArn: share.arn,
          status: 'AVAILABLE',
          creationTime: r.createdAt,
          lastUpdatedTime: r.updatedAt,
          resourceRegionScope: 'REGIONAL',
        })),
    );
  }

  private listResources(caller: Caller, body: JsonObject) {
    const ownedAsAsked = this.ownerFilter(caller, body);
    const shareArns = strings(body, 'resourceShareArns');
    const resourceArns = strings(body, 'resourceArns');
    const type = str(body, 'resourceType');
    const principal = str(body, 'principal');
    const shares = Object.values(this.data.resourceShares).filter(
      (s) =>
        s.status === 'ACTIVE' &&
        ownedAsAsked(s) &&
        (shareArns.length === 0 || shareArns.includes(s.arn)) &&
        (!principal ||
          s.principals.some((p) => p.status !== 'DISASSOCIATED' && principalCovers(this.world, p.entity, principal))),
    );
    const resources = this.resourcesJson(shares).filter(
      (r) =>
        (resourceArns.length === 0 || resourceArns.includes(r.arn)) &&
        (!type || type.toLowerCase() === PROFILE_RESOURCE_TYPE.toLowerCase()),
    );
    return { resources };
  }
}
