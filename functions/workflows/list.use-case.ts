/** `GET /v1/workflows?limit=&next=`: a page of the organization's workflows (working copies). */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { workingCopyResponse } from '../domain/workflow/model.js';
import { workflowPageKeyShape } from '../store/keys.js';
import * as workflowStore from '../store/workflows.js';
import type { listWorkflowsQuery } from '../../schemas/workflow.js';

export async function listWorkflows(command: CommandFor<{ query: typeof listWorkflowsQuery }>): Promise<Result> {
  const { principal, query } = command;
  const page = await workflowStore.listWorkflows(principal.organizationId, {
    limit: query.limit,
    startKey: decodeCursor(query.next, { param: 'next', shape: workflowPageKeyShape(principal.organizationId) }),
  });
  return { status: 200, body: { items: page.items.map(workingCopyResponse), next: encodeCursor(page.lastKey) } };
}
