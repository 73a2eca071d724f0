/**
 * Stream consumer: appends an audit entry per executor and workflow change to the
 * resource's hash chain (functions/domain/audit.ts), at most once per stream record.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../observability/logger.js';
import { auditDraftOf } from '../domain/audit.js';
import { appendAuditEntry } from '../store/audit.js';
import { readBatch, retryFrom, streamHandler } from './batch.js';

/** Appends the batch's entries in order; a failed append is retried from its record on. */
export async function writeAuditEntries(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { items, failedAt } = await readBatch(event);
  let appended = 0;
  let duplicates = 0;
  for (const { sequenceNumber, change } of items) {
    if (!change) continue;
    try {
      const { outcome } = await appendAuditEntry(auditDraftOf(change), sequenceNumber);
      if (outcome === 'appended') appended += 1;
      else duplicates += 1;
    } catch (error) {
      logger.error('audit append failed', {
        resourceId: change.resourceId,
        eventId: change.eventId,
        error: error as Error,
      });
      return retryFrom(sequenceNumber);
    }
  }
  logger[appended + duplicates > 0 ? 'info' : 'debug']('audit entries written', {
    records: event.Records.length,
    appended,
    duplicates,
  });
  return retryFrom(failedAt);
}

export const handler = streamHandler(writeAuditEntries);
