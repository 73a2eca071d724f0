/**
 * xpander "Workflow Nodes" shapes (docs/contracts.md, xpander): a workflow's graph edited one
 * node at a time. The add body names one node — an action (`connection_id` and
 * `operation_id`), an agent (`agent_id`) or any other node whole (`advanced`, the
 * `OrchestrationNode` a PATCH takes) — and its edges; every node route answers the node
 * summaries. Which kind a body is, and what its edges do to the graph, is checked in
 * functions/domain/workflow/nodes.ts.
 *
 * A node built here must read back as a valid `OrchestrationNode`: a GET body sent back in a
 * PATCH is accepted. So each limit is the one of the field it becomes (`name` 200, an asset
 * id 128: a connection id of at most 63 characters, `:`, an operation id of at most 64).
 */
import { nodeTypes, uuidSchema } from './common.js';

const nodeIds = (description: string) => ({ $ref: 'WorkflowDefs#/$defs/ids', description }) as const;

export const workflowNodeParams = {
  $id: 'WorkflowNodeParams',
  type: 'object',
  properties: {
    workflow_id: { ...uuidSchema, description: 'Unique identifier of the workflow (UUID).' },
    node_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: "The node's `id` in the working copy's `orchestration_nodes` (matched as sent, case included).",
    },
  },
  required: ['workflow_id', 'node_id'],
} as const;

/** `deploy`, as FastAPI reads a boolean from a query string; true when absent, unlike PATCH's. */
export const workflowNodeQuery = {
  $id: 'WorkflowNodeQuery',
  type: 'object',
  properties: {
    deploy: {
      type: 'string',
      format: 'query-boolean',
      default: 'true',
      description:
        'Deploy the workflow after the change, so it takes effect at once (default true); `false` stages it on the working copy.',
    },
  },
} as const;

/** `POST /v1/workflows/{workflow_id}/nodes` body. */
export const addWorkflowNodeInput = {
  $id: 'AddWorkflowNodeRequest',
  type: 'object',
  description:
    'One node, and its edges: an action node (`connection_id` and `operation_id`), an agent node (`agent_id`), or any other node whole (`advanced`).',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', description: "The node's name." },
    connection_id: {
      type: 'string',
      minLength: 1,
      maxLength: 63,
      pattern: '^[^:]+$',
      description:
        'Action node: the connection that runs the operation. Its asset id is `<connection_id>:<operation_id>`.',
    },
    operation_id: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: "Action node: the operation (the connector catalog's id) it calls.",
    },
    agent_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'Agent node: the agent it invokes (its asset id).',
    },
    instructions: {
      type: ['string', 'null'],
      maxLength: 100_000,
      description: "Action or agent node: instructions for this step (appended to the asset's own).",
    },
    advanced: {
      $ref: 'OrchestrationNode',
      description:
        "Any other node, whole, as `orchestration_nodes` takes it (its `name` is the body's; a uuid4 `id` is assigned when it has none).",
    },
    after_node_ids: nodeIds(
      'Nodes that get an edge to the new node. An edge of theirs straight to one of `next_node_ids` becomes the edge to the new node: it goes in between.',
    ),
    next_node_ids: nodeIds('Nodes the new node has an edge to.'),
  },
  required: ['name'],
  additionalProperties: false,
} as const;

/** One node as the node routes show it: what it is, where it leads, and what it runs. */
export const workflowNodeSummary = {
  $id: 'WorkflowNodeSummary',
  type: 'object',
  properties: {
    id: { type: 'string', description: 'Node id: what edges and `DELETE …/nodes/{node_id}` name.' },
    type: { type: 'string', enum: nodeTypes, description: 'Node type (action, agent, classifier, …).' },
    name: { type: ['string', 'null'], description: 'Node name.' },
    next_node_ids: { type: 'array', items: { type: 'string' }, description: 'Ids of the nodes that run after it.' },
    asset_id: {
      type: ['string', 'null'],
      description:
        'The asset a pointer node (action, agent, orchestration, custom function) runs: `definition.asset_id`.',
    },
    connection_id: { type: ['string', 'null'], description: "An action node's connection, from its asset id." },
    operation_id: { type: ['string', 'null'], description: "An action node's operation, from its asset id." },
    target_agent_id: { type: ['string', 'null'], description: "An agent node's agent (its asset id)." },
  },
  required: ['id', 'type', 'name', 'next_node_ids', 'asset_id', 'connection_id', 'operation_id', 'target_agent_id'],
  additionalProperties: false,
} as const;

/** What every node route answers: the working copy's nodes, in their order, summarized. */
export const workflowNodeList = {
  $id: 'WorkflowNodeList',
  type: 'array',
  items: workflowNodeSummary,
} as const;
