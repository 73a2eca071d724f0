/** Workflow rules beyond the schema, as pure functions. */
import { conditionViolations, graphViolations, type NodeInput } from '../../../../functions/domain/workflow/rules.js';

test.each([
  ['contains', { type: 'contains', group_id: 'billing' }],
  ['regex', { type: 'regex', group_id: 'billing' }],
  ['equal', { type: 'equal', group_id: 'billing' }],
  ['not_empty', { type: 'not_empty', group_id: 'billing' }],
])('a %s condition that routes by group_id needs no term or path (issue 12)', (_type, condition) => {
  // Act / Assess
  expect(conditionViolations(condition, ['body', 'c'])).toEqual([]);
});

test.each([
  ['contains', { type: 'contains' }, 'condition_term_required'],
  ['regex', { type: 'regex', term: '' }, 'condition_term_required'],
  ['equal', { type: 'equal', value: 1 }, 'condition_path_required'],
  ['a group with a broken regex term', { type: 'regex', group_id: 'g', term: '(' }, 'condition_regex_valid'],
])('a %s condition without a group still needs what it matches on', (_what, condition, rule) => {
  // Act / Assess
  expect(conditionViolations(condition, ['body', 'c']).map((v) => v.rule)).toEqual([rule]);
});

test('a classifier routes to its groups with group_id conditions and no terms', () => {
  // Prepare
  const nodes: NodeInput[] = [
    {
      type: 'classifier',
      id: 'triage',
      next_node_ids: ['billing', 'tech'],
      definition: { groups: [{ id: 'billing' }, { id: 'tech' }] },
    },
    {
      type: 'agent',
      id: 'billing',
      definition: { asset_id: 'a' },
      condition: { type: 'contains', group_id: 'billing' },
    },
    { type: 'agent', id: 'tech', definition: { asset_id: 'b' }, condition: { type: 'else', group_id: 'tech' } },
  ];
  // Act / Assess
  expect(graphViolations(nodes, ['body', 'orchestration_nodes'])).toEqual([]);
});

test('each back edge is one cycle, described by at most nine nodes', () => {
  // Prepare
  const chain: NodeInput[] = Array.from({ length: 40 }, (_, i) => ({
    type: 'code',
    id: `n${i}`,
    definition: { code: 'x' },
    next_node_ids: i === 39 ? ['n0'] : [`n${i + 1}`],
  }));
  // Act
  const problems = graphViolations(chain, ['body', 'orchestration_nodes']);
  // Assess
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({
    rule: 'graph_acyclic',
    loc: ['body', 'orchestration_nodes', 39, 'next_node_ids', 0],
  });
  expect(problems[0].message).toBe(
    'the graph has a cycle: n0 -> n1 -> n2 -> n3 -> n4 -> … 31 more … -> n36 -> n37 -> n38 -> n39 -> n0',
  );
});
