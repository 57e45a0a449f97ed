/**
 * AWS's published list prices that the setup's cost is made of, as data, each with its source and
 * the date it was read. US East (N. Virginia) rates: other regions differ (an interface endpoint
 * costs $0.013-0.015 an hour in some). Update the numbers and the date together.
 */

/** One price. */
export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
  /** When the number was read from the source (YYYY-MM-DD). */
  readonly read: string;
}

/** Hours in an average month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  /** An interface VPC endpoint, per Availability Zone it has a network interface in. */
  interfaceEndpointHour: {
    usd: 0.01,
    per: 'endpoint per Availability Zone per hour',
    source: 'https://aws.amazon.com/privatelink/pricing/',
    read: '2026-12-07',
  },
  /** Data through interface endpoints, first PB a month (not in the estimate: it depends on traffic). */
  interfaceEndpointGb: {
    usd: 0.01,
    per: 'GB processed (first PB a month in the region)',
    source: 'https://aws.amazon.com/privatelink/pricing/',
    read: '2026-12-07',
  },
  /** A hosted zone a month, the first 25 of an account. */
  hostedZoneMonthFirst25: {
    usd: 0.5,
    per: 'hosted zone per month (first 25)',
    source: 'https://aws.amazon.com/route53/pricing/',
    read: '2026-12-07',
  },
  /** A hosted zone a month, beyond 25. */
  hostedZoneMonthAfter25: {
    usd: 0.1,
    per: 'hosted zone per month (after 25)',
    source: 'https://aws.amazon.com/route53/pricing/',
    read: '2026-12-07',
  },
  /** Route 53 Profiles: the Profile owner's hourly fee, which covers 100 Profile-VPC associations. */
  profileHourFirst100: {
    usd: 0.75,
    per: 'hour per Profile-owning account, covering 100 Profile-VPC associations',
    source: 'https://aws.amazon.com/route53/pricing/',
    read: '2026-09 (FACTS.md), checked 2026-12-07',
  },
  /** Route 53 Profiles: each Profile-VPC association beyond 100. */
  profileAssociationHourAfter100: {
    usd: 0.0014,
    per: 'Profile-VPC association per hour beyond 100',
    source: 'https://aws.amazon.com/route53/pricing/',
    read: '2026-09 (FACTS.md), checked 2026-12-07',
  },
} as const satisfies Record<string, Price>;
