/** `GET /v1/audit-events/{id}`: one audit entry, by its `eventId`. Another organization's entry is a 404. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { toAuditEventOutput } from '../domain/audit.js';
import { NotFoundError } from '../errors.js';
import { auditEntryNamed } from './entries.js';
import type { auditEventIdParams } from '../../schemas/audit.js';

export async function getAuditEvent(command: CommandFor<{ params: typeof auditEventIdParams }>): Promise<Result> {
  const entry = await auditEntryNamed(command.principal.organizationId, command.params.id);
  if (!entry) throw new NotFoundError('auditEntry');
  return { status: 200, body: toAuditEventOutput(entry.fields) };
}
