/**
 * Reading SDK failures: what counts as "DynamoDB cannot serve this now" (503) and what is
 * a refusal or the unexpected (left as it is); the one retry loop turning a transaction
 * that keeps colliding into a 503, never a 409; both contracts' 503 and in-progress
 * answers with Retry-After.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { renderFastApiError } from '../../functions/contracts/fastapi.js';
import { renderFlowkerError } from '../../functions/contracts/flowker.js';
import { ConcurrentChangeError, RequestInProgressError, UnavailableError } from '../../functions/errors.js';
import { unavailableFrom } from '../../functions/store/errors.js';
import { collided, contended, retryFor, retryOnConflict } from '../../functions/store/retry.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('message from AWS'), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });

test.each([
  ['ProvisionedThroughputExceededException', sdkError('ProvisionedThroughputExceededException', 400), 'throttled', 1],
  ['ThrottlingException', sdkError('ThrottlingException', 400), 'throttled', 1],
  ['RequestLimitExceeded', sdkError('RequestLimitExceeded', 400), 'throttled', 1],
  ['InternalServerError', sdkError('InternalServerError', 500), 'server_error', 2],
  ['an unmodelled 503', sdkError('ServiceUnavailable', 503), 'server_error', 2],
  ['a request timeout', sdkError('TimeoutError', undefined, { code: 'ETIMEDOUT' }), 'timeout', 2],
  ['a reset connection', sdkError('Error', undefined, { code: 'ECONNRESET' }), 'network', 2],
  ['a refused connection', sdkError('Error', undefined, { code: 'ECONNREFUSED' }), 'network', 2],
  ['a single write meeting a transaction', sdkError('TransactionConflictException', 400), 'conflict', 1],
  [
    'a transaction cancelled by throttling',
    sdkError('TransactionCanceledException', 400, {
      CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
    }),
    'throttled',
    1,
  ],
])('%s is unavailable (%s), with Retry-After %i', (_label, error, reason, seconds) => {
  expect(unavailableFrom(error, 'DynamoDB')).toMatchObject({
    name: 'UnavailableError',
    dependency: 'DynamoDB',
    reason,
    retryAfterSeconds: seconds,
  });
});

test.each([
  ['a failed condition', sdkError('ConditionalCheckFailedException', 400)],
  [
    'a cancelled transaction with a failed condition',
    sdkError('TransactionCanceledException', 400, {
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ThrottlingError' }],
    }),
  ],
  ['a validation error', sdkError('ValidationException', 400)],
  ['access denied', sdkError('AccessDeniedException', 400)],
  ['an unexpected error', new Error('invariant broken')],
])('%s is not a 503', (_label, error) => {
  expect(unavailableFrom(error, 'DynamoDB')).toBeUndefined();
});

test('the retry loop: collisions are retried, then a 503; contention still ends in its own error', async () => {
  // Prepare
  let attempts = 0;
  const collide = async () => {
    attempts += 1;
    return collided;
  };
  // Act
  const exhausted = await retryOnConflict(collide, {
    attempts: 3,
    jitterMs: 0,
    exhausted: () => new ConcurrentChangeError('workflow'),
  }).catch((error) => error);
  const contention = await retryOnConflict(async () => contended, {
    attempts: 2,
    jitterMs: 0,
    exhausted: () => new ConcurrentChangeError('workflow'),
  }).catch((error) => error);
  const thrownCollision = await retryOnConflict(
    async (index) => {
      if (index === 0) throw new UnavailableError('DynamoDB', 'conflict', 'TransactionConflictException', 1);
      return 'landed';
    },
    { attempts: 3, jitterMs: 0, exhausted: () => new ConcurrentChangeError('workflow') },
  );
  // Assess
  expect(attempts).toBe(3);
  expect(exhausted).toMatchObject({ name: 'UnavailableError', reason: 'conflict', retryAfterSeconds: 1 });
  expect(contention).toBeInstanceOf(ConcurrentChangeError);
  expect(thrownCollision).toBe('landed');
  expect([
    retryFor(['None', 'TransactionConflict']),
    retryFor(['ConditionalCheckFailed', 'TransactionConflict']),
    retryFor(['ValidationError']),
  ]).toEqual([collided, contended, undefined]);
});

test('a TransactionCanceledException from the SDK keeps its reasons for the stores (not a 503)', () => {
  const error = new TransactionCanceledException({
    message: 'cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: [{ Code: 'TransactionConflict' }],
  });
  expect(unavailableFrom(error, 'DynamoDB')).toBeUndefined();
});

test('both contracts answer 503 and in-progress 409 with Retry-After, and name nothing from AWS', () => {
  const unavailable = new UnavailableError('DynamoDB', 'throttled', 'ProvisionedThroughputExceededException', 1);
  expect(renderFlowkerError(unavailable, 'r-1')).toEqual({
    status: 503,
    body: {
      code: 'SERVICE_UNAVAILABLE',
      title: 'Service Unavailable',
      message: 'The service is temporarily unavailable; retry after 1 seconds',
    },
    headers: { 'retry-after': '1' },
  });
  expect(renderFastApiError(unavailable, 'r-1')).toEqual({
    status: 503,
    body: { detail: 'Service temporarily unavailable; retry after 1 seconds' },
    headers: { 'retry-after': '1' },
  });
  expect(renderFlowkerError(new RequestInProgressError(1), 'r')).toMatchObject({
    status: 409,
    body: { code: 'FLK-0351' },
    headers: { 'retry-after': '1' },
  });
  expect(renderFastApiError(new RequestInProgressError(1), 'r')).toMatchObject({
    status: 409,
    headers: { 'retry-after': '1' },
  });
});
