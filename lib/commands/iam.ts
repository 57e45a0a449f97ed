/**
 * `npm run iam [-- --json] [--out DIR] [--github-repo OWNER/REPO]`: the IAM roles vpce-hub runs as,
 * from the configuration (VPCE_CONFIG_DIR, else config/): each role's permissions and trust policy,
 * and the CloudFormation templates that create them (the hub's; the spokes', one for every account).
 * Refuses documents IAM would refuse, naming the role, the document and its size.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import type { VpceConfig } from '../config/schema';
import {
  hubRolesTemplate,
  spokeRolesTemplate,
  templateRoles,
  TEMPLATE_FILES,
  type CfnTemplate,
  type TemplateRole,
} from '../iam/cloudformation';
import { documentProblems, IAM_LIMITS, policySize } from '../iam/document-checks';
import type { PolicyDocument } from '../iam/evaluate';
import { discoverPolicy, RARELY_CALLED, TEMPLATE_ACCOUNT } from '../iam/policies';
import { iamOrganizationId } from '../iam/trust';
import { FolderError, foldersToMake, fsErrorCode, fsReason, makeFolders } from '../synth/folders';
import { CommandLine, runMain } from './command-line';
import { escapeControl } from './escape';

export const USAGE = `usage: npm run iam -- [--json] [--out DIR] [--github-repo OWNER/REPO]

Prints the IAM roles vpce-hub runs as, from the configuration (VPCE_CONFIG_DIR, else config/): the
hub deployer and planner, the CI roles (or Terraform Cloud's identity), and the spoke deployer and
planner, the same in every account but for its own ID; each with its permissions policy and trust
policy. Plans get the read-only planner roles; applies the deployers. No document grows with the
number of accounts: adding an account needs no IAM change.

  --json                one JSON document on stdout (through npm: npm run -s iam -- --json)
  --out DIR             also write the CloudFormation templates (${TEMPLATE_FILES.hub},
                        ${TEMPLATE_FILES.spoke}) and one file per document
                        (<account>-<role>.policy.json, <account>-<role>.trust.json, and
                        discover.policy.json for whoever runs npm run discover) into DIR
  --github-repo O/R     the GitHub repository whose workflows may assume the CI roles
                        (credentials: assume-role; default OWNER/REPO, to fill in)
  -h, --help            this text
Exit codes: 0 written, 1 the configuration has problems, IAM would refuse a document, or --out DIR
cannot be written, 2 bad usage.`;

/** One role's documents in one account. */
export interface IamRole extends TemplateRole {
  readonly account: string;
}

/** Everything `npm run iam` produces for a configuration. */
export interface IamDocuments {
  /** The hub account's roles: the hub deployer and planner, and the CI roles. */
  readonly hub: readonly IamRole[];
  /** The spoke roles as the template has them (`${AWS::AccountId}` for each account's own ID). */
  readonly spoke: readonly IamRole[];
  /** The spoke accounts of accounts.yaml, each of which gets the spoke roles with its own ID. */
  readonly accounts: readonly string[];
  readonly templates: { readonly hub: CfnTemplate; readonly spoke: CfnTemplate };
  readonly rarelyCalled: Readonly<Record<string, string>>;
  /** The permissions of whoever runs `npm run discover` (no role of vpce-hub's). */
  readonly discover: PolicyDocument;
}

/** An account ID that stands for any spoke when checking the spoke documents' sizes (every ID is 12 digits). */
const SAMPLE_ACCOUNT = '000000000000';

/** The documents of a configuration, read back from its templates (so they are what the templates deploy). */
export function iamDocuments(config: VpceConfig, githubRepository?: string): IamDocuments {
  const templates = { hub: hubRolesTemplate(config, githubRepository), spoke: spokeRolesTemplate(config) };
  const region = config.hub.region;
  const inAccount = (template: CfnTemplate, account: string): IamRole[] =>
    templateRoles(template, { accountId: account, region }).map((r) => ({ ...r, account }));
  return {
    hub: inAccount(templates.hub, config.hub.accountId),
    spoke: inAccount(templates.spoke, TEMPLATE_ACCOUNT),
    accounts: config.accounts.map((a) => a.id),
    templates,
    rarelyCalled: RARELY_CALLED,
    discover: discoverPolicy(config, iamOrganizationId(config)),
  };
}

/** One listed spoke account's roles. */
export function spokeAccountRoles(documents: IamDocuments, accountId: string, region: string): IamRole[] {
  return templateRoles(documents.templates.spoke, { accountId, region }).map((r) => ({ ...r, account: accountId }));
}

/** What IAM would refuse among the documents (the spoke ones as any account has them). */
export function iamProblems(documents: IamDocuments, region: string): string[] {
  const roles = [...documents.hub, ...spokeAccountRoles(documents, SAMPLE_ACCOUNT, region)];
  return documentProblems(
    roles.flatMap((role) => {
      const name = role.account === SAMPLE_ACCOUNT ? role.roleArn.replace(SAMPLE_ACCOUNT, '<spoke>') : role.roleArn;
      return [
        { role: name, kind: 'permissions' as const, document: role.policy },
        { role: name, kind: 'trust' as const, document: role.trust },
      ];
    }),
  );
}

const roleName = (arn: string) => arn.split('/').pop() ?? arn;

/** The documents as text: each role, its policy and trust, with their sizes. */
export function renderIam(documents: IamDocuments): string {
  const lines: string[] = [];
  const show = (role: IamRole, heading: string) => {
    lines.push(
      heading,
      '',
      `permissions (${policySize(role.policy)} of ${IAM_LIMITS.permissions} characters):`,
      JSON.stringify(role.policy, null, 2),
      `trust (${policySize(role.trust)} of ${IAM_LIMITS.trust} characters):`,
      JSON.stringify(role.trust, null, 2),
      '',
    );
  };
  for (const role of documents.hub) show(role, `## ${role.kind} ${role.roleArn}`);
  const accounts = documents.accounts.length;
  for (const role of documents.spoke) {
    show(
      role,
      `## ${role.kind} ${role.roleArn}\n` +
        `The same in every spoke account (${accounts} in accounts.yaml), ${TEMPLATE_ACCOUNT} being its own ID; ` +
        `${TEMPLATE_FILES.spoke} creates it.`,
    );
  }
  lines.push(
    '## npm run discover (the permissions of whoever runs it: the management account or a delegated',
    'administrator of AWS Organizations; list it in iam.trustedPrincipals.planners)',
    '',
    `permissions (${policySize(documents.discover)} of ${IAM_LIMITS.permissions} characters):`,
    JSON.stringify(documents.discover, null, 2),
    '',
  );
  lines.push('Granted, but called only on some changes:');
  for (const [action, reason] of Object.entries(documents.rarelyCalled)) lines.push(`  ${action}: ${reason}`);
  return `${lines.join('\n')}\n`;
}

/** The files `--out` writes: the templates and one file per document, by name, as text. */
export function iamFiles(documents: IamDocuments, region: string): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: string, value: unknown) => files.set(name, `${JSON.stringify(value, null, 2)}\n`);
  add(TEMPLATE_FILES.hub, documents.templates.hub);
  add(TEMPLATE_FILES.spoke, documents.templates.spoke);
  add('discover.policy.json', documents.discover);
  const roles = [...documents.hub, ...documents.accounts.flatMap((id) => spokeAccountRoles(documents, id, region))];
  for (const role of roles) {
    const base = `${role.account}-${roleName(role.roleArn)}`;
    add(`${base}.policy.json`, role.policy);
    add(`${base}.trust.json`, role.trust);
  }
  return files;
}

/** Writes the templates and one file per document into `dir`. */
function writeDocuments(dir: string, documents: IamDocuments, region: string): number {
  makeFolders(dir);
  const files = iamFiles(documents, region);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.size;
}

/** Runs `step` on the --out folder; a folder that cannot be written is said in one line (exit code 1). */
function outProblem(out: string, step: () => unknown): number | undefined {
  try {
    step();
    return undefined;
  } catch (error) {
    if (!(error instanceof FolderError) && fsErrorCode(error) === undefined) throw error;
    const why = error instanceof FolderError ? error.message : fsReason(error);
    const line = `iam: --out ${out}: ${why}. Give --out a folder to write the files in, e.g. --out iam-roles.`;
    process.stderr.write(`${escapeControl(line)}\n`);
    return 1;
  }
}

/** Runs with command-line arguments; returns the exit code. */
export function main(argv: string[]): number {
  const command = new CommandLine('iam', USAGE);
  const values = command.parse(argv, {
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    'github-repo': { type: 'string' },
  });
  if (typeof values === 'number') return values;
  const repo = values['github-repo'];
  if (repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
    return command.mistake(`--github-repo ${repo}: write OWNER/REPO, e.g. acme/network`);
  }
  const out = values.out;
  if (out !== undefined) {
    // A file in the way of --out is said before the configuration is read.
    const problem = outProblem(out, () => foldersToMake(out));
    if (problem) return problem;
  }
  let config: VpceConfig;
  try {
    config = loadConfig(configDir());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const documents = iamDocuments(config, repo);
  const problems = iamProblems(documents, config.hub.region);
  if (problems.length > 0) {
    process.stderr.write(
      `iam: IAM would refuse ${problems.length === 1 ? 'a document' : 'documents'}; nothing written:\n`,
    );
    for (const problem of problems) process.stderr.write(`  ${problem}\n`);
    return 1;
  }
  if (out) {
    let written = 0;
    const problem = outProblem(out, () => (written = writeDocuments(out, documents, config.hub.region)));
    if (problem) return problem;
    process.stderr.write(`iam: wrote ${written} files to ${out} (from ${configDir()}/)\n`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(documents, null, 2)}\n` : renderIam(documents));
  return 0;
}

if (require.main === module) runMain('iam', main);
