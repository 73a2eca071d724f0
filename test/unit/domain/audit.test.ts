/**
 * The audit log's pure rules: entries drafted from changes with secrets redacted,
 * chaining from the genesis hash, and verification that names the first broken link —
 * for any chain and any tampered entry.
 */
import fc from 'fast-check';
import {
  type AuditEntry,
  auditDraftOf,
  auditHashOf,
  genesisHash,
  maxChangeValueBytes,
  parseAuditEntryId,
  redactedValue,
  sealAuditEntry,
  type StoredAuditEntry,
  verifyAuditChain,
} from '../../../functions/domain/audit.js';
import { canonicalJson, hashOf, sha256Hex } from '../../../functions/domain/canonical-json.js';
import type { ResourceChange } from '../../../functions/domain/resource-change.js';
import { withDeletion } from '../../../functions/streams/changes.js';
import {
  changeOf as changeOfRecord,
  executorItem,
  sealed,
  streamRecord,
  workflowItem,
} from '../../support/stream-records.js';

const resourceId = '5b1f0a4e-0000-4000-8000-000000000001';

const changeOf = (record: ReturnType<typeof streamRecord>) => changeOfRecord(record) as ResourceChange;

/** A chain of `length` entries for one resource, as the store would hold them. */
function chainOf(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i += 1) {
    const before = executorItem({ version: i, description: `v${i}` });
    const after = executorItem({ version: i + 1, description: `v${i + 1}`, updatedBy: `key-${i}` });
    const draft = auditDraftOf(changeOf(streamRecord('MODIFY', { old: before, new: after }, `rec-${i}`)));
    entries.push(sealAuditEntry(draft, entries.at(-1)));
  }
  return entries;
}

const stored = (entries: AuditEntry[]): StoredAuditEntry[] =>
  entries.map((entry) => ({
    position: entry.seq,
    fields: structuredClone(entry) as unknown as Record<string, unknown>,
  }));

test('an executor change drafts who, what (secrets redacted) and when, with the hash of the state after', () => {
  // Prepare
  const before = executorItem();
  const after = executorItem({
    status: 'configured',
    version: 2,
    baseUrl: 'https://api.example.com',
    authType: 'api_key',
    authConfig: { header: '"X-API-Key"' },
    authSecrets: { key: sealed('sk-live-abc123def456') },
    metadata: { team: '"kyc"', apiToken: '"tok-123"' },
    updatedBy: 'ops-key',
    updatedAt: '2026-01-02T00:00:00.000Z',
  });
  // Act
  const draft = auditDraftOf(changeOf(streamRecord('MODIFY', { old: before, new: after }, 'rec-9')));
  // Assess
  expect(draft).toMatchObject({
    organizationId: 'org-1',
    resourceType: 'executor',
    resourceId,
    resourceVersion: 2,
    action: 'updated',
    actor: 'ops-key',
    at: '2026-01-02T00:00:00.000Z',
    streamEventId: 'rec-9',
    stateHash: hashOf(after),
  });
  expect(draft.changes).toEqual({
    authConfig: { to: { header: '"X-API-Key"' } },
    authSecrets: { from: {}, to: { key: redactedValue } },
    authType: { to: 'api_key' },
    baseUrl: { to: 'https://api.example.com' },
    metadata: { from: {}, to: { team: '"kyc"', apiToken: redactedValue } },
    status: { from: 'unconfigured', to: 'configured' },
  });
  expect(JSON.stringify(draft)).not.toContain('enc:v1');
  expect(JSON.stringify(draft)).not.toContain('tok-123');
});

test('workflow credentials are redacted wherever they sit; a deletion hashes the null state', () => {
  // Prepare
  const snapshot = {
    pk: 'ORG#org-1#WORKFLOW#w',
    sk: 'VERSION#000000001',
    entity: 'workflowVersion',
    organizationId: 'org-1',
    workflowId: 'w',
    version: 1,
    deployedBy: 'release-key',
    deployedAt: '2026-01-06T00:00:00.000Z',
    content: {
      name: 'n',
      llm_credentials: { provider: 'openai', value: 'plain-llm-key' },
      nodes: [{ id: 'a', note: sealed('x') }],
    },
  };
  const working = workflowItem({ llmCredentialsValue: sealed('before') });
  // Act
  const deployed = auditDraftOf(changeOf(streamRecord('INSERT', { new: snapshot })));
  const updated = auditDraftOf(
    changeOf(
      streamRecord('MODIFY', { old: working, new: { ...working, llmCredentialsValue: sealed('after'), revision: 2 } }),
    ),
  );
  const deleted = auditDraftOf(
    withDeletion(changeOf(streamRecord('REMOVE', { old: working })), { deletedBy: 'admin-key' }),
  );
  // Assess
  expect(deployed).toMatchObject({
    action: 'deployed',
    resourceType: 'workflow',
    resourceId: 'w',
    resourceVersion: 1,
    actor: 'release-key',
  });
  expect(deployed.changes.content.to).toEqual({
    name: 'n',
    llm_credentials: { provider: redactedValue, value: redactedValue },
    nodes: [{ id: 'a', note: redactedValue }],
  });
  expect(updated.changes).toEqual({ llmCredentialsValue: { from: redactedValue, to: redactedValue } });
  expect(deleted).toMatchObject({ action: 'deleted', actor: 'admin-key', stateHash: hashOf(null) });
  expect(JSON.stringify([deployed, updated, deleted])).not.toMatch(/plain-llm-key|enc:v1/);
});

test('a value too large for an entry is recorded as its digest and size', () => {
  // Prepare
  const endpoints = Array.from({ length: 40 }, (_, i) => ({
    name: `endpoint-${i}`,
    path: `/path/${i}`,
    method: 'POST',
    timeout: 30,
  }));
  const after = executorItem({ endpoints, version: 2 });
  // Act
  const draft = auditDraftOf(changeOf(streamRecord('MODIFY', { old: executorItem(), new: after })));
  // Assess
  const text = canonicalJson(endpoints);
  expect(Buffer.byteLength(text)).toBeGreaterThan(maxChangeValueBytes);
  expect(draft.changes.endpoints).toEqual({ to: { $sha256: sha256Hex(text), $bytes: Buffer.byteLength(text) } });
});

test("entries chain from the genesis hash, each holding the previous entry's hash", () => {
  // Act
  const [first, second, third] = chainOf(3);
  // Assess
  expect(first).toMatchObject({ id: `${resourceId}.1`, seq: 1, prevHash: genesisHash });
  expect(second).toMatchObject({ id: `${resourceId}.2`, seq: 2, prevHash: first.hash });
  expect(third.prevHash).toBe(second.hash);
  for (const entry of [first, second, third]) {
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHashOf(entry as unknown as Record<string, unknown>)).toBe(entry.hash);
  }
  expect(parseAuditEntryId(third.id)).toEqual({ resourceId, seq: 3 });
  expect(parseAuditEntryId(`${resourceId}.0`)).toBeUndefined();
});

test('an intact chain verifies at every entry', () => {
  // Prepare
  const entries = stored(chainOf(4));
  // Act
  const results = [1, 2, 3, 4].map((seq) => verifyAuditChain(entries, resourceId, seq));
  // Assess
  for (const [index, result] of results.entries()) {
    const seq = index + 1;
    expect(result).toEqual({
      id: `${resourceId}.${seq}`,
      resourceId,
      valid: true,
      entriesChecked: seq,
      firstBrokenLink: null,
    });
  }
});

test('an edited entry is the first broken link for it and every later entry; earlier entries still verify', () => {
  // Prepare
  const entries = stored(chainOf(4));
  entries[1].fields.actor = 'someone-else';
  // Act
  const results = [1, 2, 3, 4].map((seq) => verifyAuditChain(entries, resourceId, seq));
  // Assess
  expect(results[0].valid).toBe(true);
  for (const result of results.slice(1)) {
    expect(result).toMatchObject({
      valid: false,
      entriesChecked: 2,
      firstBrokenLink: { id: `${resourceId}.2`, seq: 2, reason: 'hash_mismatch' },
    });
  }
});

test('an edit whose hash was recomputed breaks the next link; a removed entry is a missing link', () => {
  // Prepare
  const rehashed = stored(chainOf(3));
  rehashed[1].fields.actor = 'someone-else';
  rehashed[1].fields.hash = auditHashOf(rehashed[1].fields);
  const gap = stored(chainOf(3)).filter((entry) => entry.position !== 2);
  const moved = stored(chainOf(3));
  moved[2].fields.seq = 7;
  // Act / Assess
  expect(verifyAuditChain(rehashed, resourceId, 2).valid).toBe(true);
  expect(verifyAuditChain(rehashed, resourceId, 3).firstBrokenLink).toMatchObject({
    seq: 3,
    reason: 'previous_hash_mismatch',
  });
  expect(verifyAuditChain(gap, resourceId, 3).firstBrokenLink).toMatchObject({ seq: 2, reason: 'missing_entry' });
  expect(verifyAuditChain(moved, resourceId, 3).firstBrokenLink).toMatchObject({ seq: 3, reason: 'misplaced_entry' });
});

test('for any chain, any tampered entry and any field, verify reports exactly that entry from there on', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 8 })
        .chain((length) =>
          fc.tuple(
            fc.constant(length),
            fc.integer({ min: 1, max: length }),
            fc.constantFrom(
              'actor',
              'at',
              'action',
              'stateHash',
              'prevHash',
              'resourceVersion',
              'changes',
              'changedFields',
            ),
            fc.integer({ min: 1, max: length }),
          ),
        ),
      ([length, tampered, field, target]) => {
        // Prepare
        const entries = stored(chainOf(length));
        const fields = entries[tampered - 1].fields;
        fields[field] =
          field === 'resourceVersion'
            ? Number(fields[field]) + 1
            : field === 'changes'
              ? {}
              : field === 'changedFields'
                ? ['x']
                : `${String(fields[field])}x`;
        // Act
        const result = verifyAuditChain(entries, resourceId, target);
        // Assess
        if (target < tampered) return result.valid && result.firstBrokenLink === null;
        const reason = field === 'prevHash' ? 'previous_hash_mismatch' : 'hash_mismatch';
        return !result.valid && result.firstBrokenLink?.seq === tampered && result.firstBrokenLink.reason === reason;
      },
    ),
    { numRuns: 300 },
  );
});

test('an entry names the principal and the permission of the change, its hash covers them, and a chain mixing entries of earlier releases verifies', () => {
  // Prepare
  const authorizedBy = { principal: 'oidc:https://id.example.com#client-7', permission: 'executors:write' };
  const earlier = executorItem({ version: 1 });
  const later = executorItem({ version: 2, description: 'd', updatedBy: 'client-7', authorizedBy });
  const first = sealAuditEntry(auditDraftOf(changeOf(streamRecord('INSERT', { new: earlier }, 'rec-a'))), undefined);
  const second = sealAuditEntry(
    auditDraftOf(changeOf(streamRecord('MODIFY', { old: earlier, new: later }, 'rec-b'))),
    first,
  );
  const entries = stored([first, second]);
  const forged = stored([first, second]);
  forged[1].fields.permission = 'audit:read';
  // Act
  const verified = verifyAuditChain(entries, resourceId, 2);
  const tampered = verifyAuditChain(forged, resourceId, 2);
  // Assess
  expect(first).not.toHaveProperty('principal');
  expect(first).not.toHaveProperty('permission');
  expect(second).toMatchObject({ actor: 'client-7', ...authorizedBy });
  expect(verified.valid).toBe(true);
  expect(tampered.firstBrokenLink).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
});
