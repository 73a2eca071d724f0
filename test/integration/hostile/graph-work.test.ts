/**
 * Issue 15, findings 1 and 2: the graph rules do work linear in nodes plus edges, report
 * each cycle once with a bounded description, and cap what one answer lists — so a
 * hostile graph gets a small 422 for a bounded price, and a large valid graph is cheap to
 * create and deploy. The answers come from the real handlers; the price is counted, not
 * timed: the reads the rules (or the schema validator) make of the graph and what they
 * build, at two sizes of input. Linear work grows in step with nodes plus edges; work
 * quadratic in them would grow as fast again.
 */
import { validators } from '#validators';
import { graphViolations, type NodeInput } from '../../../functions/domain/workflow/rules.js';
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

/** `nodes` behind proxies that count every read made of them: of the list, of each node, of each edge list. */
function watched(nodes: NodeInput[]): { nodes: NodeInput[]; reads: () => number } {
  let reads = 0;
  const watch = <T extends object>(target: T): T =>
    new Proxy(target, {
      get: (object, key, receiver) => {
        reads += 1;
        return Reflect.get(object, key, receiver) as unknown;
      },
    });
  return {
    nodes: watch(nodes.map((node) => watch({ ...node, next_node_ids: watch([...(node.next_node_ids ?? [])]) }))),
    reads: () => reads,
  };
}

/** Nodes plus edges. */
const sizeOf = (nodes: NodeInput[]) => nodes.reduce((size, node) => size + 1 + (node.next_node_ids?.length ?? 0), 0);

/** What the graph rules do with `nodes`: their reads of the graph, and the violations they build (count, JSON size). */
function ruleWork(nodes: NodeInput[]) {
  const graph = watched(nodes);
  const violations = graphViolations(graph.nodes, ['body', 'orchestration_nodes']);
  return {
    size: sizeOf(nodes),
    reads: graph.reads(),
    violations: violations.length,
    built: JSON.stringify(violations).length,
  };
}

/**
 * How much faster than the input a measure grew from `small` to `large`: about 1 (or
 * less) for linear work, about the growth of the input itself for quadratic work.
 */
const growthBeyondInput = <W extends { size: number }>(small: W, large: W, measure: (work: W) => number) =>
  measure(large) / measure(small) / (large.size / small.size);

/** Each node's back edges: each closes one cycle. */
const backEdges = (nodes: number, backEdgesEach: number) =>
  Array.from({ length: nodes }, (_, i) => Math.min(backEdgesEach, i)).reduce((sum, count) => sum + count, 0);

const post = (body: unknown) =>
  invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': org.apiKey }, body }),
  );

test.each([
  [300, 99],
  [100, 50],
])('%i nodes with %i back edges each: a small 422', async (nodes, backEdgesEach) => {
  // Prepare
  const body = { name: 'hostile', orchestration_nodes: cyclicGraph(nodes, backEdgesEach) };
  // Act
  const reply = await post(body);
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
});

test('back edges: each cycle reported once, and the rules read and build in step with nodes plus edges', () => {
  // Act: twice the nodes, twice the back edges each (four times the edges, cycles twice as long)
  const small = ruleWork(cyclicGraph(150, 50));
  const large = ruleWork(cyclicGraph(300, 100));
  // Assess
  expect([small.violations, large.violations]).toEqual([backEdges(150, 50), backEdges(300, 100)]);
  expect(growthBeyondInput(small, large, (work) => work.reads)).toBeLessThan(1.25);
  expect(growthBeyondInput(small, large, (work) => work.built)).toBeLessThan(1.25);
});

test('a large valid graph (500 nodes, 60 edges each) is created and deployed', async () => {
  // Prepare
  const body = { name: 'wide', orchestration_nodes: wideDag(500, 60) };
  // Act
  const created = await post(body);
  const workflowId = created.body.id;
  const deployed = await invoke(
    deployHandler,
    restEvent({
      method: 'PUT',
      path: `/v1/workflows/${workflowId}`,
      pathParameters: { workflow_id: workflowId },
      headers: { 'x-api-key': org.apiKey },
    }),
  );
  // Assess
  expect(created.status).toBe(201);
  expect(deployed.status).toBe(200);
  expect(deployed.body.version).toBe(2);
});

test('a valid graph: the rules read it in step with nodes plus edges', () => {
  // Act: twice the nodes, twice the edges each
  const small = ruleWork(wideDag(250, 30));
  const large = ruleWork(wideDag(500, 60));
  // Assess
  expect([small.violations, large.violations]).toEqual([0, 0]);
  expect(growthBeyondInput(small, large, (work) => work.reads)).toBeLessThan(1.25);
});

/** 500 nodes, each but the last pointing `repeats` times at the last. */
const repeatedEdges = (repeats: number) =>
  Array.from({ length: 500 }, (_, i) => ({
    type: 'code',
    id: id(i),
    definition: { code: 'x' },
    next_node_ids: i === 499 ? [] : Array<string>(repeats).fill(id(499)),
  }));

test('500 nodes with 100 repeated edges each (finding 2): a small 422 naming the repeats', async () => {
  // Act
  const reply = await post({ name: 'repeats', orchestration_nodes: repeatedEdges(100) });
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail[0]).toMatchObject({
    type: 'unique_items',
    loc: ['body', 'orchestration_nodes', 0, 'next_node_ids'],
  });
  // 100 problems listed (each echoing its 100-id list) and the count of the rest.
  expect(reply.body.detail).toHaveLength(101);
  expect(JSON.stringify(reply.body).length).toBeLessThan(128 * 1024);
});

test('repeated edges: the schema refuses them, reading the graph in step with its edges', () => {
  // Prepare
  const validate = validators.CreateWorkflowRequest;
  const measured = (repeats: number) => {
    const graph = watched(repeatedEdges(repeats));
    const valid = validate({ name: 'repeats', orchestration_nodes: graph.nodes });
    return { size: sizeOf(repeatedEdges(repeats)), reads: graph.reads(), valid, errors: validate.errors?.length };
  };
  // Act: twice the repeats
  const small = measured(50);
  const large = measured(100);
  // Assess
  expect([small.valid, large.valid]).toEqual([false, false]);
  expect([small.errors, large.errors]).toEqual([499, 499]);
  expect(growthBeyondInput(small, large, (work) => work.reads)).toBeLessThan(1.25);
});
