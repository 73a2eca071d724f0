/** `DELETE /v1/workflows/{workflow_id}`: 202; the workflow and its snapshots are gone. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import * as workflowStore from '../store/workflows.js';
import type { workflowIdParams } from '../../schemas/workflow.js';

export async function deleteWorkflow(command: CommandFor<{ params: typeof workflowIdParams }>): Promise<Result> {
  const { principal, actor, params, precondition } = command;
  await workflowStore.deleteWorkflow(
    principal.organizationId,
    params.workflow_id,
    precondition,
    actor,
    new Date().toISOString(),
  );
  return { status: 202, body: { id: params.workflow_id, detail: 'Workflow deleted' } };
}
