/**
 * PATCH /v1/executors/{id} and its neighbours through the real handlers, with API
 * Gateway events, against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clearApiKeyCache } from '../../functions/auth/api-keys.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { handler as healthHandler } from '../../functions/health/get.js';
import { revokeApiKey } from '../../functions/store/api-keys.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey, executorNameKey } from '../../functions/store/keys.js';
import { countDynamoRequests, httpApiEvent, invoke, newOrganization, rawItem, restEvent } from '../support/api.js';
import { assertFlowkerReply } from '../support/schemas.js';

type Org = { organizationId: string; apiKey: string };

const completeBody = (name = `exec-${randomUUID()}`) => ({
  name,
  description: 'Serasa KYC provider for identity validation',
  baseUrl: 'https://api.serasa.com.br/v2/',
  endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST' }],
  authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
  metadata: { team: 'kyc', tier: 1 },
});

async function create(org: Org, body: unknown) {
  const reply = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body }));
  assertFlowkerReply(reply);
  return reply;
}

async function patch(org: Org, id: string, body: unknown, headers: Record<string, string> = {}, rawBody?: string) {
  const reply = await invoke(
    updateHandler,
    restEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey, ...headers }, body, rawBody }),
  );
  assertFlowkerReply(reply);
  return reply;
}

async function get(org: Org, id: string) {
  const reply = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'x-api-key': org.apiKey } }));
  assertFlowkerReply(reply);
  return reply;
}

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

let org: Org;
let other: Org;

beforeAll(async () => {
  org = await newOrganization();
  other = await newOrganization();
});

describe('create and get', () => {
  test('a complete body creates a configured executor with secrets masked', async () => {
    // Act
    const created = await create(org, completeBody('Serasa KYC'));
    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      name: 'Serasa KYC',
      baseUrl: 'https://api.serasa.com.br/v2',
      endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 30 }],
      authentication: { type: 'api_key', config: { key: '********', header: 'X-API-Key' } },
      status: 'configured',
      metadata: { team: 'kyc', tier: 1 },
    });
    const fetched = await get(org, created.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
  });

  test('a name-only body creates an unconfigured executor', async () => {
    const created = await create(org, { name: `bare-${randomUUID()}` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'unconfigured', endpoints: [], metadata: {} });
    expect(created.body).not.toHaveProperty('authentication');
  });

  test('health is public', async () => {
    const reply = await invoke(healthHandler, restEvent({ method: 'GET', path: '/health' }));
    expect(reply).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('PATCH success', () => {
  test('replaces the configuration, merges metadata, keeps createdAt and moves unconfigured → configured', async () => {
    // Prepare
    const created = await create(org, { name: `p-${randomUUID()}`, metadata: { keep: 'me', change: 1 } });
    const body = { ...completeBody(created.body.name), description: undefined, metadata: { change: 2, added: { deep: [1, 2] } } };
    delete body.description;
    // Act
    const reply = await patch(org, created.body.id, body);
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"2"');
    expect(reply.body).toMatchObject({
      id: created.body.id,
      status: 'configured',
      baseUrl: 'https://api.serasa.com.br/v2',
      metadata: { keep: 'me', change: 2, added: { deep: [1, 2] } },
      createdAt: created.body.createdAt,
      endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 30 }],
      authentication: { type: 'api_key', config: { key: '********', header: 'X-API-Key' } },
    });
    expect(reply.body.updatedAt >= created.body.updatedAt).toBe(true);
    expect((await get(org, created.body.id)).body).toEqual(reply.body);
  });

  test('description is kept when not sent and replaced when sent', async () => {
    const created = await create(org, completeBody());
    const kept = await patch(org, created.body.id, { ...completeBody(created.body.name), description: undefined });
    expect(kept.body.description).toBe('Serasa KYC provider for identity validation');
    const replaced = await patch(org, created.body.id, { ...completeBody(created.body.name), description: 'new' });
    expect(replaced.body.description).toBe('new');
  });

  test('an HTTP API (v2) event reaches the same handler', async () => {
    const created = await create(org, completeBody());
    const reply = await invoke(
      updateHandler,
      httpApiEvent({
        method: 'PATCH',
        path: `/v1/executors/${created.body.id}`,
        pathParameters: { id: created.body.id },
        headers: { 'X-Api-Key': org.apiKey },
        body: { ...completeBody(created.body.name), description: 'via v2' },
      }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.description).toBe('via v2');
  });

  test('a rename moves the name claim: the old name is free at once, the new one taken', async () => {
    const created = await create(org, completeBody());
    const oldName = created.body.name;
    const renamed = await patch(org, created.body.id, completeBody(`${oldName}-renamed`));
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`${oldName}-renamed`);
    expect(await rawItem(executorNameKey(org.organizationId, oldName))).toBeUndefined();
    expect((await get(org, created.body.id)).body).toEqual(renamed.body);
    expect((await create(org, completeBody(oldName))).status).toBe(201);
    expect((await create(org, completeBody(`${oldName}-renamed`))).status).toBe(409);
  });
});

describe('PATCH refusals', () => {
  let id: string;
  let name: string;
  beforeAll(async () => {
    const created = await create(org, completeBody());
    id = created.body.id;
    name = created.body.name;
  });

  test.each([
    ['no key', {}],
    ['an unknown key', { 'X-API-Key': 'fp_not-a-real-key' }],
  ])('%s → 401 with the contract body', async (_label, headers) => {
    const reply = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers, body: completeBody(name) }));
    expect(reply).toEqual({
      status: 401,
      headers: expect.any(Object),
      body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
    });
  });

  test('the key header is accepted in any letter case', async () => {
    for (const header of ['x-api-key', 'X-API-KEY', 'X-Api-Key']) {
      const reply = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { [header]: org.apiKey } }));
      expect(reply.status).toBe(200);
    }
  });

  test('a revoked key is refused once the cache is gone', async () => {
    const victim = await newOrganization();
    await revokeApiKey(victim.organizationId, victim.apiKey.slice(0, 10));
    clearApiKeyCache();
    const reply = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': victim.apiKey } }));
    expect(reply.status).toBe(401);
  });

  test('another organization gets 404 FLK-0250 and the item is untouched', async () => {
    const before = await rawItem(executorKey(org.organizationId, id));
    const reply = await patch(other, id, completeBody(name));
    expect(reply).toMatchObject({ status: 404, body: { code: 'FLK-0250' } });
    expect((await get(other, id)).status).toBe(404);
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
  });

  test('an unknown id is 404 FLK-0250', async () => {
    expect(await patch(org, randomUUID(), completeBody(name))).toMatchObject({ status: 404, body: { code: 'FLK-0250' } });
  });

  test.each([
    ['id not a UUID', 'not-a-uuid', completeBody(), undefined, 400, 'FLK-0002'],
    ['body not JSON', undefined, undefined, '{"name":', 400, 'FLK-0001'],
    ['body an array', undefined, undefined, '[1,2]', 400, 'FLK-0001'],
    ['body empty', undefined, undefined, '', 400, 'FLK-0001'],
    ['body null', undefined, undefined, 'null', 400, 'FLK-0001'],
    ['lone surrogate', undefined, undefined, '{"name":"\\ud800","baseUrl":"https://a.b","endpoints":[{"name":"a","path":"/a","method":"GET"}],"authentication":{"type":"none"}}', 400, 'FLK-0001'],
    ['unknown field', undefined, { ...completeBody(), status: 'active' }, undefined, 400, 'FLK-0300'],
    ['name too long', undefined, { ...completeBody(), name: 'n'.repeat(101) }, undefined, 400, 'FLK-0261'],
    ['duplicate endpoint names', undefined, { ...completeBody(), endpoints: [{ name: 'a', path: '/a', method: 'GET' }, { name: 'a', path: '/b', method: 'GET' }] }, undefined, 422, 'FLK-0274'],
    ['api_key without key', undefined, { ...completeBody(), authentication: { type: 'api_key', config: {} } }, undefined, 422, 'FLK-0275'],
    ['basic with a stray key', undefined, { ...completeBody(), authentication: { type: 'basic', config: { username: 'u', password: 'p', realm: 'x' } } }, undefined, 422, 'FLK-0276'],
  ])('%s → %i', async (_label, pathId, body, rawBody, status, code) => {
    const before = await rawItem(executorKey(org.organizationId, id));
    const reply = await patch(org, pathId ?? id, body, {}, rawBody);
    expect(reply.status).toBe(status);
    expect(reply.body.code).toBe(code);
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
  });

  test('a body over 256 KiB → 413 FLK-0001', async () => {
    const reply = await patch(org, id, undefined, {}, JSON.stringify({ ...completeBody(name), description: 'x'.repeat(256 * 1024) }));
    expect(reply).toMatchObject({ status: 413, body: { code: 'FLK-0001', title: 'Payload Too Large' } });
  });

  test.each(['tested', 'active', 'disabled'])('status %s → 422 FLK-0252 and nothing written', async (status) => {
    const created = await create(org, completeBody());
    await setStatus(org, created.body.id, status);
    const before = await rawItem(executorKey(org.organizationId, created.body.id));
    const reply = await patch(org, created.body.id, completeBody(created.body.name));
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
    expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
  });

  test('a name used by another executor of the organization → 409 FLK-0251', async () => {
    const second = await create(org, completeBody());
    const before = await rawItem(executorKey(org.organizationId, second.body.id));
    const reply = await patch(org, second.body.id, completeBody(name));
    expect(reply).toMatchObject({ status: 409, body: { code: 'FLK-0251' } });
    expect(await rawItem(executorKey(org.organizationId, second.body.id))).toEqual(before);
  });

  test('the same name in another organization is fine', async () => {
    expect((await create(other, completeBody(name))).status).toBe(201);
  });

  test('metadata that accumulates past the 400 KB item limit → 422 FLK-0278, nothing written', async () => {
    // Prepare
    const created = await create(org, completeBody());
    const bulk = (prefix: string) => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`${prefix}${i}`, 'v'.repeat(2_300)]));
    expect((await patch(org, created.body.id, { ...completeBody(created.body.name), metadata: bulk('a') })).status).toBe(200);
    const before = await rawItem(executorKey(org.organizationId, created.body.id));
    // Act
    const reply = await patch(org, created.body.id, { ...completeBody(created.body.name), metadata: bulk('b') });
    // Assess
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0278' } });
    expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
  });

  test('a stale If-Match → 412 and nothing written; the current ETag → 200', async () => {
    const current = await get(org, id);
    const before = await rawItem(executorKey(org.organizationId, id));
    const stale = await patch(org, id, completeBody(name), { 'If-Match': '"0"' });
    expect(stale).toMatchObject({ status: 412, body: { code: 'FLK-0350' } });
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
    const fresh = await patch(org, id, completeBody(name), { 'If-Match': current.headers.etag });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe(`"${Number(JSON.parse(current.headers.etag)) + 1}"`);
  });

  test('an unexpected failure is a 500 FLK-9999 that leaks nothing', async () => {
    const name = 'explode';
    getDocumentClient().middlewareStack.add(
      () => async () => {
        // Not a failure to reach DynamoDB (that is a 503): something nobody expected.
        throw new Error('invariant broken at /var/task/index.mjs:1:2345');
      },
      { step: 'initialize', name },
    );
    try {
      const reply = await patch(org, id, completeBody(name));
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual({ code: 'FLK-9999', title: 'Internal Server Error', message: expect.stringMatching(/^An unexpected error occurred\. Reference: /) });
      expect(JSON.stringify(reply.body)).not.toMatch(/invariant|var\/task/);
    } finally {
      getDocumentClient().middlewareStack.remove(name);
    }
  });
});

describe('DynamoDB requests per PATCH outcome (key cached)', () => {
  test.each([
    ['200, same name', 'ok', ['UpdateItemCommand']],
    ['404', 'missing', ['UpdateItemCommand']],
    ['412', 'stale', ['UpdateItemCommand']],
    ['422 wrong status', 'active', ['UpdateItemCommand']],
    ['400 schema', 'invalid', []],
    ['422 semantic', 'semantic', []],
    ['200 rename', 'rename', ['UpdateItemCommand', 'TransactWriteItemsCommand']],
    ['409 name taken', 'taken', ['UpdateItemCommand', 'TransactWriteItemsCommand']],
  ])('%s', async (_label, scenario, expected) => {
    // Prepare
    const created = await create(org, completeBody());
    const taken = await create(org, completeBody());
    if (scenario === 'active') await setStatus(org, created.body.id, 'active');
    await get(org, created.body.id);
    const id = scenario === 'missing' ? randomUUID() : created.body.id;
    const name = scenario === 'rename' ? `${created.body.name}-2` : scenario === 'taken' ? taken.body.name : created.body.name;
    const body =
      scenario === 'invalid'
        ? { name }
        : scenario === 'semantic'
          ? { ...completeBody(name), authentication: { type: 'bearer' } }
          : completeBody(name);
    const headers: Record<string, string> = scenario === 'stale' ? { 'If-Match': '"7"' } : {};
    const counter = countDynamoRequests();
    // Act
    try {
      await patch(org, id, body, headers);
    } finally {
      counter.stop();
    }
    // Assess
    expect(counter.sent).toEqual(expected);
  });
});
