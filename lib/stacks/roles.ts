/**
 * The IAM roles the stacks act through: a deployer (plans it applies, and applies) and a read-only
 * planner (pull-request plans) per account. `npm run iam` writes their policies.
 */
import type { VpceConfig } from '../config/schema';

/** The roles of one account. */
export interface AccountRoles {
  /** The role applies run with (and the plans they apply). */
  readonly deployer: string;
  /** The read-only role of plans that are never applied (pull requests). */
  readonly planner: string;
}

/** An IAM role ARN. */
export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The hub's roles: `hub.roleArn` (default `vpce-hub-deployer`) and `hub.planRoleArn` (default `vpce-hub-planner`). */
export function hubRoles(config: Pick<VpceConfig, 'hub'>): AccountRoles {
  return {
    deployer: config.hub.roleArn ?? roleArn(config.hub.accountId, 'vpce-hub-deployer'),
    planner: config.hub.planRoleArn ?? roleArn(config.hub.accountId, 'vpce-hub-planner'),
  };
}

/** A spoke account's roles: `spokes.roleName` and `spokes.planRoleName`. */
export function spokeRoles(config: Pick<VpceConfig, 'spokes'>, accountId: string): AccountRoles {
  return {
    deployer: roleArn(accountId, config.spokes.roleName),
    planner: roleArn(accountId, config.spokes.planRoleName),
  };
}
