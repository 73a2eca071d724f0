/**
 * The one middy chain every route's function runs: an API Gateway event is adapted,
 * authenticated, read and handed to the command pipeline, the use case runs, and its
 * result (or any error, in the route's contract) becomes the proxy response. Events
 * that are not HTTP go to the command transports (functions/commands/).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyResult, Context, EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { authenticateRequest } from '../auth/credentials.js';
import { authorize } from '../auth/permissions.js';
import { runDirect, runEventBridge, runSqsBatch } from '../commands/invocations.js';
import type { Result } from '../pipeline/command.js';
import { logger, logUnavailable } from '../observability/logger.js';
import { countResponse, metrics } from '../observability/metrics.js';
import { toCommand, validatePart } from '../pipeline/pipeline.js';
import {
  isIdempotent,
  type CommandOf,
  type RouteDefinition,
  type Runner,
  type UseCase,
  type ValidatedCommand,
} from '../pipeline/route.js';
import { parsePrecondition } from '../domain/precondition.js';
import { FlowplaneError, RequestValidationError, UnavailableError, type Violation } from '../errors.js';
import { readJsonBody } from './body.js';
import { type ApiGatewayEvent, type HttpRequest, jsonResponse, toHttpRequest } from './event.js';

export type InvocationKind = 'http' | 'sqs' | 'eventbridge' | 'direct';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** An SQS record as Lambda delivers it: the only shape a batch failure can name. */
const isSqsRecord = (record: unknown) =>
  isObject(record) &&
  record.eventSource === 'aws:sqs' &&
  typeof record.messageId === 'string' &&
  record.messageId !== '';

/**
 * Tells the transport from the event's shape. Anything that is not exactly an API
 * Gateway, SQS or EventBridge event (a string, a number, `Records: [null]`, a record
 * without `messageId`) is a direct invoke, whose envelope validation answers it with a
 * typed error.
 */
export function invocationKind(event: unknown): InvocationKind {
  if (!isObject(event)) return 'direct';
  if ('httpMethod' in event || (event.version === '2.0' && isObject(event.requestContext))) return 'http';
  if (Array.isArray(event.Records) && event.Records.length > 0 && event.Records.every(isSqsRecord)) return 'sqs';
  if ('detail-type' in event && 'detail' in event) return 'eventbridge';
  return 'direct';
}

/** What an `Idempotency-Key` may be: 1 to 255 visible ASCII characters. */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` on a route that honours it (undefined when absent or when the route does not). */
function idempotencyKeyOf(route: RouteDefinition, request: HttpRequest): string | undefined {
  const key = route.idempotent ? request.headers['idempotency-key'] : undefined;
  if (key === undefined || idempotencyKeyPattern.test(key)) return key;
  throw new RequestValidationError([
    {
      loc: ['header', 'Idempotency-Key'],
      rule: 'idempotency_key_format',
      message: 'must be 1 to 255 visible ASCII characters',
    },
  ]);
}

/**
 * The query with the headers that stand in for a query parameter (`x-agent-version` for
 * `version`): a header fills the parameter the query leaves out; sent beside it, it is
 * still checked like it, at its own place, so a header the document declares is never
 * ignored whatever it holds.
 */
function queryWithHeaders(route: RouteDefinition, request: HttpRequest): Record<string, string | undefined> {
  const query = { ...request.query };
  const violations: Violation[] = [];
  for (const [header, name] of Object.entries(route.queryFromHeaders ?? {})) {
    const value = request.headers[header];
    if (value === undefined) continue;
    if (query[name] === undefined) query[name] = value;
    else {
      const problems = validatePart(route.request.query, 'query', { [name]: value });
      violations.push(...problems.map((problem) => ({ ...problem, loc: ['header', header, ...problem.loc.slice(2)] })));
    }
  }
  if (violations.length > 0) throw new RequestValidationError(violations);
  return query;
}

/** Turns an HTTP request into the route's validated command (credential, permission, headers, body, schemas). */
export async function commandFromHttp(route: RouteDefinition, request: HttpRequest): Promise<ValidatedCommand> {
  const principal = route.authenticated ? await authenticateRequest(request.headers) : undefined;
  // The route's own permission before the body is read: a caller without it learns nothing of its rules. The
  // pipeline checks again once the query is typed, which can ask for more (deploy=true).
  if (principal) authorize(route, principal);
  const idempotencyKey = idempotencyKeyOf(route, request);
  const query = queryWithHeaders(route, request);
  return toCommand(route, {
    principal,
    params: request.pathParameters,
    query,
    body: readJsonBody(route, request),
    precondition: parsePrecondition(request.headers['if-match']),
    requestId: request.requestId,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });
}

function toResponse(result: Result): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...result.headers };
  if (result.version !== undefined) headers.etag = `"${result.version}"`;
  return jsonResponse(result.status, result.body, headers);
}

/**
 * Builds the Lambda handler for a route: the same code runs behind API Gateway (REST v1
 * or HTTP API v2) and in the local server; routes that accept commands also take direct
 * invokes, EventBridge events and SQS batches.
 */
export function lambdaHandler<R extends RouteDefinition>(route: R, useCase: UseCase<R>) {
  if (route.authenticated && route.permission === undefined) {
    throw new Error(`${route.operationId} is authenticated: name the permission it needs (functions/routes.ts)`);
  }
  if ((route.idempotent || route.acceptsCommands) && !(isIdempotent in useCase)) {
    throw new Error(
      `${route.operationId} takes idempotency keys: wrap its use case in idempotent() (functions/pipeline/idempotency.ts)`,
    );
  }
  metrics.setDefaultDimensions({ operation: route.operationId });
  // The pipeline checked every command against this route's schemas: that is what makes it a CommandOf<R>.
  const run: Runner = (command) => useCase(command as CommandOf<R>);
  // One handler serves four transports (API Gateway, SQS, EventBridge, direct invoke): the event
  // is told apart by `invocationKind`, so the Lambda-facing types stay open.
  return (
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    middy<any, any, Error, Context>()
      // Never log the event: it carries the API key and secrets, whatever
      // POWERTOOLS_LOGGER_LOG_EVENT says.
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      // Outside the error renderer, so it flushes after the response is counted.
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      .use({
        onError: (request) => {
          // Only HTTP failures become responses; the other transports answer or rethrow themselves.
          if (invocationKind(request.event) !== 'http') return;
          const requestId = (request.context as Context | undefined)?.awsRequestId ?? 'unknown';
          const { status, body, headers } = route.contract.renderError(request.error, requestId);
          if (request.error instanceof UnavailableError) {
            logUnavailable(route.operationId, request.error, requestId, {
              transport: 'http',
              apiRequestId: (request.event as ApiGatewayEvent).requestContext?.requestId,
            });
          } else if (request.error instanceof FlowplaneError) {
            logger.info('request refused', {
              operation: route.operationId,
              status,
              code: body.code ?? null,
              error: request.error.name,
            });
          } else {
            logger.error('unhandled error', { operation: route.operationId, error: request.error as Error });
          }
          countResponse(status);
          request.response = jsonResponse(status, body, headers);
        },
      })
      .handler(async (event: unknown, context: Context) => {
        const kind = invocationKind(event);
        if (kind === 'http') {
          const command = await commandFromHttp(route, toHttpRequest(event as ApiGatewayEvent));
          const result = await run(command);
          countResponse(result.status);
          return toResponse(result);
        }
        if (!route.acceptsCommands) throw new Error(`${route.operationId} only serves HTTP; got a ${kind} event`);
        const requestId = context.awsRequestId;
        if (kind === 'sqs') return runSqsBatch(route, run, event as SQSEvent, requestId);
        if (kind === 'eventbridge')
          return runEventBridge(route, run, event as EventBridgeEvent<string, unknown>, requestId);
        return runDirect(route, run, event, requestId);
      })
  );
}
