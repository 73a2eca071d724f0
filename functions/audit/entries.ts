/**
 * Where an audit entry id points, for the routes that take one: an `eventId` is looked up
 * in its organization (`gsi2`); `<resourceId>.<seq>`, the id earlier releases showed, names
 * the resource's chain and the place in it.
 */
import { parseAuditEntryId, type StoredAuditEntry, toAuditEventOutput } from '../domain/audit.js';
import { findAuditEntry, getAuditEntry } from '../store/audit.js';

/** An entry's chain and place, and the entry itself where the lookup read it. */
export interface AuditEntryPlace {
  resourceId: string;
  seq: number;
  entry?: StoredAuditEntry;
}

/**
 * The place an id names, or undefined when no entry of the organization has it: an entry found under an `eventId` is
 * taken only if its content gives that same id (its index key could say otherwise only if edited).
 */
export async function auditEntryPlace(organizationId: string, id: string): Promise<AuditEntryPlace | undefined> {
  const place = parseAuditEntryId(id);
  if (place) return place;
  const found = await findAuditEntry(organizationId, id);
  if (!found || toAuditEventOutput(found.entry.fields).eventId !== id) return undefined;
  return { resourceId: found.resourceId, seq: found.entry.position, entry: found.entry };
}

/** The entry an id names, read by its key when the id named its place. */
export async function auditEntryNamed(organizationId: string, id: string): Promise<StoredAuditEntry | undefined> {
  const place = await auditEntryPlace(organizationId, id);
  if (!place) return undefined;
  return place.entry ?? getAuditEntry(organizationId, place.resourceId, place.seq);
}
