/**
 * The local server over real HTTP: route bundles from dist/functions (built by
 * `npm test`'s build step), the jest DynamoDB Local, the OpenAPI document and the docs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { routeList } from '../../functions/routes.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';

let server: LocalServer;
const key = 'fp_local_server_test_key_000000000000000000000';

beforeAll(async () => {
  const functionsDir = join(process.cwd(), 'dist', 'functions');
  for (const route of routeList) {
    if (!existsSync(join(functionsDir, route.operationId, 'index.mjs'))) throw new Error('run npm run build first (npm test does)');
  }
  server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: process.env.TABLE_NAME,
    apiKey: key,
    organizationId: 'local-server-test',
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
  });
});

afterAll(async () => {
  await server?.stop();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

test('health, create, get, patch over HTTP through the bundles', async () => {
  expect(await (await call('/health')).json()).toEqual({ status: 'ok' });
  const created = await call('/v1/executors', {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `srv-${Date.now()}` }),
  });
  expect(created.status).toBe(201);
  const { id, name } = (await created.json()) as { id: string; name: string };
  const fetched = await call(`/v1/executors/${id}`, { headers: { 'X-API-Key': key } });
  expect(fetched.status).toBe(200);
  expect(fetched.headers.get('etag')).toBe('"1"');
  const patched = await call(`/v1/executors/${id}`, {
    method: 'PATCH',
    headers: { 'X-API-Key': key, 'If-Match': '"1"' },
    body: JSON.stringify({ name, baseUrl: 'https://a.example.com/', endpoints: [{ name: 'e', path: '/e', method: 'GET' }], authentication: { type: 'none' } }),
  });
  expect(patched.status).toBe(200);
  expect(await patched.json()).toMatchObject({ status: 'configured', baseUrl: 'https://a.example.com' });
  expect((await call(`/v1/executors/${id}`)).status).toBe(401);
});

test('unknown paths are 404, known paths with another method 405 with Allow', async () => {
  expect((await call('/nowhere')).status).toBe(404);
  const wrong = await call('/v1/executors', { method: 'PUT' });
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('POST, GET');
});

test('serves the OpenAPI document and the interactive docs offline', async () => {
  const openapi = (await (await call("/openapi.json")).json()) as { openapi: string; paths: object };
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths)).toContain('/v1/executors/{id}');
  const docs = await call('/docs');
  expect(docs.headers.get('content-type')).toContain('text/html');
  expect(await docs.text()).toContain('/openapi.json');
  expect((await call('/docs/swagger-ui-bundle.js')).status).toBe(200);
});
