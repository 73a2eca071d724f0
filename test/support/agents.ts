/**
 * The agent read views (`GET /v1/agents/list`, `GET /v1/agents/{agent_id}`) as the
 * integration tests call them: the real handlers on API Gateway (REST, v1) events, each
 * reply checked against the route's success schema or the FastAPI error shapes.
 */
import { handler as getHandler } from '../../functions/agents/get.js';
import { handler as listHandler } from '../../functions/agents/list.js';
import { agentListResponse } from '../../schemas/agent.js';
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
