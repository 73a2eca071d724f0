/** A workflow's graph edited one node at a time (issue 24), as pure functions: no DynamoDB. */
import {
  actionAssetId,
  actionOf,
  nodeAdditionOf,
  type NodeAdditionBody,
  nodeSummaryOf,
  withNodeAdded,
  withNodeRemoved,
} from '../../../../functions/domain/workflow/nodes.js';
import type { NodeInput } from '../../../../functions/domain/workflow/rules.js';
import { NotFoundError, RuleViolationError, type Violation } from '../../../../functions/errors.js';

const code = (id: string, next: string[] = [], extra: Partial<NodeInput> = {}): NodeInput => ({
  type: 'code',
  id,
  definition: { code: 'x' },
  next_node_ids: next,
  ...extra,
});
const classifier = (id: string, next: string[], groups: string[]): NodeInput => ({
  type: 'classifier',
  id,
  next_node_ids: next,
  definition: { groups: groups.map((group) => ({ id: group })) },
});

/** The violations `act` throws (a RuleViolationError), or a failure when it throws nothing or something else. */
function violationsOf(act: () => unknown): Violation[] {
  try {
    act();
  } catch (error) {
    if (error instanceof RuleViolationError) return [...error.violations];
    throw error;
  }
  throw new Error('no violation was thrown');
}

const adding = (body: Partial<NodeAdditionBody>) => nodeAdditionOf({ name: 'new', ...body });
const edgesOf = (nodes: NodeInput[]) => Object.fromEntries(nodes.map((node) => [node.id, node.next_node_ids]));

describe('the node a body describes', () => {
  test('an action node: a pointer whose asset id joins connection and operation, typed as the SDK reads it', () => {
    // Act
    const { node } = adding({ connection_id: 'conn-1', operation_id: 'op_send', instructions: 'Send it' });
    // Assess
    expect(node).toEqual({
      type: 'action',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'new',
      next_node_ids: [],
      definition: { asset_id: 'conn-1:op_send', type: 'action', instructions: 'Send it' },
    });
  });

  test('an agent node: its asset id is the agent; no instructions, no instructions key', () => {
    // Act
    const { node } = adding({ agent_id: 'agent-7', next_node_ids: ['b'] });
    // Assess
    expect(node).toMatchObject({
      type: 'agent',
      next_node_ids: ['b'],
      definition: { asset_id: 'agent-7', type: 'agent' },
    });
    expect(node.definition).not.toHaveProperty('instructions');
  });

  test("an advanced node is taken whole, named by name; its id is kept and its own edges follow next_node_ids'", () => {
    // Act
    const addition = adding({
      advanced: code('mine', ['c', 'b']),
      next_node_ids: ['b'],
    });
    // Assess
    expect(addition.node).toEqual({ ...code('mine', ['b', 'c']), name: 'new' });
    expect(addition.edgeLocations).toEqual([
      ['body', 'next_node_ids', 0],
      ['body', 'advanced', 'next_node_ids', 0],
    ]);
    expect(addition.nodeLocation).toEqual(['body', 'advanced']);
  });

  test.each<[string, Partial<NodeAdditionBody>, [string, (string | number)[]][]]>([
    ['no kind at all', {}, [['node_kind_required', ['body']]]],
    [
      'an action and an agent',
      { connection_id: 'c', operation_id: 'o', agent_id: 'a' },
      [['node_kind_single', ['body', 'agent_id']]],
    ],
    ['an agent and advanced', { agent_id: 'a', advanced: code('x') }, [['node_kind_single', ['body', 'advanced']]]],
    ['an action without its operation', { connection_id: 'c' }, [['action_node_required', ['body', 'operation_id']]]],
    [
      'advanced with instructions and another name',
      { advanced: { ...code('x'), name: 'other' }, instructions: 'do' },
      [
        ['node_instructions_place', ['body', 'instructions']],
        ['node_name_single', ['body', 'advanced', 'name']],
      ],
    ],
  ])('refused, every problem at once: %s', (_what, body, expected) => {
    // Act
    const violations = violationsOf(() => adding(body));
    // Assess
    expect(violations.map((v) => [v.rule, v.loc])).toEqual(expected);
  });
});

describe('adding a node', () => {
  test('in the middle of a chain: the edge a -> b becomes a -> new -> b', () => {
    // Prepare
    const chain = [code('a', ['b']), code('b', ['c']), code('c')];
    const addition = adding({ agent_id: 'agent-1', after_node_ids: ['a'], next_node_ids: ['b'] });
    // Act
    const nodes = withNodeAdded(chain, addition);
    // Assess
    const id = String(addition.node.id);
    expect(edgesOf(nodes)).toEqual({ a: [id], b: ['c'], c: [], [id]: ['b'] });
    expect(nodes.at(-1)?.id).toBe(id);
    expect(chain[0].next_node_ids).toEqual(['b']);
  });

  test("with after_node_ids and next_node_ids at once: an after node's other edges stay, the new node is appended", () => {
    // Prepare
    const graph = [code('a', ['x', 'b', 'y', 'c']), code('b'), code('c'), code('x'), code('y'), code('z', [])];
    const addition = adding({ agent_id: 'agent-1', after_node_ids: ['a', 'z'], next_node_ids: ['b', 'c'] });
    // Act
    const nodes = withNodeAdded(graph, addition);
    // Assess
    const id = String(addition.node.id);
    expect(edgesOf(nodes)).toMatchObject({ a: ['x', id, 'y'], z: [id], [id]: ['b', 'c'] });
  });

  test('one that would close a cycle is refused on the edge into it, the cycle named node by node', () => {
    // Prepare
    const chain = [code('a', ['b'], { name: 'Start' }), code('b', ['c']), code('c')];
    const addition = adding({ advanced: code('loop'), after_node_ids: ['c'], next_node_ids: ['a'] });
    // Act
    const violations = violationsOf(() => withNodeAdded(chain, addition));
    // Assess
    expect(violations).toEqual([
      {
        loc: ['body', 'after_node_ids', 0],
        rule: 'graph_acyclic',
        message: 'the graph has a cycle: loop (new) -> a (Start) -> b -> c -> loop (new)',
        input: 'c',
      },
    ]);
  });

  test('a node after itself closes a cycle on its own edge', () => {
    // Act
    const violations = violationsOf(() =>
      withNodeAdded([], adding({ advanced: code('self'), next_node_ids: ['self'] })),
    );
    // Assess
    expect(violations).toEqual([
      {
        loc: ['body', 'next_node_ids', 0],
        rule: 'graph_acyclic',
        message: 'the graph has a cycle: self (new) -> self (new)',
        input: 'self',
      },
    ]);
  });

  test('edges to missing nodes, a taken id and a broken condition are each named where the body put them', () => {
    // Prepare
    const graph = [
      classifier('triage', ['billing'], ['billing']),
      code('billing', [], { condition: { type: 'else', group_id: 'billing' } }),
    ];
    const addition = adding({
      advanced: { ...code('billing'), condition: { type: 'regex', term: '(' } },
      after_node_ids: ['ghost'],
      next_node_ids: ['nowhere'],
    });
    // Act
    const before = violationsOf(() => withNodeAdded(graph, addition));
    const inner = violationsOf(() =>
      withNodeAdded(
        graph,
        adding({ advanced: { ...code('fresh'), condition: { type: 'regex', term: '(' } }, next_node_ids: ['nowhere'] }),
      ),
    );
    // Assess
    expect(before.map((v) => [v.rule, v.loc])).toEqual([
      ['node_id_unique', ['body', 'advanced', 'id']],
      ['next_node_exists', ['body', 'after_node_ids', 0]],
    ]);
    expect(inner.map((v) => [v.rule, v.loc])).toEqual([
      ['next_node_exists', ['body', 'next_node_ids', 0]],
      ['condition_regex_valid', ['body', 'advanced', 'condition', 'term']],
    ]);
  });

  test("a node spliced out of its classifier's reach loses its group route: refused at next_node_ids, naming it", () => {
    // Prepare
    const graph = [
      classifier('triage', ['billing'], ['billing']),
      code('billing', [], { condition: { type: 'else', group_id: 'billing' } }),
    ];
    // Act
    const violations = violationsOf(() =>
      withNodeAdded(graph, adding({ agent_id: 'a', after_node_ids: ['triage'], next_node_ids: ['billing'] })),
    );
    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        loc: ['body', 'next_node_ids', 0],
        rule: 'group_routed',
        message: expect.stringMatching(/^node 'billing': group_id 'billing' routes on a group/),
        input: 'billing',
      }),
    ]);
  });

  test('a parallel node added whole gets ids for its inner nodes, kept in what is stored', () => {
    // Act
    const nodes = withNodeAdded(
      [],
      adding({
        advanced: { type: 'parallel', id: 'p', definition: { nodes: [{ type: 'code', definition: { code: 'x' } }] } },
      }),
    );
    // Assess
    expect((nodes[0].definition.nodes as NodeInput[])[0].id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });
});

describe('removing a node', () => {
  test('scrubs every edge that named it: three nodes pointed to it, and a trigger', () => {
    // Prepare
    const fields = {
      orchestration_nodes: [code('a', ['x', 'b']), code('b', ['x']), code('c', ['x']), code('x', ['d']), code('d')],
      source_nodes: [{ type: 'webhook', targets: ['x', 'a'] }, { type: 'sdk' }],
    };
    // Act
    const changed = withNodeRemoved(fields, 'x');
    // Assess
    expect(edgesOf(changed.orchestration_nodes as NodeInput[])).toEqual({ a: ['b'], b: [], c: [], d: [] });
    expect(changed.source_nodes).toEqual([{ type: 'webhook', targets: ['a'] }, { type: 'sdk' }]);
    expect(fields.orchestration_nodes[0].next_node_ids).toEqual(['x', 'b']);
  });

  test('leaves source_nodes alone when no trigger named it', () => {
    // Act / Assess
    expect(withNodeRemoved({ orchestration_nodes: [code('a')], source_nodes: [{ type: 'sdk' }] }, 'a')).toEqual({
      orchestration_nodes: [],
    });
  });

  test('a node no top-level node has (an inner node of a parallel, a typo) is a 404', () => {
    // Prepare
    const fields = {
      orchestration_nodes: [{ type: 'parallel', id: 'p', next_node_ids: [], definition: { nodes: [code('inner')] } }],
    };
    // Act / Assess
    expect(() => withNodeRemoved(fields, 'inner')).toThrow(NotFoundError);
    expect(() => withNodeRemoved({}, 'a')).toThrow(NotFoundError);
  });

  test('a removal that would leave a node_pointer dangling is refused at the node id, naming the pointer', () => {
    // Prepare
    const fields = {
      orchestration_nodes: [
        code('a', ['again']),
        { type: 'node_pointer', id: 'again', name: 'Retry', definition: { source_node_id: 'a' } },
      ],
    };
    // Act
    const violations = violationsOf(() => withNodeRemoved(fields, 'a'));
    // Assess
    expect(violations).toEqual([
      {
        loc: ['path', 'node_id'],
        rule: 'node_pointer_source',
        message:
          "removing it would leave node 'again' (Retry) invalid: source_node_id must name another node of this list: 'a'",
        input: 'a',
      },
    ]);
  });

  test('a classifier whose groups route other nodes is refused; a node a group led to goes, the group stays', () => {
    // Prepare
    const fields = {
      orchestration_nodes: [
        classifier('triage', ['billing', 'tech'], ['billing', 'tech']),
        code('billing', [], { condition: { type: 'else', group_id: 'billing' } }),
        code('tech', [], { condition: { type: 'contains', term: 'error', group_id: 'tech' } }),
      ],
    };
    // Act
    const refused = violationsOf(() => withNodeRemoved(fields, 'triage'));
    const removed = withNodeRemoved(fields, 'billing').orchestration_nodes as NodeInput[];
    // Assess
    expect(refused.map((v) => [v.rule, v.loc, v.message])).toEqual(
      ['billing', 'tech'].map((id) => [
        'group_routed',
        ['path', 'node_id'],
        expect.stringMatching(new RegExp(`^removing it would leave node '${id}' invalid: group_id '${id}' routes`)),
      ]),
    );
    expect(removed.map((node) => node.id)).toEqual(['triage', 'tech']);
    expect(removed[0]).toMatchObject({
      next_node_ids: ['tech'],
      definition: { groups: [{ id: 'billing' }, { id: 'tech' }] },
    });
  });

  test('a parallel node goes with its inner nodes', () => {
    // Prepare
    const fields = {
      orchestration_nodes: [code('a', ['p']), { type: 'parallel', id: 'p', definition: { nodes: [code('inner')] } }],
    };
    // Act / Assess
    expect(withNodeRemoved(fields, 'p').orchestration_nodes).toEqual([code('a')]);
  });
});

describe('node summaries', () => {
  test('an action reads as connection and operation, an agent as its agent, any other pointer as its asset', () => {
    // Act
    const summaries = [
      {
        type: 'action',
        id: 'send',
        name: 'Send',
        next_node_ids: ['b'],
        definition: { asset_id: actionAssetId('c-1', 'op:x') },
      },
      { type: 'agent', id: 'ask', definition: { asset_id: 'agent-7' } },
      { type: 'orchestration', id: 'sub', definition: { asset_id: 'wf-2' } },
      { type: 'action', id: 'odd', definition: { asset_id: 'no-separator' } },
      code('plain'),
    ].map(nodeSummaryOf);
    // Assess
    expect(summaries).toEqual([
      {
        id: 'send',
        type: 'action',
        name: 'Send',
        next_node_ids: ['b'],
        asset_id: 'c-1:op:x',
        connection_id: 'c-1',
        operation_id: 'op:x',
        target_agent_id: null,
      },
      {
        id: 'ask',
        type: 'agent',
        name: null,
        next_node_ids: [],
        asset_id: 'agent-7',
        connection_id: null,
        operation_id: null,
        target_agent_id: 'agent-7',
      },
      {
        id: 'sub',
        type: 'orchestration',
        name: null,
        next_node_ids: [],
        asset_id: 'wf-2',
        connection_id: null,
        operation_id: null,
        target_agent_id: null,
      },
      {
        id: 'odd',
        type: 'action',
        name: null,
        next_node_ids: [],
        asset_id: 'no-separator',
        connection_id: null,
        operation_id: null,
        target_agent_id: null,
      },
      {
        id: 'plain',
        type: 'code',
        name: null,
        next_node_ids: [],
        asset_id: null,
        connection_id: null,
        operation_id: null,
        target_agent_id: null,
      },
    ]);
    expect([actionOf(':x'), actionOf('x:')]).toEqual([undefined, undefined]);
  });
});
