/** The OpenAPI document is valid OpenAPI 3.1 and lists exactly the route table. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '../../functions/openapi.js';
import { routeList } from '../../functions/routes.js';

const document = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' });

test('validates against the official OpenAPI 3.1 schema', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as never);
  expect(result).toEqual({ valid: true });
  expect(validator.version).toBe('3.1');
});

test('every route of the table appears, and nothing else', () => {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as { operationId: string }).operationId}`),
  );
  expect(operations.sort()).toEqual(routeList.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
});

test('every $ref resolves', () => {
  const refs = JSON.stringify(document).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    const name = ref.split('/').pop()!.replace('"', '');
    expect(document.components.schemas).toHaveProperty([name]);
  }
});

test('only /health is public', () => {
  for (const route of routeList) {
    const op = (document.paths[route.path] as Record<string, { security: unknown[] }>)[route.method.toLowerCase()];
    expect(op.security).toEqual(route.authenticated ? [{ ApiKeyAuth: [] }] : []);
  }
});
