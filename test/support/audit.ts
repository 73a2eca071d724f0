/**
 * The audit routes as the integration tests call them, and a small audit trail to read:
 * each helper invokes the real handler and checks the reply against flowplane's schema
 * and the one Flowker's document declares (test/support/flowker-document.ts); the trail
 * is made through the real executor and workflow handlers, its stream records run
 * through the real audit writer.
 */
import { handler as getHandler } from '../../functions/audit/get.js';
import { handler as listHandler } from '../../functions/audit/list.js';
import { handler as verifyHandler } from '../../functions/audit/verify.js';
import { handler as auditWriter } from '../../functions/streams/write-audit.js';
import { auditEventListOutput, auditEventOutput, auditVerificationOutput } from '../../schemas/audit.js';
import { invoke, lambdaContext, type Organization, type Reply, restEvent } from './api.js';
import { completeExecutorBody, createExecutor, deleteExecutor, patchExecutor } from './executors.js';
import {
  flowkerAuditEntryListOutput,
  flowkerAuditEntryOutput,
  flowkerErrorResponse,
  flowkerHashChainVerificationOutput,
} from './flowker-document.js';
import { assertFits, assertFlowkerReply } from './schemas.js';
import { streamRecordsAbout } from './table-stream.js';
import { createWorkflow, patchWorkflow } from './workflows.js';

/** Checks a reply against flowplane's schema and Flowker's, for its status. */
function checked(reply: Reply, ours: object, flowkers: object): Reply {
  assertFlowkerReply(reply, ours);
  assertFits(reply.status === 200 ? flowkers : flowkerErrorResponse, reply.body);
  return reply;
}

/** `GET /v1/audit-events` with this query. */
export async function listAuditEvents(org: Organization, query: Record<string, string> = {}): Promise<Reply> {
  const reply = await invoke(
    listHandler,
    restEvent({ method: 'GET', path: '/v1/audit-events', query, headers: { 'X-API-Key': org.apiKey } }),
  );
  return checked(reply, auditEventListOutput, flowkerAuditEntryListOutput);
}

/** `GET /v1/audit-events/{id}`. */
export async function getAuditEvent(org: Organization, id: string): Promise<Reply> {
  const reply = await invoke(
    getHandler,
    restEvent({
      method: 'GET',
      path: `/v1/audit-events/${id}`,
      pathParameters: { id },
      headers: { 'X-API-Key': org.apiKey },
    }),
  );
  return checked(reply, auditEventOutput, flowkerAuditEntryOutput);
}

/** `GET /v1/audit-events/{id}/verify`. */
export async function verifyAuditEvent(org: Organization, id: string): Promise<Reply> {
  const reply = await invoke(
    verifyHandler,
    restEvent({
      method: 'GET',
      path: `/v1/audit-events/${id}/verify`,
      pathParameters: { id },
      headers: { 'X-API-Key': org.apiKey },
    }),
  );
  return checked(reply, auditVerificationOutput, flowkerHashChainVerificationOutput);
}

/** Runs the audit writer on an organization's stream records about each resource (at least `count` of each). */
export async function auditResources(org: Organization, resources: { id: string; count: number }[]): Promise<void> {
  for (const { id, count } of resources) {
    const records = await streamRecordsAbout(org.organizationId, id, count);
    const written = await auditWriter({ Records: records }, lambdaContext());
    if (written.batchItemFailures.length > 0) throw new Error(`audit writer failed on ${id}`);
  }
}

/** The resources of an audit trail and how many entries each has. */
export interface AuditTrail {
  configured: string;
  deleted: string;
  workflow: string;
}

/**
 * Eight entries in an organization: an executor created and configured (2), another
 * created, configured and deleted (3), a workflow created (created and deployed as
 * version 1) and changed (3).
 */
export async function auditTrail(org: Organization): Promise<AuditTrail> {
  const configured = (await createExecutor(org, { name: 'Trail configured' })).body.id;
  await patchExecutor(org, configured, completeExecutorBody('Trail configured'));
  const deleted = (await createExecutor(org, { name: 'Trail deleted' })).body.id;
  await patchExecutor(org, deleted, completeExecutorBody('Trail deleted'));
  await deleteExecutor(org, deleted);
  const workflow = (await createWorkflow(org, { name: 'Trail workflow' })).body.id;
  await patchWorkflow(org, workflow, { description: 'staged' });
  // Executor and name claim INSERT, executor MODIFY; the same, then the executor, claim REMOVE and tombstone
  // INSERT; the working copy INSERT and MODIFY, and snapshot 1 INSERT.
  await auditResources(org, [
    { id: configured, count: 3 },
    { id: deleted, count: 6 },
    { id: workflow, count: 3 },
  ]);
  return { configured, deleted, workflow };
}
