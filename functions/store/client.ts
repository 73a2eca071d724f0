/**
 * One DynamoDB document client per process, built when the module loads — in Lambda's
 * init phase, so the first request does not pay for it. Scripts and tests that import
 * the stores before they set DYNAMODB_ENDPOINT / AWS_REGION (the local server, the
 * bench) get a client for the new environment on their next call: the client is rebuilt
 * whenever the environment it was built for is no longer the environment. Every AWS SDK
 * client of flowplane takes the same settings and the same failure classification.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MiddlewareStack } from '@smithy/types';
import type { Dependency } from '../errors.js';
import { unavailableFrom } from './errors.js';

/** Each attempt's bound in milliseconds: connecting, and the whole request (docs/infra.md). */
const attemptTimeoutMs = 1_000;

/**
 * The SDK settings of every AWS client (docs/infra.md shows the arithmetic): three
 * attempts with the standard mode's jittered backoff, each attempt bounded to 1 s, so a
 * service that never answers costs one call about 3.3 s, far under the 29 s budget.
 * `AWS_REQUEST_TIMEOUT_MS` raises the request bound where the service is slower than
 * DynamoDB ever is (DynamoDB Local on a shared machine pauses for seconds while its JVM
 * warms up); the stack never sets it.
 */
export function sdkClientSettings() {
  const override = Number(process.env.AWS_REQUEST_TIMEOUT_MS);
  const requestTimeout = Number.isInteger(override) && override > 0 ? override : attemptTimeoutMs;
  return {
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: attemptTimeoutMs, requestTimeout, throwOnRequestTimeout: true },
  } as const;
}

/**
 * Makes a client throw `UnavailableError` for what means "cannot serve now" (throttled,
 * 5xx, timed out, unreachable), once its own retries are spent: the initialize step
 * wraps every attempt. Refusals (a failed condition, a cancelled transaction) pass as they are.
 */
export function classifyFailures<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  dependency: Dependency,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw unavailableFrom(error, dependency) ?? error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'flowplaneUnavailable' },
  );
}

/** What a client depends on in the environment: a change of any of these builds a new one. */
const environmentOfClient = () =>
  [process.env.DYNAMODB_ENDPOINT, process.env.AWS_REGION, process.env.AWS_REQUEST_TIMEOUT_MS].join('\n');

function buildDocumentClient(): { environment: string; client: DynamoDBDocumentClient } {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...sdkClientSettings(),
  });
  classifyFailures(client, 'DynamoDB');
  return {
    environment: environmentOfClient(),
    client: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  };
}

let built = buildDocumentClient();

/** The shared document client; points at DynamoDB Local when DYNAMODB_ENDPOINT is set. */
export function getDocumentClient(): DynamoDBDocumentClient {
  if (built.environment !== environmentOfClient()) built = buildDocumentClient();
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
