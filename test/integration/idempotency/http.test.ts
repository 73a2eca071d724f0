/**
 * `Idempotency-Key` over HTTP on the real handlers: the same create or deploy sent twice
 * and ten times at once applies once (one resource, one version bump, one event, one
 * audit entry) and every repeat gets the first answer (status, body, ETag); the same key
 * with another body is a 422 in the route's dialect; a repeat still in progress is a 409
 * with Retry-After; without the header nothing changes (no extra DynamoDB request);
 * keys are per organization; records expire by TTL; the key is never logged; the stream
 * consumers pass idempotency records by.
 */
import { createHash, randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as activateHandler } from '../../../functions/executors/activate.js';
import { handler as updateExecutorHandler } from '../../../functions/executors/update.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as deployHandler } from '../../../functions/workflows/deploy.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { getDocumentClient, tableName } from '../../../functions/store/client.js';
import {
  executorNameKey,
  idempotencyKeyPrefix,
  workflowKey,
  workflowsByOrganization,
} from '../../../functions/store/keys.js';
import { countDynamoRequests, invoke, newOrganization, rawItem, restEvent } from '../../support/api.js';
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

const executorBody = (name: string) => ({ name, description: 'once' });
const createExecutor = (who: Org, body: unknown, key?: string) =>
  invoke(
    createExecutorHandler,
    restEvent({
      method: 'POST',
      path: '/v1/executors',
      headers: { 'X-API-Key': who.apiKey, ...(key ? { 'Idempotency-Key': key } : {}) },
      body,
    }),
  );
const createWorkflow = (who: Org, body: unknown, key?: string) =>
  invoke(
    createWorkflowHandler,
    restEvent({
      method: 'POST',
      path: '/v1/workflows',
      headers: { 'x-api-key': who.apiKey, ...(key ? { 'idempotency-key': key } : {}) },
      body,
    }),
  );
const deploy = (id: string, key?: string, query?: Record<string, string>) =>
  invoke(
    deployHandler,
    restEvent({
      method: 'PUT',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      ...(query ? { query } : {}),
      headers: { 'x-api-key': org.apiKey, ...(key ? { 'Idempotency-Key': key } : {}) },
    }),
  );
const stage = (id: string, body: unknown) =>
  invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      headers: { 'x-api-key': org.apiKey },
      body,
    }),
  );

/** The organization's executors named `name` (read straight from the index). */
async function executorsNamed(who: Org, name: string) {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: '#n = :n',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':pk': `ORG#${who.organizationId}#EXECUTORS`, ':n': name },
    }),
  );
  return Items ?? [];
}

async function workflowsNamed(name: string) {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: '#f.#n = :n',
      ExpressionAttributeNames: { '#f': 'fields', '#n': 'name' },
      ExpressionAttributeValues: {
        ':pk': workflowsByOrganization(org.organizationId).gsi1pk,
        ':n': JSON.stringify(name),
      },
    }),
  );
  return Items ?? [];
}

async function snapshotsOf(id: string) {
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

/** Feeds the organization's stream so far (idempotency records included) to both consumers. */
async function consumeStream() {
  const records = await organizationRecords(org.organizationId);
  expect(records.some((record) => String(record.dynamodb?.Keys?.pk?.S).includes('#IDEMPOTENCY#'))).toBe(true);
  await runConsumers(records);
}

test('the same executor create sent twice: one executor, the same answer twice, one event and one audit entry', async () => {
  // Prepare
  const name = `once-${randomUUID()}`;
  const key = `key-${randomUUID()}`;
  // Act
  const first = await createExecutor(org, executorBody(name), key);
  const counter = countDynamoRequests();
  const repeat = await createExecutor(org, executorBody(name), key);
  counter.stop();
  // Assess
  expect(first.status).toBe(201);
  expect(repeat).toEqual(first);
  expect(counter.sent).toEqual(['PutItemCommand']);
  expect(await executorsNamed(org, name)).toHaveLength(1);
  await consumeStream();
  expect(sinkEventsAbout(sink, first.body.id).map((event) => event['detail-type'])).toEqual([
    'ExecutorConfigurationCreated',
  ]);
  expect(await auditEntriesOf(org.organizationId, first.body.id)).toHaveLength(1);
});

test('ten concurrent executor creates with one key: one executor; every answer is the first or a 409 with Retry-After', async () => {
  // Prepare
  const name = `ten-${randomUUID()}`;
  const key = randomUUID();
  // Act
  const replies = await Promise.all(Array.from({ length: 10 }, () => createExecutor(org, executorBody(name), key)));
  const settled = await createExecutor(org, executorBody(name), key);
  // Assess
  const created = replies.filter((reply) => reply.status === 201);
  expect(created.length).toBeGreaterThanOrEqual(1);
  for (const reply of created) expect(reply).toEqual(settled);
  for (const reply of replies.filter((r) => r.status !== 201)) {
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('FLK-0351');
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }
  expect(await executorsNamed(org, name)).toHaveLength(1);
});

test('the same workflow create and deploy, each sent twice and ten times at once: one workflow, one version bump, one event, one audit entry', async () => {
  // Prepare
  const name = `wf-${randomUUID()}`;
  const createKey = randomUUID();
  const deployKey = randomUUID();
  // Act
  const creates = await Promise.all(Array.from({ length: 10 }, () => createWorkflow(org, { name }, createKey)));
  const created = await createWorkflow(org, { name }, createKey);
  const id = created.body.id as string;
  expect((await stage(id, { description: 'next' })).status).toBe(200);
  const deploys = await Promise.all(Array.from({ length: 10 }, () => deploy(id, deployKey)));
  const deployed = await deploy(id, deployKey);
  // Assess
  expect(created.status).toBe(201);
  for (const reply of creates) {
    if (reply.status === 201) expect(reply).toEqual(created);
    else
      expect([reply.status, reply.body.detail, Number(reply.headers['retry-after']) >= 1]).toEqual([
        409,
        expect.stringMatching(/still in progress/),
        true,
      ]);
  }
  expect(await workflowsNamed(name)).toHaveLength(1);
  expect(deployed).toMatchObject({ status: 200, body: { version: 2, has_pending_changes: false } });
  for (const reply of deploys) {
    if (reply.status === 200) expect(reply).toEqual(deployed);
    else
      expect([reply.status, reply.body.detail, Number(reply.headers['retry-after']) >= 1]).toEqual([
        409,
        expect.stringMatching(/still in progress/),
        true,
      ]);
  }
  expect(await snapshotsOf(id)).toEqual([1, 2]);
  await consumeStream();
  // Once each: the create (working copy and snapshot 1), the staged change, the deploy (working copy and snapshot 2).
  expect(
    sinkEventsAbout(sink, id)
      .map((event) => event['detail-type'])
      .sort(),
  ).toEqual(['WorkflowCreated', 'WorkflowDeployed', 'WorkflowDeployed', 'WorkflowUpdated', 'WorkflowUpdated']);
  expect(await auditEntriesOf(org.organizationId, id)).toHaveLength(5);
});

test('the same key with another request: 422 in each dialect, nothing applied', async () => {
  // Prepare
  const key = randomUUID();
  const name = `a-${randomUUID()}`;
  const first = await createExecutor(org, executorBody(name), key);
  const workflow = await createWorkflow(org, { name: `w-${randomUUID()}` }, key);
  // Act
  const otherBody = await createExecutor(org, executorBody(`${name}-other`), key);
  const otherQuery = await deploy(workflow.body.id, key, { from_version: '1' });
  const sameKeyDeploy = await deploy(workflow.body.id, key);
  const otherWorkflow = await createWorkflow(org, { name: 'another' }, key);
  // Assess
  expect(first.status).toBe(201);
  expect(otherBody.status).toBe(422);
  expect(otherBody.body).toMatchObject({
    code: 'FLK-0279',
    title: 'Unprocessable Entity',
    fields: { '/Idempotency-Key': expect.any(String) },
  });
  expect(await executorsNamed(org, `${name}-other`)).toHaveLength(0);
  // A key is per route: the deploy's first use of it applies; another query under it is refused.
  expect(otherQuery.status).toBe(200);
  expect(sameKeyDeploy.status).toBe(422);
  expect(sameKeyDeploy.body.detail[0]).toMatchObject({ type: 'value_error', loc: ['header', 'Idempotency-Key'] });
  expect(otherWorkflow.status).toBe(422);
  expect(otherWorkflow.body.detail).toEqual([
    {
      type: 'value_error',
      loc: ['header', 'Idempotency-Key'],
      msg: 'Value error, this key was already used for a different request',
    },
  ]);
});

test('a malformed Idempotency-Key is a 400 (Flowker) or 422 (FastAPI), and nothing is written', async () => {
  const name = `bad-${randomUUID()}`;
  const flowker = await createExecutor(org, executorBody(name), 'has spaces in it');
  const fastApi = await createWorkflow(org, { name }, 'x'.repeat(256));
  expect([flowker.status, flowker.body.code]).toEqual([400, 'FLK-0302']);
  expect(fastApi.status).toBe(422);
  expect(fastApi.body.detail[0].loc).toEqual(['header', 'Idempotency-Key']);
  expect(await executorsNamed(org, name)).toHaveLength(0);
});

test('without the header: as before, no idempotency request, and a repeat applies again', async () => {
  // Prepare
  const created = await createExecutor(org, executorBody(`plain-${randomUUID()}`));
  const counter = countDynamoRequests();
  // Act
  const second = await createExecutor(org, executorBody(`plain-${randomUUID()}`));
  const id = (await createWorkflow(org, { name: 'plain' })).body.id;
  counter.reset();
  const deployed = [await deploy(id), await deploy(id)];
  counter.stop();
  // Assess
  expect([created.status, second.status]).toEqual([201, 201]);
  expect(deployed.map((reply) => reply.body.version)).toEqual([2, 3]);
  expect(counter.sent).toEqual([
    'GetItemCommand',
    'TransactWriteItemsCommand',
    'GetItemCommand',
    'TransactWriteItemsCommand',
  ]);
});

test('keys are per organization: the same key in another organization applies there too', async () => {
  // Prepare
  const other = await newOrganization();
  const key = randomUUID();
  const name = `shared-${randomUUID()}`;
  // Act
  const mine = await createExecutor(org, executorBody(name), key);
  const theirs = await createExecutor(other, executorBody(name), key);
  // Assess
  expect([mine.status, theirs.status]).toEqual([201, 201]);
  expect(theirs.body.id).not.toBe(mine.body.id);
  expect(await executorsNamed(other, name)).toHaveLength(1);
});

test('a record expires after IDEMPOTENCY_TTL_SECONDS (table TTL on expiresAt) and holds neither the key nor the request in clear', async () => {
  // Prepare
  process.env.IDEMPOTENCY_TTL_SECONDS = '120';
  const key = `s3cr3t-${randomUUID()}`;
  const name = `ttl-${randomUUID()}`;
  // Powertools' record key: the prefix, then the SHA-256 of the sorted scope (keys.ts).
  const hash = createHash('sha256')
    .update(JSON.stringify({ key, organizationId: org.organizationId }))
    .digest('base64');
  const recordKey = {
    pk: `${idempotencyKeyPrefix(org.organizationId, 'createExecutorConfiguration')}#${hash}`,
    sk: 'IDEMPOTENCY',
  };
  // Act
  const before = Math.floor(Date.now() / 1000);
  const reply = await createExecutor(
    org,
    { ...executorBody(name), authentication: { type: 'bearer', config: { token: 's3cr3t-token' } } },
    key,
  );
  delete process.env.IDEMPOTENCY_TTL_SECONDS;
  // Assess
  expect(reply.status).toBe(201);
  const record = await rawItem(recordKey);
  expect(record).toMatchObject({
    status: 'COMPLETED',
    expiresAt: expect.any(Number),
    requestHash: expect.any(String),
    result: { gz: expect.any(String) },
  });
  expect(Math.abs(Number(record?.expiresAt) - (before + 120))).toBeLessThanOrEqual(5);
  expect(record?.entity).toBeUndefined();
  expect(JSON.stringify(record)).not.toMatch(/s3cr3t/);
  expect(JSON.stringify(record)).not.toContain(name);
});

test('lifecycle POSTs honour the key: a repeated activate answers the first 200, not a 422', async () => {
  // Prepare
  const created = await createExecutor(org, { name: `act-${randomUUID()}` });
  const id = created.body.id;
  await getDocumentClient().send(
    new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({
      TableName: tableName(),
      Key: { pk: `ORG#${org.organizationId}#EXECUTOR#${id}`, sk: 'EXECUTOR' },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'tested' },
    }),
  );
  const key = randomUUID();
  const activate = () =>
    invoke(
      activateHandler,
      restEvent({
        method: 'POST',
        path: `/v1/executors/${id}/activate`,
        pathParameters: { id },
        headers: { 'X-API-Key': org.apiKey, 'Idempotency-Key': key },
      }),
    );
  // Act
  const first = await activate();
  const repeat = await activate();
  const unkeyed = await invoke(
    activateHandler,
    restEvent({
      method: 'POST',
      path: `/v1/executors/${id}/activate`,
      pathParameters: { id },
      headers: { 'X-API-Key': org.apiKey },
    }),
  );
  // Assess
  expect(first.status).toBe(200);
  expect(repeat).toEqual(first);
  expect(unkeyed.status).toBe(422);
});

test('a route that is naturally idempotent ignores the header (PATCH of an executor)', async () => {
  const name = `p-${randomUUID()}`;
  const id = (await createExecutor(org, { name })).body.id;
  const counter = countDynamoRequests();
  const reply = await invoke(
    updateExecutorHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers: { 'X-API-Key': org.apiKey, 'Idempotency-Key': randomUUID() },
      body: {
        name,
        baseUrl: 'https://x.example.com',
        endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
        authentication: { type: 'none', config: {} },
      },
    }),
  );
  counter.stop();
  expect(reply.status).toBe(200);
  expect(counter.sent).toEqual(['UpdateItemCommand']);
  expect(await rawItem(executorNameKey(org.organizationId, name))).toBeDefined();
});
