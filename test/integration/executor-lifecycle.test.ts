/** List, delete and the executor state machine through the real handlers. */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as deleteHandler } from '../../functions/executors/delete.js';
import { handler as disableHandler } from '../../functions/executors/disable.js';
import { handler as enableHandler } from '../../functions/executors/enable.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey, executorNameKey } from '../../functions/store/keys.js';
import { executorListOutput } from '../../schemas/executor.js';
import { countDynamoRequests, invoke, newOrganization, rawItem, restEvent } from '../support/api.js';
import { assertFits, assertFlowkerReply } from '../support/schemas.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;

const complete = (name: string) => ({
  name,
  baseUrl: 'https://api.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication: { type: 'none' },
});

async function create(org: Org, body: unknown) {
  const reply = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body }));
  return reply.body;
}

const byId = (handler: typeof getHandler, method: string, suffix = '') => (org: Org, id: string, headers: Record<string, string> = {}) =>
  invoke(handler, restEvent({ method, path: `/v1/executors/${id}${suffix}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey, ...headers } }));
const get = byId(getHandler, 'GET');
const remove = byId(deleteHandler, 'DELETE');
const activate = byId(activateHandler, 'POST', '/activate');
const disable = byId(disableHandler, 'POST', '/disable');
const enable = byId(enableHandler, 'POST', '/enable');

const list = (org: Org, query: Record<string, string> = {}) =>
  invoke(listHandler, restEvent({ method: 'GET', path: '/v1/executors', query, headers: { 'X-API-Key': org.apiKey } }));

async function setStatus(org: Org, id: string, status: string) {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: executorKey(org.organizationId, id),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status },
    }),
  );
}

describe('list', () => {
  let org: Org;
  const ids: string[] = [];
  beforeAll(async () => {
    org = await newOrganization();
    for (let i = 0; i < 5; i += 1) ids.push((await create(org, i % 2 ? complete(`e-${i}`) : { name: `e-${i}` })).id);
    await create(await newOrganization(), { name: 'someone else' });
  });

  test('pages through every executor of the organization exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await list(org, { limit: '2', ...(cursor ? { cursor } : {}) });
      expect(reply.status).toBe(200);
      assertFits(executorListOutput, reply.body);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.items.map((e: { id: string }) => e.id));
      cursor = reply.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  test('filters by status', async () => {
    const reply = await list(org, { status: 'configured', limit: '100' });
    expect(reply.body.items.map((e: { status: string }) => e.status)).toEqual(['configured', 'configured']);
    expect(reply.body.hasMore).toBe(false);
  });

  test.each([['0'], ['101'], ['ten'], ['-1'], ['1.5']])('limit=%s → 400 FLK-0309', async (limit) => {
    const reply = await list(org, { limit });
    expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0309', fields: { '/limit': expect.any(String) } } });
  });

  test.each([
    ['garbage', 'not-a-cursor'],
    ['another organization', Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'ORG#other#EXECUTORS', gsi1sk: 'z' })).toString('base64url')],
    ['extra fields', Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'ORG#x#EXECUTORS', gsi1sk: 'z', evil: 1 })).toString('base64url')],
  ])('a %s cursor → 400 FLK-0304', async (_label, cursor) => {
    expect(await list(org, { cursor })).toMatchObject({ status: 400, body: { code: 'FLK-0304' } });
  });

  test('an unknown status → 400 FLK-0304', async () => {
    expect(await list(org, { status: 'sleeping' })).toMatchObject({ status: 400, body: { code: 'FLK-0304' } });
  });
});

describe('delete', () => {
  let org: Org;
  beforeAll(async () => {
    org = await newOrganization();
  });

  test('204, then 404 everywhere, and the name is free again', async () => {
    const executor = await create(org, complete(`gone-${randomUUID()}`));
    expect((await remove(org, executor.id)).status).toBe(204);
    expect((await get(org, executor.id)).status).toBe(404);
    expect(await rawItem(executorNameKey(org.organizationId, executor.name))).toBeUndefined();
    expect((await remove(org, executor.id)).body).toMatchObject({ code: 'FLK-0250' });
    expect((await create(org, complete(executor.name))).name).toBe(executor.name);
  });

  test.each(['tested', 'active'])('refused in %s with 422 FLK-0252', async (status) => {
    const executor = await create(org, complete(`keep-${randomUUID()}`));
    await setStatus(org, executor.id, status);
    const reply = await remove(org, executor.id);
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
    expect(await rawItem(executorKey(org.organizationId, executor.id))).toBeDefined();
  });

  test('allowed when disabled', async () => {
    const executor = await create(org, complete(`off-${randomUUID()}`));
    await setStatus(org, executor.id, 'disabled');
    expect((await remove(org, executor.id)).status).toBe(204);
  });

  test("another organization's executor is a 404 and stays", async () => {
    const executor = await create(org, complete(`mine-${randomUUID()}`));
    expect((await remove(await newOrganization(), executor.id)).status).toBe(404);
    expect((await get(org, executor.id)).status).toBe(200);
  });
});

describe('state machine', () => {
  let org: Org;
  beforeAll(async () => {
    org = await newOrganization();
  });

  test('tested → active → disabled → active, each one conditional write', async () => {
    const executor = await create(org, complete(`sm-${randomUUID()}`));
    await setStatus(org, executor.id, 'tested');
    await get(org, executor.id);
    const counter = countDynamoRequests();
    try {
      const steps = [activate, disable, enable];
      const expected = ['active', 'disabled', 'active'];
      for (const [i, step] of steps.entries()) {
        counter.reset();
        const reply = await step(org, executor.id);
        assertFlowkerReply(reply);
        expect(reply.body.status).toBe(expected[i]);
        expect(counter.sent).toEqual(['UpdateItemCommand']);
      }
    } finally {
      counter.stop();
    }
  });

  test.each([
    ['activate', 'configured', activate],
    ['disable', 'tested', disable],
    ['enable', 'active', enable],
    ['activate', 'unconfigured', activate],
  ])('%s from %s → 422 FLK-0252 naming the status', async (_action, status, step) => {
    const executor = await create(org, complete(`bad-${randomUUID()}`));
    await setStatus(org, executor.id, status);
    const before = await rawItem(executorKey(org.organizationId, executor.id));
    const reply = await step(org, executor.id);
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252', message: expect.stringContaining(status) } });
    expect(await rawItem(executorKey(org.organizationId, executor.id))).toEqual(before);
  });

  test('a missing executor → 404; a stale If-Match → 412', async () => {
    expect((await activate(org, randomUUID())).status).toBe(404);
    const executor = await create(org, complete(`etag-${randomUUID()}`));
    await setStatus(org, executor.id, 'tested');
    expect((await activate(org, executor.id, { 'If-Match': '"99"' })).status).toBe(412);
  });
});
