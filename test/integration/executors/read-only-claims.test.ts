/**
 * Issue 12: a `GET /v1/executors/{id}` body (masked secrets, `id`, `status`, timestamps)
 * PATCHed back is accepted and keeps everything: when it would store what is stored, the
 * one conditional UpdateItem writes nothing, so the version (ETag), the sealed secrets and
 * the status stay, in any status. Read-only fields are accepted when they say what is
 * stored and a 400 in the Flowker dialect when they would change it; any other unknown
 * field is still FLK-0300. Through the real handlers, against DynamoDB Local.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../../functions/store/client.js';
import { executorKey } from '../../../functions/store/keys.js';
import { countDynamoRequests, newOrganization, type Organization, rawItem } from '../../support/api.js';
import {
  completeExecutorBody,
  createExecutor,
  getExecutor,
  patchExecutor,
  setExecutorStatus,
} from '../../support/executors.js';

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

/** A configured executor with a secret, metadata and a description; its GET answer. */
async function configured(): Promise<{ id: string; read: Awaited<ReturnType<typeof getExecutor>> }> {
  const created = await createExecutor(org, completeExecutorBody());
  expect(created.status).toBe(201);
  return { id: created.body.id, read: await getExecutor(org, created.body.id) };
}

/** Records a connectivity test time directly, to prepare a test. */
async function setLastTestedAt(id: string, at: string): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: executorKey(org.organizationId, id),
      UpdateExpression: 'SET lastTestedAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

test('a GET body sent back is a 200 no-op in one request: same body, same ETag, secret and item untouched', async () => {
  // Prepare
  const { id, read } = await configured();
  const before = await rawItem(executorKey(org.organizationId, id));
  const counter = countDynamoRequests();
  // Act
  let reply;
  try {
    reply = await patchExecutor(org, id, read.body, { 'If-Match': read.headers.etag });
  } finally {
    counter.stop();
  }
  // Assess
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual(read.body);
  expect(reply.headers.etag).toBe(read.headers.etag);
  expect(counter.sent).toEqual(['UpdateItemCommand']);
  expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
});

test.each(['tested', 'active', 'disabled'])(
  'in status %s too (with lastTestedAt): a no-op; a real change is still 422 FLK-0252',
  async (status) => {
    // Prepare
    const { id } = await configured();
    await setExecutorStatus(org, id, status);
    await setLastTestedAt(id, '2026-01-02T03:04:05.000Z');
    const read = await getExecutor(org, id);
    const before = await rawItem(executorKey(org.organizationId, id));
    // Act
    const unchanged = await patchExecutor(org, id, read.body);
    const changed = await patchExecutor(org, id, { ...read.body, description: 'changed' });
    // Assess
    expect(unchanged).toMatchObject({ status: 200, headers: { etag: read.headers.etag } });
    expect(unchanged.body).toEqual(read.body);
    expect(changed).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
    expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
  },
);

test('a GET body with one edit writes it: version + 1, the masked secret kept as stored', async () => {
  // Prepare
  const { id, read } = await configured();
  const sealed = (await rawItem(executorKey(org.organizationId, id)))?.authSecrets.key;
  // Act
  const reply = await patchExecutor(org, id, {
    ...read.body,
    description: 'edited',
    metadata: { ...read.body.metadata, tier: 2 },
  });
  // Assess
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    ...read.body,
    description: 'edited',
    metadata: { team: 'kyc', tier: 2 },
    updatedAt: expect.any(String),
  });
  expect(reply.headers.etag).toBe('"2"');
  expect((await rawItem(executorKey(org.organizationId, id)))?.authSecrets.key).toBe(sealed);
});

test('the secret itself sent again is a write (it is sealed anew), even when it is the same secret', async () => {
  // Prepare
  const { id, read } = await configured();
  // Act
  const reply = await patchExecutor(org, id, {
    ...read.body,
    authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
  });
  // Assess
  expect(reply).toMatchObject({ status: 200, headers: { etag: '"2"' } });
});

test.each([
  ['id', '00000000-0000-4000-8000-000000000000', '/id'],
  ['status', 'active', '/status'],
  ['createdAt', '2020-01-01T00:00:00.000Z', '/createdAt'],
  ['updatedAt', '2020-01-01T00:00:00.000Z', '/updatedAt'],
  ['lastTestedAt', '2020-01-01T00:00:00.000Z', '/lastTestedAt'],
])('%s that would change: 400 FLK-0302 naming it, nothing written', async (field, value, pointer) => {
  // Prepare
  const { id, read } = await configured();
  const before = await rawItem(executorKey(org.organizationId, id));
  // Act
  const reply = await patchExecutor(org, id, { ...read.body, description: 'changed', [field]: value });
  // Assess
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('FLK-0302');
  expect(reply.body.fields[pointer]).toContain(`${field} is read-only`);
  expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
});

test('any other unknown field is still 400 FLK-0300', async () => {
  // Prepare
  const { id, read } = await configured();
  // Act
  const reply = await patchExecutor(org, id, { ...read.body, version: 1 });
  // Assess
  expect(reply).toMatchObject({
    status: 400,
    body: { code: 'FLK-0300', message: 'Unexpected fields in the request: /version' },
  });
});
