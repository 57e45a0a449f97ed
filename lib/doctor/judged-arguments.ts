/**
 * What the doctor understands of the resources it judges. Its verdict holds only for what it
 * models: an argument or meta-argument it does not know on one of these resources (a routing policy
 * on a record, a provisioner, another provider, a `count` it cannot evaluate, a module whose
 * resources it cannot see) could make Terraform apply something else, so the doctor refuses the
 * output instead of passing it.
 */
import { evaluateJson, isRef, UNKNOWN, type Value } from './expression-evaluator';
import type { SynthStack } from './synth-output';
import type { Refusal } from './terraform-files';

/** An argument the doctor understands: any value, or only values this check does not object to. */
type Check = true | ((value: Value) => string | undefined);

interface Judged {
  /** The arguments it understands (the ones it reads, and the ones that cannot change what resolves). */
  readonly arguments: Readonly<Record<string, Check>>;
  /**
   * The arguments its verdict rests on: `lifecycle.ignore_changes` on one of them leaves what
   * exists in AWS as it is, whatever the synth output says.
   */
  readonly decisive: readonly string[];
}

/** `ipv4` or `dualstack`: IPv4 addresses, which the A queries of the workloads need. */
const answersIpv4 =
  (argument: string): Check =>
  (value) =>
    value === 'ipv4' || value === 'dualstack'
      ? undefined
      : `its ${argument} is ${describe(value)}: only ipv4 and dualstack give the IPv4 addresses workloads ask for`;

const nested =
  (argument: string, understood: Readonly<Record<string, Check>>): Check =>
  (value) => {
    for (const block of Array.isArray(value) ? value : [value]) {
      if (typeof block !== 'object' || block === null || Array.isArray(block) || isRef(block)) {
        return `its ${argument} cannot be evaluated from the synth output`;
      }
      for (const [key, inner] of Object.entries(block)) {
        const check = understood[key];
        if (check === undefined) return `its ${argument}.${key} is an argument the doctor does not model`;
        const objection = check === true ? undefined : check(inner);
        if (objection) return objection;
      }
    }
    return undefined;
  };

function describe(value: Value): string {
  return value === UNKNOWN ? 'not known from the synth output' : JSON.stringify(value);
}

/** The resources the resolver model reads (resolver-model.ts), by type. */
export const JUDGED_RESOURCES: Readonly<Record<string, Judged>> = {
  aws_route53_zone: {
    arguments: { name: true, vpc: true, comment: true, tags: true, force_destroy: true, timeouts: true },
    // The hub's own zones ignore changes to `vpc` (their associations are managed elsewhere).
    decisive: ['name'],
  },
  aws_route53_record: {
    arguments: {
      name: true,
      type: true,
      zone_id: true,
      alias: nested('alias', { name: true, zone_id: true, evaluate_target_health: true }),
      records: true,
      ttl: true,
      allow_overwrite: true,
      timeouts: true,
    },
    decisive: ['name', 'type', 'zone_id', 'alias', 'records'],
  },
  aws_vpc_endpoint: {
    arguments: {
      service_name: true,
      vpc_endpoint_type: true,
      vpc_id: true,
      route_table_ids: true,
      private_dns_enabled: true,
      dns_options: nested('dns_options', {
        private_dns_only_for_inbound_resolver_endpoint: true,
        dns_record_ip_type: answersIpv4('dns_options.dns_record_ip_type'),
      }),
      ip_address_type: answersIpv4('ip_address_type'),
      security_group_ids: true,
      subnet_ids: true,
      policy: true,
      auto_accept: true,
      tags: true,
      timeouts: true,
    },
    decisive: [
      'service_name',
      'vpc_endpoint_type',
      'vpc_id',
      'route_table_ids',
      'private_dns_enabled',
      'dns_options',
      'ip_address_type',
    ],
  },
  aws_route53profiles_profile: { arguments: { name: true, tags: true, timeouts: true }, decisive: [] },
  aws_route53profiles_resource_association: {
    arguments: { name: true, profile_id: true, resource_arn: true, timeouts: true },
    decisive: ['profile_id', 'resource_arn'],
  },
  aws_route53profiles_association: {
    arguments: { name: true, profile_id: true, resource_id: true, tags: true, timeouts: true },
    decisive: ['profile_id', 'resource_id'],
  },
  aws_ram_principal_association: {
    arguments: { principal: true, resource_share_arn: true },
    decisive: ['principal', 'resource_share_arn'],
  },
  aws_route53_vpc_association_authorization: {
    arguments: { zone_id: true, vpc_id: true, vpc_region: true, timeouts: true },
    decisive: ['zone_id', 'vpc_id', 'vpc_region'],
  },
  aws_route53_zone_association: {
    arguments: { zone_id: true, vpc_id: true, vpc_region: true, timeouts: true },
    decisive: ['zone_id', 'vpc_id', 'vpc_region'],
  },
};

/** The data sources the doctor follows: remote state, to the stack that writes it. */
const JUDGED_DATA: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
  terraform_remote_state: {
    backend: true,
    config: true,
    defaults: true,
    workspace: (value) =>
      value === 'default'
        ? undefined
        : `its workspace is ${describe(value)}: the doctor follows the default workspace's state only`,
  },
};

const LIFECYCLE = new Set([
  'create_before_destroy',
  'prevent_destroy',
  'ignore_changes',
  'precondition',
  'postcondition',
  'replace_triggered_by',
]);

/** The whole number a `count` evaluates to, if it evaluates to one Terraform accepts. */
export function countOf(value: Value): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The attribute an `ignore_changes` entry names: `alias` of `alias[0].name` or `${alias}`. */
function rootAttribute(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return undefined;
  const inner = /^\$\{(.*)\}$/s.exec(entry.trim())?.[1] ?? entry;
  return /^\s*([A-Za-z_][A-Za-z0-9_-]*)/.exec(inner)?.[1];
}

/** What of `lifecycle` the doctor cannot judge past, if anything. */
function lifecycleObjection(lifecycle: unknown, decisive: readonly string[]): string | undefined {
  for (const block of Array.isArray(lifecycle) ? lifecycle : [lifecycle]) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) return 'its lifecycle is not a block';
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      if (!LIFECYCLE.has(key)) return `its lifecycle.${key} is an argument the doctor does not model`;
      if (key !== 'ignore_changes') continue;
      const entries = Array.isArray(value) ? value : [value];
      const ignored = entries.map(rootAttribute);
      const kept = value === 'all' || ignored.includes('all') ? 'all' : ignored.find((a) => a && decisive.includes(a));
      if (kept !== undefined || ignored.includes(undefined)) {
        return (
          `its lifecycle.ignore_changes keeps ${kept === 'all' ? 'every argument' : kept ? `its ${kept}` : 'an argument'} ` +
          'as it already is in AWS, whatever the synth output says: what it resolves to then depends on what exists'
        );
      }
    }
  }
  return undefined;
}

/** The refusals for one stack: every judged resource and followed data source the doctor cannot judge. */
export function unjudgeable(stack: SynthStack): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (address: string, cause: string) => refusals.push({ stack: stack.name, address, cause });
  const byType = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

  for (const name of Object.keys(byType(stack.json.module))) {
    refuse(
      `module.${name}`,
      'a module call: the doctor cannot see the resources of a module, which may change what resolves',
    );
  }
  for (const [type, judged] of Object.entries(JUDGED_RESOURCES)) {
    let refused = false;
    for (const [name, raw] of Object.entries(byType(byType(stack.json.resource)[type]))) {
      const objection = blockObjection(stack, byType(raw), judged.arguments, judged.decisive);
      if (objection) refuse(`${type}.${name}`, objection);
      refused ||= objection !== undefined;
    }
    // Values, instance by instance (an argument may differ per for_each key or count index).
    if (!refused) {
      for (const instance of stack.instances(type)) {
        const objection = valuesObjection(instance.attrs, judged.arguments);
        if (objection) refuse(instance.address, objection);
      }
    }
  }
  for (const [type, understood] of Object.entries(JUDGED_DATA)) {
    for (const [name, raw] of Object.entries(byType(byType(stack.json.data)[type]))) {
      const body = byType(raw);
      const objection =
        blockObjection(stack, body, understood, undefined) ??
        valuesObjection(evaluateJson(body, stack.scope) as Record<string, Value>, understood);
      if (objection) refuse(`data.${type}.${name}`, objection);
    }
  }
  return refusals;
}

/** Meta-arguments Terraform knows: the doctor models these on the resources it judges. */
const RESOURCE_META = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider']);
/** Meta-arguments it does not model (and those of a data source it follows other than depends_on). */
const OTHER_META = new Set([...RESOURCE_META, 'provisioner', 'connection', 'dynamic']);

/**
 * What of a block (a resource's when `decisive` is given, else a data source's) the doctor cannot
 * judge: its meta-arguments, and any argument it does not model.
 */
function blockObjection(
  stack: SynthStack,
  body: Record<string, unknown>,
  understood: Readonly<Record<string, Check>>,
  decisive: readonly string[] | undefined,
): string | undefined {
  const meta = decisive ? RESOURCE_META : new Set(['//', 'depends_on']);
  if (decisive && body.count !== undefined && body.for_each !== undefined) {
    return (
      'it has both count and for_each: Terraform refuses both in one block, and when an override file adds ' +
      'one of them it uses count and drops for_each without a word; the doctor judges neither'
    );
  }
  if (decisive && body.count !== undefined && countOf(evaluateJson(body.count, stack.scope)) === undefined) {
    return (
      `its count (${JSON.stringify(body.count)}) cannot be evaluated from the synth output to a whole number: ` +
      'nobody can tell whether Terraform creates it'
    );
  }
  if (decisive && body.provider !== undefined) {
    const provider = typeof body.provider === 'string' ? body.provider.replace(/^\$\{(.*)\}$/s, '$1').trim() : '';
    if (provider !== 'aws') {
      return (
        `its provider is ${JSON.stringify(body.provider)}, not the stack's default AWS provider: the doctor ` +
        "judges every resource in the default provider's region and account"
      );
    }
  }
  if (decisive && body.lifecycle !== undefined) {
    const objection = lifecycleObjection(body.lifecycle, decisive);
    if (objection) return objection;
  }
  for (const key of Object.keys(body)) {
    if (meta.has(key) || understood[key] !== undefined) continue;
    return OTHER_META.has(key)
      ? `its ${key} is a meta-argument the doctor does not model here (it can change what Terraform applies)`
      : `its argument ${key} is one the doctor does not model (it can change what resolves)`;
  }
  return undefined;
}

/** What of the evaluated arguments of one instance the doctor objects to. */
function valuesObjection(
  attrs: Readonly<Record<string, Value>>,
  understood: Readonly<Record<string, Check>>,
): string | undefined {
  for (const [key, value] of Object.entries(attrs)) {
    const check = understood[key];
    const objection = check === undefined || check === true ? undefined : check(value);
    if (objection) return objection;
  }
  return undefined;
}
