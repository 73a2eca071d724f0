/**
 * The pipeline hands every use case its query typed (functions/pipeline/pipeline.ts): after
 * the route's generated validator passed it, a `query-boolean` text is a boolean (every
 * spelling FastAPI reads), a `query-positive-int` or a page size is a number, a UUID is in
 * lower case, and anything else stays the text sent. Through `toCommand`, which HTTP and
 * the command transports both call, with the routes' own schemas.
 */
import { randomUUID } from 'node:crypto';
import { toCommand, type Submission } from '../../../functions/pipeline/pipeline.js';
import type { RouteDefinition } from '../../../functions/pipeline/route.js';
import {
  deployWorkflow,
  getAgent,
  getWorkflow,
  listAuditEvents,
  listExecutors,
  listWorkflows,
  listWorkflowVersions,
  removeWorkflowNode,
  updateWorkflow,
} from '../../../functions/routes.js';
import { permissions } from '../../../functions/domain/permissions.js';
import { RequestValidationError } from '../../../functions/errors.js';

const workflowId = randomUUID();
const patch = { description: 'd' };

const submission = (query: Record<string, string | undefined>, body?: unknown): Submission => ({
  principal: { organizationId: 'org-1', id: 'apikey:fp_test', name: 'test', permissions: new Set(permissions) },
  params: { workflow_id: workflowId, agent_id: workflowId },
  query,
  body,
  requestId: 'request-1',
});

const queryOf = (route: RouteDefinition, query: Record<string, string | undefined>, body?: unknown) =>
  toCommand(route, submission(query, body)).query;

test.each([
  ['1', true],
  ['true', true],
  ['t', true],
  ['yes', true],
  ['y', true],
  ['on', true],
  ['0', false],
  ['false', false],
  ['f', false],
  ['no', false],
  ['n', false],
  ['off', false],
])('deploy=%s reaches the use case as %s, in any case', (text, meaning) => {
  // Act
  const read = [text, text.toUpperCase(), text[0].toUpperCase() + text.slice(1)].map(
    (spelling) => queryOf(updateWorkflow, { deploy: spelling }, patch) as { deploy: unknown },
  );
  // Assess
  expect(read.map((query) => query.deploy)).toEqual([meaning, meaning, meaning]);
});

test('an absent deploy stays absent (the use case reads it as false); an unknown one is refused before any typing', () => {
  // Act / Assess
  expect(queryOf(updateWorkflow, {}, patch)).toEqual({});
  expect(() => queryOf(updateWorkflow, { deploy: 'maybe' }, patch)).toThrow(RequestValidationError);
});

test.each([
  ['GET /v1/workflows/{id}', 'version', getWorkflow],
  ['GET /v1/agents/{id}', 'version', getAgent],
  ['PUT /v1/workflows/{id}', 'from_version', deployWorkflow],
])('%s reads %s as a number', (_route, name, route) => {
  // Act
  const query = queryOf(route, { [name]: '123456789' });
  // Assess
  expect(query).toEqual({ [name]: 123_456_789 });
});

test.each([
  ['GET /v1/workflows', listWorkflows, {}],
  ['GET /v1/workflows/{id}/versions', listWorkflowVersions, {}],
  ['GET /v1/executors', listExecutors, {}],
  ['GET /v1/audit-events', listAuditEvents, { resourceId: workflowId }],
])('%s reads limit as a number, 20 when absent', (_route, route, required) => {
  // Act
  const sent = queryOf(route, { ...required, limit: '100' }) as { limit: unknown };
  const absent = queryOf(route, { ...required }) as { limit: unknown };
  // Assess
  expect([sent.limit, absent.limit]).toEqual([100, 20]);
});

test('a UUID query value is lower-cased; a cursor, a status and a parameter no schema names stay as sent', () => {
  // Prepare
  const upper = workflowId.toUpperCase();
  // Act
  const audit = queryOf(listAuditEvents, { resourceId: upper, cursor: 'AbC', unknown: 'Text' });
  const executors = queryOf(listExecutors, { status: 'configured', limit: '5' });
  // Assess
  expect(audit).toEqual({ resourceId: workflowId, cursor: 'AbC', unknown: 'Text', limit: 20 });
  expect(executors).toEqual({ status: 'configured', limit: 5 });
});

test('path parameters are lower-cased identifiers, as before', () => {
  // Act
  const command = toCommand(getWorkflow, { ...submission({}), params: { workflow_id: workflowId.toUpperCase() } });
  // Assess
  expect(command.params).toEqual({ workflow_id: workflowId });
});

test("a workflow node's id is the caller's own text: matched as sent, while the workflow's UUID is lower-cased", () => {
  // Act
  const command = toCommand(removeWorkflowNode, {
    ...submission({}),
    params: { workflow_id: workflowId.toUpperCase(), node_id: 'Billing-Agent' },
  });
  // Assess
  expect(command.params).toEqual({ workflow_id: workflowId, node_id: 'Billing-Agent' });
});

test('the node routes deploy unless deploy says false: the default is true, unlike PATCH', () => {
  // Act
  const absent = toCommand(removeWorkflowNode, {
    ...submission({}),
    params: { workflow_id: workflowId, node_id: 'a' },
  });
  const staged = toCommand(removeWorkflowNode, {
    ...submission({ deploy: 'false' }),
    params: { workflow_id: workflowId, node_id: 'a' },
  });
  // Assess
  expect([absent.query, staged.query]).toEqual([{ deploy: true }, { deploy: false }]);
});
