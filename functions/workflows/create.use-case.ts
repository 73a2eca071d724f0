/** `POST /v1/workflows`: a new workflow, deployed as version 1, with a unique name made from its name. */
import { randomUUID } from 'node:crypto';
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { uniqueNameBase } from '../domain/names.js';
import { authorizationOf } from '../domain/permissions.js';
import { applyChange, changeFrom, resolveNotificationKeeps, type WorkflowBody } from '../domain/workflow/change.js';
import type { WorkflowRecord } from '../domain/workflow/model.js';
import { assertWorkflowRules } from '../domain/workflow/rules.js';
import * as workflowStore from '../store/workflows.js';
import type { createWorkflowInput } from '../../schemas/workflow.js';
import { workingCopyResult } from './result.js';
import { sealChange } from './secrets.js';

export async function createWorkflow(command: CommandFor<{ body: typeof createWorkflowInput }>): Promise<Result> {
  const { principal, actor } = command;
  const body = command.body as WorkflowBody;
  assertWorkflowRules(body, principal.organizationId);
  const id = randomUUID();
  // A new workflow stores nothing for a mask to keep.
  const content = applyChange(
    { fields: {} },
    resolveNotificationKeeps(await sealChange(changeFrom(body), principal.organizationId, id), { fields: {} }),
  );
  const now = new Date().toISOString();
  const draft: Omit<WorkflowRecord, 'uniqueName'> = {
    id,
    organizationId: principal.organizationId,
    ...content,
    version: 1,
    revision: 1,
    hasPendingChanges: false,
    createdAt: now,
    createdBy: actor.name,
    updatedAt: now,
    updatedBy: actor.name,
    authorizedBy: authorizationOf(actor),
  };
  return workingCopyResult(await workflowStore.createWorkflow(draft, uniqueNameBase(command.body.name)), 201);
}
