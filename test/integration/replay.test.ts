/**
 * `npm run replay -- stream` where a stand-in exists (docs/runbook.md, "Replay"): a
 * stream dead-letter message, shaped as Lambda writes it, names a range of DynamoDB
 * Local's table stream; the replay reads that range again with the same DynamoDB Streams
 * calls it makes in AWS (scripts/replay/aws.ts), hands the records the consumers' filter
 * lets through to the consumer that failed them (the real audit writer, called as Lambda
 * would), and deletes the message only when they were accepted.
 */
import { randomUUID } from 'node:crypto';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handler as listAuditHandler } from '../../functions/audit/list.js';
import { handler as auditHandler } from '../../functions/streams/write-audit.js';
import { dynamoDbStreamRecords } from '../../scripts/replay/aws.js';
import {
  batchFailure,
  type ConsumerInvoker,
  compareSequenceNumbers,
  type DeadLetterQueue,
  passesConsumerFilter,
  type QueueMessage,
  replayStreamDeadLetters,
} from '../../scripts/replay/stream.js';
import { invoke, lambdaContext, newOrganization, type Organization, restEvent } from '../support/api.js';
import { completeExecutorBody, createExecutor, patchExecutor } from '../support/executors.js';
import { streamRecordsAbout } from '../support/table-stream.js';

const auditWriterArn = 'arn:aws:lambda:local:000000000000:function:Flowplane-test-EventswriteAuditLogFunction-x';
let org: Organization;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  org = await newOrganization();
  streams = new DynamoDBStreamsClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => streams.destroy());

/** A dead-letter queue in memory: each message is received once per replay, and stays until removed. */
function memoryQueue(messages: QueueMessage[]): DeadLetterQueue & { held: QueueMessage[] } {
  const held = [...messages];
  const received = new Set<QueueMessage>();
  return {
    held,
    receive: async (max) => {
      const next = held.filter((m) => !received.has(m)).slice(0, max);
      next.forEach((m) => received.add(m));
      return next;
    },
    remove: async (message) => {
      held.splice(held.indexOf(message), 1);
    },
  };
}

/** The audit writer as its event source mapping calls it, remembering what it was handed. */
function auditWriter(): ConsumerInvoker & { events: DynamoDBStreamEvent[]; arns: string[] } {
  const events: DynamoDBStreamEvent[] = [];
  const arns: string[] = [];
  return {
    events,
    arns,
    invoke: async (functionArn, event) => {
      events.push(event);
      arns.push(functionArn);
      const failure = batchFailure(await auditHandler(event, lambdaContext()));
      return failure ? { failure } : {};
    },
  };
}

/** What Lambda sends the on-failure destination when it gives up `records` (one shard's range). */
async function deadLetter(records: DynamoDBRecord[], shard?: string): Promise<QueueMessage> {
  const streamArn = records[0].eventSourceARN!;
  const sequences = records.map((r) => r.dynamodb!.SequenceNumber!).sort(compareSequenceNumbers);
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId =
    shard ??
    StreamDescription!.Shards!.find(
      ({ SequenceNumberRange: range }) =>
        compareSequenceNumbers(range!.StartingSequenceNumber!, sequences[0]) <= 0 &&
        (!range!.EndingSequenceNumber || compareSequenceNumbers(sequences[0], range!.EndingSequenceNumber) <= 0),
    )!.ShardId!;
  return {
    receipt: randomUUID(),
    body: JSON.stringify({
      requestContext: {
        requestId: randomUUID(),
        functionArn: auditWriterArn,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 11,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequences[0],
        endSequenceNumber: sequences.at(-1),
        approximateArrivalOfFirstRecord: new Date().toISOString(),
        approximateArrivalOfLastRecord: new Date().toISOString(),
        batchSize: records.length,
        streamArn,
      },
    }),
  };
}

const auditActions = async (resourceId: string): Promise<string[]> => {
  const reply = await invoke(
    listAuditHandler,
    restEvent({
      method: 'GET',
      path: '/v1/audit-events',
      query: { resourceId, limit: '100' },
      headers: { 'X-API-Key': org.apiKey },
    }),
  );
  expect(reply.status).toBe(200);
  return (reply.body.items as { action: string }[]).map((entry) => entry.action);
};

/** An executor created and configured through the real handlers, and its stream records (the audit writer never ran). */
async function changedExecutor(): Promise<{ id: string; records: DynamoDBRecord[] }> {
  const name = `replay-${randomUUID()}`;
  const created = await createExecutor(org, { name });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect((await patchExecutor(org, id, completeExecutorBody(name))).status).toBe(200);
  const records = (await streamRecordsAbout(org.organizationId, id, 2)).filter(
    (r) => (r.dynamodb?.NewImage ?? r.dynamodb?.OldImage)?.entity?.S === 'executor',
  );
  expect(records).toHaveLength(2);
  return { id, records };
}

test('a given-up range is read again from the stream and handed to the consumer that failed it; the message goes; a second replay changes nothing', async () => {
  // Prepare
  const { id, records } = await changedExecutor();
  expect(await auditActions(id)).toEqual([]);
  const message = await deadLetter(records);
  const queue = memoryQueue([message]);
  const writer = auditWriter();
  // Act
  const outcomes = await replayStreamDeadLetters({ queue, stream: dynamoDbStreamRecords(streams), invoker: writer });
  // Assess
  expect(outcomes).toEqual([{ message, result: 'replayed', records: expect.any(Number), functionArn: auditWriterArn }]);
  expect(queue.held).toEqual([]);
  expect(writer.arns).toEqual([auditWriterArn]);
  const handed = writer.events[0].Records;
  expect(handed.length).toBe(outcomes[0].records);
  expect(handed.every(passesConsumerFilter)).toBe(true);
  const [first, last] = [records[0], records[1]].map((r) => r.dynamodb!.SequenceNumber!).sort(compareSequenceNumbers);
  for (const record of handed) {
    expect(compareSequenceNumbers(record.dynamodb!.SequenceNumber!, first)).toBeGreaterThanOrEqual(0);
    expect(compareSequenceNumbers(record.dynamodb!.SequenceNumber!, last)).toBeLessThanOrEqual(0);
  }
  expect(handed.map((r) => r.dynamodb!.SequenceNumber)).toEqual(
    expect.arrayContaining(records.map((r) => r.dynamodb!.SequenceNumber)),
  );
  expect((await auditActions(id)).sort()).toEqual(['CREATE', 'UPDATE']);

  // Act: the same message again (a replay interrupted after the invoke, before the delete)
  const again = await replayStreamDeadLetters({
    queue: memoryQueue([message]),
    stream: dynamoDbStreamRecords(streams),
    invoker: auditWriter(),
  });
  // Assess: at most once per record
  expect(again.map((o) => o.result)).toEqual(['replayed']);
  expect((await auditActions(id)).sort()).toEqual(['CREATE', 'UPDATE']);
});

test('a dry run reads and reports, invokes and deletes nothing', async () => {
  // Prepare
  const { id, records } = await changedExecutor();
  const message = await deadLetter(records);
  const queue = memoryQueue([message]);
  const writer = auditWriter();
  // Act
  const outcomes = await replayStreamDeadLetters({
    queue,
    stream: dynamoDbStreamRecords(streams),
    invoker: writer,
    dryRun: true,
  });
  // Assess
  expect(outcomes.map((o) => [o.result, o.records > 0])).toEqual([['would replay', true]]);
  expect(queue.held).toEqual([message]);
  expect(writer.events).toEqual([]);
  expect(await auditActions(id)).toEqual([]);
});

test('records the stream no longer holds, a consumer that refuses them, and a message that is no stream failure are kept, with the reason', async () => {
  // Prepare
  const { records } = await changedExecutor();
  const gone = await deadLetter(records, 'shardId-00000000000000000000-00000000');
  const refused = await deadLetter(records);
  const foreign = {
    receipt: randomUUID(),
    body: JSON.stringify({ 'detail-type': 'flowplane.command.updateWorkflow' }),
  };
  const queue = memoryQueue([gone, refused, foreign]);
  const refusing: ConsumerInvoker = {
    invoke: async (_arn, event) => ({
      failure: batchFailure({ batchItemFailures: [{ itemIdentifier: event.Records[0].dynamodb!.SequenceNumber! }] }),
    }),
  };
  // Act
  const outcomes = await replayStreamDeadLetters({ queue, stream: dynamoDbStreamRecords(streams), invoker: refusing });
  // Assess
  expect(outcomes.map((o) => [o.result, o.reason])).toEqual([
    ['kept', expect.stringContaining('the stream no longer holds these records')],
    ['kept', expect.stringContaining('the function reported record')],
    ['kept', 'no DDBStreamBatchInfo: not a stream failure record'],
  ]);
  expect(queue.held).toEqual([gone, refused, foreign]);
});
