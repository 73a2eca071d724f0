/**
 * `PATCH /v1/workflows/{workflow_id}?deploy=`: stage the change (one write, none when it
 * changes nothing), or stage and deploy it. Its read-only claims (response fields sent
 * back) must say what is stored. A masked notification secret needs what is stored at its place: such a
 * PATCH reads the working copy first and writes guarded by the revision it read.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import {
  applyChange,
  carrySealed,
  changeFrom,
  contentOf,
  leavesUnchanged,
  resolveNotificationKeeps,
  type WorkflowBody,
} from '../domain/workflow/change.js';
import { assertPatchRules, assertReadOnlyClaims } from '../domain/workflow/read-only-claims.js';
import type { updateWorkflowInput, updateWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import { readResolveWrite } from './read-resolve-write.js';
import { sealChange, sealedInPlace, withCurrentSeal } from './secrets.js';

export async function updateWorkflow(
  command: CommandFor<{
    params: typeof workflowIdParams;
    query: typeof updateWorkflowQuery;
    body: typeof updateWorkflowInput;
  }>,
): Promise<Result> {
  const { principal, params, precondition, query } = command;
  const { organizationId } = principal;
  const workflowId = params.workflow_id;
  const body = command.body as WorkflowBody;
  const readOnlyClaims = assertPatchRules(body, organizationId, workflowId);
  const change = await sealChange(changeFrom(body), organizationId, workflowId);
  const kind = query.deploy ? 'deploy' : 'stage';
  return readResolveWrite(command, workflowId, precondition, {
    kind,
    // Staged with no masked notification secret, the change needs nothing stored: its write's condition reads for it.
    ...(kind === 'stage' && !change.notificationKeeps ? { unread: { change, readOnlyClaims } } : {}),
    resolve: async (record) => {
      assertReadOnlyClaims(record, readOnlyClaims);
      // Secrets a release before 0.2.0 left in clear in the settings are sealed first: a mask keeps them, a write seals.
      const stored = contentOf(record);
      const sealed = await sealedInPlace(stored, organizationId, workflowId);
      const resolved = carrySealed(resolveNotificationKeeps(change, sealed), stored, sealed);
      if (kind === 'stage' && leavesUnchanged(record, resolved)) return undefined;
      return withCurrentSeal({ change: resolved, content: applyChange(sealed, resolved) }, organizationId, workflowId);
    },
  });
}
