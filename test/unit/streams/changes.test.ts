/** Stream records → resource changes: the mapping is driven by `entity`; an item that is no resource is no change. */
import { withDeletion } from '../../../functions/streams/changes.js';
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

describe('who made a change: the name earlier releases recorded, and since permissions the credential and permission', () => {
  const byToken = { principal: 'oidc:https://id.example.com#client-7', permission: 'executors:write' };

  test('an item written since permissions exist names its actor, principal and permission; authorizedBy is no changed field', () => {
    // Prepare
    const before = executorItem({ authorizedBy: { principal: 'apikey:fp_AbCdEfG', permission: 'executors:write' } });
    const after = executorItem({ description: 'd', version: 2, updatedBy: 'client-7', authorizedBy: byToken });
    // Act
    const change = changeOf(streamRecord('MODIFY', { old: before, new: after }));
    // Assess
    expect(change).toMatchObject({ actor: 'client-7', authorization: byToken, changedFields: ['description'] });
  });

  test('a permission this release does not know (written by a later one) is still reported as recorded', () => {
    // Prepare
    const authorizedBy = { principal: 'apikey:fp_AbCdEfG', permission: 'executors:activate' };
    // Act
    const change = changeOf(streamRecord('INSERT', { new: executorItem({ authorizedBy }) }));
    // Assess
    expect(change?.authorization).toEqual(authorizedBy);
  });

  test('an item of an earlier release (no authorizedBy) names only its actor; a malformed one is read as none', () => {
    // Prepare
    const earlier = executorItem({ description: 'd' });
    const malformed = [
      { principal: 'apikey:fp_AbCdEfG' },
      { principal: 7, permission: 'executors:write' },
      'apikey:fp_AbCdEfG',
    ].map((authorizedBy) => executorItem({ authorizedBy }));
    // Act
    const changes = [earlier, ...malformed].map((item) => changeOf(streamRecord('INSERT', { new: item })));
    // Assess
    for (const change of changes) {
      expect(change?.actor).toBe('ci-key');
      expect(change).not.toHaveProperty('authorization');
    }
  });

  test('a deployment names its snapshot’s deployer; a deletion its tombstone’s, old tombstones by name alone', () => {
    // Prepare
    const snapshot = {
      pk: 'ORG#org-1#WORKFLOW#w',
      sk: 'VERSION#0000000002',
      entity: 'workflowVersion',
      organizationId: 'org-1',
      workflowId: 'w',
      version: 2,
      deployedAt: '2026-01-02T00:00:00.000Z',
      deployedBy: 'release-bot',
      authorizedBy: { principal: 'events:release.pipeline', permission: 'workflows:deploy' },
      fields: {},
    };
    const removal = changeOf(streamRecord('REMOVE', { old: workflowItem() }))!;
    // Act
    const deployed = changeOf(streamRecord('INSERT', { new: snapshot }));
    const deleted = withDeletion(removal, {
      deletedBy: 'admin',
      deletedAt: '2026-01-03T00:00:00.000Z',
      authorizedBy: { principal: 'apikey:fp_AdMiNkY', permission: 'workflows:write' },
    });
    const deletedEarlier = withDeletion(removal, { deletedBy: 'admin', deletedAt: '2026-01-03T00:00:00.000Z' });
    // Assess
    expect(deployed).toMatchObject({
      action: 'deployed',
      actor: 'release-bot',
      authorization: { principal: 'events:release.pipeline', permission: 'workflows:deploy' },
    });
    expect(deployed?.changedFields).not.toContain('authorizedBy');
    expect(deleted).toMatchObject({
      actor: 'admin',
      authorization: { principal: 'apikey:fp_AdMiNkY', permission: 'workflows:write' },
    });
    expect(deletedEarlier.actor).toBe('admin');
    expect(deletedEarlier).not.toHaveProperty('authorization');
  });
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
