/**
 * The one table's shape, shared by the CDK stack, the local server and the tests so
 * that all three create exactly the same thing.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * Added in 0.3.0 (CloudFormation adds one index per table update): executors by `updatedAt`, an audit entry by its
   * `eventId` (docs/data-model.md).
   */
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  streamView: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds after which DynamoDB deletes an item (tombstones, audit receipts; any later expiring record). */
  timeToLive: 'expiresAt',
} as const;

/** A global index as CreateTable and UpdateTable state it: both key attributes, every attribute projected. */
export function globalIndexInput(index: { name: string; partitionKey: string; sortKey: string }) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

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
      { AttributeName: 'gsi2pk', AttributeType: 'S' as const },
      { AttributeName: 'gsi2sk', AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [tableDefinition.gsi1, tableDefinition.gsi2].map(globalIndexInput),
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

/** The attributes of a base-table key, and of a `gsi1` or `gsi2` key (where an index page resumes). */
export const tableKeyAttributes = ['pk', 'sk'] as const;
export const indexKeyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
export const updateIndexKeyAttributes = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;

/** How many reads one page may take to fill itself when a filter passes items by. */
export const maxPageReads = 10;

/**
 * A page of at most `limit` items, filled across reads: `read` returns the items after `startKey` that pass its
 * filter (having looked at no more than `wanted`) and where it stopped. It reads until one item past the page is
 * known, DynamoDB has nothing more, or `maxPageReads` reads were made; `lastKey` is then the page's last item (made
 * of its `keyAttributes`) when another item exists, where the reading stopped when it stopped early (a short page
 * that is not the last), or absent at the end.
 */
export async function readPage<T>(
  read: (
    startKey: Record<string, unknown> | undefined,
    wanted: number,
  ) => Promise<{ items: T[]; lastKey?: Record<string, unknown> }>,
  options: { limit: number; startKey?: Record<string, unknown>; keyAttributes: readonly string[] },
): Promise<{ items: T[]; lastKey?: Record<string, unknown> }> {
  const items: T[] = [];
  let startKey = options.startKey;
  for (let reads = 0; reads < maxPageReads && items.length <= options.limit; reads += 1) {
    const page = await read(startKey, options.limit + 1 - items.length);
    items.push(...page.items);
    startKey = page.lastKey;
    if (!startKey) break;
  }
  if (items.length > options.limit) return pageOf(items, options.limit, options.keyAttributes);
  return { items, lastKey: startKey };
}

/** Tombstones expire (table TTL on `expiresAt`) once the stream consumers had a week to read them. */
const tombstoneSeconds = 7 * 24 * 3600;

/** The `expiresAt` (epoch seconds) of a tombstone written at `now`. */
export function tombstoneExpiry(now: string): number {
  return Math.floor(Date.parse(now) / 1000) + tombstoneSeconds;
}
