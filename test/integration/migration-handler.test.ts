/**
 * The migration's Lambda entry as the stack's custom resource calls it (through the CDK
 * provider framework, infra/constructs/migration.ts), on a table of its own: a Create or
 * Update runs the migration and answers the counts, a run that stops before the end of the
 * table or fails on an item throws (which fails the deploy), and a Delete (a rollback to a
 * release without the migration) changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { currentFormats } from '../../functions/domain/formats.js';
import { handler } from '../../functions/migrations/migrate.js';
import { getDocumentClient } from '../../functions/store/client.js';
import { executorKey } from '../../functions/store/keys.js';
import { readItem } from '../../functions/store/migration.js';
import { lambdaContext } from '../../scripts/local/proxy-event.js';
import { ensureTable } from '../../scripts/local/table.js';
import { earlierOidcExecutor, earlierWorkflow } from '../support/earlier-items.js';

const suiteTable = process.env.TABLE_NAME;
const organizationId = `migration-handler-${randomUUID()}`;
/** The whole of the function's timeout, as Lambda gives it. */
const fullRun = () => lambdaContext('migrateTable', 840_000);
/** Less than the minute the handler keeps for the run's end: the run stops before its first page. */
const tooShort = () => lambdaContext('migrateTable', 30_000);
const customResource = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  PhysicalResourceId: RequestType === 'Create' ? undefined : 'flowplane-migration',
});

beforeAll(async () => {
  process.env.TABLE_NAME = `migration-handler-${randomUUID()}`;
  await ensureTable(process.env.DYNAMODB_ENDPOINT as string, process.env.TABLE_NAME);
});

afterAll(() => {
  process.env.TABLE_NAME = suiteTable;
});

test('a run that stops before the end of the table throws, so the deploy fails, and rewrites nothing', async () => {
  // Prepare
  const executor = await earlierOidcExecutor(organizationId);
  // Act
  const stopped = handler(customResource('Create'), tooShort());
  // Assess
  await expect(stopped).rejects.toThrow(/migration stopped before the end of the table/);
  expect(await readItem(executorKey(organizationId, executor.id))).not.toHaveProperty('formatVersion');
});

test('a Create or Update runs the migration to the end and answers its counts as the resource attributes', async () => {
  // Prepare
  const workflow = await earlierWorkflow(organizationId, 'Handler');
  // Act
  const created = await handler(customResource('Create'), fullRun());
  await earlierWorkflow(organizationId, 'Handler again');
  const updated = await handler(customResource('Update'), fullRun());
  // Assess
  expect(created.PhysicalResourceId).toBe('flowplane-migration');
  expect(created.Data).toMatchObject({ status: 'complete', failed: 0, findings: 0 });
  expect(created.Data!.changed).toBeGreaterThanOrEqual(3);
  expect(updated).toMatchObject({ PhysicalResourceId: 'flowplane-migration', Data: { status: 'complete' } });
  expect(updated.Data!.changed).toBeGreaterThanOrEqual(1);
  expect(await readItem({ pk: String(workflow.pk), sk: String(workflow.sk) })).toMatchObject({
    formatVersion: currentFormats.workflow,
  });
});

test('a Delete changes nothing: an item of an earlier format stays as it is', async () => {
  // Prepare
  const executor = await earlierOidcExecutor(organizationId);
  // Act
  const deleted = await handler(customResource('Delete'), fullRun());
  // Assess
  expect(deleted).toEqual({ PhysicalResourceId: 'flowplane-migration' });
  expect(await readItem(executorKey(organizationId, executor.id))).toEqual(executor);
});

test('a run that fails on an item throws, so the deploy fails, and leaves the item as it was', async () => {
  // Prepare
  const executor = await earlierOidcExecutor(organizationId);
  const broken = {
    ...executor,
    authSecrets: { ...executor.authSecrets, token_endpoint_auth_method: 'enc:v1:not-a-sealed-value' },
  };
  await getDocumentClient().send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: broken }));
  // Act
  const failed = handler(customResource('Update'), fullRun());
  // Assess
  await expect(failed).rejects.toThrow(/migration failed on 1 item\(s\)/);
  expect(await readItem(executorKey(organizationId, executor.id))).toEqual(broken);
});
