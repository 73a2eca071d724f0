/**
 * Resource changes → domain events, on hand-written stream records: each change yields
 * its events with stable ids, status transitions get their own event, and no event
 * carries a value (so never a secret).
 */
import { withDeletion } from '../../../functions/streams/changes.js';
import { domainEventsOf } from '../../../functions/domain/events.js';
import { changeOf, executorItem, sealed, streamRecord, workflowItem } from '../../support/stream-records.js';
const eventsOf = (record: ReturnType<typeof streamRecord>, tombstone?: Record<string, unknown>) => {
  const change = changeOf(record);
  if (!change) return [];
  return domainEventsOf(change.action === 'deleted' ? withDeletion(change, tombstone) : change);
};

const configured = executorItem({
  status: 'configured',
  version: 2,
  baseUrl: 'https://api.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET', timeout: 30 }],
  authType: 'bearer',
  authConfig: {},
  authSecrets: { token: sealed('sk-live-abc123def456') },
  updatedAt: '2026-01-02T00:00:00.000Z',
  updatedBy: 'ops-key',
});

test('an executor INSERT is one ExecutorConfigurationCreated naming org, id, version, fields and actor', () => {
  // Prepare
  const record = streamRecord('INSERT', { new: executorItem({ description: 'd' }) }, 'rec-1');
  // Act
  const events = eventsOf(record);
  // Assess
  expect(events).toEqual([
    {
      id: 'rec-1:ExecutorConfigurationCreated',
      type: 'ExecutorConfigurationCreated',
      occurredAt: '2026-01-01T00:00:00.000Z',
      organizationId: 'org-1',
      resourceType: 'executor',
      resourceId: '5b1f0a4e-0000-4000-8000-000000000001',
      version: 1,
      changedFields: ['authSecrets', 'description', 'metadata', 'name', 'status'],
      actor: 'ci-key',
    },
  ]);
});

test('a PATCH taking unconfigured → configured is Updated (status among its fields) plus StatusChanged', () => {
  // Prepare
  const record = streamRecord('MODIFY', { old: executorItem(), new: configured }, 'rec-2');
  // Act
  const events = eventsOf(record);
  // Assess
  expect(events.map((e) => [e.id, e.type])).toEqual([
    ['rec-2:ExecutorConfigurationUpdated', 'ExecutorConfigurationUpdated'],
    ['rec-2:ExecutorStatusChanged', 'ExecutorStatusChanged'],
  ]);
  expect(events[0].changedFields).toEqual(['authConfig', 'authSecrets', 'authType', 'baseUrl', 'endpoints', 'status']);
  expect(events[0]).toMatchObject({ version: 2, actor: 'ops-key', occurredAt: '2026-01-02T00:00:00.000Z' });
  expect(events[0].status).toBeUndefined();
  expect(events[1].status).toEqual({ from: 'unconfigured', to: 'configured' });
});

test('a status-only transition (activate) is ExecutorStatusChanged alone', () => {
  // Prepare
  const tested = { ...configured, status: 'tested', version: 3 };
  const active = { ...configured, status: 'active', version: 4, updatedAt: '2026-01-03T00:00:00.000Z' };
  // Act
  const events = eventsOf(streamRecord('MODIFY', { old: tested, new: active }));
  // Assess
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    type: 'ExecutorStatusChanged',
    version: 4,
    changedFields: ['status'],
    status: { from: 'tested', to: 'active' },
  });
});

test('a write that changes nothing but bookkeeping is still one Updated event, with no fields', () => {
  // Prepare
  const record = streamRecord('MODIFY', {
    old: configured,
    new: { ...configured, version: 3, updatedAt: '2026-01-04T00:00:00.000Z' },
  });
  // Act
  const events = eventsOf(record);
  // Assess
  expect(events.map((e) => [e.type, e.changedFields])).toEqual([['ExecutorConfigurationUpdated', []]]);
});

test('a REMOVE is Deleted by the actor its tombstone names, at its time; unknown without a tombstone', () => {
  // Prepare
  const record = streamRecord('REMOVE', { old: configured }, 'rec-3');
  const tombstone = {
    pk: configured.pk,
    sk: 'TOMBSTONE',
    entity: 'executorTombstone',
    deletedBy: 'cleanup-key',
    deletedAt: '2026-01-05T00:00:00.000Z',
  };
  // Act
  const [deleted] = eventsOf(record, tombstone);
  const [anonymous] = eventsOf(record, undefined);
  // Assess
  expect(changeOf(record)?.tombstonePk).toBe(configured.pk);
  expect(deleted).toMatchObject({
    id: 'rec-3:ExecutorConfigurationDeleted',
    type: 'ExecutorConfigurationDeleted',
    actor: 'cleanup-key',
    occurredAt: '2026-01-05T00:00:00.000Z',
    version: 2,
  });
  expect(deleted.changedFields).toContain('baseUrl');
  expect(anonymous.actor).toBe('unknown');
});

test('workflow writes map by entity: Created, Updated, Deployed (snapshot insert), Deleted', () => {
  // Prepare
  const created = workflowItem();
  const updated = workflowItem({ description: 'KYC, scoring, payout', revision: 2, updatedBy: 'designer' });
  const deployedCopy = workflowItem({
    description: 'KYC, scoring, payout',
    revision: 3,
    version: 1,
    hasPendingChanges: false,
  });
  const snapshot = {
    pk: created.pk,
    sk: 'VERSION#000000001',
    entity: 'workflowVersion',
    organizationId: 'org-1',
    workflowId: created.id,
    version: 1,
    deployedBy: 'release-key',
    deployedAt: '2026-01-06T00:00:00.000Z',
    content: { name: 'Onboarding', llm_credentials: { provider: 'openai', value: sealed('llm-key') } },
  };
  // Act
  const events = [
    ...eventsOf(streamRecord('INSERT', { new: created })),
    ...eventsOf(streamRecord('MODIFY', { old: created, new: updated })),
    ...eventsOf(streamRecord('MODIFY', { old: updated, new: deployedCopy })),
    ...eventsOf(streamRecord('INSERT', { new: snapshot })),
    ...eventsOf(streamRecord('REMOVE', { old: deployedCopy }), {
      deletedBy: 'admin-key',
      deletedAt: '2026-01-07T00:00:00.000Z',
    }),
    ...eventsOf(streamRecord('REMOVE', { old: snapshot })),
  ];
  // Assess
  expect(events.map((e) => [e.type, e.version, e.actor])).toEqual([
    ['WorkflowCreated', 1, 'ci-key'],
    ['WorkflowUpdated', 2, 'designer'],
    ['WorkflowUpdated', 3, 'ci-key'],
    ['WorkflowDeployed', 1, 'release-key'],
    ['WorkflowDeleted', 3, 'admin-key'],
  ]);
  expect(events[1].changedFields).toEqual(['description']);
  expect(events[2].changedFields).toEqual(['hasPendingChanges']);
  expect(events[3]).toMatchObject({
    resourceType: 'workflow',
    resourceId: created.id,
    changedFields: ['content'],
    occurredAt: '2026-01-06T00:00:00.000Z',
  });
  expect(events[0].changedFields).toContain('llmCredentialsValue');
});

test('the same record always yields the same event ids; different records never share one', () => {
  // Prepare
  const record = streamRecord('MODIFY', { old: executorItem(), new: configured });
  const other = streamRecord('MODIFY', { old: executorItem(), new: configured });
  // Act
  const first = eventsOf(record).map((e) => e.id);
  const again = eventsOf(structuredClone(record)).map((e) => e.id);
  const different = eventsOf(other).map((e) => e.id);
  // Assess
  expect(again).toEqual(first);
  expect(new Set([...first, ...different]).size).toBe(first.length + different.length);
});

test("no event carries a value: sealed secrets, secret names' values and credentials stay out", () => {
  // Prepare
  const rotated = { ...configured, authSecrets: { token: sealed('sk-live-rotated') }, version: 3 };
  const records = [
    streamRecord('INSERT', { new: configured }),
    streamRecord('MODIFY', { old: configured, new: rotated }),
    streamRecord('MODIFY', {
      old: workflowItem(),
      new: workflowItem({ llmCredentialsValue: sealed('other'), revision: 2 }),
    }),
  ];
  // Act
  const text = JSON.stringify(records.flatMap((record) => eventsOf(record)));
  // Assess
  expect(text).toContain('authSecrets');
  expect(text).toContain('llmCredentialsValue');
  expect(text).not.toContain('enc:v1');
  expect(text).not.toContain('https://api.example.com');
});

test('an event names the principal and the permission of the change; one of an earlier release only its actor', () => {
  // Prepare
  const authorizedBy = { principal: 'apikey:fp_AbCdEfG', permission: 'executors:write' };
  const record = streamRecord('MODIFY', { old: executorItem(), new: { ...configured, authorizedBy } }, 'rec-p');
  // Act
  const events = eventsOf(record);
  const earlier = eventsOf(streamRecord('INSERT', { new: executorItem() }));
  // Assess
  expect(events.map((e) => [e.type, e.actor, e.principal, e.permission])).toEqual([
    ['ExecutorConfigurationUpdated', 'ops-key', 'apikey:fp_AbCdEfG', 'executors:write'],
    ['ExecutorStatusChanged', 'ops-key', 'apikey:fp_AbCdEfG', 'executors:write'],
  ]);
  expect(earlier[0]).not.toHaveProperty('principal');
  expect(earlier[0]).not.toHaveProperty('permission');
});
