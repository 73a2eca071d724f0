/**
 * The FastAPI contract module: each violation as a pydantic `detail` item (schema
 * keywords in pydantic's words; domain rules as `missing` when named `*_required`, else
 * `value_error`), and every error of the vocabulary rendered with its status and body;
 * a 500 leaks nothing.
 */
import { detailOf, renderFastApiError } from '../../../functions/contracts/fastapi.js';
import {
  type BodyProblem,
  ConcurrentChangeError,
  ForbiddenError,
  MalformedBodyError,
  MalformedHeaderError,
  NameTakenError,
  NotFoundError,
  PayloadTooLargeError,
  RequestValidationError,
  RuleViolationError,
  StaleVersionError,
  StorageLimitError,
  UnauthorizedError,
  type Violation,
  WrongStatusError,
} from '../../../functions/errors.js';

describe('detailOf', () => {
  test.each([
    [
      { loc: ['body', 'name'], rule: 'required' },
      { type: 'missing', loc: ['body', 'name'], msg: 'Field required' },
    ],
    [
      { loc: ['body', 'colour'], rule: 'additionalProperties', input: 'red' },
      { type: 'extra_forbidden', loc: ['body', 'colour'], msg: 'Extra inputs are not permitted', input: 'red' },
    ],
    [
      {
        loc: ['body', 'task_level_strategies', 'retry_strategy', 'max_retries'],
        rule: 'maximum',
        params: { limit: 100 },
        input: 101,
      },
      {
        type: 'less_than_equal',
        loc: ['body', 'task_level_strategies', 'retry_strategy', 'max_retries'],
        msg: 'Input should be less than or equal to 100',
        input: 101,
      },
    ],
    [
      { loc: ['query', 'deploy'], rule: 'format', params: { format: 'query-boolean' }, input: 'maybe' },
      {
        type: 'bool_parsing',
        loc: ['query', 'deploy'],
        msg: 'Input should be a valid boolean, unable to interpret input',
        input: 'maybe',
      },
    ],
  ] as [Violation, unknown][])("a schema keyword in pydantic's words: %j", (violation, detail) => {
    // Act / Assess
    expect(detailOf(violation)).toEqual(detail);
  });

  test.each([
    ['condition_term_required', 'a regex condition needs a term'],
    ['condition_path_required', 'a gt condition needs a path into the input'],
    ['definition_required', 'a custom_function needs asset_id or code'],
  ])('a domain rule named *_required (%s) is `missing`, "Field required: ..."', (rule, message) => {
    // Prepare
    const violation: Violation = { loc: ['body', 'orchestration_nodes', 0, 'condition', 'term'], rule, message };
    // Act
    const detail = detailOf(violation);
    // Assess
    expect(detail).toEqual({ type: 'missing', loc: violation.loc, msg: `Field required: ${message}` });
  });

  test.each([
    ['graph_acyclic', 'the graph has a cycle: a -> a', 'a'],
    ['next_node_exists', "next_node_ids names no node of this list: 'ghost'", 'ghost'],
    ['node_id_unique', "duplicate node id 'a' (also at index 0)", 'a'],
    ['organization_fixed', 'a workflow cannot be moved to another organization', 'other'],
    ['name_not_clearable', 'name cannot be cleared', null],
    ['secret_not_stored', 'no secret is stored to keep', undefined],
  ])('any other domain rule (%s) is `value_error`, "Value error, ..." with its input', (rule, message, input) => {
    // Prepare
    const violation: Violation = { loc: ['body', 'x'], rule, message, ...(input === undefined ? {} : { input }) };
    // Act
    const detail = detailOf(violation);
    // Assess
    expect(detail).toEqual({
      type: 'value_error',
      loc: ['body', 'x'],
      msg: `Value error, ${message}`,
      ...(input === undefined ? {} : { input }),
    });
  });

  test('a domain rule without words is worded by its name; an input that is undefined is left out', () => {
    // Act
    const detail = detailOf({ loc: ['query', 'next'], rule: 'cursor_issued', input: undefined });
    // Assess
    expect(detail).toEqual({ type: 'value_error', loc: ['query', 'next'], msg: 'Value error, cursor_issued' });
    expect(detail).not.toHaveProperty('input');
  });
});

describe('renderFastApiError', () => {
  test('fastapi renders validation problems as a detail list and others as a detail string', () => {
    // Prepare
    const refused = new RuleViolationError([
      {
        loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0],
        rule: 'next_node_exists',
        message: 'unknown node',
        input: 'x',
      },
    ]);
    // Act / Assess
    expect(renderFastApiError(refused, 'r')).toEqual({
      status: 422,
      body: {
        detail: [
          {
            type: 'value_error',
            loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0],
            msg: 'Value error, unknown node',
            input: 'x',
          },
        ],
      },
    });
    expect(renderFastApiError(new NotFoundError('workflow'), 'r')).toEqual({
      status: 404,
      body: { detail: 'Workflow not found' },
    });
  });

  test('a request validation error is 422 with every violation in order', () => {
    // Prepare
    const error = new RequestValidationError([
      { loc: ['path', 'workflow_id'], rule: 'format', params: { format: 'uuid' }, input: 'nope' },
      { loc: ['body', 'name'], rule: 'required' },
      {
        loc: ['body', 'orchestration_nodes', 0, 'condition', 'term'],
        rule: 'condition_term_required',
        message: 'a regex condition needs a term',
      },
    ]);
    // Act
    const rendered = renderFastApiError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 422,
      body: {
        detail: [
          { type: 'uuid_parsing', loc: ['path', 'workflow_id'], msg: 'Input should be a valid UUID', input: 'nope' },
          { type: 'missing', loc: ['body', 'name'], msg: 'Field required' },
          {
            type: 'missing',
            loc: ['body', 'orchestration_nodes', 0, 'condition', 'term'],
            msg: 'Field required: a regex condition needs a term',
          },
        ],
      },
    });
  });

  test.each([
    ['missing', 'Request body is required', undefined, { type: 'missing', loc: ['body'], msg: 'Field required' }],
    [
      'not_json',
      'Request body is not valid JSON',
      9,
      { type: 'json_invalid', loc: ['body', 9], msg: 'JSON decode error', input: {} },
    ],
    [
      'not_json',
      'Request body is not valid JSON',
      undefined,
      { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} },
    ],
    [
      'ill_formed_text',
      'Request body holds a lone surrogate',
      undefined,
      { type: 'string_unicode', loc: ['body'], msg: 'Input should be a valid string' },
    ],
    [
      'too_deep',
      'Request body is nested deeper than 64 levels',
      undefined,
      { type: 'value_error', loc: ['body'], msg: 'Value error, the body is nested deeper than 64 levels' },
    ],
  ] as [BodyProblem, string, number | undefined, unknown][])(
    "a malformed body (%s) is 422 with pydantic's own type",
    (problem, message, position, detail) => {
      // Prepare
      const error = new MalformedBodyError(problem, message, position);
      // Act
      const rendered = renderFastApiError(error, 'r');
      // Assess
      expect(rendered).toEqual({ status: 422, body: { detail: [detail] } });
    },
  );

  test.each([
    [new UnauthorizedError('x'), 401, 'API Key missing or invalid'],
    [new UnauthorizedError('x', 'bearerToken'), 401, 'Bearer token invalid or expired'],
    [new ForbiddenError('workflows:deploy'), 403, 'Missing permission workflows:deploy'],
    [new PayloadTooLargeError(1_048_576), 413, 'Request body exceeds 1048576 bytes'],
    [new NotFoundError('workflow'), 404, 'Workflow not found'],
    [new NotFoundError('workflowVersion', 9), 404, 'Workflow version 9 not found'],
    [new StaleVersionError('workflow'), 412, 'The workflow changed since the version named in If-Match'],
    [new ConcurrentChangeError('workflow'), 409, 'The workflow kept changing while deploying; retry'],
    [new NameTakenError('Onboarding'), 409, 'The name "Onboarding" is taken'],
    [new WrongStatusError('modify', 'active'), 422, 'cannot modify in status active'],
  ])('%p is %i {"detail": "%s"}', (error, status, detail) => {
    // Act
    const rendered = renderFastApiError(error, 'r');
    // Assess
    expect(rendered).toEqual({ status, body: { detail } });
  });

  test('a workflow too large to store is a 422 value_error at the body', () => {
    // Act
    const rendered = renderFastApiError(new StorageLimitError('workflow'), 'r');
    // Assess
    expect(rendered).toEqual({
      status: 422,
      body: {
        detail: [
          {
            type: 'value_error',
            loc: ['body'],
            msg: 'Value error, the workflow is too large to store (400 KB per version)',
          },
        ],
      },
    });
  });

  test('an unexpected error is a 500 naming only the request id, and leaks nothing', () => {
    // Prepare
    const secret = new Error('ValidationException: token=sk-live-123 at /var/task/index.mjs');
    // Act
    const rendered = renderFastApiError(secret, 'req-42');
    // Assess
    expect(JSON.stringify(rendered)).not.toContain('sk-live');
    expect(rendered).toEqual({ status: 500, body: { detail: 'Internal server error. Reference: req-42' } });
  });
});

test('an If-Match that is no entity tag is a 400 that says which header and what it must be (issue 25 §4)', () => {
  // Act
  const rendered = renderFastApiError(new MalformedHeaderError('if-match', 'must be quoted'), 'r');
  // Assess
  expect(rendered).toEqual({ status: 400, body: { detail: 'Header if-match must be quoted' } });
});
