/**
 * `GET /v1/agents/list` (xpander SDK `Agents.list`): the organization's workflows as a bare
 * JSON array of the SDK's `AgentsListItem`, oldest first. The SDK reads no cursor, so one
 * answer carries every workflow up to a bound (1,000 items or about 4 MB of JSON, below
 * Lambda's 6 MB response limit); past it, header `x-next-cursor` continues with `?next=`.
 */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { workingCopyResponse, type WorkflowRecord } from '../domain/workflow/model.js';
import { workflowPageKeyShape } from '../store/keys.js';
import { indexKeyAttributes, pageOf } from '../store/table.js';
import { listWorkflows } from '../store/workflows.js';
import type { listAgentsQuery } from '../../schemas/agent.js';

const maxItems = 1_000;
const maxBytes = 4_000_000;
const pageSize = 100;

type Instructions = { role?: string[]; goal?: string[]; general?: string };

/** The stored fields a list item shows; the others (a graph, settings…) are never decoded for it. */
const listedFields = [
  'name',
  'icon',
  'instructions',
  'status',
  'description',
  'access_scope',
  'deployment_type',
] as const;

/** What the SDK's `AgentsListItem` reads of a workflow (its working copy, as the list of workflows shows it). */
export function agentListItemOf(record: WorkflowRecord): Record<string, unknown> {
  const fields = Object.fromEntries(
    listedFields.flatMap((name) => (record.fields?.[name] === undefined ? [] : [[name, record.fields[name]]])),
  );
  const workflow = workingCopyResponse({ ...record, fields });
  const instructions = (workflow.instructions ?? {}) as Instructions;
  return {
    id: workflow.id,
    name: workflow.name,
    icon: workflow.icon,
    instructions: { role: instructions.role ?? [], goal: instructions.goal ?? [], general: instructions.general ?? '' },
    status: workflow.status,
    organization_id: workflow.organization_id,
    created_at: workflow.created_at,
    description: workflow.description ?? null,
    access_scope: workflow.access_scope,
    created_by: workflow.created_by ?? null,
    type: workflow.type,
    unique_name: workflow.unique_name,
    deployment_type: workflow.deployment_type,
    deployment_provider: 'xpander',
  };
}

export async function listAgents(command: CommandFor<{ query: typeof listAgentsQuery }>): Promise<Result> {
  const { principal, query } = command;
  const items: Record<string, unknown>[] = [];
  let bytes = 2;
  let startKey: Record<string, unknown> | undefined = decodeCursor(query.next, {
    param: 'next',
    shape: workflowPageKeyShape(principal.organizationId),
  });
  let next: Record<string, unknown> | undefined;
  for (;;) {
    const page = await listWorkflows(principal.organizationId, {
      limit: Math.min(pageSize, maxItems - items.length),
      startKey,
    });
    let taken = 0;
    for (const record of page.items) {
      const item = agentListItemOf(record);
      const size = Buffer.byteLength(JSON.stringify(item)) + 1;
      // The first item always goes: one workflow is at most 1 MiB.
      if (items.length > 0 && bytes + size > maxBytes) break;
      items.push(item);
      bytes += size;
      taken += 1;
    }
    if (taken < page.items.length) {
      next = pageOf(page.items, taken, indexKeyAttributes).lastKey;
      break;
    }
    if (!page.lastKey) break;
    if (items.length >= maxItems) {
      next = page.lastKey;
      break;
    }
    startKey = page.lastKey;
  }
  const cursor = encodeCursor(next);
  return { status: 200, body: items, ...(cursor ? { headers: { 'x-next-cursor': cursor } } : {}) };
}
