/**
 * A small evaluator for the Terraform expressions that appear in synthesized JSON: interpolations
 * (`"${each.key}.dkr.ecr..."`), traversals (`local.zone_ids[each.value.service]`,
 * `data.terraform_remote_state.hub.outputs.zone_ids`, `aws_vpc_endpoint.logs.dns_entry[0].dns_name`),
 * string, number and list literals, and `toset`/`tolist`/`lookup`/`element`.
 *
 * Attributes that only exist after apply (a zone's `zone_id`, an endpoint's `dns_entry`) evaluate to
 * a {@link Ref}: which resource instance they come from. Anything else it cannot know (variables,
 * modules, other functions) evaluates to {@link UNKNOWN}, never to a guess.
 */

/** A computed attribute of a resource instance: `aws_route53_zone.ecr_dkr.zone_id` in stack `hub`. */
export interface Ref {
  readonly kind: 'ref';
  /** The stack that declares the resource. */
  readonly stack: string;
  /** `<type>.<name>`, e.g. `aws_route53_zone.ecr_dkr`. */
  readonly address: string;
  /** The `for_each` key, when the reference picked one instance. */
  readonly key?: string;
  /** The attribute path below the instance, e.g. `['dns_entry', 0, 'dns_name']`. */
  readonly path: ReadonlyArray<string | number>;
}

/** A value the evaluator cannot know. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** What an expression evaluates to. */
export type Value = string | number | boolean | null | Ref | typeof UNKNOWN | Value[] | { [key: string]: Value };

/** Whether a value is a {@link Ref}. */
export function isRef(value: Value): value is Ref {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Ref).kind === 'ref';
}

/** Renders a ref as `aws_route53_zone.ecr_dkr` or `aws_route53_record.x["key"]`. */
export function refAddress(ref: Ref): string {
  return ref.key === undefined ? ref.address : `${ref.address}["${ref.key}"]`;
}

/** How traversal roots resolve in one stack. */
export interface Scope {
  /** The stack the expression is in. */
  readonly stack: string;
  /** `each.key` / `each.value` inside a `for_each` instance. */
  readonly each?: { readonly key: string; readonly value: Value };
  /** `count.index` inside a `count` instance. */
  readonly countIndex?: number;
  /** `local.<name>`. */
  local(name: string): Value;
  /** `data.terraform_remote_state.<name>`: an object with `outputs`. */
  remoteState(name: string): Value;
  /** Whether `<type>.<name>` is a resource of this stack. */
  hasResource(type: string, name: string): boolean;
}

// ---- parsing ----

type Node =
  | { t: 'lit'; v: Value }
  | { t: 'var'; name: string }
  | { t: 'attr'; of: Node; name: string }
  | { t: 'index'; of: Node; index: Node }
  | { t: 'list'; items: Node[] }
  | { t: 'call'; name: string; args: Node[] };

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.expression();
    this.space();
    if (this.pos !== this.src.length) throw new Error(`unexpected "${this.src.slice(this.pos)}"`);
    return node;
  }

  private space(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private peek(): string {
    this.space();
    return this.src[this.pos] ?? '';
  }

  private expect(char: string): void {
    if (this.peek() !== char) throw new Error(`expected "${char}" at ${this.pos}`);
    this.pos++;
  }

  private identifier(): string {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!match) throw new Error(`expected a name at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  private expression(): Node {
    let node = this.primary();
    for (;;) {
      const next = this.peek();
      if (next === '.') {
        this.pos++;
        const index = /^\d+/.exec(this.src.slice(this.pos));
        if (index) {
          this.pos += index[0].length;
          node = { t: 'index', of: node, index: { t: 'lit', v: Number(index[0]) } };
        } else {
          node = { t: 'attr', of: node, name: this.identifier() };
        }
      } else if (next === '[') {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        node = { t: 'index', of: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const next = this.peek();
    if (next === '"') return { t: 'lit', v: this.string() };
    if (next === '[') return { t: 'list', items: this.items(']') };
    const number = /^-?\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return { t: 'lit', v: Number(number[0]) };
    }
    const name = this.identifier();
    if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
    if (name === 'null') return { t: 'lit', v: null };
    if (this.peek() === '(') return { t: 'call', name, args: this.items(')') };
    return { t: 'var', name };
  }

  /** Comma-separated expressions after an opening bracket, up to and including `close`. */
  private items(close: string): Node[] {
    this.pos++;
    const items: Node[] = [];
    while (this.peek() !== close) {
      items.push(this.expression());
      if (this.peek() === ',') this.pos++;
    }
    this.pos++;
    return items;
  }

  private string(): string {
    this.pos++; // opening quote
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== '"') {
      if (this.src[this.pos] === '\\') {
        const escaped = this.src[this.pos + 1];
        out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
        this.pos += 2;
      } else {
        out += this.src[this.pos++];
      }
    }
    this.pos++; // closing quote
    return out;
  }
}

// ---- evaluation ----

/** `value[key]` (`bracket`) or `value.key`. */
function index(value: Value, key: Value, bracket = true): Value {
  if (value === UNKNOWN || key === UNKNOWN) return UNKNOWN;
  if (isRef(value)) {
    // `aws_x.y["k"]` picks a for_each instance; anything after that is an attribute path.
    if (bracket && value.path.length === 0 && value.key === undefined && typeof key === 'string') {
      return { ...value, key };
    }
    return typeof key === 'string' || typeof key === 'number' ? { ...value, path: [...value.path, key] } : UNKNOWN;
  }
  if (Array.isArray(value)) return typeof key === 'number' && key < value.length ? value[key] : UNKNOWN;
  if (typeof value === 'object' && value !== null && typeof key === 'string') {
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : UNKNOWN;
  }
  return UNKNOWN;
}

function call(name: string, args: Value[]): Value {
  switch (name) {
    case 'toset':
    case 'tolist':
      return Array.isArray(args[0]) ? [...new Set(args[0])] : UNKNOWN;
    case 'tomap':
      return args[0];
    case 'lookup': {
      const found = index(args[0], args[1]);
      return found === UNKNOWN && args.length > 2 ? args[2] : found;
    }
    case 'element':
      return Array.isArray(args[0]) && typeof args[1] === 'number' ? args[0][args[1] % args[0].length] : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

function evaluateNode(node: Node, scope: Scope): Value {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'list':
      return node.items.map((item) => evaluateNode(item, scope));
    case 'call':
      return call(
        node.name,
        node.args.map((arg) => evaluateNode(arg, scope)),
      );
    case 'index':
      return index(evaluateNode(node.of, scope), evaluateNode(node.index, scope));
    case 'var':
      return UNKNOWN; // a bare root is only meaningful with an attribute after it (handled below)
    case 'attr':
      return evaluateAttr(node, scope);
  }
}

function evaluateAttr(node: Extract<Node, { t: 'attr' }>, scope: Scope): Value {
  const { of, name } = node;
  if (of.t === 'var') {
    switch (of.name) {
      case 'each':
        if (!scope.each) return UNKNOWN;
        return name === 'key' ? scope.each.key : name === 'value' ? scope.each.value : UNKNOWN;
      case 'count':
        return name === 'index' && scope.countIndex !== undefined ? scope.countIndex : UNKNOWN;
      case 'local':
        return scope.local(name);
      case 'data':
        return { kind: 'ref', stack: scope.stack, address: `data.${name}`, path: [] };
      default:
        return scope.hasResource(of.name, name)
          ? { kind: 'ref', stack: scope.stack, address: `${of.name}.${name}`, path: [] }
          : UNKNOWN;
    }
  }
  const base = evaluateNode(of, scope);
  // data.terraform_remote_state.<name>: the producer stack's outputs, not a computed attribute.
  if (isRef(base) && base.address === 'data.terraform_remote_state' && base.path.length === 0) {
    return scope.remoteState(name);
  }
  if (isRef(base) && base.address.startsWith('data.') && !base.address.slice(5).includes('.')) {
    return { ...base, address: `${base.address}.${name}` };
  }
  return index(base, name, false);
}

/** Evaluates one expression (the text inside `${...}`). */
export function evaluateExpression(expression: string, scope: Scope): Value {
  try {
    return evaluateNode(new Parser(expression).parse(), scope);
  } catch {
    return UNKNOWN;
  }
}

/**
 * Splits a template into literal text and `${...}` expressions (nested braces and strings
 * respected); undefined when an interpolation is not closed.
 */
function templateParts(template: string): Array<{ text: string } | { expr: string }> | undefined {
  const parts: Array<{ text: string } | { expr: string }> = [];
  let i = 0;
  let text = '';
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (template.startsWith('${', i)) {
      let depth = 1;
      let j = i + 2;
      let inString = false;
      for (; j < template.length && depth > 0; j++) {
        const c = template[j];
        if (inString) {
          if (c === '\\') j++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{') depth++;
        else if (c === '}') depth--;
      }
      if (depth > 0) return undefined;
      if (text) parts.push({ text });
      text = '';
      parts.push({ expr: template.slice(i + 2, j - 1) });
      i = j;
    } else {
      text += template[i++];
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** Evaluates a JSON string value: literal text, one whole `${...}` (any type), or a template. */
export function evaluateString(template: string, scope: Scope): Value {
  const parts = templateParts(template);
  if (!parts) return UNKNOWN;
  if (parts.length === 1 && 'expr' in parts[0]) return evaluateExpression(parts[0].expr, scope);
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = evaluateExpression(part.expr, scope);
    if (typeof value !== 'string' && typeof value !== 'number') return UNKNOWN;
    out += String(value);
  }
  return out;
}

/** Evaluates any JSON value from a synthesized stack: strings as templates, containers recursively. */
export function evaluateJson(value: unknown, scope: Scope): Value {
  if (typeof value === 'string') return evaluateString(value, scope);
  if (Array.isArray(value)) return value.map((item) => evaluateJson(item, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateJson(v, scope)]));
  }
  return value as Value;
}
