/**
 * Every key and access pattern of the single table, as pure functions. Nothing else
 * in the code base spells a key.
 *
 * | entity            | pk                                  | sk          | gsi1pk                    | gsi1sk            |
 * |-------------------|-------------------------------------|-------------|---------------------------|-------------------|
 * | API key           | APIKEY#<sha256>                     | APIKEY      | ORG#<org>#APIKEYS         | <createdAt>#<hash>|
 * | executor          | ORG#<org>#EXECUTOR#<id>             | EXECUTOR    | ORG#<org>#EXECUTORS       | <createdAt>#<id>  |
 * | executor name     | ORG#<org>#EXECUTOR_NAME#<identity>  | NAME        | -                         | -                 |
 * | executor deleted  | ORG#<org>#EXECUTOR#<id>             | TOMBSTONE   | -                         | -                 |
 * | workflow (working)| ORG#<org>#WORKFLOW#<id>             | WORKFLOW    | ORG#<org>#WORKFLOWS       | <createdAt>#<id>  |
 * | workflow snapshot | ORG#<org>#WORKFLOW#<id>             | VERSION#<n> | -                         | -                 |
 * | workflow deleted  | ORG#<org>#WORKFLOW#<id>             | TOMBSTONE   | -                         | -                 |
 * | workflow unique name | ORG#<org>#WORKFLOW_NAME#<unique name> | UNIQUE_NAME | -                    | -                 |
 * | audit entry       | ORG#<org>#AUDIT#<resourceId>        | ENTRY#<seq> | -                         | -                 |
 * | audit receipt     | ORG#<org>#AUDIT#<resourceId>        | RECEIPT#<e> | -  (before 0.2.0; TTL)    | -                 |
 * | idempotency record| ORG#<org>#IDEMPOTENCY#<op>#<sha256> | IDEMPOTENCY | -                         | -                 |
 * | migration run     | MIGRATION                           | RUN         | -                         | -                 |
 *
 * The organization is part of every resource key, so another organization's id can
 * only ever address an item that does not exist. Idempotency records (Powertools
 * Idempotency, functions/store/idempotency.ts) hash the caller's key with the
 * organization, under the operation's prefix; they carry no `entity`, so the stream
 * consumers pass them by, and they expire by TTL (`expiresAt`).
 */
import { nameIdentity } from '../domain/names.js';

export interface Key {
  pk: string;
  sk: string;
}

export function apiKeyKey(keyHash: string): Key {
  return { pk: `APIKEY#${keyHash}`, sk: 'APIKEY' };
}

export function apiKeysByOrganization(organizationId: string) {
  return { gsi1pk: `ORG#${organizationId}#APIKEYS` };
}

export function apiKeyIndexKeys(organizationId: string, createdAt: string, keyHash: string) {
  return { ...apiKeysByOrganization(organizationId), gsi1sk: `${createdAt}#${keyHash}` };
}

export function executorKey(organizationId: string, executorId: string): Key {
  return { pk: `ORG#${organizationId}#EXECUTOR#${executorId}`, sk: 'EXECUTOR' };
}

export function executorsByOrganization(organizationId: string) {
  return { gsi1pk: `ORG#${organizationId}#EXECUTORS` };
}

export function executorIndexKeys(organizationId: string, createdAt: string, executorId: string) {
  return { ...executorsByOrganization(organizationId), gsi1sk: `${createdAt}#${executorId}` };
}

/**
 * The item that reserves an executor name within an organization, keyed by what makes
 * two names the same (functions/domain/names.ts): `Acme Pay` and `acme pay ` share it.
 */
export function executorNameKey(organizationId: string, name: string): Key {
  return { pk: `ORG#${organizationId}#EXECUTOR_NAME#${nameIdentity(name)}`, sk: 'NAME' };
}

/**
 * Where a release before 0.2.0 claimed an executor name: under the name's bytes. The migration moves such claims to
 * `executorNameKey` (sharing it when another executor holds the name's identity).
 */
export function executorNameKeyAsTyped(organizationId: string, name: string): Key {
  return { pk: `ORG#${organizationId}#EXECUTOR_NAME#${name}`, sk: 'NAME' };
}

/** Written with a delete so the stream knows who deleted the executor; expires by TTL. */
export function executorTombstoneKey(organizationId: string, executorId: string): Key {
  return { pk: executorKey(organizationId, executorId).pk, sk: 'TOMBSTONE' };
}

export function workflowKey(organizationId: string, workflowId: string): Key {
  return { pk: `ORG#${organizationId}#WORKFLOW#${workflowId}`, sk: 'WORKFLOW' };
}

export function workflowsByOrganization(organizationId: string) {
  return { gsi1pk: `ORG#${organizationId}#WORKFLOWS` };
}

export function workflowIndexKeys(organizationId: string, createdAt: string, workflowId: string) {
  return { ...workflowsByOrganization(organizationId), gsi1sk: `${createdAt}#${workflowId}` };
}

/**
 * The item that reserves a workflow's `unique_name` within an organization. The unique
 * name is already the canonical form of the name (functions/domain/names.ts
 * `uniqueNameBase`), so the key holds it as it is.
 */
export function workflowUniqueNameKey(organizationId: string, uniqueName: string): Key {
  return { pk: `ORG#${organizationId}#WORKFLOW_NAME#${uniqueName}`, sk: 'UNIQUE_NAME' };
}

/** Sort-key prefix of a workflow's snapshots; zero-padded so they sort by version. */
export const workflowVersionPrefix = 'VERSION#';

/** A deployed, immutable snapshot of a workflow. */
export function workflowVersionKey(organizationId: string, workflowId: string, version: number): Key {
  return {
    pk: workflowKey(organizationId, workflowId).pk,
    sk: `${workflowVersionPrefix}${String(version).padStart(9, '0')}`,
  };
}

/** Written with a delete so the stream knows who deleted the workflow; expires by TTL. */
export function workflowTombstoneKey(organizationId: string, workflowId: string): Key {
  return { pk: workflowKey(organizationId, workflowId).pk, sk: 'TOMBSTONE' };
}

/** A resource's deletion tombstone sits in the resource's own partition (executors and workflows alike). */
export function tombstoneKeyOf(resourcePk: string): Key {
  return { pk: resourcePk, sk: 'TOMBSTONE' };
}

/** The audit log of one resource (executor or workflow): its hash-chained entries. */
export function auditPartition(organizationId: string, resourceId: string): string {
  return `ORG#${organizationId}#AUDIT#${resourceId}`;
}

/** Sort-key prefix of audit entries; the sequence is zero-padded so entries sort in chain order. */
export const auditEntryPrefix = 'ENTRY#';

/** The `seq`-th entry (from 1) of a resource's audit chain. */
export function auditEntryKey(organizationId: string, resourceId: string, seq: number): Key {
  return { pk: auditPartition(organizationId, resourceId), sk: `${auditEntryPrefix}${String(seq).padStart(10, '0')}` };
}

/**
 * The receipt a release before 0.2.0 wrote beside each audit entry, for the stream record it came from (expiring
 * after a week): how a chain it ended still recognises a record delivered again.
 */
export function auditReceiptKey(organizationId: string, resourceId: string, streamEventId: string): Key {
  return { pk: auditPartition(organizationId, resourceId), sk: `RECEIPT#${streamEventId}` };
}

/** IAM `dynamodb:LeadingKeys` pattern of every audit partition: API functions are denied writes to it. */
export const auditLeadingKeyPattern = 'ORG#*#AUDIT#*';

/**
 * The shape of a key a page may resume after (what a cursor decodes to): each attribute
 * with its exact value or the pattern its value must match. A cursor that does not fit
 * is refused before DynamoDB sees it.
 */
export type KeyShape = Readonly<Record<string, string | RegExp>>;

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const timestampPattern = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const startingWith = (prefix: string, rest: string) => new RegExp(`^${escaped(prefix)}${rest}$`);

/** Where a page of an organization's executors resumes (its `gsi1` index). */
export function executorPageKeyShape(organizationId: string): KeyShape {
  return {
    pk: startingWith(`ORG#${organizationId}#EXECUTOR#`, uuidPattern),
    sk: executorKey(organizationId, '').sk,
    ...executorsByOrganization(organizationId),
    gsi1sk: new RegExp(`^${timestampPattern}#${uuidPattern}$`),
  };
}

/** Where a page of an organization's workflows resumes (its `gsi1` index). */
export function workflowPageKeyShape(organizationId: string): KeyShape {
  return {
    pk: startingWith(`ORG#${organizationId}#WORKFLOW#`, uuidPattern),
    sk: workflowKey(organizationId, '').sk,
    ...workflowsByOrganization(organizationId),
    gsi1sk: new RegExp(`^${timestampPattern}#${uuidPattern}$`),
  };
}

/** Where a page of a workflow's deployed versions resumes. */
export function workflowVersionPageKeyShape(organizationId: string, workflowId: string): KeyShape {
  return { pk: workflowKey(organizationId, workflowId).pk, sk: startingWith(workflowVersionPrefix, '\\d{9}') };
}

/** Where a page of a resource's audit entries resumes. */
export function auditPageKeyShape(organizationId: string, resourceId: string): KeyShape {
  return { pk: auditPartition(organizationId, resourceId), sk: startingWith(auditEntryPrefix, '\\d{10}') };
}

/** The migration's own item: where its last run stands (what it resumes from) and what it counted. */
export function migrationRunKey(): Key {
  return { pk: 'MIGRATION', sk: 'RUN' };
}

/** The prefix of an operation's idempotency records in an organization (the hash of the caller's key follows). */
export function idempotencyKeyPrefix(organizationId: string, operationId: string): string {
  return `ORG#${organizationId}#IDEMPOTENCY#${operationId}`;
}

/** The item of one idempotency record, from its full key (`<prefix>#<hash>`). */
export function idempotencyRecordKey(prefixedHash: string): Key {
  return { pk: prefixedHash, sk: 'IDEMPOTENCY' };
}
