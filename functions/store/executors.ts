/**
 * Executor items. Every write is conditional; a failed condition returns the old item
 * (ReturnValuesOnConditionCheckFailure) so "not found", "wrong status", "stale
 * If-Match" and "renamed" are told apart without a read. The statuses each write
 * expects come from the state machine (functions/domain/executor/lifecycle.ts).
 *
 * Names are unique per organization through a claim item per name, written in the same
 * transaction as the executor whenever the name is new to it.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expectedVersions, matchesPrecondition, type Precondition } from '../domain/precondition.js';
import {
  configuredStatus,
  deletableStatuses,
  editableStatuses,
  testPromotion,
  type Transition,
} from '../domain/executor/lifecycle.js';
import type { ExecutorRecord } from '../domain/executor/model.js';
import {
  type ExecutorFact,
  executorFactViolations,
  type ExecutorTarget,
  executorUnchanged,
} from '../domain/executor/round-trip.js';
import { nameIdentity } from '../domain/names.js';
import { maskedWithoutSecret, secretConfigKeys, secretsRebound } from '../domain/executor/rules.js';
import {
  ConcurrentChangeError,
  NameTakenError,
  NotFoundError,
  RequestValidationError,
  StaleVersionError,
  StorageLimitError,
  WrongStatusError,
} from '../errors.js';
import { getDocumentClient, putNew, tableName } from './client.js';
import { cancellationCodes, conditionFailure, isItemTooLarge } from './errors.js';
import {
  mapEntryPaths,
  type Placeholders,
  placeholders,
  setMapEntries,
  statusIn,
  updateExpression,
  versionIn,
} from './expressions.js';
import {
  executorIndexKeys,
  executorKey,
  executorNameKey,
  executorsByOrganization,
  executorTombstoneKey,
} from './keys.js';
import { collided, contended, retryFor, retryOnConflict } from './retry.js';
import { indexKeyAttributes, pageOf, tableDefinition } from './table.js';
import { deletionWithTombstone } from './tombstones.js';

/**
 * The secrets a PATCH writes: new ones (sealed), and masked ones, which keep the stored
 * value. A kept value must be sealed under the current data key (its envelope starts
 * with `sealedUnder`); one sealed under an older key is passed to `reseal` and the
 * result written in its place, only if the stored value is still the one re-sealed.
 */
export interface SecretsChange {
  set: Record<string, string>;
  keep: string[];
  sealedUnder: string;
  reseal: (key: string, sealed: string) => Promise<string>;
}

/** Kept secrets re-sealed under the current key: the stored value and its replacement. */
type Reseals = Record<string, { from: string; to: string }>;

/**
 * What a PATCH replaces (everything but metadata, which merges, and description if
 * absent): the target a round trip compares with what is stored
 * (functions/domain/executor/round-trip.ts), with the secrets' sealing and who writes.
 */
export interface ExecutorReplacement extends ExecutorTarget {
  /** Secrets to store (sealed) and secrets sent back masked, which keep their stored value. */
  authSecrets: SecretsChange;
  /** Who made the change (an API key's name or an event source), for events and audit. */
  updatedBy: string;
}

const notFound = () => new NotFoundError('executor');
const staleVersion = () => new StaleVersionError('executor');
const concurrentChange = () => new ConcurrentChangeError('executor');
const tooLarge = () => new StorageLimitError('executor');

/** Attempts of a write that loses races (renames, deletes) or collides with transactions in flight. */
const maxRenameAttempts = 3;

/** The item that reserves a name (its key says what makes names the same), holding the name as typed. */
function nameClaim(organizationId: string, name: string, executorId: string) {
  return { ...executorNameKey(organizationId, name), entity: 'executorName', organizationId, executorId, name };
}

/** Stores a new executor and claims its name, atomically. */
export async function insertExecutor(record: ExecutorRecord): Promise<void> {
  const { organizationId, id, name, createdAt } = record;
  await retryOnConflict(
    async () => {
      try {
        await getDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              putNew({
                ...executorKey(organizationId, id),
                ...executorIndexKeys(organizationId, createdAt, id),
                entity: 'executor',
                ...record,
              }),
              putNew(nameClaim(organizationId, name, id)),
            ],
          }),
        );
        return undefined;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[1] === 'ConditionalCheckFailed') throw new NameTakenError(name);
        if (isItemTooLarge(error)) throw tooLarge();
        if (codes && retryFor(codes) === collided) return collided;
        throw error;
      }
    },
    { attempts: maxRenameAttempts, jitterMs: 0, exhausted: concurrentChange },
  );
}

/** The executor, or `NotFoundError` (also for another organization's id). */
export async function getExecutor(organizationId: string, executorId: string): Promise<ExecutorRecord> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: executorKey(organizationId, executorId) }),
  );
  if (!Item) throw notFound();
  return Item as ExecutorRecord;
}

/**
 * SET / REMOVE clauses of a replacement, and the condition that masked secrets are still
 * stored: under the current data key, or (re-sealed ones) as they were read.
 */
function replacementExpression(replacement: ExecutorReplacement, reseals: Reseals, now: string, into: Placeholders) {
  Object.assign(into.names, { '#name': 'name', '#status': 'status' });
  Object.assign(into.values, {
    ':name': replacement.name,
    ':baseUrl': replacement.baseUrl,
    ':endpoints': replacement.endpoints,
    ':authType': replacement.authType,
    ':boundTo': replacement.secretsBoundTo,
    ':authConfig': replacement.authConfig,
    ':configured': configuredStatus,
    ':now': now,
    ':actor': replacement.updatedBy,
    ':one': 1,
  });
  const sets = [
    '#name = :name',
    'baseUrl = :baseUrl',
    'endpoints = :endpoints',
    'authType = :authType',
    'secretsBoundTo = :boundTo',
    'authConfig = :authConfig',
    '#status = :configured',
    'updatedAt = :now',
    'updatedBy = :actor',
    'version = version + :one',
    ...setMapEntries(
      'authSecrets',
      {
        ...replacement.authSecrets.set,
        ...Object.fromEntries(Object.entries(reseals).map(([key, { to }]) => [key, to])),
      },
      's',
      into,
    ),
  ];
  const { keep, sealedUnder } = replacement.authSecrets;
  const secretKeys = [...Object.keys(replacement.authSecrets.set), ...keep];
  const removes = mapEntryPaths(
    'authSecrets',
    secretConfigKeys.filter((key) => !secretKeys.includes(key)),
    'r',
    into,
  );
  // A masked secret keeps its stored value only if there is one, sealed under the current key, bound to the same
  // destination.
  const kept = keep.filter((key) => !(key in reseals));
  if (kept.length > 0) into.values[':sealedUnder'] = sealedUnder;
  const resealed = Object.keys(reseals);
  resealed.forEach((key, index) => {
    into.values[`:was${index}`] = reseals[key].from;
  });
  const keepCondition = [
    ...mapEntryPaths('authSecrets', kept, 'k', into).map((path) => ` AND begins_with(${path}, :sealedUnder)`),
    ...mapEntryPaths('authSecrets', resealed, 'w', into).map((path, index) => ` AND ${path} = :was${index}`),
    ...(keep.length > 0 ? [' AND secretsBoundTo = :boundTo'] : []),
  ].join('');
  // What the item must not already hold for the write to happen (the twin of `executorUnchanged`).
  const unchanged = [
    'baseUrl = :baseUrl',
    'endpoints = :endpoints',
    'authType = :authType',
    'secretsBoundTo = :boundTo',
    'authConfig = :authConfig',
    '#status = :configured',
  ];
  unchanged.push(...removes.map((path) => `attribute_not_exists(${path})`));
  if (replacement.description !== undefined) {
    sets.push('description = :description');
    unchanged.push('description = :description');
    into.values[':description'] = replacement.description;
  }
  if (Object.keys(replacement.metadata).length > 0) {
    into.names['#metadata'] = 'metadata';
    const entries = setMapEntries('#metadata', replacement.metadata, 'm', into);
    sets.push(...entries);
    unchanged.push(...entries);
  }
  // A secret sent in clear is sealed anew, and a re-seal writes a new envelope: those always write.
  const writesAnyway = Object.keys(replacement.authSecrets.set).length > 0 || resealed.length > 0;
  const writesSomething = writesAnyway ? '' : ` AND NOT (${unchanged.join(' AND ')})`;
  return { update: updateExpression(sets, removes), keepCondition, writesSomething };
}

/** ` AND <attribute> = :fact…`: the stored values a PATCH's read-only fields state. */
function factsCondition(facts: readonly ExecutorFact[], into: Placeholders): string {
  return facts
    .map((fact, index) => {
      into.names[`#fact${index}`] = fact.field;
      into.values[`:fact${index}`] = fact.value;
      return ` AND #fact${index} = :fact${index}`;
    })
    .join('');
}

/** The record a replacement produces from a known prior state (the rename path's response). */
function applyReplacement(
  old: ExecutorRecord,
  replacement: ExecutorReplacement,
  reseals: Reseals,
  now: string,
): ExecutorRecord {
  const { metadata, description, authSecrets, ...replaced } = replacement;
  const kept = Object.fromEntries(
    Object.entries(old.authSecrets)
      .filter(([key]) => authSecrets.keep.includes(key))
      .map(([key, value]) => [key, reseals[key]?.to ?? value]),
  );
  return {
    ...old,
    ...replaced,
    ...(description !== undefined ? { description } : {}),
    authSecrets: { ...kept, ...authSecrets.set },
    metadata: { ...old.metadata, ...metadata },
    status: configuredStatus,
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
  if (!editableStatuses.includes(old.status)) return new WrongStatusError('modify', old.status);
  if (!matchesPrecondition(precondition, old.version)) return staleVersion();
  const lost = replacement.authSecrets.keep.filter((key) => old.authSecrets?.[key] === undefined);
  if (lost.length > 0) return maskedWithoutSecret(lost);
  if (replacement.authSecrets.keep.length > 0 && old.secretsBoundTo !== replacement.secretsBoundTo)
    return secretsRebound(replacement.authSecrets.keep);
  return undefined;
}

/** The kept secrets the old item holds under an older data key, re-sealed under the current one. */
async function resealsFor(old: ExecutorRecord, secrets: SecretsChange, previous: Reseals): Promise<Reseals> {
  const reseals: Reseals = {};
  for (const key of secrets.keep) {
    const stored = old.authSecrets[key];
    if (stored.startsWith(secrets.sealedUnder)) continue;
    reseals[key] =
      previous[key]?.from === stored ? previous[key] : { from: stored, to: await secrets.reseal(key, stored) };
  }
  return reseals;
}

const sameReseals = (a: Reseals, b: Reseals) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([key, { from }]) => b[key]?.from === from);

/** A rename, or a re-seal then a rename, each after a write that told what was stored. */
const maxReplaceAttempts = 4;

/**
 * Replaces an executor's configuration (PATCH). One UpdateItem when the name is
 * unchanged and every masked secret is sealed under the current data key; when the old
 * item shows a new name, one TransactWriteItems moves the name claim with the update,
 * guarded by the version just seen; when it shows a kept secret sealed under an older
 * key, the write is made again with that secret re-sealed.
 */
export async function replaceExecutor(
  organizationId: string,
  executorId: string,
  replacement: ExecutorReplacement,
  precondition: Precondition | undefined,
  write: { now: string; facts: readonly ExecutorFact[] },
): Promise<ExecutorRecord> {
  const { now, facts } = write;
  const key = executorKey(organizationId, executorId);
  let reseals: Reseals = {};

  return retryOnConflict(
    async () => {
      const expression = placeholders();
      const { update, keepCondition, writesSomething } = replacementExpression(replacement, reseals, now, expression);
      const { names, values } = expression;
      const guard = placeholders(values, names);
      const condition = `attribute_exists(pk) AND ${statusIn(editableStatuses, guard)} AND #name = :name${versionIn('version', expectedVersions(precondition), guard)}${keepCondition}${factsCondition(facts, guard)}${writesSomething}`;
      let old: ExecutorRecord | undefined;
      try {
        const { Attributes } = await getDocumentClient().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: key,
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: guard.names,
            ExpressionAttributeValues: guard.values,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return Attributes as ExecutorRecord;
      } catch (error) {
        if (isItemTooLarge(error)) throw tooLarge();
        ({ old } = conditionFailure<ExecutorRecord>(error));
      }
      if (old && matchesPrecondition(precondition, old.version)) {
        const contradicted = executorFactViolations(old, facts);
        if (contradicted.length > 0) throw new RequestValidationError(contradicted);
        // It already holds what the PATCH asks for (in any status): nothing to write, the version stays.
        if (executorUnchanged(old, replacement)) return old;
      }
      const refusal = refusalFor(old, precondition, replacement);
      if (refusal) throw refusal;
      const prior = old as ExecutorRecord;
      // A kept secret is sealed under an older data key (or changed since it was re-sealed): write it re-sealed.
      const due = await resealsFor(prior, replacement.authSecrets, reseals);
      if (!sameReseals(due, reseals)) {
        reseals = due;
        return contended;
      }
      // The condition failed only on the name: move the claim with the update.
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
              // A new spelling of the same name (case, spacing) keeps its claim: the Put above refreshes it.
              ...(nameIdentity(prior.name) === nameIdentity(replacement.name)
                ? []
                : [
                    {
                      Delete: {
                        TableName: tableName(),
                        Key: executorNameKey(organizationId, prior.name),
                        ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
                        ExpressionAttributeValues: { ':id': executorId },
                      },
                    },
                  ]),
            ],
          }),
        );
        return applyReplacement(prior, replacement, reseals, now);
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) {
          if (isItemTooLarge(error)) throw tooLarge();
          throw error;
        }
        if (codes[1] === 'ConditionalCheckFailed') throw new NameTakenError(replacement.name);
        if (codes.includes('ValidationError')) throw tooLarge();
        // The version moved (read again), or the transaction met another in flight (try again as is).
        if (codes[0] === 'ConditionalCheckFailed') return contended;
        if (codes.includes('TransactionConflict')) return collided;
        throw error;
      }
    },
    { attempts: maxReplaceAttempts, jitterMs: 0, exhausted: concurrentChange },
  );
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
        ...(options.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
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
  await retryOnConflict(
    async () => {
      const { Item } = await getDocumentClient().send(
        new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
      );
      const current = Item as ExecutorRecord | undefined;
      if (!current) throw notFound();
      if (!deletableStatuses.includes(current.status)) throw new WrongStatusError('delete', current.status);
      if (!matchesPrecondition(precondition, current.version)) throw staleVersion();
      try {
        await getDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              ...deletionWithTombstone(
                { key, versionAttribute: 'version', seen: current.version },
                {
                  key: executorTombstoneKey(organizationId, executorId),
                  entity: 'executorTombstone',
                  organizationId,
                  id: executorId,
                  name: current.name,
                  lastVersion: current.version,
                  deletedBy: actor,
                  deletedAt: now,
                },
              ),
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
        return undefined;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        return retryFor(codes) ?? contended;
      }
    },
    { attempts: maxReplaceAttempts, jitterMs: 0, exhausted: concurrentChange },
  );
}

/**
 * Moves an executor along its state machine with one conditional write; a refusal
 * names the status it was in (read from the old item the failed write returns).
 */
export async function transitionExecutor(
  organizationId: string,
  executorId: string,
  transition: Transition,
  precondition: Precondition | undefined,
  actor: string,
  now: string,
): Promise<ExecutorRecord> {
  const guard = placeholders(
    { ':to': transition.to, ':from': transition.from, ':now': now, ':actor': actor, ':one': 1 },
    { '#status': 'status' },
  );
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: executorKey(organizationId, executorId),
        UpdateExpression: 'SET #status = :to, updatedAt = :now, updatedBy = :actor, version = version + :one',
        ConditionExpression: `attribute_exists(pk) AND #status = :from${versionIn('version', expectedVersions(precondition), guard)}`,
        ExpressionAttributeNames: guard.names,
        ExpressionAttributeValues: guard.values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes as ExecutorRecord;
  } catch (error) {
    const { old } = conditionFailure<ExecutorRecord>(error);
    if (!old) throw notFound();
    if (old.status !== transition.from) throw new WrongStatusError(transition.action, old.status, transition.from);
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
  const promote = outcome.passed && tested.status === testPromotion.from;
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
          ...(promote ? { ':tested': testPromotion.to } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as ExecutorRecord;
  } catch (error) {
    conditionFailure(error);
    throw concurrentChange();
  }
}
