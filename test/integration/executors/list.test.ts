/** GET /v1/executors through the real handler, against DynamoDB Local: pages, filters, refusals. */
import { newOrganization, type Organization, type Reply } from '../../support/api.js';
import { completeExecutorBody, createExecutor, listExecutors } from '../../support/executors.js';

let org: Organization;
const ids: string[] = [];

beforeAll(async () => {
  org = await newOrganization();
  for (let i = 0; i < 5; i += 1)
    ids.push((await createExecutor(org, i % 2 ? completeExecutorBody(`e-${i}`) : { name: `e-${i}` })).body.id);
  await createExecutor(await newOrganization(), { name: 'someone else' });
});

test('pages through every executor of the organization exactly once', async () => {
  // Act
  const pages: Reply[] = [];
  let cursor: string | undefined;
  do {
    const reply = await listExecutors(org, { limit: '2', ...(cursor ? { cursor } : {}) });
    pages.push(reply);
    cursor = reply.body.nextCursor ?? undefined;
  } while (cursor);
  // Assess
  for (const reply of pages) {
    expect(reply.status).toBe(200);
    expect(reply.body.items.length).toBeLessThanOrEqual(2);
  }
  const seen = pages.flatMap((reply) => reply.body.items.map((e: { id: string }) => e.id));
  expect(seen.sort()).toEqual([...ids].sort());
  expect(pages.length).toBeGreaterThanOrEqual(3);
});

test('a page that ends exactly at the last executor says there is no more', async () => {
  // Act
  const reply = await listExecutors(org, { limit: '5' });
  const fewer = await listExecutors(org, { limit: '4' });
  const rest = await listExecutors(org, { limit: '4', cursor: fewer.body.nextCursor });
  // Assess
  expect(reply.body.items).toHaveLength(5);
  expect(reply.body).toMatchObject({ nextCursor: null, hasMore: false });
  expect(fewer.body.hasMore).toBe(true);
  expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4]]);
  expect(rest.body).toMatchObject({ nextCursor: null, hasMore: false });
});

test('filters by status', async () => {
  // Act
  const reply = await listExecutors(org, { status: 'configured', limit: '100' });
  // Assess
  expect(reply.body.items.map((e: { status: string }) => e.status)).toEqual(['configured', 'configured']);
  expect(reply.body.hasMore).toBe(false);
});

test.each([['0'], ['101'], ['ten'], ['-1'], ['1.5']])('limit=%s → 400 FLK-0309', async (limit) => {
  // Act
  const reply = await listExecutors(org, { limit });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0309', fields: { '/limit': expect.any(String) } } });
});

test.each([
  ['garbage', 'not-a-cursor'],
  [
    'another organization',
    Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'ORG#other#EXECUTORS', gsi1sk: 'z' })).toString('base64url'),
  ],
  [
    'extra fields',
    Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'ORG#x#EXECUTORS', gsi1sk: 'z', evil: 1 })).toString(
      'base64url',
    ),
  ],
])('a %s cursor → 400 FLK-0304', async (_label, cursor) => {
  // Act
  const reply = await listExecutors(org, { cursor });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0304' } });
});

test('an unknown status → 400 FLK-0304', async () => {
  // Act
  const reply = await listExecutors(org, { status: 'sleeping' });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0304' } });
});
