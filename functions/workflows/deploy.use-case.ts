/**
 * `PUT /v1/workflows/{workflow_id}[?from_version=N]`: deploy the working copy, or roll
 * back by deploying snapshot N's content (the working copy becomes that content).
 */
import type { Result } from '../core/command.js';
import type { CommandFor } from '../core/route.js';
import type { deployWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import { contentOf } from './content.js';
import { deploy } from './deployment.js';

export async function deployWorkflow(
  command: CommandFor<{ params: typeof workflowIdParams; query: typeof deployWorkflowQuery }>,
): Promise<Result> {
  const { principal, params, precondition, query } = command;
  if (query.from_version === undefined) {
    return deploy(principal, params.workflow_id, precondition, (record) => ({
      change: { set: {}, remove: [] },
      content: contentOf(record),
    }));
  }
  return deploy(
    principal,
    params.workflow_id,
    precondition,
    (record, snapshot) => {
      const content = contentOf(snapshot!);
      return {
        change: {
          set: content.fields,
          remove: Object.keys(record.fields ?? {}).filter((field) => !(field in content.fields)),
          credential: content.llmCredentialsValue ? { sealed: content.llmCredentialsValue } : 'clear',
          notificationSecrets: content.notificationSecrets ?? {},
        },
        content,
      };
    },
    query.from_version,
  );
}
