/**
 * The executor state machine's routes (POST /v1/executors/{id}/activate, /disable,
 * /enable) through the real handlers, against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { executorKey } from '../../../functions/store/keys.js';
import { countDynamoRequests, newOrganization, type Organization, rawItem } from '../../support/api.js';
import {
  activateExecutor,
  completeExecutorBody,
  createExecutor,
  disableExecutor,
  enableExecutor,
  getExecutor,
  setExecutorStatus,
} from '../../support/executors.js';

let org: Organization;

beforeAll(async () => {
  org = await newOrganization();
});

test('tested → active → disabled → active, each one conditional write', async () => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`sm-${randomUUID()}`))).body;
  await setExecutorStatus(org, executor.id, 'tested');
  await getExecutor(org, executor.id);
  const counter = countDynamoRequests();
  try {
    const steps = [activateExecutor, disableExecutor, enableExecutor];
    const expected = ['active', 'disabled', 'active'];
    for (const [i, step] of steps.entries()) {
      counter.reset();
      // Act
      const reply = await step(org, executor.id);
      // Assess (the helper checks the reply against the contract's schema)
      expect(reply.body.status).toBe(expected[i]);
      expect(counter.sent).toEqual(['UpdateItemCommand']);
    }
  } finally {
    counter.stop();
  }
});

test.each([
  ['activate', 'configured', activateExecutor],
  ['disable', 'tested', disableExecutor],
  ['enable', 'active', enableExecutor],
  ['activate', 'unconfigured', activateExecutor],
])('%s from %s → 422 FLK-0252 naming the status', async (_action, status, step) => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`bad-${randomUUID()}`))).body;
  await setExecutorStatus(org, executor.id, status);
  const before = await rawItem(executorKey(org.organizationId, executor.id));
  // Act
  const reply = await step(org, executor.id);
  // Assess
  expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252', message: expect.stringContaining(status) } });
  expect(await rawItem(executorKey(org.organizationId, executor.id))).toEqual(before);
});

test('a missing executor → 404; a stale If-Match → 412', async () => {
  // Prepare
  const executor = (await createExecutor(org, completeExecutorBody(`etag-${randomUUID()}`))).body;
  await setExecutorStatus(org, executor.id, 'tested');
  // Act
  const missing = await activateExecutor(org, randomUUID());
  const stale = await activateExecutor(org, executor.id, { 'If-Match': '"99"' });
  // Assess
  expect(missing.status).toBe(404);
  expect(stale.status).toBe(412);
});
