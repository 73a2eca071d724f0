/**
 * Stops DynamoDB Local (waiting for the JVM to exit, so no `java` keeps its port) and
 * scans every log line the suite produced for API keys, bearer tokens and test secrets:
 * finding one fails the run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What must never appear in a log line: API keys, bearer tokens (JWTs), and the markers test secrets carry. */
const forbidden = [/fp_[A-Za-z0-9_-]{43}/, /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, /sk-live-/, /s3cr3t/];

export default async function globalTeardown() {
  await globalThis.__dynamo?.stop();
  const dir = process.env.LOG_CAPTURE_DIR;
  if (!dir) return;
  let lines = 0;
  for (const name of await readdir(dir)) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      if (!line) continue;
      lines += 1;
      const hit = forbidden.find((pattern) => pattern.test(line));
      if (hit) throw new Error(`a log line contains a secret or API key (${hit}): ${line.slice(0, 300)}`);
    }
  }
  console.log(`\nlog scan: ${lines} log lines captured, no secret, API key or token found`);
}
