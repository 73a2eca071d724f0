/**
 * Issue 15, finding 7: a tampered list cursor (an empty key attribute, a foreign sort
 * key, another partition) is a 400 FLK-0304 / 422 on every list route, in every order it
 * lists in, and DynamoDB never sees it.
 */
import { randomUUID } from 'node:crypto';
import { handler as listAuditHandler } from '../../../functions/audit/list.js';
import { handler as listExecutorsHandler } from '../../../functions/executors/list.js';
import {
  auditFeed,
  auditPartition,
  executorKey,
  executorNameKey,
  executorNamesByOrganization,
  executorsByOrganization,
  executorsByUpdate,
  workflowKey,
  workflowsByOrganization,
} from '../../../functions/store/keys.js';
import { handler as listWorkflowsHandler } from '../../../functions/workflows/list.js';
import { handler as listVersionsHandler } from '../../../functions/workflows/versions.js';
import { countDynamoRequests, invoke, newOrganization, restEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

const cursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
const id = randomUUID();
const created = `2026-11-30T10:00:00.000Z#${id}`;

/** Well-formed keys of each list, then the ways to tamper with them. */
function tampered(key: Record<string, string>, foreign: Record<string, string>): [string, Record<string, unknown>][] {
  return [
    ...Object.keys(key).map(
      (field) => [`${field} empty`, { ...key, [field]: '' }] as [string, Record<string, unknown>],
    ),
    ['pk emptied to ""', { pk: '' }],
    ['a foreign sort key', { ...key, sk: 'TOMBSTONE' }],
    ['another partition', { ...key, ...foreign }],
    ['a number for a key', { ...key, sk: 7 }],
    ['an extra attribute', { ...key, extra: 'x' }],
    ['a huge attribute', { ...key, sk: 'x'.repeat(5000) }],
  ];
}

const listExecutors = (query: Record<string, string>) =>
  invoke(
    listExecutorsHandler,
    restEvent({ method: 'GET', path: '/v1/executors', query, headers: { 'x-api-key': org.apiKey } }),
  );
const listAudit = (query: Record<string, string>) =>
  invoke(
    listAuditHandler,
    restEvent({ method: 'GET', path: '/v1/audit-events', query, headers: { 'x-api-key': org.apiKey } }),
  );

const routes = () => [
  {
    name: 'executors',
    send: (value: string) => listExecutors({ cursor: value }),
    key: { ...executorKey(org.organizationId, id), ...executorsByOrganization(org.organizationId), gsi1sk: created },
    foreign: { pk: executorKey('someone-else', id).pk },
  },
  {
    name: 'executors by last change',
    send: (value: string) => listExecutors({ cursor: value, sortBy: 'updatedAt' }),
    key: { ...executorKey(org.organizationId, id), ...executorsByUpdate(org.organizationId), gsi2sk: created },
    foreign: { pk: executorKey('someone-else', id).pk },
  },
  {
    name: 'executors by name',
    send: (value: string) => listExecutors({ cursor: value, sortBy: 'name' }),
    key: {
      ...executorNameKey(org.organizationId, 'Serasa KYC'),
      ...executorNamesByOrganization(org.organizationId),
      gsi1sk: 'serasa kyc',
    },
    foreign: { pk: executorNameKey('someone-else', 'Serasa KYC').pk },
  },
  {
    name: 'workflows',
    send: (value: string) =>
      invoke(
        listWorkflowsHandler,
        restEvent({
          method: 'GET',
          path: '/v1/workflows',
          query: { next: value },
          headers: { 'x-api-key': org.apiKey },
        }),
      ),
    key: { ...workflowKey(org.organizationId, id), ...workflowsByOrganization(org.organizationId), gsi1sk: created },
    foreign: { pk: workflowKey('someone-else', id).pk },
  },
  {
    name: 'workflow versions',
    send: (value: string) =>
      invoke(
        listVersionsHandler,
        restEvent({
          method: 'GET',
          path: `/v1/workflows/${id}/versions`,
          pathParameters: { workflow_id: id },
          query: { next: value },
          headers: { 'x-api-key': org.apiKey },
        }),
      ),
    key: { pk: workflowKey(org.organizationId, id).pk, sk: 'VERSION#000000002' },
    foreign: { pk: workflowKey('someone-else', id).pk },
  },
  {
    name: 'audit events',
    send: (value: string) => listAudit({ resourceId: id, cursor: value }),
    key: { pk: auditPartition(org.organizationId, id), sk: 'ENTRY#0000000002' },
    foreign: { pk: auditPartition('someone-else', id) },
  },
  {
    name: 'audit feed',
    send: (value: string) => listAudit({ cursor: value }),
    key: {
      pk: auditPartition(org.organizationId, id),
      sk: 'ENTRY#0000000002',
      ...auditFeed(org.organizationId),
      gsi1sk: `2026-11-30T10:00:00.000Z#${id}#0000000002`,
    },
    foreign: { pk: auditPartition('someone-else', id) },
  },
];

test.each([
  'executors',
  'executors by last change',
  'executors by name',
  'workflows',
  'workflow versions',
  'audit events',
  'audit feed',
])('%s: every tampered cursor is refused before DynamoDB', async (name) => {
  // Prepare
  const route = routes().find((r) => r.name === name)!;
  expect((await route.send(cursor(route.key))).status).toBe(200);
  const counter = countDynamoRequests();
  // Act
  const replies = [];
  for (const [what, key] of tampered(route.key, route.foreign))
    replies.push({ what, reply: await route.send(cursor(key)) });
  counter.stop();
  // Assess
  for (const { what, reply } of replies) {
    const expected =
      name.startsWith('executors') || name.startsWith('audit')
        ? { status: 400, code: 'FLK-0304' }
        : { status: 422, code: undefined };
    expect({ what, status: reply.status, code: reply.body.code }).toEqual({ what, ...expected });
  }
  expect(counter.sent).toEqual([]);
});
