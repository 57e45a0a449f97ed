/**
 * Who is calling, and the fake's STS: `GetCallerIdentity` and `AssumeRole`.
 *
 * Base credentials follow LocalStack's convention: an access key ID of 12 digits is that account
 * (`AWS_ACCESS_KEY_ID=111111111111`). The session token of base credentials, if any, is a free label
 * that the call log records (the e2e harness names each Terraform run with it). `AssumeRole` hands out
 * credentials of the role's account, which carry the label of the caller that assumed it.
 */
import { randomBytes } from 'node:crypto';
import { AwsError, required, type QueryObject, type Signer } from './protocol';
import type { World } from './world';

/** The principal behind a request. */
export interface Caller {
  readonly account: string;
  /** The principal ARN (`arn:aws:iam::<account>:root` or an assumed-role session). */
  readonly arn: string;
  /** The role, for assumed-role sessions. */
  readonly roleArn?: string;
  readonly accessKeyId: string;
  /** What the client called itself (see the module comment). */
  readonly label?: string;
}

/** The caller of a signed request; throws `InvalidClientTokenId` for unknown credentials. */
export function callerOf(world: World, signer: Signer | undefined): Caller {
  if (!signer) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  const key = signer.accessKeyId;
  if (/^\d{12}$/.test(key)) {
    return { account: key, arn: `arn:aws:iam::${key}:root`, accessKeyId: key, label: signer.sessionToken };
  }
  const issued = world.data.credentials[key];
  if (!issued) {
    throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  return { account: issued.account, arn: issued.arn, roleArn: issued.roleArn, accessKeyId: key, label: issued.label };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The XML namespace of STS replies. */
export const STS_NAMESPACE = STS_NS;

/** Handles one STS action; returns the result element's name and body. */
export function sts(world: World, caller: Caller, action: string, params: QueryObject): Record<string, unknown> {
  switch (action) {
    case 'GetCallerIdentity':
      return {
        GetCallerIdentityResult: {
          Arn: caller.arn,
          UserId: caller.roleArn ? `AROAFAKE${caller.account}:${caller.arn.split('/').pop()}` : caller.account,
          Account: caller.account,
        },
      };
    case 'AssumeRole': {
      const roleArn = required(params, 'RoleArn');
      const session = required(params, 'RoleSessionName');
      const match = ROLE_ARN.exec(roleArn);
      if (!match) throw new AwsError('ValidationError', `${roleArn} is not a valid role ARN`);
      if (world.data.deniedRoles?.includes(roleArn)) {
        throw new AwsError(
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          403,
        );
      }
      const [, account, roleName] = match;
      const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`;
      world.data.credentials[accessKeyId] = { account, arn, roleArn, label: caller.label };
      world.save();
      return {
        AssumeRoleResult: {
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretAccessKey: randomBytes(20).toString('base64'),
            SessionToken: `fake-session-${randomBytes(16).toString('hex')}`,
            Expiration: new Date(Date.now() + 3600_000).toISOString(),
          },
          AssumedRoleUser: { AssumedRoleId: `AROAFAKE${account}:${session}`, Arn: arn },
        },
      };
    }
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  }
}
