/**
 * `npx tsx bench/live-doctor-calls.ts [N,N,...]`: the AWS API calls of one `npm run doctor -- --live`
 * run, counted by the fake, for a deployed world (test/fake-aws/world-builder.ts) of N accounts with
 * one VPC each and four services, in associations mode with Route 53's VPCs-per-zone quota raised
 * to 2000 (default 10,100,1000). Prints a Markdown table; `--write-docs` also writes it into
 * docs/doctor.md (between its bench markers).
 */
import { App } from '../lib/framework/cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallCounter } from '../lib/aws/clients';
import { validateFiles } from '../lib/config/load';
import { YamlFile } from '../lib/config/yaml-file';
import { runLiveDoctor } from '../lib/doctor/live/run-live-doctor';
import { buildStacks } from '../lib/stacks/build-stacks';
import { startDeployedWorld } from '../test/fake-aws/world-builder';
import { largeHubYaml } from './large-hub';
import { updateReadmeBlock } from './readme-blocks';

const HUB = largeHubYaml('state:\n  backend: local\n');

async function count(accounts: number): Promise<{ route53: number; ec2: number; sts: number; seconds: number }> {
  const ids = Array.from({ length: accounts }, (_, i) => String(400000000000 + i));
  const yaml = `accounts:\n${ids.map((id, i) => `  - id: "${id}"\n    vpcIds: [vpc-0${(0x1000 + i).toString(16).padStart(16, '0')}]\n`).join('')}`;
  const config = validateFiles(YamlFile.parse(HUB, 'hub.yaml'), YamlFile.parse(yaml, 'accounts.yaml'));
  const outdir = mkdtempSync(join(tmpdir(), 'vpce-live-bench-'));
  const app = new App({ outdir });
  buildStacks(app, config);
  app.synth();
  const { fake } = await startDeployedWorld(config);
  process.env.AWS_ENDPOINT_URL = fake.url;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const before = ((await (await fetch(`${fake.url}/_fake/calls`)).json()) as unknown[]).length;
  const started = Date.now();
  try {
    const report = await runLiveDoctor({
      outdir,
      profile: 'fargate',
      config,
      counter: new CallCounter(),
      base: async () => ({ accessKeyId: '111111111111', secretAccessKey: 'bench' }),
    });
    if (!report.ok) throw new Error(`the live doctor failed at ${accounts} accounts`);
    const calls = (await (await fetch(`${fake.url}/_fake/calls?since=${before + 1}`)).json()) as Array<{
      service: string;
    }>;
    const of = (service: string) => calls.filter((c) => c.service === service).length;
    return {
      route53: of('route53') + of('route53profiles'),
      ec2: of('ec2'),
      sts: of('sts'),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await fake.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = (args.find((a) => !a.startsWith('--')) ?? '10,100,1000').split(',').map(Number);
  const lines = ['| accounts (1 VPC each) | Route 53 calls | EC2 calls | STS calls |', '| --- | --- | --- | --- |'];
  const n = (count: number) => count.toLocaleString('en-US');
  for (const size of sizes) {
    const c = await count(size);
    const label = size > 300 ? `${size} (\`limits.vpcAssociationsPerZone: 2000\`)` : String(size);
    lines.push(`| ${label} | ${n(c.route53)} | ${n(c.ec2)} | ${n(c.sts)} |`);
    process.stderr.write(`bench: ${size} accounts in ${c.seconds.toFixed(1)} s\n`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (args.includes('--write-docs')) {
    updateReadmeBlock('live-doctor-calls', () => lines.join('\n'), join(__dirname, '..', 'docs', 'doctor.md'));
    process.stdout.write('bench: docs/doctor.md updated (live-doctor-calls block)\n');
  }
}

void main();
