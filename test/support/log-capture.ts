/**
 * Where a test worker's output goes for the secret scan (global teardown reads every file
 * of LOG_CAPTURE_DIR and fails the run on an API key or a test secret): the structured log
 * lines (Logger's and Metrics') in one file, which tests read back; everything else the
 * worker prints, its console and the child processes tests start, in another.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { ChildProcess } from 'node:child_process';

function captureDir(): string {
  const dir = process.env.LOG_CAPTURE_DIR;
  if (!dir) throw new Error('LOG_CAPTURE_DIR is not set: jest runs with test/support/global-setup.mjs');
  return dir;
}

const workerName = () => `worker-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}`;

/** This worker's structured log lines (one JSON object per line). */
export function structuredLogFile(): string {
  return join(captureDir(), `${workerName()}.log`);
}

/** Everything else this worker and its child processes printed. */
export function textLogFile(): string {
  return join(captureDir(), `${workerName()}.text.log`);
}

/** Adds output to the scan, as whole lines. */
export function captureText(text: string): void {
  appendFileSync(textLogFile(), text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Adds a child process's stdout and stderr to the scan, line by line as they arrive. Each
 * value of `shownOnce` (the API key `npm start` prints for its user) is blanked where it
 * first appears, and only there: printed again, it fails the scan.
 */
export function captureOutput(child: ChildProcess, shownOnce: readonly string[] = []): void {
  const pending = new Set(shownOnce);
  const blanked = (line: string) => {
    let text = line;
    for (const value of pending) {
      if (!text.includes(value)) continue;
      text = text.replace(value, '<shown once>');
      pending.delete(value);
    }
    return text;
  };
  for (const stream of [child.stdout, child.stderr]) {
    // Whole lines only, so a value split across two chunks is still one line to the scan.
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) captureText(lines.map(blanked).join('\n'));
    });
    stream?.on('end', () => {
      if (partial) captureText(blanked(partial));
    });
  }
}

/** Marks a stream whose writes are captured, so a worker running many files in band wraps it once. */
const captured = Symbol.for('flowplane.logCapture');

/**
 * Sends this worker's structured log lines to the structured file, out of the test output,
 * and copies everything else it writes, and its console, to the text file.
 */
export function captureWorkerOutput(console: Console): void {
  const structured = structuredLogFile();
  appendFileSync(structured, '');
  appendFileSync(textLogFile(), '');
  for (const stream of [process.stdout, process.stderr] as (NodeJS.WriteStream & { [captured]?: true })[]) {
    if (stream[captured]) continue;
    stream[captured] = true;
    const original = stream.write.bind(stream);
    stream.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      // Logger lines and Metrics' embedded-metric-format lines.
      if (text.startsWith('{"level":') || text.startsWith('{"_aws":')) {
        appendFileSync(structured, text);
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') done();
        return true;
      }
      // Anything else, such as jest's own report when it runs in band, also passes through; written as it comes,
      // so a line written in pieces stays one line.
      appendFileSync(textLogFile(), text);
      return original(chunk as string, encoding as BufferEncoding, callback as () => void);
    };
  }
  // Jest gives each test file a console of its own, which reports through jest, not through these streams.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method].bind(console);
    console[method] = (...values: unknown[]) => {
      captureText(format(...values));
      original(...values);
    };
  }
}
