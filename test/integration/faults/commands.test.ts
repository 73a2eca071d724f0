/**
 * The command transports under DynamoDB faults: an SQS record that met an unavailable
 * DynamoDB is reported in `batchItemFailures` (SQS redelivers it) while a refused one is
 * not (never retried), and the redelivery applies it once; a direct invoke answers the
 * typed error object with status 503; an EventBridge command throws on a 503 (EventBridge
 * retries) but answers a refusal without throwing.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { proxiedDynamoDb } from '../../support/faults.js';

const dynamo = proxiedDynamoDb();

type Handler = (event: any, context: any) => Promise<any>;
let api: typeof import('../../support/api.js');
let keys: typeof import('../../../functions/store/keys.js');
let createHandler: Handler;
let deployHandler: Handler;
let org: { organizationId: string; apiKey: string };

beforeAll(async () => {
  api = await import('../../support/api.js');
  keys = await import('../../../functions/store/keys.js');
  createHandler = (await import('../../../functions/workflows/create.js')).handler;
  deployHandler = (await import('../../../functions/workflows/deploy.js')).handler;
  org = await api.newOrganization();
});

async function workflow(): Promise<string> {
  const reply = await api.invoke(
    createHandler,
    api.restEvent({
      method: 'POST',
      path: '/v1/workflows',
      headers: { 'x-api-key': org.apiKey },
      body: { name: `cmd-${randomUUID()}` },
    }),
  );
  return reply.body.id;
}

const version = async (id: string) => (await api.rawItem(keys.workflowKey(org.organizationId, id)))?.version;
const command = (id: string) => ({ organizationId: org.organizationId, params: { workflow_id: id } });
const eventBridge = (detail: unknown): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'flowplane.command.deployWorkflow',
  source: 'release-pipeline',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'local',
  resources: [],
  detail,
});

test('SQS: the record that met throttling is reported, the refused one is not, and the redelivery applies once', async () => {
  // Prepare
  const [throttled, fine] = [await workflow(), await workflow()];
  const batch = api.sqsEvent([
    JSON.stringify(command(throttled)),
    JSON.stringify(command(randomUUID())),
    JSON.stringify(command(fine)),
    'not json',
  ]);
  // The first record's deploy write is throttled past the SDK's three attempts; nothing else is.
  dynamo.inject({ kind: 'throttle', operations: ['TransactWriteItems'], count: 3 });
  // Act
  const first = await deployHandler(batch, api.lambdaContext());
  dynamo.clear();
  const redelivered = await deployHandler(
    {
      Records: batch.Records.filter((record) =>
        first.batchItemFailures.some((f: { itemIdentifier: string }) => f.itemIdentifier === record.messageId),
      ),
    },
    api.lambdaContext(),
  );
  // Assess
  expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[0].messageId }] });
  expect(redelivered).toEqual({ batchItemFailures: [] });
  expect([await version(throttled), await version(fine)]).toEqual([2, 2]);
});

test('direct invoke: a typed error object with status 503, nothing written; the retry applies', async () => {
  // Prepare
  const id = await workflow();
  dynamo.inject({ kind: 'error500' });
  // Act
  const failed = await deployHandler(command(id), api.lambdaContext());
  dynamo.clear();
  const retried = await deployHandler(command(id), api.lambdaContext());
  // Assess
  expect(failed).toEqual({
    error: true,
    type: 'UnavailableError',
    status: 503,
    code: null,
    message: expect.stringMatching(/^Service temporarily unavailable; retry after \d+ seconds$/),
    violations: [],
  });
  expect(retried).toMatchObject({ version: 2 });
  expect(await version(id)).toBe(2);
});

test('EventBridge: a 503 throws (EventBridge retries) and the retry of the same event applies once; a refusal answers without throwing', async () => {
  // Prepare
  const id = await workflow();
  const event = eventBridge(command(id));
  dynamo.inject({ kind: 'hang', operations: ['TransactWriteItems'] });
  // Act
  const thrown = await deployHandler(event, api.lambdaContext()).then(
    () => undefined,
    (error: Error) => error,
  );
  dynamo.clear();
  const retried = await deployHandler(event, api.lambdaContext());
  const again = await deployHandler(event, api.lambdaContext());
  const refused = await deployHandler(eventBridge(command(randomUUID())), api.lambdaContext());
  // Assess
  expect(thrown?.name).toBe('UnavailableError');
  expect(retried).toMatchObject({ version: 2 });
  expect(again).toEqual(retried);
  expect(await version(id)).toBe(2);
  expect(refused).toMatchObject({ error: true, status: 404 });
});
