/**
 * The one command pipeline. Every transport (HTTP, direct invoke, EventBridge, SQS)
 * hands over a `Submission`; this guards the body (size, depth, text that cannot be
 * stored), validates params, query and body against the route's schemas once, filling
 * defaults, and reports every violation at once.
 */
import { validators } from '#validators';
import { MalformedBodyError, PayloadTooLargeError, RequestValidationError, type Violation } from '../errors.js';
import type { Precondition } from '../domain/precondition.js';
import type { Principal } from './command.js';
import type { JsonSchema, RouteDefinition, ValidatedCommand } from './route.js';
import { type InterpretedValidator, interpretedValidator } from './schema-interpreter.js';
import { toViolations } from './violations.js';

const interpreters = new WeakMap<JsonSchema, InterpretedValidator>();

/** The interpreter for a schema without compiled code (the workflow bodies), made once. */
function interpreted(schema: JsonSchema): InterpretedValidator {
  let validate = interpreters.get(schema);
  if (!validate) {
    validate = interpretedValidator(schema);
    interpreters.set(schema, validate);
  }
  return validate;
}

/** A request as a transport received it, before validation. */
export interface Submission {
  principal?: Principal;
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** The body as a JSON value; undefined when none was sent. */
  body: unknown;
  precondition?: Precondition;
  requestId: string;
  idempotencyKey?: string;
}

/** Deepest nesting a body may have: deeper values could exhaust the validators' stack. */
export const maxBodyDepth = 64;

/** Refuses a body larger than the route takes, before anything reads it. */
export function assertBodySize(route: RouteDefinition, bytes: number): void {
  if (route.maxBodyBytes !== undefined && bytes > route.maxBodyBytes) throw new PayloadTooLargeError(route.maxBodyBytes);
}

/**
 * The first reason a JSON value cannot be a body, without recursion: nested deeper than
 * `maxBodyDepth`, or text that is not well-formed UTF-16 (JSON escapes can produce lone
 * surrogates, which can be neither stored nor echoed).
 */
export function bodyProblem(value: unknown): MalformedBodyError | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return new MalformedBodyError('ill_formed_text', 'Request body contains a lone UTF-16 surrogate');
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxBodyDepth) return new MalformedBodyError('too_deep', `Request body nests deeper than ${maxBodyDepth} levels`);
    for (const [key, child] of Object.entries(current)) {
      if (!key.isWellFormed()) return new MalformedBodyError('ill_formed_text', 'Request body contains a lone UTF-16 surrogate');
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** Violations of one part of a request against its schema (none when the route has no schema). */
export function validatePart(schema: JsonSchema | undefined, part: 'path' | 'query' | 'body' | 'command', value: unknown): Violation[] {
  if (!schema) return [];
  const validate = validators[String(schema.$id)] ?? interpreted(schema);
  return validate(value) ? [] : toViolations(validate.errors ?? [], part, value);
}

/**
 * The validated command for a route: the body guarded, then params, query and body
 * checked against the route's schemas in one pass (defaults such as an endpoint's
 * `timeout` are filled in), every violation reported at once.
 */
export function toCommand(route: RouteDefinition, submission: Submission): ValidatedCommand {
  if (route.request.body) {
    if (submission.body === undefined) throw new MalformedBodyError('missing', 'Request body is required and must be a JSON object');
    const problem = bodyProblem(submission.body);
    if (problem) throw problem;
  }
  const violations = [
    ...validatePart(route.request.params, 'path', submission.params),
    ...validatePart(route.request.query, 'query', submission.query),
    ...validatePart(route.request.body, 'body', submission.body),
  ];
  if (violations.length > 0) throw new RequestValidationError(violations);
  if (route.authenticated && !submission.principal) throw new Error('authenticated route reached without a principal');
  return submission as ValidatedCommand;
}
