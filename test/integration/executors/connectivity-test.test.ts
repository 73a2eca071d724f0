/**
 * POST /v1/executors/{id}/test through the real handler, against a real HTTP service on
 * 127.0.0.1 (private targets allowed for the test that needs it, as for local
 * development), and the SSRF guard refusing that service when it is on.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newOrganization, type Organization } from '../../support/api.js';
import { activateExecutor, createExecutor, getExecutor, testExecutor } from '../../support/executors.js';

let org: Organization;
let service: Server;
let seen: string[];
let baseUrl: string;

beforeAll(async () => {
  org = await newOrganization();
  seen = [];
  service = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.statusCode = req.headers.authorization === 'Bearer s3cr3t-token' || req.url === '/' ? 200 : 401;
    res.end('{}');
  });
  service.listen(0, '127.0.0.1');
  await once(service, 'listening');
  baseUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env.ALLOW_PRIVATE_TARGETS;
  await new Promise((r) => service.close(r));
});

afterEach(() => {
  delete process.env.ALLOW_PRIVATE_TARGETS;
});

/** A configuration calling the local service with a bearer token. */
const body = (name: string, token: string) => ({
  name,
  baseUrl,
  endpoints: [{ name: 'probe', path: '/probe', method: 'GET', timeout: 2 }],
  authentication: { type: 'bearer', config: { token } },
});

test('a passing test decrypts the secret, calls the service, sets lastTestedAt and moves configured → tested', async () => {
  // Prepare
  process.env.ALLOW_PRIVATE_TARGETS = 'true';
  const executor = (await createExecutor(org, body(`t-${randomUUID()}`, 's3cr3t-token'))).body;
  // Act
  const reply = await testExecutor(org, executor.id);
  // Assess (the helper checks the reply against the test output schema)
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ executorId: executor.id, overall: 'passed', status: 'tested' });
  expect(seen).toContain('GET /probe Bearer s3cr3t-token');
  expect((await getExecutor(org, executor.id)).body).toMatchObject({
    status: 'tested',
    lastTestedAt: reply.body.testedAt,
  });
  expect((await activateExecutor(org, executor.id)).body.status).toBe('active');
});

test('a failing test records lastTestedAt but keeps the status', async () => {
  // Prepare
  process.env.ALLOW_PRIVATE_TARGETS = 'true';
  const executor = (await createExecutor(org, body(`f-${randomUUID()}`, 's3cr3t-wrong'))).body;
  // Act
  const reply = await testExecutor(org, executor.id);
  // Assess
  expect(reply.body).toMatchObject({ overall: 'partial', status: 'configured' });
  expect((await getExecutor(org, executor.id)).body.lastTestedAt).toBe(reply.body.testedAt);
});

test('an unconfigured executor cannot be tested (422 FLK-0252)', async () => {
  // Prepare
  const executor = (await createExecutor(org, { name: `u-${randomUUID()}` })).body;
  // Act
  const reply = await testExecutor(org, executor.id);
  // Assess
  expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0252' } });
});

test('with the guard on, the test refuses the loopback service before connecting', async () => {
  // Prepare
  process.env.ALLOW_PRIVATE_TARGETS = 'true';
  const executor = (await createExecutor(org, body(`g-${randomUUID()}`, 's3cr3t-token'))).body;
  delete process.env.ALLOW_PRIVATE_TARGETS;
  const before = seen.length;
  // Act
  const reply = await testExecutor(org, executor.id);
  // Assess
  expect(reply.body).toMatchObject({ overall: 'failed', status: 'configured' });
  expect(reply.body.stages[0].reason).toContain('not allowed');
  expect(seen.length).toBe(before);
});
