/**
 * A workflow's graph edited one node at a time, as xpander's node routes do (docs/contracts.md,
 * xpander; what each edit does: docs/workflows.md): the node an add describes, the node list
 * after adding or removing one — computed from the stored nodes and held to the rules a
 * whole-graph PATCH is held to (functions/domain/workflow/rules.ts), each problem located in
 * the request that caused it — and the node summaries the routes answer with. Only the
 * top-level list is edited: a `parallel` node's inner nodes are part of its definition.
 * Pure functions: no I/O.
 */
import { randomUUID } from 'node:crypto';
import { type Location, NotFoundError, RuleViolationError, type Violation } from '../../errors.js';
import type { StoredContent, WorkflowFields } from './model.js';
import { graphViolations, type NodeInput } from './rules.js';

/** What joins an action node's connection and operation in its asset id (docs/contracts.md). */
export const actionAssetSeparator = ':';

/** The most nodes a workflow's list and a node's edges hold (`orchestration_nodes`, `next_node_ids` in schemas/workflow.ts). */
const maxNodes = 500;
const maxEdges = 100;

/** An action node's asset id: its connection and operation, joined. */
export function actionAssetId(connectionId: string, operationId: string): string {
  return `${connectionId}${actionAssetSeparator}${operationId}`;
}

/** The connection and operation an action node's asset id names; undefined for an asset id of another form. */
export function actionOf(assetId: string): { connectionId: string; operationId: string } | undefined {
  const at = assetId.indexOf(actionAssetSeparator);
  if (at <= 0 || at === assetId.length - 1) return undefined;
  return { connectionId: assetId.slice(0, at), operationId: assetId.slice(at + 1) };
}

/** One node as the node routes show it (`WorkflowNodeSummary`, schemas/workflow-node.ts). */
export interface NodeSummary {
  id: string;
  type: string;
  name: string | null;
  next_node_ids: string[];
  asset_id: string | null;
  connection_id: string | null;
  operation_id: string | null;
  target_agent_id: string | null;
}

/** A node summarized: its asset for a pointer node, read as a connection and operation for an action, an agent's agent. */
export function nodeSummaryOf(node: NodeInput): NodeSummary {
  const assetId = typeof node.definition.asset_id === 'string' ? node.definition.asset_id : null;
  const action = node.type === 'action' && assetId !== null ? actionOf(assetId) : undefined;
  return {
    id: String(node.id),
    type: node.type,
    name: node.name ?? null,
    next_node_ids: node.next_node_ids ?? [],
    asset_id: assetId,
    connection_id: action?.connectionId ?? null,
    operation_id: action?.operationId ?? null,
    target_agent_id: node.type === 'agent' ? assetId : null,
  };
}

/** The stored content's nodes (the top-level list), in order; none when the field is unset. */
export function nodesOf(content: StoredContent): NodeInput[] {
  const text = content.fields?.orchestration_nodes;
  return text === undefined ? [] : (JSON.parse(text) as NodeInput[]);
}

/** The add route's body, after schema validation. */
export interface NodeAdditionBody {
  name: string;
  connection_id?: string;
  operation_id?: string;
  agent_id?: string;
  instructions?: string | null;
  advanced?: NodeInput;
  after_node_ids?: string[] | null;
  next_node_ids?: string[] | null;
}

/** A node to add, its id assigned once (a retried write adds the same node), and where the body said each part. */
export interface NodeAddition {
  node: NodeInput;
  /** The nodes that get an edge to it. */
  after: string[];
  /** Where in the body each of `node.next_node_ids` came from. */
  edgeLocations: Location[];
  /** Where in the body the node's own fields are (`['body', 'advanced']` for an advanced node). */
  nodeLocation: Location;
}

const violation = (loc: Location, rule: string, message: string, input?: unknown): Violation => ({
  loc,
  rule,
  message,
  ...(input === undefined ? {} : { input }),
});

const kindFields = {
  action: ['connection_id', 'operation_id'],
  agent: ['agent_id'],
  advanced: ['advanced'],
} as const;
type Kind = keyof typeof kindFields;

/** The problems with what a body says the node is: exactly one kind, whole. */
function kindViolations(body: NodeAdditionBody, kind: Kind | undefined): Violation[] {
  if (!kind)
    return [
      violation(
        ['body'],
        'node_kind_required',
        'an action node needs connection_id and operation_id, an agent node agent_id, any other node advanced',
      ),
    ];
  const problems = (Object.keys(kindFields) as Kind[])
    .filter((other) => other !== kind)
    .flatMap((other) => kindFields[other].filter((field) => body[field] !== undefined))
    .map((field) =>
      violation(
        ['body', field],
        'node_kind_single',
        `this is ${kind === 'advanced' ? 'an advanced' : `an ${kind}`} node: ${field} belongs to another kind of node`,
      ),
    );
  if (kind === 'action')
    for (const field of kindFields.action)
      if (body[field] === undefined)
        problems.push(violation(['body', field], 'action_node_required', `an action node needs ${field} too`));
  if (kind === 'advanced') {
    if (body.instructions !== undefined)
      problems.push(
        violation(
          ['body', 'instructions'],
          'node_instructions_place',
          "an advanced node's instructions go in its definition",
          body.instructions,
        ),
      );
    const ownName = body.advanced?.name;
    if (ownName !== undefined && ownName !== null && ownName !== body.name)
      problems.push(
        violation(
          ['body', 'advanced', 'name'],
          'node_name_single',
          'name and advanced.name differ: send the name once',
          ownName,
        ),
      );
  }
  return problems;
}

/**
 * The node a body describes, or 422 with every problem: an action node (its asset id
 * `<connection_id>:<operation_id>`), an agent node (its asset id the agent's), both pointer
 * nodes as the SDK's `OrchestrationPointerNode` reads them (`type` in the definition too); or
 * the advanced node as sent, named by `name`. A node without an id gets a uuid4. Its edges are
 * `next_node_ids`, then those of `advanced.next_node_ids` not already named.
 */
export function nodeAdditionOf(body: NodeAdditionBody): NodeAddition {
  const kind = (Object.keys(kindFields) as Kind[]).find((candidate) =>
    kindFields[candidate].some((field) => body[field] !== undefined),
  );
  const problems = kindViolations(body, kind);
  const sent = body.next_node_ids ?? [];
  const ownEdges = body.advanced?.next_node_ids ?? [];
  const extra = ownEdges.map((id, index) => [id, index] as const).filter(([id]) => !sent.includes(id));
  const edges = [...sent, ...extra.map(([id]) => id)];
  if (edges.length > maxEdges)
    problems.push(
      violation(['body', 'next_node_ids'], 'node_edges_limit', `a node has at most ${maxEdges} next nodes`),
    );
  if (problems.length > 0) throw new RuleViolationError(problems);
  const edgeLocations: Location[] = [
    ...sent.map((_id, index): Location => ['body', 'next_node_ids', index]),
    ...extra.map(([, index]): Location => ['body', 'advanced', 'next_node_ids', index]),
  ];
  const after = body.after_node_ids ?? [];
  if (kind === 'advanced') {
    const advanced = structuredClone(body.advanced!);
    return {
      node: { ...advanced, id: advanced.id ?? randomUUID(), name: body.name, next_node_ids: edges },
      after,
      edgeLocations,
      nodeLocation: ['body', 'advanced'],
    };
  }
  const type = kind as 'action' | 'agent';
  const assetId = type === 'action' ? actionAssetId(body.connection_id!, body.operation_id!) : body.agent_id!;
  const instructions =
    body.instructions === undefined || body.instructions === null ? {} : { instructions: body.instructions };
  return {
    node: {
      type,
      id: randomUUID(),
      name: body.name,
      next_node_ids: edges,
      definition: { asset_id: assetId, type, ...instructions },
    },
    after,
    edgeLocations,
    nodeLocation: ['body'],
  };
}

/** A node's label in a message: its id, and its name when it has one. */
const labelOf = (node: NodeInput) => (node.name ? `'${node.id}' (${node.name})` : `'${node.id}'`);

/**
 * The node list with a node added, or 422 with every problem, each where the body caused it.
 * Each of `after` gets an edge to the new node; an edge of theirs straight to one of the new
 * node's next nodes becomes that edge (at the place of the first such edge), so the node goes
 * in between. The new node comes last. The whole graph is then checked as a PATCH's is: a
 * cycle through the new node is reported on the edge that closes it (the graph is walked
 * from the new node first, so that edge leads into it), named node by node.
 */
export function withNodeAdded(stored: readonly NodeInput[], addition: NodeAddition): NodeInput[] {
  const { after, edgeLocations, nodeLocation } = addition;
  const node = structuredClone(addition.node);
  const nodes = structuredClone(stored) as NodeInput[];
  const indexById = new Map(nodes.map((each, index) => [String(each.id), index]));
  const problems: Violation[] = [];
  if (nodes.length >= maxNodes)
    problems.push(violation(['body'], 'nodes_limit', `a workflow holds at most ${maxNodes} nodes`));
  if (indexById.has(String(node.id)))
    problems.push(
      violation([...nodeLocation, 'id'], 'node_id_unique', `a node with id '${node.id}' exists already`, node.id),
    );
  const leadsTo = new Set(node.next_node_ids ?? []);
  after.forEach((id, position) => {
    const index = indexById.get(id);
    if (index === undefined) {
      problems.push(
        violation(
          ['body', 'after_node_ids', position],
          'next_node_exists',
          `after_node_ids names no node of this workflow: '${id}'`,
          id,
        ),
      );
      return;
    }
    const edges = nodes[index].next_node_ids ?? [];
    const first = edges.findIndex((next) => leadsTo.has(next));
    const spliced =
      first === -1
        ? [...edges, String(node.id)]
        : [...edges.slice(0, first), String(node.id), ...edges.slice(first + 1).filter((next) => !leadsTo.has(next))];
    if (spliced.length > maxEdges)
      problems.push(
        violation(
          ['body', 'after_node_ids', position],
          'node_edges_limit',
          `node '${id}' already has ${maxEdges} next nodes`,
          id,
        ),
      );
    nodes[index].next_node_ids = spliced;
  });
  if (problems.length > 0) throw new RuleViolationError(problems);

  // Checked in place (ids assigned to the new node's inner nodes stay), the new node first.
  const located = (problem: Violation): Violation => {
    const [, index, ...rest] = problem.loc as [string, number, ...Location];
    if (index === 0) {
      const edge = rest[0] === 'next_node_ids' && typeof rest[1] === 'number' ? rest[1] : undefined;
      return edge === undefined
        ? { ...problem, loc: [...nodeLocation, ...rest] }
        : { ...problem, loc: edgeLocations[edge] };
    }
    const at = nodes[index - 1];
    const id = String(at.id);
    const message = problem.rule === 'graph_acyclic' ? problem.message : `node ${labelOf(at)}: ${problem.message}`;
    const position = after.indexOf(id);
    if (position !== -1) return { ...problem, loc: ['body', 'after_node_ids', position], message, input: id };
    const edge = (node.next_node_ids ?? []).indexOf(id);
    if (edge !== -1) return { ...problem, loc: edgeLocations[edge], message, input: id };
    return { ...problem, loc: ['body', 'orchestration_nodes', index - 1, ...rest] };
  };
  const found = graphViolations([node, ...nodes], ['orchestration_nodes']);
  if (found.length > 0) throw new RuleViolationError(found.map(located));
  return [...nodes, node];
}

/**
 * The fields a node's removal rewrites, or 404 when the top-level list has no node with that
 * id. Every `next_node_ids` entry that named it goes, and so does every trigger's edge to it
 * (`source_nodes[].targets`). A removal that would leave another node breaking a graph rule
 * is refused (422, at the path's node id, naming that node): a `node_pointer` whose source it
 * is, a node whose condition routes on a group of the classifier or guardrail removed. A
 * classifier's or guardrail's group that led to it stays, leading nowhere; a `parallel`
 * node's inner nodes go with it.
 */
export function withNodeRemoved(fields: WorkflowFields, nodeId: string): WorkflowFields {
  const stored = (fields.orchestration_nodes ?? []) as NodeInput[];
  if (!stored.some((node) => node.id === nodeId)) throw new NotFoundError('workflowNode');
  const nodes = structuredClone(stored.filter((node) => node.id !== nodeId));
  for (const node of nodes)
    if (node.next_node_ids?.includes(nodeId)) node.next_node_ids = node.next_node_ids.filter((id) => id !== nodeId);
  const problems = graphViolations(nodes, ['orchestration_nodes']);
  if (problems.length > 0)
    throw new RuleViolationError(
      problems.map((problem) => ({
        ...problem,
        loc: ['path', 'node_id'],
        message: `removing it would leave node ${labelOf(nodes[problem.loc[1] as number])} invalid: ${problem.message}`,
        input: nodeId,
      })),
    );
  const triggers = fields.source_nodes as { targets?: string[] | null }[] | undefined;
  if (!triggers?.some((trigger) => trigger.targets?.includes(nodeId))) return { orchestration_nodes: nodes };
  return {
    orchestration_nodes: nodes,
    source_nodes: triggers.map((trigger) =>
      trigger.targets?.includes(nodeId)
        ? { ...trigger, targets: trigger.targets.filter((id) => id !== nodeId) }
        : trigger,
    ),
  };
}
