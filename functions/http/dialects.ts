/**
 * Error dialects: how each contract spells an error. Flowker answers
 * `{code, title, message, fields?}`; xpander (FastAPI) answers `{detail}` with a list of
 * `{type, loc, msg, input}` for validation problems. Errors that are not `ApiError`s
 * become a 500 whose body carries only a reference.
 */
import { toPointer } from '../core/violations.js';
import type { ErrorDialect } from '../routes.js';
import {
  ApiError,
  MalformedBodyError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RequestValidationError,
  UnauthorizedError,
  type Violation,
} from './errors.js';

export interface RenderedError {
  status: number;
  body: Record<string, unknown>;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

/** The Flowker code (NOTES.md) for one schema violation of an executor request. */
export function flowkerCodeFor(violation: Violation): string | undefined {
  if (violation.code) return violation.code;
  const [part, ...rest] = violation.loc;
  if (part === 'path') return 'FLK-0002';
  if (part === 'query') return rest[0] === 'limit' ? 'FLK-0309' : 'FLK-0304';
  if (violation.type === 'extra_forbidden') return 'FLK-0300';
  const path = rest.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');
  const { type } = violation;
  const requiredLike = type === 'missing' || type === 'string_too_short' || type === 'string_pattern_mismatch';
  switch (path) {
    case 'name':
      if (type === 'string_too_long') return 'FLK-0261';
      return requiredLike ? 'FLK-0260' : undefined;
    case 'baseUrl':
      if (type === 'missing') return 'FLK-0262';
      if (type === 'string_too_long') return 'FLK-0264';
      return type === 'url_parsing' || type === 'string_type' ? 'FLK-0263' : undefined;
    case 'endpoints':
      return type === 'missing' || type === 'too_short' ? 'FLK-0265' : undefined;
    case 'authentication':
      return type === 'missing' ? 'FLK-0266' : undefined;
    case 'description':
      return type === 'string_too_long' ? 'FLK-0267' : undefined;
    case 'authentication.type':
      if (type === 'missing') return 'FLK-0268';
      return type === 'enum' || type === 'string_type' ? 'FLK-0269' : undefined;
    case 'endpoints.*.name':
      return requiredLike ? 'FLK-0270' : undefined;
    case 'endpoints.*.path':
      return requiredLike ? 'FLK-0271' : undefined;
    case 'endpoints.*.method':
      if (type === 'missing') return 'FLK-0272';
      return type === 'enum' || type === 'string_type' ? 'FLK-0273' : undefined;
    default:
      return undefined;
  }
}

function fieldsOf(violations: readonly Violation[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const violation of violations) {
    const pointer = toPointer(violation.loc.slice(1)) || '/';
    fields[pointer] = fields[pointer] ? `${fields[pointer]}; ${violation.msg}` : violation.msg;
  }
  return fields;
}

function summarize(violations: readonly Violation[]): string {
  const [first] = violations;
  const where = toPointer(first.loc.slice(1)) || first.loc[0];
  const head = `${where}: ${first.msg}`;
  return violations.length === 1 ? head : `${head} (and ${violations.length - 1} more; see fields)`;
}

function renderFlowker(error: unknown, requestId: string): RenderedError {
  if (error instanceof UnauthorizedError) {
    return { status: 401, body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' } };
  }
  if (!(error instanceof ApiError)) {
    return {
      status: 500,
      body: { code: 'FLK-9999', title: titles[500], message: `An unexpected error occurred. Reference: ${requestId}` },
    };
  }
  const { status, violations } = error;
  let code = error.code;
  let message = error.message;
  if (error instanceof RequestValidationError && violations.length > 0) {
    const extras = violations.filter((v) => v.type === 'extra_forbidden');
    if (extras.length > 0) {
      code = 'FLK-0300';
      message = `Unexpected fields in the request: ${extras.map((v) => toPointer(v.loc.slice(1))).join(', ')}`;
    } else {
      // Lowest code first: Flowker's codes follow its field order (name, baseUrl, endpoints…).
      const codes = violations.map(flowkerCodeFor).filter((c): c is string => c !== undefined).sort();
      code = codes[0] ?? 'FLK-0302';
      message = summarize(violations);
    }
  } else if (violations.length > 0 && message === '') {
    message = summarize(violations);
  }
  code ??= defaultFlowkerCode(error);
  const body: Record<string, unknown> = { code, title: titles[status] ?? 'Error', message };
  if (violations.length > 0) body.fields = fieldsOf(violations);
  return { status, body };
}

function defaultFlowkerCode(error: ApiError): string {
  if (error instanceof MalformedBodyError || error instanceof PayloadTooLargeError) return 'FLK-0001';
  if (error instanceof PreconditionFailedError) return 'FLK-0350';
  return error.status === 404 ? 'FLK-0250' : 'FLK-0302';
}

function renderFastApi(error: unknown, requestId: string): RenderedError {
  if (error instanceof UnauthorizedError) return { status: 401, body: { detail: 'API Key missing or invalid' } };
  if (!(error instanceof ApiError)) {
    return { status: 500, body: { detail: `Internal server error. Reference: ${requestId}` } };
  }
  if (error instanceof RequestValidationError || error instanceof MalformedBodyError || error.status === 422) {
    const violations: Violation[] =
      error.violations.length > 0 ? error.violations : [{ loc: ['body'], type: 'value_error', msg: error.message }];
    return {
      status: 422,
      body: {
        detail: violations.map(({ type, loc, msg, input }) => ({ type, loc, msg, ...(input === undefined ? {} : { input }) })),
      },
    };
  }
  return { status: error.status, body: { detail: error.message } };
}

/** Renders any thrown value in the route's dialect. */
export function renderError(dialect: ErrorDialect, error: unknown, requestId: string): RenderedError {
  return dialect === 'fastapi' ? renderFastApi(error, requestId) : renderFlowker(error, requestId);
}
