/**
 * Runs in every test worker before its test file. Structured logs go at DEBUG level
 * (the most a deployment could emit) into one file per worker, out of the test output;
 * global teardown scans them all for secrets and API keys.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

process.env.POWERTOOLS_SERVICE_NAME = 'flowplane-test';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';

const logDir = process.env.LOG_CAPTURE_DIR;
if (logDir) {
  const file = join(logDir, `worker-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.log`);
  const capture = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
    appendFileSync(file, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
}
