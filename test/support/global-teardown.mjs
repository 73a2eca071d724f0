/**
 * Stops DynamoDB Local (waiting for the JVM to exit, so no `java` keeps its port) and
 * scans everything the suite's workers captured (test/support/log-capture.ts: log lines,
 * other output, console, child processes) for API keys, bearer tokens and test secrets:
 * finding one fails the run, and so does a scan that cannot run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What must never appear in a log line: API keys, bearer tokens (JWTs), and the markers test secrets carry. */
const forbidden = [/fp_[A-Za-z0-9_-]{43}/, /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, /sk-live-/, /s3cr3t/];

export default async function globalTeardown() {
  await globalThis.__dynamo?.stop();
  const dir = process.env.LOG_CAPTURE_DIR;
  if (!dir) throw new Error('log scan: LOG_CAPTURE_DIR is not set, so nothing was captured to scan');
  const files = await readdir(dir);
  if (files.length === 0) throw new Error(`log scan: ${dir} is empty: no test worker captured its output`);
  let lines = 0;
  for (const name of files) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      if (!line) continue;
      lines += 1;
      const hit = forbidden.find((pattern) => pattern.test(line));
      if (hit) throw new Error(`log scan: ${name} has a secret or API key (${hit}): ${line.slice(0, 300)}`);
    }
  }
  console.log(`
log scan: ${lines} lines captured in ${files.length} files, no secret, API key or token found`);
}
