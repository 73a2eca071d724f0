/**
 * The benchmark's baseline: the least a DynamoDB-backed function can do — one document
 * client and one GetItem — bundled exactly like the route functions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(
  new DynamoDBClient(
    process.env.DYNAMODB_ENDPOINT
      ? {
          endpoint: process.env.DYNAMODB_ENDPOINT,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  ),
);

/** `event.reads` sequential GetItems (default 1): 2 matches a route's key lookup plus its own request. */
export const handler = async (event: { reads?: number }) => {
  let item: unknown;
  for (let i = 0; i < (event.reads ?? 1); i += 1) {
    ({ Item: item } = await client.send(
      new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'baseline', sk: `baseline-${i}` } }),
    ));
  }
  return { statusCode: 200, body: JSON.stringify(item ?? null) };
};
