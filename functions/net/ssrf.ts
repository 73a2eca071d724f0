/**
 * SSRF guard. flowplane calls URLs its users configure, so it refuses addresses that
 * reach inside: loopback, private, link-local (the instance metadata service at
 * 169.254.169.254), CGNAT, multicast, unspecified, reserved, and every IPv6 form that
 * embeds one of those IPv4 addresses. Literal addresses are refused when a
 * configuration is written; names are checked after DNS resolution, right before the
 * connection, which then goes to the address that was checked.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A target the guard refuses. */
export class ForbiddenTargetError extends Error {
  constructor(readonly address: string) {
    super('target address is not allowed (loopback, private, link-local, CGNAT, multicast or reserved)');
    this.name = 'ForbiddenTargetError';
  }
}

/** Local development and tests probe servers on 127.0.0.1; production never sets this. */
export function privateTargetsAllowed(): boolean {
  return process.env.ALLOW_PRIVATE_TARGETS === 'true';
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** Parses a textual IPv6 address (zone id and brackets allowed) into 16 bytes. */
function ipv6Bytes(text: string): number[] {
  let address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  let tail: number[] = [];
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (embedded) {
    tail = ipv4Bytes(embedded[1]);
    address = address.slice(0, -embedded[1].length) + '0:0';
  }
  const [head, rest] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').filter((g) => g !== '') : []);
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  const bytes = all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function forbiddenV4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // unspecified, "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // CGNAT
    (a === 169 && b === 254) || // link-local, instance metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

function forbiddenV6(bytes: number[]): boolean {
  const zeroUpTo = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  if (zeroUpTo(16)) return true; // ::
  if (zeroUpTo(15) && bytes[15] === 1) return true; // ::1
  if (zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return forbiddenV4(bytes.slice(12)); // ::ffff:a.b.c.d
  if (zeroUpTo(8) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0)
    return forbiddenV4(bytes.slice(12)); // ::ffff:0:a.b.c.d (IPv4-translated)
  if (zeroUpTo(12)) return forbiddenV4(bytes.slice(12)); // ::a.b.c.d (IPv4-compatible)
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes.slice(4, 12).every((b) => b === 0)
  ) {
    return forbiddenV4(bytes.slice(12)); // 64:ff9b::/96 NAT64
  }
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes[4] === 0x00 &&
    bytes[5] === 0x01
  ) {
    return true; // 64:ff9b:1::/48 local-use NAT64 (RFC 8215): translates to whatever the local network routes
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return forbiddenV4(bytes.slice(2, 6)); // 2002::/16 6to4
  if ((bytes[0] & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return true; // fec0::/10 site-local (deprecated)
  return bytes[0] === 0xff; // ff00::/8 multicast
}

/** True for an IP address flowplane must not connect to. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return forbiddenV4(ipv4Bytes(bare));
  if (version === 6) return forbiddenV6(ipv6Bytes(bare));
  return false;
}

/**
 * Why a URL's host is refused when it is a literal address (create / PATCH time, no
 * DNS); undefined for names and for public literals. The WHATWG parser has already
 * turned spellings like `2130706433` or `0x7f.1` into dotted quads.
 */
export function literalTargetViolation(url: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0 || !isForbiddenAddress(bare)) return undefined;
  return `${hostname} is a loopback, private, link-local, CGNAT, multicast or reserved address`;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves a host and checks every address it resolves to; returns the one address the
 * connection must use. Throws `ForbiddenTargetError` unless private targets are allowed.
 */
export async function resolvePublicAddress(
  hostname: string,
  resolve: Resolver = systemResolver,
): Promise<{ address: string; family: number }> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  const addresses = literal ? [{ address: bare, family: literal }] : await resolve(bare);
  if (addresses.length === 0) throw new Error(`${hostname} did not resolve`);
  if (!privateTargetsAllowed()) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new ForbiddenTargetError(bad.address);
  }
  return addresses[0];
}
