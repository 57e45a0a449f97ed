/**
 * The AWS provider of a stack, pinned to the one account that stack may touch.
 */
import { AwsProvider } from '../framework/aws';
import { TerraformVariable } from '../framework/cdktf';
import type { Construct } from 'constructs';

/** The Terraform variable that picks the planner or the deployer role: `TF_VAR_vpce_phase=plan`. */
export const PHASE_VARIABLE = 'vpce_phase';

/** Properties of {@link accountPinnedProvider}. */
export interface AccountPinnedProviderProps {
  /** The only account this provider may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** The region every resource of the stack lives in. */
  readonly region: string;
  /** A role to assume, in `accountId`; omit to use the caller's credentials as they are. */
  readonly roleArn?: string;
  /**
   * The read-only role plans assume instead of `roleArn` when the variable `vpce_phase` is `plan`
   * (`TF_VAR_vpce_phase=plan`, for pull-request plans with `credentials: assume-role`).
   */
  readonly planRoleArn?: string;
  /**
   * `dynamic`: Terraform Cloud dynamic provider credentials already hand the run `roleArn`, so the
   * provider must not assume it again. `assume-role`: the provider assumes `roleArn` itself.
   */
  readonly credentials: 'assume-role' | 'dynamic';
  /** The session name CloudTrail shows for the assumed role. */
  readonly sessionName: string;
  /** Tags applied to every taggable resource (`default_tags`). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Adds the stack's AWS provider. `allowed_account_ids` makes Terraform refuse to plan with
 * credentials of any other account, so a spoke can never be applied into the hub or a neighbour.
 */
export function accountPinnedProvider(scope: Construct, props: AccountPinnedProviderProps): AwsProvider {
  const assumes = props.roleArn !== undefined && props.credentials === 'assume-role';
  let role = props.roleArn;
  if (assumes && props.planRoleArn) {
    const phase = new TerraformVariable(scope, PHASE_VARIABLE, {
      type: 'string',
      default: 'apply',
      description:
        'plan: assume the read-only planner role (pull-request plans that are never applied); apply: the deployer role.',
      validation: [
        {
          condition: `\${contains(["plan", "apply"], var.${PHASE_VARIABLE})}`,
          errorMessage: 'vpce_phase is plan or apply.',
        },
      ],
    });
    phase.overrideLogicalId(PHASE_VARIABLE);
    role = `\${var.${PHASE_VARIABLE} == "plan" ? "${props.planRoleArn}" : "${props.roleArn}"}`;
  }
  return new AwsProvider(scope, 'aws', {
    region: props.region,
    allowedAccountIds: [props.accountId],
    assumeRole: assumes ? [{ roleArn: role, sessionName: props.sessionName }] : undefined,
    defaultTags: Object.keys(props.tags).length > 0 ? [{ tags: { ...props.tags } }] : undefined,
  });
}
