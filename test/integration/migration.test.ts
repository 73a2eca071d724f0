/**
 * The migration's eager half (functions/migrations/run.ts) on a table of its own, behind
 * the fault proxy: every step on items as 0.1.0 wrote them (test/support/earlier-items.ts),
 * today's items left alone, a second run that changes nothing, a run stopped by its
 * deadline and resumed, a run refused while another holds the table, an item changed
 * under it, and a throttled DynamoDB waited out.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { currentFormats } from '../../functions/domain/formats.js';
import { notificationSecretContext } from '../../functions/domain/workflow/notifications.js';
import { migrateTable, MigrationBusyError } from '../../functions/migrations/run.js';
import { openSecret } from '../../functions/secrets/envelope.js';
import { getDocumentClient } from '../../functions/store/client.js';
import {
  executorKey,
  executorNameKey,
  executorNameKeyAsTyped,
  migrationRunKey,
  workflowKey,
  workflowUniqueNameKey,
  workflowVersionKey,
} from '../../functions/store/keys.js';
import { readItem, rewriteItem } from '../../functions/store/migration.js';
import { ensureTable } from '../../scripts/local/table.js';
import { runMigrateCommand } from '../../scripts/migrate.js';
import { earlierDraftExecutor, earlierOidcExecutor, earlierWorkflow } from '../support/earlier-items.js';
import { proxiedDynamoDb } from '../support/faults.js';

const faults = proxiedDynamoDb();
const suiteTable = process.env.TABLE_NAME;
const organizationId = `migration-${randomUUID()}`;

beforeAll(async () => {
  process.env.TABLE_NAME = `migration-${randomUUID()}`;
  await ensureTable(process.env.DYNAMODB_ENDPOINT as string, process.env.TABLE_NAME);
});

afterAll(() => {
  process.env.TABLE_NAME = suiteTable;
});

const item = async (key: { pk: string; sk: string }) => (await readItem(key)) as Record<string, any> | undefined;

test('every step on items 0.1.0 wrote: secrets sealed and opened where they belong, bindings, claims, unique names', async () => {
  // Prepare
  const oidc = await earlierOidcExecutor(organizationId);
  const holder = await earlierDraftExecutor(organizationId, 'acme pay');
  const sharer = await earlierDraftExecutor(organizationId, 'Acme Pay');
  const workflow = await earlierWorkflow(organizationId);
  // Act
  const report = await migrateTable();
  // Assess
  expect(report).toMatchObject({ status: 'complete', failed: 0, resumed: false });
  expect(report.findings).toEqual([
    expect.objectContaining({ kind: 'name_shared', resourceId: sharer.id, otherId: holder.id }),
  ]);
  const executor = await item(executorKey(organizationId, oidc.id));
  expect(executor).toMatchObject({
    formatVersion: currentFormats.executor,
    secretsBoundTo: 'oidc_client_credentials https://login.example.com',
    authConfig: { token_endpoint_auth_method: '"client_secret_post"' },
    version: oidc.version,
  });
  expect(Object.keys(executor!.authSecrets)).toEqual(['client_secret']);
  expect(await item(executorNameKeyAsTyped(organizationId, oidc.name))).toBeUndefined();
  expect(await item(executorNameKey(organizationId, oidc.name))).toMatchObject({
    executorId: oidc.id,
    formatVersion: currentFormats.executorName,
  });
  expect(await item(executorNameKey(organizationId, 'acme pay'))).toMatchObject({
    executorId: holder.id,
    sharedWith: { [sharer.id]: 'Acme Pay' },
  });
  expect(await item(executorNameKeyAsTyped(organizationId, 'Acme Pay'))).toBeUndefined();
  for (const id of [holder.id, sharer.id])
    expect(await item(executorKey(organizationId, id))).toMatchObject({ nameShared: true });
  const working = await item(workflowKey(organizationId, workflow.id));
  expect(working).toMatchObject({
    formatVersion: currentFormats.workflow,
    uniqueName: workflow.id,
    llmApiBaseOrigin: 'https://llm.example.com',
    revision: workflow.revision,
  });
  expect(await item(workflowUniqueNameKey(organizationId, workflow.id))).toMatchObject({ workflowId: workflow.id });
  for (const stored of [working!, (await item(workflowVersionKey(organizationId, workflow.id, 1)))!]) {
    expect(JSON.parse(stored.fields.notification_settings)).toEqual({
      on_error: {
        webhook: [{ url: 'https://hooks.example.com/flowplane', headers: { Authorization: '********' } }],
        slack: [{ channels: ['#ops'], credentials: { token: '********' } }],
      },
    });
    const place = '/on_error/webhook/0/headers/Authorization';
    expect(
      await openSecret(
        stored.notificationSecrets[place],
        notificationSecretContext(organizationId, workflow.id, place),
      ),
    ).toBe(JSON.stringify('Bearer hook-s3cr3t'));
  }
  const snapshot = await item(workflowVersionKey(organizationId, workflow.id, 2));
  expect(snapshot).toMatchObject({ formatVersion: currentFormats.workflowVersion, deployedBy: 'earlier' });
  expect(snapshot!.fields.name).toBe(workflow.fields.name);
});

test('a second run changes nothing: every step is idempotent', async () => {
  // Prepare
  await earlierWorkflow(organizationId, 'Once');
  await migrateTable();
  // Act
  const again = await migrateTable();
  // Assess
  expect(again).toMatchObject({ status: 'complete', changed: 0, failed: 0, findings: [] });
  expect(again.seen).toBe(again.skipped);
});

test('a run stopped by its deadline saves where it stands, and the next one goes on from there', async () => {
  // Prepare
  for (let count = 0; count < 3; count += 1) await earlierWorkflow(organizationId, `Paged ${count}`);
  // Act
  const stopped = await migrateTable({ pageSize: 2, itemsPerSecond: 20, deadline: Date.now() + 150 });
  const resumed = await migrateTable({ pageSize: 2 });
  // Assess
  expect(stopped.status).toBe('stopped');
  expect(stopped.pages).toBeGreaterThan(0);
  expect(await item(migrationRunKey())).toMatchObject({ status: 'complete' });
  expect(resumed).toMatchObject({ status: 'complete', resumed: true, startedAt: stopped.startedAt, failed: 0 });
  expect(resumed.pages).toBeGreaterThan(stopped.pages);
  expect(resumed.changed).toBeGreaterThanOrEqual(9);
});

test('a run refuses to start while another one holds the table', async () => {
  // Prepare
  const run = (await item(migrationRunKey()))!;
  await getDocumentClient().send(
    new PutCommand({
      TableName: process.env.TABLE_NAME,
      Item: { ...run, status: 'running', updatedAt: new Date().toISOString() },
    }),
  );
  // Act
  const refused = migrateTable();
  // Assess
  await expect(refused).rejects.toBeInstanceOf(MigrationBusyError);
  await getDocumentClient().send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: run }));
});

test('an item written since it was read is not rewritten: the run reads it again', async () => {
  // Prepare
  const oidc = await earlierOidcExecutor(organizationId);
  const read = (await item(executorKey(organizationId, oidc.id)))!;
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: executorKey(organizationId, oidc.id),
      UpdateExpression: 'SET version = version + :one',
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
  // Act
  const written = await rewriteItem(read, { set: { secretsBoundTo: 'x' }, remove: [], formatVersion: 2 });
  const report = await migrateTable();
  // Assess
  expect(written).toBe(false);
  expect(report.failed).toBe(0);
  expect(await item(executorKey(organizationId, oidc.id))).toMatchObject({
    version: oidc.version + 1,
    formatVersion: currentFormats.executor,
    secretsBoundTo: 'oidc_client_credentials https://login.example.com',
  });
});

test('a throttled DynamoDB is waited out and counted', async () => {
  // Prepare
  const workflow = await earlierWorkflow(organizationId, 'Throttled');
  faults.proxy.inject({ kind: 'throttle', operations: ['Scan'], count: 4 });
  faults.proxy.inject({ kind: 'throttling', operations: ['UpdateItem'], count: 4 });
  // Act
  const report = await migrateTable({ backoffMs: 10 });
  // Assess
  expect(report).toMatchObject({ status: 'complete', failed: 0 });
  expect(report.throttled).toBeGreaterThanOrEqual(2);
  expect(await item(workflowKey(organizationId, workflow.id))).toMatchObject({
    formatVersion: currentFormats.workflow,
  });
});

test('npm run migrate runs it on the table it is given and prints the counts; a run holding the table makes it wait', async () => {
  // Prepare
  await earlierWorkflow(organizationId, 'By hand');
  const printed: string[] = [];
  const table = process.env.TABLE_NAME as string;
  // Act
  const code = await runMigrateCommand(['--table', table, '--page-size', '50'], (line) => printed.push(line));
  const run = (await item(migrationRunKey()))!;
  await getDocumentClient().send(
    new PutCommand({ TableName: table, Item: { ...run, status: 'running', updatedAt: new Date().toISOString() } }),
  );
  const busy = await runMigrateCommand(['--table', table], (line) => printed.push(line));
  await getDocumentClient().send(new PutCommand({ TableName: table, Item: run }));
  // Assess
  expect(code).toBe(0);
  expect(printed[0]).toMatch(/^migration complete: \d+ items seen, [1-9]\d* changed, \d+ skipped, 0 failed/);
  expect(busy).toBe(3);
  expect(printed.at(-1)).toMatch(/^another migration has been running since/);
});
