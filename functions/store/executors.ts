/**
 * Executor items. Every write is conditional; a failed condition returns the old item
 * (ReturnValuesOnConditionCheckFailure) so "not found", "wrong status", "stale
 * If-Match" and "renamed" are told apart without a read.
 *
 * Names are unique per organization through a claim item per name, written in the same
 * transaction as the executor whenever the name is new to it.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { matchesPrecondition, type Precondition } from '../core/command.js';
import { editableStatuses, type ExecutorRecord, type ExecutorStatus, type StoredEndpoint } from '../domain/executor/model.js';
import { secretConfigKeys } from '../domain/executor/rules.js';
import { ConflictError, NotFoundError, PreconditionFailedError, UnprocessableError } from '../http/errors.js';
import { getDocumentClient, putNew, tableName } from './client.js';
import { isItemTooLarge } from './errors.js';
import { executorIndexKeys, executorKey, executorNameKey, executorsByOrganization, executorTombstoneKey } from './keys.js';
import { indexKeyAttributes, pageOf, tableDefinition } from './table.js';

/** What a PATCH replaces (everything but metadata, which merges, and description if absent). */
export interface ExecutorReplacement {
  name: string;
  baseUrl: string;
  endpoints: StoredEndpoint[];
  authType: string;
  authConfig: Record<string, string>;
  /** Secrets to store (sealed) and secrets sent back masked, which keep their stored value. */
  authSecrets: { set: Record<string, string>; keep: string[] };
  description?: string;
  /** Who made the change (an API key's name or an event source), for events and audit. */
  updatedBy: string;
  /** Metadata keys to add or overwrite (values as JSON text). */
  metadata: Record<string, string>;
}

const notFound = () => new NotFoundError('Executor configuration not found', { code: 'FLK-0250' });
const nameTaken = (name: string) =>
  new ConflictError(`An executor configuration named "${name}" already exists`, { code: 'FLK-0251' });
const wrongStatus = (status: string) =>
  new UnprocessableError(`Cannot modify executor configuration in status ${status}`, { code: 'FLK-0252' });
const staleVersion = () =>
  new PreconditionFailedError('The executor configuration changed since the version named in If-Match', {
    code: 'FLK-0350',
  });
const concurrentChange = () =>
  new ConflictError('The executor configuration changed concurrently; retry with the latest version', {
    code: 'FLK-0350',
  });
const maskedWithoutSecret = (keys: string[]) =>
  new UnprocessableError(`No stored secret to keep for ${keys.join(', ')}: send the value itself instead of the mask`, {
    code: 'FLK-0275',
    violations: keys.map((key) => ({
      loc: ['body', 'authentication', 'config', key],
      type: 'missing',
      msg: 'masked value sent, but no secret is stored for this key',
      code: 'FLK-0275',
    })),
  });
const tooLarge = () =>
  new UnprocessableError('The executor configuration is too large to store (400 KB item limit)', { code: 'FLK-0278' });



function nameClaim(organizationId: string, name: string, executorId: string) {
  return { ...executorNameKey(organizationId, name), entity: 'executorName', organizationId, executorId, name };
}

/** Stores a new executor and claims its name, atomically. */
export async function insertExecutor(record: ExecutorRecord): Promise<void> {
  const { organizationId, id, name, createdAt } = record;
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          putNew({ ...executorKey(organizationId, id), ...executorIndexKeys(organizationId, createdAt, id), entity: 'executor', ...record }),
          putNew(nameClaim(organizationId, name, id)),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const [, claim] = error.CancellationReasons ?? [];
      if (claim?.Code === 'ConditionalCheckFailed') throw nameTaken(name);
      if (error.CancellationReasons?.some((r) => r.Code === 'ValidationError')) throw tooLarge();
    }
    if (isItemTooLarge(error)) throw tooLarge();
    throw error;
  }
}

/** The executor, or `NotFoundError` (also for another organization's id). */
export async function getExecutor(organizationId: string, executorId: string): Promise<ExecutorRecord> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: executorKey(organizationId, executorId) }),
  );
  if (!Item) throw notFound();
  return Item as ExecutorRecord;
}

/** SET clauses and values for a replacement; the same text serves both write paths. */
function replacementExpression(replacement: ExecutorReplacement, now: string) {
  const names: Record<string, string> = { '#name': 'name', '#status': 'status' };
  const values: Record<string, unknown> = {
    ':name': replacement.name,
    ':baseUrl': replacement.baseUrl,
    ':endpoints': replacement.endpoints,
    ':authType': replacement.authType,
    ':authConfig': replacement.authConfig,
    ':configured': 'configured',
    ':now': now,
    ':actor': replacement.updatedBy,
    ':one': 1,
  };
  const sets = [
    '#name = :name',
    'baseUrl = :baseUrl',
    'endpoints = :endpoints',
    'authType = :authType',
    'authConfig = :authConfig',
    '#status = :configured',
    'updatedAt = :now',
    'updatedBy = :actor',
    'version = version + :one',
  ];
  const secretKeys = [...Object.keys(replacement.authSecrets.set), ...replacement.authSecrets.keep];
  const removes = secretConfigKeys
    .filter((key) => !secretKeys.includes(key))
    .map((key, index) => {
      names[`#r${index}`] = key;
      return `authSecrets.#r${index}`;
    });
  Object.entries(replacement.authSecrets.set).forEach(([key, sealed], index) => {
    names[`#s${index}`] = key;
    values[`:s${index}`] = sealed;
    sets.push(`authSecrets.#s${index} = :s${index}`);
  });
  // A masked secret keeps its stored value only if there is one.
  const keepConditions = replacement.authSecrets.keep.map((key, index) => {
    names[`#k${index}`] = key;
    return `attribute_exists(authSecrets.#k${index})`;
  });
  if (replacement.description !== undefined) {
    sets.push('description = :description');
    values[':description'] = replacement.description;
  }
  Object.entries(replacement.metadata).forEach(([key, value], index) => {
    names['#metadata'] = 'metadata';
    names[`#m${index}`] = key;
    values[`:m${index}`] = value;
    sets.push(`#metadata.#m${index} = :m${index}`);
  });
  return {
    update: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    names,
    values,
    keepCondition: keepConditions.map((c) => ` AND ${c}`).join(''),
  };
}

/** The record a replacement produces from a known prior state (the rename path's response). */
function applyReplacement(old: ExecutorRecord, replacement: ExecutorReplacement, now: string): ExecutorRecord {
  const { metadata, description, authSecrets, ...replaced } = replacement;
  const kept = Object.fromEntries(Object.entries(old.authSecrets).filter(([key]) => authSecrets.keep.includes(key)));
  return {
    ...old,
    ...replaced,
    ...(description !== undefined ? { description } : {}),
    authSecrets: { ...kept, ...authSecrets.set },
    metadata: { ...old.metadata, ...metadata },
    status: 'configured',
    updatedAt: now,
    version: old.version + 1,
  };
}

/** Why a conditional write on an existing executor failed, from the old item. */
function refusalFor(
  old: ExecutorRecord | undefined,
  precondition: Precondition | undefined,
  replacement: ExecutorReplacement,
): Error | undefined {
  if (!old) return notFound();
  if (!editableStatuses.includes(old.status)) return wrongStatus(old.status);
  if (!matchesPrecondition(precondition, old.version)) return staleVersion();
  const lost = replacement.authSecrets.keep.filter((key) => old.authSecrets?.[key] === undefined);
  if (lost.length > 0) return maskedWithoutSecret(lost);
  return undefined;
}

const maxRenameAttempts = 3;

/**
 * Replaces an executor's configuration (PATCH). One UpdateItem when the name is
 * unchanged; when the old item shows a new name, one TransactWriteItems moves the name
 * claim with the update, guarded by the version just seen.
 */
export async function replaceExecutor(
  organizationId: string,
  executorId: string,
  replacement: ExecutorReplacement,
  precondition: Precondition | undefined,
  now: string,
): Promise<ExecutorRecord> {
  const key = executorKey(organizationId, executorId);
  const { update, names, values, keepCondition } = replacementExpression(replacement, now);
  const versionCondition =
    precondition && 'versions' in precondition
      ? ` AND version IN (${precondition.versions.map((_, i) => `:v${i}`).join(', ')})`
      : '';
  const versionValues =
    precondition && 'versions' in precondition
      ? Object.fromEntries(precondition.versions.map((v, i) => [`:v${i}`, v]))
      : {};

  for (let attempt = 0; attempt < maxRenameAttempts; attempt += 1) {
    let old: ExecutorRecord | undefined;
    try {
      const { Attributes } = await getDocumentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: update,
          ConditionExpression: `attribute_exists(pk) AND #status IN (:unconfigured, :configuredStatus) AND #name = :name${versionCondition}${keepCondition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ...versionValues, ':unconfigured': 'unconfigured', ':configuredStatus': 'configured' },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return Attributes as ExecutorRecord;
    } catch (error) {
      if (isItemTooLarge(error)) throw tooLarge();
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      old = error.Item ? (unmarshall(error.Item) as ExecutorRecord) : undefined;
    }
    const refusal = refusalFor(old, precondition, replacement);
    if (refusal) throw refusal;
    const prior = old as ExecutorRecord;

    try {
      await getDocumentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: key,
                UpdateExpression: update,
                ConditionExpression: `version = :seen${keepCondition}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ...values, ':seen': prior.version },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: nameClaim(organizationId, replacement.name, executorId),
                ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
                ExpressionAttributeValues: { ':id': executorId },
              },
            },
            {
              Delete: {
                TableName: tableName(),
                Key: executorNameKey(organizationId, prior.name),
                ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
                ExpressionAttributeValues: { ':id': executorId },
              },
            },
          ],
        }),
      );
      return applyReplacement(prior, replacement, now);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) {
        if (isItemTooLarge(error)) throw tooLarge();
        throw error;
      }
      const [executor, claim] = error.CancellationReasons ?? [];
      if (claim?.Code === 'ConditionalCheckFailed') throw nameTaken(replacement.name);
      if (error.CancellationReasons?.some((r) => r.Code === 'ValidationError')) throw tooLarge();
      if (executor?.Code !== 'ConditionalCheckFailed' && !error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) {
        throw error;
      }
    }
  }
  throw concurrentChange();
}

/**
 * One page of an organization's executors, oldest first, optionally of one status. It
 * reads one item past the page, so `lastKey` is set only when another item exists.
 */
export async function listExecutors(
  organizationId: string,
  options: { limit: number; startKey?: Record<string, unknown>; status?: string },
): Promise<{ items: ExecutorRecord[]; lastKey?: Record<string, unknown> }> {
  const items: ExecutorRecord[] = [];
  let startKey = options.startKey;
  // A status filter applies after DynamoDB's page limit; keep reading (bounded) to fill the page.
  for (let page = 0; page < 10 && items.length <= options.limit; page += 1) {
    const result = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: tableDefinition.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': executorsByOrganization(organizationId).gsi1pk,
          ...(options.status ? { ':status': options.status } : {}),
        },
        ...(options.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
        Limit: options.limit + 1 - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((result.Items ?? []) as ExecutorRecord[]));
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  if (items.length > options.limit) return pageOf(items, options.limit, indexKeyAttributes);
  // Fewer than a page: the end, unless the bounded reading stopped before DynamoDB did.
  return { items, lastKey: startKey };
}

/** Tombstones expire (table TTL on `expiresAt`) once the stream consumers had a week to read them. */
const tombstoneSeconds = 7 * 24 * 3600;

/** Statuses from which an executor may be deleted (NOTES.md: not tested or active). */
const deletableStatuses = ['unconfigured', 'configured', 'disabled'];

/**
 * Deletes an executor and releases its name. The name is needed for the claim, so this
 * reads first, then deletes both in one transaction guarded by the version read.
 */
export async function deleteExecutor(
  organizationId: string,
  executorId: string,
  precondition: Precondition | undefined,
  actor: string,
  now: string,
): Promise<void> {
  const key = executorKey(organizationId, executorId);
  for (let attempt = 0; attempt < maxRenameAttempts; attempt += 1) {
    const { Item } = await getDocumentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    const current = Item as ExecutorRecord | undefined;
    if (!current) throw notFound();
    if (!deletableStatuses.includes(current.status)) {
      throw new UnprocessableError(`Cannot delete executor configuration in status ${current.status}`, { code: 'FLK-0252' });
    }
    if (!matchesPrecondition(precondition, current.version)) throw staleVersion();
    try {
      await getDocumentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: tableName(),
                Key: key,
                ConditionExpression: 'version = :seen',
                ExpressionAttributeValues: { ':seen': current.version },
              },
            },
            {
              // Says who deleted it: the stream turns this into the Deleted event and audit entry.
              Put: {
                TableName: tableName(),
                Item: {
                  ...executorTombstoneKey(organizationId, executorId),
                  entity: 'executorTombstone',
                  organizationId,
                  id: executorId,
                  name: current.name,
                  lastVersion: current.version,
                  deletedBy: actor,
                  deletedAt: now,
                  expiresAt: Math.floor(Date.parse(now) / 1000) + tombstoneSeconds,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Delete: {
                TableName: tableName(),
                Key: executorNameKey(organizationId, current.name),
                ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
                ExpressionAttributeValues: { ':id': executorId },
              },
            },
          ],
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
  throw concurrentChange();
}

/**
 * Moves an executor along its state machine with one conditional write; a refusal
 * names the status it was in (read from the old item the failed write returns).
 */
export async function transitionExecutor(
  organizationId: string,
  executorId: string,
  transition: { action: string; from: ExecutorStatus; to: ExecutorStatus },
  precondition: Precondition | undefined,
  actor: string,
  now: string,
): Promise<ExecutorRecord> {
  const versions = precondition && 'versions' in precondition ? precondition.versions : undefined;
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: executorKey(organizationId, executorId),
        UpdateExpression: 'SET #status = :to, updatedAt = :now, updatedBy = :actor, version = version + :one',
        ConditionExpression: `attribute_exists(pk) AND #status = :from${versions ? ` AND version IN (${versions.map((_, i) => `:v${i}`).join(', ')})` : ''}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': transition.to,
          ':from': transition.from,
          ':now': now,
          ':actor': actor,
          ':one': 1,
          ...Object.fromEntries((versions ?? []).map((v, i) => [`:v${i}`, v])),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes as ExecutorRecord;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const old = error.Item ? (unmarshall(error.Item) as ExecutorRecord) : undefined;
    if (!old) throw notFound();
    if (old.status !== transition.from) {
      throw new UnprocessableError(
        `Cannot ${transition.action} executor configuration in status ${old.status} (needs ${transition.from})`,
        { code: 'FLK-0252' },
      );
    }
    throw staleVersion();
  }
}

/**
 * Records a connectivity test: `lastTestedAt` always; configured → tested only when it
 * passed and the configuration is still the one that was tested (same version).
 */
export async function recordTest(
  organizationId: string,
  tested: ExecutorRecord,
  outcome: { passed: boolean; testedAt: string },
  actor: string,
): Promise<ExecutorRecord> {
  const promote = outcome.passed && tested.status === 'configured';
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: executorKey(organizationId, tested.id),
        UpdateExpression: `SET lastTestedAt = :testedAt, updatedAt = :testedAt, updatedBy = :actor, version = version + :one${promote ? ', #status = :tested' : ''}`,
        ConditionExpression: 'version = :seen',
        ...(promote ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: {
          ':testedAt': outcome.testedAt,
          ':actor': actor,
          ':one': 1,
          ':seen': tested.version,
          ...(promote ? { ':tested': 'tested' } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as ExecutorRecord;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw concurrentChange();
    throw error;
  }
}
