/**
 * CIDR blocks: parsed, compared and written in one canonical form, so that two spellings of one
 * network (`2001:db8::/32`, `2001:0DB8:0:0::/32`) are recognized as the same network and reach
 * Terraform the way AWS stores them.
 *
 * IPv6 addresses are written in the RFC 5952 form: lowercase, no leading zeros in a group, the
 * longest run of two or more zero groups (the first, on a tie) written `::`. The WHATWG URL parser
 * built into Node.js parses and serializes IPv6 hosts exactly so, and also reads the embedded-IPv4
 * spelling (`::ffff:192.0.2.1`, written back in hex), so no hand-written address parser is needed.
 */
import { z } from 'zod';

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: 4 | 6;
  /** Prefix length. */
  readonly prefix: number;
  /** The block as written, canonicalized (`2001:db8::/32`); host bits are kept as written. */
  readonly canonical: string;
  /** The network of the block, canonical, with the host bits cleared (`10.1.0.0/16` for `10.1.2.3/16`). */
  readonly network: string;
  /** Whether the address has bits set beyond the prefix (AWS would store {@link network} instead). */
  readonly hostBitsSet: boolean;
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** The canonical (RFC 5952) text of an IPv6 address, or undefined when it is not one. */
function ipv6Canonical(address: string): string | undefined {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

function ipv6Value(canonical: string): bigint {
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(`0x${group}`), 0n);
}

function ipv6Text(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return ipv6Canonical(groups.join(':')) as string;
}

/** Parses an IPv4 or IPv6 CIDR block; undefined when `text` is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const v4 = z.cidrv4().safeParse(text).success;
  const v6 = !v4 && z.cidrv6().safeParse(text).success;
  if (!v4 && !v6) return undefined;
  const slash = text.lastIndexOf('/');
  const address = text.slice(0, slash);
  const prefix = Number(text.slice(slash + 1));
  const width = v4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;

  let value: bigint;
  let canonicalAddress: string;
  if (v4) {
    value = address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    canonicalAddress = ipv4Text(value);
  } else {
    const canonical = ipv6Canonical(address);
    if (canonical === undefined) return undefined;
    canonicalAddress = canonical;
    value = ipv6Value(canonical);
  }
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = value & ~hostMask;
  const networkText = v4 ? ipv4Text(network) : ipv6Text(network);
  return {
    family: v4 ? 4 : 6,
    prefix,
    canonical: `${canonicalAddress}/${prefix}`,
    network: `${networkText}/${prefix}`,
    hostBitsSet: network !== value,
  };
}

/** Whether the block `outer` contains all of `inner` (same family; false for anything not a block). */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, i] = [parseCidr(outer), parseCidr(inner)];
  if (!o || !i || o.family !== i.family || i.prefix < o.prefix) return false;
  // The inner network cut to the outer prefix is the outer network.
  return parseCidr(`${i.network.slice(0, i.network.lastIndexOf('/'))}/${o.prefix}`)?.network === o.network;
}
