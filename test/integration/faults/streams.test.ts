/**
 * The stream consumers under faults: an audit write that DynamoDB throttles, and a
 * PutEvents that EventBridge throttles (a stand-in EventBridge behind the same fault
 * proxy), make the batch retry from the record that failed; nothing after it is skipped
 * and nothing before it repeats; the redelivery writes each entry and event once. An
 * idempotency record on the stream is passed by.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { type FaultProxy, startFaultProxy } from '../../support/fault-proxy.js';
import { proxiedDynamoDb } from '../../support/faults.js';
import { executorItem, streamEvent, streamRecord } from '../../support/stream-records.js';

const dynamo = proxiedDynamoDb();

type Handler = (event: any, context: any) => Promise<any>;
let api: typeof import('../../support/api.js');
let keys: typeof import('../../../functions/store/keys.js');
let streams: typeof import('../../support/streams.js');
let auditHandler: Handler;
let publishHandler: Handler;
const organizationId = `org-${randomUUID()}`;

/** A stand-in EventBridge: accepts PutEvents, remembering each entry; its fault proxy sits in front. */
let eventBridge: Server;
let eventBridgeProxy: FaultProxy;
const received: { DetailType: string; Detail: string }[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  eventBridge = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { Entries } = JSON.parse(body) as { Entries: { DetailType: string; Detail: string }[] };
      received.push(...Entries);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: randomUUID() })) }));
    });
  });
  eventBridge.listen(0, '127.0.0.1');
  await once(eventBridge, 'listening');
  eventBridgeProxy = await startFaultProxy(`http://127.0.0.1:${(eventBridge.address() as AddressInfo).port}`);
  for (const name of [
    'EVENTS_SINK_FILE',
    'EVENT_BUS_NAME',
    'AWS_ENDPOINT_URL_EVENTBRIDGE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ])
    saved[name] = process.env[name];
  delete process.env.EVENTS_SINK_FILE;
  Object.assign(process.env, {
    EVENT_BUS_NAME: 'flowplane-test',
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridgeProxy.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  api = await import('../../support/api.js');
  keys = await import('../../../functions/store/keys.js');
  streams = await import('../../support/streams.js');
  auditHandler = (await import('../../../functions/streams/write-audit.js')).handler;
  publishHandler = (await import('../../../functions/streams/publish-events.js')).handler;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await eventBridgeProxy.stop();
  await new Promise((resolve) => eventBridge.close(resolve));
});

/** Three executor creations, in shard order. */
function batch() {
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const records = ids.map((id) =>
    streamRecord('INSERT', { new: executorItem({ organizationId, id, name: `s-${id}` }) }),
  );
  return { ids, records };
}

const sequenceOf = (record: { dynamodb?: { SequenceNumber?: string } }) => record.dynamodb?.SequenceNumber;

test('audit writer: a throttled append retries the batch from its record; the redelivery appends each entry once', async () => {
  // Prepare
  const { ids, records } = batch();
  // The second record's append is throttled past the SDK's three attempts; the first one's lands.
  dynamo.inject({ kind: 'throttle', operations: ['PutItem'], after: 1, count: 3 });
  // Act
  const failed = await auditHandler(streamEvent(...records), api.lambdaContext());
  dynamo.clear();
  const from = records.findIndex((record) => sequenceOf(record) === failed.batchItemFailures[0]?.itemIdentifier);
  const redelivered = await auditHandler(streamEvent(...records.slice(from)), api.lambdaContext());
  const replayedWhole = await auditHandler(streamEvent(...records), api.lambdaContext());
  // Assess
  expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(records[1]) }] });
  expect(redelivered).toEqual({ batchItemFailures: [] });
  expect(replayedWhole).toEqual({ batchItemFailures: [] });
  for (const id of ids) expect(await streams.auditEntriesOf(organizationId, id)).toHaveLength(1);
});

test('publisher: a throttled PutEvents retries the batch from the first record with an event; the redelivery publishes each once', async () => {
  // Prepare
  const { ids, records } = batch();
  received.length = 0;
  eventBridgeProxy.inject({ kind: 'throttling', operations: ['PutEvents'] });
  // Act
  const failed = await publishHandler(streamEvent(...records), api.lambdaContext());
  const whileThrottled = received.length;
  eventBridgeProxy.clear();
  const redelivered = await publishHandler(streamEvent(...records), api.lambdaContext());
  // Assess
  expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(records[0]) }] });
  expect(whileThrottled).toBe(0);
  expect(eventBridgeProxy.faulted.PutEvents).toBe(3);
  expect(redelivered).toEqual({ batchItemFailures: [] });
  expect(received.map((entry) => JSON.parse(entry.Detail).resourceId)).toEqual(ids);
});

test('publisher: a tombstone read throttled on a deletion stops the batch there; records before it are published', async () => {
  // Prepare
  const { ids, records } = batch();
  const deleted = executorItem({ organizationId, id: ids[2] });
  const removal = streamRecord('REMOVE', { old: deleted });
  received.length = 0;
  dynamo.inject({ kind: 'throttle', operations: ['GetItem'] });
  // Act
  const failed = await publishHandler(streamEvent(records[0], records[1], removal), api.lambdaContext());
  dynamo.clear();
  // Assess
  expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(removal) }] });
  expect(received.map((entry) => JSON.parse(entry.Detail).resourceId)).toEqual([ids[0], ids[1]]);
});

test('an idempotency record on the stream yields no event and no audit entry', async () => {
  // Prepare
  const item = {
    ...keys.idempotencyRecordKey(`${keys.idempotencyKeyPrefix(organizationId, 'createWorkflow')}#abc`),
    status: 'COMPLETED',
    expiresAt: 1,
    result: { gz: 'x' },
  };
  const records = [
    streamRecord('INSERT', { new: { ...item, status: 'INPROGRESS' } }),
    streamRecord('MODIFY', { old: { ...item, status: 'INPROGRESS' }, new: item }),
    streamRecord('REMOVE', { old: item }),
  ];
  received.length = 0;
  // Act
  const published = await publishHandler(streamEvent(...records), api.lambdaContext());
  const audited = await auditHandler(streamEvent(...records), api.lambdaContext());
  // Assess
  expect([published, audited]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  expect(received).toEqual([]);
});
