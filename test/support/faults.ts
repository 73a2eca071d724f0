/**
 * What the fault tests share: DynamoDB Local behind a fault proxy for the whole test
 * file, the answers every 503 must give in each contract, and the log and metric lines
 * a 503 leaves.
 *
 * The proxy must be in place before the first DynamoDB client is made, so a test file
 * calls `proxiedDynamoDb()` at its top level and imports the handlers (dynamically) after
 * its `beforeAll` ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type FaultKind, type FaultProxy, startFaultProxy } from './fault-proxy.js';
import type { Reply } from './api.js';

/** Every fault the proxy injects; each must end in a 503 with Retry-After. */
export const faultKinds: readonly FaultKind[] = ['throttle', 'throttling', 'error500', 'unavailable', 'hang', 'drop'];

/** The AWS error name each fault produces, as the 503's log line names it. */
export const awsErrorOf: Record<FaultKind, RegExp> = {
  throttle: /^ProvisionedThroughputExceededException$/,
  throttling: /^ThrottlingException$/,
  error500: /^InternalServerError$/,
  unavailable: /^ServiceUnavailable$/,
  hang: /^TimeoutError$/,
  drop: /^(ECONNRESET|EPIPE|Error|NetworkError|ECONNREFUSED)$/,
};

/**
 * Sends DynamoDB Local each kind of request a few times, straight and without a tight
 * timeout: its JVM answers the first ones slowly, and a test that meant to measure a
 * fault must not meet a warm-up pause instead.
 */
async function warmUp(endpoint: string): Promise<void> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const TableName = process.env.TABLE_NAME as string;
  for (let round = 0; round < 5; round += 1) {
    const Key = { pk: `WARMUP#${round}`, sk: 'WARMUP' };
    await client.send(new PutCommand({ TableName, Item: { ...Key, n: 0 } }));
    await client.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    await client.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'SET n = n + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    await client.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': Key.pk } }),
    );
    await client.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName, Key } }] }));
  }
  client.destroy();
}

/** Starts DynamoDB Local's fault proxy before the file's tests and points DYNAMODB_ENDPOINT at it. */
export function proxiedDynamoDb(): { readonly proxy: FaultProxy } {
  const holder = {} as { proxy: FaultProxy };
  const direct = process.env.DYNAMODB_ENDPOINT as string;
  const timeout = process.env.AWS_REQUEST_TIMEOUT_MS;
  beforeAll(async () => {
    await warmUp(direct);
    holder.proxy = await startFaultProxy(direct);
    process.env.DYNAMODB_ENDPOINT = holder.proxy.endpoint;
    // The deployed attempt bound (functions/store/client.ts), so a hang costs what it would in Lambda.
    delete process.env.AWS_REQUEST_TIMEOUT_MS;
  });
  afterEach(() => holder.proxy.clear());
  afterAll(async () => {
    process.env.DYNAMODB_ENDPOINT = direct;
    process.env.AWS_REQUEST_TIMEOUT_MS = timeout;
    await holder.proxy.stop();
  });
  return holder;
}

/** Words an AWS error message or a stack would carry; a 503 body never does. */
const leaks = /throughput|injected|exception|internal server error \(|at .*\.js|ECONNRESET|socket|timeout/i;

/** A 503 as Flowker answers it: SERVICE_UNAVAILABLE with Retry-After, and nothing from AWS. */
export function expectFlowker503(reply: Reply): void {
  expect(reply.status).toBe(503);
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(reply.body).toEqual({
    code: 'SERVICE_UNAVAILABLE',
    title: 'Service Unavailable',
    message: expect.stringMatching(/^The service is temporarily unavailable; retry after \d+ seconds$/),
  });
  expect(JSON.stringify(reply.body)).not.toMatch(leaks);
}

/** A 503 as FastAPI answers it: `{"detail": "..."}` with Retry-After, and nothing from AWS. */
export function expectFastApi503(reply: Reply): void {
  expect(reply.status).toBe(503);
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(reply.body).toEqual({
    detail: expect.stringMatching(/^Service temporarily unavailable; retry after \d+ seconds$/),
  });
  expect(JSON.stringify(reply.body)).not.toMatch(leaks);
}

function capturedLines(): Record<string, any>[] {
  const file = join(
    process.env.LOG_CAPTURE_DIR as string,
    `worker-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.log`,
  );
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** The "dependency unavailable" log lines of one API Gateway request. */
export function unavailableLogLines(apiRequestId: string): Record<string, any>[] {
  return capturedLines().filter(
    (line) => line.message === 'dependency unavailable' && line.apiRequestId === apiRequestId,
  );
}

/**
 * How many `Responses503` this worker emitted so far (by any operation: handlers loaded
 * into one test file share the metrics emitter, so its operation is the last one loaded).
 */
export function responses503(): number {
  return capturedLines()
    .filter((line) => line._aws && typeof line.Responses503 === 'number')
    .reduce((sum, line) => sum + line.Responses503, 0);
}
