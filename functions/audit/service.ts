/**
 * Audit use cases, free of any transport: list a resource's entries and verify its
 * chain up to an entry. The organization comes from the API key, so another
 * organization's resource reads as an empty list and its entries as 404.
 */
import type { Command, Result } from '../core/command.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { parseAuditEntryId, verifyAuditChain } from '../domain/audit.js';
import { NotFoundError } from '../http/errors.js';
import { auditChainUpTo, listAuditEntries } from '../store/audit.js';
import { auditPartition } from '../store/keys.js';

const notFound = () => new NotFoundError('Audit entry not found', { code: 'FLK-0250' });

/** `GET /v1/audit-events?resourceId=&limit=&cursor=`: the resource's entries in chain order. */
export async function listAuditEvents(command: Command<{}, { resourceId: string; limit?: string; cursor?: string }>): Promise<Result> {
  const { principal, query } = command;
  const startKey = decodeCursor(query.cursor, {
    param: 'cursor',
    fields: ['pk', 'sk'],
    expected: { pk: auditPartition(principal.organizationId, query.resourceId) },
  });
  const page = await listAuditEntries(principal.organizationId, query.resourceId, {
    limit: query.limit ? Number(query.limit) : 20,
    startKey,
  });
  const nextCursor = encodeCursor(page.lastKey);
  return { status: 200, body: { items: page.items.map((entry) => entry.fields), nextCursor, hasMore: nextCursor !== null } };
}

/** `GET /v1/audit-events/{id}/verify`: recomputes the chain from its first entry to this one. */
export async function verifyAuditEvent(command: Command<{ id: string }>): Promise<Result> {
  const target = parseAuditEntryId(command.params.id);
  if (!target) throw notFound();
  const entries = await auditChainUpTo(command.principal.organizationId, target.resourceId, target.seq);
  if (!entries.some((entry) => entry.position === target.seq)) throw notFound();
  return { status: 200, body: verifyAuditChain(entries, target.resourceId, target.seq) };
}
