/**
 * What each key of hub.yaml and accounts.yaml means: the text the configuration reference
 * (docs/configuration.md) and the JSON Schemas (schemas/) show, attached to the zod schema by
 * documented-schema.ts. One entry per key; a test holds the schema and this list to each other.
 */

/** One key's documentation. */
export interface KeyDoc {
  readonly description: string;
  /** The default in words, where the schema's own default does not say it (or it has none). */
  readonly defaultText?: string;
}

/** hub.yaml's keys, by path (`state.bucket`). */
export const HUB_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  hub: { description: 'The hub account, its region, VPC and subnets, and who may reach the endpoints.' },
  'hub.accountId': {
    description: 'The hub account, a quoted 12-digit string. The hub provider refuses any other account.',
  },
  'hub.region': {
    description:
      'The region of the hub and of every spoke VPC, e.g. `ap-northeast-1`: a commercial-partition region listed in `lib/config/regions.ts` (add a new region there). `cn-`, `us-gov-`, `us-iso*-` and `eusc-` regions belong to other partitions and are refused.',
  },
  'hub.vpcId': { description: 'The hub VPC: the endpoints live in it, and every zone is created associated with it.' },
  'hub.subnetIds': { description: 'Subnets for the endpoint network interfaces, one per Availability Zone.' },
  'hub.allowedCidrs': {
    description:
      'The only networks admitted to the endpoints, on tcp/443 (IPv4 or IPv6; no host bits set; each network once, however spelt). List your spoke CIDRs. IPv6 blocks reach Terraform in canonical RFC 5952 form (`2001:0DB8:0::/32` becomes `2001:db8::/32`).',
  },
  'hub.allowAnyCidr': {
    description:
      'Set `true` to admit `0.0.0.0/0` or `::/0` in `allowedCidrs` deliberately: the endpoints then accept any network that can route to them.',
  },
  'hub.roleArn': {
    description: 'A role in the hub account for the hub provider to assume.',
    defaultText: "the caller's credentials",
  },
  'hub.planRoleArn': {
    description:
      "The read-only role the hub's plans (and the live doctor) assume. Its policy is the hub planner's of `npm run iam`.",
    defaultText: '`vpce-hub-planner` in the hub account',
  },
  services: {
    description:
      'Services to centralize, by endpoint service name (the part after `com.amazonaws.<region>.`). See the catalog below. May be `[]` only while the last services are in `retiredServices` (the retire step); to remove the hub itself, set `protect: false` and destroy its stacks.',
  },
  retiredServices: {
    description:
      'Services on their way out (see "Remove a service"): the hub keeps their endpoint, zone, records and authorizations, while the spokes drop their associations. A service is in `services` or here, not both.',
  },
  protect: {
    description:
      "`lifecycle.prevent_destroy` on the hub's zones and endpoints: every spoke resolves through them, so Terraform refuses any plan that would destroy or replace one. Set `false` for a deliberate teardown.",
  },
  ecr: { description: 'How the ECR registry names `<account>.dkr.ecr.<region>.amazonaws.com` are answered.' },
  'ecr.dkrRecords': {
    description:
      '`per-account`: one `<id>.dkr.ecr.<region>.amazonaws.com` record for the hub, each spoke and each `registryAccounts` entry. `wildcard`: one `*.dkr.ecr.<region>.amazonaws.com` record that answers for any registry.',
  },
  'ecr.registryAccounts': {
    description: 'More accounts whose registries spoke workloads pull from (a shared images account, say), quoted.',
  },
  spokes: { description: "The roles each spoke account's stack assumes." },
  'spokes.roleName': { description: 'The role name each spoke provider assumes: `arn:aws:iam::<id>:role/<roleName>`.' },
  'spokes.planRoleName': { description: "The read-only role each spoke's plans assume." },
  endpointPolicy: {
    description: 'Endpoint policies that admit only principals of one AWS Organization, on every endpoint.',
    defaultText: 'none (the full-access default policy)',
  },
  'endpointPolicy.organizationId': {
    description: 'The organization (`o-...`) whose principals the endpoint policies admit (`aws:PrincipalOrgID`).',
  },
  iam: {
    description:
      'The IAM roles `npm run iam` writes: the organization that scopes their cross-account statements, and who besides CI may assume them.',
  },
  'iam.organizationId': {
    description:
      'Your AWS Organization (`o-...`): the CI roles may assume only roles of its accounts (`aws:ResourceOrgID`), and `iam.trustedPrincipals` of any account must belong to it. See "IAM roles at scale".',
  },
  'iam.trustedPrincipals': {
    description: 'People and break-glass roles that may assume the account roles besides CI.',
  },
  'iam.trustedPrincipals.deployers': {
    description:
      "Role or user ARNs (with `*` and `?` wildcards in the name; `*` as the account only with an organization) that may assume the deployer roles besides CI: a person's IAM Identity Center role, a break-glass role.",
  },
  'iam.trustedPrincipals.planners': { description: 'The same, for the planner roles.' },
  sharing: {
    description: 'How spoke VPCs see the hub: zone associations or a Route 53 Profile (docs/sharing-modes.md).',
  },
  'sharing.mode': {
    description:
      'How spoke VPCs see the hub\'s zones. `associations`: the hub authorizes each (spoke VPC, zone) pair and each spoke associates its VPCs with each zone. `profile`: one Route 53 Profile holds every zone, AWS RAM shares it, and each spoke VPC associates with the Profile once. See "Sharing through a Route 53 Profile".',
  },
  'sharing.principals': {
    description:
      'Profile mode: whom RAM shares the Profile with, each a quoted account ID, the organization ARN (`arn:aws:organizations::<management account>:organization/o-...`) or an OU ARN (`.../ou/o-.../ou-...`). With an organization or OU, the hub holds no per-account sharing resource. Never the hub account: it owns the Profile, and RAM refuses to share with the owner.',
    defaultText: 'each account of `accounts.yaml`',
  },
  'sharing.acceptInvitations': {
    description:
      "Profile mode: each spoke among the account principals accepts RAM's invitation (`aws_ram_resource_share_accepter`), and the share admits accounts outside the organization. Set `false` when the accounts are in your organization and RAM sharing with AWS Organizations is enabled: RAM sends them no invitation then, and an accepter would fail.",
    defaultText: '`true` with account principals',
  },
  'sharing.transition': {
    description:
      'While switching modes (see "Switching modes"): `both` keeps the other mode\'s resources in the hub and the spokes; `hub` keeps them in the hub only.',
  },
  'sharing.dns': {
    description:
      'Profile mode: what the Profile holds for each service. `zones`: a self-managed private hosted zone with alias records to the endpoint. `endpoints`: the endpoint itself, with AWS\'s private DNS on; the hub then holds nothing per account. Needs `mode: profile` and `transition: off`. See "Sharing the endpoints themselves".',
  },
  'sharing.zoneServices': {
    description:
      'With `dns: endpoints`: services that keep their self-managed zone for now, to move services one at a time. Each must be in `services`.',
  },
  discovery: {
    description:
      'What `npm run discover` looks for in the organization; its `--ou`, `--tag` and `--cidr-within` replace these.',
  },
  'discovery.organizationalUnits': {
    description:
      '`npm run discover`: only accounts under these OUs (`ou-...`), recursively. See "Add accounts from AWS Organizations".',
    defaultText: '`[]` (the whole organization)',
  },
  'discovery.vpcTags': {
    description: '`npm run discover`: only VPCs with every one of these tags, e.g. `{ vpce-hub: "true" }`.',
  },
  'discovery.vpcCidrsWithin': {
    description:
      '`npm run discover`: only VPCs whose primary CIDR lies within one of these blocks. With `vpcTags`, both must hold; with neither (and no `--tag`/`--cidr-within`), discover refuses to run.',
  },
  state: { description: 'Where each stack keeps its Terraform state: one state per stack.' },
  'state.backend': { description: '`local`, `s3` or `cloud`, below.' },
  'state.scope': {
    description:
      'The folder, key part or workspace part that keeps hubs apart (1-64 letters, digits, `-`, `_`); `""` for the first release\'s locations, safe for one hub per backend only.',
    defaultText: '`<hub.accountId>-<hub.region>`',
  },
  'state.credentials': {
    description:
      'How the providers get credentials: `assume-role` (the hub provider assumes `hub.roleArn`, each spoke provider its `spokes.roleName` role) or `dynamic` (Terraform Cloud dynamic provider credentials; needs `backend: cloud` and `hub.roleArn`).',
  },
  'state.bucket': { description: '`backend: s3`: the state bucket (exists, versioned).' },
  'state.region': { description: "`backend: s3`: the bucket's region." },
  'state.keyPrefix': {
    description:
      "`backend: s3`: the key prefix; folder names of letters, digits and `!_.*'()-`, each ending in `/`. Each stack's key is `<keyPrefix><scope>/<stack>.tfstate`.",
  },
  'state.roleArn': { description: '`backend: s3`: a role the backend assumes to reach the bucket.' },
  'state.organization': { description: '`backend: cloud`: the Terraform Cloud organization.' },
  'state.hostname': { description: '`backend: cloud`: Terraform Cloud or Enterprise host.' },
  'state.workspacePrefix': {
    description: "`backend: cloud`: each stack's workspace is `<workspacePrefix><scope>-<stack>`.",
  },
  'state.manageWorkspaces': {
    description:
      "`backend: cloud`: adds the `tfc-workspaces` stack, which creates every workspace, its variables and the hub's state sharing.",
  },
  'state.workspacesBackend': {
    description:
      '`manageWorkspaces: true`: where the `tfc-workspaces` stack keeps its own state: `local`, or `cloud` (the workspace `<workspacePrefix><scope>-tfc-workspaces`, execution mode local, so the apply workflow can deploy it).',
  },
  'state.project': { description: '`backend: cloud`: the Terraform Cloud project of the workspaces.' },
  tags: {
    description:
      "Default tags on every resource (provider `default_tags`), values quoted where YAML would read a number. Keys (1-128 characters, not starting with `aws:`) and values (up to 256) take AWS's tag characters only: letters, digits, spaces and `_ . : / = + - @`, so no Terraform `${...}` or `%{...}` can reach the output.",
  },
  upgrade: { description: 'Upgrading a deployment made with the first release.' },
  'upgrade.firstReleaseMoves': {
    description:
      'The hub\'s `moved` blocks from the first release\'s addresses (see "Upgrading from the first release"). Once the hub has been applied with this release, set `false`: every plan pays for the moves (26 s at 1000 accounts, measured; growing faster than the accounts). Synth (local state) and the workflows refuse `false` while the hub still has first-release addresses.',
  },
  limits: { description: 'AWS quotas the configuration is checked against; raise one only after AWS raised yours.' },
  'limits.vpcAssociationsPerZone': {
    description:
      "Route 53's quota of VPCs per private hosted zone, checked where spokes associate with zones directly (`sharing.mode: associations`, or `transition: both`). Raise it here only after AWS raised your quota. A whole number from 1 to 10000.",
  },
  'limits.vpcAssociationsPerProfile': {
    description:
      "Route 53 Profiles' quota of VPCs per Profile, checked where spokes associate with the Profile. AWS's pages disagree (1,000 on the AssociateProfile reference, 5,000 on GetProfileAssociation's); the lower one holds until AWS confirms yours. A whole number from 1 to 100000.",
  },
};

/** accounts.yaml's keys (`accounts[].id`). */
export const ACCOUNTS_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  accounts: { description: 'The consumer accounts. `accounts: []` synthesizes the hub alone.' },
  'accounts[].id': { description: 'The account ID, a quoted 12-digit string; not the hub account, not listed twice.' },
  'accounts[].name': {
    description:
      "A label for people (1-64 letters of any alphabet, digits and `._+-`): the spoke stack's output `account` (`{ id, name }`) and the doctor's report show it. Not a tag: an output changes nothing in AWS.",
  },
  'accounts[].vpcIds': {
    description:
      "The account's VPCs in the hub region; each VPC appears once in the whole file and is not the hub VPC.",
  },
  'accounts[].retired': {
    description:
      '`true` while the account leaves (see "Remove an account"): its spoke stack keeps its provider and state but no resource, so deploying it takes its VPCs off the hub\'s zones; the hub keeps its registry record and authorizations until the entry is deleted.',
  },
  'accounts[].s3GatewayRouteTables': {
    description:
      "A map of VPC ID (one of the account's `vpcIds`) to route table IDs: the spoke stack creates an S3 **gateway** endpoint in that VPC for those route tables. For VPCs that reach S3 (ECR image layers) through their own gateway instead of the hub's `s3` interface endpoint; gateway endpoints cannot be shared across TGW or peering. Such a VPC is **not** associated with the hub's `s3` zone (and the hub holds no authorization for it): its S3 names resolve in public DNS and its gateway's routes carry the traffic, which the doctor shows as `public DNS -> S3 gateway endpoint`. Adding a VPC here removes its `s3` association; removing it adds the association back.",
  },
};
