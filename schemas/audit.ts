/**
 * Audit log shapes, as Flowker's own document gives its audit routes (docs/contracts.md):
 * `GET /v1/audit-events` (the organization's feed, filtered), `GET /v1/audit-events/{id}`
 * and `GET /v1/audit-events/{id}/verify`, answered in Flowker's dialect. Flowker's entry
 * fields come first; flowplane's own (the chain position, the resource's version, each
 * changed field before and after, the state hash) follow as additional fields.
 */
import { anyJsonValue, flowkerCursor, flowkerNextCursor, flowkerSortOrder } from './common.js';
import { queryPageSizePattern } from './formats.js';

/** What an entry is about: Flowker's `resourceType` enum holds flowplane's resources. */
export const auditResourceTypes = ['executor', 'workflow'] as const;

/** What was done, in Flowker's words (`CREATE`, `UPDATE`, `DELETE`; flowplane adds `DEPLOY` for a workflow). */
export const auditActions = ['CREATE', 'UPDATE', 'DEPLOY', 'DELETE'] as const;

/** The resource and what was done to it, as Flowker names its event types (`WORKFLOW_CREATED`, …). */
export const auditEventTypes = [
  'EXECUTOR_CREATED',
  'EXECUTOR_UPDATED',
  'EXECUTOR_DELETED',
  'WORKFLOW_CREATED',
  'WORKFLOW_UPDATED',
  'WORKFLOW_DEPLOYED',
  'WORKFLOW_DELETED',
] as const;

/** Flowker's `result` enum: every entry flowplane writes records a change that was made. */
export const auditResults = ['SUCCESS', 'FAILED'] as const;

const uuidPattern = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

const eventId = {
  type: 'string',
  format: 'uuid',
  description: "The entry's id (a UUID).",
  example: '0b7f3c9e-2d4a-5e61-8f0a-1c2b3d4e5f60',
} as const;

/** A path's entry id: its `eventId`, or the `<resourceId>.<seq>` earlier releases showed as `id`. */
const auditEventIdParam = {
  type: 'string',
  pattern: `^${uuidPattern}(\\.[1-9][0-9]{0,9})?$`,
  description:
    "The entry's `eventId`; `<resourceId>.<seq>` (the entry's place in its resource's chain) is accepted too.",
  example: '0b7f3c9e-2d4a-5e61-8f0a-1c2b3d4e5f60',
} as const;

const dateBound = (which: string) =>
  ({
    type: 'string',
    format: 'date-time',
    description: `Only entries at or ${which} this instant (RFC 3339, with its offset).`,
    example: '2026-01-02T10:15:00Z',
  }) as const;

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** `GET /v1/audit-events` query: Flowker's filters, page and order (newest first by default). */
export const listAuditEventsQuery = {
  $id: 'ListAuditEventsQuery',
  type: 'object',
  properties: {
    eventType: { type: 'string', enum: auditEventTypes, description: 'Only entries of this event type.' },
    action: { type: 'string', enum: auditActions, description: 'Only entries of this action.' },
    result: {
      type: 'string',
      enum: auditResults,
      description: 'Only entries with this result (every recorded change is `SUCCESS`).',
    },
    resourceType: {
      type: 'string',
      enum: auditResourceTypes,
      description: 'Only entries about this kind of resource.',
    },
    resourceId: {
      type: 'string',
      format: 'uuid',
      description: "Only the entries of this executor or workflow (its hash chain, in the chain's order).",
      example: '3f0c9a2e-6d1b-4c8e-9b7a-2f5d8e1c4a90',
    },
    dateFrom: dateBound('after'),
    dateTo: dateBound('before'),
    limit: {
      type: 'string',
      pattern: queryPageSizePattern,
      default: '20',
      description: 'Page size, 1 to 100 (default 20).',
      example: '20',
    },
    cursor: flowkerCursor,
    sortOrder: flowkerSortOrder,
  },
} as const;

export const auditEventIdParams = {
  $id: 'AuditEventIdParams',
  type: 'object',
  properties: { id: auditEventIdParam },
  required: ['id'],
} as const;

/**
 * One audit entry: Flowker's `AuditEntryOutput`, then flowplane's additional fields. Everything shown is covered by
 * the entry's hash or derived from what it covers (docs/events-and-audit.md says how to recompute it).
 */
export const auditEventOutput = {
  $id: 'AuditEvent',
  type: 'object',
  properties: {
    eventId,
    eventType: { type: 'string', enum: auditEventTypes },
    action: { type: 'string', enum: auditActions },
    result: { type: 'string', enum: auditResults },
    resourceType: { type: 'string', enum: auditResourceTypes },
    resourceId: { type: 'string' },
    actor: {
      type: 'object',
      description:
        'Who made the change: the API key by its name, the bearer token by its subject, or the sender a command named; never a credential.',
      properties: {
        type: { type: 'string', enum: ['api_key', 'system'] },
        id: { type: 'string' },
      },
      required: ['type', 'id'],
      additionalProperties: false,
    },
    timestamp: { type: 'string', format: 'date-time', description: 'When the change was made.' },
    hash: { ...sha256, description: "SHA-256 of the entry's chain record (docs/events-and-audit.md)." },
    previousHash: { ...sha256, description: "The previous entry's hash; 64 zeros for a chain's first entry." },
    context: {
      type: 'object',
      description: 'Where the entry comes from: the organization, and the table stream record of the change.',
      properties: { organizationId: { type: 'string' }, streamEventId: { type: 'string' } },
      required: ['organizationId', 'streamEventId'],
      additionalProperties: false,
    },
    seq: { type: 'integer', minimum: 1, description: "The entry's place in its resource's chain, from 1." },
    resourceVersion: {
      type: 'integer',
      description:
        "The resource's version after the change (a workflow's revision; the deployed version for a deployment).",
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
  },
  required: [
    'eventId',
    'eventType',
    'action',
    'result',
    'resourceType',
    'resourceId',
    'actor',
    'timestamp',
    'hash',
    'previousHash',
    'context',
    'seq',
    'resourceVersion',
    'changedFields',
    'changes',
    'stateHash',
  ],
  additionalProperties: false,
} as const;

export const auditEventListOutput = {
  $id: 'AuditEventList',
  type: 'object',
  properties: {
    items: { type: 'array', items: auditEventOutput },
    nextCursor: flowkerNextCursor,
    hasMore: {
      type: 'boolean',
      description:
        'True when more entries may follow: a filtered page can come back short, or even empty, before the end.',
    },
  },
  required: ['items', 'nextCursor', 'hasMore'],
} as const;

/** Flowker's `HashChainVerificationOutput`, then flowplane's account of where and why a chain breaks. */
export const auditVerificationOutput = {
  $id: 'AuditVerification',
  type: 'object',
  properties: {
    isValid: {
      type: 'boolean',
      description: "True when every entry of the resource's chain from the first up to this one is intact and linked.",
    },
    totalChecked: { type: 'integer', minimum: 0, description: 'How many entries were checked before the verdict.' },
    firstInvalidId: {
      type: 'integer',
      minimum: 1,
      description: 'The place (`seq`) of the first entry at which the chain breaks; absent when it is intact.',
    },
    message: { type: 'string' },
    eventId,
    resourceId: { type: 'string' },
    seq: { type: 'integer', minimum: 1, description: "The verified entry's place in its resource's chain." },
    firstBrokenLink: {
      type: ['object', 'null'],
      description: 'The first entry at which the chain breaks, and why; null when it is intact.',
      properties: {
        eventId,
        seq: { type: 'integer', minimum: 1 },
        reason: {
          type: 'string',
          enum: ['missing_entry', 'misplaced_entry', 'previous_hash_mismatch', 'hash_mismatch'],
        },
        message: { type: 'string' },
      },
      required: ['eventId', 'seq', 'reason', 'message'],
      additionalProperties: false,
    },
  },
  required: ['isValid', 'totalChecked', 'message', 'eventId', 'resourceId', 'seq', 'firstBrokenLink'],
  additionalProperties: false,
} as const;
