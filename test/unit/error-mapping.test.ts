/** Every error of the vocabulary renders in both contracts with the right status, and a 500 leaks nothing. */
import { renderFastApiError } from '../../functions/contracts/fastapi.js';
import { renderFlowkerError } from '../../functions/contracts/flowker.js';
import {
  ConcurrentChangeError,
  MalformedBodyError,
  NameTakenError,
  NotFoundError,
  PayloadTooLargeError,
  RuleViolationError,
  StaleVersionError,
  StorageLimitError,
  UnauthorizedError,
  WrongStatusError,
} from '../../functions/errors.js';

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
  const rendered = renderFlowkerError(error, 'req');
  expect(rendered.status).toBe(status);
  expect(rendered.body).toMatchObject({ code, title: expect.any(String), message: expect.any(String) });
});

test('401 has the exact body of the contract in the Flowker dialect', () => {
  expect(renderFlowkerError(new UnauthorizedError('x'), 'r')).toEqual({
    status: 401,
    body: { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
  });
});

test('an unexpected error is a 500 FLK-9999 naming only the request id', () => {
  const secret = new Error('ValidationException: token=sk-live-123 at /var/task/index.mjs');
  const rendered = renderFlowkerError(secret, 'req-42');
  expect(rendered).toEqual({
    status: 500,
    body: { code: 'FLK-9999', title: 'Internal Server Error', message: 'An unexpected error occurred. Reference: req-42' },
  });
  expect(JSON.stringify(renderFastApiError(secret, 'req-42'))).not.toContain('sk-live');
});

test('fastapi renders validation problems as a detail list and others as a detail string', () => {
  const refused = new RuleViolationError([
    { loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0], rule: 'next_node_exists', message: 'unknown node', input: 'x' },
  ]);
  expect(renderFastApiError(refused, 'r')).toEqual({
    status: 422,
    body: { detail: [{ type: 'value_error', loc: ['body', 'orchestration_nodes', 2, 'next_node_ids', 0], msg: 'Value error, unknown node', input: 'x' }] },
  });
  expect(renderFastApiError(new NotFoundError('workflow'), 'r')).toEqual({ status: 404, body: { detail: 'Workflow not found' } });
});
