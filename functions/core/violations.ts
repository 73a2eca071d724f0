/**
 * Turns Ajv's errors into `Violation`s that every error dialect can render: a FastAPI
 * style location, a type, a readable message and (unless secret) the offending input.
 */
import type { ErrorObject } from 'ajv';
import { nodeTypes } from '../../schemas/common.js';
import { isSensitiveLocation } from '../domain/secrets.js';
import type { Location, Violation } from '../http/errors.js';

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

const typeNames: Record<string, string> = {
  string: 'string_type',
  integer: 'int_type',
  number: 'float_type',
  boolean: 'bool_type',
  object: 'dict_type',
  array: 'list_type',
  null: 'none_type',
};

function describe(error: ErrorObject): { type: string; msg: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { type: 'missing', msg: 'Field required' };
    case 'additionalProperties':
      return { type: 'extra_forbidden', msg: 'Extra inputs are not permitted' };
    case 'type': {
      const wanted = String(params.type).split(',');
      return {
        type: typeNames[wanted.find((t) => t !== 'null') ?? 'null'] ?? 'type_error',
        msg: `Input should be of type ${wanted.join(' or ')}`,
      };
    }
    case 'maxLength':
      return { type: 'string_too_long', msg: `String should have at most ${params.limit} characters` };
    case 'minLength':
      return { type: 'string_too_short', msg: `String should have at least ${params.limit} character${params.limit === 1 ? '' : 's'}` };
    case 'pattern':
      return { type: 'string_pattern_mismatch', msg: `String should match pattern '${params.pattern}'` };
    case 'enum':
      return {
        type: 'enum',
        msg: `Input should be ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator':
      // `tag`: the tag is missing or not a string; `mapping`: no branch is for its value.
      // Either is what `required` or an `enum` of the tag's values would have said.
      if (params.tagValue === undefined) return { type: 'missing', msg: 'Field required' };
      return {
        type: 'enum',
        msg: `Input should be ${(tagValues[String(params.tag)] ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { type: 'literal_error', msg: `Input should be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${params.limit}` };
    case 'maximum':
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${params.limit}` };
    case 'exclusiveMinimum':
      return { type: 'greater_than', msg: `Input should be greater than ${params.limit}` };
    case 'minItems':
      return { type: 'too_short', msg: `List should have at least ${params.limit} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { type: 'too_long', msg: `List should have at most ${params.limit} items` };
    case 'minProperties':
      return { type: 'too_short', msg: `Object should have at least ${params.limit} field${params.limit === 1 ? '' : 's'}` };
    case 'maxProperties':
      return { type: 'too_long', msg: `Object should have at most ${params.limit} fields` };
    case 'uniqueItems':
      return { type: 'unique_items', msg: 'List items should be unique' };
    case 'format':
      if (params.format === 'uuid') return { type: 'uuid_parsing', msg: 'Input should be a valid UUID' };
      if (params.format === 'http-url') return { type: 'url_parsing', msg: 'Input should be an http(s) URL with a host' };
      if (params.format === 'query-boolean') return { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' };
      if (params.format === 'query-positive-int') return { type: 'int_parsing', msg: 'Input should be a positive integer' };
      return { type: 'format', msg: `Input should match format '${params.format}'` };
    default:
      return { type: error.keyword, msg: error.message ?? 'Invalid value' };
  }
}

const sameLocation = (a: Location, b: Location) => a.length === b.length && a.every((segment, i) => segment === b[i]);

/**
 * Converts Ajv errors for one part of a request (`path`, `query` or `body`) into
 * violations. `propertyNames` errors come with their own nested error, so the wrapper
 * is dropped.
 */
export function toViolations(errors: readonly ErrorObject[], part: string, input: unknown): Violation[] {
  const violations: Violation[] = [];
  for (const error of errors) {
    // A bad map key yields a `propertyNames` error naming the key plus a nested error
    // without it; keep the one that says which key.
    if (error.schemaPath.includes('/propertyNames/')) continue;
    const params = error.params as Record<string, unknown>;
    const loc = decodePointer(error.instancePath);
    if (error.keyword === 'required') loc.push(String(params.missingProperty));
    if (error.keyword === 'additionalProperties') loc.push(String(params.additionalProperty));
    if (error.keyword === 'propertyNames') loc.push(String(params.propertyName));
    if (error.keyword === 'discriminator') loc.push(String(params.tag));
    const { type, msg } =
      error.keyword === 'propertyNames'
        ? { type: 'invalid_key', msg: 'Keys must be 1 to 128 characters long' }
        : describe(error);
    const violation: Violation = { loc: [part, ...loc], type, msg };
    // A missing tag is also the `required` error Ajv insists the tag has: reported once.
    if (error.keyword === 'discriminator' && violations.some((v) => v.type === type && sameLocation(v.loc, violation.loc))) continue;
    if (type !== 'missing' && !isSensitiveLocation(loc)) violation.input = valueAt(input, loc);
    violations.push(violation);
  }
  return violations;
}
