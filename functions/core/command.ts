/**
 * The transport-agnostic seam. A command is what every handler core runs, whether it
 * came from API Gateway (REST v1 or HTTP API v2), a direct invoke or an event. Each
 * transport builds a `RawCommand`; `validateCommand` applies the route's schemas to it
 * in one place, so every transport gets the same checks.
 */
import { validators } from '#validators';
import { RequestValidationError, type Violation } from '../http/errors.js';
import type { JsonSchema, RouteDefinition } from '../routes.js';
import { toViolations } from './violations.js';

/** Who is calling: resolved from an API key (or trusted event source). */
export interface Principal {
  organizationId: string;
  /** Key hash prefix that identifies the key without revealing it. */
  keyId: string;
  keyName: string;
}

/** Parsed `If-Match`: the versions the caller expects, or `any` for `*`. */
export type Precondition = { versions: number[] } | { any: true };

export interface RawCommand {
  principal?: Principal;
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
  precondition?: Precondition;
  requestId: string;
}

export interface Command<P = Record<string, string>, Q = Record<string, string | undefined>, B = unknown> {
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  precondition?: Precondition;
  requestId: string;
}

/** What a core returns: a status, a body, and the resource version for the ETag. */
export interface Result {
  status: number;
  body?: unknown;
  version?: number | string;
  headers?: Record<string, string>;
}

/** Violations of one part of a request against its schema (none when the route has no schema). */
export function validatePart(schema: JsonSchema | undefined, part: 'path' | 'query' | 'body', value: unknown): Violation[] {
  if (!schema) return [];
  const validate = validators[String(schema.$id)];
  if (!validate) throw new Error(`no compiled validator for schema ${String(schema.$id)}: add it to schemas/index.ts`);
  return validate(value) ? [] : toViolations(validate.errors ?? [], part, value);
}

/**
 * Checks path parameters, query and body against the route's schemas (defaults such
 * as an endpoint's `timeout` are filled in) and reports every violation at once.
 */
export function validateCommand(route: RouteDefinition, raw: RawCommand): Command<any, any, any> {
  const violations = [
    ...validatePart(route.request.params, 'path', raw.params),
    ...validatePart(route.request.query, 'query', raw.query),
    ...validatePart(route.request.body, 'body', raw.body),
  ];
  if (violations.length > 0) throw new RequestValidationError('The request does not match the schema', { violations });
  if (route.authenticated && !raw.principal) throw new Error('authenticated route reached without a principal');
  return raw as Command;
}

/** True when no `If-Match` was sent, it was `*`, or it names `version`. */
export function matchesPrecondition(precondition: Precondition | undefined, version: number): boolean {
  return !precondition || 'any' in precondition || precondition.versions.includes(version);
}

/**
 * Parses `If-Match` (`"3"`, `W/"3"`, lists, `*`). A present but empty or unparseable
 * header can never match: a client that meant to guard its write is refused, not ignored.
 */
export function parsePrecondition(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const versions = header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
  return { versions };
}

/** True when a JSON value holds text that cannot be stored or echoed: JSON escapes can produce lone surrogates. */
export function hasIllFormedText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return true;
    } else if (Array.isArray(current)) {
      stack.push(...current);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        if (!key.isWellFormed()) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** Deepest nesting a request body may have: deeper values could exhaust the validators' stack. */
export const maxBodyDepth = 64;

/** True when a JSON value nests objects and arrays deeper than `limit` (checked without recursion). */
export function exceedsDepth(value: unknown, limit = maxBodyDepth): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
