/**
 * What the migration (functions/migrations/) reads and writes. It reads the whole table a
 * page at a time; it rewrites an item only if the item is still what it read (the same
 * counter, the same format), never moving the counter, so a write of the API in between
 * is never lost and its ETag never changes; it moves the name claims releases before
 * 0.2.0 made; and it keeps where a run stands in its own item, to resume from there.
 * Every write is conditional, and every one can be made twice without effect.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { currentFormats } from '../domain/formats.js';
import { getDocumentClient, tableName } from './client.js';
import { cancellationCodes } from './errors.js';
import { placeholders, updateExpression } from './expressions.js';
import {
  executorKey,
  executorNameKey,
  executorNameKeyAsTyped,
  type Key,
  migrationRunKey,
  workflowKey,
  workflowUniqueNameKey,
} from './keys.js';

/** An item as stored, every attribute. */
export type StoredItem = Record<string, unknown>;

/** One page of the table, and where the next one starts (none after the last). */
export async function scanPage(
  startKey: Record<string, unknown> | undefined,
  limit: number,
): Promise<{ items: StoredItem[]; lastKey?: Record<string, unknown> }> {
  const page = await getDocumentClient().send(
    new ScanCommand({ TableName: tableName(), Limit: limit, ExclusiveStartKey: startKey }),
  );
  return { items: page.Items ?? [], ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}) };
}

/** The key of a stored item. */
export const keyOf = (item: StoredItem): Key => ({ pk: String(item.pk), sk: String(item.sk) });

/** An item as stored now (a strongly consistent read), or undefined when it is gone. */
export async function readItem(key: Key): Promise<StoredItem | undefined> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return Item;
}

/** The counter every write of the API moves, by kind of item (none for the kinds only the API creates and deletes). */
const counters: Partial<Record<string, string>> = { executor: 'version', workflow: 'revision' };

/**
 * Rewrites an item in a newer format: `set` and `remove` its attributes and stamp `formatVersion`, only if it is
 * still the item that was read (the same format, the same counter). False when it is not (written since, or gone):
 * read it again.
 */
export async function rewriteItem(
  read: StoredItem,
  rewrite: { set: Record<string, unknown>; remove: string[]; formatVersion: number },
): Promise<boolean> {
  const into = placeholders({ ':format': rewrite.formatVersion }, { '#format': 'formatVersion' });
  const sets = ['#format = :format'];
  Object.entries(rewrite.set).forEach(([name, value], index) => {
    into.names[`#s${index}`] = name;
    into.values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  const removes = rewrite.remove.map((name, index) => {
    into.names[`#r${index}`] = name;
    return `#r${index}`;
  });
  const conditions = ['attribute_exists(pk)'];
  if (typeof read.formatVersion === 'number') {
    into.values[':was'] = read.formatVersion;
    conditions.push('#format = :was');
  } else conditions.push('attribute_not_exists(#format)');
  const counter = counters[String(read.entity)];
  if (counter) {
    into.names['#counter'] = counter;
    into.values[':seen'] = read[counter];
    conditions.push('#counter = :seen');
  }
  try {
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(read),
        UpdateExpression: updateExpression(sets, removes),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: into.names,
        ExpressionAttributeValues: into.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** What claiming a name by its identity came to. */
export type IdentityClaim = { claimed: true } | { heldBy: string };

/**
 * Moves a name claim a release before 0.2.0 made (keyed by the name's bytes) to the name's identity, in one
 * transaction: the identity's claim put for the same executor (unless another executor holds it) and the old claim
 * deleted (while it still names that executor). `heldBy` names the executor holding the identity (`shareName`).
 */
export async function claimNameByIdentity(
  organizationId: string,
  name: string,
  executorId: string,
): Promise<IdentityClaim> {
  const asTyped = executorNameKeyAsTyped(organizationId, name);
  const identity = executorNameKey(organizationId, name);
  const forThis = {
    ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
    ExpressionAttributeValues: { ':id': executorId },
  };
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...identity,
                entity: 'executorName',
                formatVersion: currentFormats.executorName,
                organizationId,
                executorId,
                name,
              },
              ...forThis,
            },
          },
          { Delete: { TableName: tableName(), Key: asTyped, ...forThis } },
        ],
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const holder = (await readItem(identity)) as { executorId?: string } | undefined;
    return { heldBy: holder?.executorId ?? 'unknown' };
  }
}

/** Releases a claim whose executor is gone or no longer has the name, unless it names another executor now. */
export async function releaseStaleClaim(key: Key, executorId: string): Promise<void> {
  try {
    await getDocumentClient().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: key,
        ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
        ExpressionAttributeValues: { ':id': executorId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Makes the name claim `holderId` holds under the name's identity name `executorId` too, which a release before
 * 0.2.0 let have the same name: the claim lists it in `sharedWith`, its own claim (under the name's bytes) goes,
 * and both executors are marked `nameShared`, so a rename or delete of either passes the claim on rather than free
 * it (functions/store/executors.ts). False when one of them changed meanwhile (run again).
 */
export async function shareName(
  organizationId: string,
  name: string,
  executorId: string,
  holderId: string,
): Promise<boolean> {
  const identity = executorNameKey(organizationId, name);
  const held = { ConditionExpression: 'executorId = :holder', ExpressionAttributeValues: { ':holder': holderId } };
  try {
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: identity,
        UpdateExpression: 'SET sharedWith = if_not_exists(sharedWith, :none)',
        ...held,
        ExpressionAttributeValues: { ...held.ExpressionAttributeValues, ':none': {} },
      }),
    );
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: identity,
              UpdateExpression: 'SET sharedWith.#id = :name',
              ExpressionAttributeNames: { '#id': executorId },
              ...held,
              ExpressionAttributeValues: { ...held.ExpressionAttributeValues, ':name': name },
            },
          },
          {
            Delete: {
              TableName: tableName(),
              Key: executorNameKeyAsTyped(organizationId, name),
              ConditionExpression: 'executorId = :id',
              ExpressionAttributeValues: { ':id': executorId },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: executorKey(organizationId, executorId),
              UpdateExpression: 'SET nameShared = :shared',
              ConditionExpression: '#name = :name',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: { ':shared': true, ':name': name },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: executorKey(organizationId, holderId),
              UpdateExpression: 'SET nameShared = :shared',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':shared': true },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || cancellationCodes(error)) return false;
    throw error;
  }
}

/**
 * Claims a unique name for a workflow that has none (created before 0.2.0): the claim put unless it exists.
 * `claimed` when this workflow holds it (now or already), else `heldBy` the workflow that does.
 */
export async function claimUniqueName(
  organizationId: string,
  workflowId: string,
  uniqueName: string,
): Promise<IdentityClaim> {
  const key = workflowUniqueNameKey(organizationId, uniqueName);
  try {
    await getDocumentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, entity: 'workflowUniqueName', organizationId, workflowId, uniqueName },
        ConditionExpression: 'attribute_not_exists(pk) OR workflowId = :id',
        ExpressionAttributeValues: { ':id': workflowId },
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const holder = (await readItem(key)) as { workflowId?: string } | undefined;
    return { heldBy: holder?.workflowId ?? 'unknown' };
  }
}

/** The executor a name claim names, as stored now. */
export const readExecutor = (organizationId: string, executorId: string) =>
  readItem(executorKey(organizationId, executorId));

/** The workflow working copy, as stored now. */
export const readWorkflow = (organizationId: string, workflowId: string) =>
  readItem(workflowKey(organizationId, workflowId));

/** Where a run of the migration stands: what it resumes from, and what it counted so far. */
export interface MigrationRun {
  /** The formats the run brings items to (functions/domain/formats.ts), as one text: another set starts over. */
  formats: string;
  /** `running` while a run goes on; `stopped` when one stopped before the end (resumable); `complete`; `failed`. */
  status: 'running' | 'stopped' | 'complete' | 'failed';
  startedAt: string;
  updatedAt: string;
  /** The key the next page starts after; absent before the first page and once complete. */
  resumeAfter?: Record<string, unknown>;
  counts: Record<string, number>;
}

/** The last run's item, if any. */
export async function readRun(): Promise<MigrationRun | undefined> {
  return (await readItem(migrationRunKey())) as MigrationRun | undefined;
}

/**
 * Writes where the run stands (its own item: no resource, so no event and no audit entry), only over the item as
 * the run last read or wrote it (`expected`, its `updatedAt`; undefined: there was none), so two runs never share
 * the table. False when another run wrote it since.
 */
export async function saveRun(run: MigrationRun, expected: string | undefined): Promise<boolean> {
  try {
    await getDocumentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...migrationRunKey(), entity: 'migrationRun', ...run },
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'updatedAt = :expected', ExpressionAttributeValues: { ':expected': expected } }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
