/**
 * Rules of `sharing` that span both files: whom the Route 53 Profile is shared with, the quotas of
 * each mode, and what a Profile cannot express. Like `rules.ts`, they read the raw YAML data
 * defensively, so that every problem is reported in one run.
 *
 * A prerequisite no rule can check: a VPC has at most one Route 53 Profile (AWS's AssociateProfile
 * reference: "A VPC can have only one Profile associated with it"). A spoke VPC that already has
 * another Profile fails its association at apply time; docs/sharing-modes.md says so.
 */
import type { Problem } from './problems';
import {
  DEFAULT_VPC_ASSOCIATIONS_PER_PROFILE,
  DEFAULT_VPC_ASSOCIATIONS_PER_ZONE,
  MAX_VPC_ASSOCIATIONS_PER_PROFILE,
  MAX_VPC_ASSOCIATIONS_PER_ZONE,
} from './schema';
import { isAccountPrincipal, mechanismsOf, principalOrganizationId } from './sharing';
import { asList, asRecord, duplicates } from './raw';
import type { YamlFile } from './yaml-file';
import { S3 } from '../services/catalog';

/**
 * A quota from `limits`: the default when it is left out, undefined when it is not a whole number
 * from 1 to `max` (the schema reports that; a check against "a quota of -1" would only add a second
 * problem).
 */
function quota(value: unknown, fallback: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
}

/** Every sharing rule, over both files. */
export function sharingRules(hubFile: YamlFile, accountsFile: YamlFile): Problem[] {
  const hubData = asRecord(hubFile.data) ?? {};
  const sharing = asRecord(hubData.sharing) ?? {};
  const accounts = asList(asRecord(accountsFile.data)?.accounts).map((a) => asRecord(a) ?? {});
  const mode = sharing.mode === 'profile' ? 'profile' : 'associations';
  const transition = sharing.transition === 'both' || sharing.transition === 'hub' ? sharing.transition : 'off';
  const { hub, spokes } = mechanismsOf(mode, transition);
  const hasProfile = hub.profile;
  const problems: Problem[] = [];

  const principals = Array.isArray(sharing.principals) ? sharing.principals : undefined;
  const principalStrings = (principals ?? []).filter((p): p is string => typeof p === 'string');

  // Principals and invitations belong to the Profile.
  if (!hasProfile) {
    for (const key of ['principals', 'acceptInvitations']) {
      if (sharing[key] === undefined) continue;
      problems.push(
        hubFile.problemAtKey(
          ['sharing'],
          key,
          `sharing.${key} applies to the Route 53 Profile, which sharing.mode: associations does not have (nor ` +
            `keeps, with transition: off). Remove it, or set sharing.mode: profile.`,
        ),
      );
    }
  }

  // The same principal twice.
  problems.push(
    ...duplicates(
      hubFile,
      (principals ?? []).map((value, i) => ({ value, path: ['sharing', 'principals', i] })),
      (value, firstLine) => `principal ${value} is listed twice (first at line ${firstLine}). Remove one.`,
    ),
  );

  // The hub account owns the Profile: RAM refuses to share a resource with its owner, mid-apply.
  const hubAccount = asRecord(hubData.hub)?.accountId;
  if (hasProfile && typeof hubAccount === 'string') {
    principals?.forEach((value, i) => {
      if (value !== hubAccount) return;
      problems.push(
        hubFile.problemAt(
          ['sharing', 'principals', i],
          `this is the hub account (hub.accountId): it owns the Route 53 Profile already, and AWS RAM refuses to ` +
            `share a resource with the account that owns it, so the apply would fail. Remove it from ` +
            `sharing.principals.`,
        ),
      );
    });
  }

  // Organization and OU principals of another organization than the endpoint policy's.
  const policyOrganization = asRecord(hubData.endpointPolicy)?.organizationId;
  if (typeof policyOrganization === 'string') {
    principals?.forEach((value, i) => {
      const organization = typeof value === 'string' ? principalOrganizationId(value) : undefined;
      if (organization && organization !== policyOrganization) {
        problems.push(
          hubFile.problemAt(
            ['sharing', 'principals', i],
            `this principal is in organization ${organization}, but endpointPolicy.organizationId is ${policyOrganization}: ` +
              `the endpoints would refuse the workloads it shares with. Use an ARN of ${policyOrganization}, or correct ` +
              `endpointPolicy.organizationId.`,
          ),
        );
      }
    });
  }

  // Invitations come only to account principals.
  const accountPrincipals = principals ? principalStrings.filter(isAccountPrincipal) : accounts.map((a) => a.id);
  if (hasProfile && sharing.acceptInvitations === true && accountPrincipals.length === 0) {
    problems.push(
      hubFile.problemAt(
        ['sharing', 'acceptInvitations'],
        'RAM sends invitations to account principals only, and sharing.principals lists none: organization and ' +
          'OU principals need no acceptance. Remove acceptInvitations.',
      ),
    );
  }

  // With explicit account principals only, every account of accounts.yaml must be among them. An
  // empty list, or one with entries of the wrong type, is the schema's problem: one, not one per account.
  const onlyAccountPrincipals =
    principals !== undefined &&
    principals.length > 0 &&
    principalStrings.length === principals.length &&
    principalStrings.every(isAccountPrincipal);
  if (spokes.profile && onlyAccountPrincipals) {
    const listed = new Set(principalStrings);
    accounts.forEach((account, i) => {
      if (typeof account.id !== 'string' || account.retired === true || listed.has(account.id)) return;
      problems.push(
        accountsFile.problemAt(
          ['accounts', i, 'id'],
          `account ${account.id} is not among sharing.principals in ${hubFile.label}: RAM would not share the Profile ` +
            `with it, and its spoke's Profile association would be refused. Add "${account.id}" to sharing.principals, ` +
            `or share with your organization's ARN.`,
        ),
      );
    });
  }

  // A Profile cannot leave one zone out for one VPC: a VPC with its own S3 gateway would see the hub's s3 zone.
  const services = asList(hubData.services);
  if (spokes.profile && services.includes(S3)) {
    accounts.forEach((account, i) => {
      for (const vpc of Object.keys(asRecord(account.s3GatewayRouteTables) ?? {})) {
        problems.push(
          accountsFile.problemAtKey(
            ['accounts', i, 's3GatewayRouteTables'],
            vpc,
            `${vpc} has its own S3 gateway endpoint, but in sharing.mode: profile every VPC associated with the Profile ` +
              `sees everything the Profile holds, s3 included: its S3 traffic would go to the hub's interface endpoint, ` +
              `bypassing its gateway. Remove s3 from services in ${hubFile.label} (VPCs without a gateway then need their own), ` +
              `remove this VPC from s3GatewayRouteTables, or use sharing.mode: associations.`,
          ),
        );
      }
    });
  }

  // Quotas: VPCs per zone where zones are associated directly; VPCs per Profile where there is one.
  const vpcCount = accounts.reduce((n, a) => n + asList(a.vpcIds).length, 0);
  const limits = asRecord(hubData.limits);
  if (spokes.associations) {
    const limit = quota(
      limits?.vpcAssociationsPerZone,
      DEFAULT_VPC_ASSOCIATIONS_PER_ZONE,
      MAX_VPC_ASSOCIATIONS_PER_ZONE,
    );
    const vpcsPerZone = 1 + vpcCount;
    if (limit !== undefined && vpcsPerZone > limit) {
      problems.push(
        accountsFile.problemAtKey(
          [],
          'accounts',
          `${vpcsPerZone} VPCs (the hub VPC and ${vpcCount} spoke VPCs) would be associated with each zone, over ` +
            `the quota of ${limit} VPC associations per private hosted zone. Request a Route 53 quota increase, then ` +
            `set limits.vpcAssociationsPerZone in ${hubFile.label} to the new quota; use sharing.mode: profile; or ` +
            `split the accounts across hubs.`,
        ),
      );
    }
  }
  if (spokes.profile) {
    const limit = quota(
      limits?.vpcAssociationsPerProfile,
      DEFAULT_VPC_ASSOCIATIONS_PER_PROFILE,
      MAX_VPC_ASSOCIATIONS_PER_PROFILE,
    );
    if (limit !== undefined && vpcCount > limit) {
      problems.push(
        accountsFile.problemAtKey(
          [],
          'accounts',
          `${vpcCount} spoke VPCs would be associated with the Route 53 Profile, over the quota of ${limit} VPC ` +
            `associations per Profile. Request a Route 53 Profiles quota increase, then set limits.vpcAssociationsPerProfile ` +
            `in ${hubFile.label} to the new quota; or split the accounts across hubs.`,
        ),
      );
    }
  }
  problems.push(...dnsRules(hubFile, sharing, mode, transition, asList(hubData.services)));
  return problems;
}

/** `sharing.dns` and `sharing.zoneServices`: endpoints in the Profile, and services kept on zones. */
function dnsRules(
  hubFile: YamlFile,
  sharing: Record<string, unknown>,
  mode: string,
  transition: string,
  services: readonly unknown[],
): Problem[] {
  const problems: Problem[] = [];
  const endpoints = sharing.dns === 'endpoints';
  if (endpoints && mode !== 'profile') {
    problems.push(
      hubFile.problemAt(
        ['sharing', 'dns'],
        'sharing.dns: endpoints puts the endpoints themselves in the Route 53 Profile, and sharing.mode: associations ' +
          'has no Profile. Switch to sharing.mode: profile first (docs/sharing-modes.md, "Switching modes"), then set dns: endpoints.',
      ),
    );
  } else if (endpoints && transition !== 'off') {
    problems.push(
      hubFile.problemAt(
        ['sharing', 'dns'],
        `sharing.dns: endpoints cannot be set while switching modes (transition: ${transition}): finish the switch ` +
          'with transition: off and deploy the hub and the spokes, then set dns: endpoints.',
      ),
    );
  }
  const zoneServices = Array.isArray(sharing.zoneServices) ? sharing.zoneServices : [];
  if (zoneServices.length > 0 && !endpoints) {
    problems.push(
      hubFile.problemAtKey(
        ['sharing'],
        'zoneServices',
        'sharing.zoneServices lists the services that keep a self-managed zone while the others use the ' +
          "endpoints' private DNS; with sharing.dns: zones every service has its zone. Remove it, or set " +
          'sharing.dns: endpoints.',
      ),
    );
    return problems;
  }
  zoneServices.forEach((service, i) => {
    if (typeof service !== 'string' || services.includes(service)) return;
    problems.push(
      hubFile.problemAt(
        ['sharing', 'zoneServices', i],
        `"${service}" is not in services: sharing.zoneServices names services the hub centralizes. Remove it, or add ` +
          'it to services.',
      ),
    );
  });
  problems.push(
    ...duplicates(
      hubFile,
      zoneServices.map((value, i) => ({ value, path: ['sharing', 'zoneServices', i] })),
      (value, firstLine) =>
        `${value} is listed twice in sharing.zoneServices (first at line ${firstLine}). Remove one.`,
    ),
  );
  return problems;
}
