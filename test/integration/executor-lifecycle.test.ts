/** List, delete and the executor state machine through the real handlers. */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as deleteHandler } from '../../functions/executors/delete.js';
import { handler as disableHandler } from '../../functions/executors/disable.js';
import { handler as enableHandler } from '../../functions/executors/enable.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { handler as testHandler } from '../../functions/executors/test.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey, executorNameKey } from '../../functions/store/keys.js';
import { executorListOutput, executorTestOutput } from '../../schemas/executor.js';
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

  test('a page that ends exactly at the last executor says there is no more', async () => {
    const reply = await list(org, { limit: '5' });
    expect(reply.body.items).toHaveLength(5);
    expect(reply.body).toMatchObject({ nextCursor: null, hasMore: false });
    const fewer = await list(org, { limit: '4' });
    expect(fewer.body.hasMore).toBe(true);
    const rest = await list(org, { limit: '4', cursor: fewer.body.nextCursor });
    expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4]]);
    expect(rest.body).toMatchObject({ nextCursor: null, hasMore: false });
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

describe('connectivity test route and the SSRF guard at write time', () => {
  let org: Org;
  let service: Server;
  let seen: string[];
  let baseUrl: string;
  beforeAll(async () => {
    org = await newOrganization();
    seen = [];
    service = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.statusCode = req.headers.authorization === 'Bearer s3cr3t-token' || req.url === '/' ? 200 : 401;
      res.end('{}');
    });
    service.listen(0, '127.0.0.1');
    await once(service, 'listening');
    baseUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.ALLOW_PRIVATE_TARGETS;
    await new Promise((r) => service.close(r));
  });
  afterEach(() => {
    delete process.env.ALLOW_PRIVATE_TARGETS;
  });

  const body = (name: string, token: string) => ({
    name,
    baseUrl,
    endpoints: [{ name: 'probe', path: '/probe', method: 'GET', timeout: 2 }],
    authentication: { type: 'bearer', config: { token } },
  });
  const runTest = byId(testHandler, 'POST', '/test');

  test('a passing test decrypts the secret, calls the service, sets lastTestedAt and moves configured → tested', async () => {
    process.env.ALLOW_PRIVATE_TARGETS = 'true';
    const executor = await create(org, body(`t-${randomUUID()}`, 's3cr3t-token'));
    const reply = await runTest(org, executor.id);
    expect(reply.status).toBe(200);
    assertFits(executorTestOutput, reply.body);
    expect(reply.body).toMatchObject({ executorId: executor.id, overall: 'passed', status: 'tested' });
    expect(seen).toContain('GET /probe Bearer s3cr3t-token');
    expect((await get(org, executor.id)).body).toMatchObject({ status: 'tested', lastTestedAt: reply.body.testedAt });
    expect((await activate(org, executor.id)).body.status).toBe('active');
  });

  test('a failing test records lastTestedAt but keeps the status', async () => {
    process.env.ALLOW_PRIVATE_TARGETS = 'true';
    const executor = await create(org, body(`f-${randomUUID()}`, 's3cr3t-wrong'));
    const reply = await runTest(org, executor.id);
    expect(reply.body).toMatchObject({ overall: 'partial', status: 'configured' });
    expect((await get(org, executor.id)).body.lastTestedAt).toBe(reply.body.testedAt);
  });

  test('an unconfigured executor cannot be tested (422 FLK-0252)', async () => {
    const executor = await create(org, { name: `u-${randomUUID()}` });
    expect(await runTest(org, executor.id)).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
  });

  test('with the guard on, the test refuses the loopback service before connecting', async () => {
    process.env.ALLOW_PRIVATE_TARGETS = 'true';
    const executor = await create(org, body(`g-${randomUUID()}`, 's3cr3t-token'));
    delete process.env.ALLOW_PRIVATE_TARGETS;
    const before = seen.length;
    const reply = await runTest(org, executor.id);
    expect(reply.body).toMatchObject({ overall: 'failed', status: 'configured' });
    expect(reply.body.stages[0].reason).toContain('not allowed');
    expect(seen.length).toBe(before);
  });

  test.each(['http://127.0.0.1:8080', 'http://169.254.169.254', 'http://[::ffff:7f00:1]/', 'http://2130706433/'])(
    'a literal internal baseUrl %s → 422 FLK-0277 on create and on PATCH',
    async (url) => {
      const created = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: { ...complete(`ssrf-${randomUUID()}`), baseUrl: url } }));
      expect(created).toMatchObject({ status: 422, body: { code: 'FLK-0277', fields: { '/baseUrl': expect.any(String) } } });
      const executor = await create(org, complete(`ok-${randomUUID()}`));
      const patched = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${executor.id}`, pathParameters: { id: executor.id }, headers: { 'X-API-Key': org.apiKey }, body: { ...complete(executor.name), baseUrl: url } }));
      expect(patched).toMatchObject({ status: 422, body: { code: 'FLK-0277' } });
    },
  );
});
