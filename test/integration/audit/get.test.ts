/**
 * GET /v1/audit-events/{id} through the real handler, against DynamoDB Local: one entry by
 * its `eventId` (a UUID) or by its place, as the feed lists it; another organization's
 * entry and an unknown id are 404 FLK-0600. Replies are checked against flowplane's schema
 * and the one Flowker's document declares (test/support/audit.ts).
 */
import { randomUUID } from 'node:crypto';
import { countDynamoRequests, newOrganization, type Organization } from '../../support/api.js';
import { type AuditTrail, auditTrail, getAuditEvent, listAuditEvents } from '../../support/audit.js';

let org: Organization;
let trail: AuditTrail;

beforeAll(async () => {
  org = await newOrganization();
  trail = await auditTrail(org);
});

test('an entry by its eventId is the entry the feed lists, in one Query', async () => {
  // Prepare
  const listed = (await listAuditEvents(org, { resourceId: trail.workflow })).body.items;
  await getAuditEvent(org, listed[0].eventId);
  const counter = countDynamoRequests();
  // Act
  const replies = await Promise.all(listed.map((entry: { eventId: string }) => getAuditEvent(org, entry.eventId)));
  counter.stop();
  // Assess
  expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
  expect(replies.map((reply) => reply.body)).toEqual(listed);
  expect(counter.sent).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
});

test('an entry by its place in its resource chain (`<resourceId>.<seq>`), in one GetItem', async () => {
  // Prepare
  const [newest] = (await listAuditEvents(org, { resourceId: trail.deleted })).body.items;
  const counter = countDynamoRequests();
  // Act
  const reply = await getAuditEvent(org, `${trail.deleted}.${newest.seq}`);
  counter.stop();
  // Assess
  expect(reply.body).toEqual(newest);
  expect(counter.sent).toEqual(['GetItemCommand']);
});

test("another organization's entry, an unknown eventId or place → 404 FLK-0600; an id of neither form → 400 FLK-0002", async () => {
  // Prepare
  const [entry] = (await listAuditEvents(org, { resourceId: trail.configured })).body.items;
  const other = await newOrganization();
  // Act
  const replies = await Promise.all([
    getAuditEvent(other, entry.eventId),
    getAuditEvent(other, `${trail.configured}.1`),
    getAuditEvent(org, randomUUID()),
    getAuditEvent(org, `${trail.configured}.9`),
  ]);
  const malformed = await getAuditEvent(org, 'not-an-id');
  // Assess
  for (const reply of replies)
    expect(reply).toMatchObject({
      status: 404,
      body: { code: 'FLK-0600', title: 'Not Found', message: 'Audit entry not found' },
    });
  expect(malformed).toMatchObject({ status: 400, body: { code: 'FLK-0002' } });
});
