/**
 * The monthly AWS cost of a configured setup, from what it makes (the hub's interface endpoints in
 * each Availability Zone, its private hosted zones, the Profile-VPC associations where spokes use a
 * Profile) and AWS's list prices (prices.ts). Authorizations, zone associations, records, RAM shares
 * and S3 gateway endpoints cost nothing; data processed and queries depend on traffic and are left out.
 */
import { hubServices, type VpceConfig } from '../config/schema';
import { servesPrivateDns, sharingOf } from '../config/sharing';
import { HOURS_PER_MONTH, PRICES } from './prices';

/** One line of the estimate. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usdPerMonth: number;
}

/** The estimate: its lines and their sum. */
export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly usdPerMonth: number;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/** What `config` costs a month, at the list prices of prices.ts. */
export function monthlyCost(config: VpceConfig): CostEstimate {
  const sharing = sharingOf(config);
  const services = hubServices(config);
  const azs = config.hub.subnetIds.length;
  const endpoints = services.length;
  // A service whose endpoint's own private DNS answers through the Profile has no zone of the hub's.
  const zones = services.filter(
    (s) => !servesPrivateDns(config.sharing, s) || config.retiredServices.includes(s),
  ).length;
  const vpcs = config.accounts.filter((a) => !a.retired).reduce((n, a) => n + a.vpcIds.length, 0);
  const profileAssociations = sharing.spokes.profile ? vpcs : 0;
  const lines: CostLine[] = [
    {
      item: `interface endpoints (${endpoints} services x ${azs} Availability Zones)`,
      quantity: endpoints * azs,
      usdPerMonth: endpoints * azs * HOURS_PER_MONTH * PRICES.interfaceEndpointHour.usd,
    },
    {
      item: 'private hosted zones',
      quantity: zones,
      usdPerMonth:
        Math.min(zones, 25) * PRICES.hostedZoneMonthFirst25.usd +
        Math.max(zones - 25, 0) * PRICES.hostedZoneMonthAfter25.usd,
    },
  ];
  if (sharing.hub.profile) {
    lines.push({
      item: 'Route 53 Profile-VPC associations',
      quantity: profileAssociations,
      usdPerMonth:
        HOURS_PER_MONTH *
        (PRICES.profileHourFirst100.usd +
          Math.max(profileAssociations - 100, 0) * PRICES.profileAssociationHourAfter100.usd),
    });
  }
  const rounded = lines.map((l) => ({ ...l, usdPerMonth: round(l.usdPerMonth) }));
  return { lines: rounded, usdPerMonth: round(rounded.reduce((n, l) => n + l.usdPerMonth, 0)) };
}
