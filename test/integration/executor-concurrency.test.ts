/** Concurrent PATCHes never mix two bodies, and concurrent renames keep names unique. */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorNameKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../support/api.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;

const bodyNumber = (name: string, i: number) => ({
  name,
  description: `body ${i}`,
  baseUrl: `https://service-${i}.example.com`,
  endpoints: [{ name: `endpoint-${i}`, path: `/path/${i}`, method: 'POST', timeout: i + 1 }],
  authentication: { type: 'basic', config: { username: `user-${i}`, password: `pw-${i}` } },
  metadata: { writer: i },
});

async function create(org: Org, name: string) {
  const reply = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: { name } }));
  return reply.body.id as string;
}

const patch = (org: Org, id: string, body: unknown) =>
  invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey }, body }));

/** The body number every replaced field of the stored executor came from. */
function writersOf(executor: any): Set<string> {
  return new Set([
    executor.description.replace('body ', ''),
    executor.baseUrl.replace('https://service-', '').replace('.example.com', ''),
    executor.endpoints[0].name.replace('endpoint-', ''),
    executor.endpoints[0].path.replace('/path/', ''),
    String(executor.endpoints[0].timeout - 1),
    executor.authentication.config.username.replace('user-', ''),
    String(executor.metadata.writer),
  ]);
}

test('20 concurrent PATCHes: every replaced field of the final item comes from one body', async () => {
  // Prepare
  const org = await newOrganization();
  const name = `c-${randomUUID()}`;
  const id = await create(org, name);
  // Act
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(org, id, bodyNumber(name, i))));
  // Assess
  expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
  const final = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey } }));
  expect(writersOf(final.body).size).toBe(1);
  expect(final.headers.etag).toBe('"21"');
});

test('20 concurrent renames of one executor: one body wins whole, one name claim remains', async () => {
  // Prepare
  const org = await newOrganization();
  const base = `r-${randomUUID()}`;
  const id = await create(org, base);
  // Act
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(org, id, bodyNumber(`${base}-${i}`, i))));
  // Assess
  for (const reply of replies) {
    expect([200, 409]).toContain(reply.status);
    if (reply.status === 409) expect(reply.body.code).toBe('FLK-0350');
  }
  expect(replies.some((r) => r.status === 200)).toBe(true);
  const final = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey } }));
  const writers = writersOf(final.body);
  expect(writers.size).toBe(1);
  expect(final.body.name).toBe(`${base}-${[...writers][0]}`);
  const claims = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: undefined,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': executorNameKey(org.organizationId, final.body.name).pk },
    }),
  );
  expect(claims.Items).toHaveLength(1);
  for (let i = 0; i < 20; i += 1) {
    const claim = await rawItem(executorNameKey(org.organizationId, `${base}-${i}`));
    expect(claim === undefined || `${base}-${i}` === final.body.name).toBe(true);
  }
  expect(await rawItem(executorNameKey(org.organizationId, base))).toBeUndefined();
});

test('two concurrent renames to the same new name: exactly one wins, the other gets 409', async () => {
  // Prepare
  const org = await newOrganization();
  const first = await create(org, `a-${randomUUID()}`);
  const second = await create(org, `b-${randomUUID()}`);
  const wanted = `wanted-${randomUUID()}`;
  // Act
  const replies = await Promise.all([patch(org, first, bodyNumber(wanted, 1)), patch(org, second, bodyNumber(wanted, 2))]);
  // Assess
  expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
  expect(replies.find((r) => r.status === 409)?.body.code).toBe('FLK-0251');
  const winner = replies.find((r) => r.status === 200)?.body.id;
  expect((await rawItem(executorNameKey(org.organizationId, wanted)))?.executorId).toBe(winner);
});
