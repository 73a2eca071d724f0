/**
 * `PUT /v1/workflows/{workflow_id}[?from_version=N]`: deploy the working copy, or roll
 * back by deploying snapshot N's content (the working copy becomes that content).
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { deployAsIs, rollbackTo } from '../domain/workflow/change.js';
import type { deployWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import { readResolveWrite } from './read-resolve-write.js';

export async function deployWorkflow(
  command: CommandFor<{ params: typeof workflowIdParams; query: typeof deployWorkflowQuery }>,
): Promise<Result> {
  const { params, precondition, query } = command;
  if (query.from_version === undefined)
    return readResolveWrite(command, params.workflow_id, precondition, { kind: 'deploy', resolve: deployAsIs });
  return readResolveWrite(command, params.workflow_id, precondition, {
    kind: 'deploy',
    fromVersion: query.from_version,
    resolve: (record, snapshot) => rollbackTo(record, snapshot!),
  });
}
