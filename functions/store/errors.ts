/**
 * What DynamoDB's refusals mean, read in one place for every store.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** True when DynamoDB refused a write because an item would exceed its 400 KB limit. */
export function isItemTooLarge(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) return error.CancellationReasons?.some((r) => r.Code === 'ValidationError') ?? false;
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
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((reason) => reason.Code) : undefined;
}

/** A cancelled transaction's reason for item `index`, with the old item it returned. */
export function cancellationReason<T>(error: TransactionCanceledException, index: number): { code?: string; old?: T } {
  const reason = error.CancellationReasons?.[index];
  return { code: reason?.Code, old: reason?.Item ? (unmarshall(reason.Item as never) as T) : undefined };
}
