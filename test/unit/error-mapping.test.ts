/** Every error class renders in both dialects with the right status, and a 500 leaks nothing. */
import { renderError } from '../../functions/http/dialects.js';
import {
  ConflictError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  UnauthorizedError,
  UnprocessableError,
} from '../../functions/http/errors.js';

test.each([
  [new MalformedBodyError('not json'), 400, 'FLK-0001'],
  [new PayloadTooLargeError('big'), 413, 'FLK-0001'],
  [new NotFoundError('gone', { code: 'FLK-0250' }), 404, 'FLK-0250'],
  [new ConflictError('dup', { code: 'FLK-0251' }), 409, 'FLK-0251'],
  [new PreconditionFailedError('stale'), 412, 'FLK-0350'],
  [new UnprocessableError('state', { code: 'FLK-0252' }), 422, 'FLK-0252'],
])('flowker renders %p as %i %s', (error, status, code) => {
  const rendered = renderError('flowker', error, 'req');
  expect(rendered.status).toBe(status);
  expect(rendered.body).toMatchObject({ code, title: expect.any(String), message: expect.any(String) });
});

test('401 has the exact body of the contract in the Flowker dialect', () => {
  expect(renderError('flowker', new UnauthorizedError('x'), 'r')).toEqual({
    status: 401,
    body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
  });
});

test('an unexpected error is a 500 FLK-9999 naming only the request id', () => {
  const secret = new Error('ValidationException: token=sk-live-123 at /var/task/index.mjs');
  const rendered = renderError('flowker', secret, 'req-42');
  expect(rendered).toEqual({
    status: 500,
    body: { code: 'FLK-9999', title: 'Internal Server Error', message: 'An unexpected error occurred. Reference: req-42' },
  });
  expect(JSON.stringify(renderError('fastapi', secret, 'req-42'))).not.toContain('sk-live');
});

test('fastapi renders validation problems as a detail list and others as a detail string', () => {
  const unprocessable = new UnprocessableError('bad', {
    violations: [{ loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0], type: 'dag_reference', msg: 'unknown node', input: 'x' }],
  });
  expect(renderError('fastapi', unprocessable, 'r')).toEqual({
    status: 422,
    body: { detail: [{ type: 'dag_reference', loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0], msg: 'unknown node', input: 'x' }] },
  });
  expect(renderError('fastapi', new NotFoundError('Workflow not found'), 'r')).toEqual({
    status: 404,
    body: { detail: 'Workflow not found' },
  });
});
