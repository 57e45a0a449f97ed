/**
 * Adding or removing an account changes only that account's instances and stack: every other
 * resource instance keeps its Terraform address and its body.
 */
import { ACCOUNTS_YAML, configFrom, HUB_YAML, synthAll } from './helpers/config';

type Json = Record<string, unknown>;

/** Every resource instance of a stack, `type.name` or `type.name["key"]`, with its body. */
function instances(stack: Json): Map<string, string> {
  const result = new Map<string, string>();
  for (const [type, byName] of Object.entries(stack.resource as Json)) {
    for (const [name, resource] of Object.entries(byName as Json)) {
      const { for_each: forEach, '//': _metadata, ...body } = resource as Json;
      if (forEach === undefined) {
        result.set(`${type}.${name}`, JSON.stringify(body));
        continue;
      }
      // A literal map: keys and values; a toset([...]): each value is its own key.
      const entries: Array<[string, unknown]> =
        typeof forEach === 'string'
          ? (JSON.parse(forEach.replace(/^\$\{toset\((.*)\)\}$/, '$1')) as string[]).map((k) => [k, k])
          : Object.entries(forEach as Json);
      for (const [key, value] of entries) {
        result.set(`${type}.${name}["${key}"]`, JSON.stringify({ ...body, each: value }));
      }
    }
  }
  return result;
}

/** Everything in a stack but its resources and moves (provider, backend, data, locals, outputs). */
function frame(stack: Json): string {
  const { resource: _resource, moved: _moved, '//': _metadata, ...rest } = stack;
  return JSON.stringify(rest);
}

/** The `moved` blocks of a stack, as `from -> to`. */
function moves(stack: Json): string[] {
  return ((stack.moved ?? []) as Array<{ from: string; to: string }>).map((m) => `${m.from} -> ${m.to}`);
}

const NEW_ACCOUNT = '  - id: "444444444444"\n    vpcIds: [vpc-0444444444444444a, vpc-0444444444444444b]\n';

describe('stable addresses', () => {
  const base = synthAll(configFrom());
  const added = synthAll(configFrom(HUB_YAML, ACCOUNTS_YAML + NEW_ACCOUNT));
  const removed = synthAll(
    configFrom(HUB_YAML, ACCOUNTS_YAML.replace(/ {2}- id: "123456789012"\n( {4}.*\n)+?(?= {2}- )/, '')),
  );

  test('the removal fixture really removes one account', () => {
    expect([...removed.spokes.keys()]).toEqual(['012345678901', '333333333333']);
  });

  test("adding an account keeps every hub instance and adds only the new account's", () => {
    const before = instances(base.hub.json);
    const after = instances(added.hub.json);
    for (const [address, body] of before) expect({ address, body: after.get(address) }).toEqual({ address, body });
    const addedAddresses = [...after.keys()].filter((address) => !before.has(address)).sort();
    expect(addedAddresses).toEqual(
      [
        'aws_route53_record.ecr_dkr_registry_44["444444444444"]',
        ...['vpc-0444444444444444a', 'vpc-0444444444444444b'].flatMap((vpc) =>
          ['ecr.api', 'ecr.dkr', 's3', 'logs'].map(
            (s) => `aws_route53_vpc_association_authorization.spoke_444444444444["${vpc}/${s}"]`,
          ),
        ),
      ].sort(),
    );
    expect(frame(added.hub.json)).toBe(frame(base.hub.json));
    // The moves of the other accounts stay; the new ones are the new account's only.
    const newMoves = moves(added.hub.json).filter((move) => !moves(base.hub.json).includes(move));
    expect(moves(added.hub.json)).toEqual(expect.arrayContaining(moves(base.hub.json)));
    expect(newMoves).toHaveLength(1 + 8);
    expect(newMoves.every((move) => move.includes('444444444444'))).toBe(true);
  });

  test('adding an account leaves every other spoke stack byte for byte the same', () => {
    for (const [id, spoke] of base.spokes) expect(added.spokes.get(id)?.text).toBe(spoke.text);
    expect([...added.spokes.keys()]).toEqual([...base.spokes.keys(), '444444444444']);
  });

  test('removing an account drops only its instances and stack', () => {
    const before = instances(base.hub.json);
    const after = instances(removed.hub.json);
    for (const [address, body] of after) expect({ address, body: before.get(address) }).toEqual({ address, body });
    const dropped = [...before.keys()].filter((address) => !after.has(address));
    expect(dropped).toContain('aws_route53_record.ecr_dkr_registry_12["123456789012"]');
    expect(dropped.every((a) => a.includes('123456789012') || a.includes('vpc-0123456789abcdef0/'))).toBe(true);
    expect(dropped).toHaveLength(1 + 4);
    for (const [id, spoke] of removed.spokes) expect(spoke.text).toBe(base.spokes.get(id)?.text);
  });

  test('reordering accounts changes nothing', () => {
    const [header, ...entries] = ACCOUNTS_YAML.split(/(?= {2}- id:)/);
    const reordered = synthAll(configFrom(HUB_YAML, header + entries.reverse().join('')));
    expect(instances(reordered.hub.json)).toEqual(instances(base.hub.json));
  });
});
