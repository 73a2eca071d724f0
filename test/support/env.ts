/**
 * Runs in every test worker before its test file. Structured logs go at DEBUG level
 * (the most a deployment could emit), with event logging requested (the chain must
 * refuse it), into one file per worker, out of the test output; everything else the worker
 * prints goes to the scan too (test/support/log-capture.ts). Global teardown scans them all
 * for secrets and API keys.
 */
import { captureWorkerOutput } from './log-capture.js';

process.env.POWERTOOLS_SERVICE_NAME = 'flowplane-test';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';

captureWorkerOutput(console);
