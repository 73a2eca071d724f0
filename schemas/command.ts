/**
 * A command sent without HTTP (direct invoke, EventBridge `detail`, SQS message body):
 * the organization it acts for, and the route's path parameters, query and body exactly
 * as the HTTP route takes them.
 */
import { organizationIdPattern } from './common.js';

export const commandEnvelope = {
  $id: 'CommandEnvelope',
  type: 'object',
  properties: {
    organizationId: { type: 'string', pattern: organizationIdPattern, description: 'The organization the command acts for.' },
    params: { type: 'object', additionalProperties: { type: 'string' }, description: 'Path parameters, e.g. {"id": "…"}.' },
    query: { type: 'object', additionalProperties: { type: 'string' }, description: 'Query parameters as strings, e.g. {"deploy": "true"}.' },
    body: { description: 'The request body, as the HTTP route takes it.' },
    ifMatch: { type: 'string', maxLength: 1024, description: 'An If-Match value, e.g. "\\"3\\"".' },
    actor: { type: 'string', maxLength: 128, description: 'Who sent it, for events and audit (never a key).' },
  },
  required: ['organizationId'],
  additionalProperties: false,
} as const;
