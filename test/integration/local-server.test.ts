/**
 * The local server over real HTTP: every request goes through the route bundles in
 * dist/functions (`npm test` builds them first) on the jest DynamoDB Local; the OpenAPI
 * document and the docs; and `npm start`'s own bundle, which must leave no process behind
 * when stopped by SIGINT or SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { generateApiKey } from '../../functions/domain/api-keys.js';
import { routeList } from '../../functions/routes.js';
import { auditEventListOutput, auditVerificationOutput } from '../../schemas/audit.js';
import { flowkerErrorResponse } from '../../functions/contracts/flowker.js';
import { executorListOutput, executorOutput } from '../../schemas/executor.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';
import { startTestIssuer } from '../support/oidc-issuer.js';
import { captureOutput } from '../support/log-capture.js';
import { assertFits } from '../support/schemas.js';

const functionsDir = fileURLToPath(new URL('../../dist/functions/', import.meta.url));
const serverBundle = fileURLToPath(new URL('../../dist/local/server.mjs', import.meta.url));

let server: LocalServer;
const apiKey = generateApiKey();

beforeAll(async () => {
  if (!existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run npm run build (npm test does)`);
  server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    // A table of its own: the server's stream consumers and migration must not touch other files' items
    // (jest runs two workers on one DynamoDB Local; see test/README.md).
    tableName: `flowplane-local-server-${randomUUID()}`,
    apiKey,
    organizationId: `local-server-${randomUUID()}`,
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
    eventsSinkFile: join(mkdtempSync(join(tmpdir(), 'flowplane-local-events-')), 'events.ndjson'),
    streamStartingPosition: 'LATEST',
    // Nor is its migration this server's to run: other files write there (test/integration/migration.test.ts runs it).
    migrate: false,
  });
});

afterAll(async () => {
  await server?.stop();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const withKey = (headers: Record<string, string> = {}) => ({ 'X-API-Key': apiKey, ...headers });

test('GET /health answers without a key', async () => {
  // Act
  const response = await call('/health');
  // Assess
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('create, read with its ETag, update with If-Match and list by query, each through its bundle', async () => {
  // Act
  const created = await call('/v1/executors', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: 'Serasa KYC' }),
  });
  const createdBody = (await created.json()) as { id: string };
  const fetched = await call(`/v1/executors/${createdBody.id}`, { headers: { 'x-api-key': apiKey } });
  const patched = await call(`/v1/executors/${createdBody.id}`, {
    method: 'PATCH',
    headers: withKey({ 'If-Match': '"1"', 'content-type': 'application/json' }),
    body: JSON.stringify({
      name: 'Serasa KYC',
      baseUrl: 'https://api.serasa.com.br/v2/',
      endpoints: [{ name: 'validate', path: '/validate', method: 'POST' }],
      authentication: { type: 'none' },
    }),
  });
  const patchedBody = await patched.json();
  const listed = await call('/v1/executors?status=configured&limit=10', { headers: withKey() });
  const listedBody = (await listed.json()) as { items: { id: string }[] };
  // Assess
  expect(created.status).toBe(201);
  assertFits(executorOutput, createdBody);
  expect(fetched.status).toBe(200);
  expect(fetched.headers.get('etag')).toBe('"1"');
  expect(await fetched.json()).toEqual(createdBody);
  expect(patched.status).toBe(200);
  expect(patched.headers.get('etag')).toBe('"2"');
  assertFits(executorOutput, patchedBody);
  expect(patchedBody).toMatchObject({
    id: createdBody.id,
    status: 'configured',
    baseUrl: 'https://api.serasa.com.br/v2',
  });
  expect(listed.status).toBe(200);
  assertFits(executorListOutput, listedBody);
  expect(listedBody.items.map((item) => item.id)).toEqual([createdBody.id]);
});

test("as xpander's SDK calls it: base URL <API>/v1, only x-api-key, agents/list then agents/<id> with x-agent-version", async () => {
  // Prepare: a workflow deployed twice, so version 1 is not the latest.
  const created = await call('/v1/workflows', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: 'SDK view' }),
  });
  const { id } = (await created.json()) as { id: string };
  const deployed = await call(`/v1/workflows/${id}?deploy=y`, {
    method: 'PATCH',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ description: 'v2' }),
  });
  const base = `${server.url}/v1`;
  const sdkHeaders = { 'x-api-key': apiKey };
  // Act
  const list = await fetch(`${base}/agents/list`, { headers: sdkHeaders });
  const items = (await list.json()) as { id: string; unique_name: string }[];
  const latest = await fetch(`${base}/agents/${id}`, { headers: sdkHeaders });
  const first = await fetch(`${base}/agents/${id}`, { headers: { ...sdkHeaders, 'x-agent-version': '1' } });
  // Assess
  expect(deployed.status).toBe(200);
  expect(list.status).toBe(200);
  expect(Array.isArray(items)).toBe(true);
  expect(items.find((item) => item.id === id)).toMatchObject({
    unique_name: 'sdk-view',
    deployment_provider: 'xpander',
  });
  expect(await latest.json()).toMatchObject({
    id,
    version: 2,
    description: 'v2',
    environment_id: 'default',
    unique_name: 'sdk-view',
  });
  expect(await first.json()).toMatchObject({ id, version: 1, is_latest: false, description: '' });
});

test('a request without the key is 401 in the route’s error shape', async () => {
  // Act
  const response = await call(`/v1/executors/${randomUUID()}`);
  // Assess
  expect(response.status).toBe(401);
  assertFits(flowkerErrorResponse, await response.json());
});

test('a body that is not UTF-8 JSON arrives base64-encoded, and the function refuses it by its bytes', async () => {
  // Act
  const binary = await call('/v1/executors', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/octet-stream' }),
    body: Buffer.from(JSON.stringify({ name: `binary-${randomUUID()}` })),
  });
  const latin1 = await call('/v1/executors', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/json' }),
    body: Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
  });
  // Assess
  expect(binary.status).toBe(415);
  expect(await binary.json()).toMatchObject({ code: 'FLK-0001', title: 'Unsupported Media Type' });
  expect(latin1.status).toBe(400);
  expect(await latin1.json()).toMatchObject({ code: 'FLK-0001', message: 'Request body is not valid UTF-8' });
});

test('unknown paths are 404 JSON; known paths with another method are 405 with Allow', async () => {
  // Act
  const unknown = await call('/v1/nowhere');
  const wrongMethod = await call('/v1/executors', { method: 'PUT', headers: withKey() });
  // Assess
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toContain('application/json');
  expect(await unknown.json()).toEqual({ message: 'Not Found' });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
  expect(await wrongMethod.json()).toEqual({ message: 'Method Not Allowed' });
});

test('a body over 2 MiB is refused by the server before it reaches a function, in the route’s own 413 shape', async () => {
  // Act
  const executor = await call('/v1/executors', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
  });
  const workflow = await call(`/v1/workflows/${randomUUID()}`, {
    method: 'PATCH',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
  });
  // Assess: what each route's document declares for 413 (issue 25: the workflow's answered {message} before).
  expect(executor.status).toBe(413);
  expect(await executor.json()).toEqual({
    code: 'FLK-0001',
    title: 'Payload Too Large',
    message: 'Request body exceeds 262144 bytes',
  });
  expect(workflow.status).toBe(413);
  expect(await workflow.json()).toEqual({ detail: 'Request body exceeds 1048576 bytes' });
});

test('/openapi.json is the OpenAPI 3.1 document of the whole route table', async () => {
  // Act
  const response = await call('/openapi.json');
  const document = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  // Assess
  expect(response.status).toBe(200);
  expect(document.openapi).toBe('3.1.0');
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
  );
  expect(operations.sort()).toEqual(
    routeList.map((route) => `${route.method} ${route.path} ${route.operationId}`).sort(),
  );
});

test('/docs is Swagger UI from node_modules, pointed at /openapi.json, loading nothing from elsewhere', async () => {
  // Act
  const page = await call('/docs');
  const html = await page.text();
  const initializer = await (await call('/docs/swagger-initializer.js')).text();
  const bundle = await call('/docs/swagger-ui-bundle.js');
  const css = await call('/docs/swagger-ui.css');
  // Assess
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(html).toContain('/docs/swagger-ui-bundle.js');
  expect(html).not.toMatch(/https?:\/\//);
  expect(initializer).toContain("url: '/openapi.json'");
  expect(initializer).toContain('validatorUrl: null');
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toContain('javascript');
  expect(css.status).toBe(200);
  expect((await call('/docs/package.json')).status).toBe(404);
});

test('with OIDC_* set, the routes take bearer tokens of a loopback issuer, and /docs offers both schemes', async () => {
  // Prepare
  const issuer = await startTestIssuer();
  // A server sets the environment its bundles read (process-wide): the first server's is put back after.
  const environment = { ...process.env };
  const organizationId = `local-oidc-${randomUUID()}`;
  const withTokens = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    // A table of its own: its stream consumers must not write audit entries for the other worker's items.
    tableName: `flowplane-oidc-${randomUUID()}`,
    organizationId,
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
    eventsSinkFile: join(mkdtempSync(join(tmpdir(), 'flowplane-local-events-')), 'events.ndjson'),
    streamStartingPosition: 'LATEST',
    oidc: { issuer: issuer.issuer, audience: issuer.audience, organizationClaim: 'org', permissionsClaim: 'scope' },
  });
  try {
    const token = await issuer.tokenFor(organizationId, ['executors:write', 'executors:read']);
    const at = (path: string, init: RequestInit = {}) => fetch(`${withTokens.url}${path}`, init);
    // Act
    const created = await at('/v1/executors', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `token-${randomUUID()}` }),
    });
    const forbidden = await at('/v1/audit-events?resourceId=x', { headers: { authorization: `Bearer ${token}` } });
    const page = await at('/docs');
    const document = (await (await at('/openapi.json')).json()) as {
      components: { securitySchemes: Record<string, { type: string; openIdConnectUrl?: string }> };
    };
    // Assess
    expect(created.status).toBe(201);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({
      code: 'FORBIDDEN',
      title: 'Forbidden',
      message: 'Missing permission audit:read',
    });
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${issuer.issuer}`);
    expect(document.components.securitySchemes).toMatchObject({
      ApiKeyAuth: { type: 'apiKey' },
      BearerAuth: { type: 'http' },
      OpenIdConnect: { type: 'openIdConnect', openIdConnectUrl: `${issuer.issuer}/.well-known/openid-configuration` },
    });
  } finally {
    await withTokens.stop();
    for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
    Object.assign(process.env, environment);
    await issuer.close();
  }
});

/** A request with exactly these headers (fetch would add its own Accept-Encoding and decode the answer). */
function rawRequest(
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${server.url}${path}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

test('/docs, its files and /openapi.json answer HEAD with the headers of GET and no body (issue 25 §9)', async () => {
  for (const path of ['/docs', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/openapi.json']) {
    // Act
    const get = await rawRequest(path);
    const head = await rawRequest(path, { method: 'HEAD' });
    // Assess
    expect([path, head.status, head.body.length]).toEqual([path, 200, 0]);
    expect([path, head.headers['content-type'], head.headers['content-length']]).toEqual([
      path,
      get.headers['content-type'],
      String(get.body.length),
    ]);
  }
});

test("Swagger UI's bundle goes compressed to a browser that accepts it: brotli first, then gzip, else as it is", async () => {
  // Act
  const plain = await rawRequest('/docs/swagger-ui-bundle.js');
  const brotli = await rawRequest('/docs/swagger-ui-bundle.js', {
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  });
  const gzipped = await rawRequest('/docs/swagger-ui-bundle.js', {
    headers: { 'accept-encoding': 'gzip;q=1, br;q=0' },
  });
  const document = await rawRequest('/openapi.json', { headers: { 'accept-encoding': 'gzip' } });
  // Assess
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(brotli.headers['content-encoding']).toBe('br');
  expect(brotli.headers.vary).toBe('accept-encoding');
  expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
  expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
  expect(gzipped.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
  expect(document.headers['content-encoding']).toBe('gzip');
  expect(JSON.parse(gunzipSync(document.body).toString('utf8'))).toMatchObject({ openapi: '3.1.0' });
});

test('Swagger UI keeps the authorization across reloads; the tour the introduction links is served as text', async () => {
  // Act
  const initializer = await (await call('/docs/swagger-initializer.js')).text();
  const tour = await call('/docs/tour.md');
  // Assess
  expect(initializer).toContain('persistAuthorization: true');
  expect(tour.status).toBe(200);
  expect(tour.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await tour.text()).toBe(readFileSync(fileURLToPath(new URL('../../docs/tour.md', import.meta.url)), 'utf8'));
});

test('events and audit work locally: the stream consumers fill the NDJSON sink and the audit routes answer', async () => {
  // Prepare
  const created = await call('/v1/executors', {
    method: 'POST',
    headers: withKey({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name: `events-${randomUUID()}` }),
  });
  const { id } = (await created.json()) as { id: string };
  await call(`/v1/executors/${id}`, { method: 'DELETE', headers: withKey() });
  // Act
  await server.streamsDrained();
  const events = readFileSync(server.eventsSinkFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { 'detail-type': string; detail: { resourceId: string; actor: string } })
    .filter((event) => event.detail.resourceId === id);
  const audit = await call(`/v1/audit-events?resourceId=${id}`, { headers: withKey() });
  const auditBody = (await audit.json()) as { items: { id: string; action: string; actor: string }[] };
  const verified = await call(`/v1/audit-events/${id}.2/verify`, { headers: withKey() });
  const verifiedBody = await verified.json();
  // Assess
  expect(events.map((event) => [event['detail-type'], event.detail.actor])).toEqual([
    ['ExecutorConfigurationCreated', 'local'],
    ['ExecutorConfigurationDeleted', 'local'],
  ]);
  expect(audit.status).toBe(200);
  assertFits(auditEventListOutput, auditBody);
  expect(auditBody.items.map((entry) => [entry.id, entry.action, entry.actor])).toEqual([
    [`${id}.1`, 'created', 'local'],
    [`${id}.2`, 'deleted', 'local'],
  ]);
  expect(verified.status).toBe(200);
  assertFits(auditVerificationOutput, verifiedBody);
  expect(verifiedBody).toMatchObject({ valid: true, entriesChecked: 2, firstBrokenLink: null });
});

/** `npm start`'s bundle as `npm start` runs it, on a free port with its own DynamoDB Local. */
async function startServerBundle(): Promise<{
  child: ChildProcess;
  url: string;
  dynamodbPid: number;
  output: () => string;
}> {
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, NODE_OPTIONS: _options, ...env } = process.env;
  // npm start shows its API key once, by design: the scan lets that one sighting of this key pass.
  const shownKey = generateApiKey();
  const child = spawn(process.execPath, [serverBundle], {
    env: { ...env, PORT: '0', API_KEY: shownKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  captureOutput(child, [shownKey]);
  let output = '';
  return new Promise((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const pid = /DynamoDB Local in memory, pid (\d+)/.exec(output)?.[1];
      if (url && pid) resolve({ child, url, dynamodbPid: Number(pid), output: () => output });
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test.each(['SIGINT', 'SIGTERM'] as const)(
  'npm start stops on %s: server closed, DynamoDB Local gone, exit code 0',
  async (signal) => {
    // Prepare
    const started = await startServerBundle();
    const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
    try {
      expect((await fetch(`${started.url}/health`)).status).toBe(200);
      expect(isRunning(started.dynamodbPid)).toBe(true);
      expect(started.output()).toMatch(/events {5}\/\S+\.ndjson {2}\(NDJSON/);
      // Act
      started.child.kill(signal);
      const code = await exited;
      // Assess
      expect({ code, output: started.output() }).toEqual({
        code: 0,
        output: expect.stringContaining(`${signal}: stopping`),
      });
      expect(isRunning(started.dynamodbPid)).toBe(false);
      await expect(fetch(`${started.url}/health`)).rejects.toThrow();
    } finally {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill('SIGTERM');
        await exited;
      }
    }
  },
);
