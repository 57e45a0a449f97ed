/**
 * `npm run cost`: the monthly cost of a configured setup at AWS's list prices (lib/cost/prices.ts).
 */
import { monthlyCost } from '../lib/cost/estimate';
import { PRICES } from '../lib/cost/prices';
import { configFrom, HUB_YAML, withSharing } from './helpers/config';

const accounts = (n: number, vpcs = 1) =>
  `accounts:\n${Array.from({ length: n }, (_, i) => {
    const ids = Array.from({ length: vpcs }, (_, v) => `vpc-0${(0x1000 + i * 10 + v).toString(16).padStart(16, '0')}`);
    return `  - id: "${400000000000 + i}"\n    vpcIds: [${ids.join(', ')}]\n`;
  }).join('')}`;

describe('monthly cost', () => {
  test('every price names its source and when it was read', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.read).toMatch(/^\d{4}-\d{2}/);
      expect(price.usd).toBeGreaterThan(0);
    }
  });

  test('associations: endpoints per Availability Zone-hour and one zone per service; associations are free', () => {
    const estimate = monthlyCost(configFrom(HUB_YAML, accounts(3)));
    // 4 services x 2 subnets x 730 h x $0.01; 4 zones x $0.50.
    expect(estimate.lines).toEqual([
      { item: 'interface endpoints (4 services x 2 Availability Zones)', quantity: 8, usdPerMonth: 58.4 },
      { item: 'private hosted zones', quantity: 4, usdPerMonth: 2 },
    ]);
    expect(estimate.usdPerMonth).toBe(60.4);
    expect(monthlyCost(configFrom(HUB_YAML, accounts(200))).usdPerMonth).toBe(60.4);
  });

  test('profile: the owner fee covers 100 VPC associations, each one beyond costs by the hour', () => {
    const profile = withSharing('  mode: profile\n');
    const at = (vpcs: number) => monthlyCost(configFrom(profile, accounts(vpcs))).lines.at(-1);
    expect(at(100)).toEqual({ item: 'Route 53 Profile-VPC associations', quantity: 100, usdPerMonth: 547.5 });
    // 50 more: 50 x $0.0014 x 730 h.
    expect(at(150)).toEqual({ item: 'Route 53 Profile-VPC associations', quantity: 150, usdPerMonth: 598.6 });
    expect(monthlyCost(configFrom(profile, accounts(60, 2))).lines.at(-1)?.quantity).toBe(120);
  });

  test('dns: endpoints: no zone for a service whose endpoint answers through the Profile', () => {
    const estimate = monthlyCost(configFrom(withSharing('  mode: profile\n  dns: endpoints\n'), accounts(3)));
    expect(estimate.lines.find((l) => l.item === 'private hosted zones')?.quantity).toBeLessThan(4);
  });
});
