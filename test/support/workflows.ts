/**
 * The workflow routes as the integration tests call them: each helper builds the API
 * Gateway (REST, v1) event, invokes the real handler and checks the reply against the
 * xpander (FastAPI) contract's schemas (the route's success schema, or the error
 * response) before returning it. Tests that need an odd event (no key, a raw body, a bad
 * id, a v2 event) build it themselves with `restEvent` / `httpApiEvent`.
 */
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../functions/workflows/create.js';
import { handler as deleteHandler } from '../../functions/workflows/delete.js';
import { handler as deployHandler } from '../../functions/workflows/deploy.js';
import { handler as getHandler } from '../../functions/workflows/get.js';
import { handler as listHandler } from '../../functions/workflows/list.js';
import { handler as addNodeHandler } from '../../functions/workflows/add-node.js';
import { handler as listNodesHandler } from '../../functions/workflows/list-nodes.js';
import { handler as removeNodeHandler } from '../../functions/workflows/remove-node.js';
import { handler as updateHandler } from '../../functions/workflows/update.js';
import { handler as versionsHandler } from '../../functions/workflows/versions.js';
import { workflowDeletedResponse, workflowListResponse, workflowVersionsResponse } from '../../schemas/workflow.js';
import { workflowNodeList } from '../../schemas/workflow-node.js';
import { invoke, type Organization, type Reply, restEvent } from './api.js';
import { assertWorkflowReply } from './schemas.js';

type Headers = Record<string, string>;
type Query = Record<string, string>;

/** The headers of a workflow request by `org`, plus `extra`. */
export const workflowHeaders = (org: Organization, extra: Headers = {}): Headers => ({
  'x-api-key': org.apiKey,
  ...extra,
});

/** `POST /v1/workflows`; a body of only a name by default. */
export async function createWorkflow(
  org: Organization,
  body: unknown = { name: `wf-${randomUUID()}` },
): Promise<Reply> {
  const reply = await invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/workflows', headers: workflowHeaders(org), body }),
  );
  assertWorkflowReply(reply);
  return reply;
}

/** `PATCH /v1/workflows/{workflow_id}` (`query.deploy` deploys too). */
export async function patchWorkflow(
  org: Organization,
  id: string,
  body: unknown,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    updateHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      query,
      headers: workflowHeaders(org, headers),
      body,
    }),
  );
  assertWorkflowReply(reply);
  return reply;
}

/** `PUT /v1/workflows/{workflow_id}`: deploy the working copy, or `query.from_version`. */
export async function deployWorkflow(
  org: Organization,
  id: string,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    deployHandler,
    restEvent({
      method: 'PUT',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      query,
      headers: workflowHeaders(org, headers),
    }),
  );
  assertWorkflowReply(reply);
  return reply;
}

/** `GET /v1/workflows/{workflow_id}` (`query.version` or the `x-agent-version` header pick a deployed version). */
export async function getWorkflow(
  org: Organization,
  id: string,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    getHandler,
    restEvent({
      method: 'GET',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      query,
      headers: workflowHeaders(org, headers),
    }),
  );
  assertWorkflowReply(reply);
  return reply;
}

/** `GET /v1/workflows`. */
export async function listWorkflows(org: Organization, query: Query = {}): Promise<Reply> {
  const reply = await invoke(
    listHandler,
    restEvent({ method: 'GET', path: '/v1/workflows', query, headers: workflowHeaders(org) }),
  );
  assertWorkflowReply(reply, workflowListResponse);
  return reply;
}

/** `GET /v1/workflows/{workflow_id}/versions`. */
export async function workflowVersions(org: Organization, id: string, query: Query = {}): Promise<Reply> {
  const reply = await invoke(
    versionsHandler,
    restEvent({
      method: 'GET',
      path: `/v1/workflows/${id}/versions`,
      pathParameters: { workflow_id: id },
      query,
      headers: workflowHeaders(org),
    }),
  );
  assertWorkflowReply(reply, workflowVersionsResponse);
  return reply;
}

/** `DELETE /v1/workflows/{workflow_id}`. */
export async function deleteWorkflow(org: Organization, id: string): Promise<Reply> {
  const reply = await invoke(
    deleteHandler,
    restEvent({
      method: 'DELETE',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      headers: workflowHeaders(org),
    }),
  );
  assertWorkflowReply(reply, workflowDeletedResponse);
  return reply;
}

/** `GET /v1/workflows/{workflow_id}/nodes`. */
export async function listWorkflowNodes(org: Organization, id: string): Promise<Reply> {
  const reply = await invoke(
    listNodesHandler,
    restEvent({
      method: 'GET',
      path: `/v1/workflows/${id}/nodes`,
      pathParameters: { workflow_id: id },
      headers: workflowHeaders(org),
    }),
  );
  assertWorkflowReply(reply, workflowNodeList);
  return reply;
}

/** `POST /v1/workflows/{workflow_id}/nodes` (deployed unless `query.deploy` says false). */
export async function addWorkflowNode(
  org: Organization,
  id: string,
  body: unknown,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    addNodeHandler,
    restEvent({
      method: 'POST',
      path: `/v1/workflows/${id}/nodes`,
      pathParameters: { workflow_id: id },
      query,
      headers: workflowHeaders(org, headers),
      body,
    }),
  );
  assertWorkflowReply(reply, workflowNodeList);
  return reply;
}

/** `DELETE /v1/workflows/{workflow_id}/nodes/{node_id}` (deployed unless `query.deploy` says false). */
export async function removeWorkflowNode(
  org: Organization,
  id: string,
  nodeId: string,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    removeNodeHandler,
    restEvent({
      method: 'DELETE',
      path: `/v1/workflows/${id}/nodes/${encodeURIComponent(nodeId)}`,
      pathParameters: { workflow_id: id, node_id: nodeId },
      query,
      headers: workflowHeaders(org, headers),
    }),
  );
  assertWorkflowReply(reply, workflowNodeList);
  return reply;
}

/** The seed's own node example, made a valid graph: a custom_function with `{code}`. */
export const seedNode = () => ({
  type: 'custom_function',
  definition: { code: 'return input' },
  id: 'start',
  next_node_ids: [],
  name: 'Start',
  description: 'first node',
  condition: null,
  retry_strategy: { enabled: false, max_retries: 3 },
  iterative_strategy: {
    enabled: false,
    max_iterations: 3,
    end_condition: { type: 'regex', term: '^done$', path: null, value: null },
  },
  stop_strategy: { enabled: false, stop_on_failure: true, stop_on_condition: { type: 'contains', term: 'stop' } },
  input_type: 'text',
  input_schema: {},
  input_instructions: 'Take the input as is',
  agentic_context_input_instructions: 'none',
  agentic_context_output_instructions: 'none',
  return_this: false,
});
