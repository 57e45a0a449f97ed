/**
 * AWS wire formats the fake speaks: the query protocol (STS, EC2: form-encoded `Action=...` requests,
 * XML replies) and REST-XML (Route 53 under `/2013-04-01/`), plus who signed a request.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** An AWS API error: its code, message and HTTP status, rendered in the service's error format. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** A nested value decoded from query parameters: `A.1.B.2=x` -> `{A: [{B: [, 'x']}]}` (1-based lists). */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

/**
 * Decodes a query-protocol body into nested objects: a numeric segment makes a list (1-based in the
 * wire format, 0-based here), any other segment a map key.
 */
export function parseQuery(body: string): QueryObject {
  const root: QueryObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node: Record<string, QueryValue> | QueryValue[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const index = /^\d+$/.test(part) ? Number(part) - 1 : undefined;
      const slot = index ?? part;
      const container = node as Record<string | number, QueryValue>;
      if (last) {
        container[slot] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1]);
      if (container[slot] === undefined || typeof container[slot] === 'string') container[slot] = nextIsIndex ? [] : {};
      node = container[slot] as Record<string, QueryValue> | QueryValue[];
    });
  }
  return root;
}

/** A string member of a decoded query object. */
export function qString(obj: QueryValue | undefined, key: string): string | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** A list member (dense, without holes). */
export function qList(obj: QueryValue | undefined, key: string): QueryValue[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  const value = obj[key];
  return Array.isArray(value) ? value.filter((v) => v !== undefined) : [];
}

/** A list of strings (`SubnetId.1`, `SubnetId.2`, ...). */
export function qStrings(obj: QueryValue | undefined, key: string): string[] {
  return qList(obj, key).filter((v): v is string => typeof v === 'string');
}

/** A required string parameter. */
export function required(obj: QueryValue | undefined, key: string): string {
  const value = qString(obj, key);
  if (value === undefined || value === '') {
    throw new AwsError('MissingParameter', `The request must contain the parameter ${key}`);
  }
  return value;
}

/** `Filter.N.Name` / `Filter.N.Value.M` as a map of name -> values. */
export function qFilters(obj: QueryObject): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const filter of qList(obj, 'Filter')) {
    const name = qString(filter, 'Name');
    if (name) filters.set(name, qStrings(filter, 'Value'));
  }
  return filters;
}

/** Tags of `TagSpecification.N` for a resource type, or of `Tag.N`. */
export function qTags(obj: QueryValue | undefined, resourceType?: string): Record<string, string> {
  const tags: Record<string, string> = {};
  const specs = resourceType
    ? qList(obj, 'TagSpecification').filter((spec) => qString(spec, 'ResourceType') === resourceType)
    : [obj as QueryValue];
  for (const spec of specs) {
    for (const tag of qList(spec, 'Tag')) {
      const key = qString(tag, 'Key');
      if (key !== undefined) tags[key] = qString(tag, 'Value') ?? '';
    }
  }
  return tags;
}

// ---- paging ----

/** An opaque-looking page token (`NextToken`) holding the offset of the next page. */
export function pageToken(offset: number): string {
  return Buffer.from(`fake-page:${offset}`).toString('base64');
}

/** The offset a {@link pageToken} holds; undefined for anything else. */
export function pageOffset(token: string): number | undefined {
  const match = /^fake-page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * One page of `list` from a {@link pageToken} (absent: the first page), `size` long: the page and the
 * token of the next one (absent on the last page). An unreadable token is `invalid()`.
 */
export function pageOf<T>(
  list: readonly T[],
  token: string | null | undefined,
  size: number,
  invalid: () => AwsError,
): { page: T[]; nextToken?: string } {
  const start = token === undefined || token === null ? 0 : pageOffset(token);
  if (start === undefined || start > list.length) throw invalid();
  const end = start + size;
  return { page: list.slice(start, end), ...(end < list.length ? { nextToken: pageToken(end) } : {}) };
}

// ---- XML ----

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  format: false,
});
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Every element that can repeat in a Route 53 request is read as a list.
  isArray: (name) => ['Change', 'Tag', 'Key', 'ResourceRecord'].includes(name),
});

/**
 * A parsed XML element: nested objects, lists (the `isArray` names) and texts, as fast-xml-parser gives
 * them. The Route 53 handlers walk it path by path (`request.ChangeBatch.Changes.Change`) and convert
 * each text they read with `String()` or `Number()`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary parsed XML, walked path by path; each leaf is converted where it is read
export type XmlNode = any;

/** Parses an XML request body (Route 53). */
export function parseXml(text: string): Record<string, XmlNode> {
  if (text.trim() === '') return {};
  try {
    return parser.parse(text) as Record<string, XmlNode>;
  } catch (error) {
    throw new AwsError('InvalidInput', `malformed XML: ${(error as Error).message}`);
  }
}

/** An XML document with one root element in `namespace`. */
export function xmlDocument(root: string, namespace: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: { '@_xmlns': namespace, ...body } })}`;
}

/** EC2's list shape: `<itemSet><item>...</item></itemSet>`. */
export function items<T>(list: readonly T[]): { item: T[] } | '' {
  return list.length === 0 ? '' : { item: [...list] };
}

/**
 * Tags as the list of pairs the APIs send: `{Key, Value}` (Route 53, Route 53 Profiles) or
 * `{key, value}` (EC2, RAM), named by `names`.
 */
export function tagPairs<K extends string, V extends string>(
  tags: Readonly<Record<string, string>>,
  names: readonly [K, V],
): Array<Record<K | V, string>> {
  return Object.entries(tags).map(([key, value]) => ({ [names[0]]: key, [names[1]]: value }) as Record<K | V, string>);
}

/** Tags from a list of pairs as {@link tagPairs} writes them; anything else in the list is skipped. */
export function tagsFromPairs(list: unknown, names: readonly [string, string]): Record<string, string> {
  const tags: Record<string, string> = {};
  if (Array.isArray(list)) {
    for (const tag of list) {
      if (tag && typeof tag[names[0]] === 'string') tags[tag[names[0]]] = String(tag[names[1]] ?? '');
    }
  }
  return tags;
}

/** EC2's tag list shape. */
export function tagSet(tags: Readonly<Record<string, string>>): { item: Array<{ key: string; value: string }> } | '' {
  return items(tagPairs(tags, ['key', 'value']));
}

// ---- who is calling ----

/** The signer of a request, from its SigV4 `Authorization` header (the signature is not checked). */
export interface Signer {
  readonly accessKeyId: string;
  /** The service in the credential scope: `sts`, `ec2`, `route53`, ... */
  readonly service?: string;
  readonly region?: string;
  /** `X-Amz-Security-Token`, when the request carries one. */
  readonly sessionToken?: string;
}

/** Reads the signer of a request; undefined when it is not signed. */
export function signerOf(headers: Record<string, string | string[] | undefined>): Signer | undefined {
  const auth = String(headers.authorization ?? '');
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  if (!match) return undefined;
  const token = headers['x-amz-security-token'];
  return {
    accessKeyId: match[1],
    region: match[2],
    service: match[3],
    sessionToken: typeof token === 'string' && token !== '' ? token : undefined,
  };
}
