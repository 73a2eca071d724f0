/**
 * `PATCH /v1/workflows/{workflow_id}?deploy=`: stage the change (one write, none when it
 * changes nothing), or stage and deploy it. Read-only response fields sent back must say
 * what is stored. A masked notification secret needs what is stored at its place: such a
 * PATCH reads the working copy first and writes guarded by the revision it read.
 */
import type { Principal, Result } from '../core/command.js';
import type { CommandFor } from '../core/route.js';
import { matchesPrecondition, type Precondition } from '../domain/precondition.js';
import type { StoredFact } from '../domain/workflow/round-trip.js';
import { ConcurrentChangeError, StaleVersionError } from '../errors.js';
import { contended, retryOnConflict } from '../store/retry.js';
import { getWorkflow, leavesUnchanged, stageWorkflowChange, type WorkflowChange } from '../store/workflows.js';
import type { updateWorkflowInput, updateWorkflowQuery, workflowIdParams } from '../../schemas/workflow.js';
import {
  applyChange,
  assertFacts,
  assertPatchRules,
  changeFrom,
  contentOf,
  resolveNotificationKeeps,
  type WorkflowBody,
  withCurrentSeal,
  workingCopyResult,
} from './content.js';
import { deploy } from './deployment.js';

/** Reads again after another write came between the read and the write, this many times at most. */
const maxKeepAttempts = 3;

/**
 * Stages a change whose masked notification secrets keep what is stored: read, resolve, write guarded by the revision
 * read.
 */
function stageKeepingStored(
  principal: Principal,
  workflowId: string,
  change: WorkflowChange,
  precondition: Precondition | undefined,
  facts: readonly StoredFact[],
): Promise<Result> {
  const { organizationId, keyName } = principal;
  return retryOnConflict(
    async () => {
      const record = await getWorkflow(organizationId, workflowId, true);
      if (!matchesPrecondition(precondition, record.revision)) throw new StaleVersionError('workflow');
      assertFacts(record, facts);
      const resolved = resolveNotificationKeeps(change, contentOf(record));
      // Nothing new: no write, so no re-seal either (as for every PATCH that changes nothing).
      if (leavesUnchanged(record, resolved)) return workingCopyResult(record);
      const { change: sealed } = await withCurrentSeal(
        { change: resolved, content: applyChange(contentOf(record), resolved) },
        organizationId,
        workflowId,
      );
      try {
        const staged = await stageWorkflowChange(
          organizationId,
          workflowId,
          sealed,
          { versions: [record.revision] },
          { actor: keyName, now: new Date().toISOString(), facts },
        );
        return workingCopyResult(staged);
      } catch (error) {
        // Written since it was read: read again (the caller's own If-Match is checked on that read).
        if (error instanceof StaleVersionError) return contended;
        throw error;
      }
    },
    { attempts: maxKeepAttempts, jitterMs: 20, exhausted: () => new ConcurrentChangeError('workflow') },
  );
}

export async function updateWorkflow(
  command: CommandFor<{
    params: typeof workflowIdParams;
    query: typeof updateWorkflowQuery;
    body: typeof updateWorkflowInput;
  }>,
): Promise<Result> {
  const { principal, params, precondition, query } = command;
  const body = command.body as WorkflowBody;
  const facts = assertPatchRules(body, principal.organizationId, params.workflow_id);
  const change = await changeFrom(body, principal.organizationId, params.workflow_id);
  if (!query.deploy) {
    if (change.notificationKeeps) return stageKeepingStored(principal, params.workflow_id, change, precondition, facts);
    const record = await stageWorkflowChange(principal.organizationId, params.workflow_id, change, precondition, {
      actor: principal.keyName,
      now: new Date().toISOString(),
      facts,
    });
    return workingCopyResult(record);
  }
  return deploy(principal, params.workflow_id, precondition, async (record) => {
    assertFacts(record, facts);
    const resolved = resolveNotificationKeeps(change, contentOf(record));
    return withCurrentSeal(
      { change: resolved, content: applyChange(contentOf(record), resolved) },
      principal.organizationId,
      params.workflow_id,
    );
  });
}
