/**
 * `npm run cost [-- --json]`: the monthly AWS cost of the configured setup (VPCE_CONFIG_DIR, else
 * config/) at AWS's list prices (lib/cost/prices.ts: each price with its source and date). Exit 0,
 * 1 when the configuration has problems, 2 bad usage.
 */
import { CommandLine, runMain } from './command-line';
import { configDir, loadConfig } from '../config/load';
import { ConfigError } from '../config/problems';
import { monthlyCost } from '../cost/estimate';
import { HOURS_PER_MONTH, PRICES } from '../cost/prices';

const USAGE = `usage: npm run cost -- [--json]

Prints what the configuration (VPCE_CONFIG_DIR, else config/) costs a month at AWS's list prices:
the hub's interface endpoints per Availability Zone, its private hosted zones, and the Profile-VPC
associations where spokes use a Route 53 Profile. Data processed ($${PRICES.interfaceEndpointGb.usd} per GB) and DNS
queries depend on traffic and are not included; prices are US East (N. Virginia) list prices.

  --json        the estimate as JSON
  -h, --help    this text
Exit codes: 0 printed, 1 the configuration has problems, 2 bad usage.`;

export function main(argv: string[], io = process): number {
  const command = new CommandLine('cost', USAGE, io);
  const values = command.parse(argv, { json: { type: 'boolean', default: false } });
  if (typeof values === 'number') return values;
  const dir = configDir(io.env);
  let config;
  try {
    config = loadConfig(dir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${new ConfigError(error.problems, 'nothing was estimated').message}\n`);
    return 1;
  }
  const estimate = monthlyCost(config);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ configDir: dir, ...estimate, prices: PRICES }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...estimate.lines.map((l) => l.item.length));
  const lines = [
    `vpce-hub cost: ${dir}/, ${config.accounts.length} accounts, sharing.mode ${config.sharing.mode}` +
      (config.sharing.mode === 'profile' ? `, dns ${config.sharing.dns}` : ''),
    ...estimate.lines.map(
      (l) => `  ${l.item.padEnd(width)}  ${String(l.quantity).padStart(5)}  $${l.usdPerMonth.toFixed(2).padStart(9)}`,
    ),
    `  ${'per month'.padEnd(width)}         $${estimate.usdPerMonth.toFixed(2).padStart(9)}`,
    `List prices (US East), ${HOURS_PER_MONTH} hours a month, from lib/cost/prices.ts (read ` +
      `${PRICES.interfaceEndpointHour.read}); plus $${PRICES.interfaceEndpointGb.usd} per GB through the endpoints.`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

if (require.main === module) runMain('cost', (argv) => main(argv));
