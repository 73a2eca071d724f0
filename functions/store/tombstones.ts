/**
 * Tombstones: a delete writes one in the same transaction (executors, workflows), in
 * the deleted resource's partition, naming who deleted it; they expire by TTL after a
 * week, long after the stream (24 hours) has delivered the delete.
 */
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Authorization } from '../domain/permissions.js';
import { getDocumentClient, tableName } from './client.js';
import { type Key, tombstoneKeyOf } from './keys.js';
import { tombstoneExpiry } from './table.js';

/** The tombstone beside a deleted resource (its partition key), if it is still there. */
export async function getTombstone(resourcePk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: tombstoneKeyOf(resourcePk), ConsistentRead: true }),
  );
  return Item;
}

/** What a tombstone says: which resource went, who deleted it and when, and what else its kind records. */
export interface Tombstone {
  key: Key;
  entity: 'executorTombstone' | 'workflowTombstone';
  organizationId: string;
  id: string;
  deletedBy: string;
  /** With which credential and permission (absent on tombstones of earlier releases). */
  authorizedBy?: Authorization;
  deletedAt: string;
  /** Anything more the stream needs to tell of the resource (an executor's name and last version). */
  [detail: string]: unknown;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The two transaction items of a delete that leaves a tombstone: the resource deleted only
 * while `versionAttribute` still holds the value it was read with, and its tombstone put
 * where none is (the stream turns it into the Deleted event and audit entry), expiring by
 * TTL. The caller adds what else goes with it (a name claim released) and reads a
 * cancellation: the delete's condition is item 0, the tombstone's item 1.
 */
export function deletionWithTombstone(
  resource: { key: Key; versionAttribute: 'version' | 'revision'; seen: number },
  tombstone: Tombstone,
): [TransactItem, TransactItem] {
  const { key, ...said } = tombstone;
  return [
    {
      Delete: {
        TableName: tableName(),
        Key: resource.key,
        ConditionExpression: `${resource.versionAttribute} = :seen`,
        ExpressionAttributeValues: { ':seen': resource.seen },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...key, ...said, expiresAt: tombstoneExpiry(said.deletedAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}
