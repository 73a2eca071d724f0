/**
 * Commands without HTTP. A command envelope (schemas/command.ts) arrives as a direct
 * Lambda invoke (the envelope itself), as an EventBridge event (the envelope in
 * `detail`) or as an SQS batch (one envelope per message body), and goes through the
 * same pipeline and the same use case as the HTTP route, applied at most once per
 * delivery (the envelope's `idempotencyKey`, else the SQS message id or EventBridge
 * event id).
 *
 * Failures split in two. A refusal (a 4xx: the command is wrong, or the resource is not
 * in a state to take it) is permanent: it is logged and never retried. A transient
 * failure (DynamoDB unavailable, the same command still in progress elsewhere, anything
 * unexpected) is handed back to the source so it redelivers: SQS through
 * `batchItemFailures`, EventBridge by the invocation failing; a direct invoke returns
 * the typed error object with its status (503, 409) for the caller to decide.
 */
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FromSchema } from 'json-schema-to-ts';
import { commandEnvelope } from '../../schemas/command.js';
import { logger, logUnavailable } from '../observability/logger.js';
import { countResponse } from '../observability/metrics.js';
import { assertBodySize, guardProblem, toCommand, validatePart } from '../pipeline/pipeline.js';
import type { RouteDefinition, Runner, ValidatedCommand } from '../pipeline/route.js';
import { permissions } from '../domain/permissions.js';
import { parsePrecondition } from '../domain/precondition.js';
import { FlowplaneError, RequestInProgressError, RequestValidationError, UnavailableError } from '../errors.js';

export type CommandEnvelope = FromSchema<typeof commandEnvelope>;

const allPermissions: ReadonlySet<(typeof permissions)[number]> = new Set(permissions);

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

/**
 * Validates an envelope and turns it into the route's command, as the HTTP path would.
 * `deliveryId` (the SQS message id, the EventBridge event id) keys the command's
 * idempotency unless the envelope names its own key.
 */
export function commandFromEnvelope(
  route: RouteDefinition,
  envelope: unknown,
  source: string,
  requestId: string,
  deliveryId?: string,
): ValidatedCommand {
  // The whole envelope is guarded, params and query too, not only its body.
  const problem = guardProblem(envelope, 'command');
  if (problem) throw problem;
  const problems = validatePart(commandEnvelope, 'command', envelope);
  if (problems.length > 0) throw new RequestValidationError(problems);
  const { organizationId, params = {}, query = {}, body, ifMatch, actor, idempotencyKey } = envelope as CommandEnvelope;
  if (body !== undefined) assertBodySize(route, Buffer.byteLength(JSON.stringify(body)));
  const key = idempotencyKey ?? deliveryId;
  return toCommand(route, {
    // The source was let in by IAM, whose policy says which functions it may invoke: it may do what they do.
    principal: { organizationId, id: source, name: actor ?? source, permissions: allPermissions },
    params,
    query,
    body,
    precondition: parsePrecondition(ifMatch),
    requestId,
    ...(key === undefined ? {} : { idempotencyKey: key }),
  });
}

/**
 * A failure the source should deliver again: the dependency was unavailable, the same command is in progress, or the
 * unexpected.
 */
export function isTransient(error: unknown): boolean {
  return (
    !(error instanceof FlowplaneError) || error instanceof UnavailableError || error instanceof RequestInProgressError
  );
}

/** Logs a failed command once (and counts a 503): a refusal at info level, a transient failure as what it is. */
function logFailure(route: RouteDefinition, error: unknown, requestId: string, context: Record<string, unknown>): void {
  const operation = route.operationId;
  if (error instanceof UnavailableError) {
    logUnavailable(operation, error, requestId, context);
    countResponse(503);
  } else if (!(error instanceof FlowplaneError)) {
    logger.error('command failed', { operation, requestId, ...context, error: error as Error });
  } else {
    logger.info(isTransient(error) ? 'command deferred' : 'command refused', {
      operation,
      requestId,
      ...context,
      error: error.name,
    });
  }
}

/** Direct invoke: the result's body, or a typed error object (503 and 409-in-progress included: the caller retries). */
export async function runDirect(route: RouteDefinition, run: Runner, event: unknown, requestId: string) {
  try {
    return (await run(commandFromEnvelope(route, event, 'lambda:invoke', requestId))).body ?? null;
  } catch (error) {
    logFailure(route, error, requestId, { transport: 'direct' });
    return toErrorObject(route, error, requestId);
  }
}

/**
 * EventBridge: a refused command (4xx) is permanent, so it is logged and answered
 * without throwing; a transient failure throws so EventBridge retries (and dead-letters
 * what never succeeds).
 */
export async function runEventBridge(
  route: RouteDefinition,
  run: Runner,
  event: EventBridgeEvent<string, unknown>,
  requestId: string,
) {
  try {
    return (
      (await run(commandFromEnvelope(route, event.detail, `events:${event.source}`, requestId, event.id))).body ?? null
    );
  } catch (error) {
    logFailure(route, error, requestId, { transport: 'eventbridge', eventId: event.id });
    if (isTransient(error)) throw error;
    return toErrorObject(route, error, requestId);
  }
}

/**
 * SQS: every record on its own. Only transient failures are reported, so SQS redelivers
 * exactly those; a good record never repeats and a refused one is dropped after logging.
 */
export async function runSqsBatch(
  route: RouteDefinition,
  run: Runner,
  event: SQSEvent,
  requestId: string,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      let envelope: unknown;
      try {
        envelope = JSON.parse(record.body);
      } catch {
        throw new RequestValidationError([
          { loc: ['command'], rule: 'json_invalid', message: 'the message body is not JSON' },
        ]);
      }
      await run(commandFromEnvelope(route, envelope, 'sqs', `${requestId}:${record.messageId}`, record.messageId));
    } catch (error) {
      logFailure(route, error, requestId, { transport: 'sqs', messageId: record.messageId });
      if (isTransient(error)) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
