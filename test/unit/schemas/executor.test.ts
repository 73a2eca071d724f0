/**
 * Each schema rule of the executor contract and the Flowker code it yields, checked
 * through the compiled standalone validators and the Flowker dialect.
 */
import { renderFlowkerError } from '../../../functions/contracts/flowker.js';
import { validatePart } from '../../../functions/pipeline/pipeline.js';
import type { JsonSchema } from '../../../functions/pipeline/route.js';
import { RequestValidationError } from '../../../functions/errors.js';
import { createExecutorInput, updateExecutorInput } from '../../../schemas/executor.js';

const valid = () => ({
  name: 'Serasa KYC',
  baseUrl: 'https://api.serasa.com.br/v2',
  endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 30 }],
  authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
});

function flowkerErrorFor(body: unknown, schema: JsonSchema = updateExecutorInput) {
  const violations = validatePart(schema, 'body', body);
  if (violations.length === 0) return undefined;
  return renderFlowkerError(new RequestValidationError(violations), 'req-1');
}

test('the seed example body is valid and gets the default timeout', () => {
  // Prepare
  const body = { ...valid(), endpoints: [{ name: 'a', path: '/a', method: 'GET' }] };
  // Act
  const error = flowkerErrorFor(body);
  // Assess
  expect(error).toBeUndefined();
  expect(body.endpoints[0]).toMatchObject({ timeout: 30 });
});

const long = (n: number) => 'x'.repeat(n);

test.each([
  ['name missing', (b: any) => delete b.name, 'FLK-0260', '/name'],
  ['name empty', (b: any) => (b.name = ''), 'FLK-0260', '/name'],
  ['name blank', (b: any) => (b.name = '   '), 'FLK-0260', '/name'],
  ['name too long', (b: any) => (b.name = long(101)), 'FLK-0261', '/name'],
  ['baseUrl missing', (b: any) => delete b.baseUrl, 'FLK-0262', '/baseUrl'],
  ['baseUrl not a URL', (b: any) => (b.baseUrl = 'not a url'), 'FLK-0263', '/baseUrl'],
  ['baseUrl ftp', (b: any) => (b.baseUrl = 'ftp://example.com'), 'FLK-0263', '/baseUrl'],
  ['baseUrl without host', (b: any) => (b.baseUrl = 'http://'), 'FLK-0263', '/baseUrl'],
  ['baseUrl too long', (b: any) => (b.baseUrl = `https://example.com/${long(490)}`), 'FLK-0264', '/baseUrl'],
  ['endpoints missing', (b: any) => delete b.endpoints, 'FLK-0265', '/endpoints'],
  ['endpoints empty', (b: any) => (b.endpoints = []), 'FLK-0265', '/endpoints'],
  ['authentication missing', (b: any) => delete b.authentication, 'FLK-0266', '/authentication'],
  ['description too long', (b: any) => (b.description = long(501)), 'FLK-0267', '/description'],
  ['authentication type missing', (b: any) => delete b.authentication.type, 'FLK-0268', '/authentication/type'],
  ['authentication type invalid', (b: any) => (b.authentication.type = 'oauth'), 'FLK-0269', '/authentication/type'],
  ['endpoint name missing', (b: any) => delete b.endpoints[0].name, 'FLK-0270', '/endpoints/0/name'],
  ['endpoint path missing', (b: any) => delete b.endpoints[0].path, 'FLK-0271', '/endpoints/0/path'],
  ['endpoint path without slash', (b: any) => (b.endpoints[0].path = 'identity'), 'FLK-0271', '/endpoints/0/path'],
  ['endpoint method missing', (b: any) => delete b.endpoints[0].method, 'FLK-0272', '/endpoints/0/method'],
  ['endpoint method lower case', (b: any) => (b.endpoints[0].method = 'post'), 'FLK-0273', '/endpoints/0/method'],
  ['endpoint method unknown', (b: any) => (b.endpoints[0].method = 'TRACE'), 'FLK-0273', '/endpoints/0/method'],
  ['timeout above 300', (b: any) => (b.endpoints[0].timeout = 500), 'FLK-0302', '/endpoints/0/timeout'],
  ['timeout zero', (b: any) => (b.endpoints[0].timeout = 0), 'FLK-0302', '/endpoints/0/timeout'],
  ['timeout not integer', (b: any) => (b.endpoints[0].timeout = 1.5), 'FLK-0302', '/endpoints/0/timeout'],
  ['endpoint name too long', (b: any) => (b.endpoints[0].name = long(51)), 'FLK-0302', '/endpoints/0/name'],
  ['endpoint path too long', (b: any) => (b.endpoints[0].path = `/${long(200)}`), 'FLK-0302', '/endpoints/0/path'],
  [
    'more than 50 endpoints',
    (b: any) => (b.endpoints = Array.from({ length: 51 }, (_, i) => ({ name: `e${i}`, path: '/p', method: 'GET' }))),
    'FLK-0302',
    '/endpoints',
  ],
  ['metadata not an object', (b: any) => (b.metadata = 'tags'), 'FLK-0302', '/metadata'],
  ['metadata empty key', (b: any) => (b.metadata = { '': 1 }), 'FLK-0302', '/metadata/'],
  ['name wrong type', (b: any) => (b.name = 42), 'FLK-0302', '/name'],
  ['unknown top-level field', (b: any) => (b.owner = 'team-a'), 'FLK-0300', '/owner'],
  ['read-only status of no status', (b: any) => (b.status = 'asleep'), 'FLK-0302', '/status'],
  ['unknown endpoint field', (b: any) => (b.endpoints[0].retries = 3), 'FLK-0300', '/endpoints/0/retries'],
  ['unknown authentication field', (b: any) => (b.authentication.secret = 'x'), 'FLK-0300', '/authentication/secret'],
])('%s → 400 %s at %s', (_label, mutate, code, pointer) => {
  // Prepare
  const body = valid();
  mutate(body);
  // Act
  const error = flowkerErrorFor(body);
  // Assess
  expect(error?.status).toBe(400);
  expect(error?.body.code).toBe(code);
  expect(error?.body.title).toBe('Bad Request');
  expect(Object.keys(error?.body.fields as object)).toContain(pointer);
});

test('every violation is reported at once, each under its JSON pointer', () => {
  // Prepare
  const body = {
    name: '',
    baseUrl: 'nope',
    endpoints: [{ name: '', path: 'x', method: 'get' }],
    authentication: { type: 'magic' },
  };
  // Act
  const error = flowkerErrorFor(body);
  // Assess
  expect(error?.body.fields).toEqual({
    '/name': expect.any(String),
    '/baseUrl': expect.any(String),
    '/endpoints/0/name': expect.any(String),
    '/endpoints/0/path': expect.any(String),
    '/endpoints/0/method': expect.any(String),
    '/authentication/type': expect.any(String),
  });
  expect(error?.body.code).toBe('FLK-0260');
});

test('unknown fields are named in the message', () => {
  // Act
  const error = flowkerErrorFor({ ...valid(), colour: 'x', owner: 'y' });
  // Assess
  expect(error?.body.message).toBe('Unexpected fields in the request: /colour, /owner');
});

test('create requires only the name', () => {
  // Act / Assess
  expect(flowkerErrorFor({ name: 'only-name' }, createExecutorInput)).toBeUndefined();
  expect(flowkerErrorFor({}, createExecutorInput)?.body.code).toBe('FLK-0260');
});

test('a non-UUID id is FLK-0002', () => {
  // Act
  const violations = validatePart({ $id: 'ExecutorIdParams' }, 'path', { id: 'not-a-uuid' });
  const error = renderFlowkerError(new RequestValidationError(violations), 'r');
  // Assess
  expect(error).toMatchObject({ status: 400, body: { code: 'FLK-0002' } });
});
