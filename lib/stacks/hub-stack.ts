/**
 * The hub stack: interface endpoints, their private hosted zones and records, and what shares the
 * zones with the spoke VPCs: an authorization per VPC and zone, or one Route 53 Profile.
 */
import { TerraformLocal, TerraformOutput, TerraformStack } from '../framework/cdktf';
import type { Construct } from 'constructs';
import { hubServices, type VpceConfig } from '../config/schema';
import { EcrRegistryRecords } from '../constructs/ecr-registry-records';
import { organizationEndpointPolicy } from '../constructs/endpoint-policy';
import { EndpointSecurityGroup } from '../constructs/endpoint-security-group';
import { ServiceEndpoint } from '../constructs/service-endpoint';
import { ZoneAuthorizations } from '../constructs/zone-authorizations';
import { HubProfile } from '../constructs/hub-profile';
import { servesPrivateDns, sharingOf } from '../config/sharing';
import { addStateBackend, stateLocation, type StateLayout } from '../state/backends';
import { addMoves, hubMoves } from './hub-moves';
import { accountPinnedProvider } from './aws-provider';
import { hubRoles } from './roles';
import {
  HUB_STACK,
  PROFILE_ARN_OUTPUT,
  PROFILE_ID_OUTPUT,
  PROFILE_SHARE_ARN_OUTPUT,
  REGISTRY_ACCOUNTS_OUTPUT,
  RETIRED_SERVICES_OUTPUT,
  ZONE_IDS_OUTPUT,
} from '../stack-names';
import { ECR_DKR } from '../services/catalog';

/** Properties of {@link HubStack}. */
export interface HubStackProps {
  /** The validated configuration. */
  readonly config: VpceConfig;
  /** Where the synth output and local state files are (default: from the environment). */
  readonly stateLayout?: StateLayout;
}

/**
 * Terraform addresses: see `EndpointSecurityGroup`, `ServiceEndpoint`, `EcrRegistryRecords`, and
 * `ZoneAuthorizations` (associations mode) or `HubProfile` (profile mode; outputs `profile_id`,
 * `profile_arn`, `profile_share_arn`); plus `local.zone_ids`, `output.zone_ids` (zone ID by service),
 * `output.ecr_registry_accounts` (the `ecr.registryAccounts` list), and the `moved` blocks from the
 * first release's addresses (`hub-moves.ts`).
 */
export class HubStack extends TerraformStack {
  /** Each centralized service, by catalog name. */
  readonly services: ReadonlyMap<string, ServiceEndpoint>;

  constructor(scope: Construct, props: HubStackProps) {
    super(scope, HUB_STACK);
    const { config } = props;
    const { hub } = config;

    accountPinnedProvider(this, {
      accountId: hub.accountId,
      region: hub.region,
      roleArn: hub.roleArn,
      planRoleArn: hub.roleArn ? hubRoles(config).planner : undefined,
      sessionName: 'vpce-hub',
      tags: config.tags,
      credentials: config.state.credentials,
    });
    addStateBackend(this, HUB_STACK, stateLocation(config, props.stateLayout));

    const securityGroup = new EndpointSecurityGroup(this, 'security-group', {
      vpcId: hub.vpcId,
      allowedCidrs: hub.allowedCidrs,
    });

    const sharing = sharingOf(config);
    const services = new Map<string, ServiceEndpoint>();
    // Retired services keep their endpoint, zone and records until they leave retiredServices.
    const allServices = hubServices(config);
    for (const service of allServices) {
      services.set(
        service,
        new ServiceEndpoint(this, service, {
          service,
          region: hub.region,
          vpcId: hub.vpcId,
          subnetIds: hub.subnetIds,
          securityGroupId: securityGroup.group.id,
          protect: config.protect,
          policy: config.endpointPolicy
            ? organizationEndpointPolicy(service, hub.region, config.endpointPolicy.organizationId)
            : undefined,
          privateDns: servesPrivateDns(config.sharing, service),
          zoneAfterEndpoint: sharing.hub.profile,
        }),
      );
    }
    this.services = services;

    // With private DNS on the ecr.dkr endpoint, its `*.dkr.ecr` name answers every registry account.
    const dkr = services.get(ECR_DKR);
    const registryAccounts =
      dkr?.zone !== undefined
        ? [hub.accountId, ...config.accounts.map((a) => a.id), ...config.ecr.registryAccounts]
        : [];
    const registryRecords = dkr?.zone
      ? new EcrRegistryRecords(this, 'ecr-registry-records', {
          dkr,
          zone: dkr.zone,
          mode: config.ecr.dkrRecords,
          registryAccounts,
        })
      : undefined;

    const zoneIds = new TerraformLocal(
      this,
      'zone-ids',
      Object.fromEntries(
        [...services].flatMap(([service, endpoint]) => (endpoint.zone ? [[service, endpoint.zone.zoneId]] : [])),
      ),
    );
    zoneIds.overrideLogicalId(ZONE_IDS_OUTPUT);

    // Retired accounts and services keep theirs until their entries are deleted.
    if (sharing.hub.associations) {
      new ZoneAuthorizations(this, 'authorizations', {
        spokes: config.accounts,
        services: allServices,
        zoneIds: `local.${ZONE_IDS_OUTPUT}`,
        region: hub.region,
      });
    }

    // The Profile holds the active services' zones, or with private DNS their endpoints: retiring a
    // service takes it out of every spoke VPC at once, and deleting it from retiredServices then
    // deletes its zone and endpoint.
    if (sharing.hub.profile) {
      const active = config.services.map((service) => services.get(service)!);
      const profile = new HubProfile(this, 'profile', {
        name: `vpce-hub-${hub.region}`,
        zones: active.flatMap(({ service, zone, records }) =>
          zone
            ? [
                {
                  service,
                  zoneArn: zone.arn,
                  records: [...records, ...(service === ECR_DKR ? (registryRecords?.records ?? []) : [])],
                },
              ]
            : [],
        ),
        endpoints: active
          .filter((s) => s.privateDns)
          .map(({ service, endpoint }) => ({ service, endpointArn: endpoint.arn })),
        organizationPrincipals: sharing.organizationPrincipals,
        accountPrincipals: sharing.accountPrincipals,
        allowExternalPrincipals: sharing.acceptInvitations,
      });
      const outputs: Array<[string, string, string]> = [
        [
          PROFILE_ID_OUTPUT,
          profile.profile.id,
          'The Route 53 Profile that holds every service zone or endpoint; each spoke VPC associates with it.',
        ],
        [PROFILE_ARN_OUTPUT, profile.profile.arn, 'The ARN of the Route 53 Profile.'],
        [
          PROFILE_SHARE_ARN_OUTPUT,
          profile.share.arn,
          'The RAM share of the Profile; spokes that accept an invitation accept this share.',
        ],
      ];
      for (const [name, value, description] of outputs) {
        new TerraformOutput(this, `${name}-output`, { value, description }).overrideLogicalId(name);
      }
    }

    // Upgrading from the first release's addresses moves instances; it never re-creates them.
    if (config.upgrade.firstReleaseMoves) {
      addMoves(
        this,
        hubMoves({
          spokes: sharing.hub.associations ? config.accounts : [],
          services: allServices,
          registryAccounts: dkr && config.ecr.dkrRecords !== 'wildcard' ? registryAccounts : [],
        }),
      );
    }

    const output = new TerraformOutput(this, 'zone-ids-output', {
      value: zoneIds.expression,
      description: 'Private hosted zone ID of each centralized service; read by the spoke stacks.',
    });
    output.overrideLogicalId(ZONE_IDS_OUTPUT);

    // What spoke workloads pull from besides their own registry: the doctor checks these resolve.
    const registries = new TerraformOutput(this, 'registry-accounts-output', {
      value: [...new Set(config.ecr.registryAccounts)].sort(),
      description:
        'Registry accounts, besides each spoke account itself, whose <id>.dkr.ecr names spoke workloads use.',
    });
    registries.overrideLogicalId(REGISTRY_ACCOUNTS_OUTPUT);

    if (config.retiredServices.length > 0) {
      const retired = new TerraformOutput(this, 'retired-services-output', {
        value: [...config.retiredServices].sort(),
        description: 'Services on their way out: the hub keeps them while the spokes drop their associations.',
      });
      retired.overrideLogicalId(RETIRED_SERVICES_OUTPUT);
    }
  }
}
