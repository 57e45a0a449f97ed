/**
 * `npx tsx bench/discover-calls.ts [N,N,...]`: the AWS API calls of one `npm run discover` run,
 * counted by the fake, for an organization of N accounts under one OU (a tenth of them in a nested
 * OU), each with one tagged and one untagged VPC, and an empty accounts.yaml (default 10,100,1000).
 * Prints a Markdown table: calls by service, the seconds of the run against the in-process fake,
 * and the bytes of the accounts.yaml it writes; `--write-docs` also writes it into docs/operations.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallCounter } from '../lib/aws/clients';
import { loadConfig } from '../lib/config/load';
import { runDiscover } from '../lib/discover/run-discover';
import { FakeAws } from '../test/fake-aws/server';
import { World } from '../test/fake-aws/world';
import { LARGE_HUB_ACCOUNT, LARGE_HUB_REGION, largeHubYaml } from './large-hub';
import { updateReadmeBlock } from './readme-blocks';

const MANAGEMENT = LARGE_HUB_ACCOUNT;
const REGION = LARGE_HUB_REGION;
const WORKLOADS = 'ou-abcd-workload1';
const NESTED = 'ou-abcd-nestedou1';

const HUB = largeHubYaml(`discovery:\n  organizationalUnits: [${WORKLOADS}]\n  vpcTags: { vpce-hub: "true" }\n`);

async function count(accounts: number) {
  const ids = Array.from({ length: accounts }, (_, i) => String(400000000000 + i));
  const world = new World();
  ids.forEach((id, i) => {
    const vpc = (n: number, tags: Record<string, string>) => {
      const vpcId = `vpc-0${(0x10000 + i * 2 + n).toString(16).padStart(16, '0')}`;
      world.data.vpcs[vpcId] = { id: vpcId, account: id, region: REGION, cidr: `10.${i % 250}.${n}.0/24`, tags };
    };
    vpc(0, { 'vpce-hub': 'true' });
    vpc(1, {});
  });
  world.setOrganization({
    id: 'o-benchbench01',
    managementAccount: MANAGEMENT,
    accounts: [MANAGEMENT, ...ids],
    ous: { [WORKLOADS]: ids, [NESTED]: ids.filter((_, i) => i % 10 === 0) },
    ouParents: { [NESTED]: WORKLOADS },
    ramSharingEnabled: true,
  });
  const fake = await FakeAws.start({ world });
  const dir = mkdtempSync(join(tmpdir(), 'vpce-discover-bench-'));
  writeFileSync(join(dir, 'hub.yaml'), HUB);
  writeFileSync(join(dir, 'accounts.yaml'), 'accounts: []\n');
  process.env.AWS_ENDPOINT_URL = fake.url;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const counter = new CallCounter();
  const started = Date.now();
  try {
    const result = await runDiscover({
      configDir: dir,
      config: loadConfig(dir),
      check: false,
      counter,
      base: async () => ({ accessKeyId: MANAGEMENT, secretAccessKey: 'bench' }),
    });
    if (result.changes.add.length !== accounts) {
      throw new Error(`discover added ${result.changes.add.length} of ${accounts}`);
    }
    const seconds = (Date.now() - started) / 1000;
    // The fake's own log: the SDK's STS client (role sessions) counts too.
    const log = (await (await fetch(`${fake.url}/_fake/calls`)).json()) as Array<{ service: string }>;
    const calls: Record<string, number> = {};
    for (const call of log) calls[call.service] = (calls[call.service] ?? 0) + 1;
    return { calls, seconds, bytes: readFileSync(join(dir, 'accounts.yaml')).length };
  } finally {
    await fake.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write-docs');
  const sizes = (args.find((a) => !a.startsWith('--')) ?? '10,100,1000').split(',').map(Number);
  const lines = [
    '| accounts | Organizations calls | STS calls | EC2 calls | seconds (in-process fake) | accounts.yaml written |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const size of sizes) {
    const c = await count(size);
    lines.push(
      `| ${size} | ${n(c.calls.organizations)} | ${n(c.calls.sts)} | ${n(c.calls.ec2)} | ${c.seconds.toFixed(1)} | ` +
        `${c.bytes.toLocaleString('en-US')} bytes |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (write) {
    updateReadmeBlock('discover-calls', () => lines.join('\n'), join(__dirname, '..', 'docs', 'operations.md'));
    process.stdout.write('bench: docs/operations.md updated (discover-calls block)\n');
  }
}

const n = (count: number | undefined) => (count ?? 0).toLocaleString('en-US');

void main();
