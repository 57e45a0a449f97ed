/**
 * Adds accounts and VPC IDs to `accounts.yaml` without touching anything else in it: the `yaml`
 * package parses the document and gives each node's place in the text, and the new entries are
 * written into the text at those places, in the file's own style (its indentation, flow or block
 * lists). The user's comments, order, quoting and alignment stay byte for byte; every account ID
 * written is quoted (YAML reads `012345678901` unquoted as a number). The result is parsed again and
 * must hold exactly the old accounts plus the additions, or nothing is written.
 */
import { isMap, isScalar, isSeq, parse, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/** A new entry of `accounts.yaml`. */
export interface NewAccount {
  readonly id: string;
  readonly name?: string;
  readonly vpcIds: readonly string[];
}

/** What to add: new entries, and new VPC IDs of existing entries (by account ID). */
export interface AccountsEdit {
  readonly accounts: readonly NewAccount[];
  readonly vpcIds: ReadonlyMap<string, readonly string[]>;
}

interface Splice {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** A scalar as YAML text: plain where YAML reads it back as the same string, else double-quoted. */
function scalarText(value: string): string {
  if (/^[\p{L}\p{M}\p{N}_.+-]+$/u.test(value)) {
    try {
      if (parse(value) === value) return value;
    } catch {
      // not plain YAML: quoted below
    }
  }
  return JSON.stringify(value);
}

/** One entry, in block style: the dash at `dash` columns, its keys at `keys`. */
function entryText(account: NewAccount, dash: number, keys: number): string {
  const pad = (n: number) => ' '.repeat(n);
  const lines = [`${pad(dash)}-${pad(keys - dash - 1)}id: ${JSON.stringify(account.id)}`];
  if (account.name) lines.push(`${pad(keys)}name: ${scalarText(account.name)}`);
  lines.push(`${pad(keys)}vpcIds: [${account.vpcIds.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** One entry in flow style. */
function flowEntryText(account: NewAccount): string {
  const name = account.name ? `, name: ${scalarText(account.name)}` : '';
  return `{ id: ${JSON.stringify(account.id)}${name}, vpcIds: [${account.vpcIds.join(', ')}] }`;
}

const range = (node: Node): [number, number, number] => {
  if (!node.range) throw new Error('internal: a YAML node without its place in the text');
  return node.range;
};

/** The index just past the end of the line holding `index` (its newline included), or the text's end. */
function lineEnd(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline === -1 ? text.length : newline + 1;
}

/** The column of `index`. */
function column(text: string, index: number): number {
  return index - (text.lastIndexOf('\n', index - 1) + 1);
}

/** Text inserted at a line's end: a newline first when the text does not end with one. */
function atLineEnd(text: string, at: number, insert: string): Splice {
  return {
    at,
    remove: 0,
    insert: at === text.length && !text.endsWith('\n') && text.length > 0 ? `\n${insert}` : insert,
  };
}

/** Appends `items` (plain scalars) to a list, flow or block. */
function appendToList(text: string, list: YAMLSeq, items: readonly string[]): Splice {
  const last = list.items.at(-1) as Node | undefined;
  if (list.flow) {
    if (last) return { at: range(last)[1], remove: 0, insert: `, ${items.join(', ')}` };
    const close = text.lastIndexOf(']', range(list)[1]);
    return { at: close, remove: 0, insert: items.join(', ') };
  }
  if (!last) throw new Error('internal: an empty block list');
  const dash = text.lastIndexOf('-', range(last)[0] - 1);
  const indent = ' '.repeat(column(text, dash));
  return atLineEnd(text, lineEnd(text, range(last)[1] - 1), items.map((item) => `${indent}- ${item}\n`).join(''));
}

/** The account entries of the document: each map with its `id`. */
function entries(seq: YAMLSeq | undefined): Map<string, YAMLMap> {
  const found = new Map<string, YAMLMap>();
  for (const item of seq?.items ?? []) {
    if (!isMap(item)) continue;
    const id = item.get('id', true);
    if (isScalar(id)) found.set(String(id.value), item);
  }
  return found;
}

/** The splices that add the new entries to the `accounts` list. */
function addAccounts(text: string, root: YAMLMap | undefined, accounts: readonly NewAccount[]): Splice[] {
  if (accounts.length === 0) return [];
  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === 'accounts');
  const seq = pair?.value;
  if (!pair || seq === null || seq === undefined || (isScalar(seq) && seq.value === null)) {
    const block = accounts.map((a) => entryText(a, 2, 4)).join('');
    if (!pair) return [atLineEnd(text, text.length, `accounts:\n${block}`)];
    return [atLineEnd(text, lineEnd(text, range(pair.key as Node)[1]), block)];
  }
  if (!isSeq(seq)) throw new Error('internal: accounts is not a list');
  const last = seq.items.at(-1) as Node | undefined;
  if (seq.flow) {
    if (last) {
      return [{ at: range(last)[1], remove: 0, insert: accounts.map((a) => `, ${flowEntryText(a)}`).join('') }];
    }
    // `accounts: []`: the brackets go, a block list follows the line (its comment stays on it).
    const [start, end] = range(seq);
    return [
      { at: start, remove: end - start, insert: '' },
      atLineEnd(text, lineEnd(text, end), accounts.map((a) => entryText(a, 2, 4)).join('')),
    ];
  }
  if (!last) throw new Error('internal: an empty block list');
  const dash = column(text, text.lastIndexOf('-', range(last)[0] - 1));
  const keys = column(text, range(last)[0]);
  const block = accounts.map((a) => entryText(a, dash, keys)).join('');
  return [atLineEnd(text, lineEnd(text, range(last)[1] - 1), block)];
}

/** `text` with the edit applied; throws when the document cannot be edited safely. */
export function editAccountsYaml(text: string, edit: AccountsEdit): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`accounts.yaml does not parse: ${doc.errors[0].message}`);
  const root = doc.contents === null ? undefined : doc.contents;
  if (root !== undefined && !isMap(root)) throw new Error('accounts.yaml is not a mapping with an accounts list');
  const seqNode = root?.get('accounts', true);
  const seq = isSeq(seqNode) ? seqNode : undefined;
  const byId = entries(seq);
  const splices: Splice[] = [];
  for (const [id, vpcIds] of edit.vpcIds) {
    if (vpcIds.length === 0) continue;
    const list = byId.get(id)?.get('vpcIds', true);
    if (!isSeq(list)) throw new Error(`internal: account ${id} has no vpcIds list`);
    splices.push(appendToList(text, list, vpcIds));
  }
  splices.push(...addAccounts(text, root, edit.accounts));
  let result = text;
  // From the end, so that earlier places stay valid; at one place, the later splice first, so that
  // the text keeps the splices' order (a VPC ID of the last entry before a new entry).
  const ordered = splices.map((s, i) => ({ ...s, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const s of ordered) {
    result = result.slice(0, s.at) + s.insert + result.slice(s.at + s.remove);
  }
  verify(text, result, edit);
  return result;
}

/** The edited document must hold the old accounts plus the edit, nothing else changed. */
function verify(before: string, after: string, edit: AccountsEdit): void {
  const read = (text: string) => {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      throw new Error(`internal: the edited accounts.yaml does not parse (${doc.errors[0].code}); nothing was written`);
    }
    return ((doc.toJS() as { accounts?: Array<Record<string, unknown>> } | null)?.accounts ?? []).map((a) => ({
      ...a,
    }));
  };
  const expected = read(before).map((a) => {
    const more = edit.vpcIds.get(String(a.id));
    return more && more.length > 0 ? { ...a, vpcIds: [...(a.vpcIds as string[]), ...more] } : a;
  });
  expected.push(
    ...edit.accounts.map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}), vpcIds: [...a.vpcIds] })),
  );
  if (JSON.stringify(read(after)) !== JSON.stringify(expected)) {
    throw new Error('internal: the edited accounts.yaml does not read back as intended; nothing was written');
  }
}
