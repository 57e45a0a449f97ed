/**
 * The shape of `hub.yaml` and `accounts.yaml`, as zod schemas. Each rule carries the message the
 * user sees: what is expected and how to fix it. Rules that span several values (duplicates, quotas,
 * the hub account listed as a consumer) live in `rules.ts`.
 */
import { closest } from 'fastest-levenshtein';
import { z } from 'zod';
import { isCatalogService, SERVICE_NAMES } from '../services/catalog';
import { parseCidr } from './cidr';
import { isCommercialRegion, regionProblem } from './regions';
import { ACCOUNT_ID, ACCOUNT_ID_DIGITS } from '../stack-names';

/** Default Route 53 quota: VPCs associated with one private hosted zone. */
export const DEFAULT_VPC_ASSOCIATIONS_PER_ZONE = 300;

/**
 * Default Route 53 Profiles quota: VPCs associated with one Profile. AWS's pages disagree (the
 * AssociateProfile API reference says 1,000, the GetProfileAssociation page 5,000); the lower one
 * holds until AWS confirms a raise, which `limits.vpcAssociationsPerProfile` then records.
 */
export const DEFAULT_VPC_ASSOCIATIONS_PER_PROFILE = 1000;

/** The highest `limits.vpcAssociationsPerZone` taken (a guard against typos, far above any granted quota). */
export const MAX_VPC_ASSOCIATIONS_PER_ZONE = 10000;
/** The highest `limits.vpcAssociationsPerProfile` taken. */
export const MAX_VPC_ASSOCIATIONS_PER_PROFILE = 100000;

/** An AWS account ID: exactly 12 digits (defined in stack-names.ts, with the stack names built on it). */
export { ACCOUNT_ID };
/** A VPC ID: `vpc-` and 8 or 17 lowercase hex digits. */
export const VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const ROUTE_TABLE_ID = /^rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = new RegExp(`^arn:aws:iam::(${ACCOUNT_ID_DIGITS}):role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`);
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TFC_NAME = /^[A-Za-z0-9_-]+$/;
/** An AWS Organizations organization ARN: `arn:aws:organizations::<management account>:organization/o-...`. */
export const ORGANIZATION_ARN = new RegExp(
  `^arn:aws:organizations::(${ACCOUNT_ID_DIGITS}):organization/(o-[a-z0-9]{10,32})$`,
);
/** An organizational unit ARN: `arn:aws:organizations::<management account>:ou/o-.../ou-...`. */
export const OU_ARN = new RegExp(
  `^arn:aws:organizations::(${ACCOUNT_ID_DIGITS}):ou/(o-[a-z0-9]{10,32})/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`,
);
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** An AWS account ID: a quoted 12-digit string. Unquoted numbers get their own hint (see load.ts). */
export const accountId = z
  .string()
  .regex(ACCOUNT_ID, { error: 'an AWS account ID is exactly 12 digits, written in quotes, e.g. "123456789012".' });

/** A RAM principal of the Profile's share: an account ID, an organization ARN or an OU ARN. */
const principal = z
  .string()
  .refine((value) => ACCOUNT_ID.test(value) || ORGANIZATION_ARN.test(value) || OU_ARN.test(value), {
    error:
      'not a principal. Write a 12-digit account ID in quotes ("123456789012"), the organization ARN (arn:aws:organizations::<management ' +
      'account>:organization/o-a1b2c3d4e5; aws organizations describe-organization prints it) or an OU ARN ' +
      '(arn:aws:organizations::<management account>:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56).',
  });

/** A commercial-partition region, from the list in `regions.ts` (used by hub.region and state.region). */
const region = z.string().refine(isCommercialRegion, { error: (issue) => regionProblem(String(issue.input)) });

const vpcId = z.string().regex(VPC_ID, {
  error: 'not a VPC ID. A VPC ID is vpc- followed by 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0.',
});

const subnetId = z.string().regex(SUBNET_ID, {
  error:
    'not a subnet ID. A subnet ID is subnet- followed by 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0.',
});

const routeTableId = z.string().regex(ROUTE_TABLE_ID, {
  error:
    'not a route table ID. A route table ID is rtb- followed by 8 or 17 lowercase hex digits, e.g. rtb-0123456789abcdef0.',
});

const roleArn = z.string().regex(ROLE_ARN, {
  error:
    'not an IAM role ARN. Write arn:aws:iam::<12-digit account>:role/<name>, e.g. arn:aws:iam::111111111111:role/vpce-hub-deployer.',
});

/** An AWS Organizations ID (`aws organizations describe-organization` prints it). */
const organizationId = z.string().regex(/^o-[a-z0-9]{10,32}$/, {
  error:
    'not an AWS Organizations ID: o- followed by 10-32 lowercase letters and digits, e.g. o-a1b2c3d4e5 (aws organizations describe-organization).',
});

/**
 * A principal an account role trusts besides CI: an IAM role or user ARN, whose name may hold `*`
 * and `?` wildcards (IAM Identity Center roles end in a random suffix) and whose account may be `*`.
 */
export const TRUSTED_PRINCIPAL = new RegExp(
  `^arn:aws:iam::(${ACCOUNT_ID_DIGITS}|\\*):(?:role|user)/[\\w+=,.@/*?-]{1,512}$`,
);
const trustedPrincipal = z.string().regex(TRUSTED_PRINCIPAL, {
  error:
    'not a role or user ARN pattern. Write arn:aws:iam::<12-digit account or *>:role/<path and name>, with * or ? ' +
    'for the parts that vary, e.g. arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_NetworkAdmin_* ' +
    'or arn:aws:iam::111111111111:role/break-glass.',
});

/** An organizational unit's ID. */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ouId = z.string().regex(OU_ID, {
  error: 'not an organizational unit ID: write ou-<root part>-<8 to 32 letters or digits>, e.g. ou-ab12-cd34ef56.',
});

const roleName = z.string().regex(ROLE_NAME, {
  error: 'not an IAM role name: use 1-64 letters, digits and +=,.@_- (the name only, not an ARN).',
});

/**
 * A CIDR block, handed out in canonical form (RFC 5952 for IPv6), so that the security group rule
 * and its Terraform address (`https_ipv6["<cidr>"]`) name the network exactly as AWS stores it and a
 * plan shows no change for a different spelling. `/0` blocks are checked in `rules.ts` (they need
 * hub.allowAnyCidr).
 */
const cidr = z.string().transform((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message:
        'not a CIDR block. Write an IPv4 or IPv6 network with a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32 ' +
        '(prefixes go up to /32 for IPv4, /128 for IPv6).',
    });
    return z.NEVER;
  }
  if (parsed.hostBitsSet && parsed.prefix > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `host bits are set: AWS stores this rule as ${parsed.network}, and Terraform would show a change on every plan. Write ${parsed.network}.`,
    });
    return z.NEVER;
  }
  return parsed.canonical;
});

const service = z.string().refine(isCatalogService, {
  error: (issue) => {
    const name = String(issue.input);
    return (
      `"${name}" is not in the service catalog (lib/services/catalog.ts). Did you mean "${closest(name, [...SERVICE_NAMES])}"? ` +
      `Known services: ${SERVICE_NAMES.join(', ')}.`
    );
  },
});

/**
 * AWS's tag character set (the Tagging API's pattern): Unicode letters, digits and spaces, and
 * `_ . : / = + - @`. It also keeps Terraform template sequences (`${...}`, `%{...}`) out of the
 * synthesized JSON, where Terraform would evaluate them at plan time.
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS = 'letters, digits, spaces and _ . : / = + - @';

const tagKey = z.string().superRefine((key, ctx) => {
  if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
    ctx.addIssue({
      code: 'custom',
      message: `a tag key is 1-128 characters of ${TAG_CHARACTERS} (the characters AWS allows in tags; $, {, } and % are not among them). Rename this key.`,
    });
  } else if (/^aws:/i.test(key)) {
    ctx.addIssue({
      code: 'custom',
      message: 'tag keys that start with aws: are reserved for AWS. Choose another key.',
    });
  }
});
const tagValue = z.string().superRefine((value, ctx) => {
  if (value.length > 256 || !TAG_TEXT.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        `a tag value is at most 256 characters of ${TAG_CHARACTERS} (the characters AWS allows in tags; $, {, ` +
        `} and % are not among them). Change the value.`,
    });
  }
});

/**
 * A Route 53 quota in `limits`: a positive whole number up to `max`, `fallback` when left out. One
 * message for every way it can be wrong (not a number, a fraction, zero or less, too large).
 */
function quota(key: string, what: string, fallback: number, max: number) {
  const error =
    `${key} must be a positive whole number, from 1 to ${max}: the Route 53 quota of ${what} (default ` +
    `${fallback}). Write the quota AWS granted your account, or leave the key out for the default.`;
  return z.number({ error }).int({ error }).min(1, { error }).max(max, { error }).default(fallback);
}

/**
 * How the stacks' AWS providers get credentials: `assume-role` (they assume hub.roleArn and the
 * spoke roles themselves) or `dynamic` (Terraform Cloud dynamic provider credentials hand each run
 * the role already, so the providers must not assume it again).
 */
const credentials = z
  .enum(['assume-role', 'dynamic'], { error: 'state.credentials must be assume-role or dynamic.' })
  .default('assume-role');

/**
 * The state locations' scope: one folder (local), key folder (s3) or workspace name part (cloud)
 * per hub, so that two hubs never share a state. Default: `<hub.accountId>-<hub.region>`; `""` keeps
 * the first release's locations (one hub per backend only).
 */
const scope = z
  .string()
  .regex(/^(?:[A-Za-z0-9][A-Za-z0-9_-]{0,63})?$/, {
    error:
      'state.scope is 1-64 letters, digits, - and _ (it names a folder, a key prefix and part of a workspace ' +
      'name), or "" for the first release\'s state locations.',
  })
  .optional();

const localState = z.strictObject({ backend: z.literal('local'), scope, credentials });

const s3State = z.strictObject({
  backend: z.literal('s3'),
  bucket: z
    .string()
    .regex(BUCKET, { error: 'not an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens.' }),
  region,
  keyPrefix: z
    .string()
    // S3's "safe" key characters only: the prefix lands in the backend and in terraform_remote_state.
    .regex(/^(?:[A-Za-z0-9!_.*'()-]+\/)*$/, {
      error:
        'keyPrefix is empty or folder names each ending with "/" (e.g. vpce/ or prod/vpce/), of letters, digits ' +
        'and ! _ . * \' ( ) -; it must not start with "/".',
    })
    .default('vpce/'),
  roleArn: roleArn.optional(),
  scope,
  credentials,
});

const cloudState = z.strictObject({
  backend: z.literal('cloud'),
  organization: z.string().regex(TFC_NAME, {
    error: 'not a Terraform Cloud organization name: letters, digits, - and _ only.',
  }),
  // Lower case, as DNS compares it: it also names an IAM OIDC provider and its condition keys.
  hostname: z
    .string()
    .regex(HOSTNAME, { error: 'not a host name, e.g. app.terraform.io.' })
    .transform((host) => host.toLowerCase())
    .default('app.terraform.io'),
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'a workspace name takes letters, digits, - and _ only.' })
    .default('vpce-'),
  scope,
  credentials,
  manageWorkspaces: z.boolean({ error: 'manageWorkspaces is true or false.' }).default(false),
  /**
   * Where the tfc-workspaces stack keeps its own state: `local` (a file on the machine that deploys
   * it) or `cloud` (the workspace `<workspacePrefix><scope>-tfc-workspaces`, execution mode local, so
   * the apply workflow can deploy it).
   */
  workspacesBackend: z
    .enum(['local', 'cloud'], { error: 'state.workspacesBackend is local or cloud.' })
    .default('local'),
  project: z
    .string()
    .regex(/^[A-Za-z0-9 _-]{3,40}$/, {
      error: 'a Terraform Cloud project name is 3-40 letters, digits, spaces, - and _.',
    })
    .default('vpce-hub'),
});

const state = z.discriminatedUnion('backend', [localState, s3State, cloudState], {
  error: 'state.backend must be one of local, s3, cloud.',
});
const DEFAULT_STATE = { backend: 'local' as const, credentials: 'assume-role' as const };

/** The schema of `hub.yaml`. */
export const hubFileSchema = z.strictObject({
  hub: z.strictObject({
    accountId,
    region,
    vpcId,
    subnetIds: z
      .array(subnetId)
      .min(1, { error: 'list at least one subnet for the endpoints (one per Availability Zone).' }),
    allowedCidrs: z
      .array(cidr)
      .min(1, { error: 'list the CIDR blocks that may reach the endpoints on tcp/443, e.g. [10.0.0.0/8].' }),
    /** Admits 0.0.0.0/0 and ::/0 in allowedCidrs; off, so that "any network" is never an accident. */
    allowAnyCidr: z.boolean({ error: 'allowAnyCidr is true or false.' }).default(false),
    roleArn: roleArn.optional(),
    /** The read-only role for plans (`npm run iam` writes its policy). Default: `vpce-hub-planner` in the hub account. */
    planRoleArn: roleArn.optional(),
  }),
  /** The services the hub centralizes; empty only while the last ones are retired (rules.ts checks). */
  services: z.array(service),
  /**
   * Services on their way out: the hub keeps their endpoint, zone and records while the spokes drop
   * their associations; deleting a service from this list then removes it from the hub.
   */
  retiredServices: z.array(service).default([]),
  /** `lifecycle.prevent_destroy` on the hub's zones and endpoints; false for a deliberate teardown. */
  protect: z.boolean({ error: 'protect is true or false.' }).default(true),
  ecr: z
    .strictObject({
      /**
       * `per-account`: one record per registry account; `wildcard`: one `*` record; `both`: the step
       * between them, either way (docs/operations.md, "Changing ecr.dkrRecords").
       */
      dkrRecords: z
        .enum(['per-account', 'wildcard', 'both'], {
          error: 'ecr.dkrRecords must be per-account, wildcard or both (the step between them).',
        })
        .default('per-account'),
      registryAccounts: z.array(accountId).default([]),
    })
    .default({ dkrRecords: 'per-account', registryAccounts: [] }),
  spokes: z.strictObject({
    roleName,
    /** The read-only role each spoke's plans use. */
    planRoleName: roleName.default('vpce-spoke-planner'),
  }),
  /** Endpoint policies that admit only principals of one AWS Organization. */
  endpointPolicy: z.strictObject({ organizationId }).optional(),
  /**
   * The IAM roles `npm run iam` writes (docs/security-and-iam.md, "IAM roles at scale"): the organization that scopes
   * their cross-account statements, and who else may assume them besides the CI or Terraform Cloud.
   */
  iam: z
    .strictObject({
      /** Scopes the CI roles' sts:AssumeRole to roles of this organization. Default: endpointPolicy.organizationId. */
      organizationId: organizationId.optional(),
      /**
       * Principals that may assume the account roles besides CI (a person's Identity Center role, a
       * break-glass role): role or user ARNs; `*` and `?` wildcards allowed in the name, and `*` as the
       * account (any account of iam.organizationId).
       */
      trustedPrincipals: z
        .strictObject({
          deployers: z.array(trustedPrincipal).default([]),
          planners: z.array(trustedPrincipal).default([]),
        })
        .default({ deployers: [], planners: [] }),
    })
    .default({ trustedPrincipals: { deployers: [], planners: [] } }),
  /**
   * How spoke VPCs see the hub's zones: `associations` (an authorization and an association per VPC
   * and zone) or `profile` (one Route 53 Profile holding every zone, shared through AWS RAM, one
   * association per VPC). `transition` keeps the other mode's resources as well, for switching
   * modes without a moment when a VPC resolves nothing (docs/sharing-modes.md, "Switching modes").
   */
  sharing: z
    .strictObject({
      mode: z
        .enum(['associations', 'profile'], { error: 'sharing.mode must be associations or profile.' })
        .default('associations'),
      /** Whom RAM shares the Profile with. Default: each account of accounts.yaml. */
      principals: z
        .array(principal)
        .min(1, {
          error: 'list at least one principal, or leave principals out to share with each account of accounts.yaml.',
        })
        .optional(),
      /**
       * Whether each spoke accepts a RAM invitation. Default: true where the Profile is shared with
       * account IDs; false for accounts of your organization when RAM sharing with AWS Organizations
       * is enabled (RAM then sends no invitation).
       */
      acceptInvitations: z.boolean({ error: 'sharing.acceptInvitations is true or false.' }).optional(),
      /**
       * While switching modes: `both` keeps the other mode's resources in the hub and the spokes;
       * `hub` keeps them in the hub only (the step before `off` when leaving the Profile).
       */
      transition: z
        .enum(['off', 'both', 'hub'], { error: 'sharing.transition must be off, both or hub.' })
        .default('off'),
      /**
       * What the Profile holds for each service (`mode: profile` only): `zones`, a self-managed
       * private hosted zone with alias records to the endpoint; or `endpoints`, the endpoint itself
       * with AWS's private DNS on, so the hub holds nothing per account (see the catalog's
       * `privateDns`). A service whose endpoint has no private DNS keeps its zone either way.
       */
      dns: z.enum(['zones', 'endpoints'], { error: 'sharing.dns must be zones or endpoints.' }).default('zones'),
      /**
       * With `dns: endpoints`: services that keep their self-managed zone for now, to move services
       * to the endpoints' private DNS one at a time (docs/sharing-modes.md, "Sharing the endpoints themselves").
       */
      zoneServices: z.array(z.string({ error: 'a service name, e.g. logs.' })).default([]),
    })
    .default({ mode: 'associations', transition: 'off', dns: 'zones', zoneServices: [] }),
  /**
   * What `npm run discover` looks for in the organization (its --ou, --tag and --cidr-within replace
   * these): accounts under `organizationalUnits` (recursively; default the whole organization), and
   * in each the VPCs of the hub region that carry every tag of `vpcTags` and lie within one of
   * `vpcCidrsWithin`.
   */
  discovery: z
    .strictObject({
      organizationalUnits: z.array(ouId).default([]),
      vpcTags: z.record(tagKey, tagValue).default({}),
      vpcCidrsWithin: z.array(cidr).default([]),
    })
    .default({ organizationalUnits: [], vpcTags: {}, vpcCidrsWithin: [] }),
  state: state.default(DEFAULT_STATE),
  tags: z.record(tagKey, tagValue).default({}),
  /**
   * `firstReleaseMoves`: the hub's `moved` blocks from the first release's addresses. Needed once, by
   * a deployment made with the first release; each plan pays for them (about 20 s at 1000 accounts).
   */
  upgrade: z
    .strictObject({
      firstReleaseMoves: z.boolean({ error: 'upgrade.firstReleaseMoves is true or false.' }).default(true),
    })
    .default({ firstReleaseMoves: true }),
  limits: z
    .strictObject({
      vpcAssociationsPerZone: quota(
        'limits.vpcAssociationsPerZone',
        'VPC associations per private hosted zone',
        DEFAULT_VPC_ASSOCIATIONS_PER_ZONE,
        MAX_VPC_ASSOCIATIONS_PER_ZONE,
      ),
      vpcAssociationsPerProfile: quota(
        'limits.vpcAssociationsPerProfile',
        'VPC associations per Route 53 Profile',
        DEFAULT_VPC_ASSOCIATIONS_PER_PROFILE,
        MAX_VPC_ASSOCIATIONS_PER_PROFILE,
      ),
    })
    .default({
      vpcAssociationsPerZone: DEFAULT_VPC_ASSOCIATIONS_PER_ZONE,
      vpcAssociationsPerProfile: DEFAULT_VPC_ASSOCIATIONS_PER_PROFILE,
    }),
});

/** The schema of `accounts.yaml`. */
export const accountsFileSchema = z.strictObject({
  accounts: z.array(
    z.strictObject({
      id: accountId,
      /**
       * A label only (its spoke stack's output and doctor reports; no AWS name), so letters of any
       * script are fine; control characters, spaces and `${` are not.
       */
      name: z
        .string()
        .regex(/^[\p{L}\p{M}\p{N}_.+-]{1,64}$/u, {
          error:
            'a name is 1-64 letters (of any alphabet, e.g. zahlungen-ä), digits and ._+- (no spaces; it labels the ' +
            'account in the output of its spoke stack and in doctor reports). Change the name.',
        })
        .optional(),
      vpcIds: z.array(vpcId).min(1, { error: 'list at least one VPC of this account, e.g. [vpc-0123456789abcdef0].' }),
      /**
       * On its way out: its spoke stack keeps nothing (deploying it removes the associations), while
       * the hub keeps its record and authorizations until the entry is deleted.
       */
      retired: z.boolean({ error: 'retired is true or false.' }).default(false),
      s3GatewayRouteTables: z
        .record(
          vpcId,
          z.array(routeTableId).min(1, {
            error: 'list the route tables the S3 gateway endpoint serves, e.g. [rtb-0123456789abcdef0].',
          }),
        )
        .default({}),
    }),
    { error: 'accounts must be a list; write accounts: [] when there are no consumer accounts yet.' },
  ),
});

/** `hub.yaml`, validated, with defaults filled in. */
export type HubFile = z.infer<typeof hubFileSchema>;
/** `accounts.yaml`, validated. */
export type AccountsFile = z.infer<typeof accountsFileSchema>;
/** One consumer account. */
export type Account = AccountsFile['accounts'][number];
/** The state backend settings. */
export type StateConfig = HubFile['state'];

/** The whole validated configuration. */
export interface VpceConfig extends HubFile {
  /** The consumer ("spoke") accounts, in file order. */
  readonly accounts: readonly Account[];
}

/** Every service the hub runs an endpoint and a zone for: the active ones, then the retired ones. */
export function hubServices(config: Pick<HubFile, 'services' | 'retiredServices'>): string[] {
  return [...config.services, ...config.retiredServices.filter((s) => !config.services.includes(s))];
}

/** The account ID inside an IAM role ARN. */
export function roleArnAccount(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[1];
}
