/**
 * Rules that span several values or both files: duplicates, the hub listed as a consumer, role ARNs
 * in the wrong account; the sharing rules and quotas are in `sharing-rules.ts`. They read the raw YAML data defensively
 * (a value of the wrong type is the schema's problem, reported separately), so that every problem in
 * the configuration is reported in one run.
 */
import { isCatalogService, publicDiscoveredName, serviceEntry } from '../services/catalog';
import { parseCidr } from './cidr';
import type { Problem } from './problems';
import { roleArnAccount, VPC_ID } from './schema';
import { iamRules } from './iam-rules';
import { sharingRules } from './sharing-rules';
import { asList, asRecord, duplicates, type Raw } from './raw';
import type { DocPath, YamlFile } from './yaml-file';

/** `0.0.0.0/0` and `::/0`, however written: the endpoints would admit any network. */
function anyNetworkRules(hubFile: YamlFile, hub: Raw): Problem[] {
  const allowAny = hub.allowAnyCidr === true;
  const problems: Problem[] = [];
  asList(hub.allowedCidrs).forEach((value, i) => {
    const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!cidr || cidr.prefix !== 0) return;
    const path = ['hub', 'allowedCidrs', i];
    if (!allowAny) {
      problems.push(
        hubFile.problemAt(
          path,
          `this is every ${cidr.family === 4 ? 'IPv4' : 'IPv6'} network (${cidr.network}): the endpoints would ` +
            `admit any network that can route to them (every peered VPC, VPN and Transit Gateway attachment), not ` +
            `just your spokes. List your spoke CIDRs instead; to admit any network deliberately, set hub.allowAnyCidr: ` +
            `true.`,
        ),
      );
    } else if (cidr.hostBitsSet) {
      problems.push(
        hubFile.problemAt(path, `host bits are set: a /0 block is ${cidr.network}. Write ${cidr.network}.`),
      );
    }
  });
  return problems;
}

/** Every cross-value rule, over both files. */
export function crossRules(hubFile: YamlFile, accountsFile: YamlFile): Problem[] {
  const hubData = asRecord(hubFile.data) ?? {};
  const hub = asRecord(hubData.hub) ?? {};
  const accounts = asList(asRecord(accountsFile.data)?.accounts).map((a) => asRecord(a) ?? {});
  const problems: Problem[] = [];

  // Services and subnets listed twice.
  problems.push(
    ...duplicates(
      hubFile,
      asList(hubData.services).map((value, i) => ({ value, path: ['services', i] })),
      (value, line) => `service "${value}" is listed twice (first at line ${line}). Remove one.`,
    ),
    ...duplicates(
      hubFile,
      asList(hubData.retiredServices).map((value, i) => ({ value, path: ['retiredServices', i] })),
      (value, line) => `service "${value}" is listed twice in retiredServices (first at line ${line}). Remove one.`,
    ),
    ...duplicates(
      hubFile,
      asList(hub.subnetIds).map((value, i) => ({ value, path: ['hub', 'subnetIds', i] })),
      (value, line) => `subnet ${value} is listed twice (first at line ${line}). Remove one.`,
    ),
    ...duplicates(
      hubFile,
      asList(hub.allowedCidrs).map((value, i) => ({ value, path: ['hub', 'allowedCidrs', i] })),
      (value, line, first) =>
        first === value
          ? `CIDR ${value} is listed twice (first at line ${line}). Remove one.`
          : `CIDR ${value} is listed twice: it is the same network as ${first} (first at line ${line}; both are ${parseCidr(value)?.canonical}). Remove one.`,
      (value) => parseCidr(value)?.canonical,
    ),
    ...anyNetworkRules(hubFile, hub),
    ...duplicates(
      hubFile,
      asList(asRecord(hubData.ecr)?.registryAccounts).map((value, i) => ({
        value,
        path: ['ecr', 'registryAccounts', i],
      })),
      (value, line) => `registry account ${value} is listed twice (first at line ${line}). Remove one.`,
    ),
  );

  // No service at all is the retire step of the last ones (they stay in retiredServices until
  // their spokes have dropped them); with nothing retired either, the hub would hold nothing.
  if (
    Array.isArray(hubData.services) &&
    hubData.services.length === 0 &&
    asList(hubData.retiredServices).length === 0
  ) {
    problems.push(
      hubFile.problemAt(
        ['services'],
        'list at least one service, e.g. [ecr.api, ecr.dkr, s3, logs]. To take the last services out of the ' +
          'spokes, move them to retiredServices (docs/operations.md, "Remove a service"); to remove the hub itself, set ' +
          'protect: false and destroy its stacks (docs/operations.md, "Guard rails").',
      ),
    );
  }

  // A service whose names another service hands out (ecs-agent, ecs-telemetry: through ecs) needs it.
  const services = asList(hubData.services);
  services.forEach((value, i) => {
    const via = typeof value === 'string' && isCatalogService(value) ? serviceEntry(value).discoveredVia : undefined;
    if (!via || services.includes(via.service)) return;
    problems.push(
      hubFile.problemAt(
        ['services', i],
        `${value} needs ${via.service} in services: clients learn its name from ${via.call}, and without the ` +
          `hub's ${via.service} endpoint AWS hands out ${publicDiscoveredName(value as string, '<region>')} names, ` +
          `which no private zone answers, so ${value} would bypass the hub. Add ${via.service} to services.`,
      ),
    );
  });

  // A retired service is one that left `services`: listed in both, it would be neither.
  asList(hubData.retiredServices).forEach((value, i) => {
    const first = asList(hubData.services).indexOf(value);
    if (typeof value !== 'string' || first < 0) return;
    problems.push(
      hubFile.problemAt(
        ['retiredServices', i],
        `service "${value}" is also in services (line ${hubFile.lineOf(['services', first])}). A service is either ` +
          `in services or, on its way out, in retiredServices: remove one.`,
      ),
    );
  });

  // The hub's roles must live in the hub account; a typo here fails only at deploy time otherwise.
  for (const key of ['roleArn', 'planRoleArn']) {
    const arn = hub[key];
    if (typeof arn !== 'string' || typeof hub.accountId !== 'string') continue;
    const roleAccount = roleArnAccount(arn);
    if (roleAccount && roleAccount !== hub.accountId) {
      problems.push(
        hubFile.problemAt(
          ['hub', key],
          `this role is in account ${roleAccount}, but hub.accountId is ${hub.accountId}. The hub provider only ` +
            `deploys into the hub account: use a role in ${hub.accountId}.`,
        ),
      );
    }
  }

  // Dynamic credentials are a Terraform Cloud feature, and each workspace needs a role to hand out.
  const state = asRecord(hubData.state);
  if (state?.credentials === 'dynamic') {
    if (state.backend !== 'cloud') {
      problems.push(
        hubFile.problemAt(
          ['state', 'credentials'],
          'dynamic provider credentials come from Terraform Cloud: use them with state.backend: cloud, or use credentials: assume-role.',
        ),
      );
    }
    if (typeof hub.roleArn !== 'string') {
      problems.push(
        hubFile.problemAt(
          ['state', 'credentials'],
          "dynamic credentials need hub.roleArn: the role Terraform Cloud hands to the hub workspace's runs. Add hub.roleArn.",
        ),
      );
    }
  }

  // Consumer accounts: unique, and not the hub itself.
  problems.push(
    ...duplicates(
      accountsFile,
      accounts.map((account, i) => ({ value: account.id, path: ['accounts', i, 'id'] })),
      (value, line) =>
        `account ${value} is listed twice (first at line ${line}). Keep one entry and list all its VPCs under its vpcIds.`,
    ),
  );
  accounts.forEach((account, i) => {
    if (typeof account.id === 'string' && account.id === hub.accountId) {
      problems.push(
        accountsFile.problemAt(
          ['accounts', i, 'id'],
          `this is the hub account (hub.accountId in ${hubFile.label}). The hub VPC is associated with every zone already; remove this entry.`,
        ),
      );
    }
  });

  // A VPC may appear once across all accounts, and never be the hub VPC.
  const vpcEntries = accounts.flatMap((account, i) =>
    asList(account.vpcIds).map((value, j) => ({ value, path: ['accounts', i, 'vpcIds', j] as DocPath })),
  );
  problems.push(
    ...duplicates(
      accountsFile,
      vpcEntries,
      (value, line) =>
        `VPC ${value} is listed twice (first at line ${line}). A VPC belongs to one account: remove one.`,
    ),
  );
  for (const { value, path } of vpcEntries) {
    if (typeof value === 'string' && value === hub.vpcId) {
      problems.push(
        accountsFile.problemAt(
          path,
          `this is the hub VPC (hub.vpcId in ${hubFile.label}); it is associated with every zone already. Remove it here.`,
        ),
      );
    }
  }

  // An S3 gateway endpoint belongs in one of the account's own VPCs.
  accounts.forEach((account, i) => {
    const vpcIds = asList(account.vpcIds);
    for (const vpc of Object.keys(asRecord(account.s3GatewayRouteTables) ?? {})) {
      if (VPC_ID.test(vpc) && !vpcIds.includes(vpc)) {
        problems.push({
          ...accountsFile.problemAtKey(
            ['accounts', i, 's3GatewayRouteTables'],
            vpc,
            `${vpc} is not one of this account's vpcIds. Use one of ${vpcIds.join(', ') || 'its VPCs'}, or add it to vpcIds.`,
          ),
          value: vpc,
        });
      }
    }
  });

  // How the zones are shared (principals, quotas of each mode), and whom the IAM roles trust.
  problems.push(...sharingRules(hubFile, accountsFile), ...iamRules(hubFile));
  return problems;
}
