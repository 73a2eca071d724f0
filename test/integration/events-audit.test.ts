/**
 * Domain events and the audit log end to end: executors created, patched, moved and
 * deleted through the real handlers on DynamoDB Local; the table's stream read as
 * `npm start` reads it (scripts/local/streams.ts); both consumers run on those records;
 * the audit routes answer. The suite shares one table, so only this file's
 * organization's records are fed to the consumers.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { handler as listAuditHandler } from '../../functions/audit/list.js';
import { handler as verifyAuditHandler } from '../../functions/audit/verify.js';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as updateWorkflowHandler } from '../../functions/workflows/update.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { auditEntryKey, auditPartition } from '../../functions/store/keys.js';
import { handler as publishHandler } from '../../functions/streams/publish-events.js';
import { handler as auditHandler } from '../../functions/streams/write-audit.js';
import { auditEventListOutput, auditVerificationOutput } from '../../schemas/audit.js';
import { readTableStream } from '../../scripts/local/streams.js';
import { invoke, lambdaContext, newOrganization, type Organization, restEvent } from '../support/api.js';
import { createExecutor, deleteExecutor, patchExecutor, setExecutorStatus } from '../support/executors.js';
import { startTestIssuer, useIssuer } from '../support/oidc-issuer.js';
import { assertFits } from '../support/schemas.js';
import { createWorkflow, deleteWorkflow, patchWorkflow } from '../support/workflows.js';

const secret = 'sk-live-abc123def456';
let org: Organization;
let other: Organization;
let sink: string;

beforeAll(async () => {
  org = await newOrganization();
  other = await newOrganization();
  sink = join(mkdtempSync(join(tmpdir(), 'flowplane-events-')), 'events.ndjson');
  process.env.EVENTS_SINK_FILE = sink;
});

const completeBody = (name: string, description: string) => ({
  name,
  description,
  baseUrl: 'https://api.serasa.com.br/v2',
  endpoints: [{ name: 'validate', path: '/identity/validate', method: 'POST' }],
  authentication: { type: 'api_key', config: { key: secret, header: 'X-API-Key' } },
});

/** A new executor of `org`, by name only. */
async function newExecutor(name = `audit-${randomUUID()}`): Promise<string> {
  const reply = await createExecutor(org, { name });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

async function configure(id: string, body: unknown): Promise<void> {
  const reply = await patchExecutor(org, id, body);
  expect(reply.status).toBe(200);
}

async function remove(id: string): Promise<void> {
  const reply = await deleteExecutor(org, id);
  expect(reply.status).toBe(204);
}

const imageOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;

/**
 * This organization's stream records about `resourceId` (its items, snapshots and tombstone), once `count` are there.
 */
async function recordsAbout(resourceId: string, count: number): Promise<DynamoDBRecord[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const records = (
      await readTableStream({ endpoint: String(process.env.DYNAMODB_ENDPOINT), tableName: tableName() })
    ).filter((record) => {
      const image = imageOf(record);
      return (
        image?.organizationId?.S === org.organizationId &&
        [image?.id?.S, image?.executorId?.S, image?.workflowId?.S].includes(resourceId)
      );
    });
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function runConsumers(records: DynamoDBRecord[]) {
  const published = await publishHandler({ Records: records }, lambdaContext());
  const audited = await auditHandler({ Records: records }, lambdaContext());
  return { published, audited };
}

/** What the sink holds for a resource, in order. */
function sinkEvents(resourceId: string): { id: string; 'detail-type': string; detail: Record<string, any> }[] {
  if (!existsSync(sink)) return [];
  return readFileSync(sink, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((line) => line.detail.resourceId === resourceId);
}

const listAudit = (query: Record<string, string>, key = org.apiKey) =>
  invoke(
    listAuditHandler,
    restEvent({ method: 'GET', path: '/v1/audit-events', query, headers: { 'X-API-Key': key } }),
  );
const verify = (id: string, key = org.apiKey) =>
  invoke(
    verifyAuditHandler,
    restEvent({
      method: 'GET',
      path: `/v1/audit-events/${id}/verify`,
      pathParameters: { id },
      headers: { 'X-API-Key': key },
    }),
  );

/** One executor through its life: create, configure (with a secret), edit, delete; 4 executor writes. */
async function executorLifecycle(): Promise<{ id: string; records: DynamoDBRecord[] }> {
  const name = `audit-${randomUUID()}`;
  const id = await newExecutor(name);
  await configure(id, completeBody(name, 'first'));
  await configure(id, completeBody(name, 'second'));
  await remove(id);
  // Executor: INSERT, MODIFY, MODIFY, REMOVE; name claim: INSERT, REMOVE; tombstone: INSERT.
  const records = await recordsAbout(id, 7);
  expect(records).toHaveLength(7);
  return { id, records };
}

test('each change yields its events, with the right type, fields and actor, and no secret', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  // Act
  const { published } = await runConsumers(records);
  // Assess
  expect(published).toEqual({ batchItemFailures: [] });
  const events = sinkEvents(id);
  expect(events.map((e) => e['detail-type'])).toEqual([
    'ExecutorConfigurationCreated',
    'ExecutorConfigurationUpdated',
    'ExecutorStatusChanged',
    'ExecutorConfigurationUpdated',
    'ExecutorConfigurationDeleted',
  ]);
  expect(events.map((e) => e.detail.version)).toEqual([1, 2, 2, 3, 3]);
  expect(
    events.every(
      (e) => e.detail.actor === 'test' && e.detail.organizationId === org.organizationId && e.id === e.detail.id,
    ),
  ).toBe(true);
  expect(events[1].detail.changedFields).toEqual([
    'authConfig',
    'authSecrets',
    'authType',
    'baseUrl',
    'description',
    'endpoints',
    'status',
  ]);
  expect(events[2].detail.status).toEqual({ from: 'unconfigured', to: 'configured' });
  expect(events[3].detail.changedFields).toEqual(['authSecrets', 'description']);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const text = readFileSync(sink, 'utf8');
  expect(text).not.toContain(secret);
  expect(text).not.toContain('enc:v1');
});

test('a status-only transition through the command path is one ExecutorStatusChanged by the command actor', async () => {
  // Prepare
  const name = `audit-${randomUUID()}`;
  const id = await newExecutor(name);
  await configure(id, completeBody(name, 'ready'));
  await setExecutorStatus(org, id, 'tested');
  await activateHandler({ organizationId: org.organizationId, params: { id }, actor: 'release-bot' }, lambdaContext());
  const records = await recordsAbout(id, 5);
  // Act
  await runConsumers(records.slice(-1));
  // Assess
  expect(sinkEvents(id).map((e) => [e['detail-type'], e.detail.actor, e.detail.status])).toEqual([
    ['ExecutorStatusChanged', 'release-bot', { from: 'tested', to: 'active' }],
  ]);
});

test('replaying the same records yields no new event ids and no duplicate audit entries', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  await runConsumers(records);
  const idsBefore = new Set(sinkEvents(id).map((e) => e.id));
  const entriesBefore = (await listAudit({ resourceId: id, limit: '100' })).body.items;
  // Act
  const replayed = await runConsumers(records);
  await runConsumers(records.slice(2));
  // Assess
  expect(replayed).toEqual({ published: { batchItemFailures: [] }, audited: { batchItemFailures: [] } });
  expect(new Set(sinkEvents(id).map((e) => e.id))).toEqual(idsBefore);
  // Delivered again (at least once), under the same ids: a consumer drops them by id.
  expect(sinkEvents(id).length).toBeGreaterThan(2 * idsBefore.size);
  const entriesAfter = (await listAudit({ resourceId: id, limit: '100' })).body.items;
  expect(entriesAfter).toEqual(entriesBefore);
  expect(entriesAfter).toHaveLength(4);
});

test('a record delivered to two writers at once is appended once, at the next place; the chain stays valid', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  const [first, second] = records.filter((record) => imageOf(record)?.entity?.S === 'executor');
  const batch = (record: DynamoDBRecord) => ({ Records: [record] });
  // Act
  await Promise.all([auditHandler(batch(first), lambdaContext()), auditHandler(batch(first), lambdaContext())]);
  const afterSame = (await listAudit({ resourceId: id, limit: '100' })).body.items;
  await Promise.all([auditHandler(batch(second), lambdaContext()), auditHandler(batch(second), lambdaContext())]);
  // Assess
  expect(afterSame).toHaveLength(1);
  const entries = (await listAudit({ resourceId: id, limit: '100' })).body.items;
  expect(entries.map((entry: { seq: number; streamEventId: string }) => [entry.seq, entry.streamEventId])).toEqual([
    [1, first.eventID],
    [2, second.eventID],
  ]);
  expect((await verify(`${id}.2`)).body).toMatchObject({ valid: true, firstBrokenLink: null });
});

test('the audit routes list the chain in order (who, what, when, state hash) and verify it; other organizations see nothing', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  await runConsumers(records);
  // Act
  const all = await listAudit({ resourceId: id });
  const firstPage = await listAudit({ resourceId: id, limit: '3' });
  const secondPage = await listAudit({ resourceId: id, limit: '3', cursor: firstPage.body.nextCursor });
  const verified = await verify(`${id}.4`);
  const foreignList = await listAudit({ resourceId: id }, other.apiKey);
  const foreignVerify = await verify(`${id}.4`, other.apiKey);
  const stolenCursor = await listAudit({ resourceId: id, cursor: firstPage.body.nextCursor }, other.apiKey);
  // Assess
  expect(all.status).toBe(200);
  assertFits(auditEventListOutput, all.body);
  const entries = all.body.items;
  expect(entries.map((e: any) => [e.seq, e.action, e.actor, e.resourceVersion])).toEqual([
    [1, 'created', 'test', 1],
    [2, 'updated', 'test', 2],
    [3, 'updated', 'test', 3],
    [4, 'deleted', 'test', 3],
  ]);
  expect(entries[0].prevHash).toBe('0'.repeat(64));
  for (let i = 1; i < entries.length; i += 1) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
  expect(entries[1].changes.description).toEqual({ to: 'first' });
  expect(entries[2].changes.description).toEqual({ from: 'first', to: 'second' });
  expect(entries[1].changes.authSecrets).toEqual({ from: {}, to: { key: '[REDACTED]' } });
  expect(entries.every((e: any) => /^[0-9a-f]{64}$/.test(e.stateHash) && e.resourceType === 'executor')).toBe(true);
  expect([firstPage.body.items.length, firstPage.body.hasMore, secondPage.body.items.map((e: any) => e.seq)]).toEqual([
    3,
    true,
    [4],
  ]);
  expect(verified.status).toBe(200);
  assertFits(auditVerificationOutput, verified.body);
  expect(verified.body).toEqual({
    id: `${id}.4`,
    resourceId: id,
    valid: true,
    entriesChecked: 4,
    firstBrokenLink: null,
  });
  expect(foreignList.body).toEqual({ items: [], nextCursor: null, hasMore: false });
  expect(foreignVerify.status).toBe(404);
  expect(stolenCursor.status).toBe(400);
  expect((await verify(`${id}.5`)).status).toBe(404);
  expect((await listAudit({})).status).toBe(400);
});

test('a tampered audit item is reported by verify as the first broken link, at that entry', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  await runConsumers(records);
  expect((await verify(`${id}.4`)).body.valid).toBe(true);
  // Act
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: auditEntryKey(org.organizationId, id, 2),
      UpdateExpression: 'SET actor = :someone',
      ExpressionAttributeValues: { ':someone': 'someone-else' },
    }),
  );
  const results = await Promise.all([1, 2, 3, 4].map((seq) => verify(`${id}.${seq}`)));
  // Assess
  expect(results[0].body).toMatchObject({ valid: true, firstBrokenLink: null });
  for (const result of results.slice(1)) {
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      valid: false,
      entriesChecked: 2,
      firstBrokenLink: { id: `${id}.2`, seq: 2, reason: 'hash_mismatch' },
    });
  }
});

test('no audit item holds a secret, sealed or in clear', async () => {
  // Prepare
  const { id, records } = await executorLifecycle();
  // Act
  await runConsumers(records);
  // Assess
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditPartition(org.organizationId, id) },
    }),
  );
  expect(Items?.filter((item) => item.entity === 'auditEntry')).toHaveLength(4);
  // Each entry is the partition's only kind of item: no receipt beside it.
  expect(Items).toHaveLength(4);
  const text = JSON.stringify(Items);
  expect(text).toContain('[REDACTED]');
  expect(text).not.toContain(secret);
  expect(text).not.toContain('enc:v1');
});

test('a sink that fails makes the batch report the first record with events, for redelivery', async () => {
  // Prepare
  const { records } = await executorLifecycle();
  const withEvents = records.find((record) => imageOf(record)?.entity?.S === 'executor');
  process.env.EVENTS_SINK_FILE = mkdtempSync(join(tmpdir(), 'flowplane-not-a-file-'));
  try {
    // Act
    const result = await publishHandler({ Records: records }, lambdaContext());
    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: withEvents?.dynamodb?.SequenceNumber }] });
  } finally {
    process.env.EVENTS_SINK_FILE = sink;
  }
});

test('workflow changes through the real handlers: created and deployed, updated, deployed again, deleted; credentials never leave', async () => {
  // Prepare
  const created = await createWorkflow(org, {
    name: `wf-${randomUUID()}`,
    llm_credentials: { name: 'openai', value: secret },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect((await patchWorkflow(org, id, { description: 'staged' })).status).toBe(200);
  expect((await patchWorkflow(org, id, { description: 'live' }, { deploy: 'true' })).status).toBe(200);
  const deleted = await deleteWorkflow(org, id);
  expect(deleted.status).toBeLessThan(300);
  // Working copy: INSERT, MODIFY, MODIFY, REMOVE; snapshots: INSERT v1, INSERT v2 (and their removals); tombstone:
  // INSERT.
  const records = await recordsAbout(id, 9);
  // Act
  const { published, audited } = await runConsumers(records);
  // Assess
  expect([published, audited]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  const events = sinkEvents(id);
  expect(events.map((e) => e['detail-type']).sort()).toEqual(
    [
      'WorkflowCreated',
      'WorkflowDeployed',
      'WorkflowUpdated',
      'WorkflowUpdated',
      'WorkflowDeployed',
      'WorkflowDeleted',
    ].sort(),
  );
  expect(events.at(-1)?.['detail-type']).toBe('WorkflowDeleted');
  expect(
    events
      .filter((e) => e['detail-type'] === 'WorkflowDeployed')
      .map((e) => e.detail.version)
      .sort(),
  ).toEqual([1, 2]);
  expect(events.every((e) => e.detail.actor === 'test' && e.detail.resourceType === 'workflow')).toBe(true);
  // A workflow's content is one map entry per request field: events name those fields.
  expect(events.filter((e) => e['detail-type'] === 'WorkflowUpdated').map((e) => e.detail.changedFields)).toEqual([
    ['description', 'hasPendingChanges'],
    ['description', 'hasPendingChanges'],
  ]);
  const audit = await listAudit({ resourceId: id, limit: '100' });
  expect(audit.body.items.map((e: any) => e.action).sort()).toEqual([
    'created',
    'deleted',
    'deployed',
    'deployed',
    'updated',
    'updated',
  ]);
  expect((await verify(`${id}.6`)).body).toMatchObject({ valid: true, entriesChecked: 6 });
  const text = `${readFileSync(sink, 'utf8')}${JSON.stringify(audit.body)}`;
  expect(text).not.toContain(secret);
  expect(text).not.toContain('enc:v1');
});

test('audit entries and events name the principal and the permission of each change: a key by its prefix, a token by issuer and subject', async () => {
  // Prepare
  const issuer = await startTestIssuer();
  const restore = useIssuer(issuer);
  try {
    const subject = `release-${randomUUID()}`;
    const token = await issuer.tokenFor(org.organizationId, ['workflows:write', 'workflows:deploy'], subject);
    const id = (await createWorkflow(org, { name: 'who-did-it' })).body.id;
    const byToken = await invoke(
      updateWorkflowHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/workflows/${id}`,
        pathParameters: { workflow_id: id },
        query: { deploy: 'true' },
        headers: { authorization: `Bearer ${token}` },
        body: { description: 'deployed with a token' },
      }),
    );
    expect(byToken.status).toBe(200);
    // Working copy INSERT and MODIFY, snapshots 1 and 2, the unique name's claim.
    const records = await recordsAbout(id, 5);
    // Act
    await runConsumers(records);
    const audit = await listAudit({ resourceId: id });
    // Assess
    const key = `apikey:${org.apiKey.slice(0, 10)}`;
    const tokenPrincipal = `oidc:${issuer.issuer}#${subject}`;
    expect(audit.body.items.map((e: any) => [e.action, e.actor, e.principal, e.permission])).toEqual([
      ['created', 'test', key, 'workflows:write'],
      ['deployed', 'test', key, 'workflows:write'],
      ['updated', subject, tokenPrincipal, 'workflows:deploy'],
      ['deployed', subject, tokenPrincipal, 'workflows:deploy'],
    ]);
    assertFits(auditEventListOutput, audit.body);
    expect(
      sinkEvents(id).map((e) => [e['detail-type'], e.detail.actor, e.detail.principal, e.detail.permission]),
    ).toEqual([
      ['WorkflowCreated', 'test', key, 'workflows:write'],
      ['WorkflowDeployed', 'test', key, 'workflows:write'],
      ['WorkflowUpdated', subject, tokenPrincipal, 'workflows:deploy'],
      ['WorkflowDeployed', subject, tokenPrincipal, 'workflows:deploy'],
    ]);
  } finally {
    restore();
    await issuer.close();
  }
});
