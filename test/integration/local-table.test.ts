/**
 * scripts/local/table.ts on DynamoDB Local: a table an earlier release created (one index,
 * `gsi1`) gets the index it lacks, as a deploy adds it, and what it already holds is
 * indexed; a table that has both is left as it is.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../functions/store/table.js';
import { ensureTable } from '../../scripts/local/table.js';

const endpoint = String(process.env.DYNAMODB_ENDPOINT);
const client = new DynamoDBClient({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const tableName = `flowplane-earlier-${randomUUID()}`;

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

test('a table with gsi1 only gets gsi2, which then lists the items already there; a second run changes nothing', async () => {
  // Prepare
  const today = createTableInput(tableName);
  await client.send(
    new CreateTableCommand({
      ...today,
      AttributeDefinitions: today.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi2')),
      GlobalSecondaryIndexes: today.GlobalSecondaryIndexes.filter((index) => index.IndexName === 'gsi1'),
    }),
  );
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: 'a' }, sk: { S: 'b' }, gsi2pk: { S: 'listed' }, gsi2sk: { S: '1' } },
    }),
  );
  // Act
  await ensureTable(endpoint, tableName);
  const after = await client.send(new DescribeTableCommand({ TableName: tableName }));
  await ensureTable(endpoint, tableName);
  const again = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const listed = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'listed' } },
    }),
  );
  // Assess
  const indexes = (table: typeof after) =>
    (table.Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]).sort();
  expect(indexes(after)).toEqual([
    ['gsi1', 'ACTIVE'],
    ['gsi2', 'ACTIVE'],
  ]);
  expect(indexes(again)).toEqual(indexes(after));
  expect(listed.Items?.map((item) => item.pk.S)).toEqual(['a']);
});
