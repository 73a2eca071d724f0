/**
 * Turns Ajv's errors into `Violation`s: where (a location starting with the request
 * part), which keyword with which parameters, and (unless it may be secret) the
 * offending input. How a violation reads is each contract's business.
 */
import type { ErrorObject } from 'ajv';
import type { Location, Violation } from '../errors.js';
import { isSensitiveLocation } from '../domain/secrets.js';

function decodePointer(pointer: string): Location {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/** Encodes a location (without its `body`/`path` prefix) as a JSON pointer. */
export function toPointer(loc: Location): string {
  return loc.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function valueAt(root: unknown, loc: Location): unknown {
  let current: unknown = root;
  for (const segment of loc) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Converts Ajv errors for one part of a request (`path`, `query`, `body`, `command`) into
 * violations. A bad map key yields a `propertyNames` error naming the key plus a nested
 * error without it: only the one that names the key is kept. `if` wrappers repeat what
 * their `then` already said.
 */
export function toViolations(errors: readonly ErrorObject[], part: string, input: unknown): Violation[] {
  const violations: Violation[] = [];
  for (const error of errors) {
    if (error.schemaPath.includes('/propertyNames/') || error.keyword === 'if') continue;
    const params = error.params as Record<string, unknown>;
    const loc = decodePointer(error.instancePath);
    if (error.keyword === 'required') loc.push(String(params.missingProperty));
    if (error.keyword === 'additionalProperties') loc.push(String(params.additionalProperty));
    if (error.keyword === 'propertyNames') loc.push(String(params.propertyName));
    const violation: Violation = { loc: [part, ...loc], rule: error.keyword, params };
    if (error.keyword !== 'required' && !isSensitiveLocation(loc)) violation.input = valueAt(input, loc);
    violations.push(violation);
  }
  return violations;
}
