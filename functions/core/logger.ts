/**
 * The one structured logger (Powertools). Secrets never reach it: handlers log codes,
 * ids and counts, never request bodies or headers.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'flowplane' });
