/**
 * Runs in every test worker before its test file. The worker's own DynamoDB Local (global
 * setup starts one per worker) becomes DYNAMODB_ENDPOINT. Structured logs go at DEBUG level
 * (the most a deployment could emit), with event logging requested (the chain must
 * refuse it), into one file per worker, out of the test output; global teardown scans
 * them all for secrets and API keys.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

process.env.POWERTOOLS_SERVICE_NAME = 'flowplane-test';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';

const endpoints = (process.env.DYNAMODB_ENDPOINTS ?? '').split(' ').filter(Boolean);
if (endpoints.length === 0)
  throw new Error('DYNAMODB_ENDPOINTS is not set: jest runs with test/support/global-setup.mjs');
process.env.DYNAMODB_ENDPOINT = endpoints[(Number(process.env.JEST_WORKER_ID ?? '1') - 1) % endpoints.length];

const logDir = process.env.LOG_CAPTURE_DIR;
if (logDir) {
  const file = join(logDir, `worker-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.log`);
  // Structured log lines (ours and the bundled handlers') go to the file; anything else,
  // such as jest's own report when it runs in band, passes through untouched.
  const capture = (original: typeof process.stdout.write) =>
    ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      // Logger lines and Metrics' embedded-metric-format lines.
      if (!text.startsWith('{"level":') && !text.startsWith('{"_aws":'))
        return original(chunk as string, encoding as BufferEncoding, callback as () => void);
      appendFileSync(file, text);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(process.stdout.write.bind(process.stdout));
  process.stderr.write = capture(process.stderr.write.bind(process.stderr));
}
