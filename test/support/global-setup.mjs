/**
 * Starts one DynamoDB Local for the whole run and creates the table; test workers
 * inherit the environment set here. Jest does not remap `.js` imports for global setup,
 * so the TypeScript launcher is loaded through tsx.
 */
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startDynamoDbLocal } = await tsImport('../../scripts/local/dynamodb-local.ts', import.meta.url);
  const { ensureTable } = await tsImport('../../scripts/local/table.ts', import.meta.url);
  const dynamo = await startDynamoDbLocal();
  globalThis.__dynamo = dynamo;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = 'flowplane-test';
  process.env.AWS_REGION = 'local';
  await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);
}
