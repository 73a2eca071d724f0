/**
 * The one middy chain every HTTP route runs: adapt the API Gateway event, authenticate,
 * parse and validate, run the transport-agnostic core, render the result, and turn
 * any error into the route's error dialect.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { authenticate } from '../auth/api-keys.js';
import { type Command, exceedsDepth, hasIllFormedText, maxBodyDepth, parsePrecondition, type RawCommand, type Result, validateCommand, validatePart } from '../core/command.js';
import { invocationKind, runDirect, runEventBridge, runSqsBatch } from '../core/invocations.js';
import { logger } from '../core/logger.js';
import { countResponse, metrics } from '../core/metrics.js';
import type { RouteDefinition } from '../routes.js';
import { renderError } from './dialects.js';
import { ApiError, MalformedBodyError, PayloadTooLargeError, RequestValidationError } from './errors.js';
import { type ApiGatewayEvent, type HttpRequest, jsonResponse, toHttpRequest } from './event.js';

/** A route's business logic: a validated command in, a result out. */
export type Core = (command: Command<any, any, any>) => Promise<Result>;

function jsonErrorPosition(error: unknown): number {
  const match = /position (\d+)/.exec((error as Error).message);
  return match ? Number(match[1]) : 0;
}

/** The body as a JSON value, or the dialect's malformed-body error. */
function parseBody(route: RouteDefinition, request: HttpRequest): unknown {
  if (!route.request.body) return undefined;
  if (route.maxBodyBytes !== undefined && request.bodyBytes > route.maxBodyBytes) {
    throw new PayloadTooLargeError(`Request body exceeds ${route.maxBodyBytes} bytes`);
  }
  if (request.body === undefined || request.body.trim() === '') {
    if (route.dialect === 'fastapi') {
      throw new RequestValidationError('Body required', {
        violations: [{ loc: ['body'], type: 'missing', msg: 'Field required' }],
      });
    }
    throw new MalformedBodyError('Request body is required and must be a JSON object');
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch (error) {
    if (route.dialect === 'fastapi') {
      throw new MalformedBodyError('JSON decode error', {
        violations: [
          { loc: ['body', jsonErrorPosition(error)], type: 'json_invalid', msg: 'JSON decode error', input: {} },
        ],
      });
    }
    throw new MalformedBodyError('Request body is not valid JSON');
  }
  if (exceedsDepth(value)) {
    throw new MalformedBodyError(`Request body nests deeper than ${maxBodyDepth} levels`, {
      violations:
        route.dialect === 'fastapi'
          ? [{ loc: ['body'], type: 'value_error', msg: `Value error, the body nests deeper than ${maxBodyDepth} levels` }]
          : [],
    });
  }
  if (hasIllFormedText(value)) {
    throw new MalformedBodyError('Request body contains a lone UTF-16 surrogate', {
      violations:
        route.dialect === 'fastapi'
          ? [{ loc: ['body'], type: 'string_unicode', msg: 'Input should be a valid string' }]
          : [],
    });
  }
  if (route.dialect === 'flowker' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new MalformedBodyError('Request body must be a JSON object');
  }
  return value;
}

/** Turns an HTTP request into a validated command (auth, params, body, schema). */
export async function commandFromHttp(route: RouteDefinition, request: HttpRequest): Promise<Command<any, any, any>> {
  const raw: RawCommand = {
    params: request.pathParameters,
    query: request.query,
    body: undefined,
    precondition: parsePrecondition(request.headers['if-match']),
    requestId: request.requestId,
  };
  for (const [header, name] of Object.entries(route.queryFromHeaders ?? {})) {
    const value = request.headers[header];
    if (value !== undefined && raw.query[name] === undefined) raw.query = { ...raw.query, [name]: value };
  }
  if (route.authenticated) raw.principal = await authenticate(request.headers['x-api-key']);
  const early = [...validatePart(route.request.params, 'path', raw.params), ...validatePart(route.request.query, 'query', raw.query)];
  if (early.length > 0) throw new RequestValidationError('The request does not match the schema', { violations: early });
  raw.body = parseBody(route, request);
  return validateCommand(route, raw);
}

function toResponse(result: Result): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...result.headers };
  if (result.version !== undefined) headers.etag = `"${result.version}"`;
  return jsonResponse(result.status, result.body, headers);
}

/**
 * Builds the Lambda handler for a route: the same code runs behind API Gateway (REST v1
 * or HTTP API v2) and in the local server; routes that accept commands also take direct
 * invokes, EventBridge events and SQS batches (functions/core/invocations.ts).
 */
export function httpHandler(route: RouteDefinition, core: Core) {
  metrics.setDefaultDimensions({ operation: route.operationId });
  return middy<any, any, Error, Context>()
    // Never log the event: it carries the API key and secrets, whatever
    // POWERTOOLS_LOGGER_LOG_EVENT says.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    // Outside the error renderer, so it flushes after the response is counted.
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      onError: async (request) => {
        // Only HTTP failures become responses; the other transports answer or rethrow themselves.
        if (invocationKind(request.event) !== 'http') return;
        const requestId = request.context?.awsRequestId ?? 'unknown';
        const { status, body } = renderError(route.dialect, request.error, requestId);
        if (request.error instanceof ApiError) {
          logger.info('request refused', { operation: route.operationId, status, code: body.code ?? null });
        } else {
          logger.error('unhandled error', { operation: route.operationId, error: request.error as Error });
        }
        countResponse(status);
        request.response = jsonResponse(status, body);
      },
    })
    .handler(async (event, context) => {
      const kind = invocationKind(event);
      if (kind === 'http') {
        const request = toHttpRequest(event as ApiGatewayEvent);
        const command = await commandFromHttp(route, request);
        const result = await core(command);
        countResponse(result.status);
        return toResponse(result);
      }
      if (!route.acceptsCommands) throw new Error(`${route.operationId} only serves HTTP; got a ${kind} event`);
      const requestId = context.awsRequestId;
      if (kind === 'sqs') return runSqsBatch(route, core, event, requestId);
      if (kind === 'eventbridge') return runEventBridge(route, core, event, requestId);
      return runDirect(route, core, event, requestId);
    });
}
