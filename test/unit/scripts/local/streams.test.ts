/**
 * The local stream poller (scripts/local/streams.ts) behaves like Lambda's event source
 * mapping: records in order and in batches, redelivery from the record a consumer reports
 * as failed, a record given up after its attempts; and it stops without a timer left.
 */
import { jest } from '@jest/globals';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { startStreamPoller } from '../../../../scripts/local/streams.js';
import { executorItem, streamRecord } from '../../../support/stream-records.js';

function fakeReader(batches: DynamoDBRecord[][]) {
  let reads = 0;
  return {
    reads: () => reads,
    read: async () => {
      reads += 1;
      return batches.shift() ?? [];
    },
  };
}

const records = Array.from({ length: 5 }, (_, i) =>
  streamRecord('INSERT', { new: executorItem({ version: i + 1 }) }, `rec-${i}`),
);
const seq = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber as string;

test('delivers in batches, in order, and redelivers from the first failed record', async () => {
  // Prepare
  const seen: string[][] = [];
  let failOnce = true;
  const consumer = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    seen.push(event.Records.map((r) => String(r.eventID)));
    if (failOnce && event.Records.some((r) => r.eventID === 'rec-3')) {
      failOnce = false;
      return { batchItemFailures: [{ itemIdentifier: seq(records[3]) }] };
    }
    return { batchItemFailures: [] };
  };
  const poller = startStreamPoller({
    reader: fakeReader([records]),
    consumers: [{ name: 'c', handler: consumer }],
    intervalMillis: 5,
    batchSize: 2,
  });
  // Act
  await poller.drain();
  await poller.stop();
  // Assess
  expect(seen).toEqual([
    ['rec-0', 'rec-1'],
    ['rec-2', 'rec-3'],
    ['rec-3', 'rec-4'],
  ]);
});

test('a record that keeps failing is given up after maxAttempts and the rest still flows', async () => {
  // Prepare
  const attempts = new Map<string, number>();
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const consumer = async (event: DynamoDBStreamEvent) => {
    for (const record of event.Records)
      attempts.set(String(record.eventID), (attempts.get(String(record.eventID)) ?? 0) + 1);
    if (event.Records[0].eventID === 'rec-1') throw new Error('always');
  };
  const poller = startStreamPoller({
    reader: fakeReader([records.slice(0, 3)]),
    consumers: [{ name: 'c', handler: consumer }],
    intervalMillis: 5,
    batchSize: 1,
    maxAttempts: 3,
  });
  // Act
  await poller.drain();
  await poller.stop();
  errors.mockRestore();
  // Assess
  expect(Object.fromEntries(attempts)).toEqual({ 'rec-0': 1, 'rec-1': 3, 'rec-2': 1 });
});

test('stop waits for the poll in flight and leaves no timer: no read happens afterwards', async () => {
  // Prepare
  const reader = fakeReader([]);
  const poller = startStreamPoller({ reader, consumers: [], intervalMillis: 5 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  // Act
  await poller.stop();
  const readsAtStop = reader.reads();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Assess
  expect(readsAtStop).toBeGreaterThan(1);
  expect(reader.reads()).toBe(readsAtStop);
});
