/**
 * `GET /v1/audit-events`: a page of the organization's audit feed, newest first by default,
 * filtered as Flowker's query asks (event type, action, result, resource type, resource,
 * dates); with `resourceId`, that resource's chain in its own order. The organization comes
 * from the API key, so another organization's resource reads as an empty list.
 */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { auditFilterOf, toAuditEventOutput } from '../domain/audit.js';
import { RequestValidationError } from '../errors.js';
import { listAuditEntries, listAuditFeed } from '../store/audit.js';
import { auditFeedPageKeyShape, auditPageKeyShape } from '../store/keys.js';
import type { listAuditEventsQuery } from '../../schemas/audit.js';

/** An instant as entries hold their time (ISO 8601, milliseconds), rounded into the range it bounds. */
const isoAt = (instant: number | undefined, round: (value: number) => number) =>
  instant === undefined ? undefined : new Date(round(instant)).toISOString();

export async function listAuditEvents(command: CommandFor<{ query: typeof listAuditEventsQuery }>): Promise<Result> {
  const { principal, query } = command;
  const { organizationId } = principal;
  if (query.dateFrom !== undefined && query.dateTo !== undefined && query.dateFrom > query.dateTo) {
    throw new RequestValidationError([
      { loc: ['query', 'dateFrom'], rule: 'date_range', message: 'dateFrom must not be after dateTo' },
    ]);
  }
  const from = isoAt(query.dateFrom, Math.ceil);
  const to = isoAt(query.dateTo, Math.floor);
  const startKey = decodeCursor(query.cursor, {
    param: 'cursor',
    shape: query.resourceId
      ? auditPageKeyShape(organizationId, query.resourceId)
      : auditFeedPageKeyShape(organizationId, from, to),
  });
  const filter = auditFilterOf(query);
  // Nothing can match: FAILED, contradicting filters, or a range narrower than a millisecond between two.
  if (!filter || (from !== undefined && to !== undefined && from > to)) {
    return { status: 200, body: { items: [], nextCursor: '', hasMore: false } };
  }
  const listing = { limit: query.limit, startKey, ascending: query.sortOrder === 'ASC', filter, from, to };
  const page = query.resourceId
    ? await listAuditEntries(organizationId, query.resourceId, listing)
    : await listAuditFeed(organizationId, listing);
  const nextCursor = encodeCursor(page.lastKey);
  return {
    status: 200,
    body: {
      items: page.items.map((entry) => toAuditEventOutput(entry.fields)),
      nextCursor: nextCursor ?? '',
      hasMore: nextCursor !== null,
    },
  };
}
