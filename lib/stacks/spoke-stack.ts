/**
 * A spoke stack: one consumer account's VPCs associated with the hub's zones, in its own state.
 */
import { TerraformOutput, TerraformStack } from '../framework/cdktf';
import type { Construct } from 'constructs';
import type { Account, VpceConfig } from '../config/schema';
import { organizationEndpointPolicy } from '../constructs/endpoint-policy';
import { S3GatewayEndpoints } from '../constructs/s3-gateway-endpoints';
import { ProfileAssociations } from '../constructs/profile-associations';
import { ZoneAssociations } from '../constructs/zone-associations';
import { sharingOf, spokeAcceptsInvitation } from '../config/sharing';
import { addStateBackend, readStackState, stateLocation, type StateLayout } from '../state/backends';
import { accountPinnedProvider } from './aws-provider';
import { spokeRoles } from './roles';
import {
  ACCOUNT_OUTPUT,
  HUB_STACK,
  PROFILE_ID_OUTPUT,
  PROFILE_SHARE_ARN_OUTPUT,
  spokeStackName,
  ZONE_IDS_OUTPUT,
} from '../stack-names';
import { S3 } from '../services/catalog';

/** Properties of {@link SpokeStack}. */
export interface SpokeStackProps {
  /** The validated configuration. */
  readonly config: VpceConfig;
  /** The consumer account this stack deploys into. */
  readonly account: Account;
  /** Where the synth output and local state files are (default: from the environment). */
  readonly stateLayout?: StateLayout;
}

/**
 * Terraform addresses: `data.terraform_remote_state.hub` (the hub's applied state);
 * `aws_route53_zone_association.hub["<vpcId>/<service>"]` for the active `services` (associations
 * mode), or `aws_route53profiles_association.hub["<vpcId>"]` and, where the spoke accepts a RAM
 * invitation, `aws_ram_resource_share_accepter.hub` (profile mode); and
 * `aws_vpc_endpoint.s3_gateway["<vpcId>"]` for the VPCs listed in the account's
 * `s3GatewayRouteTables`. An account with a `name` gets the output `account` = `{ id, name }` (what
 * the doctor prints); one without has no output at all.
 *
 * A retired account's stack keeps its provider and state but no resource, so deploying it removes
 * everything vpce-hub made in the account; its output `account` says `retired = true`.
 */
export class SpokeStack extends TerraformStack {
  constructor(scope: Construct, props: SpokeStackProps) {
    const { config, account } = props;
    const name = spokeStackName(account.id);
    super(scope, name);
    const location = stateLocation(config, props.stateLayout);

    const roles = spokeRoles(config, account.id);
    accountPinnedProvider(this, {
      accountId: account.id,
      region: config.hub.region,
      roleArn: roles.deployer,
      planRoleArn: roles.planner,
      sessionName: 'vpce-hub-spoke',
      tags: config.tags,
      credentials: config.state.credentials,
    });
    addStateBackend(this, name, location);

    // The name labels the account in the stack's output, not in tags: an output changes nothing in
    // AWS, and `terraform output`, the doctor and the state all show it.
    if (account.name !== undefined || account.retired) {
      new TerraformOutput(this, ACCOUNT_OUTPUT, {
        value: {
          id: account.id,
          ...(account.name !== undefined ? { name: account.name } : {}),
          ...(account.retired ? { retired: true } : {}),
        },
        description:
          'The account this stack deploys into, with its name from accounts.yaml (and retired = true while it is retired).',
      });
    }
    if (account.retired) return;

    // Explicitly declared, so cdktf records no stack dependency: `cdktf deploy spoke-<id>` runs alone.
    readStackState(this, HUB_STACK, location);

    const sharing = sharingOf(config);
    const hubOutputs = `data.terraform_remote_state.${HUB_STACK}.outputs`;
    if (sharing.spokes.associations) {
      new ZoneAssociations(this, 'associations', {
        spoke: account,
        services: config.services,
        zoneIds: `${hubOutputs}.${ZONE_IDS_OUTPUT}`,
        region: config.hub.region,
      });
    }
    if (sharing.spokes.profile) {
      new ProfileAssociations(this, 'profile', {
        vpcIds: account.vpcIds,
        profileId: `${hubOutputs}.${PROFILE_ID_OUTPUT}`,
        acceptShareArn: spokeAcceptsInvitation(sharing, account.id)
          ? `${hubOutputs}.${PROFILE_SHARE_ARN_OUTPUT}`
          : undefined,
      });
    }

    new S3GatewayEndpoints(this, 's3-gateway', {
      routeTables: account.s3GatewayRouteTables,
      region: config.hub.region,
      policy: config.endpointPolicy
        ? organizationEndpointPolicy(S3, config.hub.region, config.endpointPolicy.organizationId)
        : undefined,
    });
  }
}
