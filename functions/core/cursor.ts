/**
 * Opaque page cursors: a page's last DynamoDB key as base64url JSON. A cursor is only
 * accepted back if it has exactly the key's attributes and points into the caller's
 * own partition, so it can never be used to read another organization's items.
 */
import { RequestValidationError } from '../errors.js';

/** The cursor for the page after the one that ended at `key` (null when there is none). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/**
 * Decodes a cursor this API issued: `fields` are the key attributes it must have (all
 * strings) and `expected` the values some of them must equal (the caller's partition).
 */
export function decodeCursor(
  cursor: string | undefined,
  options: { param: string; fields: readonly string[]; expected: Record<string, string> },
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new RequestValidationError([{ loc: ['query', options.param], rule: 'cursor_issued', message: 'the cursor is not one this API issued for your organization' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (key === null || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const record = key as Record<string, unknown>;
  const { fields, expected } = options;
  if (
    Object.keys(record).sort().join() !== [...fields].sort().join() ||
    !fields.every((field) => typeof record[field] === 'string') ||
    !Object.entries(expected).every(([field, value]) => record[field] === value)
  ) {
    throw invalid();
  }
  return record as Record<string, string>;
}
