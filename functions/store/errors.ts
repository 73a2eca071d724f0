/**
 * What DynamoDB's refusals mean, read in one place for every store.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Dependency, UnavailableError, type UnavailableReason } from '../errors.js';

const throttlingNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);
const serverErrorNames = new Set(['InternalServerError', 'InternalFailure', 'ServiceUnavailable']);
const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Why an SDK error means the service could not serve the request now (undefined: it answered, e.g. refused). */
function unavailableReason(
  error: Error & { code?: string; $metadata?: { httpStatusCode?: number } },
): UnavailableReason | undefined {
  if (throttlingNames.has(error.name)) return 'throttled';
  if (error.name === 'TransactionConflictException') return 'conflict';
  if (error.name === 'TimeoutError' || error.name === 'RequestTimeout' || error.code === 'ETIMEDOUT') return 'timeout';
  if (serverErrorNames.has(error.name) || (error.$metadata?.httpStatusCode ?? 0) >= 500) return 'server_error';
  if (networkCodes.has(error.code ?? '') || /socket hang up/i.test(error.message ?? '')) return 'network';
  return undefined;
}

/** A transaction cancelled only because DynamoDB throttled one of its items (no condition failed). */
function cancelledByThrottling(error: Error): boolean {
  const codes =
    (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map((reason) => reason.Code) ?? [];
  return (
    codes.some((code) => code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded') &&
    !codes.includes('ConditionalCheckFailed')
  );
}

/**
 * An SDK failure as the vocabulary's `UnavailableError` when it means the service could
 * not serve the request (throttled, 5xx, timed out, unreachable, a transaction in the
 * way), after the SDK's own retries; undefined for anything else, refusals included.
 */
export function unavailableFrom(error: unknown, dependency: Dependency): UnavailableError | undefined {
  if (error instanceof UnavailableError) return error;
  if (!(error instanceof Error)) return undefined;
  const reason = cancelledByThrottling(error) ? 'throttled' : unavailableReason(error);
  if (!reason) return undefined;
  return new UnavailableError(
    dependency,
    reason,
    error.name === 'Error' ? ((error as { code?: string }).code ?? 'NetworkError') : error.name,
    reason === 'throttled' || reason === 'conflict' ? 1 : 2,
  );
}

/** True when DynamoDB refused a write because an item would exceed its 400 KB limit. */
export function isItemTooLarge(error: unknown): boolean {
  if (error instanceof TransactionCanceledException)
    return error.CancellationReasons?.some((r) => r.Code === 'ValidationError') ?? false;
  const { name, message } = error as Error;
  return name === 'ValidationException' && /item size|size has exceeded/i.test(message ?? '');
}

/**
 * For a write whose condition failed: the item as it was (`{ old }`, undefined when
 * there was none). Any other error is rethrown. The old item arrives marshalled, even
 * through the document client.
 */
export function conditionFailure<T>(error: unknown): { old: T | undefined } {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  return { old: error.Item ? (unmarshall(error.Item) as T) : undefined };
}

/** The cancellation reason codes of a cancelled transaction, in item order (undefined for another error). */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  return error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
    : undefined;
}

/** A cancelled transaction's reason for item `index`, with the old item it returned. */
export function cancellationReason<T>(error: TransactionCanceledException, index: number): { code?: string; old?: T } {
  const reason = error.CancellationReasons?.[index];
  return { code: reason?.Code, old: reason?.Item ? (unmarshall(reason.Item) as T) : undefined };
}
