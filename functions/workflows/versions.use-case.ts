/** `GET /v1/workflows/{workflow_id}/versions`: deployed versions, newest first. */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { workflowVersionPageKeyShape } from '../store/keys.js';
import * as workflowStore from '../store/workflows.js';
import type { listWorkflowsQuery, workflowIdParams } from '../../schemas/workflow.js';

export async function listWorkflowVersions(
  command: CommandFor<{ params: typeof workflowIdParams; query: typeof listWorkflowsQuery }>,
): Promise<Result> {
  const { principal, params, query } = command;
  const page = await workflowStore.listWorkflowVersions(principal.organizationId, params.workflow_id, {
    limit: query.limit,
    startKey: decodeCursor(query.next, {
      param: 'next',
      shape: workflowVersionPageKeyShape(principal.organizationId, params.workflow_id),
    }),
  });
  const latest = page.record?.version;
  return {
    status: 200,
    body: {
      items: page.snapshots.map((snapshot) => ({
        version: snapshot.version,
        deployed_at: snapshot.deployedAt,
        deployed_by: snapshot.deployedBy,
        is_latest: snapshot.version === latest,
      })),
      next: encodeCursor(page.lastKey),
    },
  };
}
