/**
 * What the fault tests share: DynamoDB Local behind a fault proxy, the answers every 503
 * must give in each contract, and the log and metric lines a 503 leaves.
 *
 * For a whole file, the proxy must be in place before the first DynamoDB client is made,
 * so the file calls `proxiedDynamoDb()` at its top level and imports the handlers
 * (dynamically) after its `beforeAll` ran. For one test, `throughFaultProxy` moves the
 * shared document client, which follows DYNAMODB_ENDPOINT, behind a proxy and back.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type FaultKind, type FaultProxy, type FaultRule, startFaultProxy } from './fault-proxy.js';
import type { Reply } from './api.js';
import { structuredLogFile } from './log-capture.js';

/** Every fault that means DynamoDB is unavailable; each must end in a 503 with Retry-After. */
export const faultKinds = [
  'throttle',
  'throttling',
  'error500',
  'unavailable',
  'hang',
  'drop',
] as const satisfies readonly FaultKind[];
export type UnavailableFaultKind = (typeof faultKinds)[number];

/** The AWS error name each of those faults produces, as the 503's log line names it. */
export const awsErrorOf: Record<UnavailableFaultKind, RegExp> = {
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
  // Its own keys: fault files warm up at the same time in parallel workers.
  const run = randomUUID();
  for (let round = 0; round < 5; round += 1) {
    const Key = { pk: `WARMUP#${run}#${round}`, sk: 'WARMUP' };
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

/** DynamoDB Local behind a fault proxy, for one test file. */
export interface ProxiedDynamoDb {
  readonly proxy: FaultProxy;
  /**
   * Injects `rule` into the proxy. A hang of every operation also cuts the SDK's attempt bound to
   * `hungAttemptMs` until `clear()`: no request reaches DynamoDB Local then, so none can be cut short by it, and
   * the client still times out every attempt, retries and gives up as deployed, in a tenth of the time. A hang of
   * some operations keeps the deployed bound: the requests that pass must not time out on a slow DynamoDB Local.
   */
  inject(rule: FaultRule): void;
  /** Removes every rule, releases hung connections and restores the deployed attempt bound. */
  clear(): void;
}

/** The attempt bound while every operation hangs (the deployed one is 1 s, functions/store/client.ts). */
const hungAttemptMs = 100;

/** Starts DynamoDB Local's fault proxy before the file's tests and points DYNAMODB_ENDPOINT at it. */
export function proxiedDynamoDb(): ProxiedDynamoDb {
  const direct = process.env.DYNAMODB_ENDPOINT as string;
  const timeout = process.env.AWS_REQUEST_TIMEOUT_MS;
  let proxy: FaultProxy | undefined;
  let jitter: { mockRestore(): void } | undefined;
  const started = (): FaultProxy => {
    if (!proxy) throw new Error('the fault proxy starts in beforeAll: use it inside a test');
    return proxy;
  };
  const holder: ProxiedDynamoDb = {
    get proxy() {
      return started();
    },
    inject(rule) {
      if (rule.kind === 'hang' && !rule.operations) process.env.AWS_REQUEST_TIMEOUT_MS = String(hungAttemptMs);
      started().inject(rule);
    },
    clear() {
      started().clear();
      // The deployed attempt bound (functions/store/client.ts), so a fault costs what it would in Lambda.
      delete process.env.AWS_REQUEST_TIMEOUT_MS;
    },
  };
  beforeAll(async () => {
    await warmUp(direct);
    // The SDK waits a random share of a growing backoff before each retry ("full jitter": up to 1 s, then 2 s, after
    // a throttle). Drawing the low end, which the SDK can draw too, keeps every attempt and takes the waiting out.
    jitter = jest.spyOn(Math, 'random').mockReturnValue(0);
    proxy = await startFaultProxy(direct);
    process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
    holder.clear();
  });
  afterEach(() => holder.clear());
  afterAll(async () => {
    jitter?.mockRestore();
    process.env.DYNAMODB_ENDPOINT = direct;
    process.env.AWS_REQUEST_TIMEOUT_MS = timeout;
    await proxy?.stop();
  });
  return holder;
}

/**
 * Runs `act` for one test with DynamoDB Local behind a fault proxy applying `rule`: the
 * shared document client follows DYNAMODB_ENDPOINT, so it talks through the proxy until
 * `act` ends. Answers what `act` answered and how many requests the fault took.
 */
export async function throughFaultProxy<T>(
  rule: FaultRule,
  act: () => Promise<T>,
): Promise<{ result: T; faulted: number }> {
  const direct = process.env.DYNAMODB_ENDPOINT as string;
  const proxy = await startFaultProxy(direct);
  proxy.inject(rule);
  process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
  try {
    const result = await act();
    return { result, faulted: Object.values(proxy.faulted).reduce((sum, count) => sum + count, 0) };
  } finally {
    process.env.DYNAMODB_ENDPOINT = direct;
    await proxy.stop();
  }
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
  const file = structuredLogFile();
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
