/**
 * The xpander contract's voice (docs/contracts.md, xpander: a FastAPI service), in one module: its error
 * schemas, pydantic's error types and wording, and the standard error responses the
 * route table lists. Validation problems answer 422 `{"detail": [{type, loc, msg,
 * input}]}`; every other error `{"detail": "..."}`. Nothing else in the code base words
 * a pydantic message.
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
  RuleViolationError,
  StaleVersionError,
  StorageLimitError,
  UnauthorizedError,
  UnavailableError,
  type Violation,
  WrongStatusError,
} from '../errors.js';
import { neededPermissions } from '../auth/permissions.js';
import { parsePrecondition } from '../domain/precondition.js';
import { decodeCursor } from '../pipeline/cursor.js';
import type { Contract, PartValidator, RenderedError, RouteDefinition, RouteResponse } from '../pipeline/route.js';
import { schemaWording } from './schema-wording.js';

/** FastAPI's `HTTPValidationError`. */
export const fastApiValidationError = {
  $id: 'HTTPValidationError',
  type: 'object',
  properties: {
    detail: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          loc: { type: 'array', items: { type: ['string', 'integer'] } },
          msg: { type: 'string' },
          input: {},
        },
        required: ['type', 'loc', 'msg'],
      },
    },
  },
  required: ['detail'],
} as const;

/** FastAPI's `HTTPException` body. */
export const fastApiError = {
  $id: 'HTTPError',
  type: 'object',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
} as const;

/** What a request with a typical mistake looks like to the route's schemas, in the part it reads first. */
function invalidRequest(route: RouteDefinition, validate: PartValidator): RequestValidationError {
  const { body, params, query } = route.request;
  const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const violations = body
    ? validate(body, 'body', { name: ' ', orchestration_nodes: [{ type: 'agent', definition: {} }] })
    : params
      ? validate(params, 'path', Object.fromEntries(placeholders.map((name) => [name, 'support-triage'])))
      : validate(query, 'query', { limit: '500' });
  return new RequestValidationError(violations);
}

/** What `parsePrecondition` throws for `If-Match: 1`, the version without its quotes. */
function unquotedIfMatch(): unknown {
  try {
    return parsePrecondition('1');
  } catch (error) {
    return error;
  }
}

// One const per error response (no spreads or calls), so unused routes tree-shake away. Each names the error of
// its most common case (`exampleError`), which the OpenAPI document renders as the response's example.
export const fastApiError401: RouteResponse = {
  description: 'API key or bearer token missing or invalid (expired, of another issuer or audience).',
  schema: fastApiError,
  exampleError: () => new UnauthorizedError('no API key'),
};
export const fastApiError403: RouteResponse = {
  description: 'The API key or token is good but lacks the permission this operation needs (named).',
  schema: fastApiError,
  exampleError: (route) => new ForbiddenError(neededPermissions(route)[0]),
};
export const fastApiError404: RouteResponse = {
  description: 'The workflow (or version) does not exist in your organization.',
  schema: fastApiError,
  exampleError: () => new NotFoundError('workflow'),
};
export const fastApiNodeError404: RouteResponse = {
  description: 'The workflow does not exist in your organization, or has no node with this id.',
  schema: fastApiError,
  exampleError: () => new NotFoundError('workflowNode'),
};
export const fastApiError412: RouteResponse = {
  description: 'If-Match names a revision that is no longer current; nothing was written.',
  schema: fastApiError,
  exampleError: () => new StaleVersionError('workflow'),
};
export const fastApiError400: RouteResponse = {
  description: 'The body is not UTF-8.',
  schema: fastApiError,
  exampleError: () => new MalformedBodyError('not_utf8'),
};
export const fastApiUpdateError400: RouteResponse = {
  description: 'If-Match is no list of quoted revisions (`"3"`) or `*`, or the body is not UTF-8.',
  schema: fastApiError,
  exampleError: unquotedIfMatch,
};
export const fastApiIfMatchError400: RouteResponse = {
  description: 'If-Match is no list of quoted revisions (`"3"`) or `*`.',
  schema: fastApiError,
  exampleError: unquotedIfMatch,
};
export const fastApiError413: RouteResponse = {
  description: 'The body is larger than 1 MiB.',
  schema: fastApiError,
  exampleError: (route) => new PayloadTooLargeError(route.maxBodyBytes ?? 0),
};
export const fastApiError422: RouteResponse = {
  description: 'Validation error: every problem with its location.',
  schema: fastApiValidationError,
  exampleError: invalidRequest,
};
export const fastApiCursorError422: RouteResponse = {
  description: 'Validation error: `next` is not a cursor this API issued for your organization.',
  schema: fastApiValidationError,
  exampleError: () => {
    try {
      return decodeCursor('bm90LWEtY3Vyc29y', { param: 'next', shape: {} });
    } catch (error) {
      return error;
    }
  },
};
export const fastApiError500: RouteResponse = {
  description: 'Unexpected internal error; the body carries a reference to quote to support.',
  schema: fastApiError,
  exampleError: () => new Error('unexpected'),
};
export const fastApiError503: RouteResponse = {
  description:
    'The database is throttling, failing or not answering; send the same request again after Retry-After seconds (with the same Idempotency-Key where the route takes one).',
  schema: fastApiError,
  retryAfter: true,
  exampleError: () => new UnavailableError('DynamoDB', 'throttled', 'ThrottlingException', 1),
};
export const fastApiCreateError409: RouteResponse = {
  description: 'A request with the same Idempotency-Key is still in progress; retry after Retry-After seconds.',
  schema: fastApiError,
  retryAfter: true,
  exampleError: () => new RequestInProgressError(1),
};
export const fastApiDeployError409: RouteResponse = {
  description:
    'The workflow kept changing while deploying, or a request with the same Idempotency-Key is still in progress (with Retry-After); retry.',
  schema: fastApiError,
  retryAfter: true,
  exampleError: () => new ConcurrentChangeError('workflow'),
};

/** One item of a 422 `detail` list. */
export interface ValidationDetail {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

/**
 * A violation as pydantic reports it: a schema keyword in pydantic's words; a domain
 * rule as `value_error` ("Value error, ...") or, for a rule named `*_required`, as
 * `missing` ("Field required: ...").
 */
export function detailOf(violation: Violation): ValidationDetail {
  const wording =
    schemaWording(violation) ??
    (violation.rule.endsWith('_required')
      ? { type: 'missing', msg: `Field required: ${violation.message}` }
      : { type: 'value_error', msg: `Value error, ${violation.message ?? violation.rule}` });
  return {
    type: wording.type,
    loc: violation.loc,
    msg: wording.msg,
    ...(violation.input === undefined ? {} : { input: violation.input }),
  };
}

/** How a body that is no request at all is reported: pydantic's own types for each problem. */
function malformedDetail(error: MalformedBodyError): ValidationDetail {
  switch (error.problem) {
    case 'missing':
      return { type: 'missing', loc: ['body'], msg: 'Field required' };
    case 'not_json':
      return { type: 'json_invalid', loc: ['body', error.position ?? 0], msg: 'JSON decode error', input: {} };
    case 'ill_formed_text':
      return { type: 'string_unicode', loc: ['body'], msg: 'Input should be a valid string' };
    case 'media_type':
      // FastAPI reads a body of another media type as bytes, which no model accepts.
      return {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
      };
    default:
      return {
        type: 'value_error',
        loc: ['body'],
        msg: `Value error, ${error.message.replace(/^Request body/, 'the body')}`,
      };
  }
}

/** What a 404 says: which of the workflow's things was not found. */
function notFoundDetail(error: NotFoundError): string {
  if (error.resource === 'workflowVersion') return `Workflow version ${error.version} not found`;
  return error.resource === 'workflowNode' ? 'Node not found' : 'Workflow not found';
}

const invalid = (detail: ValidationDetail[]): RenderedError => ({ status: 422, body: { detail } });
const refused = (status: number, detail: string): RenderedError => ({ status, body: { detail } });
const retryLater = (status: number, detail: string, seconds: number): RenderedError => ({
  status,
  body: { detail },
  headers: { 'retry-after': String(seconds) },
});

/** Renders any thrown value as FastAPI answers it; the unexpected is a 500 naming only a reference. */
export function renderFastApiError(error: unknown, requestId: string): RenderedError {
  if (error instanceof UnauthorizedError)
    return refused(
      401,
      error.credential === 'bearerToken' ? 'Bearer token invalid or expired' : 'API Key missing or invalid',
    );
  if (error instanceof ForbiddenError) return refused(403, `Missing permission ${error.permission}`);
  if (error instanceof RequestValidationError || error instanceof RuleViolationError)
    return invalid(error.violations.map(detailOf));
  // FastAPI's own answer when the body's bytes cannot be decoded.
  if (error instanceof MalformedBodyError && error.problem === 'not_utf8')
    return refused(400, 'There was an error parsing the body');
  if (error instanceof MalformedBodyError) return invalid([malformedDetail(error)]);
  // A header that does not parse is FastAPI's 400 for a request it cannot read, not a validation of its fields.
  if (error instanceof MalformedHeaderError) return refused(400, `Header ${error.message}`);
  if (error instanceof PayloadTooLargeError) return refused(413, error.message);
  if (error instanceof NotFoundError) return refused(404, notFoundDetail(error));
  if (error instanceof StaleVersionError)
    return refused(412, 'The workflow changed since the version named in If-Match');
  if (error instanceof ConcurrentChangeError) return refused(409, 'The workflow kept changing while deploying; retry');
  if (error instanceof StorageLimitError) {
    return invalid([
      {
        type: 'value_error',
        loc: ['body'],
        msg: 'Value error, the workflow is too large to store (400 KB per version)',
      },
    ]);
  }
  if (error instanceof NameTakenError) return refused(409, `The name "${error.takenName}" is taken`);
  if (error instanceof WrongStatusError) return refused(422, error.message);
  if (error instanceof UnavailableError) {
    return retryLater(
      503,
      `Service temporarily unavailable; retry after ${error.retryAfterSeconds} seconds`,
      error.retryAfterSeconds,
    );
  }
  if (error instanceof IdempotencyKeyReusedError) return invalid(error.violations.map(detailOf));
  if (error instanceof RequestInProgressError) {
    return retryLater(
      409,
      `A request with this Idempotency-Key is still in progress; retry after ${error.retryAfterSeconds} seconds`,
      error.retryAfterSeconds,
    );
  }
  return refused(500, `Internal server error. Reference: ${requestId}`);
}

export const fastApi: Contract = {
  name: 'fastapi',
  renderError: renderFastApiError,
  violationsOf: (error) => {
    if (error instanceof MalformedBodyError) return [malformedDetail(error)];
    return error instanceof FlowplaneError ? error.violations.map(detailOf) : [];
  },
};
