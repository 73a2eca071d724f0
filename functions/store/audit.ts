/**
 * Audit items: each resource's chain lives in its own partition (keys.ts), entries in
 * chain order. An entry is appended with one conditional put on its place, so two
 * writers never take the same place, and records the shard position of the stream
 * record it came from (`streamSequence`), so a redelivered record never appends twice:
 * a chain's records arrive in shard order, hence a record at or before the position
 * of the chain's last entry was appended already (a chain a release before 0.2.0 ended, whose entries carry no
 * position, by that release's receipt for the record). Only the audit writer may write here
 * (the stack denies every API function writes to audit partitions).
 *
 * The same put lists the entry in its organization's feed (`gsi1`, by time) and under its
 * `eventId` (`gsi2`): no request more than the entry itself (docs/data-model.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AuditDraft,
  type AuditEntry,
  auditEventIdOf,
  type AuditFilter,
  sealAuditEntry,
  type StoredAuditEntry,
} from '../domain/audit.js';
import { currentFormats } from '../domain/formats.js';
import { getDocumentClient, tableName } from './client.js';
import {
  auditEntryKey,
  auditEntryPrefix,
  auditEventKeys,
  auditFeed,
  auditFeedKeys,
  auditFeedRange,
  auditPartition,
  auditReceiptKey,
} from './keys.js';
import { contended, retryOnConflict } from './retry.js';
import { indexKeyAttributes, readPage, tableDefinition, tableKeyAttributes } from './table.js';

const maxAppendAttempts = 5;

/** The keys that list an entry: in its organization's feed, and under its `eventId`. */
export function auditEntryIndexKeys(entry: {
  organizationId: string;
  resourceId: string;
  seq: number;
  at: string;
}): Record<string, string> {
  const { organizationId, resourceId, seq, at } = entry;
  return {
    ...auditFeedKeys(organizationId, at, resourceId, seq),
    ...auditEventKeys(organizationId, auditEventIdOf(organizationId, resourceId, seq)),
  };
}

const indexAttributes = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;

/**
 * An audit item as its chain sees it: position from the key, attributes without the keys and bookkeeping, and
 * whether the index keys it has (entries written before 0.3.0 have none until the backfill) are the ones its
 * attributes give.
 */
export function toStoredAuditEntry(item: Record<string, unknown>): StoredAuditEntry {
  const {
    pk: _pk,
    sk,
    entity: _entity,
    streamSequence: _streamSequence,
    formatVersion: _formatVersion,
    gsi1pk: _gsi1pk,
    gsi1sk: _gsi1sk,
    gsi2pk: _gsi2pk,
    gsi2sk: _gsi2sk,
    ...fields
  } = item;
  const expected = auditEntryIndexKeys({
    organizationId: String(fields.organizationId),
    resourceId: String(fields.resourceId),
    seq: Number(fields.seq),
    at: String(fields.at),
  });
  const keysAgree = indexAttributes.every((name) => item[name] === undefined || item[name] === expected[name]);
  return { position: Number(String(sk).slice(auditEntryPrefix.length)), fields, keysAgree };
}

/**
 * True when the record at `streamSequence` (with id `streamEventId`) is already in the
 * chain whose last entry is `last`: it is that entry's record, or an earlier one.
 */
export function appendedBefore(
  last: { streamEventId?: unknown; streamSequence?: unknown } | undefined,
  streamEventId: string,
  streamSequence: string,
): boolean {
  if (!last) return false;
  if (last.streamEventId === streamEventId) return true;
  const position = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? BigInt(value) : undefined);
  const lastPosition = position(last.streamSequence);
  const recordPosition = position(streamSequence);
  return lastPosition !== undefined && recordPosition !== undefined && recordPosition <= lastPosition;
}

/**
 * True when a release before 0.2.0 appended the record with id `streamEventId` to this chain: it wrote a receipt
 * for it. Only asked of a chain whose last entry has no `streamSequence` (that release's), so it costs a read only
 * until today's writer appends to the chain.
 */
async function receiptExists(organizationId: string, resourceId: string, streamEventId: string): Promise<boolean> {
  const receipt = auditReceiptKey(organizationId, resourceId, streamEventId);
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': receipt.pk, ':sk': receipt.sk },
      ProjectionExpression: 'pk',
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).length > 0;
}

/** The last entry of a resource's chain, as stored. */
async function lastEntry(
  organizationId: string,
  resourceId: string,
): Promise<(AuditEntry & { streamSequence?: string }) | undefined> {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': auditPartition(organizationId, resourceId), ':entry': auditEntryPrefix },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Items?.[0] as (AuditEntry & { streamSequence?: string }) | undefined;
}

/**
 * Appends the drafted entry, made from the stream record at `streamSequence`, to the end
 * of its resource's chain, once per stream record: `duplicate` when the record was
 * appended before (a redelivery).
 */
export async function appendAuditEntry(
  draft: AuditDraft,
  streamSequence: string,
): Promise<{ outcome: 'appended' | 'duplicate'; entry?: AuditEntry }> {
  const { organizationId, resourceId, streamEventId } = draft;
  return retryOnConflict(
    async () => {
      const previous = await lastEntry(organizationId, resourceId);
      if (appendedBefore(previous, streamEventId, streamSequence)) return { outcome: 'duplicate' as const };
      if (
        previous &&
        previous.streamSequence === undefined &&
        (await receiptExists(organizationId, resourceId, streamEventId))
      )
        return { outcome: 'duplicate' as const };
      const entry = sealAuditEntry(draft, previous && { seq: Number(previous.seq), hash: String(previous.hash) });
      try {
        await getDocumentClient().send(
          new PutCommand({
            TableName: tableName(),
            Item: {
              ...auditEntryKey(organizationId, resourceId, entry.seq),
              ...auditEntryIndexKeys(entry),
              entity: 'auditEntry',
              formatVersion: currentFormats.auditEntry,
              streamSequence,
              ...entry,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { outcome: 'appended' as const, entry };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Someone appended first: read the new end (it may be this very record) and try again.
        return contended;
      }
    },
    {
      attempts: maxAppendAttempts,
      jitterMs: 0,
      exhausted: () =>
        new Error(`audit chain of ${resourceId} kept moving; giving up after ${maxAppendAttempts} attempts`),
    },
  );
}

/** Which page of entries to read: its size, where it resumes, its direction, the entries it keeps. */
export interface AuditListing {
  limit: number;
  startKey?: Record<string, unknown>;
  ascending: boolean;
  filter: AuditFilter;
  /** Only entries at or after `from` and at or before `to` (ISO 8601 instants, as entries hold `at`). */
  from?: string;
  to?: string;
}

/** The filter as a FilterExpression on the entries' own attributes (none when it keeps every entry). */
function filterExpression(conditions: { name: string; operator: string; value: unknown }[]) {
  if (conditions.length === 0) return {};
  return {
    FilterExpression: conditions.map((_, index) => `#f${index} ${conditions[index].operator} :f${index}`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(conditions.map(({ name }, index) => [`#f${index}`, name])),
    ExpressionAttributeValues: Object.fromEntries(conditions.map(({ value }, index) => [`:f${index}`, value])),
  };
}

const filterConditions = (filter: AuditFilter) => [
  ...(filter.resourceType ? [{ name: 'resourceType', operator: '=', value: filter.resourceType }] : []),
  ...(filter.action ? [{ name: 'action', operator: '=', value: filter.action }] : []),
];

/**
 * One page of a resource's entries, in chain order (or its reverse), filtered on the entries' attributes: the date
 * range too, since the chain's keys hold places, not times. Filled across a bounded number of reads.
 */
export async function listAuditEntries(
  organizationId: string,
  resourceId: string,
  listing: AuditListing,
): Promise<{ items: StoredAuditEntry[]; lastKey?: Record<string, unknown> }> {
  const filter = filterExpression([
    ...filterConditions(listing.filter),
    ...(listing.from !== undefined ? [{ name: 'at', operator: '>=', value: listing.from }] : []),
    ...(listing.to !== undefined ? [{ name: 'at', operator: '<=', value: listing.to }] : []),
  ]);
  const page = await readPage(
    async (startKey, wanted) => {
      const result = await getDocumentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
          ...filter,
          ExpressionAttributeValues: {
            ':pk': auditPartition(organizationId, resourceId),
            ':entry': auditEntryPrefix,
            ...filter.ExpressionAttributeValues,
          },
          ScanIndexForward: listing.ascending,
          Limit: wanted,
          ExclusiveStartKey: startKey,
        }),
      );
      return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey };
    },
    { limit: listing.limit, startKey: listing.startKey, keyAttributes: tableKeyAttributes },
  );
  return { items: page.items.map(toStoredAuditEntry), lastKey: page.lastKey };
}

/**
 * One page of an organization's audit feed (`gsi1`), newest or oldest first: the date range as the key condition,
 * the other filters on the entries' attributes, filled across a bounded number of reads. Entries written before
 * 0.3.0 join the feed when the backfill gives them its keys.
 */
export async function listAuditFeed(
  organizationId: string,
  listing: AuditListing,
): Promise<{ items: StoredAuditEntry[]; lastKey?: Record<string, unknown> }> {
  const filter = filterExpression(filterConditions(listing.filter));
  const range = auditFeedRange(listing.from, listing.to);
  const bounds =
    range.from !== undefined && range.to !== undefined
      ? ' AND gsi1sk BETWEEN :from AND :to'
      : range.from !== undefined
        ? ' AND gsi1sk >= :from'
        : range.to !== undefined
          ? ' AND gsi1sk <= :to'
          : '';
  const page = await readPage(
    async (startKey, wanted) => {
      const result = await getDocumentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: tableDefinition.gsi1.name,
          KeyConditionExpression: `gsi1pk = :feed${bounds}`,
          ...filter,
          ExpressionAttributeValues: {
            ':feed': auditFeed(organizationId).gsi1pk,
            ...(range.from !== undefined ? { ':from': range.from } : {}),
            ...(range.to !== undefined ? { ':to': range.to } : {}),
            ...filter.ExpressionAttributeValues,
          },
          ScanIndexForward: listing.ascending,
          Limit: wanted,
          ExclusiveStartKey: startKey,
        }),
      );
      return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey };
    },
    { limit: listing.limit, startKey: listing.startKey, keyAttributes: indexKeyAttributes },
  );
  return { items: page.items.map(toStoredAuditEntry), lastKey: page.lastKey };
}

/** A stored entry with the resource whose chain holds it, read from its key. */
export interface LocatedAuditEntry {
  resourceId: string;
  entry: StoredAuditEntry;
}

/** The entry an `eventId` names in an organization (`gsi2`), or undefined. */
export async function findAuditEntry(organizationId: string, eventId: string): Promise<LocatedAuditEntry | undefined> {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDefinition.gsi2.name,
      KeyConditionExpression: 'gsi2pk = :event',
      ExpressionAttributeValues: { ':event': auditEventKeys(organizationId, eventId).gsi2pk },
    }),
  );
  const [item] = Items ?? [];
  if (!item) return undefined;
  return {
    resourceId: String(item.pk).slice(auditPartition(organizationId, '').length),
    entry: toStoredAuditEntry(item),
  };
}

/** The `seq`-th entry of a resource's chain, or undefined. */
export async function getAuditEntry(
  organizationId: string,
  resourceId: string,
  seq: number,
): Promise<StoredAuditEntry | undefined> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: auditEntryKey(organizationId, resourceId, seq) }),
  );
  return Item && toStoredAuditEntry(Item);
}

/** A resource's entries from the first up to `seq`, in key order (every page). */
export async function auditChainUpTo(
  organizationId: string,
  resourceId: string,
  seq: number,
): Promise<StoredAuditEntry[]> {
  const entries: StoredAuditEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': auditPartition(organizationId, resourceId),
          ':first': auditEntryKey(organizationId, resourceId, 1).sk,
          ':last': auditEntryKey(organizationId, resourceId, seq).sk,
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    entries.push(...(result.Items ?? []).map(toStoredAuditEntry));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return entries;
}
