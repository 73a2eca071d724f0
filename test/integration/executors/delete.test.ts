/** DELETE /v1/executors/{id} through the real handler, against DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import { executorKey, executorNameKey } from '../../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../../support/api.js';
import {
  completeExecutorBody,
  createExecutor,
  deleteExecutor,
  getExecutor,
  setExecutorStatus,
} from '../../support/executors.js';

let org: Organization;

beforeAll(async () => {
  org = await newOrganization();
});

test('204, then 404 everywhere, and the name is free again', async () => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`gone-${randomUUID()}`))).body;
  // Act
  const deleted = await deleteExecutor(org, executor.id);
  // Assess
  expect(deleted.status).toBe(204);
  expect((await getExecutor(org, executor.id)).status).toBe(404);
  expect(await rawItem(executorNameKey(org.organizationId, executor.name))).toBeUndefined();
  expect((await deleteExecutor(org, executor.id)).body).toMatchObject({ code: 'FLK-0250' });
  expect((await createExecutor(org, completeExecutorBody(executor.name))).body.name).toBe(executor.name);
});

test.each(['tested', 'active'])('refused in %s with 422 FLK-0252', async (status) => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`keep-${randomUUID()}`))).body;
  await setExecutorStatus(org, executor.id, status);
  // Act
  const reply = await deleteExecutor(org, executor.id);
  // Assess
  expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
  expect(await rawItem(executorKey(org.organizationId, executor.id))).toBeDefined();
});

test('allowed when disabled', async () => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`off-${randomUUID()}`))).body;
  await setExecutorStatus(org, executor.id, 'disabled');
  // Act
  const reply = await deleteExecutor(org, executor.id);
  // Assess
  expect(reply.status).toBe(204);
});

test("another organization's executor is a 404 and stays", async () => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`mine-${randomUUID()}`))).body;
  const stranger = await newOrganization();
  // Act
  const reply = await deleteExecutor(stranger, executor.id);
  // Assess
  expect(reply.status).toBe(404);
  expect((await getExecutor(org, executor.id)).status).toBe(200);
});
