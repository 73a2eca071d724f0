/**
 * The one table's shape, shared by the CDK stack, the local server and the tests so
 * that all three create exactly the same thing.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  streamView: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds after which DynamoDB deletes an item (tombstones, audit receipts; any later expiring record). */
  timeToLive: 'expiresAt',
} as const;

/** CreateTable input for DynamoDB Local (the CDK stack states the same in its own terms). */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'S' as const },
      { AttributeName: 'gsi1pk', AttributeType: 'S' as const },
      { AttributeName: 'gsi1sk', AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: tableDefinition.gsi1.name,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamView },
  };
}

/**
 * A page cut from a query that read one item past it: `lastKey` (the resume point, made
 * of the `keyAttributes` of the page's last item) only when another item exists.
 */
export function pageOf<T>(
  items: readonly T[],
  limit: number,
  keyAttributes: readonly string[],
): { items: T[]; lastKey?: Record<string, unknown> } {
  if (items.length <= limit) return { items: [...items] };
  const page = items.slice(0, limit);
  const last = page[page.length - 1] as Record<string, unknown>;
  return { items: page, lastKey: Object.fromEntries(keyAttributes.map((name) => [name, last[name]])) };
}

/** The attributes of a base-table key, and of a `gsi1` key (where an index page resumes). */
export const tableKeyAttributes = ['pk', 'sk'] as const;
export const indexKeyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/** Tombstones expire (table TTL on `expiresAt`) once the stream consumers had a week to read them. */
const tombstoneSeconds = 7 * 24 * 3600;

/** The `expiresAt` (epoch seconds) of a tombstone written at `now`. */
export function tombstoneExpiry(now: string): number {
  return Math.floor(Date.parse(now) / 1000) + tombstoneSeconds;
}
