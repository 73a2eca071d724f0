/**
 * Canonical JSON (in the manner of RFC 8785, JCS): object keys sorted by UTF-16 code
 * units, no whitespace, numbers as ECMAScript prints them, `undefined` members left out.
 * Two equal values always give the same text, so the text can be hashed and compared.
 */
import { createHash } from 'node:crypto';

/** The canonical JSON text of a value (DynamoDB sets become sorted arrays, binary base64). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no form for a non-finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof Set) return `[${[...value].map(canonicalJson).sort().join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  throw new Error(`canonical JSON has no form for a ${typeof value}`);
}

/** Hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hex SHA-256 of a value's canonical JSON. */
export function hashOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
