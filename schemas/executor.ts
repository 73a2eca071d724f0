/**
 * Flowker "Executor Configurations" shapes (docs/contracts.md, Flowker), with the limits the seed
 * declares and Flowker never enforces made real. Relaxations of the seed are noted
 * where they happen.
 */
import { anyJsonValue, httpMethods, uuidSchema } from './common.js';
import { displayNamePattern, httpUrlPattern, queryPageSizePattern } from './formats.js';

export const authenticationTypes = [
  'none',
  'api_key',
  'bearer',
  'basic',
  'oidc_client_credentials',
  'oidc_user',
] as const;

export const executorStatuses = ['unconfigured', 'configured', 'tested', 'active', 'disabled'] as const;

/** Keys of a free-form map: DynamoDB map keys cannot be empty, and 128 keeps names readable. */
const mapKeys = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const executorEndpointInput = {
  type: 'object',
  properties: {
    method: { type: 'string', enum: httpMethods, description: 'HTTP method for this endpoint.', example: 'POST' },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      pattern: '\\S',
      description: 'Unique name for this endpoint within the executor.',
      example: 'validate-identity',
    },
    path: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^/',
      description: "URL path appended to the executor's base URL; starts with `/`.",
      example: '/identity/validate',
    },
    timeout: {
      type: 'integer',
      minimum: 1,
      maximum: 300,
      default: 30,
      description: 'Request timeout in seconds. Defaults to 30.',
      example: 30,
    },
  },
  required: ['method', 'name', 'path'],
  additionalProperties: false,
} as const;

export const executorAuthenticationInput = {
  type: 'object',
  properties: {
    type: {
      type: 'string',
      enum: authenticationTypes,
      description: 'Authentication method.',
      example: 'api_key',
    },
    config: {
      type: 'object',
      description:
        'Authentication parameters specific to the chosen type (e.g., `key` for api_key, `token` for bearer, `username`/`password` for basic). Values are any JSON value (the seed renders them as objects; its own examples hold strings).',
      propertyNames: mapKeys,
      maxProperties: 50,
      additionalProperties: anyJsonValue,
      example: { key: 'sk-live-abc123def456', header: 'X-API-Key' },
    },
  },
  required: ['type'],
  additionalProperties: false,
} as const;

const executorInputProperties = {
  authentication: executorAuthenticationInput,
  baseUrl: {
    type: 'string',
    maxLength: 500,
    format: 'http-url',
    pattern: httpUrlPattern,
    description: 'Base URL of the external service: an http(s) URL with a host. A trailing `/` is trimmed.',
    example: 'https://api.serasa.com.br/v2',
  },
  description: {
    type: 'string',
    maxLength: 500,
    description: 'Human-readable description of this executor configuration.',
    example: 'Serasa KYC provider for identity validation',
  },
  endpoints: {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: executorEndpointInput,
    description: 'List of HTTP endpoints exposed by this executor.',
  },
  metadata: {
    type: 'object',
    description: 'Custom key-value pairs for tagging; merged key by key into the stored metadata.',
    propertyNames: mapKeys,
    maxProperties: 100,
    additionalProperties: anyJsonValue,
  },
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 100,
    format: 'display-name',
    pattern: displayNamePattern,
    description:
      'Display name for the executor configuration; unique within the organization. Stored without surrounding blanks; it must hold a visible character and no control character.',
    example: 'Serasa KYC',
  },
} as const;

const readOnlyTimestamp = /* @__NO_SIDE_EFFECTS__ */ (what: string) =>
  ({ type: 'string', maxLength: 64, description: `Read-only: accepted when it is ${what}.` }) as const;

/**
 * The output fields a PATCH may send back (a GET body PATCHed unchanged): accepted when
 * they say what is stored, a 400 when they would change it.
 */
const readOnlyProperties = {
  id: { ...uuidSchema, description: "Read-only: accepted when it is this configuration's id." },
  status: {
    type: 'string',
    enum: executorStatuses,
    description: 'Read-only: accepted when it is the current status (a PATCH moves unconfigured to configured).',
  },
  createdAt: readOnlyTimestamp('when the configuration was created'),
  updatedAt: readOnlyTimestamp('when it was last changed'),
  lastTestedAt: readOnlyTimestamp('when its connectivity was last tested'),
} as const;

/** `PATCH /v1/executors/{id}` body: the seed's `UpdateExecutorConfigurationInput`, plus the read-only output fields. */
export const updateExecutorInput = {
  $id: 'UpdateExecutorConfigurationInput',
  type: 'object',
  properties: { ...executorInputProperties, ...readOnlyProperties },
  required: ['authentication', 'baseUrl', 'endpoints', 'name'],
  additionalProperties: false,
} as const;

/** `POST /v1/executors` body: same rules, only `name` required. */
export const createExecutorInput = {
  $id: 'CreateExecutorConfigurationInput',
  type: 'object',
  properties: executorInputProperties,
  required: ['name'],
  additionalProperties: false,
} as const;

export const executorIdParams = {
  $id: 'ExecutorIdParams',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Unique identifier of the executor configuration.' },
  },
  required: ['id'],
} as const;

const timestamp = { type: 'string', format: 'date-time' } as const;

/** The seed's `ExecutorConfigurationOutput`; `lastTestedAt` is omitted until a test ran. */
export const executorOutput = {
  $id: 'ExecutorConfigurationOutput',
  type: 'object',
  properties: {
    authentication: {
      type: 'object',
      properties: {
        config: {
          type: 'object',
          additionalProperties: anyJsonValue,
          description: 'Authentication parameters. Sensitive values are masked.',
        },
        type: { type: 'string', description: 'Authentication method.' },
      },
      additionalProperties: false,
    },
    baseUrl: { type: 'string' },
    createdAt: timestamp,
    description: { type: 'string' },
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          method: { type: 'string' },
          name: { type: 'string' },
          path: { type: 'string' },
          timeout: { type: 'integer' },
        },
        additionalProperties: false,
      },
    },
    id: uuidSchema,
    lastTestedAt: timestamp,
    metadata: { type: 'object', additionalProperties: anyJsonValue },
    name: { type: 'string' },
    status: { type: 'string', enum: executorStatuses },
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'status', 'metadata', 'endpoints', 'createdAt', 'updatedAt'],
  // Nothing beyond the contract's fields leaves (organization, version, sealed secrets stay in).
  additionalProperties: false,
} as const;

/** `GET /v1/executors` query: page size, opaque cursor, status filter. */
export const listExecutorsQuery = {
  $id: 'ListExecutorsQuery',
  type: 'object',
  properties: {
    limit: {
      type: 'string',
      pattern: queryPageSizePattern,
      default: '20',
      description: 'Page size, 1 to 100 (default 20).',
      example: '20',
    },
    cursor: { type: 'string', minLength: 1, maxLength: 2048, description: 'Opaque cursor from the previous page.' },
    status: { type: 'string', enum: executorStatuses, description: 'Only executors in this status.' },
  },
} as const;

export const executorListOutput = {
  $id: 'ExecutorConfigurationList',
  type: 'object',
  properties: {
    items: { type: 'array', items: executorOutput },
    nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
    hasMore: { type: 'boolean' },
  },
  required: ['items', 'nextCursor', 'hasMore'],
} as const;

const stageResult = {
  type: 'object',
  properties: {
    name: { type: 'string', enum: ['connectivity', 'authentication', 'transformation', 'end_to_end'] },
    status: { type: 'string', enum: ['passed', 'failed', 'skipped'] },
    durationMs: { type: 'number' },
    reason: { type: 'string' },
    httpStatus: { type: 'integer' },
  },
  required: ['name', 'status', 'durationMs'],
} as const;

/** `POST /v1/executors/{id}/test` result. */
export const executorTestOutput = {
  $id: 'ExecutorConnectivityTestOutput',
  type: 'object',
  properties: {
    executorId: uuidSchema,
    overall: { type: 'string', enum: ['passed', 'failed', 'partial'] },
    stages: { type: 'array', items: stageResult },
    testedAt: timestamp,
    status: { type: 'string', enum: executorStatuses },
  },
  required: ['executorId', 'overall', 'stages', 'testedAt', 'status'],
} as const;
