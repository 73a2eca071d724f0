/**
 * POST /v1/workflows/{workflow_id}/nodes?deploy= (issue 24) through the real handler, against
 * DynamoDB Local: a node added and wired as xpander's node route does, deployed at once by
 * default or staged with deploy=false, the graph rules of a PATCH held (a cycle refused and
 * named, nothing written), If-Match and Idempotency-Key, the audit entry it makes, and what
 * it costs in DynamoDB requests.
 */
import { randomUUID } from 'node:crypto';
import { workflowKey } from '../../../functions/store/keys.js';
import { countDynamoRequests, newOrganization, type Organization, rawItem } from '../../support/api.js';
import { streamRecordsAbout } from '../../support/table-stream.js';
import { auditEntriesOf, runConsumers, useEventSink } from '../../support/streams.js';
import { addWorkflowNode, createWorkflow, getWorkflow, patchWorkflow } from '../../support/workflows.js';

type Node = Record<string, unknown>;
const code = (id: string, next: string[] = []): Node => ({
  type: 'code',
  id,
  definition: { code: 'x' },
  next_node_ids: next,
});

let org: Organization;
beforeEach(async () => {
  org = await newOrganization();
});

/** A workflow whose deployed graph (version 2) is the chain a -> b -> c. */
async function chainWorkflow(): Promise<string> {
  const { body: created } = await createWorkflow(org, { name: `chain-${randomUUID()}` });
  const deployed = await patchWorkflow(
    org,
    created.id,
    { orchestration_nodes: [code('a', ['b']), code('b', ['c']), code('c')] },
    { deploy: 'true' },
  );
  expect(deployed.body.version).toBe(2);
  return created.id;
}

const edgesOf = (nodes: { id: string; next_node_ids: string[] }[]) =>
  Object.fromEntries(nodes.map((node) => [node.id, node.next_node_ids]));

test('to the middle of a chain, deployed by default: a -> new -> b as version 3, answered as node summaries', async () => {
  // Prepare
  const id = await chainWorkflow();
  // Act
  const added = await addWorkflowNode(org, id, {
    name: 'Billing agent',
    agent_id: 'agent-billing',
    instructions: 'Answer billing questions',
    after_node_ids: ['a'],
    next_node_ids: ['b'],
  });
  // Assess
  expect(added.status).toBe(200);
  const fresh = added.body.at(-1);
  expect(fresh).toEqual({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    type: 'agent',
    name: 'Billing agent',
    next_node_ids: ['b'],
    asset_id: 'agent-billing',
    connection_id: null,
    operation_id: null,
    target_agent_id: 'agent-billing',
  });
  expect(edgesOf(added.body)).toEqual({ a: [fresh.id], b: ['c'], c: [], [fresh.id]: ['b'] });
  const working = await getWorkflow(org, id);
  expect(added.headers.etag).toBe(working.headers.etag);
  expect(working.body).toMatchObject({ version: 3, has_pending_changes: false, is_latest: true });
  expect(working.body.orchestration_nodes.at(-1)).toEqual({
    type: 'agent',
    id: fresh.id,
    name: 'Billing agent',
    next_node_ids: ['b'],
    definition: { asset_id: 'agent-billing', type: 'agent', instructions: 'Answer billing questions' },
  });
  expect((await getWorkflow(org, id, { version: '3' })).body.orchestration_nodes).toEqual(
    working.body.orchestration_nodes,
  );
});

test('an action node with after_node_ids and next_node_ids at once, staged (deploy=false): version unchanged', async () => {
  // Prepare
  const id = await chainWorkflow();
  // Act
  const added = await addWorkflowNode(
    org,
    id,
    {
      name: 'Notify',
      connection_id: 'slack-main',
      operation_id: 'chat_postMessage',
      after_node_ids: ['a', 'b'],
      next_node_ids: ['c'],
    },
    { deploy: 'false' },
  );
  // Assess
  expect(added.status).toBe(200);
  const fresh = added.body.at(-1);
  expect(fresh).toMatchObject({
    type: 'action',
    asset_id: 'slack-main:chat_postMessage',
    connection_id: 'slack-main',
    operation_id: 'chat_postMessage',
    target_agent_id: null,
  });
  // a keeps its edge to b and gets one to the new node; b's edge to c becomes b -> new -> c.
  expect(edgesOf(added.body)).toEqual({ a: ['b', fresh.id], b: [fresh.id], c: [], [fresh.id]: ['c'] });
  const working = await getWorkflow(org, id);
  expect(working.body).toMatchObject({ version: 2, has_pending_changes: true });
  expect((await getWorkflow(org, id, { version: '2' })).body.orchestration_nodes).toHaveLength(3);
});

test('one that would close a cycle is a 422 naming the cycle, and nothing is written', async () => {
  // Prepare
  const id = await chainWorkflow();
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const refused = await addWorkflowNode(org, id, {
    name: 'Loop back',
    advanced: { type: 'code', id: 'back', definition: { code: 'y' } },
    after_node_ids: ['c'],
    next_node_ids: ['a'],
  });
  // Assess
  expect(refused.status).toBe(422);
  expect(refused.body.detail).toEqual([
    {
      type: 'value_error',
      loc: ['body', 'after_node_ids', 0],
      msg: 'Value error, the graph has a cycle: back (Loop back) -> a -> b -> c -> back (Loop back)',
      input: 'c',
    },
  ]);
  expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
});

test('a body that names no node, or two kinds of one, is a 422 before any DynamoDB request', async () => {
  // Prepare
  const id = await chainWorkflow();
  const counter = countDynamoRequests();
  try {
    // Act
    const none = await addWorkflowNode(org, id, { name: 'x', next_node_ids: ['a'] });
    const both = await addWorkflowNode(org, id, { name: 'x', agent_id: 'a', connection_id: 'c', operation_id: 'o' });
    // Assess
    expect(none.status).toBe(422);
    expect(none.body.detail).toEqual([
      {
        type: 'missing',
        loc: ['body'],
        msg: 'Field required: an action node needs connection_id and operation_id, an agent node agent_id, any other node advanced',
      },
    ]);
    expect(both.status).toBe(422);
    expect(both.body.detail.map((d: { loc: unknown }) => d.loc)).toEqual([['body', 'agent_id']]);
    expect(counter.sent).toEqual([]);
  } finally {
    counter.stop();
  }
});

test('concurrent adds with the same If-Match: one lands, the other is a 412; without If-Match both land', async () => {
  // Prepare
  const id = await chainWorkflow();
  const etag = (await getWorkflow(org, id)).headers.etag;
  const node = (name: string) => ({ name, agent_id: `agent-${name}`, after_node_ids: ['c'] });
  // Act
  const guarded = await Promise.all(
    ['one', 'two'].map((name) => addWorkflowNode(org, id, node(name), { deploy: 'false' }, { 'if-match': etag })),
  );
  const unguarded = await Promise.all(
    ['three', 'four', 'five'].map((name) => addWorkflowNode(org, id, node(name), { deploy: 'false' })),
  );
  // Assess
  expect(guarded.map((reply) => reply.status).sort()).toEqual([200, 412]);
  expect(guarded.find((reply) => reply.status === 412)?.body).toEqual({
    detail: 'The workflow changed since the version named in If-Match',
  });
  expect(unguarded.map((reply) => reply.status)).toEqual([200, 200, 200]);
  const nodes = (await getWorkflow(org, id)).body.orchestration_nodes as Node[];
  const added = nodes.slice(3);
  const winner = guarded.find((reply) => reply.status === 200)?.body.at(-1).name;
  expect(added.map((each) => each.name).sort()).toEqual([winner, 'five', 'four', 'three'].sort());
  expect(nodes.find((each) => each.id === 'c')?.next_node_ids).toEqual(added.map((each) => each.id));
});

test('an Idempotency-Key makes a repeat get the first answer: the node is added once', async () => {
  // Prepare
  const id = await chainWorkflow();
  const key = { 'idempotency-key': `add-${randomUUID()}` };
  const body = { name: 'Once', agent_id: 'agent-once', after_node_ids: ['c'] };
  // Act
  const first = await addWorkflowNode(org, id, body, {}, key);
  const repeat = await addWorkflowNode(org, id, body, {}, key);
  // Assess
  expect(repeat.status).toBe(200);
  expect(repeat.body).toEqual(first.body);
  expect(repeat.headers.etag).toBe(first.headers.etag);
  expect((await getWorkflow(org, id)).body).toMatchObject({ version: 3 });
  expect((await getWorkflow(org, id)).body.orchestration_nodes).toHaveLength(4);
});

test('DynamoDB requests: a staged add reads then writes (2), a deploying one reads then transacts (2), a missing workflow or a refused graph 1', async () => {
  // Prepare
  const id = await chainWorkflow();
  const counter = countDynamoRequests();
  try {
    counter.reset();
    // Act
    const staged = await addWorkflowNode(
      org,
      id,
      { name: 's', agent_id: 'a', after_node_ids: ['c'] },
      { deploy: 'false' },
    );
    // Assess
    expect(staged.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'UpdateItemCommand']);
    counter.reset();
    // Act
    const deployed = await addWorkflowNode(org, id, { name: 'd', agent_id: 'a' });
    // Assess
    expect(deployed.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    counter.reset();
    // Act
    const missing = await addWorkflowNode(org, randomUUID(), { name: 'm', agent_id: 'a' });
    // Assess
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Workflow not found' });
    expect(counter.sent).toEqual(['GetItemCommand']);
    counter.reset();
    // Act
    const cycle = await addWorkflowNode(org, id, {
      name: 'c',
      agent_id: 'a',
      after_node_ids: ['c'],
      next_node_ids: ['a'],
    });
    // Assess
    expect(cycle.status).toBe(422);
    expect(counter.sent).toEqual(['GetItemCommand']);
  } finally {
    counter.stop();
  }
});

test('the audit entry of a node added reads as a workflow change: orchestration_nodes, before and after', async () => {
  // Prepare
  useEventSink();
  const { body: created } = await createWorkflow(org, { name: `audited-${randomUUID()}` });
  const added = await addWorkflowNode(org, created.id, { name: 'First', agent_id: 'agent-1' }, { deploy: 'false' });
  expect(added.status).toBe(200);
  // Working copy: INSERT, MODIFY; snapshot 1: INSERT.
  const records = await streamRecordsAbout(org.organizationId, created.id, 3);
  // Act
  await runConsumers(records);
  // Assess
  const entries = await auditEntriesOf(org.organizationId, created.id);
  const updated = entries.find((entry) => entry.action === 'updated');
  expect(updated?.changedFields).toEqual(['hasPendingChanges', 'orchestration_nodes']);
  expect(updated?.changes.orchestration_nodes.from).toBeUndefined();
  expect(updated?.changes.orchestration_nodes.to).toEqual([
    {
      type: 'agent',
      id: added.body[0].id,
      name: 'First',
      next_node_ids: [],
      definition: { asset_id: 'agent-1', type: 'agent' },
    },
  ]);
});
