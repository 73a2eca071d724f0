/**
 * Every request schema that is compiled into standalone validator code at build time.
 * Each needs a unique `$id`; the generated module exports `validators[$id]`. The workflow
 * bodies are not here: they run on functions/core/schema-interpreter.ts (see why there).
 */
import { auditEventIdParams, listAuditEventsQuery } from './audit.js';
import { commandEnvelope } from './command.js';
import { createExecutorInput, executorIdParams, listExecutorsQuery, updateExecutorInput } from './executor.js';
import {
  deployWorkflowQuery,
  getWorkflowQuery,
  listWorkflowsQuery,
  updateWorkflowQuery,
  workflowIdParams,
} from './workflow.js';

export const requestSchemas = [
  updateExecutorInput,
  createExecutorInput,
  executorIdParams,
  listExecutorsQuery,
  commandEnvelope,
  listAuditEventsQuery,
  auditEventIdParams,
  workflowIdParams,
  updateWorkflowQuery,
  getWorkflowQuery,
  deployWorkflowQuery,
  listWorkflowsQuery,
];
