/**
 * Opaque page cursors: a page's last DynamoDB key as base64url JSON. A cursor is only
 * accepted back if it has exactly the shape of a key that page could end at, in the
 * caller's own partition, so it can never read another organization's items nor make
 * DynamoDB refuse the request.
 */
import { RequestValidationError } from '../errors.js';
import type { KeyShape } from '../store/keys.js';

/** The cursor for the page after the one that ended at `key` (null when there is none). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** The longest key attribute a cursor may carry: far above any key this API writes. */
const maxAttributeLength = 1024;

/**
 * Decodes a cursor this API issued (none when absent or empty). The decoded key must fit
 * `shape` exactly: the same attributes, each a non-empty string of bounded length equal to
 * its expected value, matching its pattern or passing its test (the caller's own
 * partition, the right sort-key prefix, the page's range). Anything else is refused as a
 * query violation, so a tampered cursor never reaches DynamoDB.
 */
export function decodeCursor(
  cursor: string | undefined,
  options: { param: string; shape: KeyShape },
): Record<string, string> | undefined {
  // Flowker reads an empty cursor as none: its last page's `nextCursor` is empty.
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () =>
    new RequestValidationError([
      {
        loc: ['query', options.param],
        rule: 'cursor_issued',
        message: 'the cursor is not one this API issued for your organization',
      },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (key === null || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const record = key as Record<string, unknown>;
  const expected = Object.entries(options.shape);
  const fits =
    Object.keys(record).length === expected.length &&
    expected.every(([field, rule]) => {
      const value = record[field];
      if (typeof value !== 'string' || value === '' || value.length > maxAttributeLength) return false;
      if (typeof rule === 'string') return value === rule;
      return rule instanceof RegExp ? rule.test(value) : rule(value);
    });
  if (!fits) throw invalid();
  return record as Record<string, string>;
}
