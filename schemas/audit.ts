/**
 * Audit log shapes: `GET /v1/audit-events?resourceId=&limit=&cursor=` and
 * `GET /v1/audit-events/{id}/verify` (Flowker error dialect).
 */
import { anyJsonValue } from './common.js';
import { queryPageSizePattern } from './formats.js';

const resourceId = {
  type: 'string',
  format: 'uuid',
  description: 'The executor configuration or workflow whose audit chain to read.',
  example: '3f0c9a2e-6d1b-4c8e-9b7a-2f5d8e1c4a90',
} as const;

const auditEventId = {
  type: 'string',
  pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\.[1-9][0-9]{0,9}$',
  description: "An audit entry's id: `<resourceId>.<seq>`.",
  example: '3f0c9a2e-6d1b-4c8e-9b7a-2f5d8e1c4a90.3',
} as const;

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** `GET /v1/audit-events` query. */
export const listAuditEventsQuery = {
  $id: 'ListAuditEventsQuery',
  type: 'object',
  properties: {
    resourceId,
    limit: {
      type: 'string',
      pattern: queryPageSizePattern,
      default: '20',
      description: 'Page size, 1 to 100 (default 20).',
      example: '20',
    },
    cursor: { type: 'string', minLength: 1, maxLength: 2048, description: 'Opaque cursor from the previous page.' },
  },
  required: ['resourceId'],
} as const;

export const auditEventIdParams = {
  $id: 'AuditEventIdParams',
  type: 'object',
  properties: { id: auditEventId },
  required: ['id'],
} as const;

/** One audit entry, with every attribute its hash covers. */
export const auditEventOutput = {
  $id: 'AuditEvent',
  type: 'object',
  properties: {
    id: auditEventId,
    seq: { type: 'integer', minimum: 1, description: "Position in the resource's chain, from 1." },
    organizationId: { type: 'string' },
    resourceType: { type: 'string', enum: ['executor', 'workflow'] },
    resourceId: { type: 'string' },
    resourceVersion: {
      type: 'integer',
      description:
        "The resource's version after the change (a workflow's revision; the deployed version for a deployment).",
    },
    action: { type: 'string', enum: ['created', 'updated', 'deployed', 'deleted'] },
    actor: {
      type: 'string',
      description:
        "The API key's name, the token's subject or the event source that made the change; never a credential.",
    },
    principal: {
      type: 'string',
      description:
        'Which credential made the change: `apikey:<key prefix>`, `oidc:<issuer>#<subject>`, or a command source. Absent on entries of changes written before permissions existed.',
    },
    permission: {
      type: 'string',
      description:
        'The permission the change was allowed by (`executors:write`, `workflows:deploy`, …); absent where `principal` is.',
    },
    at: { type: 'string', format: 'date-time' },
    changedFields: { type: 'array', items: { type: 'string' } },
    changes: {
      type: 'object',
      description:
        'Each changed field before (`from`) and after (`to`); secrets are `[REDACTED]`, values over 2 KiB are `{"$sha256", "$bytes"}`.',
      additionalProperties: {
        type: 'object',
        properties: { from: anyJsonValue, to: anyJsonValue },
        additionalProperties: false,
      },
    },
    stateHash: {
      ...sha256,
      description: 'SHA-256 of the canonical JSON of the resource item after the change (of `null` once deleted).',
    },
    streamEventId: { type: 'string', description: 'The table stream record the entry came from.' },
    prevHash: { ...sha256, description: "The previous entry's hash; 64 zeros for the first entry." },
    hash: { ...sha256, description: 'SHA-256 of the canonical JSON of this object without `hash`.' },
  },
  required: [
    'id',
    'seq',
    'resourceType',
    'resourceId',
    'action',
    'actor',
    'at',
    'changedFields',
    'changes',
    'stateHash',
    'prevHash',
    'hash',
  ],
} as const;

export const auditEventListOutput = {
  $id: 'AuditEventList',
  type: 'object',
  properties: {
    items: { type: 'array', items: auditEventOutput },
    nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
    hasMore: { type: 'boolean' },
  },
  required: ['items', 'nextCursor', 'hasMore'],
} as const;

export const auditVerificationOutput = {
  $id: 'AuditVerification',
  type: 'object',
  properties: {
    id: auditEventId,
    resourceId: { type: 'string' },
    valid: {
      type: 'boolean',
      description: 'True when every entry from the first up to this one is intact and linked.',
    },
    entriesChecked: { type: 'integer', minimum: 0 },
    firstBrokenLink: {
      type: ['object', 'null'],
      description: 'The first entry at which the chain breaks; null when it is intact.',
      properties: {
        id: auditEventId,
        seq: { type: 'integer', minimum: 1 },
        reason: {
          type: 'string',
          enum: ['missing_entry', 'misplaced_entry', 'previous_hash_mismatch', 'hash_mismatch'],
        },
        message: { type: 'string' },
      },
      required: ['id', 'seq', 'reason', 'message'],
    },
  },
  required: ['id', 'resourceId', 'valid', 'entriesChecked', 'firstBrokenLink'],
} as const;
