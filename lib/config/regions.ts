/**
 * The AWS regions vpce-hub accepts, as data, in one place: `hub.region` and `state.region` are both
 * checked against this list.
 *
 * To add a region: when AWS opens a new commercial region (partition `aws`, DNS suffix
 * `amazonaws.com`), add its code below, in order, with its name as a comment, and run `npm test`.
 * Check the catalog's services exist there (not every service launches in every region on day one).
 * Regions of other partitions (China, GovCloud, ISO, European Sovereign Cloud) do not belong here:
 * their endpoint names are not under `amazonaws.com`, and they are reported by {@link otherPartition}.
 */
import { suggest } from './suggest';

/** Every commercial-partition region (as of 2026), by code. */
export const COMMERCIAL_REGIONS: readonly string[] = [
  'af-south-1', // Africa (Cape Town)
  'ap-east-1', // Asia Pacific (Hong Kong)
  'ap-east-2', // Asia Pacific (Taipei), opened 2025
  'ap-northeast-1', // Asia Pacific (Tokyo)
  'ap-northeast-2', // Asia Pacific (Seoul)
  'ap-northeast-3', // Asia Pacific (Osaka)
  'ap-south-1', // Asia Pacific (Mumbai)
  'ap-south-2', // Asia Pacific (Hyderabad)
  'ap-southeast-1', // Asia Pacific (Singapore)
  'ap-southeast-2', // Asia Pacific (Sydney)
  'ap-southeast-3', // Asia Pacific (Jakarta)
  'ap-southeast-4', // Asia Pacific (Melbourne)
  'ap-southeast-5', // Asia Pacific (Malaysia)
  'ap-southeast-6', // Asia Pacific (New Zealand), opened 2025
  'ap-southeast-7', // Asia Pacific (Thailand)
  'ca-central-1', // Canada (Central)
  'ca-west-1', // Canada West (Calgary)
  'eu-central-1', // Europe (Frankfurt)
  'eu-central-2', // Europe (Zurich)
  'eu-north-1', // Europe (Stockholm)
  'eu-south-1', // Europe (Milan)
  'eu-south-2', // Europe (Spain)
  'eu-west-1', // Europe (Ireland)
  'eu-west-2', // Europe (London)
  'eu-west-3', // Europe (Paris)
  'il-central-1', // Israel (Tel Aviv)
  'me-central-1', // Middle East (UAE)
  'me-south-1', // Middle East (Bahrain)
  'mx-central-1', // Mexico (Central)
  'sa-east-1', // South America (São Paulo)
  'us-east-1', // US East (N. Virginia)
  'us-east-2', // US East (Ohio)
  'us-west-1', // US West (N. California)
  'us-west-2', // US West (Oregon)
];

const COMMERCIAL = new Set(COMMERCIAL_REGIONS);

/** Region code prefixes of the other AWS partitions, most specific first. */
const OTHER_PARTITIONS: ReadonlyArray<{ prefix: RegExp; partition: string }> = [
  { prefix: /^cn-/, partition: 'aws-cn (China)' },
  { prefix: /^us-gov-/, partition: 'aws-us-gov (GovCloud)' },
  { prefix: /^us-isob-/, partition: 'aws-iso-b' },
  { prefix: /^us-isof-/, partition: 'aws-iso-f' },
  { prefix: /^eu-isoe-/, partition: 'aws-iso-e' },
  { prefix: /^us-iso-/, partition: 'aws-iso' },
  { prefix: /^eusc-/, partition: 'aws-eusc (European Sovereign Cloud)' },
];

/** Whether `region` is a commercial-partition region code. */
export function isCommercialRegion(region: string): boolean {
  return COMMERCIAL.has(region);
}

/** The partition of a region code that belongs to another partition than `aws`, if it does. */
export function otherPartition(region: string): string | undefined {
  return OTHER_PARTITIONS.find(({ prefix }) => prefix.test(region))?.partition;
}

/** What to tell the user about a region that is not in {@link COMMERCIAL_REGIONS}. */
export function regionProblem(region: string): string {
  const partition = otherPartition(region);
  if (partition) {
    return (
      `${region} is a region of the ${partition} partition. Other partitions (aws-cn, aws-us-gov, aws-iso*, ` +
      `aws-eusc) are not supported: vpce-hub supports the commercial partition (aws, amazonaws.com) only. Use ` +
      `a commercial region such as us-east-1.`
    );
  }
  const guess = suggest(region.toLowerCase().trim(), COMMERCIAL_REGIONS);
  const hint = guess ? ` Did you mean ${guess}?` : ' Use a region code such as ap-northeast-1 or us-east-1.';
  return `not an AWS region name.${hint} The commercial regions are listed in lib/config/regions.ts; if AWS opened this region recently, add it there.`;
}
