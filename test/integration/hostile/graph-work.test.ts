/**
 * Issue 15, findings 1 and 2: the graph rules do work linear in nodes plus edges, report
 * each cycle once with a bounded description, and cap what one answer lists — so a
 * hostile graph gets a small 422 for a bounded price, and a large valid graph is cheap to
 * create and deploy. Budgets are CPU time and heap measured in this process around the
 * real handler, not wall-clock time.
 */
import { handler as createHandler } from '../../../functions/workflows/create.js';
import { handler as deployHandler } from '../../../functions/workflows/deploy.js';
import { invoke, newOrganization, restEvent } from '../../support/api.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;
let org: Org;
beforeAll(async () => {
  org = await newOrganization();
});

const id = (i: number) => `n${i}`;

/** A chain n0 → n1 → … in which every node also points back at up to `backEdges` earlier nodes. */
function cyclicGraph(nodes: number, backEdges: number) {
  return Array.from({ length: nodes }, (_, i) => ({
    type: 'code',
    id: id(i),
    definition: { code: 'x' },
    next_node_ids: [
      ...(i + 1 < nodes ? [id(i + 1)] : []),
      ...Array.from({ length: Math.min(backEdges, i) }, (_, k) => id(i - 1 - k)),
    ],
  }));
}

/** A valid DAG: each node points forward at up to `edges` later nodes. */
function wideDag(nodes: number, edges: number) {
  return Array.from({ length: nodes }, (_, i) => ({
    type: 'code',
    id: id(i),
    definition: { code: 'x' },
    next_node_ids: Array.from({ length: Math.min(edges, nodes - 1 - i) }, (_, k) => id(i + 1 + k)),
  }));
}

/** Runs `act` and reports the CPU time it took and how much the heap grew, in this process. */
async function measured<T>(act: () => Promise<T>): Promise<{ result: T; cpuMs: number; heapGrowthMb: number }> {
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const result = await act();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    result,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
  };
}

const post = (body: unknown) =>
  invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': org.apiKey }, body }),
  );

test.each([
  [300, 99],
  [100, 50],
])('%i nodes with %i back edges each: a small 422 for bounded CPU and memory', async (nodes, backEdges) => {
  // Prepare
  const body = { name: 'hostile', orchestration_nodes: cyclicGraph(nodes, backEdges) };
  // Act
  const { result: reply, cpuMs, heapGrowthMb } = await measured(() => post(body));
  // Assess
  expect(reply.status).toBe(422);
  const text = JSON.stringify(reply.body);
  expect(text.length).toBeLessThan(64 * 1024);
  expect(reply.body.detail).toHaveLength(101);
  expect(reply.body.detail[100]).toMatchObject({ type: 'value_error', loc: ['body'] });
  expect(reply.body.detail[100].msg).toMatch(/^Value error, and \d+ more problems not listed$/);
  for (const problem of reply.body.detail.slice(0, 100)) {
    expect(problem.msg.length).toBeLessThan(400);
  }
  expect(cpuMs).toBeLessThan(1_500);
  expect(heapGrowthMb).toBeLessThan(128);
});

test('a large valid graph (500 nodes, 60 edges each) is created and deployed for bounded CPU', async () => {
  // Prepare
  const body = { name: 'wide', orchestration_nodes: wideDag(500, 60) };
  // Act
  const created = await measured(() => post(body));
  const workflowId = created.result.body.id;
  const deployed = await measured(() =>
    invoke(
      deployHandler,
      restEvent({
        method: 'PUT',
        path: `/v1/workflows/${workflowId}`,
        pathParameters: { workflow_id: workflowId },
        headers: { 'x-api-key': org.apiKey },
      }),
    ),
  );
  // Assess
  expect(created.result.status).toBe(201);
  expect(deployed.result.status).toBe(200);
  expect(deployed.result.body.version).toBe(2);
  expect(created.cpuMs).toBeLessThan(1_500);
  expect(deployed.cpuMs).toBeLessThan(1_500);
});

test('500 nodes with 100 repeated edges each (finding 2): a small 422 naming the repeats, for bounded CPU', async () => {
  // Prepare
  const nodes = Array.from({ length: 500 }, (_, i) => ({
    type: 'code',
    id: id(i),
    definition: { code: 'x' },
    next_node_ids: i === 499 ? [] : Array(100).fill(id(499)),
  }));
  // Act
  const { result: reply, cpuMs } = await measured(() => post({ name: 'repeats', orchestration_nodes: nodes }));
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail[0]).toMatchObject({
    type: 'unique_items',
    loc: ['body', 'orchestration_nodes', 0, 'next_node_ids'],
  });
  // 100 problems listed (each echoing its 100-id list) and the count of the rest.
  expect(reply.body.detail).toHaveLength(101);
  expect(JSON.stringify(reply.body).length).toBeLessThan(128 * 1024);
  expect(cpuMs).toBeLessThan(1_500);
});
