/**
 * The non-HTTP transports. A command arrives as a direct Lambda invoke (the envelope
 * itself), as an EventBridge event (the envelope in `detail`) or as an SQS batch (one
 * envelope per message body), and goes through the same validation and the same core
 * as the HTTP route.
 */
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FromSchema } from 'json-schema-to-ts';
import { commandEnvelope } from '../../schemas/command.js';
import { renderError } from '../http/dialects.js';
import { ApiError, PayloadTooLargeError, RequestValidationError, type Violation } from '../http/errors.js';
import type { RouteDefinition } from '../routes.js';
import { type Command, exceedsDepth, hasIllFormedText, maxBodyDepth, parsePrecondition, type Result, validateCommand, validatePart } from './command.js';
import { logger } from './logger.js';

export type CommandEnvelope = FromSchema<typeof commandEnvelope>;

export type InvocationKind = 'http' | 'sqs' | 'eventbridge' | 'direct';

/** Tells the transport from the event's shape. */
export function invocationKind(event: unknown): InvocationKind {
  const e = (event ?? {}) as Record<string, unknown>;
  if ('httpMethod' in e || (e.version === '2.0' && typeof e.requestContext === 'object')) return 'http';
  if (Array.isArray(e.Records)) return 'sqs';
  if ('detail-type' in e && 'detail' in e) return 'eventbridge';
  return 'direct';
}

/** A typed error object, what a direct invoke returns instead of throwing. */
export interface ErrorObject {
  error: true;
  type: string;
  status: number;
  code: string | null;
  message: string;
  violations: Violation[];
}

/** Renders an `ApiError` for a caller without HTTP; anything else is rethrown (a real failure). */
export function toErrorObject(route: RouteDefinition, error: unknown, requestId: string): ErrorObject {
  if (!(error instanceof ApiError)) throw error;
  const { status, body } = renderError(route.dialect, error, requestId);
  return {
    error: true,
    type: error.name,
    status,
    code: typeof body.code === 'string' ? body.code : null,
    message: typeof body.message === 'string' ? body.message : error.message,
    violations: error.violations,
  };
}

/** Validates an envelope and turns it into the route's command, as the HTTP path would. */
export function commandFromEnvelope(route: RouteDefinition, envelope: unknown, source: string, requestId: string): Command {
  const problems = validatePart(commandEnvelope as never, 'body', envelope).map((v) => ({ ...v, loc: ['command', ...v.loc.slice(1)] }));
  if (problems.length > 0) throw new RequestValidationError('The command does not match the command envelope', { violations: problems });
  const { organizationId, params = {}, query = {}, body, ifMatch, actor } = envelope as CommandEnvelope;
  if (route.maxBodyBytes !== undefined && Buffer.byteLength(JSON.stringify(body ?? null)) > route.maxBodyBytes) {
    throw new PayloadTooLargeError(`Command body exceeds ${route.maxBodyBytes} bytes`);
  }
  if (exceedsDepth(body)) {
    throw new RequestValidationError(`The command body nests deeper than ${maxBodyDepth} levels`, {
      violations: [{ loc: ['body'], type: 'value_error', msg: `Value error, the body nests deeper than ${maxBodyDepth} levels` }],
    });
  }
  if (hasIllFormedText(body)) {
    throw new RequestValidationError('The command body contains a lone UTF-16 surrogate', {
      violations: [{ loc: ['body'], type: 'string_unicode', msg: 'Input should be a valid string' }],
    });
  }
  const precondition = parsePrecondition(ifMatch);
  return validateCommand(route, {
    principal: { organizationId, keyId: source, keyName: actor ?? source },
    params,
    query,
    body,
    precondition,
    requestId,
  });
}

type Core = (command: Command<any, any, any>) => Promise<Result>;

/** Direct invoke: the output object, or a typed error object. */
export async function runDirect(route: RouteDefinition, core: Core, event: unknown, requestId: string) {
  try {
    return (await core(commandFromEnvelope(route, event, 'lambda:invoke', requestId))).body ?? null;
  } catch (error) {
    const failure = toErrorObject(route, error, requestId);
    logger.info('command refused', { operation: route.operationId, transport: 'direct', status: failure.status, code: failure.code });
    return failure;
  }
}

/**
 * EventBridge: a refused command (4xx) is permanent, so it is logged and answered
 * without throwing; an unexpected failure throws so EventBridge retries and dead-letters.
 */
export async function runEventBridge(route: RouteDefinition, core: Core, event: EventBridgeEvent<string, unknown>, requestId: string) {
  try {
    return (await core(commandFromEnvelope(route, event.detail, `events:${event.source}`, requestId))).body ?? null;
  } catch (error) {
    const failure = toErrorObject(route, error, requestId);
    logger.warn('command refused', { operation: route.operationId, transport: 'eventbridge', eventId: event.id, status: failure.status, code: failure.code });
    return failure;
  }
}

/** SQS: every record on its own; only the failed ones are reported, so good ones never repeat. */
export async function runSqsBatch(route: RouteDefinition, core: Core, event: SQSEvent, requestId: string): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      let envelope: unknown;
      try {
        envelope = JSON.parse(record.body);
      } catch {
        throw new RequestValidationError('The message body is not JSON', {
          violations: [{ loc: ['command'], type: 'json_invalid', msg: 'Message body is not JSON' }],
        });
      }
      await core(commandFromEnvelope(route, envelope, 'sqs', `${requestId}:${record.messageId}`));
    } catch (error) {
      const refused = error instanceof ApiError;
      if (refused) {
        logger.warn('command refused', { operation: route.operationId, transport: 'sqs', messageId: record.messageId, status: error.status });
      } else {
        logger.error('command failed', { operation: route.operationId, transport: 'sqs', messageId: record.messageId, error: error as Error });
      }
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
