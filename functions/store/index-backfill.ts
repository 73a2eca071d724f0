/**
 * What items written before 0.3.0 lack to be listed as 0.3.0 lists them, one pure function
 * per kind of item: an executor its place in the order by last change (`gsi2`), a name claim
 * its place in the name order (`gsi1`), an audit entry its place in the organization's feed
 * (`gsi1`) and its `eventId` lookup (`gsi2`). The migration runs them as steps of their kinds
 * (functions/migrations/steps.ts). Until it reached an item, the item reads as before (a
 * resource's chain shows an entry with the `eventId` derived from its place) but is missing
 * from those lists and lookups (docs/data-model.md, "Upgrading").
 *
 * Each returns the attributes the item lacks, derived from the item alone, or undefined when
 * the item is not its kind or has them already: applied twice it is applied once, and run at
 * any time it gives the same values. The hash of an audit entry does not cover what is added
 * here (functions/store/audit.ts `toStoredAuditEntry`), so every chain verifies before and after.
 */
import { auditEntryIndexKeys } from './audit.js';
import { executorNameIndexKeys, executorUpdateIndexKeys } from './keys.js';

/** An item as read from the table. */
export type StoredItem = Record<string, unknown>;

/** `keys` when the item lacks the first of them; undefined when it has it already. */
function lacking(item: StoredItem, keys: Record<string, string>): Record<string, string> | undefined {
  const [first] = Object.keys(keys);
  return item[first] === undefined ? keys : undefined;
}

/** An executor's place in the order by last change: `gsi2` keys from its `updatedAt` and id. */
export function executorUpdateIndexStep(item: StoredItem): Record<string, string> | undefined {
  if (item.entity !== 'executor') return undefined;
  return lacking(item, executorUpdateIndexKeys(String(item.organizationId), String(item.updatedAt), String(item.id)));
}

/** A name claim's place in the name order: `gsi1` keys from the name's identity. */
export function executorNameIndexStep(item: StoredItem): Record<string, string> | undefined {
  if (item.entity !== 'executorName') return undefined;
  return lacking(item, executorNameIndexKeys(String(item.organizationId), String(item.name)));
}

/** An audit entry's place in its organization's feed (`gsi1`) and its lookup by `eventId` (`gsi2`). */
export function auditEntryIndexStep(item: StoredItem): Record<string, string> | undefined {
  if (item.entity !== 'auditEntry') return undefined;
  const entry = {
    organizationId: String(item.organizationId),
    resourceId: String(item.resourceId),
    seq: Number(item.seq),
    at: String(item.at),
  };
  return lacking(item, auditEntryIndexKeys(entry));
}
