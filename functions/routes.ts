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
  addWorkflowNodeInput,
  workflowNodeList,
  workflowNodeParams,
  workflowNodeQuery,
} from '../schemas/workflow-node.js';
import {
  fastApi,
  fastApiCreateError409,
  fastApiCursorError422,
  fastApiDeployError409,
  fastApiError400,
  fastApiError401,
  fastApiError404,
  fastApiError412,
  fastApiError413,
  fastApiError422,
  fastApiError500,
  fastApiError503,
  fastApiIfMatchError400,
  fastApiUpdateError400,
  fastApiNodeError404,
} from './contracts/fastapi.js';
import {
  flowker,
  flowkerActivateError422,
  flowkerAuditError404,
  flowkerCreateError409,
  flowkerDeleteError409,
  flowkerDeleteError422,
  flowkerDisableError422,
  flowkerEnableError422,
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
  flowkerTestError422,
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
  description: 'Answers 200 while the service is up. Needs no API key: load balancers and uptime checks call it.',
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
  description:
    'Creates an executor configuration in your organization. Only `name` is required: with `baseUrl`, `endpoints` and `authentication` as well it starts `configured`, otherwise `unconfigured` (complete it with a PATCH). Names are unique per organization (409). Secrets in `authentication.config` are encrypted at rest and answered as `********`. Answers 201 with the configuration and its version as `ETag`.',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  idempotent: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxExecutorBody,
  request: {
    body: createExecutorInput,
    example: {
      name: 'Serasa KYC',
      description: 'Serasa identity validation service',
      metadata: { team: 'onboarding' },
    },
  },
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
  description:
    'Reads one executor configuration of your organization, secrets masked as `********`, with its version as `ETag` (send it back in `If-Match` to guard a PATCH).',
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
  summary: 'Update an Executor Configuration (replaces the whole configuration)',
  description:
    '**Replaces the whole configuration**: `name`, `baseUrl`, `endpoints` and `authentication` are required, and a field left out (`description`, an endpoint, an authentication key) is gone afterwards. Only `metadata` merges, key by key. A secret sent as `********` keeps the stored value. An `unconfigured` configuration becomes `configured`; a `tested`, `active` or `disabled` one cannot be changed (422). Read-only fields of a GET body (`id`, `status`, the timestamps) may be sent back unchanged, and are refused when they differ. With `If-Match`, nothing is written unless the version is still the one named (412).',
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxExecutorBody,
  request: {
    params: executorIdParams,
    body: updateExecutorInput,
    example: {
      name: 'Serasa KYC',
      description: 'Serasa identity validation service',
      baseUrl: 'https://api.serasa.com.br/v2',
      endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 10 }],
      authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
    },
  },
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
    "Lists your organization's executor configurations, a page at a time (`limit`, then `cursor` from `nextCursor`), optionally only those in one `status`; secrets masked.",
  tag: 'Executor Configurations',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
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
  description:
    'Deletes an executor configuration and frees its name. Refused while it is `tested` or `active` (422: disable it first). With `If-Match`, only at the version named.',
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
    409: flowkerDeleteError409,
    412: flowkerError412,
    422: flowkerDeleteError422,
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
  description:
    "Calls the configured service: connectivity, authentication, then each endpoint end to end, and answers each stage's outcome. A `configured` configuration whose test passes becomes `tested`; `lastTestedAt` is set either way.",
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
    422: flowkerTestError422,
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
  description: 'Moves a `tested` executor configuration to `active`, the status workflows can use it in.',
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
    422: flowkerActivateError422,
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
  description: 'Moves an `active` executor configuration to `disabled`; enable it again, or delete it.',
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
    422: flowkerDisableError422,
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
  description: 'Moves a `disabled` executor configuration back to `active`.',
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
    422: flowkerEnableError422,
    500: flowkerError500,
    503: flowkerError503,
  },
} as const satisfies RouteDefinition;

export const listAuditEvents = {
  operationId: 'listAuditEvents',
  method: 'GET',
  path: '/v1/audit-events',
  entry: 'functions/audit/list.ts',
  summary: "List a resource's audit entries (hash-chained, secrets redacted)",
  description:
    "The audit log of one resource (`resourceId`: an executor's or a workflow's id), in chain order: who changed what and when, secrets redacted. Each entry's hash covers the previous one, so a changed entry breaks the chain.",
  tag: 'Audit',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { query: listAuditEventsQuery },
  responses: {
    200: {
      description:
        "A page of the resource's audit entries in chain order; empty for a resource of another organization.",
      schema: auditEventListOutput,
    },
    400: flowkerError400,
    401: flowkerError401,
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
    "Recomputes the resource's audit chain from its first entry up to this one and says whether every hash still matches; `firstBrokenLink` names the first entry that does not.",
  tag: 'Audit',
  contract: flowker,
  authenticated: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  request: { params: auditEventIdParams },
  responses: {
    200: {
      description: 'The chain was recomputed up to this entry; `firstBrokenLink` names where it breaks, if it does.',
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
  description:
    'Creates a workflow in your organization and deploys it as version 1. Only `name` is required; every other field takes its documented default. `unique_name` is a slug of the name, unique in the organization. Answers 201 with the working copy and its revision as `ETag`.',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  usesSecrets: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxWorkflowBody,
  request: {
    body: createWorkflowInput,
    example: { name: 'Support triage', description: 'Routes support tickets to billing or tech' },
  },
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
  description: "Lists your organization's workflows (their working copies), a page at a time (`limit`, then `next`).",
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
  description:
    "Reads a workflow: its working copy (with its revision as `ETag`), or, with `version` (or the header `x-agent-version`, as xpander's SDK sends it), a deployed version as it was frozen.",
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
  description:
    "Lists a workflow's deployed versions, newest first: who deployed each and when, and which is the latest.",
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
  description:
    'Changes the fields the body names and leaves the others as they are (`null` returns a field to its default). The change is staged on the working copy until a deploy; with `deploy=true` it is validated as a whole (the node graph must be a DAG) and deployed as the next version at once. Secrets (`llm_credentials.value`, notification credentials and headers) are encrypted at rest and answered masked; sending the mask back keeps them. With `If-Match`, nothing is written unless the revision is still the one named (412). Takes an `Idempotency-Key`.',
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  acceptsCommands: true,
  usesSecrets: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxWorkflowBody,
  request: {
    params: workflowIdParams,
    query: updateWorkflowQuery,
    body: updateWorkflowInput,
    example: {
      model_name: 'gpt-5',
      orchestration_nodes: [
        {
          type: 'classifier',
          id: 'triage',
          next_node_ids: ['billing', 'tech'],
          definition: { groups: [{ id: 'billing' }, { id: 'tech' }] },
        },
        {
          type: 'agent',
          id: 'billing',
          definition: { asset_id: 'agent-billing' },
          condition: { type: 'else', group_id: 'billing' },
        },
        {
          type: 'custom_function',
          id: 'tech',
          definition: { code: 'return input' },
          condition: { type: 'contains', term: 'error', group_id: 'tech' },
        },
      ],
    },
  },
  responses: {
    200: { description: 'The working copy after the change.', schema: workflowResponse, etag: true },
    400: fastApiUpdateError400,
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
  description:
    "Deploys the working copy as the next version, or, with `from_version`, deploys that earlier version's content as the next version (a rollback). Versions are never changed once deployed.",
  tag: 'Workflows',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  usesSecrets: true,
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
    400: fastApiIfMatchError400,
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
  description:
    'Deletes a workflow and every deployed version; from then on every route answers 404 for it. Answers 202.',
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
    400: fastApiIfMatchError400,
    401: fastApiError401,
    404: fastApiError404,
    412: fastApiError412,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const listWorkflowNodes = {
  operationId: 'listWorkflowNodes',
  method: 'GET',
  path: '/v1/workflows/{workflow_id}/nodes',
  entry: 'functions/workflows/list-nodes.ts',
  summary: "List Workflow Nodes (the working copy's, summarized)",
  description:
    "The working copy's `orchestration_nodes` in their order, each as a node summary: its id, type, name and edges; the asset a pointer node runs, read as connection and operation for an action node and as the agent for an agent node.",
  tag: 'Workflow Nodes',
  contract: fastApi,
  authenticated: true,
  tableActions: ['dynamodb:GetItem'],
  request: { params: workflowIdParams },
  responses: {
    200: { description: "The working copy's nodes, summarized.", schema: workflowNodeList, etag: true },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500,
    503: fastApiError503,
  },
} as const satisfies RouteDefinition;

export const addWorkflowNode = {
  operationId: 'addWorkflowNode',
  method: 'POST',
  path: '/v1/workflows/{workflow_id}/nodes',
  entry: 'functions/workflows/add-node.ts',
  summary: 'Add Workflow Node (deployed at once unless deploy=false)',
  description:
    'Adds an action node (`connection_id`, `operation_id`), an agent node (`agent_id`) or any other node whole (`advanced`) and wires its edges: each of `after_node_ids` gets an edge to it (one straight to one of its `next_node_ids` becomes that edge, so the node goes in between), and it gets an edge to each of `next_node_ids`. The whole graph is held to the rules a PATCH is: a cycle is refused and named. `deploy` (default true) deploys the change as a new version; `deploy=false` stages it.',
  tag: 'Workflow Nodes',
  contract: fastApi,
  authenticated: true,
  idempotent: true,
  usesSecrets: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  maxBodyBytes: maxWorkflowBody,
  request: {
    params: workflowIdParams,
    query: workflowNodeQuery,
    body: addWorkflowNodeInput,
    example: { name: 'Billing agent', agent_id: 'agent-billing', instructions: 'Answer billing questions' },
  },
  responses: {
    200: {
      description: 'Every node after the change, summarized; the new one last.',
      schema: workflowNodeList,
      etag: true,
    },
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

export const removeWorkflowNode = {
  operationId: 'removeWorkflowNode',
  method: 'DELETE',
  path: '/v1/workflows/{workflow_id}/nodes/{node_id}',
  entry: 'functions/workflows/remove-node.ts',
  summary: 'Remove Workflow Node (deployed at once unless deploy=false)',
  description:
    "Removes a node of the working copy's `orchestration_nodes` and scrubs every edge to it (`next_node_ids`, and triggers' `source_nodes[].targets`). Refused (422) when another node would break a graph rule without it: a `node_pointer` whose source it is, a node routed on a group of the classifier or guardrail removed. `deploy` (default true) deploys the change as a new version; `deploy=false` stages it.",
  tag: 'Workflow Nodes',
  contract: fastApi,
  authenticated: true,
  usesSecrets: true,
  acceptsCommands: true,
  tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  request: { params: workflowNodeParams, query: workflowNodeQuery },
  responses: {
    200: { description: 'The nodes left, summarized.', schema: workflowNodeList, etag: true },
    401: fastApiError401,
    404: fastApiNodeError404,
    409: fastApiDeployError409,
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
    422: fastApiCursorError422,
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
  verifyAuditEvent,
  createWorkflow,
  listWorkflows,
  getWorkflow,
  listWorkflowVersions,
  updateWorkflow,
  deployWorkflow,
  deleteWorkflow,
  listWorkflowNodes,
  addWorkflowNode,
  removeWorkflowNode,
  listAgents,
  getAgent,
} as const;

/** Every route, in table order. */
export const routeList: readonly RouteDefinition[] = /* @__PURE__ */ Object.values(routes);
