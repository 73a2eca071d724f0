/**
 * DELETE /v1/workflows/{workflow_id}/nodes/{node_id}?deploy= (issue 24) through the real
 * handler, against DynamoDB Local: a node removed and every edge to it scrubbed, deployed at
 * once by default or staged with deploy=false, a removal that would leave a node broken
 * refused with nothing written, 404s in xpander's words, If-Match, and the DynamoDB requests
 * it costs.
 */
import { randomUUID } from 'node:crypto';
import { workflowKey } from '../../../functions/store/keys.js';
import { countDynamoRequests, newOrganization, type Organization, rawItem } from '../../support/api.js';
import {
  createWorkflow,
  deployWorkflow,
  getWorkflow,
  patchWorkflow,
  removeWorkflowNode,
} from '../../support/workflows.js';

type Node = Record<string, unknown>;
const code = (id: string, next: string[] = [], extra: Node = {}): Node => ({
  type: 'code',
  id,
  definition: { code: 'x' },
  next_node_ids: next,
  ...extra,
});

let org: Organization;
beforeEach(async () => {
  org = await newOrganization();
});

/** A workflow whose graph, deployed as version 2, is `nodes` (and `extra` fields). */
async function workflowWith(nodes: Node[], extra: Node = {}): Promise<string> {
  const { body: created } = await createWorkflow(org, { name: `graph-${randomUUID()}` });
  const deployed = await patchWorkflow(org, created.id, { orchestration_nodes: nodes, ...extra }, { deploy: 'true' });
  expect(deployed.status).toBe(200);
  return created.id;
}

const edgesOf = (nodes: { id: string; next_node_ids: string[] }[]) =>
  Object.fromEntries(nodes.map((node) => [node.id, node.next_node_ids]));

test('a node three others point to: every edge to it scrubbed, a trigger too, deployed as version 3', async () => {
  // Prepare
  const id = await workflowWith(
    [code('a', ['hub', 'b']), code('b', ['hub']), code('c', ['hub']), code('hub', ['d']), code('d')],
    { source_nodes: [{ type: 'webhook', targets: ['hub'] }] },
  );
  // Act
  const removed = await removeWorkflowNode(org, id, 'hub');
  // Assess
  expect(removed.status).toBe(200);
  expect(edgesOf(removed.body)).toEqual({ a: ['b'], b: [], c: [], d: [] });
  const working = await getWorkflow(org, id);
  expect(removed.headers.etag).toBe(working.headers.etag);
  expect(working.body).toMatchObject({ version: 3, has_pending_changes: false });
  expect(working.body.source_nodes).toEqual([{ type: 'webhook', targets: [] }]);
  expect((await getWorkflow(org, id, { version: '3' })).body.orchestration_nodes).toHaveLength(4);
});

test('deploy=false stages the removal; PUT then deploys it as version 3', async () => {
  // Prepare
  const id = await workflowWith([code('a', ['b']), code('b')]);
  // Act
  const staged = await removeWorkflowNode(org, id, 'b', { deploy: 'false' });
  // Assess
  expect(edgesOf(staged.body)).toEqual({ a: [] });
  expect((await getWorkflow(org, id)).body).toMatchObject({ version: 2, has_pending_changes: true });
  expect((await getWorkflow(org, id, { version: '2' })).body.orchestration_nodes).toHaveLength(2);
  // Act
  const deployed = await deployWorkflow(org, id);
  // Assess
  expect(deployed.body).toMatchObject({ version: 3, has_pending_changes: false });
  expect(deployed.body.orchestration_nodes).toEqual([code('a')]);
});

test('a removal that would leave a node_pointer dangling is a 422 at the node id naming the pointer; nothing written', async () => {
  // Prepare
  const id = await workflowWith([
    code('draft', ['review']),
    code('review', ['again']),
    { type: 'node_pointer', id: 'again', name: 'Redo the draft', definition: { source_node_id: 'draft' } },
  ]);
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const refused = await removeWorkflowNode(org, id, 'draft');
  // Assess
  expect(refused.status).toBe(422);
  expect(refused.body.detail).toEqual([
    {
      type: 'value_error',
      loc: ['path', 'node_id'],
      msg: "Value error, removing it would leave node 'again' (Redo the draft) invalid: source_node_id must name another node of this list: 'draft'",
      input: 'draft',
    },
  ]);
  expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
});

test("an unknown node is 404 Node not found, an unknown workflow 404 Workflow not found; a node id's case counts", async () => {
  // Prepare
  const id = await workflowWith([code('Review')]);
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const unknown = await removeWorkflowNode(org, id, 'review');
  const missing = await removeWorkflowNode(org, randomUUID(), 'Review');
  // Assess
  expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Node not found' }]);
  expect([missing.status, missing.body]).toEqual([404, { detail: 'Workflow not found' }]);
  expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
  // Act
  const removed = await removeWorkflowNode(org, id.toUpperCase(), 'Review', { deploy: 'false' });
  // Assess
  expect([removed.status, removed.body]).toEqual([200, []]);
  expect((await rawItem(workflowKey(org.organizationId, id)))?.revision).toBe(Number(before?.revision) + 1);
});

test('a stale If-Match is a 412, nothing written', async () => {
  // Prepare
  const id = await workflowWith([code('a')]);
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const stale = await removeWorkflowNode(org, id, 'a', {}, { 'if-match': '"1"' });
  // Assess
  expect([stale.status, stale.body]).toEqual([
    412,
    { detail: 'The workflow changed since the version named in If-Match' },
  ]);
  expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
});

test('DynamoDB requests: a staged removal reads then writes (2), a deploying one reads then transacts (2), a missing node or a stale If-Match 1', async () => {
  // Prepare
  const id = await workflowWith([code('a', ['b']), code('b', ['c']), code('c')]);
  const counter = countDynamoRequests();
  try {
    counter.reset();
    // Act
    const staged = await removeWorkflowNode(org, id, 'c', { deploy: 'false' });
    // Assess
    expect(staged.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'UpdateItemCommand']);
    counter.reset();
    // Act
    const deployed = await removeWorkflowNode(org, id, 'b');
    // Assess
    expect(deployed.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    counter.reset();
    // Act
    const missing = await removeWorkflowNode(org, id, 'ghost');
    // Assess
    expect(missing.status).toBe(404);
    expect(counter.sent).toEqual(['GetItemCommand']);
    counter.reset();
    // Act
    const stale = await removeWorkflowNode(org, id, 'a', { deploy: 'false' }, { 'if-match': '"1"' });
    // Assess
    expect(stale.status).toBe(412);
    expect(counter.sent).toEqual(['GetItemCommand']);
  } finally {
    counter.stop();
  }
});
