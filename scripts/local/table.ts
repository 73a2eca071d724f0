/**
 * Creates the flowplane table on a DynamoDB endpoint unless it exists (local runs and
 * tests; AWS gets it from the CDK stack), and adds the global indexes a table written by
 * an earlier release lacks, one per update as CloudFormation adds them.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, globalIndexInput, tableDefinition } from '../../functions/store/table.js';

/** How long a local index may take to build before the start gives up. */
const indexWaitMs = 60_000;

export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const describe = async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  try {
    let table;
    try {
      table = await describe();
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      return;
    }
    const present = new Set((table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of [tableDefinition.gsi1, tableDefinition.gsi2]) {
      if (present.has(index.name)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: index.partitionKey, AttributeType: 'S' },
            { AttributeName: index.sortKey, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: globalIndexInput(index) }],
        }),
      );
      const deadline = Date.now() + indexWaitMs;
      while ((await describe())?.GlobalSecondaryIndexes?.some((built) => built.IndexStatus !== 'ACTIVE')) {
        if (Date.now() > deadline) throw new Error(`index ${index.name} of ${tableName} is still building`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}
