/**
 * The index keys 0.3.0's migration steps add (functions/store/index-backfill.ts) to items as
 * earlier releases wrote them: exactly the keys its kind lacks, derived from the item alone;
 * applied twice it is applied once; an audit chain verifies before and after.
 */
import {
  auditDraftOf,
  type AuditEntry,
  auditEventIdOf,
  sealAuditEntry,
  verifyAuditChain,
} from '../../../functions/domain/audit.js';
import type { ResourceChange } from '../../../functions/domain/resource-change.js';
import { toStoredAuditEntry } from '../../../functions/store/audit.js';
import {
  auditEntryIndexStep,
  executorNameIndexStep,
  executorUpdateIndexStep,
} from '../../../functions/store/index-backfill.js';
import { migrationSteps } from '../../../functions/migrations/steps.js';
import { auditEntryKey } from '../../../functions/store/keys.js';
import { changeOf, executorItem, streamRecord } from '../../support/stream-records.js';

const organizationId = 'org-1';
const executorId = '5b1f0a4e-0000-4000-8000-000000000001';

/** An item as 0.2.0 wrote it: without the keys 0.3.0 added. */
function writtenBefore(item: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name)));
}

/** The item with what a step added. */
const upgradedBy =
  (step: (item: Record<string, unknown>) => Record<string, string> | undefined) => (item: Record<string, unknown>) => ({
    ...item,
    ...step(item),
  });

/** A resource's chain of `length` entries, stored as 0.2.0 stored them (no index keys). */
function chainWrittenBefore(length: number): Record<string, unknown>[] {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i += 1) {
    const before = executorItem({ version: i });
    const after = executorItem({ version: i + 1, updatedAt: `2026-01-0${i}T00:00:00.000Z` });
    const change = changeOf(streamRecord('MODIFY', { old: before, new: after }, `rec-${i}`)) as ResourceChange;
    entries.push(sealAuditEntry(auditDraftOf(change), entries.at(-1)));
  }
  return entries.map((entry) => ({
    ...auditEntryKey(organizationId, executorId, entry.seq),
    entity: 'auditEntry',
    streamSequence: String(entry.seq),
    ...entry,
  }));
}

test('an executor gets its place in the order by last change, from its updatedAt and id; nothing else changes', () => {
  // Prepare
  const today = executorItem({ updatedAt: '2026-03-01T10:00:00.000Z' });
  const before = writtenBefore(today, 'gsi2pk', 'gsi2sk');
  // Act
  const added = executorUpdateIndexStep(before);
  const upgraded = { ...before, ...added };
  // Assess
  expect(Object.keys(added!).sort()).toEqual(['gsi2pk', 'gsi2sk']);
  expect(upgraded).toEqual(today);
  expect(upgraded).toMatchObject({
    gsi2pk: `ORG#${organizationId}#EXECUTORS`,
    gsi2sk: `2026-03-01T10:00:00.000Z#${executorId}`,
  });
  expect(executorUpdateIndexStep(upgraded)).toBeUndefined();
  expect(executorUpdateIndexStep(today)).toBeUndefined();
});

test("a name claim gets its place in the name order, from its name's identity", () => {
  // Prepare
  const claim = {
    pk: `ORG#${organizationId}#EXECUTOR_NAME#serasa kyc`,
    sk: 'NAME',
    entity: 'executorName',
    organizationId,
    executorId,
    name: ' Serasa  KYC',
  };
  // Act
  const added = executorNameIndexStep(claim);
  // Assess
  expect(added).toEqual({ gsi1pk: `ORG#${organizationId}#EXECUTOR_NAMES`, gsi1sk: 'serasa kyc' });
  expect(executorNameIndexStep({ ...claim, ...added })).toBeUndefined();
});

test('an audit entry gets its feed keys and its lookup by eventId; its chain verifies before and after', () => {
  // Prepare
  const before = chainWrittenBefore(3);
  // Act
  const upgraded = before.map(upgradedBy(auditEntryIndexStep));
  // Assess
  const [second] = upgraded.slice(1);
  expect(
    Object.keys(second)
      .filter((name) => !(name in before[1]))
      .sort(),
  ).toEqual(['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);
  expect(second).toMatchObject({
    gsi1pk: `ORG#${organizationId}#AUDIT`,
    gsi1sk: `2026-01-02T00:00:00.000Z#${executorId}#0000000002`,
    gsi2pk: `ORG#${organizationId}#AUDIT_EVENT#${auditEventIdOf(organizationId, executorId, 2)}`,
    gsi2sk: 'AUDIT_EVENT',
  });
  for (const chain of [before, upgraded]) {
    const verified = verifyAuditChain(chain.map(toStoredAuditEntry), organizationId, executorId, 3);
    expect(verified).toMatchObject({ isValid: true, totalChecked: 3 });
  }
  expect(upgraded.map((item) => auditEntryIndexStep(item))).toEqual([undefined, undefined, undefined]);
});

test('an audit entry whose feed key says another time than it holds is the first broken link', () => {
  // Prepare
  const upgraded = chainWrittenBefore(2).map(upgradedBy(auditEntryIndexStep));
  upgraded[0].gsi1sk = `2030-01-01T00:00:00.000Z#${executorId}#0000000001`;
  // Act
  const verified = verifyAuditChain(upgraded.map(toStoredAuditEntry), organizationId, executorId, 2);
  // Assess
  expect(verified).toMatchObject({ isValid: false, firstInvalidId: 1, firstBrokenLink: { reason: 'misplaced_entry' } });
});

test('an audit entry of today, with its format version, verifies: the hash covers neither it nor the index keys', () => {
  // Prepare
  const today = chainWrittenBefore(2).map((item) => ({ ...upgradedBy(auditEntryIndexStep)(item), formatVersion: 1 }));
  // Act
  const verified = verifyAuditChain(today.map(toStoredAuditEntry), organizationId, executorId, 2);
  // Assess
  expect(verified).toMatchObject({ isValid: true, totalChecked: 2 });
});

test("each step keeps to its own kind of item, and the migration runs it as its kind's step", async () => {
  // Prepare
  const items = [
    executorItem(),
    { entity: 'executorName', organizationId, name: 'n' },
    ...chainWrittenBefore(1),
    { entity: 'workflow', organizationId },
  ];
  // Act
  const steps = [executorUpdateIndexStep, executorNameIndexStep, auditEntryIndexStep];
  const applied = steps.map((step) => items.map((item) => step(item) !== undefined));
  const registered = ['executor-update-index', 'executor-name-index', 'audit-entry-index'].map((name) =>
    migrationSteps.find((step) => step.name === name),
  );
  const results = await Promise.all(registered.map((step, index) => step!.apply(items[index])));
  // Assess
  expect(registered.map((step) => [step!.kind, step!.version])).toEqual([
    ['executor', 3],
    ['executorName', 2],
    ['auditEntry', 1],
  ]);
  expect(results.map((result) => result.set)).toEqual([undefined, steps[1](items[1]), steps[2](items[2])]);
  expect(applied).toEqual([
    [false, false, false, false],
    [false, true, false, false],
    [false, false, true, false],
  ]);
});
