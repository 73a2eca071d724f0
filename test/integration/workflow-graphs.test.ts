/**
 * orchestration_nodes validation, table-driven, through the real PATCH handler: every
 * invalid graph is a 422 naming the offending location, and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../functions/workflows/create.js';
import { handler as updateHandler } from '../../functions/workflows/update.js';
import { workflowKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../support/api.js';
import { assertWorkflowReply } from '../support/schemas.js';

type Node = Record<string, unknown>;
const code = (id: string, next: string[] = [], extra: Node = {}): Node => ({ type: 'code', id, definition: { code: 'x' }, next_node_ids: next, ...extra });
const classifier = (id: string, next: string[], groups: string[]): Node => ({
  type: 'classifier',
  id,
  next_node_ids: next,
  definition: { groups: groups.map((g) => ({ id: g, name: g, evaluation_criteria: `is ${g}` })) },
});
const guardrail = (id: string, next: string[], groups = ['pass', 'fail']): Node => ({
  type: 'guardrail',
  id,
  next_node_ids: next,
  definition: { groups: groups.map((g) => ({ id: g })) },
});
const parallel = (id: string, nodes: Node[], next: string[] = []): Node => ({ type: 'parallel', id, next_node_ids: next, definition: { nodes } });

/** [label, nodes, expected location (after `body`), expected message fragment]. */
const invalidGraphs: [string, Node[], (string | number)[], string][] = [
  ['self-loop', [code('a', ['a'])], ['orchestration_nodes', 0, 'next_node_ids', 0], 'cycle: a -> a'],
  ['two-node cycle', [code('a', ['b']), code('b', ['a'])], ['orchestration_nodes', 1, 'next_node_ids', 0], 'cycle: a -> b -> a'],
  [
    'long cycle',
    [code('a', ['b']), code('b', ['c']), code('c', ['d']), code('d', ['e']), code('e', ['b'])],
    ['orchestration_nodes', 4, 'next_node_ids', 0],
    'cycle: b -> c -> d -> e -> b',
  ],
  ['dangling reference', [code('a', ['ghost'])], ['orchestration_nodes', 0, 'next_node_ids', 0], "names no node of this list: 'ghost'"],
  ['duplicate id', [code('a'), code('a')], ['orchestration_nodes', 1, 'id'], "duplicate node id 'a'"],
  ['bad regex', [code('a', [], { condition: { type: 'regex', term: '(unclosed' } })], ['orchestration_nodes', 0, 'condition', 'term'], 'not a valid regular expression'],
  ['regex without term', [code('a', [], { condition: { type: 'regex' } })], ['orchestration_nodes', 0, 'condition', 'term'], 'needs a term'],
  ['comparison without path', [code('a', [], { condition: { type: 'gt', value: 3 } })], ['orchestration_nodes', 0, 'condition', 'path'], 'needs a path'],
  ['unknown condition type', [code('a', [], { condition: { type: 'matches' } })], ['orchestration_nodes', 0, 'condition', 'type'], 'Input should be'],
  ['guardrail with three groups', [guardrail('g', [], ['pass', 'fail', 'maybe'])], ['orchestration_nodes', 0, 'definition', 'groups'], 'at most 2'],
  ['guardrail groups not pass/fail', [guardrail('g', [], ['ok', 'ko'])], ['orchestration_nodes', 0, 'definition', 'groups'], "'pass' and 'fail'"],
  [
    'group_id not offered by the classifier before it',
    [classifier('c', ['a'], ['billing', 'tech']), code('a', [], { condition: { type: 'else', group_id: 'sales' } })],
    ['orchestration_nodes', 1, 'condition', 'group_id'],
    "group_id 'sales'",
  ],
  ['group_id on a node no router reaches', [code('a', [], { condition: { type: 'else', group_id: 'pass' } })], ['orchestration_nodes', 0, 'condition', 'group_id'], 'no classifier or guardrail'],
  ['definition of the wrong type', [{ type: 'agent', id: 'a', definition: { code: 'x' } }], ['orchestration_nodes', 0, 'definition', 'asset_id'], 'Field required'],
  ['custom_function with neither asset nor code', [{ type: 'custom_function', id: 'a', definition: {} }], ['orchestration_nodes', 0, 'definition'], 'asset_id or code'],
  ['node_pointer to a missing node', [{ type: 'node_pointer', id: 'p', definition: { source_node_id: 'nowhere' } }], ['orchestration_nodes', 0, 'definition', 'source_node_id'], 'another node'],
  ['wait of an unknown kind', [{ type: 'wait', id: 'w', definition: { type: 'sleep' } }], ['orchestration_nodes', 0, 'definition', 'type'], 'Input should be'],
  ['max_iterations 0', [code('a', [], { iterative_strategy: { enabled: true, max_iterations: 0 } })], ['orchestration_nodes', 0, 'iterative_strategy', 'max_iterations'], 'greater than or equal to 1'],
  [
    'cycle inside a nested parallel',
    [parallel('p', [code('x', ['y']), parallel('q', [code('m', ['n']), code('n', ['m'])], [])])],
    ['orchestration_nodes', 0, 'definition', 'nodes', 1, 'definition', 'nodes', 1, 'next_node_ids', 0],
    'cycle: m -> n -> m',
  ],
  [
    'dangling reference inside a parallel',
    [parallel('p', [code('x', ['outside'])]), code('outside')],
    ['orchestration_nodes', 0, 'definition', 'nodes', 0, 'next_node_ids', 0],
    "'outside'",
  ],
  ['empty parallel', [parallel('p', [])], ['orchestration_nodes', 0, 'definition', 'nodes'], 'at least 1'],
  ['unknown node field', [code('a', [], { colour: 'red' })], ['orchestration_nodes', 0, 'colour'], 'Extra inputs'],
];

let org: { organizationId: string; apiKey: string };
let workflowId: string;

beforeAll(async () => {
  org = await newOrganization();
  const created = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': org.apiKey }, body: { name: `graphs-${randomUUID()}` } }));
  workflowId = created.body.id;
});

const patch = (body: unknown) =>
  invoke(
    updateHandler,
    restEvent({ method: 'PATCH', path: `/v1/workflows/${workflowId}`, pathParameters: { workflow_id: workflowId }, headers: { 'x-api-key': org.apiKey }, body }),
  );

test(`at least 15 invalid graphs (${invalidGraphs.length} here)`, () => {
  expect(invalidGraphs.length).toBeGreaterThanOrEqual(15);
});

test.each(invalidGraphs)('%s → 422 at its location, nothing stored', async (_label, nodes, loc, message) => {
  // Prepare
  const before = await rawItem(workflowKey(org.organizationId, workflowId));
  // Act
  const reply = await patch({ orchestration_nodes: nodes });
  // Assess
  assertWorkflowReply(reply);
  expect(reply.status).toBe(422);
  const entry = reply.body.detail.find((d: { loc: unknown[] }) => JSON.stringify(d.loc) === JSON.stringify(['body', ...loc]));
  expect(entry).toBeDefined();
  expect(entry.msg).toContain(message);
  expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(before);
});

test('every problem of a graph is reported at once', async () => {
  const reply = await patch({ orchestration_nodes: [code('a', ['a', 'ghost']), code('a')] });
  expect(reply.status).toBe(422);
  expect(reply.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual(
    expect.arrayContaining([
      ['body', 'orchestration_nodes', 1, 'id'],
      ['body', 'orchestration_nodes', 0, 'next_node_ids', 1],
      ['body', 'orchestration_nodes', 0, 'next_node_ids', 0],
    ]),
  );
});

// The seed's node as written, but for its condition's placeholder group_id: routing on a
// group needs a classifier or guardrail before the node, and a one-node list has none.
test("the seed's own example node (custom_function with {code}) is accepted", async () => {
  const seedExample = {
    type: 'custom_function',
    definition: { code: '<string>' },
    id: '<string>',
    next_node_ids: [],
    name: '<string>',
    description: '<string>',
    condition: { type: 'regex', term: '<string>', path: '<string>', value: null },
    retry_strategy: { enabled: false, max_retries: 3 },
    iterative_strategy: { enabled: false, max_iterations: 3, end_condition: { type: 'regex', term: '<string>', group_id: '<string>', path: '<string>', value: null } },
    stop_strategy: { enabled: false, stop_on_failure: true, stop_on_condition: { type: 'regex', term: '<string>', group_id: '<string>', path: '<string>', value: null } },
    input_type: 'text',
    input_schema: {},
    input_instructions: '<string>',
    agentic_context_input_instructions: '<string>',
    agentic_context_output_instructions: '<string>',
    return_this: false,
  };
  const reply = await patch({ orchestration_nodes: [seedExample] });
  assertWorkflowReply(reply);
  expect(reply.status).toBe(200);
  expect(reply.body.orchestration_nodes).toEqual([seedExample]);
});

test('a valid graph: routing by classifier groups and guardrail pass/fail, nested parallel, node_pointer, ids assigned', async () => {
  const nodes = [
    classifier('triage', ['billing', 'tech'], ['billing', 'tech']),
    code('billing', ['check'], { condition: { type: 'else', group_id: 'billing' } }),
    { type: 'agent', id: 'tech', next_node_ids: ['check'], definition: { asset_id: 'agent-42', instructions_mode: 'append' }, condition: { type: 'contains', term: 'error', group_id: 'tech' } },
    guardrail('check', ['done', 'retry']),
    { type: 'send_to_end', id: 'done', definition: { message: 'ok' }, condition: { type: 'else', group_id: 'pass' } },
    { type: 'node_pointer', id: 'retry', definition: { source_node_id: 'triage' }, condition: { type: 'equal', path: 'attempts', value: 1, group_id: 'fail' } },
    parallel('fan-out', [code('left'), parallel('inner', [{ type: 'code', definition: { code: 'y' } }])]),
    { type: 'summarizer', definition: { instructions: 'sum up' } },
  ];
  const reply = await patch({ orchestration_nodes: nodes });
  assertWorkflowReply(reply);
  expect(reply.status).toBe(200);
  const stored = reply.body.orchestration_nodes as Node[];
  expect(stored).toHaveLength(8);
  expect(stored[7].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const inner = ((stored[6].definition as { nodes: Node[] }).nodes[1].definition as { nodes: Node[] }).nodes[0];
  expect(inner.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(stored[1].retry_strategy).toBeUndefined();
});
