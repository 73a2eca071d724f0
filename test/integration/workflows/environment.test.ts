/**
 * Issue 12: `environment_id` is always a string — the organization's default environment
 * (`default`) unless set; a PATCH sets it to a non-empty string, and `null` returns it to
 * the default. Through the real handlers, against DynamoDB Local.
 */
import { workflowKey } from '../../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../../support/api.js';
import { createWorkflow, getWorkflow, listWorkflows, patchWorkflow } from '../../support/workflows.js';

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

test('unset, it is the default environment in every answer', async () => {
  // Act
  const created = await createWorkflow(org, { name: 'env' });
  const read = await getWorkflow(org, created.body.id);
  const version1 = await getWorkflow(org, created.body.id, { version: '1' });
  const listed = await listWorkflows(org);
  // Assess
  expect([created, read, version1].map((reply) => reply.body.environment_id)).toEqual([
    'default',
    'default',
    'default',
  ]);
  expect(listed.body.items.every((item: { environment_id: unknown }) => typeof item.environment_id === 'string')).toBe(
    true,
  );
});

test('a PATCH sets it; null resets it to the default; created with one, it shows that one', async () => {
  // Prepare
  const { body: created } = await createWorkflow(org, { name: 'env' });
  // Act
  const set = await patchWorkflow(org, created.id, { environment_id: 'production' });
  const reset = await patchWorkflow(org, created.id, { environment_id: null });
  const createdWith = await createWorkflow(org, { name: 'env', environment_id: 'staging' });
  // Assess
  expect(set.body.environment_id).toBe('production');
  expect(reset.body.environment_id).toBe('default');
  expect((await rawItem(workflowKey(org.organizationId, created.id)))?.fields.environment_id).toBeUndefined();
  expect(createdWith.body.environment_id).toBe('staging');
});

test('an empty environment_id is 422 and nothing is written', async () => {
  // Prepare
  const { body: created } = await createWorkflow(org, { name: 'env', environment_id: 'staging' });
  const before = await rawItem(workflowKey(org.organizationId, created.id));
  // Act
  const reply = await patchWorkflow(org, created.id, { environment_id: '' });
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail).toEqual([
    expect.objectContaining({ type: 'string_too_short', loc: ['body', 'environment_id'] }),
  ]);
  expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
});
