/**
 * Idempotent use cases: one wrapped in `idempotent` runs at most once per idempotency key,
 * however often it is delivered (Powertools Idempotency, records in the table:
 * functions/store/idempotency.ts).
 * The key comes from the transport (`Command.idempotencyKey`: the HTTP `Idempotency-Key`
 * header, the direct invoke envelope's `idempotencyKey`, the SQS message id, the
 * EventBridge event id) and is scoped by organization and operation.
 *
 * - No key: the use case runs as before, and no idempotency record is read or written.
 * - A repeat gets the first result (status, body and ETag), and nothing runs again.
 * - The same key with another request (params, query, body or If-Match) is refused
 *   (`IdempotencyKeyReusedError`); a repeat while the first is still running is told to
 *   retry later (`RequestInProgressError`).
 * - A refusal or failure records nothing: a repeat runs again (nothing was applied).
 * - Records expire after `IDEMPOTENCY_TTL_SECONDS` (default one hour).
 *
 * The caller's key is only ever hashed (SHA-256, with the organization) and never logged.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../errors.js';
import { unavailableFrom } from '../store/errors.js';
import { idempotencyStore } from '../store/idempotency.js';
import { idempotencyKeyPrefix } from '../store/keys.js';
import type { Command, Result } from './command.js';
import { isIdempotent, type RouteDefinition } from './route.js';

const defaultTtlSeconds = 3600;

/** How long a record answers repeats: `IDEMPOTENCY_TTL_SECONDS` (a stack prop), one hour by default. */
export function idempotencyTtlSeconds(): number {
  const configured = Number(process.env.IDEMPOTENCY_TTL_SECONDS);
  return Number.isInteger(configured) && configured > 0 ? configured : defaultTtlSeconds;
}

/**
 * Functions time out at 29 s (infra/constructs/flowplane-function.ts): a record still "in
 * progress" after that was left by an invocation that died, and a repeat may run again.
 */
const inProgressMillis = 29_000;
const functionClock = { getRemainingTimeInMillis: () => inProgressMillis } as Context;

/** Seconds a repeat should wait for the first request to finish. */
const inProgressRetryAfterSeconds = 1;

/** The result as stored: gzipped JSON (a workflow's body can be large; the record holds at most 400 KB). */
type StoredResult = { gz: string };

const pack = (result: Result): StoredResult => ({ gz: gzipSync(JSON.stringify(result)).toString('base64') });
const unpack = (stored: StoredResult): Result =>
  JSON.parse(gunzipSync(Buffer.from(stored.gz, 'base64')).toString('utf8')) as Result;

/** Powertools' errors in the vocabulary; anything else as it is. */
function translated(error: unknown): unknown {
  switch ((error as Error | undefined)?.name) {
    case 'IdempotencyValidationError':
      return new IdempotencyKeyReusedError();
    case 'IdempotencyAlreadyInProgressError':
    case 'IdempotencyInconsistentStateError':
      return new RequestInProgressError(inProgressRetryAfterSeconds);
    case 'IdempotencyPersistenceLayerError': {
      // The record could not be written: DynamoDB unavailable is a 503 like any other; the rest is unexpected.
      const cause = (error as Error).cause;
      return unavailableFrom(cause, 'DynamoDB') ?? error;
    }
    default:
      return error;
  }
}

/**
 * The use case made idempotent: applied at most once per idempotency key (see the module
 * comment). The chain refuses to build a handler for an idempotent or command route whose
 * use case is not wrapped here.
 */
export function idempotent<C extends Command<unknown, unknown, unknown>>(
  route: RouteDefinition,
  useCase: (command: C) => Promise<Result>,
) {
  const once = async (command: C): Promise<Result> => {
    const { idempotencyKey, principal } = command;
    if (idempotencyKey === undefined) return useCase(command);
    const run = makeIdempotent(async (_payload: unknown): Promise<StoredResult> => pack(await useCase(command)), {
      persistenceStore: idempotencyStore(),
      keyPrefix: idempotencyKeyPrefix(principal.organizationId, route.operationId),
      config: new IdempotencyConfig({
        eventKeyJmesPath: 'scope',
        payloadValidationJmesPath: 'request',
        throwOnNoIdempotencyKey: true,
        hashFunction: 'sha256',
        expiresAfterSeconds: idempotencyTtlSeconds(),
        lambdaContext: functionClock,
      }),
    });
    const payload = {
      scope: { organizationId: principal.organizationId, key: idempotencyKey },
      request: {
        params: command.params,
        query: command.query,
        body: command.body ?? null,
        ifMatch: command.precondition ?? null,
      },
    };
    try {
      return unpack(await run(payload));
    } catch (error) {
      throw translated(error);
    }
  };
  return Object.assign(once, { [isIdempotent]: true as const });
}
