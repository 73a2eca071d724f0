/**
 * Workflow items: the working copy and its immutable deployed snapshots, in one
 * partition per workflow. Every write is conditional; a failed condition returns the old
 * item, so "not found" is told without a read and a write that finds the working copy
 * changed hands it back as it is now (the use case resolves the change again against it).
 * This module reads and writes items: what a change means is decided in
 * functions/domain/workflow/change.ts, and sealed before it gets here.
 *
 * Each field of the content is its own entry of the `fields` map, written alone: two
 * PATCHes of different fields never overwrite each other.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Actor, authorizationOf } from '../domain/permissions.js';
import { expectedVersions, matchesPrecondition, type Precondition } from '../domain/precondition.js';
import { llmApiBaseOriginAfter, movesKeptCredential, type WorkflowChange } from '../domain/workflow/change.js';
import {
  llmApiBaseOrigin,
  type StoredContent,
  type WorkflowRecord,
  type WorkflowSnapshot,
} from '../domain/workflow/model.js';
import { numberedUniqueNames, uniqueNameCandidate } from '../domain/names.js';
import type { WorkflowReadOnlyClaim } from '../domain/workflow/read-only-claims.js';
import { unsealedNotificationSecrets } from '../domain/workflow/notifications.js';
import { currentFormats } from '../domain/formats.js';
import { ConcurrentChangeError, NotFoundError, StaleVersionError, StorageLimitError } from '../errors.js';
import { getDocumentClient, putNew, tableName } from './client.js';
import { cancellationCodes, cancellationReason, conditionFailure, isItemTooLarge } from './errors.js';
import {
  mapEntryPaths,
  type Placeholders,
  placeholders,
  setMapEntries,
  updateExpression,
  versionIn,
} from './expressions.js';
import {
  workflowIndexKeys,
  workflowKey,
  workflowsByOrganization,
  workflowTombstoneKey,
  workflowUniqueNameKey,
  workflowVersionKey,
  workflowVersionPrefix,
} from './keys.js';
import { collided, type Retried, retryFor, retryOnConflict } from './retry.js';
import { indexKeyAttributes, pageOf, tableDefinition, tableKeyAttributes } from './table.js';
import { deletionWithTombstone } from './tombstones.js';

/** Attempts of a transaction that only collides with others in flight (TransactionConflict). */
const maxTransactionAttempts = 3;

/** A conditional write of the working copy that did not land: the working copy as its condition found it. */
export interface Refused {
  current: WorkflowRecord;
}

const workflowNotFound = () => new NotFoundError('workflow');
const staleRevision = () => new StaleVersionError('workflow');
const tooLarge = () => new StorageLimitError('workflow');

/** ` AND revision IN (...)` for an If-Match naming revisions. */
const revisionCondition = (precondition: Precondition | undefined, into: Placeholders) =>
  versionIn('revision', expectedVersions(precondition), into, ':ifMatch');

/**
 * Refuses content that still holds a notification secret in clear (copied from what a release before 0.2.0 wrote):
 * the use case seals it first (functions/workflows/secrets.ts, `inCurrentFormat`), so no write stores one.
 */
function assertSealed(content: StoredContent): void {
  const text = content.fields.notification_settings;
  if (text !== undefined && unsealedNotificationSecrets(JSON.parse(text)).length > 0)
    throw new Error('notification secrets in clear must be sealed before a write');
}

/** A snapshot item, in the current format: its content's secrets are all sealed. */
function snapshotItem(snapshot: WorkflowSnapshot) {
  assertSealed(snapshot);
  return {
    ...workflowVersionKey(snapshot.organizationId, snapshot.workflowId, snapshot.version),
    entity: 'workflowVersion',
    ...snapshot,
    formatVersion: currentFormats.workflowVersion,
  };
}

/** The item that reserves a unique name for a workflow. */
function uniqueNameClaim(organizationId: string, uniqueName: string, workflowId: string) {
  return {
    ...workflowUniqueNameKey(organizationId, uniqueName),
    entity: 'workflowUniqueName',
    organizationId,
    workflowId,
    uniqueName,
  };
}

/** Unique names a create tries before it gives up (numbered ones, then random suffixes). */
const maxUniqueNameAttempts = numberedUniqueNames + 5;

/**
 * Stores a new workflow deployed as version 1: working copy, snapshot and the claim of its
 * unique name, atomically. The unique name is the first free candidate for `uniqueNameBase`
 * (functions/domain/names.ts): a claim taken meanwhile makes the transaction fail on that
 * claim alone, and the next candidate is tried, so concurrent creates with one name get
 * distinct unique names.
 */
export async function createWorkflow(draft: Omit<WorkflowRecord, 'uniqueName'>, base: string): Promise<WorkflowRecord> {
  const { organizationId, id, createdAt } = draft;
  for (let attempt = 1; attempt <= maxUniqueNameAttempts; attempt += 1) {
    const record: WorkflowRecord = { ...draft, uniqueName: uniqueNameCandidate(base, attempt) };
    const stored = await retryOnConflict(
      async () => {
        try {
          await getDocumentClient().send(
            new TransactWriteCommand({
              TransactItems: [
                putNew({
                  ...workflowKey(organizationId, id),
                  ...workflowIndexKeys(organizationId, createdAt, id),
                  entity: 'workflow',
                  ...record,
                  formatVersion: currentFormats.workflow,
                  ...(record.fields.llm_api_base !== undefined
                    ? { llmApiBaseOrigin: llmApiBaseOrigin(record.fields) }
                    : {}),
                }),
                {
                  Put: {
                    TableName: tableName(),
                    Item: snapshotItem({
                      workflowId: id,
                      organizationId,
                      version: 1,
                      deployedAt: createdAt,
                      deployedBy: record.createdBy,
                      ...(record.authorizedBy ? { authorizedBy: record.authorizedBy } : {}),
                      fields: record.fields,
                      ...(record.llmCredentialsValue ? { llmCredentialsValue: record.llmCredentialsValue } : {}),
                      ...(record.notificationSecrets ? { notificationSecrets: record.notificationSecrets } : {}),
                    }),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                putNew(uniqueNameClaim(organizationId, record.uniqueName!, id)),
              ],
            }),
          );
          return true;
        } catch (error) {
          if (isItemTooLarge(error)) throw tooLarge();
          const codes = cancellationCodes(error);
          if (codes?.[2] === 'ConditionalCheckFailed' && codes[0] !== 'ConditionalCheckFailed') return false;
          if (retryFor(codes ?? []) === collided) return collided;
          throw error;
        }
      },
      { attempts: maxTransactionAttempts, jitterMs: 0, exhausted: () => new ConcurrentChangeError('workflow') },
    );
    if (stored) return record;
  }
  throw new ConcurrentChangeError('workflow');
}

/** The working copy, or `NotFoundError` (also for another organization's id). */
export async function getWorkflow(
  organizationId: string,
  workflowId: string,
  consistent = false,
): Promise<WorkflowRecord> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: workflowKey(organizationId, workflowId),
      ConsistentRead: consistent,
    }),
  );
  if (!Item) throw workflowNotFound();
  return Item as WorkflowRecord;
}

/**
 * The working copy and snapshot `version`, in one request. The working copy must exist:
 * a deleted workflow's leftover snapshots are never served.
 */
export async function getWorkflowWithVersion(
  organizationId: string,
  workflowId: string,
  version: number,
): Promise<{ record: WorkflowRecord; snapshot: WorkflowSnapshot }> {
  const working = workflowKey(organizationId, workflowId);
  const wanted = workflowVersionKey(organizationId, workflowId, version);
  const items: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] | undefined = [{ ...working }, { ...wanted }];
  for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt += 1) {
    const result: BatchGetCommandOutput = await getDocumentClient().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }),
    );
    items.push(...(result.Responses?.[tableName()] ?? []));
    keys = result.UnprocessedKeys?.[tableName()]?.Keys;
  }
  if (keys && keys.length > 0) throw new Error('BatchGetItem left keys unprocessed after 5 attempts');
  const record = items.find((item) => item.sk === working.sk) as WorkflowRecord | undefined;
  const snapshot = items.find((item) => item.sk === wanted.sk) as WorkflowSnapshot | undefined;
  if (!record) throw workflowNotFound();
  if (!snapshot) throw new NotFoundError('workflowVersion', version);
  return { record, snapshot };
}

/**
 * SET / REMOVE clauses for a change to the working copy's content: only the fields it
 * names. `unchanged` is the condition that the item already holds what the change writes
 * (each set entry equal, each removed entry and a cleared credential absent; a kept
 * credential present), undefined when the change writes something new whatever is stored
 * (a new sealed credential): in DynamoDB's terms, what `leavesUnchanged`
 * (functions/domain/workflow/change.ts) says of an item in hand.
 */
function changeExpression(change: WorkflowChange, into: Placeholders) {
  const touched = Object.keys(change.set).length + change.remove.length > 0;
  if (touched) into.names['#fields'] = 'fields';
  const sets = setMapEntries('#fields', change.set, 'f', into);
  const removes = mapEntryPaths('#fields', change.remove, 'r', into);
  // `#fields.#f0 = :f0` reads as a comparison too: the same placeholders, the values sent once.
  let unchanged: string[] | undefined = [...sets, ...removes.map((path) => `attribute_not_exists(${path})`)];
  if (change.credential === 'clear') {
    removes.push('llmCredentialsValue');
    unchanged.push('attribute_not_exists(llmCredentialsValue)');
  } else if (change.credential && 'keep' in change.credential) {
    unchanged.push('attribute_exists(llmCredentialsValue)');
  } else if (change.credential && 'sealed' in change.credential) {
    unchanged = undefined;
    into.values[':credential'] = change.credential.sealed;
    sets.push('llmCredentialsValue = :credential');
  }
  if (change.notificationKeeps)
    throw new Error('masked notification secrets must be resolved against the stored ones before a write');
  if (change.notificationSecrets !== undefined) {
    // The whole map: sealed values are never equal twice, so new ones always write.
    if (Object.keys(change.notificationSecrets).length === 0) {
      removes.push('notificationSecrets');
      unchanged?.push('attribute_not_exists(notificationSecrets)');
    } else {
      into.values[':notificationSecrets'] = change.notificationSecrets;
      sets.push('notificationSecrets = :notificationSecrets');
      unchanged?.push('notificationSecrets = :notificationSecrets');
    }
  }
  // The origin a stored credential is bound to follows llm_api_base.
  if (change.set.llm_api_base !== undefined) {
    into.values[':apiBaseOrigin'] = llmApiBaseOrigin(change.set);
    sets.push('llmApiBaseOrigin = :apiBaseOrigin');
  } else if (change.remove.includes('llm_api_base')) {
    removes.push('llmApiBaseOrigin');
  }
  return { sets, removes, unchanged };
}

/**
 * ` AND <attribute> = :readOnly…`: the stored values a PATCH's read-only claims state. A
 * working copy older than unique names shows its id as its unique name.
 */
function readOnlyClaimsCondition(readOnlyClaims: readonly WorkflowReadOnlyClaim[], into: Placeholders): string {
  return readOnlyClaims
    .map((claim, index) => {
      into.names[`#readOnly${index}`] = claim.attribute;
      into.values[`:readOnly${index}`] = claim.value;
      const equal = `#readOnly${index} = :readOnly${index}`;
      return claim.attribute === 'uniqueName'
        ? ` AND (${equal} OR (attribute_not_exists(#readOnly${index}) AND id = :readOnly${index}))`
        : ` AND ${equal}`;
    })
    .join('');
}

/**
 * ` AND (no credential stored, or llm_api_base stays on its origin)` for a change that moves it, written without a
 * read. A working copy a release before 0.2.0 wrote has no `llmApiBaseOrigin`: the condition then fails unless it
 * has no `llm_api_base` either, and the change is resolved against the item read (the origin read from its
 * `llm_api_base`) and written guarded by its revision, with no condition of this kind (`resolved`).
 */
function boundCredentialCondition(change: WorkflowChange, into: Placeholders): string {
  if (!movesKeptCredential(change)) return '';
  const origin = llmApiBaseOriginAfter(change);
  if (origin === '') {
    into.names['#fields'] = 'fields';
    into.names['#apiBase'] = 'llm_api_base';
    return ' AND (attribute_not_exists(llmCredentialsValue) OR (attribute_not_exists(llmApiBaseOrigin) AND attribute_not_exists(#fields.#apiBase)))';
  }
  into.values[':sameOrigin'] = origin;
  return ' AND (attribute_not_exists(llmCredentialsValue) OR llmApiBaseOrigin = :sameOrigin)';
}

/**
 * Stages a change on the working copy: one conditional UpdateItem that writes only the
 * fields the change names, and only if it writes something new, returning the whole
 * working copy after the write. Its condition holds what a PATCH needs of the stored item
 * without reading it: `If-Match`, the stored values a PATCH's read-only claims state, a kept
 * credential still stored under the current data key and bound to where llm_api_base
 * sends. When any of that fails, or the change would write nothing new (a GET body sent
 * back), nothing is written and the working copy comes back as the condition found it
 * (`Refused`): the caller decides from it (functions/workflows/read-resolve-write.ts). A change
 * `resolved` against the working copy read, and written guarded by its revision, was checked
 * in memory against where the stored credential goes: its condition leaves that out.
 */
export async function stageWorkflowChange(
  organizationId: string,
  workflowId: string,
  change: WorkflowChange,
  precondition: Precondition | undefined,
  stage: { actor: Actor; now: string; readOnlyClaims: readonly WorkflowReadOnlyClaim[]; resolved?: boolean },
): Promise<{ written: WorkflowRecord } | Refused> {
  const { actor, now, readOnlyClaims, resolved } = stage;
  const into = placeholders({
    ':now': now,
    ':actor': actor.name,
    ':authorizedBy': authorizationOf(actor),
    ':one': 1,
    ':pending': true,
  });
  const { sets, removes, unchanged } = changeExpression(change, into);
  sets.push(
    'revision = revision + :one',
    'hasPendingChanges = :pending',
    'updatedAt = :now',
    'updatedBy = :actor',
    'authorizedBy = :authorizedBy',
  );
  let keep = '';
  if (change.credential && typeof change.credential === 'object' && 'keep' in change.credential) {
    into.values[':sealedUnder'] = change.credential.keep.sealedUnder;
    keep = ' AND begins_with(llmCredentialsValue, :sealedUnder)';
  }
  const writesSomething = unchanged
    ? ` AND NOT (${unchanged.length > 0 ? unchanged.join(' AND ') : 'attribute_exists(pk)'})`
    : '';
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: workflowKey(organizationId, workflowId),
        UpdateExpression: updateExpression(sets, removes),
        ConditionExpression: `attribute_exists(pk)${revisionCondition(precondition, into)}${readOnlyClaimsCondition(readOnlyClaims, into)}${keep}${resolved ? '' : boundCredentialCondition(change, into)}${writesSomething}`,
        ...(Object.keys(into.names).length > 0 ? { ExpressionAttributeNames: into.names } : {}),
        ExpressionAttributeValues: into.values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { written: Attributes as WorkflowRecord };
  } catch (error) {
    if (isItemTooLarge(error)) throw tooLarge();
    const { old } = conditionFailure<WorkflowRecord>(error);
    if (!old) throw workflowNotFound();
    return { current: old };
  }
}

/** A deploy: the new content of the working copy and its snapshot, decided by the caller. */
export interface Deployment {
  /** The working copy's revision the deployment was computed from. */
  fromRevision: number;
  version: number;
  change: WorkflowChange;
  content: StoredContent;
  actor: Actor;
  now: string;
}

/**
 * Writes snapshot `version` and the working copy in one transaction, or neither: the
 * working copy must still be at the revision the deployment was computed from, and the
 * snapshot must not exist. Another write came first: the working copy as it is now
 * (`Refused`), or `contended` when the cancellation did not return it; `collided`: the
 * transaction met another in flight.
 */
export async function writeDeployment(
  organizationId: string,
  workflowId: string,
  deployment: Deployment,
): Promise<void | Refused | Retried> {
  const { change, version, fromRevision, actor, now, content } = deployment;
  const authorizedBy = authorizationOf(actor);
  const into = placeholders({
    ':now': now,
    ':actor': actor.name,
    ':authorizedBy': authorizedBy,
    ':one': 1,
    ':pending': false,
    ':version': version,
    ':seen': fromRevision,
  });
  const { sets, removes } = changeExpression(change, into);
  sets.push(
    'revision = revision + :one',
    'hasPendingChanges = :pending',
    'version = :version',
    'updatedAt = :now',
    'updatedBy = :actor',
    'authorizedBy = :authorizedBy',
  );
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: workflowKey(organizationId, workflowId),
              UpdateExpression: updateExpression(sets, removes),
              ConditionExpression: 'revision = :seen',
              ...(Object.keys(into.names).length > 0 ? { ExpressionAttributeNames: into.names } : {}),
              ExpressionAttributeValues: into.values,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          putNew(
            snapshotItem({
              workflowId,
              organizationId,
              version,
              deployedAt: now,
              deployedBy: actor.name,
              authorizedBy,
              ...content,
            }),
          ),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const working = cancellationReason<WorkflowRecord>(error, 0);
      if (working.code === 'ConditionalCheckFailed') {
        if (!working.old) throw workflowNotFound();
        return { current: working.old };
      }
      const retry = retryFor(cancellationCodes(error) ?? []);
      if (retry) return retry;
    }
    if (isItemTooLarge(error)) throw tooLarge();
    throw error;
  }
  return undefined;
}

/**
 * One page of an organization's workflows (working copies), oldest first, shorter past 1 MB; `lastKey` only if more may
 * exist.
 */
export async function listWorkflows(
  organizationId: string,
  options: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: WorkflowRecord[]; lastKey?: Record<string, unknown> }> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDefinition.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': workflowsByOrganization(organizationId).gsi1pk },
      // One past the page: a cursor only when another workflow exists.
      Limit: options.limit + 1,
      ExclusiveStartKey: options.startKey,
    }),
  );
  const page = pageOf((result.Items ?? []) as WorkflowRecord[], options.limit, indexKeyAttributes);
  // DynamoDB ends a Query at 1 MB read: then fewer items came back than asked, with the key to go on from.
  return page.lastKey || !result.LastEvaluatedKey ? page : { items: page.items, lastKey: result.LastEvaluatedKey };
}

/**
 * One page of a workflow's deployed versions, newest first. The first page also reads
 * the working copy (it sorts after every snapshot), so a missing workflow is a 404.
 */
export async function listWorkflowVersions(
  organizationId: string,
  workflowId: string,
  options: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ record?: WorkflowRecord; snapshots: WorkflowSnapshot[]; lastKey?: Record<string, unknown> }> {
  const working = workflowKey(organizationId, workflowId);
  const first = options.startKey === undefined;
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: first ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk AND begins_with(sk, :from)',
      ExpressionAttributeValues: first
        ? { ':pk': working.pk, ':from': workflowVersionPrefix, ':to': working.sk }
        : { ':pk': working.pk, ':from': workflowVersionPrefix },
      ScanIndexForward: false,
      // The working copy on the first page, and one snapshot past the page.
      Limit: options.limit + 1 + (first ? 1 : 0),
      ExclusiveStartKey: options.startKey,
      ProjectionExpression: 'pk, sk, version, deployedAt, deployedBy, revision, hasPendingChanges, workflowId',
    }),
  );
  const items = result.Items ?? [];
  const record = items.find((item) => item.sk === working.sk) as WorkflowRecord | undefined;
  if (first && !record) throw workflowNotFound();
  const snapshots = items.filter((item) => item.sk !== working.sk);
  const page = pageOf(snapshots as WorkflowSnapshot[], options.limit, tableKeyAttributes);
  return { record, snapshots: page.items, lastKey: page.lastKey };
}

/**
 * Deletes a workflow: reads its revision and unique name, then the working copy goes with
 * a tombstone naming who deleted it and the claim of its unique name, in one transaction
 * guarded by the revision read (If-Match is checked against it); then every snapshot is
 * removed. From the first write on, every route answers 404. A delete cut short after
 * the transaction (DynamoDB unavailable) is finished by the next one: with the working
 * copy gone, leftover snapshots are removed and the delete succeeds; with none, 404.
 */
export async function deleteWorkflow(
  organizationId: string,
  workflowId: string,
  precondition: Precondition | undefined,
  actor: Actor,
  now: string,
): Promise<void> {
  const key = workflowKey(organizationId, workflowId);
  const outcome = await retryOnConflict(
    async () => {
      const { Item } = await getDocumentClient().send(
        new GetCommand({
          TableName: tableName(),
          Key: key,
          ConsistentRead: true,
          ProjectionExpression: 'revision, uniqueName',
        }),
      );
      const current = Item as Pick<WorkflowRecord, 'revision' | 'uniqueName'> | undefined;
      if (!current) return 'missing' as const;
      if (!matchesPrecondition(precondition, current.revision)) throw staleRevision();
      try {
        await getDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              ...deletionWithTombstone(
                { key, versionAttribute: 'revision', seen: current.revision },
                {
                  key: workflowTombstoneKey(organizationId, workflowId),
                  entity: 'workflowTombstone',
                  organizationId,
                  id: workflowId,
                  deletedBy: actor.name,
                  authorizedBy: authorizationOf(actor),
                  deletedAt: now,
                },
              ),
              // The unique name is free again (no other workflow can hold this claim).
              ...(current.uniqueName
                ? [
                    {
                      Delete: {
                        TableName: tableName(),
                        Key: workflowUniqueNameKey(organizationId, current.uniqueName),
                      },
                    },
                  ]
                : []),
            ],
          }),
        );
        return 'deleted' as const;
      } catch (error) {
        // Written since it was read (read again), or met another transaction in flight (try again).
        const retry = retryFor(cancellationCodes(error) ?? []);
        if (retry) return retry;
        throw error;
      }
    },
    { attempts: maxTransactionAttempts, jitterMs: 20, exhausted: () => new ConcurrentChangeError('workflow') },
  );
  const removed = await deleteSnapshots(organizationId, workflowId);
  if (outcome === 'missing' && removed === 0) throw workflowNotFound();
}

/**
 * Removes every snapshot of a workflow, 25 per request, retrying what DynamoDB leaves unprocessed; returns how many
 * there were.
 */
async function deleteSnapshots(organizationId: string, workflowId: string): Promise<number> {
  const { pk } = workflowKey(organizationId, workflowId);
  let startKey: Record<string, unknown> | undefined;
  let removed = 0;
  do {
    const page = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': workflowVersionPrefix },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
    removed += keys.length;
    for (let offset = 0; offset < keys.length; offset += 25) {
      let requests: NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string] | undefined = keys
        .slice(offset, offset + 25)
        .map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests && requests.length > 0; attempt += 1) {
        if (attempt === 8) throw new Error('BatchWriteItem left snapshot deletes unprocessed after 8 attempts');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result: BatchWriteCommandOutput = await getDocumentClient().send(
          new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }),
        );
        requests = result.UnprocessedItems?.[tableName()];
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return removed;
}
