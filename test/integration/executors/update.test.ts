/** PATCH /v1/executors/{id} through the real handler, with API Gateway events, against DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import { handler as updateHandler } from '../../../functions/executors/update.js';
import { executorKey, executorNameKey } from '../../../functions/store/keys.js';
import {
  countDynamoRequests,
  invoke,
  type Organization,
  newOrganization,
  rawItem,
  restEvent,
} from '../../support/api.js';
import {
  completeExecutorBody,
  createExecutor,
  getExecutor,
  patchExecutor,
  setExecutorStatus,
} from '../../support/executors.js';
import { throughFaultProxy } from '../../support/faults.js';

let org: Organization;
let other: Organization;

beforeAll(async () => {
  org = await newOrganization();
  other = await newOrganization();
});

describe('PATCH success', () => {
  test('replaces the configuration, merges metadata, keeps createdAt and moves unconfigured → configured', async () => {
    // Prepare
    const created = await createExecutor(org, { name: `p-${randomUUID()}`, metadata: { keep: 'me', change: 1 } });
    const body = {
      ...completeExecutorBody(created.body.name),
      description: undefined,
      metadata: { change: 2, added: { deep: [1, 2] } },
    };
    delete body.description;
    // Act
    const reply = await patchExecutor(org, created.body.id, body);
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
    expect((await getExecutor(org, created.body.id)).body).toEqual(reply.body);
  });

  test('description is kept when not sent and replaced when sent', async () => {
    // Prepare
    const created = await createExecutor(org, completeExecutorBody());
    // Act
    const kept = await patchExecutor(org, created.body.id, {
      ...completeExecutorBody(created.body.name),
      description: undefined,
    });
    const replaced = await patchExecutor(org, created.body.id, {
      ...completeExecutorBody(created.body.name),
      description: 'new',
    });
    // Assess
    expect(kept.body.description).toBe('Serasa KYC provider for identity validation');
    expect(replaced.body.description).toBe('new');
  });

  test('a rename moves the name claim: the old name is free at once, the new one taken', async () => {
    // Prepare
    const created = await createExecutor(org, completeExecutorBody());
    const oldName = created.body.name;
    // Act
    const renamed = await patchExecutor(org, created.body.id, completeExecutorBody(`${oldName}-renamed`));
    // Assess
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`${oldName}-renamed`);
    expect(await rawItem(executorNameKey(org.organizationId, oldName))).toBeUndefined();
    expect((await getExecutor(org, created.body.id)).body).toEqual(renamed.body);
    expect((await createExecutor(org, completeExecutorBody(oldName))).status).toBe(201);
    expect((await createExecutor(org, completeExecutorBody(`${oldName}-renamed`))).status).toBe(409);
  });
});

describe('PATCH refusals', () => {
  let id: string;
  let name: string;
  beforeAll(async () => {
    const created = await createExecutor(org, completeExecutorBody());
    id = created.body.id;
    name = created.body.name;
  });

  test.each([
    ['no key', {}],
    ['an unknown key', { 'X-API-Key': 'fp_not-a-real-key' }],
  ])('%s → 401 with the contract body', async (_label, headers) => {
    // Act
    const reply = await invoke(
      updateHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/executors/${id}`,
        pathParameters: { id },
        headers,
        body: completeExecutorBody(name),
      }),
    );
    // Assess
    expect(reply).toEqual({
      status: 401,
      headers: expect.any(Object),
      body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
    });
  });

  test('another organization gets 404 FLK-0250 and the item is untouched', async () => {
    // Prepare
    const before = await rawItem(executorKey(org.organizationId, id));
    // Act
    const reply = await patchExecutor(other, id, completeExecutorBody(name));
    // Assess
    expect(reply).toMatchObject({ status: 404, body: { code: 'FLK-0250' } });
    expect((await getExecutor(other, id)).status).toBe(404);
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
  });

  test('an unknown id is 404 FLK-0250', async () => {
    // Act
    const reply = await patchExecutor(org, randomUUID(), completeExecutorBody(name));
    // Assess
    expect(reply).toMatchObject({ status: 404, body: { code: 'FLK-0250' } });
  });

  test.each([
    ['id not a UUID', 'not-a-uuid', completeExecutorBody(), undefined, 400, 'FLK-0002'],
    ['body not JSON', undefined, undefined, '{"name":', 400, 'FLK-0001'],
    ['body an array', undefined, undefined, '[1,2]', 400, 'FLK-0001'],
    ['body empty', undefined, undefined, '', 400, 'FLK-0001'],
    ['body null', undefined, undefined, 'null', 400, 'FLK-0001'],
    [
      'lone surrogate',
      undefined,
      undefined,
      '{"name":"\\ud800","baseUrl":"https://a.b","endpoints":[{"name":"a","path":"/a","method":"GET"}],"authentication":{"type":"none"}}',
      400,
      'FLK-0001',
    ],
    ['unknown field', undefined, { ...completeExecutorBody(), owner: 'team-a' }, undefined, 400, 'FLK-0300'],
    ['name too long', undefined, { ...completeExecutorBody(), name: 'n'.repeat(101) }, undefined, 400, 'FLK-0261'],
    [
      'duplicate endpoint names',
      undefined,
      {
        ...completeExecutorBody(),
        endpoints: [
          { name: 'a', path: '/a', method: 'GET' },
          { name: 'a', path: '/b', method: 'GET' },
        ],
      },
      undefined,
      422,
      'FLK-0274',
    ],
    [
      'api_key without key',
      undefined,
      { ...completeExecutorBody(), authentication: { type: 'api_key', config: {} } },
      undefined,
      422,
      'FLK-0275',
    ],
    [
      'basic with a stray key',
      undefined,
      {
        ...completeExecutorBody(),
        authentication: { type: 'basic', config: { username: 'u', password: 'p', realm: 'x' } },
      },
      undefined,
      422,
      'FLK-0276',
    ],
  ])('%s → %i', async (_label, pathId, body, rawBody, status, code) => {
    // Prepare
    const before = await rawItem(executorKey(org.organizationId, id));
    // Act
    const reply = await patchExecutor(org, pathId ?? id, body, {}, rawBody);
    // Assess
    expect(reply.status).toBe(status);
    expect(reply.body.code).toBe(code);
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
  });

  test('a body over 256 KiB → 413 FLK-0001', async () => {
    // Act
    const reply = await patchExecutor(
      org,
      id,
      undefined,
      {},
      JSON.stringify({ ...completeExecutorBody(name), description: 'x'.repeat(256 * 1024) }),
    );
    // Assess
    expect(reply).toMatchObject({ status: 413, body: { code: 'FLK-0001', title: 'Payload Too Large' } });
  });

  test.each(['tested', 'active', 'disabled'])('status %s → 422 FLK-0252 and nothing written', async (status) => {
    // Prepare
    const created = await createExecutor(org, completeExecutorBody());
    await setExecutorStatus(org, created.body.id, status);
    const before = await rawItem(executorKey(org.organizationId, created.body.id));
    // Act
    const reply = await patchExecutor(org, created.body.id, completeExecutorBody(created.body.name));
    // Assess
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
    expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
  });

  test('a name used by another executor of the organization → 409 FLK-0251', async () => {
    // Prepare
    const second = await createExecutor(org, completeExecutorBody());
    const before = await rawItem(executorKey(org.organizationId, second.body.id));
    // Act
    const reply = await patchExecutor(org, second.body.id, completeExecutorBody(name));
    // Assess
    expect(reply).toMatchObject({ status: 409, body: { code: 'FLK-0251' } });
    expect(await rawItem(executorKey(org.organizationId, second.body.id))).toEqual(before);
  });

  test('metadata that accumulates past the 400 KB item limit → 422 FLK-0278, nothing written', async () => {
    // Prepare
    const created = await createExecutor(org, completeExecutorBody());
    const bulk = (prefix: string) =>
      Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`${prefix}${i}`, 'v'.repeat(2_300)]));
    expect(
      (await patchExecutor(org, created.body.id, { ...completeExecutorBody(created.body.name), metadata: bulk('a') }))
        .status,
    ).toBe(200);
    const before = await rawItem(executorKey(org.organizationId, created.body.id));
    // Act
    const reply = await patchExecutor(org, created.body.id, {
      ...completeExecutorBody(created.body.name),
      metadata: bulk('b'),
    });
    // Assess
    expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0278' } });
    expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
  });

  test('a stale If-Match → 412 and nothing written; the current ETag → 200', async () => {
    // Prepare
    const current = await getExecutor(org, id);
    const before = await rawItem(executorKey(org.organizationId, id));
    // Act
    const stale = await patchExecutor(org, id, completeExecutorBody(name), { 'If-Match': '"0"' });
    // Assess
    expect(stale).toMatchObject({ status: 412, body: { code: 'FLK-0350' } });
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
    // Act
    const fresh = await patchExecutor(org, id, completeExecutorBody(name), { 'If-Match': current.headers.etag });
    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe(`"${Number(JSON.parse(current.headers.etag)) + 1}"`);
  });

  test('an unexpected failure is a 500 FLK-9999 that leaks nothing', async () => {
    // Prepare: DynamoDB refuses the PATCH's write with an error nobody expected, its message full of internals.
    const body = completeExecutorBody(name);
    // Act
    const { result: reply, faulted } = await throughFaultProxy({ kind: 'validation', operations: ['UpdateItem'] }, () =>
      patchExecutor(org, id, body),
    );
    // Assess
    expect(faulted).toBe(1);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({
      code: 'FLK-9999',
      title: 'Internal Server Error',
      message: expect.stringMatching(/^An unexpected error occurred\. Reference: /),
    });
    expect(JSON.stringify(reply.body)).not.toMatch(/invariant|var\/task|injected|ValidationException/);
  });

  test.each(['http://127.0.0.1:8080', 'http://169.254.169.254', 'http://[::ffff:7f00:1]/', 'http://2130706433/'])(
    'a literal internal baseUrl %s → 422 FLK-0277',
    async (url) => {
      // Prepare
      const executor = (await createExecutor(org, completeExecutorBody(`ok-${randomUUID()}`))).body;
      // Act
      const patched = await patchExecutor(org, executor.id, { ...completeExecutorBody(executor.name), baseUrl: url });
      // Assess
      expect(patched).toMatchObject({ status: 422, body: { code: 'FLK-0277' } });
    },
  );
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
    const created = await createExecutor(org, completeExecutorBody());
    const taken = await createExecutor(org, completeExecutorBody());
    if (scenario === 'active') await setExecutorStatus(org, created.body.id, 'active');
    await getExecutor(org, created.body.id);
    const id = scenario === 'missing' ? randomUUID() : created.body.id;
    const name =
      scenario === 'rename' ? `${created.body.name}-2` : scenario === 'taken' ? taken.body.name : created.body.name;
    const body =
      scenario === 'invalid'
        ? { name }
        : scenario === 'semantic'
          ? { ...completeExecutorBody(name), authentication: { type: 'bearer' } }
          : completeExecutorBody(name);
    const headers: Record<string, string> = scenario === 'stale' ? { 'If-Match': '"7"' } : {};
    const counter = countDynamoRequests();
    // Act
    try {
      await patchExecutor(org, id, body, headers);
    } finally {
      counter.stop();
    }
    // Assess
    expect(counter.sent).toEqual(expected);
  });
});
