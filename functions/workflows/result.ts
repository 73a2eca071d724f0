/**
 * What workflow use cases return: the working copy (the seed's `WorkflowResponse`) or, for the
 * node routes, its nodes summarized; either way its revision as the ETag.
 */
import type { Result } from '../pipeline/command.js';
import { type WorkflowRecord, workingCopyResponse } from '../domain/workflow/model.js';
import { nodesOf, nodeSummaryOf } from '../domain/workflow/nodes.js';

/** The working copy as a use case's result, its revision as the ETag. */
export function workingCopyResult(record: WorkflowRecord, status = 200): Result {
  return { status, body: workingCopyResponse(record), version: record.revision };
}

/** The working copy's nodes, in order, as node summaries (xpander's node routes answer them), its revision as the ETag. */
export function nodeListResult(record: WorkflowRecord): Result {
  return { status: 200, body: nodesOf(record).map(nodeSummaryOf), version: record.revision };
}
