/**
 * Items written before 0.3.0, on DynamoDB Local, and what the routes make of them before and
 * after the backfill steps reach them (functions/store/index-backfill.ts): executors and
 * name claims without their 0.3.0 index keys, audit entries without `eventId` and index
 * keys, made by writing through today's handlers and writer and removing what 0.3.0 added
 * (0.2.0 wrote those items exactly so otherwise: docs/upgrading.md, on the upgrade branch).
 * The steps' results are written as the migration is to write them: only the added
 * attributes, on condition the first is still absent.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { migrationSteps } from '../../functions/migrations/steps.js';
import { auditPartition, executorKey, executorNameKey } from '../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../support/api.js';
import { auditResources, getAuditEvent, listAuditEvents, verifyAuditEvent } from '../support/audit.js';
import { completeExecutorBody, createExecutor, listExecutors, patchExecutor } from '../support/executors.js';

type Key = { pk: string; sk: string };

/** Removes attributes from an item, as an earlier release never wrote them. */
async function remove(key: Key, names: string[]): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `REMOVE ${names.map((_, index) => `#n${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#n${index}`, name])),
    }),
  );
}

/** The migration's index step of an item's kind (functions/migrations/steps.ts). */
const indexStepOf = (entity: unknown) =>
  migrationSteps.find((step) => step.kind === entity && step.name.endsWith('-index'));

/** Runs its kind's index step on an item and writes what the step added; the names written. */
async function backfill(key: Key): Promise<string[]> {
  const item = (await rawItem(key))!;
  const upgraded = (await indexStepOf(item.entity)?.apply(item))?.set;
  if (!upgraded) return [];
  const added = Object.keys(upgraded);
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${added.map((_, index) => `#a${index} = :a${index}`).join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#a0)',
      ExpressionAttributeNames: Object.fromEntries(added.map((name, index) => [`#a${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(added.map((name, index) => [`:a${index}`, upgraded[name]])),
    }),
  );
  return added.sort();
}

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

test('executors from before are listed by creation at once, by last change and name once the backfill reached them', async () => {
  // Prepare
  const names = ['Charlie', 'alpha', 'Bravo'];
  const ids: string[] = [];
  for (const name of names) ids.push((await createExecutor(org, { name })).body.id);
  for (const [index, id] of ids.entries()) {
    await remove(executorKey(org.organizationId, id), ['gsi2pk', 'gsi2sk']);
    await remove(executorNameKey(org.organizationId, names[index]), ['gsi1pk', 'gsi1sk']);
  }
  const listed = async () =>
    Promise.all(
      ['createdAt', 'updatedAt', 'name'].map(async (sortBy) =>
        (await listExecutors(org, { sortBy, sortOrder: 'ASC' })).body.items.map((e: { name: string }) => e.name),
      ),
    );
  // Act
  const before = await listed();
  const written = [];
  for (const [index, id] of ids.entries()) {
    written.push(await backfill(executorKey(org.organizationId, id)));
    written.push(await backfill(executorNameKey(org.organizationId, names[index])));
  }
  const after = await listed();
  const again = await backfill(executorKey(org.organizationId, ids[0]));
  // Assess
  expect(before).toEqual([names, [], []]);
  expect(written).toEqual(
    Array(3)
      .fill([
        ['gsi2pk', 'gsi2sk'],
        ['gsi1pk', 'gsi1sk'],
      ])
      .flat(),
  );
  expect(after).toEqual([names, names, ['alpha', 'Bravo', 'Charlie']]);
  expect(again).toEqual([]);
});

test('audit entries from before: in their chain with the eventId derived from their place, verifiable; in the feed and found by eventId once the backfill reached them, as they would have been written today', async () => {
  // Prepare
  const id = (await createExecutor(org, { name: 'Audited before' })).body.id;
  await patchExecutor(org, id, completeExecutorBody('Audited before'));
  await auditResources(org, [{ id, count: 3 }]);
  const { Items: today = [] } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditPartition(org.organizationId, id) },
    }),
  );
  const keys = today.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  const chain = (await listAuditEvents(org, { resourceId: id, sortOrder: 'ASC' })).body.items;
  for (const key of keys) await remove(key, ['eventId', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);
  // Act
  const beforeChain = (await listAuditEvents(org, { resourceId: id, sortOrder: 'ASC' })).body.items;
  const beforeFeed = (await listAuditEvents(org, { sortOrder: 'ASC' })).body.items;
  const beforeById = await getAuditEvent(org, chain[1].eventId);
  const beforeByPlace = await getAuditEvent(org, `${id}.2`);
  const beforeVerified = await verifyAuditEvent(org, `${id}.2`);
  for (const key of keys) await backfill(key);
  const afterItems = await Promise.all(keys.map((key) => rawItem(key)));
  const afterFeed = (await listAuditEvents(org, { sortOrder: 'ASC' })).body.items;
  const afterById = await getAuditEvent(org, chain[1].eventId);
  const afterVerified = await verifyAuditEvent(org, chain[1].eventId);
  // Assess
  expect(beforeChain).toEqual(chain);
  expect(beforeFeed).toEqual([]);
  expect([beforeById.status, beforeById.body.code]).toEqual([404, 'FLK-0600']);
  expect(beforeByPlace.body).toEqual(chain[1]);
  expect(beforeVerified.body).toMatchObject({ isValid: true, totalChecked: 2 });
  expect(afterItems).toEqual(today);
  expect(afterFeed).toEqual(chain);
  expect(afterById.body).toEqual(chain[1]);
  expect(afterVerified.body).toMatchObject({ isValid: true, totalChecked: 2, eventId: chain[1].eventId });
});
