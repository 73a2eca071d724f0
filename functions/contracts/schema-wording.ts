/**
 * How a schema violation reads: pydantic's error types and messages, which the FastAPI
 * contract speaks natively and the Flowker contract reuses for its `fields` (Flowker's
 * own pages give no wording for them). Only the contract modules import this.
 */
import type { Violation } from '../errors.js';

export interface Wording {
  /** pydantic's error type, e.g. `missing`, `string_too_long`. */
  type: string;
  msg: string;
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

const plural = (count: unknown, noun: string) => `${String(count)} ${noun}${count === 1 ? '' : 's'}`;

/** The wording of a violation of a JSON Schema keyword; undefined for a rule that is not a keyword. */
export function schemaWording(violation: Violation): Wording | undefined {
  const params = violation.params ?? {};
  switch (violation.rule) {
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
      return { type: 'string_too_long', msg: `String should have at most ${String(params.limit)} characters` };
    case 'minLength':
      return { type: 'string_too_short', msg: `String should have at least ${plural(params.limit, 'character')}` };
    case 'pattern':
      return { type: 'string_pattern_mismatch', msg: `String should match pattern '${String(params.pattern)}'` };
    case 'enum':
      return {
        type: 'enum',
        msg: `Input should be ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { type: 'literal_error', msg: `Input should be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${String(params.limit)}` };
    case 'maximum':
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${String(params.limit)}` };
    case 'exclusiveMinimum':
      return { type: 'greater_than', msg: `Input should be greater than ${String(params.limit)}` };
    case 'minItems':
      return { type: 'too_short', msg: `List should have at least ${plural(params.limit, 'item')}` };
    case 'maxItems':
      return { type: 'too_long', msg: `List should have at most ${String(params.limit)} items` };
    case 'minProperties':
      return { type: 'too_short', msg: `Object should have at least ${plural(params.limit, 'field')}` };
    case 'maxProperties':
      return { type: 'too_long', msg: `Object should have at most ${String(params.limit)} fields` };
    case 'uniqueItems':
      return { type: 'unique_items', msg: 'List items should be unique' };
    case 'propertyNames':
      return { type: 'invalid_key', msg: 'Keys must be 1 to 128 characters long' };
    case 'finite_number':
      return { type: 'finite_number', msg: 'Input should be a finite number' };
    case 'format':
      switch (params.format) {
        case 'uuid':
          return { type: 'uuid_parsing', msg: 'Input should be a valid UUID' };
        case 'http-url':
          return { type: 'url_parsing', msg: 'Input should be an http(s) URL with a host' };
        case 'query-boolean':
          return { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' };
        case 'query-positive-int':
          return { type: 'int_parsing', msg: 'Input should be a positive integer' };
        case 'display-name':
          return {
            type: 'string_pattern_mismatch',
            msg: 'String should hold a visible character and no control character',
          };
        default:
          return { type: 'format', msg: `Input should match format '${String(params.format)}'` };
      }
    default:
      return undefined;
  }
}
