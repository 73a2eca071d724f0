/**
 * The one structured logger (Powertools). Secrets never reach it: handlers log codes,
 * ids and counts, never request bodies or headers.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { UnavailableError } from '../errors.js';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'flowplane' });

/**
 * Logs an answer of 503 once: which dependency, why, its own error name and the request
 * id; never the dependency's message or a stack (the AWS message can quote the request).
 */
export function logUnavailable(
  operation: string,
  error: UnavailableError,
  requestId: string,
  context: Record<string, unknown> = {},
): void {
  logger.warn('dependency unavailable', {
    operation,
    status: 503,
    dependency: error.dependency,
    reason: error.reason,
    awsError: error.errorName,
    retryAfterSeconds: error.retryAfterSeconds,
    requestId,
    ...context,
  });
}
