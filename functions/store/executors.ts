/**
 * Executor items. Every write is conditional; a failed condition returns the old item
 * (ReturnValuesOnConditionCheckFailure) so "not found", "wrong status", "stale
 * If-Match" and "renamed" are told apart without a read. The statuses each write
 * expects come from the state machine (functions/domain/executor/lifecycle.ts).
 *
 * Names are unique per organization through a claim item per name, written in the same
 * transaction as the executor whenever the name is new to it.
 *
 * Every value arrives finished: secrets come sealed, and the store, which holds no key,
 * calls nothing above it (a kept secret due a re-seal is reported back to the caller).
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Actor, type Authorization, authorizationOf } from '../domain/permissions.js';
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
  type ExecutorReadOnlyClaim,
  executorReadOnlyClaimViolations,
  type ExecutorTarget,
  executorUnchanged,
} from '../domain/executor/read-only-claims.js';
import {
  maskedWithoutSecret,
  secretConfigKeys,
  secretsRebound,
  storedSecretsDestination,
} from '../domain/executor/rules.js';
import { currentFormats } from '../domain/formats.js';
import { formerSecretKeys } from '../domain/secrets.js';
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
  type Key,
} from './keys.js';
import { collided, contended, type Retried, retryFor, retryOnConflict } from './retry.js';
import { indexKeyAttributes, pageOf, tableDefinition } from './table.js';
import { deletionWithTombstone } from './tombstones.js';

/** Kept secrets the caller re-sealed under the current data key: the stored value it re-sealed, and the new value. */
export type Reseals = Record<string, { from: string; to: string }>;

/**
 * The secrets a PATCH writes, every value finished by the caller (the store holds no key): new ones, sealed
 * (`set`); masked ones (`keep`), which keep the stored value while it is sealed under the current data key (its
 * envelope starts with `sealedUnder`); and masked ones the caller re-sealed (`resealed`), each written only if the
 * stored value is still the one it re-sealed.
 */
export interface SecretsChange {
  set: Record<string, string>;
  keep: string[];
  sealedUnder: string;
  resealed: Reseals;
  /**
   * Set by the store when the stored secrets carry no binding (a release before 0.2.0 stored them) and the
   * destination read from that item (this version) is the replacement's: masked secrets are then kept only if the
   * item is still unbound at this version.
   */
  unboundAt?: number;
}

/**
 * What a PATCH replaces (everything but metadata, which merges, and description if
 * absent): the target a GET body sent back is compared with, to tell a no-op
 * (functions/domain/executor/read-only-claims.ts), with the secrets' sealing and who writes.
 */
export interface ExecutorReplacement extends ExecutorTarget {
  /** Secrets to store (sealed) and secrets sent back masked, which keep their stored value. */
  authSecrets: SecretsChange;
  /** Who made the change (an API key's name, a token's subject or an event source), for events and audit. */
  updatedBy: string;
  /** With which credential and permission. */
  authorizedBy: Authorization;
}

/** When a replacement is written, and the read-only claims of its body about the stored item. */
export interface ReplacementWrite {
  now: string;
  readOnlyClaims: readonly ExecutorReadOnlyClaim[];
}

/**
 * What a replacement came to: the executor as stored after it (also when it already held what the PATCH asks
 * for), or the kept secrets stored under an older data key (the sealed value by config key), for the caller to
 * re-seal and hand back in `resealed`.
 */
export type Replaced = { record: ExecutorRecord } | { staleSecrets: Record<string, string> };

const notFound = () => new NotFoundError('executor');
const staleVersion = () => new StaleVersionError('executor');
const concurrentChange = () => new ConcurrentChangeError('executor');
const tooLarge = () => new StorageLimitError('executor');

/** Attempts of a write that loses races (renames, deletes) or collides with transactions in flight. */
const maxRenameAttempts = 3;

/** The item that reserves a name (its key says what makes names the same), holding the name as typed. */
function nameClaim(organizationId: string, name: string, executorId: string) {
  return {
    ...executorNameKey(organizationId, name),
    entity: 'executorName',
    formatVersion: currentFormats.executorName,
    organizationId,
    executorId,
    name,
  };
}

/** A name claim as stored: the executor holding it, and those sharing it (names two had before 0.2.0). */
export interface NameClaim {
  executorId: string;
  name: string;
  /** Executors the migration found sharing the name (by id, with the name as each has it): kept, never added to. */
  sharedWith?: Record<string, string>;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * What releasing an executor's hold on its name's claim writes, from the claim as stored: its delete when the
 * executor holds it alone; when others share it (`nameShared`), the claim passed to the next of them, or, for one
 * that shares it, its share removed; nothing when the claim names it no more. Each is guarded by what it read.
 */
export function nameRelease(key: Key, claim: NameClaim | undefined, executorId: string): TransactItem[] {
  if (!claim) return [];
  const guard = { ':id': executorId };
  if (claim.executorId === executorId) {
    const [next] = Object.keys(claim.sharedWith ?? {});
    if (next === undefined)
      return [
        {
          Delete: {
            TableName: tableName(),
            Key: key,
            ConditionExpression: 'executorId = :id',
            ExpressionAttributeValues: guard,
          },
        },
      ];
    return [
      {
        Update: {
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET executorId = :next, #name = :nextName REMOVE sharedWith.#next',
          ConditionExpression: 'executorId = :id',
          ExpressionAttributeNames: { '#name': 'name', '#next': next },
          ExpressionAttributeValues: { ...guard, ':next': next, ':nextName': claim.sharedWith![next] },
        },
      },
    ];
  }
  if (claim.sharedWith?.[executorId] === undefined) return [];
  return [
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'REMOVE sharedWith.#id',
        ConditionExpression: 'attribute_exists(sharedWith.#id)',
        ExpressionAttributeNames: { '#id': executorId },
      },
    },
  ];
}

/**
 * The release of an executor's name claim: its delete while the executor holds it (the one request it always was);
 * a name the migration found shared is read first, to pass it on (`nameRelease`).
 */
async function releaseOfName(record: ExecutorRecord): Promise<TransactItem[]> {
  const key = executorNameKey(record.organizationId, record.name);
  if (record.nameShared) {
    const { Item } = await getDocumentClient().send(
      new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
    );
    return nameRelease(key, Item as NameClaim | undefined, record.id);
  }
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: key,
        ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
        ExpressionAttributeValues: { ':id': record.id },
      },
    },
  ];
}

/** Stores a new executor and claims its name, atomically. */
export async function createExecutor(record: ExecutorRecord): Promise<void> {
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
                formatVersion: currentFormats.executor,
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

/** The clauses both writes of a replacement share, and the placeholders they use. */
interface ReplacementClauses extends Placeholders {
  /** `SET … REMOVE …`: the configuration replaced, metadata merged, secrets not sent removed. */
  update: string;
  /** ` AND …`: every masked secret still stored, under the current key or as it was re-sealed, for the same place. */
  keepCondition: string;
  /** ` AND NOT (…)`: the item does not hold all of it already (empty when a new envelope is written anyway). */
  writesSomething: string;
}

/**
 * `releases` names attributes a rename drops with the claim it releases (`nameShared`). Every replacement removes
 * the sealed copies of keys that are no secrets (`formerSecretKeys`), which a release before 0.2.0 wrote.
 */
function replacementClauses(
  replacement: ExecutorReplacement,
  now: string,
  releases: string[] = [],
): ReplacementClauses {
  const into = placeholders(
    {
      ':name': replacement.name,
      ':baseUrl': replacement.baseUrl,
      ':endpoints': replacement.endpoints,
      ':authType': replacement.authType,
      ':boundTo': replacement.secretsBoundTo,
      ':authConfig': replacement.authConfig,
      ':configured': configuredStatus,
      ':now': now,
      ':actor': replacement.updatedBy,
      ':authorizedBy': replacement.authorizedBy,
      ':one': 1,
    },
    { '#name': 'name', '#status': 'status' },
  );
  const { set, keep, sealedUnder, resealed, unboundAt } = replacement.authSecrets;
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
    'authorizedBy = :authorizedBy',
    'version = version + :one',
    ...setMapEntries(
      'authSecrets',
      { ...set, ...Object.fromEntries(Object.entries(resealed).map(([key, { to }]) => [key, to])) },
      's',
      into,
    ),
  ];
  const secretKeys = [...Object.keys(set), ...keep];
  const removes = mapEntryPaths(
    'authSecrets',
    [...secretConfigKeys.filter((key) => !secretKeys.includes(key)), ...formerSecretKeys],
    'r',
    into,
  );
  // A masked secret keeps its stored value only if there is one, sealed under the current key, bound to the same
  // destination.
  const kept = keep.filter((key) => !(key in resealed));
  if (kept.length > 0) into.values[':sealedUnder'] = sealedUnder;
  const resealedKeys = Object.keys(resealed);
  resealedKeys.forEach((key, index) => {
    into.values[`:was${index}`] = resealed[key].from;
  });
  if (keep.length > 0 && unboundAt !== undefined) into.values[':unboundAt'] = unboundAt;
  const sameDestination =
    unboundAt === undefined
      ? ' AND secretsBoundTo = :boundTo'
      : ' AND attribute_not_exists(secretsBoundTo) AND version = :unboundAt';
  const keepCondition = [
    ...mapEntryPaths('authSecrets', kept, 'k', into).map((path) => ` AND begins_with(${path}, :sealedUnder)`),
    ...mapEntryPaths('authSecrets', resealedKeys, 'w', into).map((path, index) => ` AND ${path} = :was${index}`),
    ...(keep.length > 0 ? [sameDestination] : []),
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
  const writesAnyway = Object.keys(set).length > 0 || resealedKeys.length > 0;
  const writesSomething = writesAnyway ? '' : ` AND NOT (${unchanged.join(' AND ')})`;
  return { update: updateExpression(sets, [...removes, ...releases]), keepCondition, writesSomething, ...into };
}

/** ` AND <attribute> = :readOnly…`: the stored values a PATCH's read-only claims state. */
function readOnlyClaimsCondition(readOnlyClaims: readonly ExecutorReadOnlyClaim[], into: Placeholders): string {
  return readOnlyClaims
    .map((claim, index) => {
      into.names[`#readOnly${index}`] = claim.field;
      into.values[`:readOnly${index}`] = claim.value;
      return ` AND #readOnly${index} = :readOnly${index}`;
    })
    .join('');
}

/**
 * The UpdateItem of a replacement: written only if the executor exists in an editable status
 * (functions/domain/executor/lifecycle.ts), at a version `If-Match` names, under the same name, with every masked
 * secret still stored, holding what the read-only claims state, and not already holding the change. A failed
 * condition returns the old item, which `replacementReading` reads.
 */
export function replacementUpdate(
  key: Key,
  replacement: ExecutorReplacement,
  precondition: Precondition | undefined,
  write: ReplacementWrite,
): UpdateCommandInput {
  const { update, keepCondition, writesSomething, names, values } = replacementClauses(replacement, write.now);
  const guard = placeholders(values, names);
  const condition = [
    `attribute_exists(pk) AND ${statusIn(editableStatuses, guard)} AND #name = :name`,
    versionIn('version', expectedVersions(precondition), guard),
    keepCondition,
    readOnlyClaimsCondition(write.readOnlyClaims, guard),
    writesSomething,
  ].join('');
  return {
    TableName: tableName(),
    Key: key,
    UpdateExpression: update,
    ConditionExpression: condition,
    ExpressionAttributeNames: guard.names,
    ExpressionAttributeValues: guard.values,
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * The TransactWriteItems of a rename: the replacement's update, guarded by the version the old item showed (and
 * every masked secret still stored); the new name's claim, put unless another executor holds it; and the old
 * name's claim released (`release`, by default its delete), unless the new name is a new spelling of the same name
 * (one claim key), whose claim the Put refreshes (a shared one is updated, keeping who shares it).
 */
export function renameTransaction(
  organizationId: string,
  executorId: string,
  replacement: ExecutorReplacement,
  prior: ExecutorRecord,
  now: string,
  release?: TransactItem[],
): TransactWriteCommandInput {
  const claim = nameClaim(organizationId, replacement.name, executorId);
  const sameName = executorNameKey(organizationId, prior.name).pk === claim.pk;
  const { update, keepCondition, names, values } = replacementClauses(
    replacement,
    now,
    prior.nameShared && !sameName ? ['nameShared'] : [],
  );
  const heldByThis = {
    ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
    ExpressionAttributeValues: { ':id': executorId },
  };
  const renewed: TransactItem =
    prior.nameShared && sameName
      ? {
          Update: {
            TableName: tableName(),
            Key: executorNameKey(organizationId, replacement.name),
            UpdateExpression: 'SET #name = :name',
            ConditionExpression: 'executorId = :id',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':id': executorId, ':name': replacement.name },
          },
        }
      : { Put: { TableName: tableName(), Item: claim, ...heldByThis } };
  const released = sameName
    ? []
    : (release ?? [
        { Delete: { TableName: tableName(), Key: executorNameKey(organizationId, prior.name), ...heldByThis } },
      ]);
  return {
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: executorKey(organizationId, executorId),
          UpdateExpression: update,
          ConditionExpression: `version = :seen${keepCondition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':seen': prior.version },
        },
      },
      renewed,
      ...released,
    ],
  };
}

/**
 * What the old item of a failed replacement says, read in this order: 404 when there is none; where `If-Match`
 * holds, 400 for a read-only claim it contradicts, then `unchanged` (it already holds the change, in any status:
 * nothing to write, the version stays); 422 wrong status; 412; 422 no secret to keep, or a new destination for
 * it; secrets stored before bindings existed whose destination, read from the item, is the same: write again
 * guarded by this version (`unbound`); kept secrets sealed under an older data key, for the caller to re-seal
 * (`staleSecrets`), or re-sealed ones another writer re-sealed since, to write again without them (`resealed`: the
 * ones still due); else the condition failed only on the name (`rename`). Unbound secrets are read as bound to the
 * destination of the configuration they were stored with (`storedSecretsDestination`), also for the no-op.
 */
export type ReplacementReading =
  | { refusal: Error }
  | { unchanged: ExecutorRecord }
  | { staleSecrets: Record<string, string> }
  | { resealed: Reseals }
  | { unbound: number }
  | { rename: ExecutorRecord };

/** Reads the old item a failed `replacementUpdate` returned (undefined when there was none): see `ReplacementReading`. */
export function replacementReading(
  old: ExecutorRecord | undefined,
  replacement: ExecutorReplacement,
  precondition: Precondition | undefined,
  readOnlyClaims: readonly ExecutorReadOnlyClaim[],
): ReplacementReading {
  if (!old) return { refusal: notFound() };
  const current = matchesPrecondition(precondition, old.version);
  const boundTo = storedSecretsDestination(old);
  if (current) {
    const contradicted = executorReadOnlyClaimViolations(old, readOnlyClaims);
    if (contradicted.length > 0) return { refusal: new RequestValidationError(contradicted) };
    if (executorUnchanged({ ...old, ...(boundTo !== undefined ? { secretsBoundTo: boundTo } : {}) }, replacement))
      return { unchanged: old };
  }
  if (!editableStatuses.includes(old.status)) return { refusal: new WrongStatusError('modify', old.status) };
  if (!current) return { refusal: staleVersion() };
  const { keep, sealedUnder, resealed } = replacement.authSecrets;
  const lost = keep.filter((key) => old.authSecrets?.[key] === undefined);
  if (lost.length > 0) return { refusal: maskedWithoutSecret(lost) };
  if (keep.length > 0 && boundTo !== replacement.secretsBoundTo) return { refusal: secretsRebound(keep) };
  // Secrets stored before bindings existed, bound in memory to where they were stored: write if still so.
  if (keep.length > 0 && old.secretsBoundTo === undefined && replacement.authSecrets.unboundAt !== old.version)
    return { unbound: old.version };
  const stale: Record<string, string> = {};
  for (const key of keep) if (!old.authSecrets[key].startsWith(sealedUnder)) stale[key] = old.authSecrets[key];
  const due = Object.keys(stale);
  if (due.some((key) => resealed[key]?.from !== stale[key])) return { staleSecrets: stale };
  if (due.length < Object.keys(resealed).length)
    return { resealed: Object.fromEntries(due.map((key) => [key, resealed[key]])) };
  return { rename: old };
}

/** The record a replacement produces from a known prior state (the rename path's response). */
function applyReplacement(old: ExecutorRecord, replacement: ExecutorReplacement, now: string): ExecutorRecord {
  const { metadata, description, authSecrets, ...replaced } = replacement;
  const kept = Object.fromEntries(
    Object.entries(old.authSecrets)
      .filter(([key]) => authSecrets.keep.includes(key))
      .map(([key, value]) => [key, authSecrets.resealed[key]?.to ?? value]),
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

/** Moves the name claim with the update; what the loop does next when another writer came first. */
async function renameExecutor(
  organizationId: string,
  executorId: string,
  replacement: ExecutorReplacement,
  prior: ExecutorRecord,
  now: string,
): Promise<Replaced | Retried> {
  // A name the migration found shared is passed on, not freed: read its claim (the plain release needs no read).
  const release = prior.nameShared ? await releaseOfName(prior) : undefined;
  try {
    await getDocumentClient().send(
      new TransactWriteCommand(renameTransaction(organizationId, executorId, replacement, prior, now, release)),
    );
    return { record: applyReplacement(prior, replacement, now) };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) {
      if (isItemTooLarge(error)) throw tooLarge();
      throw error;
    }
    if (codes[1] === 'ConditionalCheckFailed') throw new NameTakenError(replacement.name);
    if (codes.includes('ValidationError')) throw tooLarge();
    // The version moved, or a shared name's claim changed since it was read (read again); or the transaction met
    // another in flight (try again as is).
    if (codes[0] === 'ConditionalCheckFailed' || codes.slice(2).includes('ConditionalCheckFailed')) return contended;
    if (codes.includes('TransactionConflict')) return collided;
    throw error;
  }
}

/** A rename, or re-sealed secrets dropped then a rename, each after a write that told what was stored. */
const maxUpdateAttempts = 4;

/**
 * Replaces an executor's configuration (PATCH). One UpdateItem when the name is unchanged and every masked secret
 * is sealed under the current data key; when the old item shows a new name, one TransactWriteItems moves the name
 * claim with the update, guarded by the version just seen. When it shows a kept secret sealed under an older key,
 * the store, which holds no key, answers `staleSecrets` instead of writing: the caller re-seals them and calls
 * again with `resealed`.
 */
export async function updateExecutor(
  organizationId: string,
  executorId: string,
  replacement: ExecutorReplacement,
  precondition: Precondition | undefined,
  write: ReplacementWrite,
): Promise<Replaced> {
  const key = executorKey(organizationId, executorId);
  let attempt = replacement;
  return retryOnConflict(
    async () => {
      let old: ExecutorRecord | undefined;
      try {
        const { Attributes } = await getDocumentClient().send(
          new UpdateCommand(replacementUpdate(key, attempt, precondition, write)),
        );
        return { record: Attributes as ExecutorRecord };
      } catch (error) {
        if (isItemTooLarge(error)) throw tooLarge();
        ({ old } = conditionFailure<ExecutorRecord>(error));
      }
      const reading = replacementReading(old, attempt, precondition, write.readOnlyClaims);
      if ('refusal' in reading) throw reading.refusal;
      if ('unchanged' in reading) return { record: reading.unchanged };
      if ('staleSecrets' in reading) return reading;
      if ('resealed' in reading) {
        attempt = { ...attempt, authSecrets: { ...attempt.authSecrets, resealed: reading.resealed } };
        return contended;
      }
      if ('unbound' in reading) {
        attempt = { ...attempt, authSecrets: { ...attempt.authSecrets, unboundAt: reading.unbound } };
        return contended;
      }
      return renameExecutor(organizationId, executorId, attempt, reading.rename, write.now);
    },
    { attempts: maxUpdateAttempts, jitterMs: 0, exhausted: concurrentChange },
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
  actor: Actor,
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
                  deletedBy: actor.name,
                  authorizedBy: authorizationOf(actor),
                  deletedAt: now,
                },
              ),
              ...(await releaseOfName(current)),
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
    { attempts: maxUpdateAttempts, jitterMs: 0, exhausted: concurrentChange },
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
  actor: Actor,
  now: string,
): Promise<ExecutorRecord> {
  const guard = placeholders(
    {
      ':to': transition.to,
      ':from': transition.from,
      ':now': now,
      ':actor': actor.name,
      ':authorizedBy': authorizationOf(actor),
      ':one': 1,
    },
    { '#status': 'status' },
  );
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: executorKey(organizationId, executorId),
        UpdateExpression:
          'SET #status = :to, updatedAt = :now, updatedBy = :actor, authorizedBy = :authorizedBy, version = version + :one',
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
  actor: Actor,
): Promise<ExecutorRecord> {
  const promote = outcome.passed && tested.status === testPromotion.from;
  try {
    const { Attributes } = await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: executorKey(organizationId, tested.id),
        UpdateExpression: `SET lastTestedAt = :testedAt, updatedAt = :testedAt, updatedBy = :actor, authorizedBy = :authorizedBy, version = version + :one${promote ? ', #status = :tested' : ''}`,
        ConditionExpression: 'version = :seen',
        ...(promote ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: {
          ':testedAt': outcome.testedAt,
          ':actor': actor.name,
          ':authorizedBy': authorizationOf(actor),
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
