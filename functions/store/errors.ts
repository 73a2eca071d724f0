/**
 * DynamoDB failures the stores translate into contract errors.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** True when DynamoDB refused a write because an item would exceed its 400 KB limit. */
export function isItemTooLarge(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) return error.CancellationReasons?.some((r) => r.Code === 'ValidationError') ?? false;
  const { name, message } = error as Error;
  return name === 'ValidationException' && /item size|size has exceeded/i.test(message ?? '');
}
