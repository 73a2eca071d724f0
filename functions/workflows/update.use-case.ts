/**
 * `PATCH /v1/workflows/{workflow_id}?deploy=`: stage the change (one write, none when it
 * changes nothing), or stage and deploy it. Read-only response fields sent back must say
 * what is stored.
 */
import type { Result } from '../core/command.js';
import type { CommandFor } from '../core/route.js';
import { stageWorkflowChange } from '../store/workflows.js';
import { parseQueryBoolean } from '../../schemas/formats.js';
import type { updateWorkflowInput, updateWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import { applyChange, assertFacts, assertPatchRules, changeFrom, contentOf, type WorkflowBody, withCurrentSeal, workingCopyResult } from './content.js';
import { deploy } from './deployment.js';

export async function updateWorkflow(
  command: CommandFor<{ params: typeof workflowIdParams; query: typeof updateWorkflowQuery; body: typeof updateWorkflowInput }>,
): Promise<Result> {
  const { principal, params, precondition, query } = command;
  const body = command.body as WorkflowBody;
  const facts = assertPatchRules(body, principal.organizationId, params.workflow_id);
  const change = await changeFrom(body, principal.organizationId, params.workflow_id);
  if (!parseQueryBoolean(query.deploy)) {
    const record = await stageWorkflowChange(principal.organizationId, params.workflow_id, change, precondition, {
      actor: principal.keyName,
      now: new Date().toISOString(),
      facts,
    });
    return workingCopyResult(record);
  }
  return deploy(principal, params.workflow_id, precondition, (record) => {
    assertFacts(record, facts);
    return withCurrentSeal({ change, content: applyChange(contentOf(record), change) }, principal.organizationId, params.workflow_id);
  });
}
