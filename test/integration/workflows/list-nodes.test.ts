/**
 * GET /v1/workflows/{workflow_id}/nodes (issue 24) through the real handler, against DynamoDB
 * Local: the working copy's nodes as xpander's node summaries, staged changes included, its
 * revision as the ETag; 404 for a workflow that is not there; one DynamoDB request.
 */
import { randomUUID } from 'node:crypto';
import { countDynamoRequests, newOrganization } from '../../support/api.js';
import { createWorkflow, getWorkflow, listWorkflowNodes, patchWorkflow } from '../../support/workflows.js';

test("the working copy's nodes in order, summarized, staged ones included; the ETag is the working copy's", async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org, { name: 'listed' });
  await patchWorkflow(org, created.id, {
    orchestration_nodes: [
      {
        type: 'classifier',
        id: 'triage',
        name: 'Triage',
        next_node_ids: ['send', 'ask'],
        definition: { groups: [{ id: 'billing' }, { id: 'other' }] },
      },
      {
        type: 'action',
        id: 'send',
        definition: { asset_id: 'crm-1:create_ticket', type: 'action' },
        condition: { type: 'else', group_id: 'billing' },
      },
      {
        type: 'agent',
        id: 'ask',
        definition: { asset_id: 'agent-9', type: 'agent' },
        condition: { type: 'else', group_id: 'other' },
      },
    ],
  });
  // Act
  const listed = await listWorkflowNodes(org, created.id);
  // Assess
  expect(listed.status).toBe(200);
  expect(listed.headers.etag).toBe((await getWorkflow(org, created.id)).headers.etag);
  expect(listed.body).toEqual([
    {
      id: 'triage',
      type: 'classifier',
      name: 'Triage',
      next_node_ids: ['send', 'ask'],
      asset_id: null,
      connection_id: null,
      operation_id: null,
      target_agent_id: null,
    },
    {
      id: 'send',
      type: 'action',
      name: null,
      next_node_ids: [],
      asset_id: 'crm-1:create_ticket',
      connection_id: 'crm-1',
      operation_id: 'create_ticket',
      target_agent_id: null,
    },
    {
      id: 'ask',
      type: 'agent',
      name: null,
      next_node_ids: [],
      asset_id: 'agent-9',
      connection_id: null,
      operation_id: null,
      target_agent_id: 'agent-9',
    },
  ]);
});

test('a workflow without nodes lists []; a missing one is 404 Workflow not found; one DynamoDB request each', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org, { name: 'empty' });
  const counter = countDynamoRequests();
  try {
    counter.reset();
    // Act
    const empty = await listWorkflowNodes(org, created.id);
    const missing = await listWorkflowNodes(org, randomUUID());
    // Assess
    expect([empty.status, empty.body]).toEqual([200, []]);
    expect([missing.status, missing.body]).toEqual([404, { detail: 'Workflow not found' }]);
    expect(counter.sent).toEqual(['GetItemCommand', 'GetItemCommand']);
  } finally {
    counter.stop();
  }
});
