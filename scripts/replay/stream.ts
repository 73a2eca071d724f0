/**
 * Replaying the stream dead-letter queue. When a stream consumer gives up a batch (10
 * retries, bisected down to the failing record), Lambda sends the queue a message that
 * names the function, the shard and the range of sequence numbers given up, not the
 * records. Within the stream's 24 hours the records can be read again from that range
 * and handed to the function that failed them; both consumers apply a record at most
 * once or with stable ids (the audit writer keys each entry by its sequence number; the
 * publisher's events keep the id derived from the record, so a subscriber that saw one
 * before can tell), so a replay after the cause is fixed is safe. A message is deleted
 * only when every record of its range was handed back and accepted.
 *
 * The AWS calls sit behind small ports (scripts/replay/aws.ts implements them) so the
 * same logic runs against DynamoDB Local's stream in the tests.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { resourceEntities } from '../../functions/streams/changes.js';

/** A message of a dead-letter queue, as received. */
export interface QueueMessage {
  /** What deletes it (an SQS receipt handle). */
  receipt: string;
  body: string;
  /** Message attributes with string values (EventBridge and Lambda put their error here). */
  attributes?: Record<string, string>;
}

/** A dead-letter queue: receive some messages (hidden from others for a while), delete one. */
export interface DeadLetterQueue {
  receive(max: number): Promise<QueueMessage[]>;
  remove(message: QueueMessage): Promise<void>;
}

/** What Lambda writes to a stream event source's on-failure destination (the parts a replay needs). */
export interface StreamFailure {
  functionArn: string;
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  /** Why Lambda gave up (`RetryAttemptsExhausted`, `RecordAgeExceeded`…). */
  condition?: string;
}

/** Reads a shard's records from one sequence number through another; `expired` when the stream no longer has them. */
export interface StreamRecords {
  between(failure: StreamFailure): Promise<DynamoDBRecord[] | 'expired'>;
}

/** Hands records to a consumer function as its event source mapping would; `failure` says why it did not accept them. */
export interface ConsumerInvoker {
  invoke(functionArn: string, event: DynamoDBStreamEvent): Promise<{ failure?: string }>;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The failure a stream dead-letter message describes, or why it is not one. */
export function parseStreamFailure(body: string): StreamFailure | { problem: string } {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  const { requestContext, DDBStreamBatchInfo: batch } = (message ?? {}) as {
    requestContext?: { functionArn?: unknown; condition?: unknown };
    DDBStreamBatchInfo?: Record<string, unknown>;
  };
  if (!batch) return { problem: 'no DDBStreamBatchInfo: not a stream failure record' };
  const functionArn = requestContext?.functionArn;
  const { streamArn, shardId, startSequenceNumber, endSequenceNumber } = batch;
  if (![functionArn, streamArn, shardId, startSequenceNumber, endSequenceNumber].every(isText))
    return { problem: 'the record lacks the function, stream, shard or sequence numbers' };
  if (!/^\d+$/.test(startSequenceNumber as string) || !/^\d+$/.test(endSequenceNumber as string))
    return { problem: 'sequence numbers are not numbers' };
  return {
    functionArn: functionArn as string,
    streamArn: streamArn as string,
    shardId: shardId as string,
    startSequenceNumber: startSequenceNumber as string,
    endSequenceNumber: endSequenceNumber as string,
    ...(isText(requestContext?.condition) ? { condition: requestContext.condition } : {}),
  };
}

/** Compares two stream sequence numbers (decimal strings longer than a double holds). */
export const compareSequenceNumbers = (a: string, b: string) =>
  a.length === b.length ? a.localeCompare(b) : a.length - b.length;

/**
 * The records the consumers' event source mappings let through (the construct's filter,
 * infra/constructs/events-and-audit.ts): those whose new or old image is a resource item.
 */
export function passesConsumerFilter(record: DynamoDBRecord): boolean {
  const entities: readonly string[] = resourceEntities;
  return [record.dynamodb?.NewImage, record.dynamodb?.OldImage].some((image) => {
    const entity = image?.entity?.S;
    return entity !== undefined && entities.includes(entity);
  });
}

/** What happened to one dead-letter message. */
export interface ReplayOutcome {
  message: QueueMessage;
  /** `replayed` (and deleted), `would replay` (dry run), `kept` (with the reason). */
  result: 'replayed' | 'would replay' | 'kept';
  records: number;
  reason?: string;
  functionArn?: string;
}

export interface StreamReplayOptions {
  queue: DeadLetterQueue;
  stream: StreamRecords;
  invoker: ConsumerInvoker;
  /** At most this many messages. Default 100. */
  max?: number;
  /** Read and report, invoke nothing, delete nothing. */
  dryRun?: boolean;
}

/** The consumer's batch answer as the event source mapping reads it: any reported item is a failure. */
export function batchFailure(response: DynamoDBBatchResponse | undefined): string | undefined {
  const failed = response?.batchItemFailures ?? [];
  return failed.length === 0 ? undefined : `the function reported record ${failed[0].itemIdentifier} as failed`;
}

/** Replays up to `max` messages of the stream dead-letter queue; every message's outcome, in order. */
export async function replayStreamDeadLetters(options: StreamReplayOptions): Promise<ReplayOutcome[]> {
  const max = options.max ?? 100;
  const outcomes: ReplayOutcome[] = [];
  while (outcomes.length < max) {
    const messages = await options.queue.receive(Math.min(10, max - outcomes.length));
    if (messages.length === 0) break;
    for (const message of messages) outcomes.push(await replayOne(message, options));
  }
  return outcomes;
}

async function replayOne(message: QueueMessage, options: StreamReplayOptions): Promise<ReplayOutcome> {
  const failure = parseStreamFailure(message.body);
  if ('problem' in failure) return { message, result: 'kept', records: 0, reason: failure.problem };
  const { functionArn } = failure;
  const read = await options.stream.between(failure);
  if (read === 'expired') {
    return {
      message,
      result: 'kept',
      records: 0,
      functionArn,
      reason:
        'the stream no longer holds these records (older than 24 hours): they cannot be replayed; see docs/runbook.md for the gap',
    };
  }
  const records = read.filter(passesConsumerFilter);
  if (options.dryRun) return { message, result: 'would replay', records: records.length, functionArn };
  if (records.length > 0) {
    const { failure: refused } = await options.invoker.invoke(functionArn, { Records: records });
    if (refused) return { message, result: 'kept', records: records.length, functionArn, reason: refused };
  }
  await options.queue.remove(message);
  return { message, result: 'replayed', records: records.length, functionArn };
}
