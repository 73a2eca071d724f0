/**
 * The one route table. The local server, the CDK stack (one function per entry, with
 * exactly the DynamoDB actions listed) and the OpenAPI document are all derived from
 * it: adding an endpoint is one entry here plus one handler file.
 */
import {
  createExecutorInput,
  executorIdParams,
  executorListOutput,
  executorOutput,
  executorTestOutput,
  listExecutorsQuery,
  updateExecutorInput,
} from '../schemas/executor.js';
import { agentIdParams, agentListResponse, getAgentQuery, listAgentsQuery } from '../schemas/agent.js';
import {
  auditEventIdParams,
  auditEventListOutput,
  auditEventOutput,
  auditVerificationOutput,
  listAuditEventsQuery,
} from '../schemas/audit.js';
import {
  createWorkflowInput,
  deployWorkflowQuery,
  getWorkflowQuery,
  listWorkflowsQuery,
  updateWorkflowInput,
  updateWorkflowQuery,
  workflowDeletedResponse,
  workflowIdParams,
  workflowListResponse,
  workflowResponse,
  workflowVersionsResponse,
} from '../schemas/workflow.js';
import {
  fastApi,
  fastApiCreateError409,
  fastApiDeployError409,
  fastApiError400,
  fastApiError401,
  fastApiError404,
  fastApiError412,
  fastApiError413,
  fastApiError422,
  fastApiError500,
  fastApiError503,
} from './contracts/fastapi.js';
import {
  flowker,
  flowkerAuditError404,
  flowkerCreateError409,
  flowkerError400,
  flowkerError401,
  flowkerError404,
  flowkerError409,
  flowkerError412,
  flowkerError413,
  flowkerError415,
  flowkerError422,
  flowkerError500,
  flowkerError503,
  flowkerRetryError409,
} from './contracts/flowker.js';
import type { RouteDefinition } from './pipeline/route.js';

export type { RouteDefinition } from './pipeline/route.js';

// Literal sizes, not `256 * 1024`: esbuild keeps any route whose fields compute, and with it every schema.
const maxExecutorBody = 262_144; // 256 KiB
const maxWorkflowBody = 1_048_576; // 1 MiB

export const health = {
  operationId: 'health',
  method: 'GET',
  path: '/health',
  entry: 'functions/health/get.ts',
  summary: 'Liveness check (public)',
  tag: 'Health',
  contract: flowker,
  authenticated: false,
  tableActions: [],
  request: {},
  responses: { 200: { description: 'The service is up.' } },
} as const satisfies RouteDefinition;

export const createExecutor = {
  operationId: 'createExecutorConfiguration',
  usesSecrets: true,
  method: 'POST',
  path: '/v1/executors',
  entry: 'functions/executors/create.ts',
  summary: 'Create an Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxExecutorBody,
  request: { body: createExecutorInput },
  responses: {
    201: { description: 'Created.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    409: flowkerCreateError409,
    413: flowkerError413,
    415: flowkerError415,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const getExecutor = {
  operationId: 'getExecutorConfiguration',
  method: 'GET',
  path: '/v1/executors/{id}',
  entry: 'functions/executors/get.ts',
  summary: 'Get an Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem'],
  request: { params: executorIdParams },
  responses: {
    200: { description: 'The executor configuration, secrets masked.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const updateExecutor = {
  operationId: 'updateExecutorConfiguration',
  usesSecrets: true,
  method: 'PATCH',
  path: '/v1/executors/{id}',
  entry: 'functions/executors/update.ts',
  summary: 'Update an Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxExecutorBody,
  request: { params: executorIdParams, body: updateExecutorInput },
  responses: {
    200: { description: 'The updated configuration, secrets masked.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerError409,
    412: flowkerError412,
    413: flowkerError413,
    415: flowkerError415,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const listExecutors = {
  operationId: 'listExecutorConfigurations',
  method: 'GET',
  path: '/v1/executors',
  entry: 'functions/executors/list.ts',
  summary: 'List Executor Configurations',
  description:
    "A page of the organization's executors, newest first unless `sortBy` and `sortOrder` say otherwise: by creation, last change or name (as names compare: case, width and spacing aside), `ASC` or `DESC`, optionally of one status. Pass `nextCursor` back as `cursor` for the next page, with the same `sortBy` (a cursor resumes the order it came from); `hasMore` says whether one follows. Executors written before 0.3.0 join the last-change and name orders once the upgrade's backfill reached them.",
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
  request: { query: listExecutorsQuery },
  responses: {
    200: { description: "A page of the organization's executors, secrets masked.", schema: executorListOutput },
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const deleteExecutor = {
  operationId: 'deleteExecutorConfiguration',
  method: 'DELETE',
  path: '/v1/executors/{id}',
  entry: 'functions/executors/delete.ts',
  summary: 'Delete an Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  request: { params: executorIdParams },
  responses: {
    204: { description: 'Deleted; the name is free again.' },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerError409,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const testExecutor = {
  operationId: 'testExecutorConfiguration',
  usesSecrets: true,
  method: 'POST',
  path: '/v1/executors/{id}/test',
  entry: 'functions/executors/test.ts',
  summary: 'Test an Executor Configuration (connectivity, authentication, end to end)',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  request: { params: executorIdParams },
  responses: {
    200: { description: 'The test ran; configured → tested when it passed.', schema: executorTestOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerRetryError409,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const activateExecutor = {
  operationId: 'activateExecutorConfiguration',
  method: 'POST',
  path: '/v1/executors/{id}/activate',
  entry: 'functions/executors/activate.ts',
  summary: 'Activate a tested Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  request: { params: executorIdParams },
  responses: {
    200: { description: 'tested → active.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerRetryError409,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const disableExecutor = {
  operationId: 'disableExecutorConfiguration',
  method: 'POST',
  path: '/v1/executors/{id}/disable',
  entry: 'functions/executors/disable.ts',
  summary: 'Disable an active Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  request: { params: executorIdParams },
  responses: {
    200: { description: 'active → disabled.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerRetryError409,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const enableExecutor = {
  operationId: 'enableExecutorConfiguration',
  method: 'POST',
  path: '/v1/executors/{id}/enable',
  entry: 'functions/executors/enable.ts',
  summary: 'Enable a disabled Executor Configuration',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  request: { params: executorIdParams },
  responses: {
    200: { description: 'disabled → active.', schema: executorOutput, etag: true },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerRetryError409,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const listAuditEvents = {
  operationId: 'listAuditEvents',
  method: 'GET',
  path: '/v1/audit-events',
  entry: 'functions/audit/list.ts',
  summary: 'Search audit logs (every executor and workflow change, hash-chained, secrets redacted)',
  description:
    "The organization's audit feed, newest first by default (`sortOrder`), filtered by event type, action, result, resource type, resource and a date range (each bound included). With `resourceId`, that resource's hash chain in its own order (oldest first with `sortOrder=ASC`). A filter applies as the entries are read, so a page may come back short, even empty, with `hasMore` true: pass `nextCursor` on to read further. Entries written before 0.3.0 are in a resource's chain at once and join the feed once the upgrade's backfill reached them.",
  tag: 'Audit',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { query: listAuditEventsQuery },
  responses: {
    200: {
      description: 'A page of audit entries; empty for a resource of another organization.',
      schema: auditEventListOutput,
    },
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const getAuditEvent = {
  operationId: 'getAuditEvent',
  method: 'GET',
  path: '/v1/audit-events/{id}',
  entry: 'functions/audit/get.ts',
  summary: 'Get an audit entry by its eventId',
  description:
    "One audit entry of the organization, by its `eventId` (or by `<resourceId>.<seq>`, its place in its resource's chain). An entry written before 0.3.0 is found by its `eventId` once the upgrade's backfill reached it; by its place at once.",
  tag: 'Audit',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { params: auditEventIdParams },
  responses: {
    200: { description: 'The entry.', schema: auditEventOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerAuditError404,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const verifyAuditEvent = {
  operationId: 'verifyAuditEvent',
  method: 'GET',
  path: '/v1/audit-events/{id}/verify',
  entry: 'functions/audit/verify.ts',
  summary: "Verify a resource's audit chain up to an entry",
  description:
    "Recomputes the hash chain of the entry's resource from its first entry up to this one. `isValid`, `totalChecked`, `firstInvalidId` (the broken entry's `seq`) and `message` are Flowker's; `firstBrokenLink` says which entry and why.",
  tag: 'Audit',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { params: auditEventIdParams },
  responses: {
    200: {
      description: 'The chain was recomputed up to this entry; `firstInvalidId` names where it breaks, if it does.',
      schema: auditVerificationOutput,
    },
    404: flowkerAuditError404,
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const createWorkflow = {
  operationId: 'createWorkflow',
  method: 'POST',
  path: '/v1/workflows',
  entry: 'functions/workflows/create.ts',
  summary: 'Create Workflow (deployed as version 1)',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  usesSecrets: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxWorkflowBody,
  request: { body: createWorkflowInput },
  responses: {
    201: { description: 'Created and deployed as version 1.', schema: workflowResponse, etag: true },
    400: fastApiError400,
    401: fastApiError401,
    409: fastApiCreateError409,
    413: fastApiError413,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const listWorkflows = {
  operationId: 'listWorkflows',
  method: 'GET',
  path: '/v1/workflows',
  entry: 'functions/workflows/list.ts',
  summary: 'List Workflows',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { query: listWorkflowsQuery },
  responses: {
    200: { description: "A page of the organization's workflows (working copies).", schema: workflowListResponse },
    401: fastApiError401,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const getWorkflow = {
  operationId: 'getWorkflow',
  method: 'GET',
  path: '/v1/workflows/{workflow_id}',
  entry: 'functions/workflows/get.ts',
  summary: 'Get Workflow (working copy, or a deployed version)',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  queryFromHeaders: { 'x-agent-version': 'version' },
  tableActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  request: { params: workflowIdParams, query: getWorkflowQuery },
  responses: {
    200: {
      description: 'The working copy (with its ETag), or deployed snapshot `version` (without).',
      schema: workflowResponse,
      etag: true,
    },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const listWorkflowVersions = {
  operationId: 'listWorkflowVersions',
  method: 'GET',
  path: '/v1/workflows/{workflow_id}/versions',
  entry: 'functions/workflows/versions.ts',
  summary: 'List deployed versions of a Workflow, newest first',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { params: workflowIdParams, query: listWorkflowsQuery },
  responses: {
    200: { description: 'A page of deployed versions.', schema: workflowVersionsResponse },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const updateWorkflow = {
  operationId: 'updateWorkflow',
  method: 'PATCH',
  path: '/v1/workflows/{workflow_id}',
  entry: 'functions/workflows/update.ts',
  summary: 'Update Workflow (staged, or deployed with deploy=true)',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  usesSecrets: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxWorkflowBody,
  request: { params: workflowIdParams, query: updateWorkflowQuery, body: updateWorkflowInput },
  responses: {
    200: { description: 'The working copy after the change.', schema: workflowResponse, etag: true },
    400: fastApiError400,
    401: fastApiError401,
    404: fastApiError404,
    409: fastApiDeployError409,
    412: fastApiError412,
    413: fastApiError413,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const deployWorkflow = {
  operationId: 'deployWorkflow',
  method: 'PUT',
  path: '/v1/workflows/{workflow_id}',
  entry: 'functions/workflows/deploy.ts',
  summary: 'Deploy Workflow (or roll back with from_version)',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
  ],
  request: { params: workflowIdParams, query: deployWorkflowQuery },
  responses: {
    200: { description: 'The working copy, deployed as the new latest version.', schema: workflowResponse, etag: true },
    401: fastApiError401,
    404: fastApiError404,
    409: fastApiDeployError409,
    412: fastApiError412,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const deleteWorkflow = {
  operationId: 'deleteWorkflow',
  method: 'DELETE',
  path: '/v1/workflows/{workflow_id}',
  entry: 'functions/workflows/delete.ts',
  summary: 'Delete Workflow (and every deployed version)',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  acceptsCommands: true,
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:UpdateItem',
  ],
  request: { params: workflowIdParams },
  responses: {
    202: { description: 'Deleted: every route answers 404 for it from now on.', schema: workflowDeletedResponse },
    401: fastApiError401,
    404: fastApiError404,
    412: fastApiError412,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const listAgents = {
  operationId: 'listAgents',
  method: 'GET',
  path: '/v1/agents/list',
  entry: 'functions/agents/list.ts',
  summary: "List Agents (the organization's workflows, as xpander's SDK lists them)",
  description:
    "A bare JSON array, oldest first, as `Agents.list()` of xpander's SDK parses it. One answer carries every workflow up to 1,000 or about 4 MB; past that bound, the header `x-next-cursor` is set and `?next=` continues.",
  tag: 'Agents (xpander SDK)',
  contract: fastApi,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { query: listAgentsQuery },
  responses: {
    200: { description: "The organization's workflows as `AgentsListItem`s.", schema: agentListResponse },
    401: fastApiError401,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const getAgent = {
  operationId: 'getAgent',
  method: 'GET',
  path: '/v1/agents/{agent_id}',
  entry: 'functions/agents/get.ts',
  summary: "Get Agent (a workflow, as `Agents.get` / `Agent.load` of xpander's SDK read it)",
  description:
    'The same document as `GET /v1/workflows/{workflow_id}`: the working copy, or deployed version `version` (header `x-agent-version`, as the SDK sends it).',
  tag: 'Agents (xpander SDK)',
  contract: fastApi,
  authenticated: true,
  queryFromHeaders: { 'x-agent-version': 'version' },
  tableActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  request: { params: agentIdParams, query: getAgentQuery },
  responses: {
    200: {
      description: 'The working copy (with its ETag), or deployed snapshot `version` (without).',
      schema: workflowResponse,
      etag: true,
    },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

/** Every route by name. Handlers import their own route by name, so a bundle carries only its route's schemas. */
export const routes = {
  health,
  createExecutor,
  getExecutor,
  updateExecutor,
  listExecutors,
  deleteExecutor,
  testExecutor,
  activateExecutor,
  disableExecutor,
  enableExecutor,
  listAuditEvents,
  getAuditEvent,
  verifyAuditEvent,
  createWorkflow,
  listWorkflows,
  getWorkflow,
  listWorkflowVersions,
  updateWorkflow,
  deployWorkflow,
  deleteWorkflow,
  listAgents,
  getAgent,
} as const;

/** Every route, in table order. */
export const routeList: readonly RouteDefinition[] = /* @__PURE__ */ Object.values(routes);
