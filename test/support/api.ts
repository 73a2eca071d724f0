/**
 * Test helpers: API Gateway events for the real handlers, fresh organizations with real
 * API keys in DynamoDB Local, and a counter of the DynamoDB requests a handler sends.
 */
import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  Context,
  SQSEvent,
} from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createApiKey } from '../../functions/store/api-keys.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';

export interface EventInput {
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send `body` as this exact text instead of JSON. */
  rawBody?: string;
}

function bodyText(input: EventInput): string | null {
  if (input.rawBody !== undefined) return input.rawBody;
  return input.body === undefined ? null : JSON.stringify(input.body);
}

/** An API Gateway REST API (v1) proxy event. */
export function restEvent(input: EventInput): APIGatewayProxyEvent {
  return {
    httpMethod: input.method,
    path: input.path,
    resource: input.path,
    pathParameters: input.pathParameters ?? null,
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    headers: input.headers ?? {},
    multiValueHeaders: {},
    body: bodyText(input),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: { requestId: randomUUID() } as APIGatewayProxyEvent['requestContext'],
  };
}

/** An API Gateway HTTP API (v2) proxy event. */
export function httpApiEvent(input: EventInput): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(input.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: `${input.method} ${input.path}`,
    rawPath: input.path,
    rawQueryString: query,
    headers: Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    queryStringParameters: input.query,
    pathParameters: input.pathParameters,
    body: bodyText(input) ?? undefined,
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      http: { method: input.method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

export function lambdaContext(): Context {
  return {
    awsRequestId: randomUUID(),
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:test',
    memoryLimitInMB: '256',
    logGroupName: 'test',
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

type Handler = (event: any, context: Context) => Promise<APIGatewayProxyResult>;

/** Invokes a handler the way Lambda does and parses its JSON reply. */
export async function invoke(handler: Handler, event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Promise<Reply> {
  const result = await handler(event, lambdaContext());
  return {
    status: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}

/** An organization of the tests, with the API key its requests carry. */
export interface Organization {
  organizationId: string;
  apiKey: string;
}

/** A new organization with one registered API key. */
export async function newOrganization(): Promise<Organization> {
  const organizationId = `org-${randomUUID()}`;
  const { apiKey } = await createApiKey({ organizationId, name: 'test' });
  return { organizationId, apiKey };
}

/** Counts every request the shared document client sends, by command name. */
export function countDynamoRequests() {
  const sent: string[] = [];
  const name = `counter-${randomUUID()}`;
  getDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    sent,
    reset: () => sent.splice(0, sent.length),
    stop: () => getDocumentClient().middlewareStack.remove(name),
  };
}

/** The raw stored item, for before/after comparisons. */
export async function rawItem(key: { pk: string; sk: string }) {
  const { Item } = await getDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return Item;
}

/** An SQS batch event whose records carry these bodies. */
export function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: 'r',
      body,
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:commands',
      awsRegion: 'local',
    })),
  };
}
