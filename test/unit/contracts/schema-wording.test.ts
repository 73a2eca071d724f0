/** How each JSON Schema keyword's violation reads: pydantic's error type and message. */
import { schemaWording } from '../../../functions/contracts/schema-wording.js';

const wordingOf = (rule: string, params?: Record<string, unknown>) =>
  schemaWording({ loc: ['body', 'x'], rule, ...(params ? { params } : {}) });

test.each([
  ['required', undefined, 'missing', 'Field required'],
  ['additionalProperties', { additionalProperty: 'colour' }, 'extra_forbidden', 'Extra inputs are not permitted'],
  ['type', { type: 'string' }, 'string_type', 'Input should be of type string'],
  ['type', { type: 'integer' }, 'int_type', 'Input should be of type integer'],
  ['type', { type: 'number' }, 'float_type', 'Input should be of type number'],
  ['type', { type: 'boolean' }, 'bool_type', 'Input should be of type boolean'],
  ['type', { type: 'object' }, 'dict_type', 'Input should be of type object'],
  ['type', { type: 'array' }, 'list_type', 'Input should be of type array'],
  ['type', { type: 'null' }, 'none_type', 'Input should be of type null'],
  ['type', { type: 'string,null' }, 'string_type', 'Input should be of type string or null'],
  ['type', { type: 'null,integer' }, 'int_type', 'Input should be of type null or integer'],
  ['type', { type: 'date' }, 'type_error', 'Input should be of type date'],
  ['maxLength', { limit: 100 }, 'string_too_long', 'String should have at most 100 characters'],
  ['minLength', { limit: 1 }, 'string_too_short', 'String should have at least 1 character'],
  ['minLength', { limit: 3 }, 'string_too_short', 'String should have at least 3 characters'],
  ['pattern', { pattern: '^/' }, 'string_pattern_mismatch', "String should match pattern '^/'"],
  ['enum', { allowedValues: ['GET', 'POST', 1, null] }, 'enum', 'Input should be "GET", "POST", 1, null'],
  ['const', { allowedValue: 'orchestration' }, 'literal_error', 'Input should be "orchestration"'],
  ['minimum', { limit: 1 }, 'greater_than_equal', 'Input should be greater than or equal to 1'],
  ['maximum', { limit: 300 }, 'less_than_equal', 'Input should be less than or equal to 300'],
  ['exclusiveMinimum', { limit: 0 }, 'greater_than', 'Input should be greater than 0'],
  ['minItems', { limit: 1 }, 'too_short', 'List should have at least 1 item'],
  ['minItems', { limit: 2 }, 'too_short', 'List should have at least 2 items'],
  ['maxItems', { limit: 50 }, 'too_long', 'List should have at most 50 items'],
  ['minProperties', { limit: 1 }, 'too_short', 'Object should have at least 1 field'],
  ['minProperties', { limit: 2 }, 'too_short', 'Object should have at least 2 fields'],
  ['maxProperties', { limit: 64 }, 'too_long', 'Object should have at most 64 fields'],
  ['uniqueItems', { i: 1, j: 0 }, 'unique_items', 'List items should be unique'],
  ['propertyNames', { propertyName: '' }, 'invalid_key', 'Keys must be 1 to 128 characters long'],
  ['format', { format: 'uuid' }, 'uuid_parsing', 'Input should be a valid UUID'],
  ['format', { format: 'http-url' }, 'url_parsing', 'Input should be an http(s) URL with a host'],
  ['format', { format: 'query-boolean' }, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
  ['format', { format: 'query-positive-int' }, 'int_parsing', 'Input should be a positive integer'],
  ['format', { format: 'email' }, 'format', "Input should match format 'email'"],
])('%s %j → %s "%s"', (rule, params, type, msg) => {
  // Act
  const wording = wordingOf(rule, params);
  // Assess
  expect(wording).toEqual({ type, msg });
});

test.each(['graph_acyclic', 'auth_config_required', 'not_json', 'dependentRequired', 'if'])(
  '%s is no keyword with a wording: undefined',
  (rule) => {
    // Act / Assess
    expect(wordingOf(rule)).toBeUndefined();
  },
);
