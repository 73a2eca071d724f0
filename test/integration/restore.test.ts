/**
 * The restore path of docs/runbook.md ("Restore the table") on DynamoDB Local: a table
 * as a restore leaves it (flowplane's items, keys and index; no stream, no time to live,
 * no deletion protection) has no stream for the consumers to read; `npm run
 * restored-table` turns on what is missing and prints the `table` setting the stage
 * adopts it with; from then on the real handlers and the stream consumers work on it.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { auditPartition } from '../../functions/store/keys.js';
import { createTableInput } from '../../functions/store/table.js';
import { handler as auditHandler } from '../../functions/streams/write-audit.js';
import { readTableStream } from '../../scripts/local/streams.js';
import { prepareRestoredTable, runRestoredTableCommand } from '../../scripts/restored-table.js';
import { lambdaContext, newOrganization } from '../support/api.js';
import { completeExecutorBody, createExecutor, patchExecutor } from '../support/executors.js';

const restored = `flowplane-restored-${randomUUID().slice(0, 8)}`;
const endpoint = String(process.env.DYNAMODB_ENDPOINT);
let client: DynamoDBClient;

beforeAll(async () => {
  client = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // A restore: the same keys and index and every item, but none of the table's settings.
  const { StreamSpecification: _stream, ...withoutStream } = createTableInput(restored);
  await client.send(new CreateTableCommand(withoutStream));
});

afterAll(async () => {
  await client.send(new UpdateTableCommand({ TableName: restored, DeletionProtectionEnabled: false }));
  await client.send(new DeleteTableCommand({ TableName: restored }));
  client.destroy();
});

test('a restored table is made adoptable: stream, time to live and deletion protection turned on, the table setting printed; a change on it then reaches the consumers', async () => {
  // Prepare: one organization's items copied as a restore would, and no stream to read
  const org = await newOrganization();
  const name = `restore-${randomUUID()}`;
  const created = await createExecutor(org, { name });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const documents = getDocumentClient();
  const Items: Record<string, unknown>[] = [];
  // The suite's table is shared and large: the filter applies page by page.
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'organizationId = :org',
        ExpressionAttributeValues: { ':org': org.organizationId },
        ExclusiveStartKey: start,
      }),
    );
    Items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  expect(Items.length).toBeGreaterThan(1);
  for (const item of Items) await documents.send(new PutCommand({ TableName: restored, Item: item }));
  await expect(readTableStream({ endpoint, tableName: restored })).rejects.toThrow(`table ${restored} has no stream`);
  const lines: string[] = [];

  // Act
  const code = await runRestoredTableCommand(['--table', restored], (line) => lines.push(line));

  // Assess: every setting on; the printed setting names the table and its new stream
  expect(code).toBe(0);
  expect(lines.slice(0, 4)).toEqual([
    'stream: turned on (NEW_AND_OLD_IMAGES); the consumers will read it from its start',
    'time to live: turned on for expiresAt',
    'deletion protection: turned on',
    'point-in-time recovery: not offered by this endpoint (DynamoDB Local)',
  ]);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: restored }));
  expect(Table).toMatchObject({
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    DeletionProtectionEnabled: true,
  });
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: restored }));
  expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  const printed = JSON.parse(lines.slice(lines.indexOf('') + 2).join('\n')) as {
    table: { tableArn: string; tableStreamArn: string };
  };
  expect(printed).toEqual({ table: { tableArn: Table!.TableArn, tableStreamArn: Table!.LatestStreamArn } });
  expect(printed.table.tableStreamArn.startsWith(`${printed.table.tableArn}/stream/`)).toBe(true);

  // Act: the stage now on the restored table: a PATCH through the real handler, the audit writer on its stream
  const previous = process.env.TABLE_NAME;
  process.env.TABLE_NAME = restored;
  try {
    expect((await patchExecutor(org, id, completeExecutorBody(name))).status).toBe(200);
    const records = await readTableStream({ endpoint, tableName: restored });
    expect(await auditHandler({ Records: records }, lambdaContext())).toEqual({ batchItemFailures: [] });
  } finally {
    process.env.TABLE_NAME = previous;
  }
  // Assess: the change made on the restored table is in its audit log
  const { Items: audit = [] } = await documents.send(
    new QueryCommand({
      TableName: restored,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditPartition(org.organizationId, id) },
    }),
  );
  expect(audit.map((entry) => entry.action)).toEqual(['updated']);
});

test('run again, it changes nothing; a table that is not flowplane’s is refused untouched', async () => {
  // Prepare
  const again = `flowplane-restored-${randomUUID().slice(0, 8)}`;
  const { StreamSpecification: _stream, ...withoutStream } = createTableInput(again);
  await client.send(new CreateTableCommand(withoutStream));
  await prepareRestoredTable(client, again);
  // Act
  const second = await prepareRestoredTable(client, again);
  // Assess
  expect(second.steps).toEqual([
    'stream: on (NEW_AND_OLD_IMAGES) already',
    'time to live: on expiresAt already',
    'deletion protection: on already',
    'point-in-time recovery: not offered by this endpoint (DynamoDB Local)',
  ]);
  await client.send(new UpdateTableCommand({ TableName: again, DeletionProtectionEnabled: false }));
  await client.send(new DeleteTableCommand({ TableName: again }));
  // Prepare
  const other = `other-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: other,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  try {
    // Act
    const refused = await prepareRestoredTable(client, other);
    // Assess
    expect(refused).toEqual({
      steps: [],
      problems: [
        'keys are {"HASH":"id"}, not pk/sk: not a flowplane table',
        'no gsi1 index: restore with its indexes (the default of a restore)',
      ],
    });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: other }));
    expect(Table?.StreamSpecification).toBeUndefined();
  } finally {
    await client.send(new DeleteTableCommand({ TableName: other }));
  }
});
