/** `GET /v1/workflows/{workflow_id}/nodes`: the working copy's nodes, summarized, its revision as the ETag. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import * as workflowStore from '../store/workflows.js';
import type { workflowIdParams } from '../../schemas/workflow.js';
import { nodeListResult } from './result.js';

export async function listWorkflowNodes(command: CommandFor<{ params: typeof workflowIdParams }>): Promise<Result> {
  const { principal, params } = command;
  return nodeListResult(await workflowStore.getWorkflow(principal.organizationId, params.workflow_id));
}
