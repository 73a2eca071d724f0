/**
 * `flowplane restored-table --table NAME` (`npx flowplane restored-table …` from the
 * installed package, `npm run restored-table -- …` here; scripts/flowplane.ts dispatches).
 *
 * Makes a table restored from a backup or a point in time adoptable by a stage
 * (docs/runbook.md, "Restore the table"). A restore copies the items, the keys and the
 * indexes, not the stream, the time to live, point-in-time recovery or deletion
 * protection; the stream consumers need the stream, and the construct adopts a table
 * only with it (the `table` prop's `tableStreamArn`, checked against the table's ARN at
 * synth). This checks the keys and `gsi1` are flowplane's, turns on what is off (a stream
 * of new and old images, TTL on `expiresAt`, point-in-time recovery, deletion
 * protection), waits for the stream, and prints the cdk.json `table` setting that points
 * the stage at it. Running it again changes nothing.
 */
import { parseArgs } from 'node:util';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type TableDescription,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../functions/store/table.js';

const usage = `usage:
  flowplane restored-table --table NAME

environment: AWS_REGION and the usual AWS credentials (DYNAMODB_ENDPOINT for DynamoDB Local)`;

/** What was found and done, and the `table` setting for cdk.json (or the construct's `table` prop). */
export interface RestoredTable {
  /** One line per step: what was on already, what was turned on. */
  steps: string[];
  /** Why the table cannot be adopted (then nothing was changed). */
  problems: string[];
  table?: { tableArn: string; tableStreamArn: string; encryptionKeyArn?: string };
}

/** Why a table's keys or index are not flowplane's; empty when they are. */
export function keyProblems(table: TableDescription): string[] {
  const keyOf = (schema: TableDescription['KeySchema']): Record<string, string | undefined> =>
    Object.fromEntries((schema ?? []).map((k) => [k.KeyType ?? '', k.AttributeName]));
  const problems: string[] = [];
  const own = keyOf(table.KeySchema);
  if (own.HASH !== tableDefinition.partitionKey || own.RANGE !== tableDefinition.sortKey)
    problems.push(`keys are ${JSON.stringify(own)}, not pk/sk: not a flowplane table`);
  const gsi1 = table.GlobalSecondaryIndexes?.find((index) => index.IndexName === tableDefinition.gsi1.name);
  const indexKeys = keyOf(gsi1?.KeySchema);
  if (!gsi1) problems.push('no gsi1 index: restore with its indexes (the default of a restore)');
  else if (indexKeys.HASH !== tableDefinition.gsi1.partitionKey || indexKeys.RANGE !== tableDefinition.gsi1.sortKey)
    problems.push(`gsi1 keys are ${JSON.stringify(indexKeys)}, not gsi1pk/gsi1sk`);
  return problems;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The table once ACTIVE (and, when `withStream`, with its stream's ARN), polling DescribeTable. */
async function whenActive(client: DynamoDBClient, name: string, withStream: boolean): Promise<TableDescription> {
  for (let attempt = 0; ; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE' && (!withStream || Table.LatestStreamArn)) return Table;
    if (attempt >= 120) throw new Error(`table ${name} is still ${Table?.TableStatus} after 10 minutes`);
    await pause(5_000);
  }
}

/** Checks a restored table and turns on what flowplane needs of it (see the module comment). */
export async function prepareRestoredTable(client: DynamoDBClient, name: string): Promise<RestoredTable> {
  const steps: string[] = [];
  let table = await whenActive(client, name, false);
  const problems = keyProblems(table);
  const stream = table.StreamSpecification;
  if (stream?.StreamEnabled && stream.StreamViewType !== tableDefinition.streamView) {
    problems.push(
      `its stream shows ${stream.StreamViewType}, not ${tableDefinition.streamView}: turn it off (aws dynamodb update-table --stream-specification StreamEnabled=false) and run this again`,
    );
  }
  if (problems.length > 0) return { steps, problems };

  if (stream?.StreamEnabled) steps.push(`stream: on (${tableDefinition.streamView}) already`);
  else {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamView },
      }),
    );
    steps.push(`stream: turned on (${tableDefinition.streamView}); the consumers will read it from its start`);
  }
  table = await whenActive(client, name, true);

  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName === tableDefinition.timeToLive)
    steps.push(`time to live: on ${tableDefinition.timeToLive} already`);
  else {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: tableDefinition.timeToLive },
      }),
    );
    steps.push(`time to live: turned on for ${tableDefinition.timeToLive}`);
  }

  if (table.DeletionProtectionEnabled) steps.push('deletion protection: on already');
  else {
    await client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: true }));
    table = await whenActive(client, name, true);
    steps.push('deletion protection: turned on');
  }

  try {
    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: name,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    steps.push('point-in-time recovery: on');
  } catch (error) {
    // DynamoDB Local has no point-in-time recovery; in AWS a failure here is a real one.
    if ((error as Error).name !== 'UnknownOperationException') throw error;
    steps.push('point-in-time recovery: not offered by this endpoint (DynamoDB Local)');
  }

  const encryptionKeyArn = table.SSEDescription?.KMSMasterKeyArn;
  return {
    steps,
    problems,
    table: {
      tableArn: table.TableArn!,
      tableStreamArn: table.LatestStreamArn!,
      ...(encryptionKeyArn ? { encryptionKeyArn } : {}),
    },
  };
}

/** Runs the command; returns the process exit code. */
export async function runRestoredTableCommand(
  argv: string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { table: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    print((error as Error).message);
    print(usage);
    return 2;
  }
  if (values.help || !values.table || !/^[A-Za-z0-9_.-]{3,255}$/.test(values.table)) {
    if (values.table) print(`--table "${values.table}" is no table name (3–255 letters, digits, _ . -)`);
    print(usage);
    return values.help ? 0 : 2;
  }
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  try {
    const result = await prepareRestoredTable(client, values.table);
    for (const step of result.steps) print(step);
    if (!result.table) {
      for (const problem of result.problems) print(`cannot adopt ${values.table}: ${problem}`);
      return 1;
    }
    print('');
    print('Put this in cdk.json\'s "context" (or pass it as the construct\'s table prop), then cdk diff and deploy:');
    print(JSON.stringify({ table: result.table }, null, 2));
    return 0;
  } finally {
    client.destroy();
  }
}
