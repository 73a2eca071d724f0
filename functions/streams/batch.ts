/**
 * A batch of table stream records, as both stream consumers take it: read as resource
 * changes (a deletion completed by its tombstone, which names the deleter) in shard order,
 * and answered with the first record to retry from (ReportBatchItemFailures: Lambda
 * redelivers from that record on, so everything before it is never repeated and nothing
 * after it is skipped); and the Lambda handler both consumers run.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ResourceChange } from '../domain/resource-change.js';
import { logger } from '../observability/logger.js';
import { getTombstone } from '../store/tombstones.js';
import { resourceChangeOf, withDeletion } from './changes.js';
import { toStreamChange } from './records.js';

/** One record of a batch: its shard position and, when it changed an executor or workflow, the change. */
export interface BatchItem {
  sequenceNumber: string;
  change?: ResourceChange;
}

/**
 * The batch's records as resource changes, in order. Reading stops at the first record
 * that cannot be read (its tombstone read failed, or it is malformed): `failedAt` names it.
 */
export async function readBatch(event: DynamoDBStreamEvent): Promise<{ items: BatchItem[]; failedAt?: string }> {
  const items: BatchItem[] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const change = resourceChangeOf(toStreamChange(record));
      const complete =
        change?.action === 'deleted' ? withDeletion(change, await getTombstone(change.tombstonePk ?? '')) : change;
      items.push({ sequenceNumber, ...(complete ? { change: complete } : {}) });
    } catch (error) {
      logger.error('stream record unreadable', { eventId: record.eventID, sequenceNumber, error: error as Error });
      return { items, failedAt: sequenceNumber };
    }
  }
  return { items };
}

/** The batch answer: retry from `sequenceNumber`, or nothing to retry. */
export function retryFrom(sequenceNumber: string | undefined): DynamoDBBatchResponse {
  return { batchItemFailures: sequenceNumber === undefined ? [] : [{ itemIdentifier: sequenceNumber }] };
}

/**
 * A stream consumer's Lambda handler: the Powertools logger with the Lambda context and
 * never the event (stream images hold sealed secrets).
 */
export function streamHandler(consume: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .handler((event) => consume(event));
}
