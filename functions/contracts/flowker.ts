/**
 * The Flowker contract's voice (docs/contracts.md, Flowker), in one module: its error
 * schema, its codes and their wording, and the standard error responses the route table
 * lists. Errors answer `{code, title, message, fields?}`; `fields` maps every offending
 * JSON pointer to its message. Nothing else in the code base names an `FLK-` code.
 */
import {
  ConcurrentChangeError,
  FlowplaneError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  MalformedBodyError,
  MalformedHeaderError,
  NameTakenError,
  NotFoundError,
  PayloadTooLargeError,
  RequestInProgressError,
  RequestValidationError,
  type Resource,
  RuleViolationError,
  StaleVersionError,
  StorageLimitError,
  UnauthorizedError,
  UnavailableError,
  type Violation,
  WrongStatusError,
} from '../errors.js';
import { neededPermissions } from '../auth/permissions.js';
import { executorBodyViolations } from '../domain/executor/rules.js';
import type { Contract, PartValidator, RenderedError, RouteDefinition, RouteResponse } from '../pipeline/route.js';
import { toPointer } from '../pipeline/violations.js';
import { schemaWording } from './schema-wording.js';

/**
 * Flowker's `ErrorResponse`, plus the optional `fields` map its docs describe. No example of its own: one schema
 * serves every status, and each response shows the real body of its own case (the `exampleError`s below).
 */
export const flowkerErrorResponse = {
  $id: 'ErrorResponse',
  type: 'object',
  properties: {
    code: { type: 'string', description: 'FLK-nnnn, or UNAUTHORIZED / SERVICE_UNAVAILABLE.' },
    message: { type: 'string' },
    title: { type: 'string', description: 'The HTTP status in words.' },
    fields: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Each offending field (JSON pointer) with its message.',
    },
  },
  required: ['code', 'message', 'title'],
} as const;

/** What a request with a typical mistake looks like to the route's schemas, in the part it reads first. */
function invalidRequest(route: RouteDefinition, validate: PartValidator): RequestValidationError {
  const { body, params, query } = route.request;
  const violations = body
    ? validate(body, 'body', { name: 'Serasa KYC', baseUrl: 'api.serasa.com.br/v2' })
    : params
      ? validate(params, 'path', { id: 'serasa-kyc' })
      : validate(query, 'query', { limit: '500' });
  return new RequestValidationError(violations);
}

// One const per error response (no spreads or calls), so unused routes tree-shake away. Each names the error of
// its most common case (`exampleError`), which the OpenAPI document renders as the response's example.
export const flowkerError400: RouteResponse = {
  description:
    'The request does not match the schema (every problem in `fields`), or If-Match is no list of quoted versions.',
  schema: flowkerErrorResponse,
  exampleError: invalidRequest,
};
export const flowkerError401: RouteResponse = {
  description: 'UNAUTHORIZED: API key or bearer token missing or invalid (expired, of another issuer or audience).',
  schema: flowkerErrorResponse,
  exampleError: () => new UnauthorizedError('no API key'),
};
export const flowkerError403: RouteResponse = {
  description: 'FORBIDDEN: the API key or token is good but lacks the permission this operation needs (named).',
  schema: flowkerErrorResponse,
  exampleError: (route) => new ForbiddenError(neededPermissions(route)[0]),
};
export const flowkerError404: RouteResponse = {
  description: 'The executor configuration does not exist in your organization.',
  schema: flowkerErrorResponse,
  exampleError: () => new NotFoundError('executor'),
};
export const flowkerAuditError404: RouteResponse = {
  description: 'No audit entry with this id in your organization.',
  schema: flowkerErrorResponse,
  exampleError: () => new NotFoundError('auditEntry'),
};
export const flowkerError409: RouteResponse = {
  description:
    'Another executor configuration of your organization already has this name (FLK-0251), or the configuration changed concurrently while it was renamed (FLK-0350): read it and retry.',
  schema: flowkerErrorResponse,
  exampleError: () => new NameTakenError('Serasa KYC'),
};
export const flowkerDeleteError409: RouteResponse = {
  description: 'The executor configuration changed concurrently while it was deleted (FLK-0350): read it and retry.',
  schema: flowkerErrorResponse,
  exampleError: () => new ConcurrentChangeError('executor'),
};
export const flowkerError412: RouteResponse = {
  description: 'If-Match names a version that is no longer current; nothing was written.',
  schema: flowkerErrorResponse,
  exampleError: () => new StaleVersionError('executor'),
};
export const flowkerError413: RouteResponse = {
  description: 'The body is larger than 256 KiB.',
  schema: flowkerErrorResponse,
  exampleError: (route) => new PayloadTooLargeError(route.maxBodyBytes ?? 0),
};
export const flowkerError415: RouteResponse = {
  description: 'The body is not JSON in UTF-8 (Content-Type must be application/json).',
  schema: flowkerErrorResponse,
  exampleError: () => new MalformedBodyError('media_type'),
};
export const flowkerError422: RouteResponse = {
  description:
    'Well-formed, but a rule beyond the schema forbids it (duplicate endpoint names, authentication config, a target that may not be called; FLK-0274..0278), the status forbids a change (FLK-0252), or the Idempotency-Key was used for another request (FLK-0279).',
  schema: flowkerErrorResponse,
  exampleError: () =>
    new RuleViolationError(
      executorBodyViolations({ authentication: { type: 'api_key', config: { header: 'X-API-Key' } } }),
    ),
};
export const flowkerDeleteError422: RouteResponse = {
  description: 'A tested or active executor configuration cannot be deleted: disable it first (FLK-0252).',
  schema: flowkerErrorResponse,
  exampleError: () => new WrongStatusError('delete', 'active'),
};
export const flowkerTestError422: RouteResponse = {
  description:
    'An unconfigured executor configuration cannot be tested (FLK-0252), or the Idempotency-Key was used for another request (FLK-0279).',
  schema: flowkerErrorResponse,
  exampleError: () => new WrongStatusError('test', 'unconfigured', 'configured'),
};
export const flowkerActivateError422: RouteResponse = {
  description:
    'Only a tested executor configuration can be activated (FLK-0252), or the Idempotency-Key was used for another request (FLK-0279).',
  schema: flowkerErrorResponse,
  exampleError: () => new WrongStatusError('activate', 'configured', 'tested'),
};
export const flowkerDisableError422: RouteResponse = {
  description:
    'Only an active executor configuration can be disabled (FLK-0252), or the Idempotency-Key was used for another request (FLK-0279).',
  schema: flowkerErrorResponse,
  exampleError: () => new WrongStatusError('disable', 'tested', 'active'),
};
export const flowkerEnableError422: RouteResponse = {
  description:
    'Only a disabled executor configuration can be enabled (FLK-0252), or the Idempotency-Key was used for another request (FLK-0279).',
  schema: flowkerErrorResponse,
  exampleError: () => new WrongStatusError('enable', 'active', 'disabled'),
};
export const flowkerError500: RouteResponse = {
  description: 'Unexpected internal error; the body carries a reference to quote to support.',
  schema: flowkerErrorResponse,
  exampleError: () => new Error('unexpected'),
};
export const flowkerError503: RouteResponse = {
  description:
    'SERVICE_UNAVAILABLE: the database is throttling, failing or not answering; send the same request again after Retry-After seconds (with the same Idempotency-Key where the route takes one).',
  schema: flowkerErrorResponse,
  retryAfter: true,
  exampleError: () => new UnavailableError('DynamoDB', 'throttled', 'ThrottlingException', 1),
};
export const flowkerCreateError409: RouteResponse = {
  description:
    'Another executor configuration of your organization already has this name (FLK-0251), or a request with the same Idempotency-Key is still in progress (FLK-0351, with Retry-After).',
  schema: flowkerErrorResponse,
  retryAfter: true,
  exampleError: () => new NameTakenError('Serasa KYC'),
};
export const flowkerRetryError409: RouteResponse = {
  description:
    'The executor configuration changed concurrently (FLK-0350), or a request with the same Idempotency-Key is still in progress (FLK-0351, with Retry-After).',
  schema: flowkerErrorResponse,
  retryAfter: true,
  exampleError: () => new ConcurrentChangeError('executor'),
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The codes flowplane adds for rules beyond the schema, in Flowker's free FLK-0274..0279 range. */
export const ruleCodes: Readonly<Record<string, string>> = {
  endpoint_name_unique: 'FLK-0274',
  auth_config_required: 'FLK-0275',
  secret_not_stored: 'FLK-0275',
  secret_same_destination: 'FLK-0275',
  auth_config_unknown: 'FLK-0276',
  auth_config_value: 'FLK-0276',
  target_forbidden: 'FLK-0277',
  forbidden_key: 'FLK-0300',
  idempotency_key_reused: 'FLK-0279',
};

/** The code for one violation of an executor request: a rule's own, or Flowker's code for the field (docs/contracts.md). */
export function flowkerCodeFor(violation: Violation): string | undefined {
  const ruleCode = ruleCodes[violation.rule];
  if (ruleCode) return ruleCode;
  const [part, ...rest] = violation.loc;
  if (part === 'path') return 'FLK-0002';
  if (part === 'query') return rest[0] === 'limit' ? 'FLK-0309' : 'FLK-0304';
  const { rule } = violation;
  if (rule === 'additionalProperties') return 'FLK-0300';
  const path = rest.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');
  const requiredLike = rule === 'required' || rule === 'minLength' || rule === 'pattern';
  switch (path) {
    case 'name':
      if (rule === 'maxLength') return 'FLK-0261';
      return requiredLike || rule === 'format' ? 'FLK-0260' : undefined;
    case 'baseUrl':
      if (rule === 'required') return 'FLK-0262';
      if (rule === 'maxLength') return 'FLK-0264';
      return rule === 'format' || rule === 'type' ? 'FLK-0263' : undefined;
    case 'endpoints':
      return rule === 'required' || rule === 'minItems' ? 'FLK-0265' : undefined;
    case 'authentication':
      return rule === 'required' ? 'FLK-0266' : undefined;
    case 'description':
      return rule === 'maxLength' ? 'FLK-0267' : undefined;
    case 'authentication.type':
      if (rule === 'required') return 'FLK-0268';
      return rule === 'enum' || rule === 'type' ? 'FLK-0269' : undefined;
    case 'endpoints.*.name':
      return requiredLike ? 'FLK-0270' : undefined;
    case 'endpoints.*.path':
      return requiredLike ? 'FLK-0271' : undefined;
    case 'endpoints.*.method':
      if (rule === 'required') return 'FLK-0272';
      return rule === 'enum' || rule === 'type' ? 'FLK-0273' : undefined;
    default:
      return undefined;
  }
}

const nouns: Partial<Record<Resource, string>> = { executor: 'executor configuration', auditEntry: 'audit entry' };
const noun = (resource: Resource) => nouns[resource] ?? resource;
const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/** A violation's message: a domain rule's own words, or the schema keyword's wording. */
function messageOf(violation: Violation): string {
  return violation.message ?? schemaWording(violation)?.msg ?? violation.rule;
}

function fieldsOf(violations: readonly Violation[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const violation of violations) {
    const pointer = toPointer(violation.loc.slice(1)) || '/';
    const message = messageOf(violation);
    fields[pointer] = fields[pointer] ? `${fields[pointer]}; ${message}` : message;
  }
  return fields;
}

/**
 * The message of a schema failure: the first field with what `fields` says of it, and how many other entries
 * `fields` holds (two problems at one field are one entry; a capped list's count of what it left out is one more).
 */
function summarize(violations: readonly Violation[], fields: Record<string, string>): string {
  const [first] = violations;
  const pointer = toPointer(first.loc.slice(1));
  const head = `${pointer || first.loc[0]}: ${fields[pointer || '/']}`;
  const others = Object.keys(fields).length - 1;
  return others === 0 ? head : `${head} (and ${others} more; see fields)`;
}

function wrongStatusMessage({ action, status, needed }: WrongStatusError): string {
  if (action === 'test')
    return 'Cannot test an unconfigured executor configuration: set baseUrl, endpoints and authentication first';
  const base = `Cannot ${action} executor configuration in status ${status}`;
  return needed ? `${base} (needs ${needed})` : base;
}

const answer = (status: number, code: string, message: string, fields?: Record<string, string>): RenderedError => ({
  status,
  body: { code, title: titles[status] ?? 'Error', message, ...(fields ? { fields } : {}) },
});

const retryAfter = (seconds: number) => ({ 'retry-after': String(seconds) });

/** A schema failure: unexpected fields first (FLK-0300), else the lowest field code (Flowker's field order). */
function renderValidation(violations: readonly Violation[]): RenderedError {
  // A body that is no JSON object at all is Flowker's "invalid request body".
  if (violations.some((v) => v.loc.length === 1 && v.loc[0] === 'body' && v.rule === 'type')) {
    return answer(400, 'FLK-0001', 'Request body must be a JSON object');
  }
  const extras = violations.filter((v) => v.rule === 'additionalProperties');
  if (extras.length > 0) {
    return answer(
      400,
      'FLK-0300',
      `Unexpected fields in the request: ${extras.map((v) => toPointer(v.loc.slice(1))).join(', ')}`,
      fieldsOf(violations),
    );
  }
  const codes = violations
    .map(flowkerCodeFor)
    .filter((c): c is string => c !== undefined)
    .sort();
  const fields = fieldsOf(violations);
  return answer(400, codes[0] ?? 'FLK-0302', summarize(violations, fields), fields);
}

/** Renders any thrown value as Flowker answers it; the unexpected is a 500 naming only a reference. */
export function renderFlowkerError(error: unknown, requestId: string): RenderedError {
  if (error instanceof UnauthorizedError) {
    const message =
      error.credential === 'bearerToken' ? 'Bearer token invalid or expired' : 'API Key missing or invalid';
    return { status: 401, body: { code: 'UNAUTHORIZED', title: titles[401], message } };
  }
  if (error instanceof ForbiddenError) {
    return {
      status: 403,
      body: { code: 'FORBIDDEN', title: titles[403], message: `Missing permission ${error.permission}` },
    };
  }
  if (error instanceof RequestValidationError) return renderValidation(error.violations);
  if (error instanceof MalformedBodyError)
    return answer(error.problem === 'media_type' ? 415 : 400, 'FLK-0001', error.message);
  if (error instanceof MalformedHeaderError) return renderValidation(error.violations);
  if (error instanceof PayloadTooLargeError) return answer(413, 'FLK-0001', error.message);
  if (error instanceof RuleViolationError) {
    const [first] = error.violations;
    return answer(422, (first && flowkerCodeFor(first)) ?? 'FLK-0302', error.message, fieldsOf(error.violations));
  }
  if (error instanceof NotFoundError) return answer(404, 'FLK-0250', `${capitalized(noun(error.resource))} not found`);
  if (error instanceof NameTakenError)
    return answer(409, 'FLK-0251', `An executor configuration named "${error.takenName}" already exists`);
  if (error instanceof WrongStatusError) return answer(422, 'FLK-0252', wrongStatusMessage(error));
  if (error instanceof StaleVersionError) {
    return answer(412, 'FLK-0350', `The ${noun(error.resource)} changed since the version named in If-Match`);
  }
  if (error instanceof ConcurrentChangeError) {
    return answer(409, 'FLK-0350', `The ${noun(error.resource)} changed concurrently; retry with the latest version`);
  }
  if (error instanceof StorageLimitError)
    return answer(422, 'FLK-0278', `The ${noun(error.resource)} is too large to store (400 KB item limit)`);
  if (error instanceof UnavailableError) {
    const message = `The service is temporarily unavailable; retry after ${error.retryAfterSeconds} seconds`;
    return {
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE', title: titles[503], message },
      headers: retryAfter(error.retryAfterSeconds),
    };
  }
  if (error instanceof IdempotencyKeyReusedError)
    return answer(
      422,
      'FLK-0279',
      'This Idempotency-Key was already used for a different request',
      fieldsOf(error.violations),
    );
  if (error instanceof RequestInProgressError) {
    return {
      ...answer(
        409,
        'FLK-0351',
        `A request with this Idempotency-Key is still in progress; retry after ${error.retryAfterSeconds} seconds`,
      ),
      headers: retryAfter(error.retryAfterSeconds),
    };
  }
  return answer(500, 'FLK-9999', `An unexpected error occurred. Reference: ${requestId}`);
}

export const flowker: Contract = {
  name: 'flowker',
  renderError: renderFlowkerError,
  violationsOf: (error) =>
    error instanceof FlowplaneError
      ? error.violations.map((violation) => {
          const code = flowkerCodeFor(violation);
          return { loc: violation.loc, type: violation.rule, msg: messageOf(violation), ...(code ? { code } : {}) };
        })
      : [],
};
