/** Stream records → resource changes: the mapping is driven by `entity`; an item that is no resource is no change. */
import { changeOf, streamRecord } from '../../support/stream-records.js';

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
