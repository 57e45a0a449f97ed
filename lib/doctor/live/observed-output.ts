/**
 * What AWS holds, written as a synth output: one stack `hub` and one `spoke-<id>` per spoke account,
 * with literal values where the synthesized stacks have expressions. The doctor's one resolver model
 * then judges the live deployment as it judges the synthesized one, so the two agree name for name
 * on a healthy deployment, and each difference is a difference in AWS.
 *
 * - Hub zones become `aws_route53_zone.z_<zoneId>` with the hub VPC; their A/AAAA/CNAME records
 *   `aws_route53_record`, an alias to an endpoint's DNS name written as a reference to that endpoint.
 * - An association that exists needs no authorization any more: each is given one, so only
 *   associations AWS does not hold make a name fail. Likewise an existing Profile association needs
 *   no RAM share. (The authorizations AWS holds are compared with the intent separately: drift.)
 * - A zone of another owner associated with a spoke VPC becomes a zone of that spoke's stack with no
 *   records: if it has a hub zone's name, it hides the hub zone, as in AWS.
 * - A Profile association with a Profile other than the hub's becomes an empty Profile.
 */
import { SynthOutput } from '../synth-output';
import { ACCOUNT_OUTPUT, REGISTRY_ACCOUNTS_OUTPUT, RETIRED_SERVICES_OUTPUT } from '../../stack-names';
import type { Observed, ObservedEndpoint } from './observed';

type Json = Record<string, unknown>;

/** A Terraform name from an AWS ID. */
const nameOf = (prefix: string, id: string) => `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** The working folders the stacks are given (they are never written): remote state paths resolve between them. */
const LIVE_ROOT = '/vpce-hub-live';

function endpointResource(endpoint: ObservedEndpoint): Json {
  return {
    service_name: endpoint.serviceName,
    vpc_endpoint_type: endpoint.type,
    vpc_id: endpoint.vpcId,
    private_dns_enabled: endpoint.privateDnsEnabled,
    ...(endpoint.privateDnsOnlyForInboundResolverEndpoint !== undefined
      ? {
          dns_options: {
            private_dns_only_for_inbound_resolver_endpoint: endpoint.privateDnsOnlyForInboundResolverEndpoint,
          },
        }
      : {}),
    ...(endpoint.routeTableIds.length > 0 ? { route_table_ids: endpoint.routeTableIds } : {}),
  };
}

/** The Terraform address of each observed endpoint, by ID (`aws_vpc_endpoint.e_vpce_...`). */
export function endpointAddress(id: string): string {
  return `aws_vpc_endpoint.${nameOf('e', id)}`;
}

/** Outputs the intent carries that the live judgement needs (registries, retired services). */
export interface CarriedOutputs {
  readonly registryAccounts: readonly string[];
  readonly retiredServices: readonly string[];
}

/** The observed deployment as a synth output the resolver model reads. */
export function observedOutput(observed: Observed, carried: CarriedOutputs): SynthOutput {
  const { hub } = observed;
  const zones: Json = {};
  const records: Json = {};
  const endpoints: Json = {};
  const authorizations: Json = {};
  const outputs: Json = {
    [REGISTRY_ACCOUNTS_OUTPUT]: { value: carried.registryAccounts },
    [RETIRED_SERVICES_OUTPUT]: { value: carried.retiredServices },
  };
  const endpointByDnsName = new Map<string, string>();
  for (const endpoint of hub.endpoints) {
    endpoints[nameOf('e', endpoint.id)] = endpointResource(endpoint);
    const first = endpoint.dnsEntries[0];
    if (first) endpointByDnsName.set(first.dnsName, nameOf('e', endpoint.id));
  }
  const hubZoneIds = new Set(hub.zones.map((z) => z.id));
  for (const zone of hub.zones) {
    const name = nameOf('z', zone.id);
    zones[name] = { name: zone.name, vpc: [{ vpc_id: hub.vpcId }] };
    outputs[nameOf('zone', zone.id)] = { value: `\${aws_route53_zone.${name}.zone_id}` };
    zone.records.forEach((record, index) => {
      const target = record.alias ? endpointByDnsName.get(record.alias.dnsName) : undefined;
      records[`${name}_${index}`] = {
        zone_id: `\${aws_route53_zone.${name}.zone_id}`,
        name: record.name,
        type: record.type,
        ...(record.alias
          ? {
              alias: {
                name: target ? `\${aws_vpc_endpoint.${target}.dns_entry[0].dns_name}` : record.alias.dnsName,
                zone_id: target
                  ? `\${aws_vpc_endpoint.${target}.dns_entry[0].hosted_zone_id}`
                  : record.alias.hostedZoneId,
                evaluate_target_health: false,
              },
            }
          : { records: ['(not an alias)'] }),
      };
    });
  }
  const profiles: Json = {};
  const held: Json = {};
  const shares: Json = {};
  if (hub.profile) {
    const profile = nameOf('p', hub.profile.id);
    profiles[profile] = { name: hub.profile.name };
    outputs[nameOf('profile', hub.profile.id)] = { value: `\${aws_route53profiles_profile.${profile}.id}` };
    hub.profile.resourceArns.forEach((arn, index) => {
      const zoneId = /:hostedzone\/(.+)$/.exec(arn)?.[1];
      const endpointId = /:vpc-endpoint\/(.+)$/.exec(arn)?.[1];
      const resource =
        zoneId && hubZoneIds.has(zoneId)
          ? `\${aws_route53_zone.${nameOf('z', zoneId)}.arn}`
          : endpointId && hub.endpoints.some((e) => e.id === endpointId)
            ? `\${aws_vpc_endpoint.${nameOf('e', endpointId)}.arn}`
            : arn;
      held[`held_${index}`] = { profile_id: `\${aws_route53profiles_profile.${profile}.id}`, resource_arn: resource };
    });
  }

  const spokeStacks = observed.spokes.map((spoke) => {
    const associations: Json = {};
    const foreignZones: Json = {};
    const profileAssociations: Json = {};
    const foreignProfiles: Json = {};
    const own: Json = {};
    for (const vpc of spoke.vpcs) {
      for (const zone of vpc.zones) {
        if (hubZoneIds.has(zone.id)) {
          associations[`${nameOf('a', vpc.vpcId)}_${nameOf('z', zone.id)}`] = {
            zone_id: `\${data.terraform_remote_state.hub.outputs.${nameOf('zone', zone.id)}}`,
            vpc_id: vpc.vpcId,
          };
          authorizations[`${nameOf('a', vpc.vpcId)}_${nameOf('z', zone.id)}`] = {
            zone_id: `\${aws_route53_zone.${nameOf('z', zone.id)}.zone_id}`,
            vpc_id: vpc.vpcId,
          };
        } else {
          const key = nameOf(`zone_of_${zone.owner ?? 'another_account'}`, zone.id);
          const known = foreignZones[key] as { vpc: Json[] } | undefined;
          foreignZones[key] = { name: zone.name, vpc: [...(known?.vpc ?? []), { vpc_id: vpc.vpcId }] };
        }
      }
      for (const association of vpc.profiles) {
        const ours = hub.profile && association.profileId === hub.profile.id;
        const key = `${nameOf('pa', vpc.vpcId)}_${nameOf('p', association.profileId)}`;
        if (!ours) foreignProfiles[nameOf('profile_of_another_owner', association.profileId)] = {};
        profileAssociations[key] = {
          profile_id: ours
            ? `\${data.terraform_remote_state.hub.outputs.${nameOf('profile', association.profileId)}}`
            : `\${aws_route53profiles_profile.${nameOf('profile_of_another_owner', association.profileId)}.id}`,
          resource_id: vpc.vpcId,
        };
        if (ours) shares[nameOf('share', spoke.account)] = { principal: spoke.account };
      }
      for (const endpoint of vpc.endpoints) own[nameOf('e', endpoint.id)] = endpointResource(endpoint);
    }
    const resource: Json = {};
    if (Object.keys(associations).length > 0) resource.aws_route53_zone_association = associations;
    if (Object.keys(foreignZones).length > 0) resource.aws_route53_zone = foreignZones;
    if (Object.keys(profileAssociations).length > 0) resource.aws_route53profiles_association = profileAssociations;
    if (Object.keys(foreignProfiles).length > 0) resource.aws_route53profiles_profile = foreignProfiles;
    if (Object.keys(own).length > 0) resource.aws_vpc_endpoint = own;
    const stack = `spoke-${spoke.account}`;
    return {
      name: stack,
      workingDirectory: `${LIVE_ROOT}/${stack}`,
      json: {
        provider: { aws: [{ region: hub.region, allowed_account_ids: [spoke.account] }] },
        terraform: { backend: { local: { path: `${stack}.tfstate` } } },
        data: { terraform_remote_state: { hub: { backend: 'local', config: { path: '../hub/hub.tfstate' } } } },
        resource,
        output: { [ACCOUNT_OUTPUT]: { value: { id: spoke.account, ...(spoke.name ? { name: spoke.name } : {}) } } },
      },
    };
  });

  const hubResource: Json = {};
  for (const [type, blocks] of [
    ['aws_route53_zone', zones],
    ['aws_route53_record', records],
    ['aws_vpc_endpoint', endpoints],
    ['aws_route53_vpc_association_authorization', authorizations],
    ['aws_route53profiles_profile', profiles],
    ['aws_route53profiles_resource_association', held],
    ['aws_ram_principal_association', shares],
  ] as const) {
    if (Object.keys(blocks).length > 0) hubResource[type] = blocks;
  }
  return new SynthOutput([
    {
      name: 'hub',
      workingDirectory: `${LIVE_ROOT}/hub`,
      json: {
        provider: { aws: [{ region: hub.region, allowed_account_ids: [hub.account] }] },
        terraform: { backend: { local: { path: 'hub.tfstate' } } },
        resource: hubResource,
        output: outputs,
      },
    },
    ...spokeStacks,
  ]);
}
