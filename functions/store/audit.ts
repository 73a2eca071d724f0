/**
 * Audit items: each resource's chain lives in its own partition (keys.ts), entries in
 * chain order. An entry is appended with one conditional put on its place, so two
 * writers never take the same place, and records the shard position of the stream
 * record it came from (`streamSequence`), so a redelivered record never appends twice:
 * a chain's records arrive in shard order, hence a record at or before the position
 * of the chain's last entry was appended already (a chain a release before 0.2.0 ended, whose entries carry no
 * position, by that release's receipt for the record). Only the audit writer may write here
 * (the stack denies every API function writes to audit partitions).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditDraft, type AuditEntry, sealAuditEntry, type StoredAuditEntry } from '../domain/audit.js';
import { getDocumentClient, tableName } from './client.js';
import { auditEntryKey, auditEntryPrefix, auditPartition, auditReceiptKey } from './keys.js';
import { contended, retryOnConflict } from './retry.js';

const maxAppendAttempts = 5;

/** An audit item as its chain sees it: position from the key, attributes without the key and bookkeeping. */
export function toStoredAuditEntry(item: Record<string, unknown>): StoredAuditEntry {
  const { pk: _pk, sk, entity: _entity, streamSequence: _streamSequence, ...fields } = item;
  return { position: Number(String(sk).slice(auditEntryPrefix.length)), fields };
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
              entity: 'auditEntry',
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

/** One page of a resource's entries, in chain order. */
export async function listAuditEntries(
  organizationId: string,
  resourceId: string,
  options: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: StoredAuditEntry[]; lastKey?: Record<string, unknown> }> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': auditPartition(organizationId, resourceId), ':entry': auditEntryPrefix },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toStoredAuditEntry), lastKey: result.LastEvaluatedKey };
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
