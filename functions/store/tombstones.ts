/**
 * Tombstones: a delete writes one in the same transaction (executors, workflows), in
 * the deleted resource's partition, naming who deleted it; they expire by TTL after a
 * week, long after the stream (24 hours) has delivered the delete.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from './client.js';
import { tombstoneKeyOf } from './keys.js';

/** The tombstone beside a deleted resource (its partition key), if it is still there. */
export async function getTombstone(resourcePk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: tombstoneKeyOf(resourcePk), ConsistentRead: true }),
  );
  return Item;
}
