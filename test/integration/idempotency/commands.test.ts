/**
 * Commands apply once however often delivered: the same SQS batch twice (message ids),
 * the same EventBridge event twice (event id), the same direct invoke twice (the
 * envelope's `idempotencyKey`) each bump a workflow's version once and leave one event
 * and one audit entry per change; a direct invoke without a key applies every time, as
 * before.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { handler as activateHandler } from '../../../functions/executors/activate.js';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as deployHandler } from '../../../functions/workflows/deploy.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../../functions/store/client.js';
import { executorKey, workflowKey } from '../../../functions/store/keys.js';
import { invoke, lambdaContext, newOrganization, rawItem, restEvent, sqsEvent } from '../../support/api.js';
import {
  auditEntriesOf,
  organizationRecords,
  runConsumers,
  sinkEventsAbout,
  useEventSink,
} from '../../support/streams.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;
let org: Org;
let sink: string;

beforeAll(async () => {
  org = await newOrganization();
  sink = useEventSink();
});

async function workflow(): Promise<string> {
  const reply = await invoke(
    createWorkflowHandler,
    restEvent({
      method: 'POST',
      path: '/v1/workflows',
      headers: { 'x-api-key': org.apiKey },
      body: { name: `cmd-${randomUUID()}` },
    }),
  );
  return reply.body.id;
}

async function versionsOf(id: string): Promise<number[]> {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': workflowKey(org.organizationId, id).pk, ':v': 'VERSION#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => item.version);
}

const deployCommand = (id: string, extra: Record<string, unknown> = {}) => ({
  organizationId: org.organizationId,
  params: { workflow_id: id },
  ...extra,
});
const eventBridge = (detail: unknown, id = randomUUID()): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id,
  'detail-type': 'flowplane.command.deployWorkflow',
  source: 'release-pipeline',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'local',
  resources: [],
  detail,
});

test('the same SQS batch delivered twice: each command applies once, one event and one audit entry per change', async () => {
  // Prepare
  const [first, second] = [await workflow(), await workflow()];
  const batch: SQSEvent = sqsEvent([JSON.stringify(deployCommand(first)), JSON.stringify(deployCommand(second))]);
  // Act
  const delivered = await deployHandler(batch, lambdaContext());
  const redelivered = await deployHandler(batch, lambdaContext());
  // Assess
  expect([delivered, redelivered]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  expect([await versionsOf(first), await versionsOf(second)]).toEqual([
    [1, 2],
    [1, 2],
  ]);
  await runConsumers(await organizationRecords(org.organizationId));
  for (const id of [first, second]) {
    expect(
      sinkEventsAbout(sink, id)
        .filter((event) => event['detail-type'] === 'WorkflowDeployed')
        .map((event) => event.detail.version),
    ).toEqual([1, 2]);
    expect(await auditEntriesOf(org.organizationId, id)).toHaveLength(4);
  }
});

test('the same EventBridge event twice: applied once; the repeat returns the first output', async () => {
  // Prepare
  const id = await workflow();
  const event = eventBridge(deployCommand(id));
  // Act
  const first = await deployHandler(event, lambdaContext());
  const repeat = await deployHandler(event, lambdaContext());
  const another = await deployHandler(eventBridge(deployCommand(id)), lambdaContext());
  // Assess
  expect(first).toMatchObject({ version: 2 });
  expect(repeat).toEqual(first);
  expect(another).toMatchObject({ version: 3 });
  expect(await versionsOf(id)).toEqual([1, 2, 3]);
});

test("a direct invoke with the envelope's idempotencyKey applies once; without one, every time", async () => {
  // Prepare
  const id = await workflow();
  const key = randomUUID();
  // Act
  const keyed = [
    await deployHandler(deployCommand(id, { idempotencyKey: key }), lambdaContext()),
    await deployHandler(deployCommand(id, { idempotencyKey: key }), lambdaContext()),
  ];
  const plain = [
    await deployHandler(deployCommand(id), lambdaContext()),
    await deployHandler(deployCommand(id), lambdaContext()),
  ];
  // Assess
  expect(keyed[1]).toEqual(keyed[0]);
  expect([...keyed, ...plain].map((output) => output.version)).toEqual([2, 2, 3, 4]);
});

test('an SQS envelope naming its own idempotencyKey applies once across two messages; a staged PATCH command too', async () => {
  // Prepare
  const id = await workflow();
  const key = randomUUID();
  const patch = JSON.stringify({
    organizationId: org.organizationId,
    params: { workflow_id: id },
    query: { deploy: 'true' },
    body: { description: 'once' },
    idempotencyKey: key,
  });
  // Act
  const results = [
    await updateWorkflowHandler(sqsEvent([patch]), lambdaContext()),
    await updateWorkflowHandler(sqsEvent([patch]), lambdaContext()),
  ];
  // Assess
  expect(results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  expect(await versionsOf(id)).toEqual([1, 2]);
  expect((await rawItem(workflowKey(org.organizationId, id)))?.revision).toBe(2);
});

test('a lifecycle command redelivered by EventBridge answers the first output, not a refusal', async () => {
  // Prepare
  const created = await invoke(
    createExecutorHandler,
    restEvent({
      method: 'POST',
      path: '/v1/executors',
      headers: { 'X-API-Key': org.apiKey },
      body: { name: `life-${randomUUID()}` },
    }),
  );
  const id = created.body.id;
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: executorKey(org.organizationId, id),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'tested' },
    }),
  );
  const event = {
    ...eventBridge({ organizationId: org.organizationId, params: { id } }),
    'detail-type': 'flowplane.command.activateExecutorConfiguration',
  };
  // Act
  const first = await activateHandler(event, lambdaContext());
  const repeat = await activateHandler(event, lambdaContext());
  // Assess
  expect(first).toMatchObject({ id, status: 'active' });
  expect(repeat).toEqual(first);
  // Created at version 1, activated once: version 2.
  expect((await rawItem(executorKey(org.organizationId, id)))?.version).toBe(2);
});
