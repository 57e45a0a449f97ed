/**
 * The AWS provider of a stack, pinned to the one account that stack may touch.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';

/** Properties of {@link accountPinnedProvider}. */
export interface AccountPinnedProviderProps {
  /** The only account this provider may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** The region every resource of the stack lives in. */
  readonly region: string;
  /** A role to assume, in `accountId`; omit to use the caller's credentials as they are. */
  readonly roleArn?: string;
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
  return new AwsProvider(scope, 'aws', {
    region: props.region,
    allowedAccountIds: [props.accountId],
    assumeRole:
      props.roleArn && props.credentials === 'assume-role'
        ? [{ roleArn: props.roleArn, sessionName: props.sessionName }]
        : undefined,
    defaultTags: Object.keys(props.tags).length > 0 ? [{ tags: { ...props.tags } }] : undefined,
  });
}
