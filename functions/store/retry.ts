/**
 * The one retry-on-conflict loop. A write that depends on what it read (a rename, a
 * delete that releases a name, a deploy, an audit append) is tried again when another
 * writer came first, with a growing random pause, a bounded number of times. A write
 * whose transaction merely collided with another in flight (DynamoDB's
 * `TransactionConflict`) is tried again the same way; if it still collides on the last
 * attempt, DynamoDB is treated as unavailable (a 503 with Retry-After), never as a
 * refusal of the request.
 */
import { UnavailableError } from '../errors.js';

/** What an attempt answers when another writer came first and it should read again and run again. */
export const contended = Symbol('contended');

/** What an attempt answers when its transaction was cancelled for `TransactionConflict` (nothing was decided). */
export const collided = Symbol('collided');

export type Retried = typeof contended | typeof collided;

export interface RetryOptions {
  attempts: number;
  /** Upper bound of the random pause before attempt n, times n (0 for none: collisions still pause 10 ms × n). */
  jitterMs: number;
  /** The error when every attempt was contended. */
  exhausted: () => Error;
}

/** A transaction collision: the pause before retrying it, whatever the loop's own jitter. */
const collisionJitterMs = 10;

/** True when an attempt threw because a single write met a transaction in flight (TransactionConflictException). */
function isCollision(error: unknown): boolean {
  return error instanceof UnavailableError && error.reason === 'conflict';
}

/**
 * Runs `attempt` until it answers something other than `contended` or `collided`, at
 * most `attempts` times: exhausted by contention it throws `options.exhausted()`, by a
 * collision an `UnavailableError`.
 */
export async function retryOnConflict<T>(
  attempt: (index: number) => Promise<T | Retried>,
  options: RetryOptions,
): Promise<T> {
  let last: Retried = contended;
  for (let index = 0; index < options.attempts; index += 1) {
    const jitter = last === collided ? Math.max(options.jitterMs, collisionJitterMs) : options.jitterMs;
    if (index > 0 && jitter > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * jitter * index));
    let outcome: T | Retried;
    try {
      outcome = await attempt(index);
    } catch (error) {
      if (!isCollision(error)) throw error;
      outcome = collided;
    }
    if (outcome !== contended && outcome !== collided) return outcome;
    last = outcome as Retried;
  }
  if (last === collided) throw new UnavailableError('DynamoDB', 'conflict', 'TransactionConflict', 1);
  throw options.exhausted();
}

/** What a cancelled transaction's reason codes ask the loop to do: read again, retry as is, or neither (undefined). */
export function retryFor(codes: readonly (string | undefined)[]): Retried | undefined {
  if (codes.includes('ConditionalCheckFailed')) return contended;
  if (codes.includes('TransactionConflict')) return collided;
  return undefined;
}
