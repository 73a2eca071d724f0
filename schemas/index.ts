/**
 * Every request schema that is compiled into standalone validator code at build time.
 * Each needs a unique `$id`; the generated module exports `validators[$id]`. Shared
 * subschemas (the workflow bodies' nodes, conditions, field shapes…) come before the
 * schemas that `$ref` them.
 */
import { agentIdParams, getAgentQuery, listAgentsQuery } from './agent.js';
import { auditEventIdParams, listAuditEventsQuery } from './audit.js';
import { commandEnvelope } from './command.js';
import { createExecutorInput, executorIdParams, listExecutorsQuery, updateExecutorInput } from './executor.js';
import {
  createWorkflowInput,
  deployWorkflowQuery,
  getWorkflowQuery,
  listWorkflowsQuery,
  updateWorkflowInput,
  updateWorkflowQuery,
  workflowIdParams,
  workflowSharedSchemas,
} from './workflow.js';
import { addWorkflowNodeInput, workflowNodeParams, workflowNodeQuery } from './workflow-node.js';

export const requestSchemas = [
  updateExecutorInput,
  createExecutorInput,
  executorIdParams,
  listExecutorsQuery,
  commandEnvelope,
  listAuditEventsQuery,
  auditEventIdParams,
  ...workflowSharedSchemas,
  updateWorkflowInput,
  createWorkflowInput,
  workflowIdParams,
  updateWorkflowQuery,
  getWorkflowQuery,
  deployWorkflowQuery,
  listWorkflowsQuery,
  addWorkflowNodeInput,
  workflowNodeParams,
  workflowNodeQuery,
  agentIdParams,
  getAgentQuery,
  listAgentsQuery,
];
