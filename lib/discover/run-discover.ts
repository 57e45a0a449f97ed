/**
 * `npm run discover`: keeps `accounts.yaml` in step with AWS Organizations. Reads the organization
 * and each account's matching VPCs (read-organization.ts), sets them beside the file's entries
 * (account-changes.ts), and writes the additions into the file without touching the rest of it
 * (accounts-yaml.ts), after checking that the result is a valid configuration. Never deletes: what
 * left is reported with the retirement steps. `--check` writes nothing and says whether they differ.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallCounter, Credentials } from '../aws/clients';
import { validateFiles } from '../config/load';
import { ConfigError } from '../config/problems';
import type { VpceConfig } from '../config/schema';
import { YamlFile } from '../config/yaml-file';
import { spokeRoles } from '../stacks/roles';
import { accountChanges, differs, type AccountChanges } from './account-changes';
import { editAccountsYaml } from './accounts-yaml';
import { readOrganization, type VpcFilter } from './read-organization';

/** A mistake the user fixes (no filter, a filter that matches nothing): one line, exit 2. */
export class DiscoverInputError extends Error {}

/** What the command line sets; each replaces its `discovery` key of hub.yaml. */
export interface DiscoverFilterOptions {
  readonly organizationalUnits?: readonly string[];
  readonly vpcTags?: Readonly<Record<string, string>>;
  readonly vpcCidrsWithin?: readonly string[];
}

export interface DiscoverOptions {
  readonly configDir: string;
  readonly config: VpceConfig;
  readonly check: boolean;
  readonly filter?: DiscoverFilterOptions;
  readonly counter: CallCounter;
  readonly progress?: (text: string) => void;
  readonly base?: Credentials;
}

/** What a run found and did. */
export interface DiscoverResult {
  readonly file: string;
  readonly organizationalUnits: readonly string[];
  readonly filter: VpcFilter;
  /** Accounts in the organization, and in scope (active, under the OUs). */
  readonly accounts: { readonly organization: number; readonly inScope: number; readonly read: number };
  readonly changes: AccountChanges;
  /** Whether accounts.yaml was written (never with --check). */
  readonly written: boolean;
  readonly differs: boolean;
  readonly calls: Readonly<Record<string, number>>;
}

/** The filter: the command line's keys, else hub.yaml's `discovery`. */
function filterOf(config: VpceConfig, given: DiscoverFilterOptions = {}) {
  const d = config.discovery;
  const filter: VpcFilter = {
    tags: given.vpcTags ?? d.vpcTags,
    cidrsWithin: given.vpcCidrsWithin ?? d.vpcCidrsWithin,
  };
  if (Object.keys(filter.tags).length === 0 && filter.cidrsWithin.length === 0) {
    throw new DiscoverInputError(
      'no VPC filter: give --tag KEY=VALUE or --cidr-within CIDR, or set discovery.vpcTags or ' +
        'discovery.vpcCidrsWithin in hub.yaml (discover never takes every VPC of an account)',
    );
  }
  return { organizationalUnits: given.organizationalUnits ?? d.organizationalUnits, filter };
}

/** The filter in words. */
export function describeFilter(filter: VpcFilter): string {
  return [
    ...Object.entries(filter.tags).map(([k, v]) => `tag ${k}=${v}`),
    ...(filter.cidrsWithin.length > 0 ? [`CIDR within ${filter.cidrsWithin.join(' or ')}`] : []),
  ].join(', ');
}

/** Runs discovery. */
export async function runDiscover(options: DiscoverOptions): Promise<DiscoverResult> {
  const { config } = options;
  const { organizationalUnits, filter } = filterOf(config, options.filter);
  const found = await readOrganization(
    {
      region: config.hub.region,
      organizationalUnits,
      vpcs: filter,
      plannerRole: (account) => spokeRoles(config, account).planner,
      exclude: [config.hub.accountId],
    },
    {
      counter: options.counter,
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.base ? { base: options.base } : {}),
    },
  );
  const listed = config.accounts.map((a) => ({
    id: a.id,
    ...(a.name ? { name: a.name } : {}),
    vpcIds: a.vpcIds,
    retired: a.retired,
  }));
  const changes = accountChanges(listed, found, config.hub.accountId);
  const read = found.vpcs.size;
  const matched = [...found.vpcs.values()].reduce((n, v) => n + v.length, 0);
  if (read > 0 && matched === 0) {
    throw new DiscoverInputError(
      `the filter (${describeFilter(filter)}) matches no VPC in the ${read} accounts read in ${config.hub.region}: check the tag or the CIDR`,
    );
  }
  const file = join(options.configDir, 'accounts.yaml');
  let written = false;
  if (!options.check && (changes.add.length > 0 || changes.addVpcs.size > 0)) {
    const before = readFileSync(file, 'utf8');
    const after = editAccountsYaml(before, { accounts: changes.add, vpcIds: changes.addVpcs });
    // The result must be a valid configuration before it replaces the file.
    try {
      validateFiles(
        YamlFile.parse(readFileSync(join(options.configDir, 'hub.yaml'), 'utf8'), join(options.configDir, 'hub.yaml')),
        YamlFile.parse(after, file),
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(error.problems, `with what discover found, ${file} was not written`);
    }
    const temp = `${file}.discover-${process.pid}`;
    writeFileSync(temp, after);
    renameSync(temp, file);
    written = true;
  }
  return {
    file,
    organizationalUnits,
    filter,
    accounts: { organization: found.organization.length, inScope: found.inScope.size, read },
    changes,
    written,
    differs: differs(changes),
    calls: Object.fromEntries(options.counter.byService),
  };
}
