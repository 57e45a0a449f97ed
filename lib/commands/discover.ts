/**
 * `npm run discover [-- --check] [--ou OU ...] [--tag KEY=VALUE ...] [--cidr-within CIDR ...] [--json]`
 *
 * Keeps accounts.yaml in step with AWS Organizations (lib/discover): adds new accounts and VPCs,
 * never deletes. Exit 0: in step, or written. Exit 1 (--check): accounts.yaml differs from the
 * organization. Exit 2: bad usage or configuration, no credentials, an OU that does not exist, a
 * filter that matches nothing, an endpoint it cannot reach (one line each).
 */
import { CommandLine, runMain } from './command-line';

const USAGE = `usage: npm run discover -- [--check] [--ou OU_ID ...] [--tag KEY=VALUE ...] [--cidr-within CIDR ...] [--json]

  --check            write nothing; exit 1 when accounts.yaml differs from the organization (for CI)
  --ou OU_ID         only accounts under this organizational unit, recursively (repeatable; default:
                     discovery.organizationalUnits in hub.yaml, else the whole organization)
  --tag KEY=VALUE    only VPCs with this tag (repeatable: every one; default: discovery.vpcTags)
  --cidr-within CIDR only VPCs whose CIDR lies within this block (repeatable: any; default:
                     discovery.vpcCidrsWithin)
  --json             the result as JSON on stdout (through npm: npm run -s discover -- --json)
  -h, --help         this text
Reads the organization with your credentials (the management account or a delegated administrator
of AWS Organizations), and each account's VPCs in hub.region through its spoke planner role
(spokes.planRoleName); accounts whose role cannot be used are listed and skipped. Uses the standard
AWS configuration (AWS_PROFILE, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>) and VPCE_CONFIG_DIR.
Adds accounts and VPCs to accounts.yaml, keeping its comments and formatting; never deletes.
Exit codes: 0 in step or written, 1 (--check) accounts.yaml differs, 2 bad usage or configuration,
no credentials, an OU that does not exist, a filter that matches nothing, an endpoint it cannot reach.`;

/** Where the CLI writes, and its environment (a test passes fakes). */
export interface DiscoverIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: DiscoverIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs discover with command-line arguments; returns the exit code. */
export async function main(argv: string[], io: DiscoverIo = PROCESS_IO): Promise<number> {
  const command = new CommandLine('discover', USAGE, io);
  const values = command.parse(argv, {
    check: { type: 'boolean', default: false },
    ou: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    'cidr-within': { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  });
  if (typeof values === 'number') return values;
  const { OU_ID } = await import('../config/schema');
  const { parseCidr } = await import('../config/cidr');
  const badOu = values.ou?.find((ou) => !OU_ID.test(ou));
  if (badOu !== undefined) {
    return command.mistake(`--ou ${badOu}: an organizational unit ID is ou-<root part>-<8 to 32 letters or digits>`);
  }
  const tags: Record<string, string> = {};
  for (const tag of values.tag ?? []) {
    const eq = tag.indexOf('=');
    if (eq <= 0) return command.mistake(`--tag ${tag}: write KEY=VALUE, e.g. --tag vpce-hub=true`);
    tags[tag.slice(0, eq)] = tag.slice(eq + 1);
  }
  const cidrs: string[] = [];
  for (const block of values['cidr-within'] ?? []) {
    const parsed = parseCidr(block);
    if (!parsed) return command.mistake(`--cidr-within ${block}: not a CIDR block, e.g. 10.0.0.0/8`);
    cidrs.push(parsed.network);
  }

  const { configDir } = await import('../config/load');
  const { CallCounter } = await import('../aws/clients');
  const { runDiscover, DiscoverInputError } = await import('../discover/run-discover');
  const { renderDiscoverJson, renderDiscoverText } = await import('../discover/discover-report');
  const { loadConfigFor, runAwsWork } = await import('./aws-command');
  const dir = configDir(io.env);
  const result = await runAwsWork(
    'discover',
    io,
    { quiet: values.json, userErrors: [DiscoverInputError] },
    (progress) =>
      runDiscover({
        configDir: dir,
        config: loadConfigFor(dir, 'discover'),
        check: values.check,
        filter: {
          ...(values.ou ? { organizationalUnits: values.ou } : {}),
          ...(values.tag ? { vpcTags: tags } : {}),
          ...(values['cidr-within'] ? { vpcCidrsWithin: cidrs } : {}),
        },
        counter: new CallCounter(),
        progress,
      }),
  );
  if (result === undefined) return 2;
  io.stdout.write(values.json ? renderDiscoverJson(result) : renderDiscoverText(result, values.check));
  return values.check && result.differs ? 1 : 0;
}

if (require.main === module) runMain('discover', (argv) => main(argv));
