/**
 * Audit items: each resource's chain lives in its own partition (keys.ts), entries in
 * chain order. An entry is appended together with a receipt for the stream record it
 * came from, both conditionally, so a redelivered record never appends twice and two
 * writers never take the same place. Only the audit writer may write here (the stack
 * denies every API function writes to audit partitions).
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditDraft, type AuditEntry, sealAuditEntry, type StoredAuditEntry } from '../domain/audit.js';
import { getDocumentClient, putNew, tableName } from './client.js';
import { cancellationCodes } from './errors.js';
import { auditEntryKey, auditEntryPrefix, auditPartition, auditReceiptKey } from './keys.js';
import { collided, contended, retryOnConflict } from './retry.js';

/** Receipts only need to outlive the stream's 24-hour retention; a week, like tombstones. */
const receiptSeconds = 7 * 24 * 3600;
const maxAppendAttempts = 5;

/** An audit item as its chain sees it: position from the key, attributes without the key. */
export function toStoredAuditEntry(item: Record<string, unknown>): StoredAuditEntry {
  const { pk: _pk, sk, entity: _entity, ...fields } = item;
  return { position: Number(String(sk).slice(auditEntryPrefix.length)), fields };
}

/** The last entry of a resource's chain. */
async function lastEntry(organizationId: string, resourceId: string): Promise<AuditEntry | undefined> {
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
  return Items?.[0] as AuditEntry | undefined;
}

/**
 * Appends the drafted entry to the end of its resource's chain, once per stream record:
 * `duplicate` when the record was appended before (a redelivery).
 */
export async function appendAuditEntry(draft: AuditDraft, now = Date.now()): Promise<{ outcome: 'appended' | 'duplicate'; entry?: AuditEntry }> {
  const { organizationId, resourceId, streamEventId } = draft;
  return retryOnConflict(
    async () => {
      const previous = await lastEntry(organizationId, resourceId);
      const entry = sealAuditEntry(draft, previous && { seq: Number(previous.seq), hash: String(previous.hash) });
      try {
        await getDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              putNew({ ...auditEntryKey(organizationId, resourceId, entry.seq), entity: 'auditEntry', ...entry }),
              {
                Put: {
                  TableName: tableName(),
                  Item: {
                    ...auditReceiptKey(organizationId, resourceId, streamEventId),
                    entity: 'auditReceipt',
                    entryId: entry.id,
                    expiresAt: Math.floor(now / 1000) + receiptSeconds,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return { outcome: 'appended' as const, entry };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const [place, receipt] = codes;
        if (receipt === 'ConditionalCheckFailed') return { outcome: 'duplicate' as const };
        // Someone appended first: read the new end and try again; or the transaction collided: try again.
        if (place === 'ConditionalCheckFailed') return contended;
        if (codes.includes('TransactionConflict')) return collided;
        throw error;
      }
    },
    { attempts: maxAppendAttempts, jitterMs: 0, exhausted: () => new Error(`audit chain of ${resourceId} kept moving; giving up after ${maxAppendAttempts} attempts`) },
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
export async function auditChainUpTo(organizationId: string, resourceId: string, seq: number): Promise<StoredAuditEntry[]> {
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
