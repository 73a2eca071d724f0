/**
 * Pieces shared by every schema. Schemas are plain `as const` objects so that the
 * build compiles them to standalone Ajv code and TypeScript derives types from the
 * very same literal (json-schema-to-ts), so a shape is written once.
 */

/** RFC 4122 textual UUID (any version), as Flowker and xpander accept it. */
export const uuidSchema = {
  type: 'string',
  format: 'uuid',
} as const;

/** Any JSON value: what the seed's `additionalProperties: {type: object}` maps really hold. */
export const anyJsonValue = {} as const;

/** The HTTP verbs an executor endpoint may use (docs/contracts.md, Flowker: uppercase only). */
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** What an organization id may be: the key scheme and the IAM deny on audit items rely on no `#`. */
export const organizationIdPattern = '^[A-Za-z0-9._:-]{1,128}$';

/**
 * The workflow node types (docs/contracts.md, xpander), one `oneOf` branch each in schemas/workflow.ts.
 * Here rather than there so that functions/pipeline/violations.ts can name them in an error
 * without pulling the workflow schemas into every bundle.
 */
export const nodeTypes = [
  'custom_function',
  'code',
  'agent',
  'orchestration',
  'classifier',
  'wait',
  'action',
  'guardrail',
  'summarizer',
  'send_to_end',
  'node_pointer',
  'parallel',
] as const;

/**
 * The paging parameters of Flowker's lists (docs/contracts.md, Flowker's own document): an opaque cursor, empty or
 * absent for the first page, as Flowker reads it; and the direction of the order, `ASC` or `DESC` (its default).
 */
export const flowkerCursor = {
  type: 'string',
  maxLength: 2048,
  description: 'The `nextCursor` of the previous page; absent or empty for the first page.',
} as const;

export const flowkerSortOrder = {
  type: 'string',
  enum: ['ASC', 'DESC'],
  default: 'DESC',
  description: 'Direction of the order (default `DESC`: newest, or last in name order, first).',
} as const;

/** A Flowker list's `nextCursor`: a string, empty on the last page (Flowker never sends null). */
export const flowkerNextCursor = {
  type: 'string',
  description: 'Pass as `cursor` for the next page; empty on the last page.',
} as const;
