/** `GET /v1/workflows/{workflow_id}[?version=N]`: the working copy, or deployed snapshot N. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { toWorkflowResponse, uniqueNameOf } from '../domain/workflow/model.js';
import * as workflowStore from '../store/workflows.js';
import type { getWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import { workingCopyResult } from './result.js';

export async function getWorkflow(
  command: CommandFor<{ params: typeof workflowIdParams; query: typeof getWorkflowQuery }>,
): Promise<Result> {
  const { principal, params, query } = command;
  if (query.version === undefined)
    return workingCopyResult(await workflowStore.getWorkflow(principal.organizationId, params.workflow_id));
  const { record, snapshot } = await workflowStore.getWorkflowWithVersion(
    principal.organizationId,
    params.workflow_id,
    query.version,
  );
  return {
    status: 200,
    body: toWorkflowResponse(snapshot, {
      id: record.id,
      organizationId: record.organizationId,
      uniqueName: uniqueNameOf(record),
      version: snapshot.version,
      isLatest: snapshot.version === record.version,
      hasPendingChanges: record.hasPendingChanges,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
    }),
  };
}
