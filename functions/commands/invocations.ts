/**
 * Commands without HTTP. A command envelope (schemas/command.ts) arrives as a direct
 * Lambda invoke (the envelope itself), as an EventBridge event (the envelope in
 * `detail`) or as an SQS batch (one envelope per message body), and goes through the
 * same pipeline and the same use case as the HTTP route.
 */
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FromSchema } from 'json-schema-to-ts';
import { commandEnvelope } from '../../schemas/command.js';
import { logger } from '../core/logger.js';
import { assertBodySize, guardProblem, toCommand, validatePart } from '../core/pipeline.js';
import type { RouteDefinition, Runner, ValidatedCommand } from '../core/route.js';
import { parsePrecondition } from '../domain/precondition.js';
import { FlowplaneError, RequestValidationError } from '../errors.js';

export type CommandEnvelope = FromSchema<typeof commandEnvelope>;

/** A typed error object: what a direct invoke returns instead of throwing. */
export interface ErrorObject {
  error: true;
  type: string;
  status: number;
  code: string | null;
  message: string;
  violations: unknown[];
}

/** Renders an expected failure for a caller without HTTP; anything else is rethrown (a real failure). */
export function toErrorObject(route: RouteDefinition, error: unknown, requestId: string): ErrorObject {
  if (!(error instanceof FlowplaneError)) throw error;
  const { status, body } = route.contract.renderError(error, requestId);
  const detail = typeof body.detail === 'string' ? body.detail : undefined;
  return {
    error: true,
    type: error.name,
    status,
    code: typeof body.code === 'string' ? body.code : null,
    message: typeof body.message === 'string' ? body.message : (detail ?? error.message),
    violations: route.contract.violationsOf(error),
  };
}

/** Validates an envelope and turns it into the route's command, as the HTTP path would. */
export function commandFromEnvelope(route: RouteDefinition, envelope: unknown, source: string, requestId: string): ValidatedCommand {
  // The whole envelope is guarded, params and query too, not only its body.
  const problem = guardProblem(envelope, 'command');
  if (problem) throw problem;
  const problems = validatePart(commandEnvelope, 'command', envelope);
  if (problems.length > 0) throw new RequestValidationError(problems);
  const { organizationId, params = {}, query = {}, body, ifMatch, actor } = envelope as CommandEnvelope;
  if (body !== undefined) assertBodySize(route, Buffer.byteLength(JSON.stringify(body)));
  return toCommand(route, {
    principal: { organizationId, keyId: source, keyName: actor ?? source },
    params,
    query,
    body,
    precondition: parsePrecondition(ifMatch),
    requestId,
  });
}

/** Direct invoke: the output object, or a typed error object. */
export async function runDirect(route: RouteDefinition, run: Runner, event: unknown, requestId: string) {
  try {
    return (await run(commandFromEnvelope(route, event, 'lambda:invoke', requestId))).body ?? null;
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
export async function runEventBridge(route: RouteDefinition, run: Runner, event: EventBridgeEvent<string, unknown>, requestId: string) {
  try {
    return (await run(commandFromEnvelope(route, event.detail, `events:${event.source}`, requestId))).body ?? null;
  } catch (error) {
    const failure = toErrorObject(route, error, requestId);
    logger.warn('command refused', { operation: route.operationId, transport: 'eventbridge', eventId: event.id, status: failure.status, code: failure.code });
    return failure;
  }
}

/** SQS: every record on its own; only the failed ones are reported, so good ones never repeat. */
export async function runSqsBatch(route: RouteDefinition, run: Runner, event: SQSEvent, requestId: string): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      let envelope: unknown;
      try {
        envelope = JSON.parse(record.body);
      } catch {
        throw new RequestValidationError([{ loc: ['command'], rule: 'json_invalid', message: 'the message body is not JSON' }]);
      }
      await run(commandFromEnvelope(route, envelope, 'sqs', `${requestId}:${record.messageId}`));
    } catch (error) {
      if (error instanceof FlowplaneError) {
        logger.warn('command refused', { operation: route.operationId, transport: 'sqs', messageId: record.messageId, error: error.name });
      } else {
        logger.error('command failed', { operation: route.operationId, transport: 'sqs', messageId: record.messageId, error: error as Error });
      }
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
