/**
 * The Flowker contract module: the code of each violation (the domain rules' own codes,
 * Flowker's field codes by schema keyword, docs/contracts.md), and every error of the vocabulary
 * rendered with its status, code, title and message; a 500 leaks nothing.
 */
import { flowkerCodeFor, renderFlowkerError, ruleCodes } from '../../../functions/contracts/flowker.js';
import {
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

const at = (loc: Violation['loc'], rule: string, extra: Partial<Violation> = {}): Violation => ({
  loc,
  rule,
  ...extra,
});

describe('ruleCodes and flowkerCodeFor: the domain rules', () => {
  test('the table holds exactly the codes flowplane adds (FLK-0274..0277), and a forbidden key is an unexpected field', () => {
    // Assess
    expect(ruleCodes).toEqual({
      endpoint_name_unique: 'FLK-0274',
      auth_config_required: 'FLK-0275',
      secret_not_stored: 'FLK-0275',
      secret_same_destination: 'FLK-0275',
      auth_config_unknown: 'FLK-0276',
      auth_config_value: 'FLK-0276',
      target_forbidden: 'FLK-0277',
      forbidden_key: 'FLK-0300',
      idempotency_key_reused: 'FLK-0279',
    });
  });

  test.each([
    ['endpoint_name_unique', ['body', 'endpoints', 1, 'name'], 'FLK-0274'],
    ['auth_config_required', ['body', 'authentication', 'config', 'key'], 'FLK-0275'],
    ['secret_not_stored', ['body', 'authentication', 'config', 'token'], 'FLK-0275'],
    ['auth_config_unknown', ['body', 'authentication', 'config', 'realm'], 'FLK-0276'],
    ['auth_config_value', ['body', 'authentication', 'config', 'location'], 'FLK-0276'],
    ['target_forbidden', ['body', 'baseUrl'], 'FLK-0277'],
  ])('%s at %j → %s, wherever it sits', (rule, loc, code) => {
    // Act
    const codes = [
      flowkerCodeFor(at(loc, rule)),
      flowkerCodeFor(at(['body', 'name'], rule)),
      flowkerCodeFor(at(['path', 'id'], rule)),
    ];
    // Assess
    expect(codes).toEqual([code, code, code]);
  });

  test('a rule the contract has no code for gets none', () => {
    // Act / Assess
    expect(flowkerCodeFor(at(['body', 'endpoints'], 'some_other_rule'))).toBeUndefined();
  });
});

describe('flowkerCodeFor: Flowker field codes by schema keyword (docs/contracts.md)', () => {
  test.each([
    [['path', 'id'], 'format', 'FLK-0002'],
    [['path', 'id'], 'type', 'FLK-0002'],
    [['query', 'limit'], 'maximum', 'FLK-0309'],
    [['query', 'limit'], 'format', 'FLK-0309'],
    [['query', 'cursor'], 'format', 'FLK-0304'],
    [['query', 'status'], 'enum', 'FLK-0304'],
    [['body', 'status'], 'additionalProperties', 'FLK-0300'],
    [['body', 'endpoints', 0, 'retries'], 'additionalProperties', 'FLK-0300'],
    [['body', 'name'], 'required', 'FLK-0260'],
    [['body', 'name'], 'minLength', 'FLK-0260'],
    [['body', 'name'], 'pattern', 'FLK-0260'],
    [['body', 'name'], 'maxLength', 'FLK-0261'],
    [['body', 'baseUrl'], 'required', 'FLK-0262'],
    [['body', 'baseUrl'], 'format', 'FLK-0263'],
    [['body', 'baseUrl'], 'type', 'FLK-0263'],
    [['body', 'baseUrl'], 'maxLength', 'FLK-0264'],
    [['body', 'endpoints'], 'required', 'FLK-0265'],
    [['body', 'endpoints'], 'minItems', 'FLK-0265'],
    [['body', 'authentication'], 'required', 'FLK-0266'],
    [['body', 'description'], 'maxLength', 'FLK-0267'],
    [['body', 'authentication', 'type'], 'required', 'FLK-0268'],
    [['body', 'authentication', 'type'], 'enum', 'FLK-0269'],
    [['body', 'authentication', 'type'], 'type', 'FLK-0269'],
    [['body', 'endpoints', 0, 'name'], 'required', 'FLK-0270'],
    [['body', 'endpoints', 3, 'name'], 'minLength', 'FLK-0270'],
    [['body', 'endpoints', 0, 'name'], 'pattern', 'FLK-0270'],
    [['body', 'endpoints', 0, 'path'], 'required', 'FLK-0271'],
    [['body', 'endpoints', 0, 'path'], 'minLength', 'FLK-0271'],
    [['body', 'endpoints', 2, 'path'], 'pattern', 'FLK-0271'],
    [['body', 'endpoints', 0, 'method'], 'required', 'FLK-0272'],
    [['body', 'endpoints', 0, 'method'], 'enum', 'FLK-0273'],
    [['body', 'endpoints', 1, 'method'], 'type', 'FLK-0273'],
  ])('%j %s → %s', (loc, rule, code) => {
    // Act / Assess
    expect(flowkerCodeFor(at(loc, rule))).toBe(code);
  });

  test.each([
    [['body', 'name'], 'type'],
    [['body', 'baseUrl'], 'pattern'],
    [['body', 'endpoints'], 'maxItems'],
    [['body', 'endpoints'], 'type'],
    [['body', 'authentication'], 'type'],
    [['body', 'description'], 'type'],
    [['body', 'endpoints', 0, 'name'], 'maxLength'],
    [['body', 'endpoints', 0, 'path'], 'maxLength'],
    [['body', 'endpoints', 0, 'timeout'], 'maximum'],
    [['body', 'metadata'], 'type'],
    [['body'], 'type'],
    [['command', 'organizationId'], 'pattern'],
  ])('%j %s has no field code of its own (rendered FLK-0302)', (loc, rule) => {
    // Act / Assess
    expect(flowkerCodeFor(at(loc, rule))).toBeUndefined();
  });
});

describe('renderFlowkerError: every error of the vocabulary', () => {
  test.each([
    [new MalformedBodyError('not_json', 'Request body is not valid JSON', 3), 400, 'FLK-0001'],
    [new PayloadTooLargeError(262_144), 413, 'FLK-0001'],
    [new NotFoundError('executor'), 404, 'FLK-0250'],
    [new NameTakenError('Serasa KYC'), 409, 'FLK-0251'],
    [new StaleVersionError('executor'), 412, 'FLK-0350'],
    [new ConcurrentChangeError('executor'), 409, 'FLK-0350'],
    [new WrongStatusError('modify', 'active'), 422, 'FLK-0252'],
    [new StorageLimitError('executor'), 422, 'FLK-0278'],
  ])('flowker renders %p as %i %s', (error, status, code) => {
    // Act
    const rendered = renderFlowkerError(error, 'req');
    // Assess
    expect(rendered.status).toBe(status);
    expect(rendered.body).toMatchObject({ code, title: expect.any(String), message: expect.any(String) });
  });

  test('401 has the exact body of the contract in the Flowker dialect', () => {
    // Act / Assess
    expect(renderFlowkerError(new UnauthorizedError('x'), 'r')).toEqual({
      status: 401,
      body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
    });
  });

  test('a bad bearer token is the same 401, worded for a token; a good one without the permission is 403 naming it', () => {
    // Act / Assess
    expect(renderFlowkerError(new UnauthorizedError('x', 'bearerToken'), 'r')).toEqual({
      status: 401,
      body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'Bearer token invalid or expired' },
    });
    expect(renderFlowkerError(new ForbiddenError('executors:write'), 'r')).toEqual({
      status: 403,
      body: { code: 'FORBIDDEN', title: 'Forbidden', message: 'Missing permission executors:write' },
    });
  });

  test.each([
    [
      new MalformedBodyError('not_json', 'Request body is not valid JSON', 3),
      400,
      'FLK-0001',
      'Bad Request',
      'Request body is not valid JSON',
    ],
    [
      new MalformedBodyError('missing', 'Request body is required'),
      400,
      'FLK-0001',
      'Bad Request',
      'Request body is required',
    ],
    [new PayloadTooLargeError(262_144), 413, 'FLK-0001', 'Payload Too Large', 'Request body exceeds 262144 bytes'],
    [new NotFoundError('executor'), 404, 'FLK-0250', 'Not Found', 'Executor configuration not found'],
    [new NotFoundError('auditEntry'), 404, 'FLK-0250', 'Not Found', 'Audit entry not found'],
    [
      new NameTakenError('Serasa KYC'),
      409,
      'FLK-0251',
      'Conflict',
      'An executor configuration named "Serasa KYC" already exists',
    ],
    [
      new WrongStatusError('modify', 'active'),
      422,
      'FLK-0252',
      'Unprocessable Entity',
      'Cannot modify executor configuration in status active',
    ],
    [
      new WrongStatusError('activate', 'configured', 'tested'),
      422,
      'FLK-0252',
      'Unprocessable Entity',
      'Cannot activate executor configuration in status configured (needs tested)',
    ],
    [
      new WrongStatusError('test', 'unconfigured'),
      422,
      'FLK-0252',
      'Unprocessable Entity',
      'Cannot test an unconfigured executor configuration: set baseUrl, endpoints and authentication first',
    ],
    [
      new StaleVersionError('executor'),
      412,
      'FLK-0350',
      'Precondition Failed',
      'The executor configuration changed since the version named in If-Match',
    ],
    [
      new ConcurrentChangeError('executor'),
      409,
      'FLK-0350',
      'Conflict',
      'The executor configuration changed concurrently; retry with the latest version',
    ],
    [
      new StorageLimitError('executor'),
      422,
      'FLK-0278',
      'Unprocessable Entity',
      'The executor configuration is too large to store (400 KB item limit)',
    ],
  ])('%p is %i %s "%s" with its message, and no fields', (error, status, code, title, message) => {
    // Act
    const rendered = renderFlowkerError(error, 'req');
    // Assess
    expect(rendered).toEqual({ status, body: { code, title, message } });
  });

  test('an unexpected error is a 500 FLK-9999 naming only the request id', () => {
    // Prepare
    const secret = new Error('ValidationException: token=sk-live-123 at /var/task/index.mjs');
    // Act
    const rendered = renderFlowkerError(secret, 'req-42');
    // Assess
    expect(rendered).toEqual({
      status: 500,
      body: {
        code: 'FLK-9999',
        title: 'Internal Server Error',
        message: 'An unexpected error occurred. Reference: req-42',
      },
    });
  });

  test('anything thrown that is no Error at all is a 500 too', () => {
    // Act
    const rendered = [
      renderFlowkerError('boom', 'r'),
      renderFlowkerError(undefined, 'r'),
      renderFlowkerError({ status: 400 }, 'r'),
    ];
    // Assess
    expect(rendered.map((r) => [r.status, r.body.code])).toEqual([
      [500, 'FLK-9999'],
      [500, 'FLK-9999'],
      [500, 'FLK-9999'],
    ]);
  });
});

describe('renderFlowkerError: request validation (400)', () => {
  test('a body that is no JSON object is FLK-0001, whatever else is wrong', () => {
    // Prepare
    const error = new RequestValidationError([
      at(['body'], 'type', { params: { type: 'object' } }),
      at(['path', 'id'], 'format', { params: { format: 'uuid' } }),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 400,
      body: { code: 'FLK-0001', title: 'Bad Request', message: 'Request body must be a JSON object' },
    });
  });

  test('unexpected fields come first (FLK-0300), every one named, and every violation is in fields', () => {
    // Prepare
    const error = new RequestValidationError([
      at(['body', 'name'], 'required'),
      at(['body', 'status'], 'additionalProperties'),
      at(['body', 'endpoints', 0, 'retries'], 'additionalProperties'),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 400,
      body: {
        code: 'FLK-0300',
        title: 'Bad Request',
        message: 'Unexpected fields in the request: /status, /endpoints/0/retries',
        fields: {
          '/name': 'Field required',
          '/status': 'Extra inputs are not permitted',
          '/endpoints/0/retries': 'Extra inputs are not permitted',
        },
      },
    });
  });

  test('otherwise the lowest field code wins; the message names the first violation and how many more', () => {
    // Prepare
    const error = new RequestValidationError([
      at(['body', 'endpoints', 0, 'method'], 'enum', { params: { allowedValues: ['GET', 'POST'] } }),
      at(['body', 'name'], 'maxLength', { params: { limit: 100 } }),
      at(['body', 'baseUrl'], 'required'),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 400,
      body: {
        code: 'FLK-0261',
        title: 'Bad Request',
        message: '/endpoints/0/method: Input should be "GET", "POST" (and 2 more; see fields)',
        fields: {
          '/endpoints/0/method': 'Input should be "GET", "POST"',
          '/name': 'String should have at most 100 characters',
          '/baseUrl': 'Field required',
        },
      },
    });
  });

  test('a violation with no field code is FLK-0302; two at one place share its entry in fields and count once', () => {
    // Prepare
    const error = new RequestValidationError([
      at(['body', 'endpoints', 0, 'timeout'], 'maximum', { params: { limit: 300 } }),
      at(['body', 'endpoints', 0, 'timeout'], 'type', { params: { type: 'integer' } }),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered.body).toEqual({
      code: 'FLK-0302',
      title: 'Bad Request',
      message: '/endpoints/0/timeout: Input should be less than or equal to 300; Input should be of type integer',
      fields: { '/endpoints/0/timeout': 'Input should be less than or equal to 300; Input should be of type integer' },
    });
  });

  test('the count in the message is how many other entries fields holds (issue 25 §10)', () => {
    // Prepare: five problems at four places, as a PATCH with a bad name and URL reads.
    const error = new RequestValidationError([
      at(['body', 'name'], 'minLength', { params: { limit: 1 } }),
      at(['body', 'name'], 'pattern', { params: { pattern: '\\S' } }),
      at(['body', 'baseUrl'], 'format', { params: { format: 'http-url' } }),
      at(['body', 'endpoints', 0, 'path'], 'pattern', { params: { pattern: '^/' } }),
      at(['body', 'authentication'], 'required'),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    const fields = (rendered.body as { fields: Record<string, string> }).fields;
    expect(Object.keys(fields)).toHaveLength(4);
    expect(rendered.body.message).toBe(
      "/name: String should have at least 1 character; String should match pattern '\\S' (and 3 more; see fields)",
    );
  });

  test('a capped list counts its note of what it left out as one more entry of fields', () => {
    // Prepare
    const error = new RequestValidationError(
      Array.from({ length: 105 }, (_, i) => at(['body', 'endpoints', i, 'path'], 'required')),
    );
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    const fields = (rendered.body as { fields: Record<string, string> }).fields;
    expect(Object.keys(fields)).toHaveLength(101);
    expect(fields['/']).toBe('and 5 more problems not listed');
    expect(rendered.body.message).toBe('/endpoints/0/path: Field required (and 100 more; see fields)');
  });

  test('a path or query violation is named by its part; a lone one has no "more"', () => {
    // Act
    const path = renderFlowkerError(
      new RequestValidationError([at(['path', 'id'], 'format', { params: { format: 'uuid' } })]),
      'r',
    );
    const query = renderFlowkerError(
      new RequestValidationError([at(['query', 'limit'], 'maximum', { params: { limit: 100 } })]),
      'r',
    );
    // Assess
    expect(path.body).toEqual({
      code: 'FLK-0002',
      title: 'Bad Request',
      message: '/id: Input should be a valid UUID',
      fields: { '/id': 'Input should be a valid UUID' },
    });
    expect(query.body).toMatchObject({
      code: 'FLK-0309',
      message: '/limit: Input should be less than or equal to 100',
    });
  });

  test('a violation of the whole part sits at "/" in fields; a keyword with no wording reads as its name', () => {
    // Prepare
    const error = new RequestValidationError([
      at(['body'], 'minProperties', { params: { limit: 1 } }),
      at(['body', 'metadata'], 'dependentRequired'),
    ]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered.body).toMatchObject({
      code: 'FLK-0302',
      message: 'body: Object should have at least 1 field (and 1 more; see fields)',
      fields: { '/': 'Object should have at least 1 field', '/metadata': 'dependentRequired' },
    });
  });
});

describe('renderFlowkerError: rule violations (422)', () => {
  test.each([
    ['endpoint_name_unique', ['body', 'endpoints', 1, 'name'], 'FLK-0274'],
    ['auth_config_required', ['body', 'authentication', 'config', 'key'], 'FLK-0275'],
    ['secret_not_stored', ['body', 'authentication', 'config', 'token'], 'FLK-0275'],
    ['auth_config_unknown', ['body', 'authentication', 'config', 'realm'], 'FLK-0276'],
    ['auth_config_value', ['body', 'authentication', 'config', 'location'], 'FLK-0276'],
    ['target_forbidden', ['body', 'baseUrl'], 'FLK-0277'],
  ])("%s → 422 %s, with the rule's words at its pointer", (rule, loc, code) => {
    // Prepare
    const error = new RuleViolationError([at(loc, rule, { message: 'in plain words' })]);
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 422,
      body: {
        code,
        title: 'Unprocessable Entity',
        message: 'in plain words',
        fields: { [`/${loc.slice(1).join('/')}`]: 'in plain words' },
      },
    });
  });

  test('the first violation names the code; the summary, when given, is the message', () => {
    // Prepare
    const error = new RuleViolationError(
      [
        at(['body', 'authentication', 'config', 'realm'], 'auth_config_unknown', { message: 'no realm' }),
        at(['body', 'endpoints', 1, 'name'], 'endpoint_name_unique', { message: 'twice' }),
      ],
      'The configuration breaks two rules',
    );
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered.body).toEqual({
      code: 'FLK-0276',
      title: 'Unprocessable Entity',
      message: 'The configuration breaks two rules',
      fields: { '/authentication/config/realm': 'no realm', '/endpoints/1/name': 'twice' },
    });
  });

  test('a rule with no code of its own is FLK-0302', () => {
    // Act
    const rendered = renderFlowkerError(
      new RuleViolationError([at(['body', 'name'], 'name_not_clearable', { message: 'name cannot be cleared' })]),
      'r',
    );
    // Assess
    expect(rendered).toMatchObject({ status: 422, body: { code: 'FLK-0302', message: 'name cannot be cleared' } });
  });
});

describe('renderFlowkerError: an unreadable header', () => {
  test('an If-Match that is no entity tag is 400 FLK-0302 at /if-match, saying what it must be (issue 25 §4)', () => {
    // Prepare
    const error = new MalformedHeaderError('if-match', 'must be quoted');
    // Act
    const rendered = renderFlowkerError(error, 'r');
    // Assess
    expect(rendered).toEqual({
      status: 400,
      body: {
        code: 'FLK-0302',
        title: 'Bad Request',
        message: '/if-match: must be quoted',
        fields: { '/if-match': 'must be quoted' },
      },
    });
  });
});

test('a name that breaks display-name is FLK-0260, like a name that is missing', () => {
  // Act / Assess
  expect(flowkerCodeFor(at(['body', 'name'], 'format', { params: { format: 'display-name' } }))).toBe('FLK-0260');
});
