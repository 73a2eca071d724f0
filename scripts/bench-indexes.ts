/**
 * What the sorted executor lists and the audit feed cost in DynamoDB capacity (issue 27),
 * measured on DynamoDB Local: `npm run bench:indexes` prints the tables docs/data-model.md
 * quotes. Two tables, the same code and data: `gsi2` projecting every attribute (the
 * design chosen) and `gsi2` projecting keys only (the alternative weighed).
 *
 * Writes go through the real route handlers and the real audit writer, in this process;
 * a middleware on the shared document client (added here, never in production) asks each
 * call for `ReturnConsumedCapacity: 'INDEXES'` and records the units DynamoDB Local
 * reports for the table and each index. Local reports a transaction's units as one sum;
 * those rows give each index copy as DynamoDB bills it (2 × ⌈KB⌉ per item copy), from the
 * item sizes. Reads are the page reads each listing makes, sent as the store sends them
 * (a keys-only `gsi2` needs the BatchGetItem or GetItem that follows its Query).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureKeyFile } from '../functions/secrets/keyring.js';
import { createApiKey } from '../functions/store/api-keys.js';
import { getDocumentClient } from '../functions/store/client.js';
import {
  auditFeed,
  executorNamesByOrganization,
  executorsByOrganization,
  executorsByUpdate,
} from '../functions/store/keys.js';
import { createTableInput } from '../functions/store/table.js';
import { startDynamoDbLocal } from './local/dynamodb-local.js';
import { lambdaContext } from './local/proxy-event.js';
import { TableStreamReader } from './local/streams.js';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number; body?: string }>;
type Units = { total: number; table: number; gsi1: number; gsi2: number };

const executors = 20;
const pageSize = 10;

/** An API Gateway (REST) event for a handler. */
function restEvent(method: string, path: string, apiKey: string, params: Record<string, string>, body?: unknown) {
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: { 'X-API-Key': apiKey, 'content-type': 'application/json' },
    multiValueHeaders: {},
    pathParameters: params,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), httpMethod: method, path, resourcePath: path, stage: 'bench' },
    stageVariables: null,
  };
}

async function handlerOf(entry: string): Promise<Handler> {
  return ((await import(`../${entry}`)) as { handler: Handler }).handler;
}

/** A configuration as a team writes one: a few endpoints, an API key, some metadata. */
const configuration = (name: string, description = 'Identity validation') => ({
  name,
  description,
  baseUrl: 'https://api.serasa.com.br/v2',
  endpoints: ['validate', 'score', 'status'].map((endpoint) => ({
    name: endpoint,
    path: `/identity/${endpoint}`,
    method: 'POST',
    timeout: 30,
  })),
  authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
  metadata: { team: 'kyc', tier: 1, owner: 'identity-platform' },
});

/** The DynamoDB size of an item: attribute names and values, as DynamoDB counts them (close enough for ⌈KB⌉). */
function itemSize(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8');
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  const scratch = mkdtempSync(join(tmpdir(), 'flowplane-bench-indexes-'));
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.AWS_REGION = 'local';
  process.env.SECRETS_KEY_FILE = join(scratch, 'secrets.key');
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  // DynamoDB Local's JVM can pause past the deployed 1 s attempt bound; a retried CreateTable would find its table.
  process.env.AWS_REQUEST_TIMEOUT_MS = '5000';
  ensureKeyFile(process.env.SECRETS_KEY_FILE);
  const recorded: {
    command: string;
    units: Units;
    transactionItems?: { Put?: { Item: Record<string, unknown> } }[];
  }[] = [];
  let recording = false;
  getDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      if (!recording) return next(args);
      const input = args.input as Record<string, any>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const consumed = [(result.output as Record<string, any>).ConsumedCapacity ?? []].flat() as Record<string, any>[];
      const units: Units = { total: 0, table: 0, gsi1: 0, gsi2: 0 };
      for (const c of consumed) {
        units.total += c.CapacityUnits ?? 0;
        units.table += c.Table?.CapacityUnits ?? 0;
        units.gsi1 += c.GlobalSecondaryIndexes?.gsi1?.CapacityUnits ?? 0;
        units.gsi2 += c.GlobalSecondaryIndexes?.gsi2?.CapacityUnits ?? 0;
      }
      recorded.push({
        command: String(context.commandName).replace(/Command$/, ''),
        units,
        transactionItems: input.TransactItems,
      });
      return result;
    },
    { step: 'initialize', name: 'benchIndexes' },
  );
  /** The calls `act` makes, with their units. */
  const measure = async (act: () => Promise<unknown>) => {
    recorded.length = 0;
    recording = true;
    try {
      await act();
    } finally {
      recording = false;
    }
    return [...recorded];
  };
  const create = await handlerOf('functions/executors/create.ts');
  const update = await handlerOf('functions/executors/update.ts');
  const writeAudit = await handlerOf('functions/streams/write-audit.ts');
  const rows: string[] = [];
  const row = (variant: string, what: string, calls: typeof recorded) => {
    const describe = (call: (typeof recorded)[number]) => {
      if (call.command === 'TransactWriteItems') {
        // Local sums a transaction; DynamoDB bills each item and index copy: 2 × ⌈KB⌉.
        const puts = (call.transactionItems ?? []).flatMap((entry) => (entry.Put ? [entry.Put.Item] : []));
        const copies = (index: string) =>
          puts.reduce<number>((sum, item) => sum + (index in item ? 2 * Math.ceil(itemSize(item) / 1024) : 0), 0);
        return `TransactWriteItems (gsi1 ${copies('gsi1pk')}, gsi2 ${copies('gsi2pk')} of its puts)`;
      }
      const { total, table, gsi1, gsi2 } = call.units;
      return `${call.command} ${total} (table ${table}, gsi1 ${gsi1}, gsi2 ${gsi2})`;
    };
    const total = calls.reduce((sum, call) => sum + call.units.total, 0);
    rows.push(`| ${variant} | ${what} | ${calls.map(describe).join(' · ')} | ${total} |`);
  };
  try {
    for (const projection of ['ALL', 'KEYS_ONLY'] as const) {
      const variant = `gsi2 ${projection}`;
      const table = `flowplane-bench-${projection.toLowerCase().replace('_', '-')}`;
      process.env.TABLE_NAME = table;
      const input = createTableInput(table);
      input.GlobalSecondaryIndexes[1].Projection = { ProjectionType: projection } as never;
      const admin = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await admin.send(new CreateTableCommand(input));
      admin.destroy();
      const organizationId = `bench-${projection.toLowerCase().replace('_', '-')}`;
      const { apiKey } = await createApiKey({ organizationId, name: 'bench' });
      const ids: string[] = [];
      for (let i = 0; i < executors; i += 1) {
        const reply = await create(
          restEvent('POST', '/v1/executors', apiKey, {}, configuration(`Executor ${String(i).padStart(2, '0')}`)),
          lambdaContext(`create-${i}`),
        );
        ids.push(JSON.parse(String(reply.body)).id);
      }
      const patch = (id: string, body: unknown) =>
        update(restEvent('PATCH', `/v1/executors/${id}`, apiKey, { id }, body), lambdaContext(`patch-${id}`));
      row(
        variant,
        'create an executor (executor and name claim)',
        await measure(() =>
          create(restEvent('POST', '/v1/executors', apiKey, {}, configuration('Measured')), lambdaContext('c')),
        ),
      );
      row(
        variant,
        'PATCH, same name (moves gsi2)',
        await measure(() => patch(ids[0], configuration('Executor 00', 'v2'))),
      );
      row(
        variant,
        'PATCH, new name (claim moves in gsi1)',
        await measure(() => patch(ids[1], configuration('Renamed'))),
      );
      const reader = new TableStreamReader({
        endpoint: dynamo.endpoint,
        tableName: table,
        startingPosition: 'TRIM_HORIZON',
      });
      const records = await reader.read();
      reader.close();
      const ofExecutors = records.filter((record) => record.dynamodb?.NewImage?.entity?.S === 'executor');
      const creation = ofExecutors.filter((record) => record.eventName === 'INSERT').slice(-1);
      row(
        variant,
        "audit entry of a PATCH (the writer's Query and PutItem)",
        await measure(() => writeAudit({ Records: ofExecutors.slice(-1) }, lambdaContext('audit'))),
      );
      row(
        variant,
        'audit entry of a creation (every field, past 1 KB with its index keys)',
        await measure(() => writeAudit({ Records: creation }, lambdaContext('audit-create'))),
      );
      await writeAudit({ Records: records }, lambdaContext('audit-all'));
      const client = getDocumentClient();
      const query = (index: string, key: string, value: string, limit: number) =>
        client.send(
          new QueryCommand({
            TableName: table,
            IndexName: index,
            KeyConditionExpression: `${key} = :pk`,
            ExpressionAttributeValues: { ':pk': value },
            ScanIndexForward: false,
            Limit: limit,
          }),
        );
      row(
        variant,
        `page of ${pageSize} executors by creation`,
        await measure(() => query('gsi1', 'gsi1pk', executorsByOrganization(organizationId).gsi1pk, pageSize + 1)),
      );
      row(
        variant,
        `page of ${pageSize} executors by last change`,
        await measure(async () => {
          const { Items = [] } = await query('gsi2', 'gsi2pk', executorsByUpdate(organizationId).gsi2pk, pageSize + 1);
          if (projection === 'KEYS_ONLY') {
            const Keys = Items.slice(0, pageSize).map(({ pk, sk }) => ({ pk, sk }));
            await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys } } }));
          }
        }),
      );
      row(
        variant,
        `page of ${pageSize} executors by name (claims, then their executors)`,
        await measure(async () => {
          const { Items = [] } = await query(
            'gsi1',
            'gsi1pk',
            executorNamesByOrganization(organizationId).gsi1pk,
            pageSize + 1,
          );
          const Keys = Items.slice(0, pageSize).map((claim) => ({
            pk: `ORG#${organizationId}#EXECUTOR#${String(claim.executorId)}`,
            sk: 'EXECUTOR',
          }));
          await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys } } }));
        }),
      );
      row(
        variant,
        'page of 20 audit entries (feed)',
        await measure(() => query('gsi1', 'gsi1pk', auditFeed(organizationId).gsi1pk, 21)),
      );
      const { Items: [entry] = [] } = await query('gsi1', 'gsi1pk', auditFeed(organizationId).gsi1pk, 1);
      row(
        variant,
        'one audit entry by eventId',
        await measure(async () => {
          const { Items = [] } = await query('gsi2', 'gsi2pk', String(entry.gsi2pk), 1);
          if (projection === 'KEYS_ONLY')
            await client.send(new GetCommand({ TableName: table, Key: { pk: Items[0].pk, sk: Items[0].sk } }));
        }),
      );
    }
    console.log(
      [
        `Executors of ${executors}, each about 1 KB with its sealed key; a page of ${pageSize}.`,
        '',
        '| gsi2 projection | request | DynamoDB calls (units DynamoDB Local reports) | units |',
        '|---|---|---|---:|',
        ...rows,
      ].join('\n'),
    );
  } finally {
    await dynamo.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:indexes: ${error.stack ?? error.message}`);
  process.exit(1);
});
