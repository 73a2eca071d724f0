/**
 * `GET /v1/agents/{agent_id}[?version=N]` (xpander SDK `Agents.get` / `Agent.load`, which
 * sends the version as header `x-agent-version`): the workflow, read as `GET
 * /v1/workflows/{workflow_id}` reads it.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { getWorkflow } from '../workflows/get.use-case.js';
import type { agentIdParams, getAgentQuery } from '../../schemas/agent.js';

export async function getAgent(
  command: CommandFor<{ params: typeof agentIdParams; query: typeof getAgentQuery }>,
): Promise<Result> {
  return getWorkflow({ ...command, params: { workflow_id: command.params.agent_id } });
}
