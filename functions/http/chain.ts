/**
 * The one middy chain every HTTP route runs: adapt the API Gateway event, authenticate,
 * parse and validate, run the transport-agnostic core, render the result, and turn
 * any error into the route's error dialect.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { authenticate } from '../auth/api-keys.js';
import { type Command, type Precondition, type RawCommand, type Result, validateCommand, validatePart } from '../core/command.js';
import { logger } from '../core/logger.js';
import type { RouteDefinition } from '../routes.js';
import { renderError } from './dialects.js';
import { ApiError, MalformedBodyError, PayloadTooLargeError, RequestValidationError } from './errors.js';
import { type ApiGatewayEvent, type HttpRequest, jsonResponse, toHttpRequest } from './event.js';

/** A route's business logic: a validated command in, a result out. */
export type Core = (command: Command<any, any, any>) => Promise<Result>;

/**
 * Parses `If-Match` (`"3"`, `W/"3"`, lists, `*`). A present but empty or unparseable
 * header can never match: a client that meant to guard its write is refused, not ignored.
 */
export function parsePrecondition(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const versions = header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
  return { versions };
}

/** Strings that cannot be stored or echoed: JSON escapes can produce lone surrogates. */
function findIllFormedText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return true;
    } else if (Array.isArray(current)) {
      stack.push(...current);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        if (!key.isWellFormed()) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

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
  if (findIllFormedText(value)) {
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
 * Builds the Lambda handler for a route: the same code runs behind API Gateway and in
 * the local server.
 */
export function httpHandler(route: RouteDefinition, core: Core) {
  return middy<ApiGatewayEvent, APIGatewayProxyResult, Error, Context>()
    // Never log the event: it carries the API key and secrets, whatever
    // POWERTOOLS_LOGGER_LOG_EVENT says.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use({
      onError: async (request) => {
        const requestId = request.context?.awsRequestId ?? 'unknown';
        const { status, body } = renderError(route.dialect, request.error, requestId);
        if (request.error instanceof ApiError) {
          logger.info('request refused', { operation: route.operationId, status, code: body.code ?? null });
        } else {
          logger.error('unhandled error', { operation: route.operationId, error: request.error as Error });
        }
        request.response = jsonResponse(status, body);
      },
    })
    .handler(async (event) => {
      const request = toHttpRequest(event);
      const command = await commandFromHttp(route, request);
      return toResponse(await core(command));
    });
}
