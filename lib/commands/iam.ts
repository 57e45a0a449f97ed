/**
 * `npm run iam [-- --json] [--out DIR] [--github-repo OWNER/REPO]`: the IAM policies of every role
 * vpce-hub runs as, and who may assume each, from the configuration (VPCE_CONFIG_DIR, else config/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import { rolePolicies, RARELY_CALLED, type RolePolicy } from '../iam/policies';
import { trustPolicies, type RoleTrust } from '../iam/trust';
import { CommandLine, runMain } from './command-line';

export const USAGE = `usage: npm run iam -- [--json] [--out DIR] [--github-repo OWNER/REPO]

Prints the IAM permissions policy of every role vpce-hub runs as (hub deployer and planner, each
spoke's deployer and planner) and the trust policy of each, from the configuration
(VPCE_CONFIG_DIR, else config/). Plans get the read-only planner roles; applies the deployers.

  --json                one JSON document on stdout (through npm: npm run -s iam -- --json)
  --out DIR             also write one file per document into DIR (<role>.policy.json, <role>.trust.json)
  --github-repo O/R     the GitHub repository whose workflows may assume the CI roles
                        (credentials: assume-role; default OWNER/REPO, to fill in)
  -h, --help            this text
Exit codes: 0 written, 1 the configuration has problems, 2 bad usage.`;

/** Everything `npm run iam` produces for a configuration. */
export interface IamDocuments {
  readonly roles: ReadonlyArray<RolePolicy & { readonly trust?: RoleTrust['trust'] }>;
  /** The CI roles (credentials: assume-role), with their own policies and trusts. */
  readonly ci: readonly RoleTrust[];
  readonly rarelyCalled: Readonly<Record<string, string>>;
}

/** The documents of a configuration. */
export function iamDocuments(config: Parameters<typeof rolePolicies>[0], githubRepository?: string): IamDocuments {
  const trusts = trustPolicies(config, githubRepository);
  const roles = rolePolicies(config).map((role) => ({
    ...role,
    trust: trusts.find((t) => t.roleArn === role.roleArn)?.trust,
  }));
  const ci = trusts.filter((t) => !roles.some((r) => r.roleArn === t.roleArn));
  return { roles, ci, rarelyCalled: RARELY_CALLED };
}

const roleName = (arn: string) => arn.split('/').pop() ?? arn;

/** The documents as text: each role, its policy and trust. */
export function renderIam(documents: IamDocuments): string {
  const lines: string[] = [];
  for (const role of documents.roles) {
    lines.push(`## ${role.kind} ${role.roleArn}`, '', 'permissions:', JSON.stringify(role.policy, null, 2));
    if (role.trust) lines.push('trust:', JSON.stringify(role.trust, null, 2));
    lines.push('');
  }
  for (const role of documents.ci) {
    lines.push(
      `## ci ${role.roleArn}`,
      '',
      'permissions:',
      JSON.stringify(role.policy, null, 2),
      'trust:',
      JSON.stringify(role.trust, null, 2),
      '',
    );
  }
  lines.push('Granted, but called only on some changes:');
  for (const [action, reason] of Object.entries(documents.rarelyCalled)) lines.push(`  ${action}: ${reason}`);
  return `${lines.join('\n')}\n`;
}

/** Writes one file per document into `dir`. */
function writeDocuments(dir: string, documents: IamDocuments): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
    written.push(name);
  };
  for (const role of documents.roles) {
    const base = `${role.account}-${roleName(role.roleArn)}`;
    write(`${base}.policy.json`, role.policy);
    if (role.trust) write(`${base}.trust.json`, role.trust);
  }
  for (const role of documents.ci) {
    write(`${roleName(role.roleArn)}.policy.json`, role.policy);
    write(`${roleName(role.roleArn)}.trust.json`, role.trust);
  }
  return written;
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
  let documents: IamDocuments;
  try {
    documents = iamDocuments(loadConfig(), repo);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (values.out) {
    const written = writeDocuments(values.out, documents);
    process.stderr.write(`iam: wrote ${written.length} files to ${values.out}\n`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(documents, null, 2)}\n` : renderIam(documents));
  return 0;
}

if (require.main === module) runMain('iam', main);
