/**
 * The same handlers invoked without HTTP: a direct invoke, an EventBridge event and an
 * SQS batch land the same change as the HTTP route; HTTP API (v2) events work for every
 * executor route.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as deleteHandler } from '../../functions/executors/delete.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { executorKey } from '../../functions/store/keys.js';
import { countDynamoRequests, httpApiEvent, invoke, lambdaContext, newOrganization, rawItem, restEvent, sqsEvent } from '../support/api.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;
let org: Org;
beforeAll(async () => {
  org = await newOrganization();
});

const config = (name: string, description: string) => ({
  name,
  description,
  baseUrl: 'https://api.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication: { type: 'bearer', config: { token: 's3cr3t-token' } },
});

async function createExecutor(): Promise<{ id: string; name: string }> {
  const reply = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: { name: `cmd-${randomUUID()}` } }));
  return reply.body;
}

/** What HTTP makes of a PATCH, minus the timestamps, for comparing transports. */
function comparable(item: Record<string, unknown> | undefined): Record<string, unknown> {
  const { updatedAt, updatedBy, authSecrets, ...rest } = item ?? {};
  return { ...rest, secretKeys: Object.keys((authSecrets as object) ?? {}) };
}

const envelope = (id: string, body: unknown) => ({ organizationId: org.organizationId, params: { id }, body, actor: 'test-suite' });

const eventBridge = (detail: unknown): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'flowplane.command',
  source: 'flowplane.test',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'local',
  resources: [],
  detail,
});

const sqs = sqsEvent;

test('direct invoke, EventBridge and SQS land the same change as HTTP, with one write each', async () => {
  // Prepare
  const viaHttp = await createExecutor();
  const viaDirect = await createExecutor();
  const viaEvents = await createExecutor();
  const viaSqs = await createExecutor();
  await invoke(getHandler, restEvent({ method: 'GET', path: '/x', pathParameters: { id: viaHttp.id }, headers: { 'X-API-Key': org.apiKey } }));
  const counter = countDynamoRequests();
  // Act
  const http = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${viaHttp.id}`, pathParameters: { id: viaHttp.id }, headers: { 'X-API-Key': org.apiKey }, body: config(viaHttp.name, 'same') }));
  const direct = await updateHandler(envelope(viaDirect.id, config(viaDirect.name, 'same')), lambdaContext());
  const bus = await updateHandler(eventBridge(envelope(viaEvents.id, config(viaEvents.name, 'same'))), lambdaContext());
  const queue = await updateHandler(sqs([JSON.stringify(envelope(viaSqs.id, config(viaSqs.name, 'same')))]), lambdaContext());
  counter.stop();
  // Assess
  expect(http.status).toBe(200);
  expect(direct).toMatchObject({ id: viaDirect.id, description: 'same', status: 'configured' });
  expect(bus).toMatchObject({ id: viaEvents.id, description: 'same' });
  expect(queue).toEqual({ batchItemFailures: [] });
  // One write each; the redelivering transports (EventBridge, SQS) also record the command once (issue 14).
  expect(counter.sent).toEqual([
    'UpdateItemCommand',
    'UpdateItemCommand',
    ...['PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
    ...['PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
  ]);
  const reference = comparable(await rawItem(executorKey(org.organizationId, viaHttp.id)));
  for (const { id, name } of [viaDirect, viaEvents, viaSqs]) {
    const item = comparable(await rawItem(executorKey(org.organizationId, id)));
    expect({ ...item, id: 'x', name: 'x', pk: 'x', gsi1sk: 'x', createdAt: 'x' }).toEqual({ ...reference, id: 'x', name: 'x', pk: 'x', gsi1sk: 'x', createdAt: 'x' });
    expect(item.name).toBe(name);
    expect((await rawItem(executorKey(org.organizationId, id)))?.updatedBy).toBe('test-suite');
  }
});

test('an SQS batch reports no refused record (refusals are never retried); the good ones land once', async () => {
  // Prepare
  const good1 = await createExecutor();
  const good2 = await createExecutor();
  const event = sqs([
    JSON.stringify(envelope(good1.id, config(good1.name, 'good 1'))),
    'not json',
    JSON.stringify(envelope(randomUUID(), config('nobody', 'missing executor'))),
    JSON.stringify(envelope(good2.id, config(good2.name, 'good 2'))),
    JSON.stringify({ ...envelope(good2.id, config(good2.name, 'x')), organizationId: 'bad org!' }),
    JSON.stringify(envelope(good2.id, { name: good2.name })),
  ]);
  // Act
  const result = await updateHandler(event, lambdaContext());
  // Assess
  expect(result.batchItemFailures).toEqual([]);
  expect((await rawItem(executorKey(org.organizationId, good1.id)))?.description).toBe('good 1');
  expect((await rawItem(executorKey(org.organizationId, good2.id)))?.description).toBe('good 2');
});

test('a refused direct command returns a typed error object and writes nothing', async () => {
  const target = await createExecutor();
  const before = await rawItem(executorKey(org.organizationId, target.id));
  const result = await updateHandler(envelope(target.id, { name: target.name, baseUrl: 'nope' }), lambdaContext());
  expect(result).toMatchObject({ error: true, type: 'RequestValidationError', status: 400, code: 'FLK-0263', violations: expect.any(Array) });
  expect(result.violations.length).toBeGreaterThanOrEqual(3);
  expect(await rawItem(executorKey(org.organizationId, target.id))).toEqual(before);
  const foreign = await updateHandler({ ...envelope(target.id, config(target.name, 'x')), organizationId: 'someone-else' }, lambdaContext());
  expect(foreign).toMatchObject({ error: true, status: 404, code: 'FLK-0250' });
});

test('lifecycle handlers take commands too', async () => {
  const target = await createExecutor();
  const result = await activateHandler({ organizationId: org.organizationId, params: { id: target.id } }, lambdaContext());
  expect(result).toMatchObject({ error: true, status: 422, code: 'FLK-0252' });
  const deleted = await deleteHandler({ organizationId: org.organizationId, params: { id: target.id } }, lambdaContext());
  expect(deleted).toBeNull();
  expect(await rawItem(executorKey(org.organizationId, target.id))).toBeUndefined();
});

test('read-only routes refuse non-HTTP events', async () => {
  await expect(getHandler({ organizationId: org.organizationId, params: { id: randomUUID() } }, lambdaContext())).rejects.toThrow(/only serves HTTP/);
});

test('every executor route answers HTTP API (v2) events', async () => {
  const headers = { 'x-api-key': org.apiKey };
  const created = await invoke(createHandler, httpApiEvent({ method: 'POST', path: '/v1/executors', headers, body: config(`v2-${randomUUID()}`, 'v2') }));
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await invoke(getHandler, httpApiEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers }))).status).toBe(200);
  expect((await invoke(listHandler, httpApiEvent({ method: 'GET', path: '/v1/executors', query: { limit: '5' }, headers }))).status).toBe(200);
  expect((await invoke(updateHandler, httpApiEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers, body: config(created.body.name, 'v2 again') }))).body.description).toBe('v2 again');
  expect((await invoke(activateHandler, httpApiEvent({ method: 'POST', path: `/v1/executors/${id}/activate`, pathParameters: { id }, headers }))).status).toBe(422);
  expect((await invoke(deleteHandler, httpApiEvent({ method: 'DELETE', path: `/v1/executors/${id}`, pathParameters: { id }, headers }))).status).toBe(204);
});
