/**
 * Starts one DynamoDB Local per jest worker and creates the table in each (test/support/env.ts
 * points each worker at its own); test workers inherit the environment set here. Jest does
 * not remap `.js` imports for global setup, so the TypeScript launcher is loaded through tsx.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup(globalConfig) {
  const { startDynamoDbLocal } = await tsImport('../../scripts/local/dynamodb-local.ts', import.meta.url);
  const { ensureTable } = await tsImport('../../scripts/local/table.ts', import.meta.url);
  const { ensureKeyFile } = await tsImport('../../functions/secrets/keyring.ts', import.meta.url);
  const keyFile = join(await mkdtemp(join(tmpdir(), 'flowplane-test-')), 'secrets.key');
  ensureKeyFile(keyFile);
  process.env.SECRETS_KEY_FILE = keyFile;
  process.env.LOG_CAPTURE_DIR = await mkdtemp(join(tmpdir(), 'flowplane-logs-'));
  process.env.TABLE_NAME = 'flowplane-test';
  process.env.AWS_REGION = 'local';
  // DynamoDB Local (a JVM on a shared two-core machine) can pause longer than the deployed
  // 1 s attempt bound; a timed-out write that did land would be retried into a refusal.
  // The fault tests set the deployed bound back (test/support/faults.ts).
  process.env.AWS_REQUEST_TIMEOUT_MS = '5000';
  // One each: a worker's files share its table (each with its own organization) and its
  // stream, and never wait on the other worker's.
  const workers = Math.max(1, globalConfig.maxWorkers);
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startDynamoDbLocal()));
  globalThis.__dynamo = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  await Promise.all(globalThis.__dynamo.map((dynamo) => ensureTable(dynamo.endpoint, process.env.TABLE_NAME)));
  process.env.DYNAMODB_ENDPOINTS = globalThis.__dynamo.map((dynamo) => dynamo.endpoint).join(' ');
}
