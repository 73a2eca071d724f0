/**
 * The table's stream as tests read it: DynamoDB Local's stream records about one
 * resource (its items, snapshots and tombstone), read the way `npm start` reads them
 * (scripts/local/streams.ts), so the stream consumers can run on real records.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { tableName } from '../../functions/store/client.js';
import { readTableStream } from '../../scripts/local/streams.js';

const imageOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;

/** An organization's stream records about `resourceId`, once at least `count` are there (or after 20 s). */
export async function streamRecordsAbout(
  organizationId: string,
  resourceId: string,
  count: number,
): Promise<DynamoDBRecord[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const records = (
      await readTableStream({ endpoint: String(process.env.DYNAMODB_ENDPOINT), tableName: tableName() })
    ).filter((record) => {
      const image = imageOf(record);
      return (
        image?.organizationId?.S === organizationId &&
        [image?.id?.S, image?.executorId?.S, image?.workflowId?.S].includes(resourceId)
      );
    });
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
