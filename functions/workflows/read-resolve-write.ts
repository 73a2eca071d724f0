/**
 * The one read–resolve–write loop of a workflow change, for staging (a PATCH) and for
 * deploying (a PATCH with `deploy=true`, `PUT`, a rollback): read the working copy
 * (consistent; with the snapshot rolled back to), check `If-Match` against it, resolve the
 * change against it (the use case's `resolve`: a PATCH's read-only claims, masked secrets,
 * sealing; then secrets an earlier release left in clear sealed, `inCurrentFormat`), then
 * write guarded by the revision read — the staged fields in one UpdateItem,
 * or the working copy and snapshot N+1 in one transaction, the merged document validated
 * first. Two requests when nobody else writes meanwhile.
 *
 * A write that finds the working copy changed gets it back from its failed condition, and
 * the loop resolves again against that without reading (bounded, with jitter): concurrent
 * deploys all land, as contiguous versions, and with `If-Match` the caller's revision is
 * then stale (412). A staged change that needs nothing stored is written first without a
 * read (`unread`), its condition standing in for one: one request.
 */
import type { Command, Result } from '../pipeline/command.js';
import { type Actor, authorizationOf } from '../domain/permissions.js';
import { matchesPrecondition, type Precondition } from '../domain/precondition.js';
import type { ResolvedChange, WorkflowChange } from '../domain/workflow/change.js';
import { decodeFields, type WorkflowRecord, type WorkflowSnapshot } from '../domain/workflow/model.js';
import type { WorkflowReadOnlyClaim } from '../domain/workflow/read-only-claims.js';
import { assertWorkflowRules } from '../domain/workflow/rules.js';
import { ConcurrentChangeError, StaleVersionError } from '../errors.js';
import { collided, contended, type Retried, retryOnConflict } from '../store/retry.js';
import {
  getWorkflow,
  getWorkflowWithVersion,
  type Refused,
  stageWorkflowChange,
  writeDeployment,
} from '../store/workflows.js';
import { workingCopyResult } from './result.js';
import { inCurrentFormat } from './secrets.js';

/** What a use case asks of the loop. */
export interface WorkflowWrite {
  /** `stage` writes the working copy; `deploy` also freezes it as the next version. */
  kind: 'stage' | 'deploy';
  /**
   * The change resolved against the working copy as it is (and the snapshot rolled back to),
   * with the content it leaves; undefined when it would write nothing new (staging only).
   */
  resolve: (
    record: WorkflowRecord,
    snapshot?: WorkflowSnapshot,
  ) => ResolvedChange | undefined | Promise<ResolvedChange | undefined>;
  /** A staged change written first as it is, without a read; a PATCH's read-only claims join its condition. */
  unread?: { change: WorkflowChange; readOnlyClaims: readonly WorkflowReadOnlyClaim[] };
  /** Roll back: the snapshot read with the working copy, whose content the deploy takes. */
  fromVersion?: number;
  /**
   * What the use case answers, from the working copy after the write: the working copy itself unless said otherwise
   * (the node routes answer its nodes).
   */
  result?: (record: WorkflowRecord) => Result;
}

/** Rounds of resolving again after another write came first: a deploy waits its turn among many. */
const maxAttempts = { stage: 3, deploy: 25 } as const;

/** The working copy after a deploy wrote it: the resolved content, version N+1, nothing staged. */
function deployedCopy(record: WorkflowRecord, resolved: ResolvedChange, version: number, now: string, actor: Actor) {
  const { llmCredentialsValue: _credential, notificationSecrets: _notifications, ...meta } = record;
  return {
    ...meta,
    ...resolved.content,
    version,
    revision: record.revision + 1,
    hasPendingChanges: false,
    updatedAt: now,
    updatedBy: actor.name,
    authorizedBy: authorizationOf(actor),
  };
}

/** Stages or deploys a workflow change as `write` says; answers with the working copy as `write.result` shows it. */
export async function readResolveWrite(
  { principal, actor }: Pick<Command, 'principal' | 'actor'>,
  workflowId: string,
  precondition: Precondition | undefined,
  write: WorkflowWrite,
): Promise<Result> {
  const { organizationId } = principal;
  const result = write.result ?? workingCopyResult;
  /** The working copy a refused write returned: the next round resolves against it instead of reading. */
  let known: WorkflowRecord | undefined;
  let snapshot: WorkflowSnapshot | undefined;
  /** Written as it is until DynamoDB answers it (a collision with a transaction tries it again). */
  let unread = write.unread;
  const read = async (): Promise<WorkflowRecord> => {
    if (write.fromVersion === undefined) return getWorkflow(organizationId, workflowId, true);
    const both = await getWorkflowWithVersion(organizationId, workflowId, write.fromVersion);
    snapshot = both.snapshot;
    return both.record;
  };
  const refused = (outcome: Refused): Retried => {
    known = outcome.current;
    return contended;
  };
  return retryOnConflict(
    async () => {
      const now = new Date().toISOString();
      let record: WorkflowRecord;
      if (unread) {
        const { change, readOnlyClaims } = unread;
        const outcome = await stageWorkflowChange(organizationId, workflowId, change, precondition, {
          actor,
          now,
          readOnlyClaims,
        });
        unread = undefined;
        if ('written' in outcome) return result(outcome.written);
        // Not written: the working copy it found tells why (or that the change needs the read it stood in for).
        record = outcome.current;
      } else {
        record = known ?? (await read());
        known = undefined;
      }
      if (!matchesPrecondition(precondition, record.revision)) throw new StaleVersionError('workflow');
      const asked = await write.resolve(record, snapshot);
      // Nothing new: no write, so no re-seal either (as for every PATCH that changes nothing).
      if (!asked) return result(record);
      // What an earlier release left in clear is sealed before it is written anywhere (issue 20).
      const resolved = await inCurrentFormat(asked, organizationId, workflowId);
      const guard = { versions: [record.revision] };
      if (write.kind === 'stage') {
        const outcome = await stageWorkflowChange(organizationId, workflowId, resolved.change, guard, {
          actor,
          now,
          readOnlyClaims: [],
          resolved: true,
        });
        return 'written' in outcome ? result(outcome.written) : refused(outcome);
      }
      assertWorkflowRules(decodeFields(resolved.content.fields), organizationId);
      const version = record.version + 1;
      const outcome = await writeDeployment(organizationId, workflowId, {
        fromRevision: record.revision,
        version,
        change: resolved.change,
        content: resolved.content,
        actor,
        now,
      });
      if (outcome === collided || outcome === contended) return outcome;
      if (outcome) return refused(outcome);
      return result(deployedCopy(record, resolved, version, now, actor));
    },
    { attempts: maxAttempts[write.kind], jitterMs: 20, exhausted: () => new ConcurrentChangeError('workflow') },
  );
}
