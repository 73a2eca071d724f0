/**
 * `GET /v1/audit-events/{id}/verify`: recomputes the chain of the entry's resource from its
 * first entry to this one. Another organization's entry is a 404.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { verifyAuditChain } from '../domain/audit.js';
import { NotFoundError } from '../errors.js';
import { auditChainUpTo } from '../store/audit.js';
import { auditEntryPlace } from './entries.js';
import type { auditEventIdParams } from '../../schemas/audit.js';

export async function verifyAuditEvent(command: CommandFor<{ params: typeof auditEventIdParams }>): Promise<Result> {
  const { organizationId } = command.principal;
  const target = await auditEntryPlace(organizationId, command.params.id);
  if (!target) throw new NotFoundError('auditEntry');
  const entries = await auditChainUpTo(organizationId, target.resourceId, target.seq);
  if (!entries.some((entry) => entry.position === target.seq)) throw new NotFoundError('auditEntry');
  return { status: 200, body: verifyAuditChain(entries, organizationId, target.resourceId, target.seq) };
}
