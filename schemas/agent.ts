/**
 * The read views xpander's own SDK calls (`xpander_sdk`, module `Agents`): its routes are
 * `GET {base}/agents/list` and `GET {base}/agents/{id}`, so with `XPANDER_BASE_URL=<API>/v1`
 * they land here. An agent is a workflow: the same items, read only.
 */
import { uuidSchema } from './common.js';
import { queryPositiveIntPattern } from './formats.js';
import { accessScopes, workflowStatuses } from './workflow.js';

export const agentIdParams = {
  $id: 'AgentIdParams',
  type: 'object',
  properties: { agent_id: { ...uuidSchema, description: 'Unique identifier of the agent (the workflow id).' } },
  required: ['agent_id'],
} as const;

export const getAgentQuery = {
  $id: 'GetAgentQuery',
  type: 'object',
  properties: {
    version: {
      type: 'string',
      format: 'query-positive-int',
      pattern: queryPositiveIntPattern,
      description: 'A deployed version to read instead of the working copy (the SDK sends header `x-agent-version`).',
    },
  },
} as const;

export const listAgentsQuery = {
  $id: 'ListAgentsQuery',
  type: 'object',
  properties: {
    next: {
      type: 'string',
      maxLength: 2_048,
      description: 'The `x-next-cursor` of the previous answer, when it had one.',
    },
  },
} as const;

/** The SDK's `AgentsListItem`: what a list shows of each agent, enough to pick one and load it. */
export const agentListItem = {
  $id: 'AgentsListItem',
  type: 'object',
  properties: {
    id: uuidSchema,
    name: { type: 'string' },
    icon: { type: 'string' },
    instructions: {
      type: 'object',
      properties: {
        role: { type: 'array', items: { type: 'string' } },
        goal: { type: 'array', items: { type: 'string' } },
        general: { type: 'string' },
      },
      required: ['role', 'goal', 'general'],
    },
    status: { type: 'string', enum: workflowStatuses },
    organization_id: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    description: { type: ['string', 'null'] },
    access_scope: { type: 'string', enum: accessScopes },
    created_by: { type: ['string', 'null'] },
    type: { type: 'string', enum: ['orchestration'] },
    unique_name: { type: 'string' },
    deployment_type: { type: 'string' },
    deployment_provider: {
      type: 'string',
      enum: ['xpander'],
      description: 'Always `xpander` (a managed deployment); older SDK releases require the field.',
    },
  },
  required: [
    'id',
    'name',
    'icon',
    'instructions',
    'status',
    'organization_id',
    'created_at',
    'description',
    'access_scope',
    'created_by',
    'type',
    'deployment_provider',
  ],
  additionalProperties: false,
} as const;

/** A bare JSON array, as the SDK parses it. */
export const agentListResponse = {
  $id: 'AgentsList',
  type: 'array',
  items: agentListItem,
} as const;
