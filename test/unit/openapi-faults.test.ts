/**
 * What the OpenAPI document says about faults and repeats: every route that touches the
 * table lists a 503 with a `Retry-After` header, in its contract's error shape; every
 * 409 that can mean "the same Idempotency-Key is still in progress" carries Retry-After;
 * exactly the idempotent routes take an `Idempotency-Key` header; the document stays
 * valid OpenAPI 3.1.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '../../functions/openapi.js';
import { routeList } from '../../functions/routes.js';

const document = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' });
const operationOf = (route: { method: string; path: string }) => document.paths[route.path][route.method.toLowerCase()];

test('every route that touches the table answers 503 with Retry-After in its own error shape; /health does not', () => {
  for (const route of routeList) {
    // Act
    const response = operationOf(route).responses['503'];
    // Assess
    if (route.tableActions.length === 0) {
      expect([route.operationId, response]).toEqual([route.operationId, undefined]);
      continue;
    }
    const errorSchema =
      route.contract.name === 'flowker' ? '#/components/schemas/ErrorResponse' : '#/components/schemas/HTTPError';
    expect([
      route.operationId,
      response?.headers?.['Retry-After']?.schema,
      response?.content?.['application/json'].schema,
    ]).toEqual([route.operationId, { type: 'integer', minimum: 1 }, { $ref: errorSchema }]);
  }
});

test('exactly the idempotent routes take an Idempotency-Key header, and their 409 carries Retry-After', () => {
  for (const route of routeList) {
    // Act
    const operation = operationOf(route);
    const keys = (operation.parameters ?? []).filter(
      (parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key',
    );
    // Assess
    expect([route.operationId, keys.length]).toEqual([route.operationId, route.idempotent ? 1 : 0]);
    if (route.idempotent)
      expect([route.operationId, operation.responses['409']?.headers?.['Retry-After']]).toEqual([
        route.operationId,
        expect.any(Object),
      ]);
  }
  expect(
    routeList
      .filter((route) => route.idempotent)
      .map((route) => route.operationId)
      .sort(),
  ).toEqual([
    'activateExecutorConfiguration',
    'addWorkflowNode',
    'createExecutorConfiguration',
    'createWorkflow',
    'deployWorkflow',
    'disableExecutorConfiguration',
    'enableExecutorConfiguration',
    'testExecutorConfiguration',
    'updateWorkflow',
  ]);
});

test('the document with 503s and Idempotency-Key is still valid OpenAPI 3.1', async () => {
  const result = await new Validator().validate(structuredClone(document) as never);
  expect(result).toMatchObject({ valid: true });
});
