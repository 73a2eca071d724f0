/**
 * Turns Ajv's errors into `Violation`s: where (a location starting with the request
 * part), which keyword with which parameters, and (unless it may be secret) the
 * offending input. How a violation reads is each contract's business.
 */
import type { ErrorObject } from 'ajv';
import { nodeTypes } from '../../schemas/common.js';
import type { Location, Violation } from '../errors.js';
import { isSensitiveLocation } from '../domain/secrets.js';

/**
 * The values of each `discriminator` tag (Ajv's error names the tag, not its values): a
 * workflow node's `type` is the one discriminator in the request schemas.
 */
const tagValues: Readonly<Record<string, readonly string[]>> = { type: nodeTypes };

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
 * A `discriminator` error says what `required` or an `enum` of the tag's values would
 * have said: the tag is missing, or no branch is for its value.
 */
function withoutDiscriminator(error: ErrorObject): { rule: string; params: Record<string, unknown> } {
  const params = error.params as Record<string, unknown>;
  if (error.keyword !== 'discriminator') return { rule: error.keyword, params };
  if (params.tagValue === undefined) return { rule: 'required', params: { missingProperty: params.tag } };
  return { rule: 'enum', params: { allowedValues: tagValues[String(params.tag)] ?? [] } };
}

const sameLocation = (a: Location, b: Location) => a.length === b.length && a.every((segment, i) => segment === b[i]);

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
    const { rule, params } = withoutDiscriminator(error);
    const raw = error.params as Record<string, unknown>;
    const loc = decodePointer(error.instancePath);
    if (error.keyword === 'required') loc.push(String(raw.missingProperty));
    if (error.keyword === 'additionalProperties') loc.push(String(raw.additionalProperty));
    if (error.keyword === 'propertyNames') loc.push(String(raw.propertyName));
    if (error.keyword === 'discriminator') loc.push(String(raw.tag));
    const violation: Violation = { loc: [part, ...loc], rule, params };
    // A missing tag is also the `required` error Ajv insists the tag has: reported once.
    if (
      error.keyword === 'discriminator' &&
      violations.some((v) => v.rule === rule && sameLocation(v.loc, violation.loc))
    )
      continue;
    if (rule !== 'required' && !isSensitiveLocation(loc)) violation.input = valueAt(input, loc);
    violations.push(violation);
  }
  return violations;
}
