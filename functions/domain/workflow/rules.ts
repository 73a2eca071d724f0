/**
 * Workflow rules beyond the schema: the orchestration graph must be a DAG whose nodes,
 * conditions and definitions fit together (docs/contracts.md), and a few fields
 * cannot take certain values. Every problem is a named rule with its location, all
 * reported at once; a rule named `*_required` says something is missing. Pure
 * functions: no I/O.
 */
import { randomUUID } from 'node:crypto';
import { type Location, RuleViolationError, type Violation } from '../../errors.js';

export interface ConditionInput {
  type: string;
  term?: string | null;
  group_id?: string | null;
  path?: string | null;
  value?: unknown;
}

export interface NodeInput {
  type: string;
  id?: string | null;
  next_node_ids?: string[] | null;
  name?: string | null;
  definition: Record<string, unknown>;
  condition?: ConditionInput | null;
  iterative_strategy?: { end_condition?: ConditionInput | null } | null;
  stop_strategy?: { stop_on_condition?: ConditionInput | null } | null;
  [field: string]: unknown;
}

const comparisons = new Set(['equal', 'not_equal', 'gt', 'lt', 'gte', 'lte']);
const routers = new Set(['classifier', 'guardrail']);

const violation = (loc: Location, rule: string, message: string, input?: unknown): Violation => ({
  loc,
  rule,
  message,
  ...(input === undefined ? {} : { input }),
});

/**
 * Problems with one condition's own fields (routing by group is checked with the graph).
 * A condition that routes by `group_id` needs no term or path: the group replaces term
 * matching (xpander's SDK documents it so); a term it does carry must still compile.
 */
export function conditionViolations(condition: ConditionInput | null | undefined, loc: Location): Violation[] {
  if (!condition) return [];
  const problems: Violation[] = [];
  const { type, term, path } = condition;
  const routesByGroup = condition.group_id !== undefined && condition.group_id !== null && condition.group_id !== '';
  if (type === 'regex' || type === 'contains') {
    if (term === undefined || term === null || term === '') {
      if (routesByGroup) return problems;
      problems.push(violation([...loc, 'term'], 'condition_term_required', `a ${type} condition needs a term`));
    } else if (type === 'regex') {
      try {
        new RegExp(term);
      } catch (error) {
        problems.push(
          violation(
            [...loc, 'term'],
            'condition_regex_valid',
            `term is not a valid regular expression: ${(error as Error).message}`,
            term,
          ),
        );
      }
    }
  }
  if (
    (comparisons.has(type) || type === 'not_empty') &&
    !routesByGroup &&
    (path === undefined || path === null || path === '')
  ) {
    problems.push(
      violation([...loc, 'path'], 'condition_path_required', `a ${type} condition needs a path into the input`),
    );
  }
  return problems;
}

function groupIds(node: NodeInput): string[] {
  const groups = node.definition.groups;
  return Array.isArray(groups) ? groups.map((group) => String((group as { id: unknown }).id)) : [];
}

function label(node: NodeInput): string {
  return node.name ? `${node.id} (${node.name})` : String(node.id);
}

/** How many nodes a cycle's description names at most: the first five and the last four. */
const maxCycleLabels = 9;

/** `a -> b -> … -> a` for the cycle that runs along `path` from `start` back to it, naming at most nine nodes. */
function describeCycle(path: readonly string[], start: number, labelOf: (id: string) => string): string {
  const length = path.length - start;
  const names =
    length <= maxCycleLabels
      ? path.slice(start).map(labelOf)
      : [
          ...path.slice(start, start + 5).map(labelOf),
          `… ${length - maxCycleLabels} more …`,
          ...path.slice(-4).map(labelOf),
        ];
  return [...names, labelOf(path[start])].join(' -> ');
}

/**
 * Finds the cycles of the graph (depth-first search, as xpander's SDK does): each back
 * edge closes one, reported once on that edge with a bounded description. Iterative,
 * with each open node's place on the path kept in a map, so the work is linear in nodes
 * plus edges whatever the depth.
 */
function cycleViolations(nodes: NodeInput[], indexById: Map<string, number>, loc: Location): Violation[] {
  const problems: Violation[] = [];
  const done = new Set<string>();
  /** The open path, and where each of its nodes sits on it. */
  const path: string[] = [];
  const onPath = new Map<string, number>();
  for (const root of indexById.keys()) {
    if (done.has(root)) continue;
    const frames: { id: string; edge: number }[] = [{ id: root, edge: 0 }];
    onPath.set(root, path.push(root) - 1);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const index = indexById.get(frame.id)!;
      const edges = nodes[index].next_node_ids ?? [];
      if (frame.edge === edges.length) {
        frames.pop();
        path.pop();
        onPath.delete(frame.id);
        done.add(frame.id);
        continue;
      }
      const edge = frame.edge;
      frame.edge += 1;
      const next = edges[edge];
      if (!indexById.has(next) || done.has(next)) continue;
      const start = onPath.get(next);
      if (start !== undefined) {
        const cycle = describeCycle(path, start, (id) => label(nodes[indexById.get(id)!]));
        problems.push(
          violation([...loc, index, 'next_node_ids', edge], 'graph_acyclic', `the graph has a cycle: ${cycle}`, next),
        );
        continue;
      }
      frames.push({ id: next, edge: 0 });
      onPath.set(next, path.push(next) - 1);
    }
  }
  return problems;
}

/**
 * Checks a node list as a DAG and assigns a uuid4 to every node without an id (the list
 * is changed in place). `parallel` nodes' children are checked the same way, as their
 * own list. Every rule's work is linear in nodes plus edges (plus each node's groups).
 */
export function graphViolations(nodes: NodeInput[], loc: Location): Violation[] {
  const problems: Violation[] = [];
  for (const node of nodes) if (node.id === undefined || node.id === null) node.id = randomUUID();

  const indexById = new Map<string, number>();
  nodes.forEach((node, index) => {
    const id = node.id as string;
    if (indexById.has(id)) {
      problems.push(
        violation(
          [...loc, index, 'id'],
          'node_id_unique',
          `duplicate node id '${id}' (also at index ${indexById.get(id)})`,
          id,
        ),
      );
    } else {
      indexById.set(id, index);
    }
  });

  /** For each node: the groups that route to it from the classifiers and guardrails leading to it. */
  const routedGroups = new Map<string, Set<string>>();
  nodes.forEach((node, index) => {
    const groups = routers.has(node.type) ? groupIds(node) : [];
    (node.next_node_ids ?? []).forEach((next, edge) => {
      if (!indexById.has(next)) {
        problems.push(
          violation(
            [...loc, index, 'next_node_ids', edge],
            'next_node_exists',
            `next_node_ids names no node of this list: '${next}'`,
            next,
          ),
        );
        return;
      }
      if (groups.length === 0) return;
      let routed = routedGroups.get(next);
      if (!routed) routedGroups.set(next, (routed = new Set()));
      for (const group of groups) routed.add(group);
    });
  });
  problems.push(...cycleViolations(nodes, indexById, loc));

  nodes.forEach((node, index) => {
    const at: Location = [...loc, index];
    problems.push(...definitionViolations(node, indexById, at));
    problems.push(...conditionViolations(node.condition, [...at, 'condition']));
    problems.push(
      ...conditionViolations(node.iterative_strategy?.end_condition, [...at, 'iterative_strategy', 'end_condition']),
    );
    problems.push(
      ...conditionViolations(node.stop_strategy?.stop_on_condition, [...at, 'stop_strategy', 'stop_on_condition']),
    );
    const groupId = node.condition?.group_id;
    if (groupId !== undefined && groupId !== null && !routedGroups.get(node.id as string)?.has(groupId)) {
      problems.push(
        violation(
          [...at, 'condition', 'group_id'],
          'group_routed',
          `group_id '${groupId}' routes on a group, but no classifier or guardrail leading to this node has that group`,
          groupId,
        ),
      );
    }
  });
  return problems;
}

function definitionViolations(node: NodeInput, indexById: Map<string, number>, at: Location): Violation[] {
  const problems: Violation[] = [];
  const { definition } = node;
  switch (node.type) {
    case 'custom_function':
      if (definition.asset_id === undefined && definition.code === undefined) {
        problems.push(
          violation([...at, 'definition'], 'definition_required', 'a custom_function needs asset_id or code'),
        );
      }
      break;
    case 'classifier':
    case 'guardrail': {
      const ids = groupIds(node);
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        if (seen.has(id))
          problems.push(
            violation(
              [...at, 'definition', 'groups', index, 'id'],
              'group_id_unique',
              `duplicate group id '${id}'`,
              id,
            ),
          );
        seen.add(id);
      });
      if (node.type === 'guardrail' && !(ids.length === 2 && ids.includes('pass') && ids.includes('fail'))) {
        problems.push(
          violation(
            [...at, 'definition', 'groups'],
            'guardrail_groups',
            "a guardrail has exactly two groups, with ids 'pass' and 'fail'",
          ),
        );
      }
      break;
    }
    case 'node_pointer': {
      const source = String(definition.source_node_id);
      if (!indexById.has(source) || source === node.id) {
        problems.push(
          violation(
            [...at, 'definition', 'source_node_id'],
            'node_pointer_source',
            `source_node_id must name another node of this list: '${source}'`,
            source,
          ),
        );
      }
      break;
    }
    case 'parallel':
      problems.push(...graphViolations(definition.nodes as NodeInput[], [...at, 'definition', 'nodes']));
      break;
    default:
      break;
  }
  return problems;
}

/** What the caller's organization allows, and the conditions of the task-level strategies and the graph. */
export function workflowFieldViolations(body: Record<string, unknown>, organizationId: string): Violation[] {
  const problems: Violation[] = [];
  if (body.organization_id !== undefined && body.organization_id !== null && body.organization_id !== organizationId) {
    problems.push(
      violation(
        ['body', 'organization_id'],
        'organization_fixed',
        'a workflow cannot be moved to another organization',
        body.organization_id,
      ),
    );
  }
  const strategies = body.task_level_strategies as
    Pick<NodeInput, 'iterative_strategy' | 'stop_strategy'> | null | undefined;
  if (strategies) {
    const at: Location = ['body', 'task_level_strategies'];
    problems.push(
      ...conditionViolations(strategies.iterative_strategy?.end_condition, [
        ...at,
        'iterative_strategy',
        'end_condition',
      ]),
    );
    problems.push(
      ...conditionViolations(strategies.stop_strategy?.stop_on_condition, [
        ...at,
        'stop_strategy',
        'stop_on_condition',
      ]),
    );
  }
  if (Array.isArray(body.orchestration_nodes)) {
    problems.push(...graphViolations(body.orchestration_nodes as NodeInput[], ['body', 'orchestration_nodes']));
  }
  return problems;
}

/** Refuses a body (or a merged document) that breaks a workflow rule beyond the schema, every violation at once. */
export function assertWorkflowRules(body: Record<string, unknown>, organizationId: string): void {
  const violations = workflowFieldViolations(body, organizationId);
  if (violations.length > 0) throw new RuleViolationError(violations);
}
