/**
 * `DELETE /v1/workflows/{workflow_id}/nodes/{node_id}?deploy=`: remove one node and scrub every
 * edge to it, a change of the whole graph computed from the stored nodes
 * (functions/domain/workflow/nodes.ts) and written through the one read–resolve–write loop:
 * deployed at once (the default), or staged with `deploy=false`. Answers the nodes left.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { graphChange } from '../domain/workflow/change.js';
import { decodeFields } from '../domain/workflow/model.js';
import { withNodeRemoved } from '../domain/workflow/nodes.js';
import type { workflowNodeParams, workflowNodeQuery } from '../../schemas/workflow-node.js';
import { readResolveWrite } from './read-resolve-write.js';
import { nodeListResult } from './result.js';

export async function removeWorkflowNode(
  command: CommandFor<{ params: typeof workflowNodeParams; query: typeof workflowNodeQuery }>,
): Promise<Result> {
  const { params, precondition, query } = command;
  return readResolveWrite(command, params.workflow_id, precondition, {
    kind: query.deploy ? 'deploy' : 'stage',
    result: nodeListResult,
    resolve: (record) => graphChange(record, withNodeRemoved(decodeFields(record.fields), params.node_id)),
  });
}
