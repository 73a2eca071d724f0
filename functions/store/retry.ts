/**
 * The one retry-on-conflict loop. A write that depends on what it read (a rename, a
 * delete that releases a name, a deploy, an audit append) is tried again when another
 * writer came first, with a growing random pause, a bounded number of times.
 */

/** What an attempt answers when another writer came first and it should run again. */
export const contended = Symbol('contended');

export interface RetryOptions {
  attempts: number;
  /** Upper bound of the random pause before attempt n, times n (0 for none). */
  jitterMs: number;
  /** The error when every attempt was contended. */
  exhausted: () => Error;
}

/** Runs `attempt` until it answers something other than `contended`, at most `attempts` times. */
export async function retryOnConflict<T>(attempt: (index: number) => Promise<T | typeof contended>, options: RetryOptions): Promise<T> {
  for (let index = 0; index < options.attempts; index += 1) {
    if (index > 0 && options.jitterMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * options.jitterMs * index));
    const outcome = await attempt(index);
    if (outcome !== contended) return outcome;
  }
  throw options.exhausted();
}
