/**
 * The REST-JSON protocol (`restJson1`) as Route 53 Profiles and AWS RAM speak it: the operation is
 * the HTTP method and path, members go in path labels, the query string and a JSON body; replies are
 * JSON; timestamps are epoch seconds (a JSON number); errors carry their code in the
 * `X-Amzn-ErrorType` header and in the body's `__type`, with the text in `message` / `Message`
 * (both the AWS SDK for Go v2 and v1, which the provider 5.100.0 uses for some RAM resources,
 * read them from there).
 */
import { AwsError } from './protocol';

/** A JSON object as parsed from a request body: each member is checked where it is read. */
export type JsonObject = Record<string, unknown>;

/** A REST-JSON request, already split: the path's segments are URL-decoded. */
export interface JsonRequest {
  readonly method: string;
  /** The path's segments, each URL-decoded (`%2F` inside a label stays inside its segment). */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly body: JsonObject;
}

/** A reply: HTTP status and JSON body (none for 204), and whether the world changed. */
export interface JsonReply {
  readonly status: number;
  readonly body?: unknown;
  readonly changed: boolean;
}

/** A reply that read the world. */
export const readReply = (body: unknown): JsonReply => ({ status: 200, body, changed: false });

/** A reply that changed the world (HTTP 200, or e.g. 204 with no body). */
export const writeReply = (body: unknown, status = 200): JsonReply => ({ status, body, changed: true });

/** Splits a raw URL path (`/tags/arn%3Aaws%3A...%2Fid`) into decoded segments. */
export function pathSegments(rawPath: string): string[] {
  return rawPath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Parses a JSON request body (empty: `{}`). */
export function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as JsonObject;
  } catch (error) {
    throw new AwsError('SerializationException', `malformed JSON body: ${(error as Error).message}`);
  }
}

/** The error document of a REST-JSON service: headers and body. */
export function jsonError(error: AwsError): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message, Message: error.message }),
  };
}

/** Now, in epoch seconds with milliseconds, as these APIs return timestamps. */
export function epochSeconds(): number {
  return Math.round(Date.now()) / 1000;
}

/** A string member of a JSON body, or undefined. */
export function str(body: JsonObject | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A list of strings member of a JSON body (absent: empty). */
export function strings(body: JsonObject | undefined, key: string): string[] {
  const value = body?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
