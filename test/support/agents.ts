/**
 * The agent read views (`GET /v1/agents/list`, `GET /v1/agents/{agent_id}`) as the
 * integration tests call them: the real handlers on API Gateway (REST, v1) events, each
 * reply checked against the route's success schema or the FastAPI error shapes.
 */
import { handler as getHandler } from '../../functions/agents/get.js';
import { handler as listHandler } from '../../functions/agents/list.js';
import { agentListResponse } from '../../schemas/agent.js';
import { conditionTypes, nodeTypes, outputFormats } from '../../schemas/workflow.js';
import { invoke, type Organization, type Reply, restEvent } from './api.js';
import { assertWorkflowReply } from './schemas.js';
import { workflowHeaders } from './workflows.js';

type Headers = Record<string, string>;
type Query = Record<string, string>;

/** `GET /v1/agents/list`. */
export async function listAgents(org: Organization, query: Query = {}): Promise<Reply> {
  const reply = await invoke(
    listHandler,
    restEvent({ method: 'GET', path: '/v1/agents/list', query, headers: workflowHeaders(org) }),
  );
  assertWorkflowReply(reply, agentListResponse);
  return reply;
}

/** `GET /v1/agents/{agent_id}` (`query.version` or the `x-agent-version` header pick a deployed version). */
export async function getAgent(
  org: Organization,
  id: string,
  query: Query = {},
  headers: Headers = {},
): Promise<Reply> {
  const reply = await invoke(
    getHandler,
    restEvent({
      method: 'GET',
      path: `/v1/agents/${id}`,
      pathParameters: { agent_id: id },
      query,
      headers: workflowHeaders(org, headers),
    }),
  );
  assertWorkflowReply(reply);
  return reply;
}

const isOptional = (check: (value: any) => boolean) => (value: unknown) =>
  value === undefined || value === null || check(value);
const isText = (value: unknown) => typeof value === 'string';
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf = (values: readonly string[]) => (value: unknown) => values.includes(value as string);

/**
 * What the SDK's `OrchestrationNode` (xpander-sdk, `models/orchestrations.py`; the node types of
 * docs/contracts.md) requires of a node, restated field by field, each as the pydantic model
 * reads it: `Agent.load` fails on a node that breaks one. `definition` is a union the SDK tries
 * member by member; a pointer node (agent, orchestration, action) must fit
 * `OrchestrationPointerNode` — `asset_id`, and `type` one of the pointer types — or the SDK
 * reads it as another member and the node loses what it runs.
 */
export function sdkNodeProblems(node: any): string[] {
  const condition = isOptional(
    (value) =>
      isObject(value) &&
      oneOf(conditionTypes)(value.type) &&
      ['term', 'group_id', 'path'].every((field) => isOptional(isText)(value[field])),
  );
  const rules: Record<string, (value: any) => boolean> = {
    type: oneOf(nodeTypes),
    id: isText,
    next_node_ids: (value) => Array.isArray(value) && value.every(isText),
    name: isOptional(isText),
    description: isOptional(isText),
    condition,
    retry_strategy: isOptional(isObject),
    iterative_strategy: isOptional((value) => isObject(value) && condition(value.end_condition)),
    stop_strategy: isOptional((value) => isObject(value) && condition(value.stop_on_condition)),
    input_type: isOptional(oneOf(outputFormats)),
    input_schema: isOptional(isObject),
    input_instructions: isOptional(isText),
    definition: isObject,
  };
  const problems = Object.entries(rules)
    .filter(([field, fits]) => !fits(node[field]))
    .map(([field]) => `${String(node.id)}.${field}: ${JSON.stringify(node[field])}`);
  if (['agent', 'orchestration', 'action'].includes(node.type)) {
    const pointer = node.definition ?? {};
    const fits =
      isText(pointer.asset_id) &&
      oneOf(['agent', 'custom_function', 'orchestration', 'action'])(pointer.type) &&
      isOptional(isText)(pointer.instructions) &&
      isOptional(oneOf(['replace', 'append']))(pointer.instructions_mode);
    if (!fits)
      problems.push(`${String(node.id)}.definition is no OrchestrationPointerNode: ${JSON.stringify(pointer)}`);
  }
  return problems;
}
