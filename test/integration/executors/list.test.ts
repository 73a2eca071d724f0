/**
 * GET /v1/executors through the real handler, against DynamoDB Local: Flowker's defaults (newest first, 10 per
 * page), every order in both directions paged with cursors, filters, refusals. Every reply is checked against
 * flowplane's schema and the one Flowker's document declares (test/support/flowker-document.ts).
 */
import { nameIdentity } from '../../../functions/domain/names.js';
import { countDynamoRequests, newOrganization, type Organization, type Reply } from '../../support/api.js';
import {
  completeExecutorBody,
  createExecutor,
  getExecutor,
  listExecutors,
  patchExecutor,
} from '../../support/executors.js';

let org: Organization;
/** The organization's executors in the order they were created. */
const ids: string[] = [];
/** Names whose order differs from the order of creation, in case and spacing too. */
const names = [
  'Delta',
  'alpha',
  'Charlie',
  'bravo',
  'Echo',
  'india',
  'Golf',
  'foxtrot',
  'Hotel',
  'kilo',
  'Juliett',
  'lima',
];

beforeAll(async () => {
  org = await newOrganization();
  for (const [i, name] of names.entries())
    ids.push((await createExecutor(org, i % 5 === 1 ? completeExecutorBody(name) : { name })).body.id);
  // Changed after creation: their last change comes after every creation, `Charlie` last.
  for (const id of [ids[4], ids[2]]) {
    const { body } = await getExecutor(org, id);
    expect((await patchExecutor(org, id, completeExecutorBody(body.name))).status).toBe(200);
  }
  await createExecutor(await newOrganization(), { name: 'someone else' });
});

type Listed = { id: string; name: string; status: string; createdAt: string; updatedAt: string };

/** Every executor of the organization as GET answers it. */
async function everyExecutor(): Promise<Listed[]> {
  return Promise.all(ids.map(async (id) => (await getExecutor(org, id)).body as Listed));
}

/** What each order sorts by; ties (the same millisecond) by id, as the index keys hold them. */
const orderKeys: Record<string, (executor: Listed) => string> = {
  createdAt: (executor) => `${executor.createdAt}#${executor.id}`,
  updatedAt: (executor) => `${executor.updatedAt}#${executor.id}`,
  name: (executor) => nameIdentity(executor.name),
};

/** The ids in an order, by code point as DynamoDB compares keys. */
function inOrder(executors: Listed[], sortBy: string, sortOrder: string): string[] {
  const key = orderKeys[sortBy];
  const sorted = [...executors].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return (sortOrder === 'ASC' ? sorted : sorted.reverse()).map((executor) => executor.id);
}

/** Every page of a listing, following `nextCursor` until `hasMore` is false. */
async function everyPage(query: Record<string, string>): Promise<Reply[]> {
  const pages: Reply[] = [];
  let cursor = '';
  do {
    const reply = await listExecutors(org, { ...query, ...(cursor ? { cursor } : {}) });
    expect(reply.status).toBe(200);
    pages.push(reply);
    cursor = reply.body.nextCursor;
    expect(cursor !== '').toBe(reply.body.hasMore);
  } while (cursor);
  return pages;
}

test("Flowker's defaults: newest first by creation, 10 per page, an empty nextCursor on the last page", async () => {
  // Act
  const first = await listExecutors(org);
  const second = await listExecutors(org, { cursor: first.body.nextCursor });
  // Assess
  expect(first.body.items.map((e: Listed) => e.id)).toEqual([...ids].reverse().slice(0, 10));
  expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
  expect(second.body.items.map((e: Listed) => e.id)).toEqual([ids[1], ids[0]]);
  expect(second.body).toMatchObject({ nextCursor: '', hasMore: false });
});

test.each([
  ['createdAt', 'ASC'],
  ['createdAt', 'DESC'],
  ['updatedAt', 'ASC'],
  ['updatedAt', 'DESC'],
  ['name', 'ASC'],
  ['name', 'DESC'],
])('sortBy=%s sortOrder=%s: pages of 5 list every executor once, in that order', async (sortBy, sortOrder) => {
  // Prepare
  const expected = inOrder(await everyExecutor(), sortBy, sortOrder);
  // Act
  const pages = await everyPage({ sortBy, sortOrder, limit: '5' });
  // Assess
  expect(pages.map((page) => page.body.items.length)).toEqual([5, 5, 2]);
  expect(pages.flatMap((page) => page.body.items.map((e: Listed) => e.id))).toEqual(expected);
});

test('the orders differ: by name case and spacing aside, by last change the executors changed last', async () => {
  // Act
  const byName = await listExecutors(org, { sortBy: 'name', sortOrder: 'ASC', limit: '4' });
  const byChange = await listExecutors(org, { sortBy: 'updatedAt', limit: '2' });
  // Assess
  expect(byName.body.items.map((e: Listed) => e.name)).toEqual(['alpha', 'bravo', 'Charlie', 'Delta']);
  expect(byChange.body.items.map((e: Listed) => e.id)).toEqual([ids[2], ids[4]]);
});

test('a rename moves an executor in the name order, and any write moves it to the front by last change', async () => {
  // Prepare
  const other = await newOrganization();
  const moved = (await createExecutor(other, { name: 'Zulu' })).body.id;
  await createExecutor(other, { name: 'Mike' });
  // Act
  const before = await listExecutors(other, { sortBy: 'name', sortOrder: 'ASC' });
  await patchExecutor(other, moved, completeExecutorBody('Able'));
  const after = await listExecutors(other, { sortBy: 'name', sortOrder: 'ASC' });
  const byChange = await listExecutors(other, { sortBy: 'updatedAt' });
  // Assess
  expect(before.body.items.map((e: Listed) => e.name)).toEqual(['Mike', 'Zulu']);
  expect(after.body.items.map((e: Listed) => e.name)).toEqual(['Able', 'Mike']);
  expect(byChange.body.items[0].id).toBe(moved);
});

test.each(['createdAt', 'updatedAt', 'name'])('sortBy=%s with a status: only that status, in order', async (sortBy) => {
  // Prepare
  const configured = (await everyExecutor()).filter((executor) => executor.status === 'configured');
  // Act
  const pages = await everyPage({ sortBy, sortOrder: 'ASC', status: 'configured', limit: '2' });
  // Assess
  expect(configured.length).toBeGreaterThan(2);
  expect(pages.flatMap((page) => page.body.items.map((e: Listed) => e.id))).toEqual(inOrder(configured, sortBy, 'ASC'));
});

test('DynamoDB requests per page: one Query by creation or last change; a Query of name claims and one BatchGetItem by name', async () => {
  // Prepare
  await listExecutors(org);
  const counter = countDynamoRequests();
  // Act
  const sent: string[][] = [];
  for (const sortBy of ['createdAt', 'updatedAt', 'name']) {
    counter.reset();
    await listExecutors(org, { sortBy, limit: '5' });
    sent.push([...counter.sent]);
  }
  counter.stop();
  // Assess
  expect(sent).toEqual([['QueryCommand'], ['QueryCommand'], ['QueryCommand', 'BatchGetItemCommand']]);
});

test('pages through every executor of the organization exactly once', async () => {
  // Act
  const pages = await everyPage({ limit: '2' });
  // Assess
  for (const reply of pages) expect(reply.body.items.length).toBeLessThanOrEqual(2);
  const seen = pages.flatMap((reply) => reply.body.items.map((e: { id: string }) => e.id));
  expect(seen.sort()).toEqual([...ids].sort());
  expect(pages.length).toBeGreaterThanOrEqual(3);
});

test('a page that ends exactly at the last executor says there is no more', async () => {
  // Act
  const reply = await listExecutors(org, { limit: '12' });
  const fewer = await listExecutors(org, { limit: '11', sortOrder: 'ASC' });
  const rest = await listExecutors(org, { limit: '11', sortOrder: 'ASC', cursor: fewer.body.nextCursor });
  // Assess
  expect(reply.body.items).toHaveLength(12);
  expect(reply.body).toMatchObject({ nextCursor: '', hasMore: false });
  expect(fewer.body.hasMore).toBe(true);
  expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual([ids[11]]);
  expect(rest.body).toMatchObject({ nextCursor: '', hasMore: false });
});

test('an empty cursor is the first page, as Flowker reads it', async () => {
  // Act
  const reply = await listExecutors(org, { cursor: '', limit: '3' });
  // Assess
  expect(reply.body.items.map((e: Listed) => e.id)).toEqual([...ids].reverse().slice(0, 3));
});

test('filters by status', async () => {
  // Act
  const reply = await listExecutors(org, { status: 'configured', limit: '100' });
  // Assess
  expect(reply.body.items.map((e: { status: string }) => e.status)).toEqual(Array(5).fill('configured'));
  expect(reply.body.hasMore).toBe(false);
});

test.each([['0'], ['101'], ['ten'], ['-1'], ['1.5']])('limit=%s → 400 FLK-0309', async (limit) => {
  // Act
  const reply = await listExecutors(org, { limit });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0309', fields: { '/limit': expect.any(String) } } });
});

test.each([
  ['sortBy', 'colour', 'FLK-0304'],
  ['sortBy', 'createdat', 'FLK-0304'],
  ['sortOrder', 'asc', 'FLK-0310'],
  ['sortOrder', 'UP', 'FLK-0310'],
])("%s=%s, outside Flowker's enum → 400 %s", async (name, value, code) => {
  // Act
  const reply = await listExecutors(org, { [name]: value });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code, fields: { [`/${name}`]: expect.any(String) } } });
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

test('a cursor resumes only the order it came from: another sortBy refuses it', async () => {
  // Prepare
  const byCreation = await listExecutors(org, { limit: '2' });
  const byName = await listExecutors(org, { limit: '2', sortBy: 'name' });
  // Act
  const replies = await Promise.all([
    listExecutors(org, { sortBy: 'name', cursor: byCreation.body.nextCursor }),
    listExecutors(org, { sortBy: 'updatedAt', cursor: byCreation.body.nextCursor }),
    listExecutors(org, { sortBy: 'createdAt', cursor: byName.body.nextCursor }),
  ]);
  // Assess
  expect(replies.map((reply) => [reply.status, reply.body.code])).toEqual([
    [400, 'FLK-0304'],
    [400, 'FLK-0304'],
    [400, 'FLK-0304'],
  ]);
});

test('an unknown status → 400 FLK-0304', async () => {
  // Act
  const reply = await listExecutors(org, { status: 'sleeping' });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code: 'FLK-0304' } });
});
