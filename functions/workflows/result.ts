/** What workflow use cases return: the working copy (the seed's `WorkflowResponse`), its revision as the ETag. */
import type { Result } from '../pipeline/command.js';
import { type WorkflowRecord, workingCopyResponse } from '../domain/workflow/model.js';

/** The working copy as a use case's result, its revision as the ETag. */
export function workingCopyResult(record: WorkflowRecord, status = 200): Result {
  return { status, body: workingCopyResponse(record), version: record.revision };
}
