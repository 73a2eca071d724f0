/** Stream records → resource changes: the mapping is driven by `entity`; an item that is no resource is no change. */
import { changeOf, executorItem, streamRecord, workflowItem } from '../../support/stream-records.js';

test('items that are no resource yield no change and no event', () => {
  // Prepare
  const others = [
    {
      pk: 'ORG#org-1#EXECUTOR_NAME#x',
      sk: 'NAME',
      entity: 'executorName',
      organizationId: 'org-1',
      executorId: 'e',
      name: 'x',
    },
    { pk: 'APIKEY#abc', sk: 'APIKEY', entity: 'apiKey', organizationId: 'org-1', name: 'ci-key', keyHash: 'abc' },
    {
      pk: 'ORG#org-1#EXECUTOR#e',
      sk: 'TOMBSTONE',
      entity: 'executorTombstone',
      organizationId: 'org-1',
      id: 'e',
      deletedBy: 'k',
    },
    {
      pk: 'ORG#org-1#AUDIT#e',
      sk: 'ENTRY#0000000001',
      entity: 'auditEntry',
      organizationId: 'org-1',
      resourceId: 'e',
      actor: 'k',
    },
    { pk: 'ORG#org-1#AUDIT#e', sk: 'RECEIPT#r', entity: 'auditReceipt', entryId: 'e.1' },
    { pk: 'ORG#org-1#EXECUTOR#e', sk: 'EXECUTOR', organizationId: 'org-1', id: 'e' },
  ];
  for (const item of others) {
    for (const kind of ['INSERT', 'MODIFY', 'REMOVE'] as const) {
      const record = streamRecord(
        kind,
        kind === 'INSERT' ? { new: item } : kind === 'REMOVE' ? { old: item } : { old: item, new: item },
      );
      // Act / Assess
      expect([item.entity, kind, changeOf(record)]).toEqual([item.entity, kind, undefined]);
    }
  }
});

test('a rewrite by the migration (the counter unmoved) is no change of the resource: no event, no audit entry', () => {
  // Prepare
  const executor = executorItem({ version: 4 });
  const workflow = workflowItem({ revision: 6 });
  // Act
  const rewrites = [
    streamRecord('MODIFY', { old: executor, new: { ...executor, secretsBoundTo: 'none x', formatVersion: 2 } }),
    streamRecord('MODIFY', { old: workflow, new: { ...workflow, uniqueName: 'u', formatVersion: 3 } }),
  ].map(changeOf);
  const written = changeOf(
    streamRecord('MODIFY', { old: executor, new: { ...executor, version: 5, formatVersion: 2 } }),
  );
  // Assess
  expect(rewrites).toEqual([undefined, undefined]);
  expect(written).toMatchObject({ action: 'updated', version: 5, changedFields: [] });
});

test('notification settings a release before 0.2.0 stored in clear reach events and audit masked', () => {
  // Prepare
  const settings = (value: string) =>
    JSON.stringify({
      on_error: { webhook: [{ url: 'https://hooks.example.com', headers: { Authorization: value } }] },
    });
  const before = workflowItem({ fields: { notification_settings: settings('Bearer s3cr3t') } });
  const after = workflowItem({ revision: 2, fields: { notification_settings: settings('********') } });
  // Act
  const change = changeOf(streamRecord('MODIFY', { old: before, new: after }));
  // Assess
  expect(change?.changedFields).toEqual(['notification_settings']);
  expect(JSON.stringify(change?.changedValues)).not.toContain('s3cr3t');
  expect(change?.changedValues?.notification_settings).toEqual({
    before: JSON.parse(settings('********')),
    after: JSON.parse(settings('********')),
  });
});
