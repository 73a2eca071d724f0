/**
 * Deploying a new version, shared by `PATCH ?deploy=true` and `PUT` (deploy or roll
 * back): read the working copy (and the snapshot rolled back to), plan the change and
 * the snapshot, validate the merged document, and write both in one transaction
 * guarded by the revision read. Two requests when nobody else writes meanwhile; under
 * contention it reads again, so concurrent deploys all land, as contiguous versions.
 */
import type { Principal, Result } from '../core/command.js';
import { matchesPrecondition, type Precondition } from '../domain/precondition.js';
import {
  decodeFields,
  type StoredContent,
  type WorkflowRecord,
  type WorkflowSnapshot,
} from '../domain/workflow/model.js';
import { ConcurrentChangeError, StaleVersionError } from '../errors.js';
import { collided, contended, retryOnConflict } from '../store/retry.js';
import { getWorkflow, getWorkflowWithVersion, type WorkflowChange, writeDeployment } from '../store/workflows.js';
import { assertWorkflowRules, workingCopyResult } from './content.js';

/** What a deploy changes in the working copy and what its snapshot holds, decided from what was read. */
export type DeploymentPlan = (
  record: WorkflowRecord,
  snapshot?: WorkflowSnapshot,
) => { change: WorkflowChange; content: StoredContent } | Promise<{ change: WorkflowChange; content: StoredContent }>;

/** How many times a deploy re-reads after losing a race before it answers 409. */
const maxDeployAttempts = 25;

/** Deploys the next version as `plan` says; `fromVersion` is read alongside when rolling back. */
export async function deploy(
  principal: Principal,
  workflowId: string,
  precondition: Precondition | undefined,
  plan: DeploymentPlan,
  fromVersion?: number,
): Promise<Result> {
  const { organizationId, keyName } = principal;
  const guarded = precondition !== undefined && !('any' in precondition);
  return retryOnConflict(
    async () => {
      const { record, snapshot } =
        fromVersion === undefined
          ? { record: await getWorkflow(organizationId, workflowId, true), snapshot: undefined }
          : await getWorkflowWithVersion(organizationId, workflowId, fromVersion);
      if (!matchesPrecondition(precondition, record.revision)) throw new StaleVersionError('workflow');
      const { change, content } = await plan(record, snapshot);
      assertWorkflowRules(decodeFields(content.fields), organizationId);
      const now = new Date().toISOString();
      const version = record.version + 1;
      const outcome = await writeDeployment(organizationId, workflowId, {
        fromRevision: record.revision,
        version,
        change,
        content,
        actor: keyName,
        now,
      });
      if (outcome === collided) return collided;
      if (outcome === contended) {
        // Someone wrote first: with If-Match the caller's version is now stale; without it, merge again.
        if (guarded) throw new StaleVersionError('workflow');
        return contended;
      }
      const { llmCredentialsValue: _credential, notificationSecrets: _notifications, ...meta } = record;
      return workingCopyResult({
        ...meta,
        ...content,
        version,
        revision: record.revision + 1,
        hasPendingChanges: false,
        updatedAt: now,
        updatedBy: keyName,
      });
    },
    { attempts: maxDeployAttempts, jitterMs: 20, exhausted: () => new ConcurrentChangeError('workflow') },
  );
}
