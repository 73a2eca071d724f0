/** GET /v1/workflows/{workflow_id}/versions through the real handler, against DynamoDB Local. */
import { newOrganization } from '../../support/api.js';
import { createWorkflow, deployWorkflow, patchWorkflow, seedNode, workflowVersions } from '../../support/workflows.js';

test('lists every version newest first, only the live one is_latest, paged by an opaque next', async () => {
  // Prepare: version 1 (create), 2 (deploy), 3 (roll back to 1).
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org, {
    name: 'original',
    llm_credentials: { name: 'k', value: 'first-secret-value' },
  });
  await patchWorkflow(org, created.id, { name: 'second', orchestration_nodes: [seedNode()], llm_credentials: null });
  await deployWorkflow(org, created.id);
  await patchWorkflow(org, created.id, { name: 'staged, then discarded' });
  await deployWorkflow(org, created.id, { from_version: '1' });
  // Act
  const history = await workflowVersions(org, created.id);
  const page = await workflowVersions(org, created.id, { limit: '2' });
  const rest = await workflowVersions(org, created.id, { limit: '2', next: page.body.next });
  const exact = await workflowVersions(org, created.id, { limit: '3' });
  // Assess
  expect(history.body.items.map((v: { version: number; is_latest: boolean }) => [v.version, v.is_latest])).toEqual([
    [3, true],
    [2, false],
    [1, false],
  ]);
  expect(page.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
  expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
  expect(rest.body.next).toBeNull();
  expect(exact.body.next).toBeNull();
});
