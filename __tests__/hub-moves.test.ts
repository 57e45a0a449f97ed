/**
 * The hub's layout keeps Terraform's plan linear in accounts, and upgrading from the first
 * release's addresses is free: every old instance address has a `moved` block to an instance that
 * exists, so an upgrade plans moves only (the e2e applies one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountShard as registryShard } from '../lib/constructs/account-shards';
import { stateLocation } from '../lib/state/backends';
import { unsafeRemovals } from '../lib/state/removal-guard';
import { unsafeChangesBetween as unsafeChanges } from '../lib/commands/affected';
import { HubStack } from '../lib/stacks/hub-stack';
import { generateConfig } from '../test/fixtures/generate-config';
import { configFrom, edit, HUB_YAML, type ParsedJson, synthStack, testApp } from './helpers/config';
import { tempDir } from './helpers/temp';

type Json = Record<string, unknown>;

/** Every resource instance address of a synthesized stack (for_each expanded). */
function instanceAddresses(stack: Json): Set<string> {
  const addresses = new Set<string>();
  for (const [type, byName] of Object.entries(stack.resource as Json)) {
    for (const [name, resource] of Object.entries(byName as Json)) {
      const forEach = (resource as Json).for_each;
      if (forEach === undefined) {
        addresses.add(`${type}.${name}`);
        continue;
      }
      const keys =
        typeof forEach === 'string'
          ? (JSON.parse(forEach.replace(/^\$\{toset\((.*)\)\}$/s, '$1')) as string[])
          : Object.keys(forEach as Json);
      for (const key of keys) addresses.add(`${type}.${name}[${JSON.stringify(key)}]`);
    }
  }
  return addresses;
}

/** The instances of each resource block. */
function blockSizes(stack: Json): number[] {
  const sizes: number[] = [];
  for (const byName of Object.values(stack.resource as Json)) {
    for (const resource of Object.values(byName as Json)) {
      const forEach = (resource as Json).for_each;
      if (forEach === undefined) sizes.push(1);
      else {
        sizes.push(
          typeof forEach === 'string'
            ? (JSON.parse(forEach.replace(/^\$\{toset\((.*)\)\}$/s, '$1')) as string[]).length
            : Object.keys(forEach as Json).length,
        );
      }
    }
  }
  return sizes;
}

/**
 * The first release's addresses of the per-account instances, written out as that release named them
 * (one authorization block keyed `<vpcId>/<service>`, one registry block keyed by account ID).
 */
function firstReleaseAddresses(
  accounts: ReadonlyArray<{ id: string; vpcIds: readonly string[] }>,
  services: readonly string[],
  registries: readonly string[],
): string[] {
  return [
    ...registries.map((id) => `aws_route53_record.ecr_dkr_registry["${id}"]`),
    ...accounts.flatMap((a) =>
      a.vpcIds.flatMap((vpc) => services.map((s) => `aws_route53_vpc_association_authorization.spoke["${vpc}/${s}"]`)),
    ),
  ];
}

describe('upgrading from the first release', () => {
  const config = configFrom();
  const hub = synthStack(new HubStack(testApp(), { config })).json;
  const moves = hub.moved as Array<{ from: string; to: string }>;

  test('every old address has exactly one move, to an instance that exists', () => {
    const registries = [
      ...new Set([config.hub.accountId, ...config.accounts.map((a) => a.id), ...config.ecr.registryAccounts]),
    ];
    const old = firstReleaseAddresses(config.accounts, config.services, registries);
    expect(old).toHaveLength(5 + 4 * 4);
    const instances = instanceAddresses(hub);
    for (const address of old) {
      const found = moves.filter((m) => m.from === address);
      expect({ address, moves: found.length }).toEqual({ address, moves: 1 });
      expect({ address, to: found[0].to, exists: instances.has(found[0].to) }).toEqual({
        address,
        to: found[0].to,
        exists: true,
      });
      // No old address survives: otherwise the move would have nothing to do.
      expect(instances.has(address)).toBe(false);
    }
    expect(moves).toHaveLength(old.length);
  });

  test('a move keeps the instance key; only the block name changes', () => {
    for (const move of moves) {
      expect(move.from.slice(move.from.indexOf('['))).toBe(move.to.slice(move.to.indexOf('[')));
    }
  });
});

describe('a layout whose plan time is linear in accounts', () => {
  test('no for_each block grows with the number of accounts past about 100 instances (300 accounts)', () => {
    const { hub: hubYaml, accounts } = generateConfig({
      accounts: 300,
      services: ['ecr.api', 'ecr.dkr', 's3', 'logs', 'sts', 'ssm', 'ssmmessages', 'ec2messages', 'secretsmanager'],
    });
    const hub = synthStack(new HubStack(testApp(), { config: configFrom(hubYaml, accounts) })).json;
    const sizes = blockSizes(hub);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(300 * 9); // the instances are all there
    expect(Object.keys(hub.resource.aws_route53_vpc_association_authorization)).toHaveLength(300);
  });

  test('the registry shard depends on the account ID alone', () => {
    expect(registryShard('123456789012')).toBe('12');
    expect(registryShard('012345678901')).toBe('01');
  });

  test('wildcard mode has no registry moves: the * record answers every registry', () => {
    const wildcard = synthStack(
      new HubStack(testApp(), {
        config: configFrom(edit(HUB_YAML, 'dkrRecords: per-account', 'dkrRecords: wildcard')),
      }),
    ).json;
    expect((wildcard.moved as Array<{ from: string }>).some((m) => m.from.includes('ecr_dkr_registry'))).toBe(false);
  });
});

describe('upgrade.firstReleaseMoves: false', () => {
  const withoutMoves = `${HUB_YAML}upgrade:\n  firstReleaseMoves: false\n`;

  test('drops the moved blocks (a new deployment, or one already upgraded)', () => {
    const hub = synthStack(new HubStack(testApp(), { config: configFrom(withoutMoves) })).json;
    expect(hub.moved).toBeUndefined();
    expect(Object.keys(hub.resource.aws_route53_vpc_association_authorization)).toHaveLength(3);
  });

  test('is refused while the hub state still holds the first release addresses (local state)', () => {
    const stateDir = tempDir('state');
    mkdirSync(join(stateDir, 'x'), { recursive: true });
    writeFileSync(
      join(stateDir, 'x', 'hub.tfstate'),
      JSON.stringify({
        version: 4,
        resources: [
          {
            mode: 'managed',
            type: 'aws_route53_record',
            name: 'ecr_dkr_registry',
            instances: [{ index_key: '111111111111' }],
          },
        ],
      }),
    );
    const config = configFrom(
      withoutMoves.replace('state:\n  backend: local\n', 'state:\n  backend: local\n  scope: x\n'),
    );
    const reasons = unsafeRemovals(config, stateLocation(config, { outdir: join(stateDir, 'out'), stateDir }));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain("still holds the first release's addresses (aws_route53_record.ecr_dkr_registry)");
    expect(
      unsafeRemovals(
        configFrom(HUB_YAML.replace('state:\n  backend: local\n', 'state:\n  backend: local\n  scope: x\n')),
        stateLocation(config, { outdir: join(stateDir, 'out'), stateDir }),
      ),
    ).toEqual([]);
  });

  test('is unsafe in a change whose base still has the first release layout (the workflows refuse it)', () => {
    const config = configFrom(withoutMoves);
    const head = new Map<string, ParsedJson>([['hub', synthStack(new HubStack(testApp(), { config })).json]]);
    const base = new Map<string, ParsedJson>([
      ['hub', { resource: { aws_route53_record: { ecr_dkr_registry: { for_each: '${toset(["111111111111"])}' } } } }],
    ]);
    expect(unsafeChanges(base, head)).toEqual([
      expect.stringContaining(
        "hub: the hub still holds the first release's addresses (aws_route53_record.ecr_dkr_registry), but upgrade.firstReleaseMoves is false",
      ),
    ]);
    const withMoves = new Map<string, ParsedJson>([
      ['hub', synthStack(new HubStack(testApp(), { config: configFrom() })).json],
    ]);
    expect(unsafeChanges(base, withMoves)).toEqual([]);
  });
});
