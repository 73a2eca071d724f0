/**
 * One DynamoDB document client per process, built when the module loads — in Lambda's
 * init phase, so the first request does not pay for it. Scripts and tests that import
 * the stores before they set DYNAMODB_ENDPOINT / AWS_REGION (the local server, the
 * bench) get a client for the new environment on their next call: the client is rebuilt
 * whenever the endpoint or region it was built for is no longer the environment's.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

interface BuiltClient {
  endpoint: string | undefined;
  region: string | undefined;
  client: DynamoDBDocumentClient;
}

function buildDocumentClient(): BuiltClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const region = process.env.AWS_REGION;
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 3,
  });
  return {
    endpoint,
    region,
    client: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  };
}

let built = buildDocumentClient();

/** The shared document client; points at DynamoDB Local when DYNAMODB_ENDPOINT is set. */
export function getDocumentClient(): DynamoDBDocumentClient {
  if (built.endpoint !== process.env.DYNAMODB_ENDPOINT || built.region !== process.env.AWS_REGION) built = buildDocumentClient();
  return built.client;
}

/** The table every entity lives in. */
export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}

/** A transaction item that creates `item`, and fails if an item with its key exists. */
export function putNew(item: Record<string, unknown>) {
  return { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}
