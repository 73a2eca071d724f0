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
    organizationId: {
      type: 'string',
      pattern: organizationIdPattern,
      description: 'The organization the command acts for.',
    },
    params: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Path parameters, e.g. {"id": "…"}.',
    },
    query: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Query parameters as strings, e.g. {"deploy": "true"}.',
    },
    body: { description: 'The request body, as the HTTP route takes it.' },
    ifMatch: { type: 'string', maxLength: 1024, description: 'An If-Match value, e.g. "\\"3\\"".' },
    actor: { type: 'string', maxLength: 128, description: 'Who sent it, for events and audit (never a key).' },
    idempotencyKey: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description:
        'Applies the command at most once per organization and route (for an hour): a repeat gets the first result. SQS and EventBridge deliveries default to their message or event id.',
    },
  },
  required: ['organizationId'],
  additionalProperties: false,
} as const;
