/**
 * `POST /v1/workflows/{workflow_id}/nodes?deploy=`: add one node and wire its edges, a change of
 * the whole graph computed from the stored nodes (functions/domain/workflow/nodes.ts) and
 * written through the one read–resolve–write loop: deployed at once (the default), or staged
 * with `deploy=false`. Answers every node, summarized.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { graphChange } from '../domain/workflow/change.js';
import { nodeAdditionOf, nodesOf, withNodeAdded } from '../domain/workflow/nodes.js';
import type { workflowIdParams } from '../../schemas/workflow.js';
import type { addWorkflowNodeInput, workflowNodeQuery } from '../../schemas/workflow-node.js';
import { readResolveWrite } from './read-resolve-write.js';
import { nodeListResult } from './result.js';

export async function addWorkflowNode(
  command: CommandFor<{
    params: typeof workflowIdParams;
    query: typeof workflowNodeQuery;
    body: typeof addWorkflowNodeInput;
  }>,
): Promise<Result> {
  const { params, precondition, query } = command;
  // Before any read: a body that names no node (or two kinds of one) costs no request.
  const addition = nodeAdditionOf(command.body);
  return readResolveWrite(command, params.workflow_id, precondition, {
    kind: query.deploy ? 'deploy' : 'stage',
    result: nodeListResult,
    resolve: (record) => graphChange(record, { orchestration_nodes: withNodeAdded(nodesOf(record), addition) }),
  });
}
