/**
 * One change of one executor or workflow, as the domain events and the audit log see it:
 * plain values, read from the table's stream by functions/streams/changes.ts, the one
 * place that knows how the items are stored.
 */

/** An item's attributes as plain values. */
export type Item = Record<string, unknown>;

export type ResourceType = 'executor' | 'workflow';

export type ChangeAction = 'created' | 'updated' | 'deployed' | 'deleted';

/** A changed field's value before and after the change (undefined where it is absent). */
export interface FieldValues {
  before?: unknown;
  after?: unknown;
}

/**
 * The credential and permission a change was made with, as the item records them: text, so that a permission a
 * later release names is still reported (functions/domain/permissions.ts `Authorization` is what this one writes).
 */
export interface RecordedAuthorization {
  principal: string;
  permission: string;
}

/** One change of one executor or workflow, as events and the audit log see it. */
export interface ResourceChange {
  /** The stream record's id and shard position (ids of events and audit receipts derive from it). */
  eventId: string;
  sequenceNumber: string;
  organizationId: string;
  resourceType: ResourceType;
  resourceId: string;
  action: ChangeAction;
  /**
   * The resource's own counter after the change: an executor's `version`, a workflow's
   * `revision`; for a deployment, the deployed version; for a deletion, the last one.
   */
  version: number;
  /** The fields whose value differs between before and after (bookkeeping aside), sorted. */
  changedFields: string[];
  /** Each changed field's value before and after, as a request names it (a workflow's fields decoded). */
  changedValues: Record<string, FieldValues>;
  /** The item before and after (a deployment's `after` is the snapshot). */
  before?: Item;
  after?: Item;
  /** An executor's status transition, when the write moved it. */
  statusChange?: { from: string; to: string };
  /** Who made it (an API key's name, a token's subject or an event source, never a credential); a deletion's comes from its tombstone. */
  actor?: string;
  /**
   * Which credential, and the permission it was allowed by (functions/domain/permissions.ts); absent for a change
   * written by an earlier release, which recorded only the actor.
   */
  authorization?: RecordedAuthorization;
  /** When it happened, ISO 8601. */
  at: string;
  /** For a deletion: the partition holding the tombstone that names the deleter. */
  tombstonePk?: string;
}
