/**
 * What items written before 0.3.0 lack to be listed as 0.3.0 lists them, one pure step per
 * kind of item: an executor its place in the order by last change (`gsi2`), a name claim its
 * place in the name order (`gsi1`), an audit entry its place in the organization's feed
 * (`gsi1`) and its `eventId` lookup (`gsi2`). Until a step reached an item, the item reads
 * as before (a resource's chain shows an entry with the `eventId` derived from its place)
 * but is missing from those lists and lookups (docs/data-model.md, "Upgrading").
 *
 * Each step returns the item with the attributes it lacked added and nothing else changed,
 * or undefined when the item is not its kind or already has them: applying a step twice is
 * applying it once, and what it adds is derived from the item alone, so a step run at any
 * time (on read, or by a paged backfill) writes the same values. A write of a step's result
 * should set only the added attributes, on condition that the first of them is still absent
 * (a concurrent executor write sets the same keys from a newer `updatedAt`). The hash of an
 * audit entry does not cover what a step adds (functions/domain/audit.ts), so every chain
 * verifies before and after.
 */
import { auditEntryIndexKeys } from './audit.js';
import { executorNameIndexKeys, executorUpdateIndexKeys } from './keys.js';

/** An item as read from the table. */
export type StoredItem = Record<string, unknown>;

/** One backfill step: the entity it applies to and the item upgraded (undefined when there is nothing to add). */
export interface IndexBackfillStep {
  name: string;
  entity: string;
  upgrade(item: StoredItem): StoredItem | undefined;
}

/** The item with `added` where it lacks the first of them; undefined when it has it already. */
function adding(item: StoredItem, firstName: string, added: Record<string, string>): StoredItem | undefined {
  return item[firstName] === undefined ? { ...item, ...added } : undefined;
}

/** An executor's place in the order by last change: `gsi2` keys from its `updatedAt` and id. */
export function executorUpdateIndexStep(item: StoredItem): StoredItem | undefined {
  if (item.entity !== 'executor') return undefined;
  const keys = executorUpdateIndexKeys(String(item.organizationId), String(item.updatedAt), String(item.id));
  return adding(item, 'gsi2pk', keys);
}

/** A name claim's place in the name order: `gsi1` keys from the name's identity. */
export function executorNameIndexStep(item: StoredItem): StoredItem | undefined {
  if (item.entity !== 'executorName') return undefined;
  return adding(item, 'gsi1pk', executorNameIndexKeys(String(item.organizationId), String(item.name)));
}

/** An audit entry's place in its organization's feed and its lookup by `eventId`. */
export function auditEntryIndexStep(item: StoredItem): StoredItem | undefined {
  if (item.entity !== 'auditEntry') return undefined;
  const entry = {
    organizationId: String(item.organizationId),
    resourceId: String(item.resourceId),
    seq: Number(item.seq),
    at: String(item.at),
  };
  return adding(item, 'gsi1pk', auditEntryIndexKeys(entry));
}

/** The steps 0.3.0's backfill runs, in order; each applies to one `entity`. */
export const indexBackfillSteps: readonly IndexBackfillStep[] = [
  { name: '0.3.0-executor-update-index', entity: 'executor', upgrade: executorUpdateIndexStep },
  { name: '0.3.0-executor-name-index', entity: 'executorName', upgrade: executorNameIndexStep },
  { name: '0.3.0-audit-entry-index', entity: 'auditEntry', upgrade: auditEntryIndexStep },
];
