/**
 * Account IDs, stack names and the contract between the hub and spoke stacks. Imports nothing: the
 * config, the state guard, the stacks and the doctor all take these facts from here.
 */

/** The digits of an AWS account ID, for patterns that embed one (ARNs, file names). */
export const ACCOUNT_ID_DIGITS = '\\d{12}';

/** An AWS account ID: exactly 12 digits. */
export const ACCOUNT_ID = new RegExp(`^${ACCOUNT_ID_DIGITS}$`);

/** The hub stack: `cdktf deploy hub`. */
export const HUB_STACK = 'hub';

/** A consumer account's stack: `cdktf deploy spoke-<accountId>`. */
export function spokeStackName(accountId: string): string {
  return `spoke-${accountId}`;
}

/** What every spoke stack's name starts with (see {@link spokeStackName}). */
export const SPOKE_STACK_PREFIX = 'spoke-';

const SPOKE_STACK = new RegExp(`^${SPOKE_STACK_PREFIX}(${ACCOUNT_ID_DIGITS})$`);

/** The account of a spoke stack's name (`spoke-<accountId>`), or undefined for any other name. */
export function accountOfSpokeStack(stack: string): string | undefined {
  return SPOKE_STACK.exec(stack)?.[1];
}

/** The hub output that maps each service to its zone ID; the spokes read it from the hub's state. */
export const ZONE_IDS_OUTPUT = 'zone_ids';

/** The hub output that lists `ecr.registryAccounts`: registries every spoke must resolve (see the doctor). */
export const REGISTRY_ACCOUNTS_OUTPUT = 'ecr_registry_accounts';

/** The optional Terraform Cloud bootstrap stack (`state.manageWorkspaces: true`). */
export const TFC_WORKSPACES_STACK = 'tfc-workspaces';

/**
 * The spoke output that labels its account: `{ id, name }`, only for accounts with a `name` in
 * accounts.yaml (the doctor prints it). An output changes nothing in AWS.
 */
export const ACCOUNT_OUTPUT = 'account';

/** The hub output that lists `retiredServices` (only while there are some): the doctor does not require them. */
export const RETIRED_SERVICES_OUTPUT = 'retired_services';

/** The hub outputs of `sharing.mode: profile`: the Profile's ID and ARN, and its RAM share's ARN; the spokes read the ID and the share. */
export const PROFILE_ID_OUTPUT = 'profile_id';
export const PROFILE_ARN_OUTPUT = 'profile_arn';
export const PROFILE_SHARE_ARN_OUTPUT = 'profile_share_arn';

/**
 * The hub's first-release addresses (see hub-moves.ts): the moves, the local guard and `affected`
 * recognize them by these.
 */
export const FIRST_RELEASE_BLOCKS = {
  records: ['aws_route53_record', 'ecr_dkr_registry'],
  authorizations: ['aws_route53_vpc_association_authorization', 'spoke'],
} as const;

/** Whether a resource block (type and name) is one of the first release's two. */
export function isFirstReleaseBlock(type: string, name: string): boolean {
  return Object.values(FIRST_RELEASE_BLOCKS).some(([t, n]) => t === type && n === name);
}
