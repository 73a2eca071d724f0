/**
 * `GET /v1/audit-events?resourceId=&limit=&cursor=`: a resource's entries in chain order.
 * The organization comes from the API key, so another organization's resource reads as
 * an empty list.
 */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { listAuditEntries } from '../store/audit.js';
import { auditPageKeyShape } from '../store/keys.js';
import type { listAuditEventsQuery } from '../../schemas/audit.js';

export async function listAuditEvents(command: CommandFor<{ query: typeof listAuditEventsQuery }>): Promise<Result> {
  const { principal, query } = command;
  const startKey = decodeCursor(query.cursor, {
    param: 'cursor',
    shape: auditPageKeyShape(principal.organizationId, query.resourceId),
  });
  const page = await listAuditEntries(principal.organizationId, query.resourceId, { limit: query.limit, startKey });
  const nextCursor = encodeCursor(page.lastKey);
  return {
    status: 200,
    body: { items: page.items.map((entry) => entry.fields), nextCursor, hasMore: nextCursor !== null },
  };
}
