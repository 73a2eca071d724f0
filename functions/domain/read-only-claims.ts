/**
 * Read-only claims: a read-only field in a request body states what is stored. A client that
 * sends back what it was shown (a GET body PATCHed back) is accepted; one that would change
 * such a field is told what it holds.
 */
import type { Violation } from '../errors.js';

/** A read-only claim that contradicts what is stored or shown (rule `read_only`). */
export function readOnlyViolation(field: string, shown: unknown, sent: unknown): Violation {
  return {
    loc: ['body', field],
    rule: 'read_only',
    message: `${field} is read-only: it is ${shown === undefined ? 'not set' : JSON.stringify(shown)} here; send it unchanged or leave it out`,
    input: sent,
  };
}
