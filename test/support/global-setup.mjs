/**
 * Starts one DynamoDB Local for the whole run, shared by the workers, and creates the
 * table; test workers inherit the environment set here. Jest does not remap `.js`
 * imports for global setup, so the TypeScript launcher is loaded through tsx.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
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
  // One for both workers: a second JVM costs more CPU than it saves on two cores (measured, issue 19 §5), and files
  // share the table already, each with an organization of its own.
  const dynamo = await startDynamoDbLocal();
  globalThis.__dynamo = dynamo;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);
}
