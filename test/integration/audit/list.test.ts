/**
 * GET /v1/audit-events through the real handler, against DynamoDB Local, on an audit trail
 * written by the real audit writer: the organization's feed newest first by default,
 * every filter of Flowker's document, pages across each order and across a date range,
 * refusals in Flowker's codes. Every reply is checked against flowplane's schema and the
 * one Flowker's document declares (test/support/audit.ts).
 */
import { countDynamoRequests, newOrganization, type Organization, type Reply } from '../../support/api.js';
import { type AuditTrail, auditTrail, listAuditEvents } from '../../support/audit.js';

let org: Organization;
let trail: AuditTrail;
/** Every entry of the organization, oldest first. */
let entries: Entry[];

type Entry = {
  eventId: string;
  eventType: string;
  action: string;
  resourceType: string;
  resourceId: string;
  timestamp: string;
  seq: number;
};

beforeAll(async () => {
  org = await newOrganization();
  trail = await auditTrail(org);
  entries = (await listAuditEvents(org, { sortOrder: 'ASC', limit: '100' })).body.items;
});

const ids = (reply: Reply) => reply.body.items.map((entry: Entry) => entry.eventId);
/** Feed order: time, then resource, then place. */
const feedKey = (entry: Entry) => `${entry.timestamp}#${entry.resourceId}#${String(entry.seq).padStart(10, '0')}`;

/** Every page of a listing, following `nextCursor` while `hasMore`. */
async function everyPage(query: Record<string, string>): Promise<Reply[]> {
  const pages: Reply[] = [];
  let cursor = '';
  do {
    const reply = await listAuditEvents(org, { ...query, ...(cursor ? { cursor } : {}) });
    expect(reply.status).toBe(200);
    pages.push(reply);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return pages;
}

test("the organization's feed: every executor and workflow entry, newest first, 20 per page by default", async () => {
  // Act
  const reply = await listAuditEvents(org);
  const foreign = await listAuditEvents(await newOrganization());
  // Assess
  expect(reply.body.items).toHaveLength(8);
  expect(reply.body).toMatchObject({ nextCursor: '', hasMore: false });
  expect(ids(reply)).toEqual(entries.map((entry) => entry.eventId).reverse());
  const keys = entries.map(feedKey);
  expect(keys).toEqual([...keys].sort());
  expect(new Set(entries.map((entry) => entry.resourceId))).toEqual(
    new Set([trail.configured, trail.deleted, trail.workflow]),
  );
  expect(foreign.body).toEqual({ items: [], nextCursor: '', hasMore: false });
});

test.each(['ASC', 'DESC'])('sortOrder=%s: pages of 3 list every entry once, in that order', async (sortOrder) => {
  // Act
  const pages = await everyPage({ sortOrder, limit: '3' });
  // Assess
  const expected = entries.map((entry) => entry.eventId);
  expect(pages.map((page) => page.body.items.length)).toEqual([3, 3, 2]);
  expect(pages.flatMap(ids)).toEqual(sortOrder === 'ASC' ? expected : expected.reverse());
  expect(pages.map((page) => page.body.hasMore)).toEqual([true, true, false]);
});

test.each([
  [{ eventType: 'EXECUTOR_CREATED' }, (e: Entry) => e.eventType === 'EXECUTOR_CREATED', 2],
  [{ eventType: 'WORKFLOW_DEPLOYED' }, (e: Entry) => e.eventType === 'WORKFLOW_DEPLOYED', 1],
  [{ action: 'UPDATE' }, (e: Entry) => e.action === 'UPDATE', 3],
  [{ action: 'DELETE' }, (e: Entry) => e.action === 'DELETE', 1],
  [{ resourceType: 'workflow' }, (e: Entry) => e.resourceType === 'workflow', 3],
  [{ resourceType: 'executor', action: 'CREATE' }, (e: Entry) => e.eventType === 'EXECUTOR_CREATED', 2],
  [{ result: 'SUCCESS' }, () => true, 8],
  [{ result: 'FAILED' }, () => false, 0],
  [{ eventType: 'EXECUTOR_UPDATED', resourceType: 'workflow' }, () => false, 0],
])('filter %j: exactly the entries it names, newest first', async (query, keeps, count) => {
  // Act
  const pages = await everyPage({ ...query, limit: '2' });
  // Assess
  const expected = entries.filter(keeps).map((entry) => entry.eventId);
  expect(expected).toHaveLength(count);
  expect(pages.flatMap(ids)).toEqual(expected.reverse());
});

test("resourceId: that resource's chain, newest first, oldest first with sortOrder=ASC, with the other filters", async () => {
  // Act
  const newest = await listAuditEvents(org, { resourceId: trail.deleted });
  const oldest = await listAuditEvents(org, { resourceId: trail.deleted, sortOrder: 'ASC' });
  const updates = await listAuditEvents(org, { resourceId: trail.deleted, action: 'UPDATE' });
  // Assess
  expect(newest.body.items.map((entry: Entry) => [entry.seq, entry.eventType])).toEqual([
    [3, 'EXECUTOR_DELETED'],
    [2, 'EXECUTOR_UPDATED'],
    [1, 'EXECUTOR_CREATED'],
  ]);
  expect(ids(oldest)).toEqual([...ids(newest)].reverse());
  expect(updates.body.items.map((entry: Entry) => entry.seq)).toEqual([2]);
});

test('a date range keeps the entries at or between its bounds, offsets read as instants, across pages in both orders', async () => {
  // Prepare
  const from = entries[2].timestamp;
  const to = entries[6].timestamp;
  const inRange = entries.filter((entry) => entry.timestamp >= from && entry.timestamp <= to).map((e) => e.eventId);
  // The same instant written with an offset of +02:00.
  const shifted = (iso: string) => {
    const date = new Date(Date.parse(iso) + 2 * 3600_000).toISOString();
    return `${date.slice(0, -1)}+02:00`;
  };
  // Act
  const ascending = await everyPage({ dateFrom: from, dateTo: to, sortOrder: 'ASC', limit: '2' });
  const descending = await everyPage({ dateFrom: shifted(from), dateTo: shifted(to), limit: '2' });
  const fromOnly = await listAuditEvents(org, { dateFrom: to, sortOrder: 'ASC' });
  const toOnly = await listAuditEvents(org, { dateTo: from, sortOrder: 'ASC' });
  const ofResource = await listAuditEvents(org, { resourceId: trail.deleted, dateFrom: from, dateTo: to });
  // Assess
  expect(inRange.length).toBeGreaterThanOrEqual(5);
  expect(ascending.flatMap(ids)).toEqual(inRange);
  expect(ascending.length).toBeGreaterThanOrEqual(3);
  expect(descending.flatMap(ids)).toEqual([...inRange].reverse());
  expect(ids(fromOnly)).toEqual(entries.filter((entry) => entry.timestamp >= to).map((e) => e.eventId));
  expect(ids(toOnly)).toEqual(entries.filter((entry) => entry.timestamp <= from).map((e) => e.eventId));
  expect(ids(ofResource)).toEqual(
    entries
      .filter((entry) => entry.resourceId === trail.deleted && entry.timestamp >= from && entry.timestamp <= to)
      .map((entry) => entry.eventId)
      .reverse(),
  );
});

test('a range narrower than a millisecond between two instants holds nothing; the same instant twice holds its entries', async () => {
  // Prepare
  const at = entries[3].timestamp;
  const justAfter = `${at.slice(0, -1)}1Z`;
  // Act
  const narrow = await listAuditEvents(org, { dateFrom: justAfter, dateTo: justAfter });
  const instant = await listAuditEvents(org, { dateFrom: at, dateTo: at });
  // Assess
  expect(narrow.body).toEqual({ items: [], nextCursor: '', hasMore: false });
  expect(ids(instant)).toEqual(
    entries
      .filter((entry) => entry.timestamp === at)
      .map((entry) => entry.eventId)
      .reverse(),
  );
});

test('result=FAILED and contradicting filters answer an empty page without reading the feed', async () => {
  // Prepare
  await listAuditEvents(org, { result: 'FAILED' });
  const counter = countDynamoRequests();
  // Act
  const failed = await listAuditEvents(org, { result: 'FAILED' });
  const contradicting = await listAuditEvents(org, { eventType: 'WORKFLOW_DEPLOYED', action: 'CREATE' });
  counter.stop();
  // Assess
  expect([failed.body, contradicting.body]).toEqual([
    { items: [], nextCursor: '', hasMore: false },
    { items: [], nextCursor: '', hasMore: false },
  ]);
  expect(counter.sent).toEqual([]);
});

test("a cursor resumes only the listing it came from: a feed cursor outside the page's date range, or for a resource, is refused", async () => {
  // Prepare
  const early = await listAuditEvents(org, { sortOrder: 'ASC', limit: '1' });
  const chain = await listAuditEvents(org, { resourceId: trail.deleted, limit: '1' });
  const later = entries[5].timestamp;
  // Act
  const outside = await listAuditEvents(org, { dateFrom: later, cursor: early.body.nextCursor });
  const feedForResource = await listAuditEvents(org, { resourceId: trail.deleted, cursor: early.body.nextCursor });
  const chainForFeed = await listAuditEvents(org, { cursor: chain.body.nextCursor });
  const inside = await listAuditEvents(org, { dateTo: later, sortOrder: 'ASC', cursor: early.body.nextCursor });
  // Assess
  expect([outside, feedForResource, chainForFeed].map((reply) => [reply.status, reply.body.code])).toEqual([
    [400, 'FLK-0304'],
    [400, 'FLK-0304'],
    [400, 'FLK-0304'],
  ]);
  expect(inside.body.items[0].eventId).toBe(entries[1].eventId);
});

test.each([
  ['eventType', 'WORKFLOW_ACTIVATED', 'FLK-0304'],
  ['eventType', 'executor_created', 'FLK-0304'],
  ['action', 'ACTIVATE', 'FLK-0304'],
  ['result', 'MAYBE', 'FLK-0304'],
  ['resourceType', 'provider_config', 'FLK-0304'],
  ['resourceId', 'not-a-uuid', 'FLK-0002'],
  ['dateFrom', 'yesterday', 'FLK-0305'],
  ['dateTo', '2026-01-02', 'FLK-0305'],
  ['dateTo', '2026-02-30T00:00:00Z', 'FLK-0305'],
  ['dateFrom', '2026-01-02T10:15:00', 'FLK-0305'],
  ['sortOrder', 'desc', 'FLK-0310'],
  ['limit', '0', 'FLK-0309'],
  ['limit', '101', 'FLK-0309'],
  ['cursor', 'not-a-cursor', 'FLK-0304'],
])('%s=%s → 400 %s', async (name, value, code) => {
  // Act
  const reply = await listAuditEvents(org, { [name]: value });
  // Assess
  expect(reply).toMatchObject({ status: 400, body: { code, fields: { [`/${name}`]: expect.any(String) } } });
});

test('dateFrom after dateTo → 400 FLK-0308', async () => {
  // Act
  const reply = await listAuditEvents(org, { dateFrom: '2026-01-02T00:00:00Z', dateTo: '2026-01-01T23:59:59Z' });
  // Assess
  expect(reply).toMatchObject({
    status: 400,
    body: { code: 'FLK-0308', fields: { '/dateFrom': 'dateFrom must not be after dateTo' } },
  });
});
