/**
 * Errors are values with a status. Handlers and domain code throw these; the shared
 * chain renders them in the route's error dialect (Flowker or FastAPI). Anything that
 * is not an `ApiError` becomes a 500 with no internals in the body.
 */

/** Where a problem sits: FastAPI-style location, e.g. `['body', 'endpoints', 0, 'name']`. */
export type Location = (string | number)[];

/** One problem with a request, in a form every dialect can render. */
export interface Violation {
  /** Location of the offending value, starting with `path`, `query`, `header` or `body`. */
  loc: Location;
  /** Machine-readable kind (Ajv keyword or a domain rule name, e.g. `missing`, `dag_cycle`). */
  type: string;
  /** Human-readable explanation. */
  msg: string;
  /** The offending input value, when it is safe and useful to echo. */
  input?: unknown;
  /** The contract's own code for this problem, when the dialect has one (e.g. FLK-0261). */
  code?: string;
}

export abstract class ApiError extends Error {
  abstract readonly status: number;
  /** Contract code to use instead of the dialect's default for the status. */
  readonly code?: string;
  readonly violations: Violation[];

  constructor(message: string, options: { code?: string; violations?: Violation[] } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = options.code;
    this.violations = options.violations ?? [];
  }
}

/** The body is not JSON, not an object, or not well-formed text. */
export class MalformedBodyError extends ApiError {
  readonly status = 400;
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends ApiError {
  readonly status = 413;
}

/**
 * Path, query or body breaks the schema. The dialect decides the status: Flowker
 * answers 400, FastAPI 422.
 */
export class RequestValidationError extends ApiError {
  readonly status: number = 400;
}

/** Well-formed, but a rule beyond the schema says no (duplicate names, bad DAG, wrong state). */
export class UnprocessableError extends ApiError {
  readonly status = 422;
}

export class UnauthorizedError extends ApiError {
  readonly status = 401;
}

export class NotFoundError extends ApiError {
  readonly status = 404;
}

export class ConflictError extends ApiError {
  readonly status = 409;
}

/** `If-Match` named a version that is no longer current. */
export class PreconditionFailedError extends ApiError {
  readonly status = 412;
}
