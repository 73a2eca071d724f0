/**
 * Stream consumer: publishes the domain events of every executor and workflow change
 * (functions/domain/events.ts) to the event bus, or locally to the NDJSON sink.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../observability/logger.js';
import { type DomainEvent, domainEventsOf } from '../domain/events.js';
import { readBatch, retryFrom, streamHandler } from './batch.js';
import { publisherFromEnvironment } from './publisher.js';

/** Publishes a batch's events; the first record with an event that was not accepted is retried from. */
export async function publishDomainEvents(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { items, failedAt } = await readBatch(event);
  const events: { sequenceNumber: string; event: DomainEvent }[] = items.flatMap(({ sequenceNumber, change }) =>
    change ? domainEventsOf(change).map((domainEvent) => ({ sequenceNumber, event: domainEvent })) : [],
  );
  let failedIds: string[];
  try {
    ({ failedIds } = await publisherFromEnvironment().publish(events.map((e) => e.event)));
  } catch (error) {
    logger.error('publishing domain events failed', { events: events.length, error: error as Error });
    failedIds = events.map((e) => e.event.id);
  }
  const firstFailed = events.find((e) => failedIds.includes(e.event.id))?.sequenceNumber;
  // Most batches locally hold no resource change (API keys, name claims): those log at debug level only.
  logger[events.length > 0 ? 'info' : 'debug']('domain events published', {
    records: event.Records.length,
    published: events.length - failedIds.length,
    failed: failedIds.length,
  });
  // Every item precedes the record that could not be read, so a refused event's record comes first.
  return retryFrom(firstFailed ?? failedAt);
}

export const handler = streamHandler(publishDomainEvents);
