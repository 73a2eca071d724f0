/**
 * The one command pipeline. Every transport (HTTP, direct invoke, EventBridge, SQS)
 * hands over a `Submission`; this guards the body (size, depth, text that cannot be
 * stored, keys that could reach a prototype, numbers that are not finite), validates
 * params, query and body against the route's schemas once, filling defaults, reports
 * every violation at once, hands the query over typed (no use case reads a query text), and
 * checks the principal holds the permissions the route and its query need.
 */
import { validators } from '#validators';
import { parseQueryBoolean, queryPageSizePattern } from '../../schemas/formats.js';
import { MalformedBodyError, PayloadTooLargeError, RequestValidationError, type Violation } from '../errors.js';
import { expectedVersions, maxEntityTags, type Precondition } from '../domain/precondition.js';
import { authorize } from '../auth/permissions.js';
import type { Principal } from './command.js';
import type { JsonSchema, RouteDefinition, ValidatedCommand } from './route.js';
import { toViolations } from './violations.js';

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
  if (route.maxBodyBytes !== undefined && bytes > route.maxBodyBytes)
    throw new PayloadTooLargeError(route.maxBodyBytes);
}

/** Keys no body or command may hold at any depth: they could reach an object's prototype once stored and read back. */
export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

interface Walked {
  value: unknown;
  depth: number;
  parent?: Walked;
  key?: string | number;
}

const locationOf = (node: Walked, root: string): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let at: Walked | undefined = node; at?.parent; at = at.parent) path.unshift(at.key!);
  return [root, ...path];
};

/**
 * The first reason a JSON value cannot be a request, found without recursion: nested
 * deeper than `maxBodyDepth`; text that is not well-formed UTF-16 (JSON escapes can
 * produce lone surrogates, which can be neither stored nor echoed); a key that could
 * reach a prototype; a number JSON text can hold but JSON values cannot (`1e400`).
 * `root` names where the value sits (`body`, or `command` for a whole envelope).
 */
export function guardProblem(value: unknown, root = 'body'): Error | undefined {
  const stack: Walked[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value: current, depth } = node;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return new MalformedBodyError('ill_formed_text');
      continue;
    }
    if (typeof current === 'number') {
      if (!Number.isFinite(current))
        return new RequestValidationError([{ loc: locationOf(node, root), rule: 'finite_number' }]);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxBodyDepth)
      return new MalformedBodyError('too_deep', `Request body nests deeper than ${maxBodyDepth} levels`);
    for (const [key, child] of Object.entries(current)) {
      if (!key.isWellFormed()) return new MalformedBodyError('ill_formed_text');
      const childNode: Walked = {
        value: child,
        depth: depth + 1,
        parent: node,
        key: Array.isArray(current) ? Number(key) : key,
      };
      if (!Array.isArray(current) && forbiddenKeys.has(key)) {
        return new RequestValidationError([
          { loc: locationOf(childNode, root), rule: 'forbidden_key', message: `the key "${key}" is not allowed` },
        ]);
      }
      stack.push(childNode);
    }
  }
  return undefined;
}

/** Violations of one part of a request against its schema (none when the route has no schema). */
export function validatePart(
  schema: JsonSchema | undefined,
  part: 'path' | 'query' | 'body' | 'command',
  value: unknown,
): Violation[] {
  if (!schema) return [];
  const validate = validators[String(schema.$id)];
  if (!validate) throw new Error(`no compiled validator for schema ${String(schema.$id)}: add it to schemas/index.ts`);
  return validate(value) ? [] : toViolations(validate.errors ?? [], part, value);
}

/** An `If-Match` listing more versions than one write can check. */
function preconditionViolations(precondition: Precondition | undefined): Violation[] {
  const versions = expectedVersions(precondition) ?? [];
  return versions.length > maxEntityTags
    ? [{ loc: ['header', 'if-match'], rule: 'maxItems', params: { limit: maxEntityTags } }]
    : [];
}

/**
 * The validated command for a route: the body guarded, then params, query and body
 * checked against the route's schemas in one pass (defaults such as an endpoint's
 * `timeout` are filled in), every violation reported at once; identifiers in lower case
 * and query values typed (`typedQuery`); then the principal's permissions, which a query
 * flag can widen (`deploy=true`), so they are checked once its value is known.
 */
export function toCommand(route: RouteDefinition, submission: Submission): ValidatedCommand {
  if (route.request.body) {
    if (submission.body === undefined) throw new MalformedBodyError('missing');
    const problem = guardProblem(submission.body);
    if (problem) throw problem;
  }
  const violations = [
    ...validatePart(route.request.params, 'path', submission.params),
    ...validatePart(route.request.query, 'query', submission.query),
    ...preconditionViolations(submission.precondition),
    ...validatePart(route.request.body, 'body', submission.body),
  ];
  if (violations.length > 0) throw new RequestValidationError(violations);
  if (route.authenticated && !submission.principal) throw new Error('authenticated route reached without a principal');
  const query = typedQuery(route.request.query, submission.query);
  return {
    ...submission,
    ...(submission.principal && route.authenticated ? { actor: authorize(route, submission.principal, query) } : {}),
    params: lowercasedParams(route.request.params, submission.params),
    query,
  } as ValidatedCommand;
}

/**
 * Identifiers this API writes (a UUID, an audit entry's id: a parameter whose schema states
 * its form by a format or a pattern) are matched in lower case, as pydantic's UUID type
 * does. A workflow node's id is the caller's own text, matched as sent.
 */
function lowercasedParams(
  schema: JsonSchema | undefined,
  params: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const properties = (schema?.properties ?? {}) as Record<string, { format?: string; pattern?: string }>;
  const written = (name: string) =>
    !Object.hasOwn(properties, name) || properties[name].format !== undefined || properties[name].pattern !== undefined;
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, written(name) ? value?.toLowerCase() : value]),
  );
}

/** What a query property's schema says its text is: the rule its format (or a page size's pattern) states. */
function queryValue(property: { format?: string; pattern?: string } | undefined, text: string): unknown {
  switch (property?.format) {
    case 'query-boolean':
      return parseQueryBoolean(text);
    case 'query-positive-int':
      return Number(text);
    case 'uuid':
      return text.toLowerCase();
    default:
      return property?.pattern === queryPageSizePattern ? Number(text) : text;
  }
}

/**
 * The query once it passed validation, as its schema means it: a `query-boolean` (any
 * spelling FastAPI accepts) a boolean, a `query-positive-int` or a page size a number, a
 * UUID in lower case, anything else the text sent. Done here once for every transport, so
 * use cases read values and `CommandFor` types them alike (functions/pipeline/route.ts).
 */
function typedQuery(
  schema: JsonSchema | undefined,
  query: Record<string, string | undefined>,
): Record<string, unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, { format?: string; pattern?: string }>;
  return Object.fromEntries(
    Object.entries(query).map(([name, text]) => [
      name,
      text === undefined || !Object.hasOwn(properties, name) ? text : queryValue(properties[name], text),
    ]),
  );
}
