/**
 * PATCH /v1/workflows/{workflow_id}?deploy= through the real handler, against DynamoDB
 * Local: staged vs deployed, defaults, refusals that write nothing, If-Match, request
 * counts, and the orchestration_nodes graph (every invalid graph is a 422 naming the
 * offending location, and nothing is stored).
 */
import { randomUUID } from 'node:crypto';
import { handler as getHandler } from '../../../functions/workflows/get.js';
import { handler as updateHandler } from '../../../functions/workflows/update.js';
import { workflowKey } from '../../../functions/store/keys.js';
import {
  countDynamoRequests,
  invoke,
  newOrganization,
  type Organization,
  rawItem,
  restEvent,
} from '../../support/api.js';
import { assertWorkflowReply } from '../../support/schemas.js';
import {
  createWorkflow,
  deployWorkflow,
  getWorkflow,
  patchWorkflow,
  workflowHeaders,
} from '../../support/workflows.js';

describe('staging and deploying', () => {
  test('deploy=false stages on the working copy: has_pending_changes, version unchanged, deployed snapshot untouched', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'v1 name', description: 'first' });
    // Act
    const staged = await patchWorkflow(org, created.id, {
      name: 'staged name',
      instructions: { role: ['triage'], goal: [], general: 'be brief' },
    });
    // Assess
    expect(staged.status).toBe(200);
    expect(staged.body).toMatchObject({
      name: 'staged name',
      description: 'first',
      version: 1,
      has_pending_changes: true,
      is_latest: false,
    });
    expect(staged.body.instructions).toEqual({ role: ['triage'], goal: [], general: 'be brief' });
    expect(staged.headers.etag).toBe('"2"');
    const deployed = await getWorkflow(org, created.id, { version: '1' });
    expect(deployed.body).toMatchObject({ name: 'v1 name', version: 1, is_latest: true });
    const working = await getWorkflow(org, created.id);
    expect(working.body).toMatchObject({ name: 'staged name', version: 1, has_pending_changes: true });
  });

  test('deploy=true freezes the merged working copy as version N+1', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf', description: 'kept' });
    await patchWorkflow(org, created.id, { model_name: 'gpt-5' });
    // Act
    const reply = await patchWorkflow(org, created.id, { output_format: 'json' }, { deploy: 'true' });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      version: 2,
      has_pending_changes: false,
      is_latest: true,
      model_name: 'gpt-5',
      output_format: 'json',
      description: 'kept',
    });
  });

  test('a body naming only what cannot change (type, own organization) is a valid no-op edit', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf' });
    // Act
    const reply = await patchWorkflow(org, created.id, { type: 'orchestration', organization_id: org.organizationId });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'wf', type: 'orchestration', organization_id: org.organizationId });
  });

  test('null returns a field to its documented default; name cannot be cleared', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf', icon: '🤖', model_provider: 'openai' });
    // Act
    const cleared = await patchWorkflow(org, created.id, { icon: null, model_provider: null });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    const refused = await patchWorkflow(org, created.id, { name: null });
    // Assess
    expect(cleared.body).toMatchObject({ icon: '🚀', model_provider: 'anthropic' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'name']);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });
});

describe('refusals', () => {
  test.each([
    ['empty body', undefined, 'missing'],
    ['{}', {}, 'too_short'],
    ['type other than orchestration', { type: 'regular' }, 'enum'],
    ['unknown property', { name: 'x', colour: 'red' }, 'extra_forbidden'],
    ['bad enum', { llm_reasoning_effort: 'extreme' }, 'enum'],
    ['organization_id of another organization', { organization_id: 'someone-else' }, 'value_error'],
    [
      'max_retries out of range',
      { task_level_strategies: { retry_strategy: { enabled: true, max_retries: 101 } } },
      'less_than_equal',
    ],
    ['empty selectors', { task_level_strategies: { duplication_prevention: { selectors: [] } } }, 'too_short'],
    [
      'ttl_minutes 0',
      { task_level_strategies: { duplication_prevention: { selectors: ['a.b'], ttl_minutes: 0 } } },
      'greater_than_equal',
    ],
  ])('%s → 422 %s, nothing written', async (_label, body, type) => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(org, created.id, body);
    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body.detail.map((d: { type: string }) => d.type)).toContain(type);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test('path, query and JSON problems are 422 with their locations; over 1 MiB is 413', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const rawPatch = (id: string, event: { body?: unknown; rawBody?: string }) =>
      invoke(
        updateHandler,
        restEvent({
          method: 'PATCH',
          path: `/v1/workflows/${id}`,
          pathParameters: { workflow_id: id },
          headers: workflowHeaders(org),
          ...event,
        }),
      );
    // Act
    const badId = await rawPatch('nope', { body: { name: 'x' } });
    const badDeploy = await patchWorkflow(org, created.id, { name: 'x' }, { deploy: 'maybe' });
    const notJson = await rawPatch(created.id, { rawBody: '{"name": ' });
    const huge = await rawPatch(created.id, { body: { description: 'x'.repeat(1024 * 1024) } });
    // Assess
    expect(badId.status).toBe(422);
    expect(badId.body.detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'workflow_id'] });
    expect(badDeploy.status).toBe(422);
    expect(badDeploy.body.detail[0]).toMatchObject({ type: 'bool_parsing', loc: ['query', 'deploy'], input: 'maybe' });
    expect(notJson.status).toBe(422);
    expect(notJson.body.detail[0].type).toBe('json_invalid');
    expect(huge.status).toBe(413);
    assertWorkflowReply(huge);
  });

  test('another organization gets 404 {"detail":"Workflow not found"}; no key gets 401', async () => {
    // Prepare
    const owner = await newOrganization();
    const stranger = await newOrganization();
    const { body: created } = await createWorkflow(owner);
    const before = await rawItem(workflowKey(owner.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(stranger, created.id, { name: 'stolen' }, { deploy: 'true' });
    const strangerRead = await getWorkflow(stranger, created.id);
    const noKey = await invoke(
      getHandler,
      restEvent({ method: 'GET', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id } }),
    );
    // Assess
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ detail: 'Workflow not found' });
    expect(strangerRead.status).toBe(404);
    expect(noKey.status).toBe(401);
    expect(typeof noKey.body.detail).toBe('string');
    expect(await rawItem(workflowKey(owner.organizationId, created.id))).toEqual(before);
  });

  test('a stale If-Match is 412 and writes nothing, staged or deployed', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    await patchWorkflow(org, created.id, { description: 'moved on' });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const staged = await patchWorkflow(org, created.id, { name: 'x' }, {}, { 'if-match': '"1"' });
    const deployed = await patchWorkflow(org, created.id, { name: 'x' }, { deploy: 'true' }, { 'if-match': '"1"' });
    const put = await deployWorkflow(org, created.id, {}, { 'if-match': '"1"' });
    // Assess
    expect([staged.status, deployed.status, put.status]).toEqual([412, 412, 412]);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
    // Act
    const fresh = await patchWorkflow(org, created.id, { name: 'x' }, {}, { 'if-match': '"2"' });
    // Assess
    expect(fresh.status).toBe(200);
  });
});

test('one DynamoDB request to stage, two to deploy with it, one for a missing workflow (key cached)', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  await getWorkflow(org, created.id);
  const counter = countDynamoRequests();
  try {
    counter.reset();
    // Act
    const staged = await patchWorkflow(org, created.id, { description: 'staged' });
    // Assess
    expect(staged.status).toBe(200);
    expect(counter.sent).toEqual(['UpdateItemCommand']);
    counter.reset();
    // Act
    const deployed = await patchWorkflow(org, created.id, { description: 'deployed' }, { deploy: 'true' });
    // Assess
    expect(deployed.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    counter.reset();
    // Act
    const missing = await patchWorkflow(org, randomUUID(), { description: 'x' });
    // Assess
    expect(missing.status).toBe(404);
    expect(counter.sent).toEqual(['UpdateItemCommand']);
  } finally {
    counter.stop();
  }
});

describe('orchestration_nodes: the graph', () => {
  type Node = Record<string, unknown>;
  const code = (id: string, next: string[] = [], extra: Node = {}): Node => ({
    type: 'code',
    id,
    definition: { code: 'x' },
    next_node_ids: next,
    ...extra,
  });
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
  const parallel = (id: string, nodes: Node[], next: string[] = []): Node => ({
    type: 'parallel',
    id,
    next_node_ids: next,
    definition: { nodes },
  });

  /** [label, nodes, expected location (after `body`), expected message fragment]. */
  const invalidGraphs: [string, Node[], (string | number)[], string][] = [
    ['self-loop', [code('a', ['a'])], ['orchestration_nodes', 0, 'next_node_ids', 0], 'cycle: a -> a'],
    [
      'two-node cycle',
      [code('a', ['b']), code('b', ['a'])],
      ['orchestration_nodes', 1, 'next_node_ids', 0],
      'cycle: a -> b -> a',
    ],
    [
      'long cycle',
      [code('a', ['b']), code('b', ['c']), code('c', ['d']), code('d', ['e']), code('e', ['b'])],
      ['orchestration_nodes', 4, 'next_node_ids', 0],
      'cycle: b -> c -> d -> e -> b',
    ],
    [
      'dangling reference',
      [code('a', ['ghost'])],
      ['orchestration_nodes', 0, 'next_node_ids', 0],
      "names no node of this list: 'ghost'",
    ],
    ['duplicate id', [code('a'), code('a')], ['orchestration_nodes', 1, 'id'], "duplicate node id 'a'"],
    [
      'bad regex',
      [code('a', [], { condition: { type: 'regex', term: '(unclosed' } })],
      ['orchestration_nodes', 0, 'condition', 'term'],
      'not a valid regular expression',
    ],
    [
      'regex without term',
      [code('a', [], { condition: { type: 'regex' } })],
      ['orchestration_nodes', 0, 'condition', 'term'],
      'needs a term',
    ],
    [
      'comparison without path',
      [code('a', [], { condition: { type: 'gt', value: 3 } })],
      ['orchestration_nodes', 0, 'condition', 'path'],
      'needs a path',
    ],
    [
      'unknown condition type',
      [code('a', [], { condition: { type: 'matches' } })],
      ['orchestration_nodes', 0, 'condition', 'type'],
      'Input should be',
    ],
    [
      'guardrail with three groups',
      [guardrail('g', [], ['pass', 'fail', 'maybe'])],
      ['orchestration_nodes', 0, 'definition', 'groups'],
      'at most 2',
    ],
    [
      'guardrail groups not pass/fail',
      [guardrail('g', [], ['ok', 'ko'])],
      ['orchestration_nodes', 0, 'definition', 'groups'],
      "'pass' and 'fail'",
    ],
    [
      'group_id not offered by the classifier before it',
      [classifier('c', ['a'], ['billing', 'tech']), code('a', [], { condition: { type: 'else', group_id: 'sales' } })],
      ['orchestration_nodes', 1, 'condition', 'group_id'],
      "group_id 'sales'",
    ],
    [
      'group_id on a node no router reaches',
      [code('a', [], { condition: { type: 'else', group_id: 'pass' } })],
      ['orchestration_nodes', 0, 'condition', 'group_id'],
      'no classifier or guardrail',
    ],
    [
      'definition of the wrong type',
      [{ type: 'agent', id: 'a', definition: { code: 'x' } }],
      ['orchestration_nodes', 0, 'definition', 'asset_id'],
      'Field required',
    ],
    [
      'custom_function with neither asset nor code',
      [{ type: 'custom_function', id: 'a', definition: {} }],
      ['orchestration_nodes', 0, 'definition'],
      'asset_id or code',
    ],
    [
      'node_pointer to a missing node',
      [{ type: 'node_pointer', id: 'p', definition: { source_node_id: 'nowhere' } }],
      ['orchestration_nodes', 0, 'definition', 'source_node_id'],
      'another node',
    ],
    [
      'wait of an unknown kind',
      [{ type: 'wait', id: 'w', definition: { type: 'sleep' } }],
      ['orchestration_nodes', 0, 'definition', 'type'],
      'Input should be',
    ],
    [
      'max_iterations 0',
      [code('a', [], { iterative_strategy: { enabled: true, max_iterations: 0 } })],
      ['orchestration_nodes', 0, 'iterative_strategy', 'max_iterations'],
      'greater than or equal to 1',
    ],
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

  let org: Organization;
  let workflowId: string;

  beforeAll(async () => {
    org = await newOrganization();
    workflowId = (await createWorkflow(org, { name: `graphs-${randomUUID()}` })).body.id;
  });

  /** PATCH of the shared workflow; the helper checks every reply against the contract's schemas. */
  const patch = (body: unknown) => patchWorkflow(org, workflowId, body);

  test(`at least 15 invalid graphs (${invalidGraphs.length} here)`, () => {
    // Assess
    expect(invalidGraphs.length).toBeGreaterThanOrEqual(15);
  });

  test.each(invalidGraphs)('%s → 422 at its location, nothing stored', async (_label, nodes, loc, message) => {
    // Prepare
    const before = await rawItem(workflowKey(org.organizationId, workflowId));
    // Act
    const reply = await patch({ orchestration_nodes: nodes });
    // Assess
    expect(reply.status).toBe(422);
    const entry = reply.body.detail.find(
      (d: { loc: unknown[] }) => JSON.stringify(d.loc) === JSON.stringify(['body', ...loc]),
    );
    expect(entry).toBeDefined();
    expect(entry.msg).toContain(message);
    expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(before);
  });

  test('every problem of a graph is reported at once', async () => {
    // Act
    const reply = await patch({ orchestration_nodes: [code('a', ['a', 'ghost']), code('a')] });
    // Assess
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
    // Prepare
    const seedExample = {
      type: 'custom_function',
      definition: { code: '<string>' },
      id: '<string>',
      next_node_ids: [],
      name: '<string>',
      description: '<string>',
      condition: { type: 'regex', term: '<string>', path: '<string>', value: null },
      retry_strategy: { enabled: false, max_retries: 3 },
      iterative_strategy: {
        enabled: false,
        max_iterations: 3,
        end_condition: { type: 'regex', term: '<string>', group_id: '<string>', path: '<string>', value: null },
      },
      stop_strategy: {
        enabled: false,
        stop_on_failure: true,
        stop_on_condition: { type: 'regex', term: '<string>', group_id: '<string>', path: '<string>', value: null },
      },
      input_type: 'text',
      input_schema: {},
      input_instructions: '<string>',
      agentic_context_input_instructions: '<string>',
      agentic_context_output_instructions: '<string>',
      return_this: false,
    };
    // Act
    const reply = await patch({ orchestration_nodes: [seedExample] });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.orchestration_nodes).toEqual([seedExample]);
  });

  test('a valid graph: routing by classifier groups and guardrail pass/fail, nested parallel, node_pointer, ids assigned', async () => {
    // Prepare
    const nodes = [
      classifier('triage', ['billing', 'tech'], ['billing', 'tech']),
      code('billing', ['check'], { condition: { type: 'else', group_id: 'billing' } }),
      {
        type: 'agent',
        id: 'tech',
        next_node_ids: ['check'],
        definition: { asset_id: 'agent-42', instructions_mode: 'append' },
        condition: { type: 'contains', term: 'error', group_id: 'tech' },
      },
      guardrail('check', ['done', 'retry']),
      { type: 'send_to_end', id: 'done', definition: { message: 'ok' }, condition: { type: 'else', group_id: 'pass' } },
      {
        type: 'node_pointer',
        id: 'retry',
        definition: { source_node_id: 'triage' },
        condition: { type: 'equal', path: 'attempts', value: 1, group_id: 'fail' },
      },
      parallel('fan-out', [code('left'), parallel('inner', [{ type: 'code', definition: { code: 'y' } }])]),
      { type: 'summarizer', definition: { instructions: 'sum up' } },
    ];
    // Act
    const reply = await patch({ orchestration_nodes: nodes });
    // Assess
    expect(reply.status).toBe(200);
    const stored = reply.body.orchestration_nodes as Node[];
    expect(stored).toHaveLength(8);
    expect(stored[7].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const inner = ((stored[6].definition as { nodes: Node[] }).nodes[1].definition as { nodes: Node[] }).nodes[0];
    expect(inner.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored[1].retry_strategy).toBeUndefined();
  });
});
