/**
 * Outbound requests: the connectivity probe (functions/net/connectivity.ts) and the safe
 * request under it (functions/net/safe-fetch.ts) against real HTTP servers on 127.0.0.1
 * (private targets allowed for these tests, as for local development): credentials of
 * every authentication type arrive, failures and timeouts are reported, redirects are not
 * followed, bodies are capped, and the SSRF guard refuses internal targets when it is on.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runConnectivityTest } from '../../functions/net/connectivity.js';
import { OutboundError, safeRequest } from '../../functions/net/safe-fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];

async function serve(answer: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const ok = (_req: Seen, res: ServerResponse) => res.end('{"ok":true}');
const endpoints = [{ name: 'probe', path: '/probe', method: 'POST', timeout: 2 }];

beforeEach(() => {
  process.env.ALLOW_PRIVATE_TARGETS = 'true';
});

afterEach(async () => {
  delete process.env.ALLOW_PRIVATE_TARGETS;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const statuses = (result: Awaited<ReturnType<typeof runConnectivityTest>>) =>
  Object.fromEntries(result.stages.map((s) => [s.name, s.status]));

test.each([
  [
    'api_key in a header with a prefix',
    { key: 'k1', header_name: 'X-Token', prefix: 'Key ' },
    (s: Seen) => s.headers['x-token'] === 'Key k1',
  ],
  [
    'api_key in the query',
    { key: 'k2', location: 'query', query_param_name: 'token' },
    (s: Seen) => s.url === '/probe?token=k2',
  ],
  ['bearer', { token: 't3' }, (s: Seen) => s.headers.authorization === 'Bearer t3'],
  [
    'basic',
    { username: 'u', password: 'p' },
    (s: Seen) => s.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`,
  ],
])('%s: every stage passes and the credentials arrive', async (_label, config, arrived) => {
  // Prepare
  const type = _label.startsWith('api_key') ? 'api_key' : _label;
  const service = await serve(ok);
  // Act
  const result = await runConnectivityTest({ baseUrl: service.url, endpoints, authType: type, authConfig: config });
  // Assess
  expect(result.overall).toBe('passed');
  expect(statuses(result)).toEqual({
    connectivity: 'passed',
    authentication: 'passed',
    transformation: 'skipped',
    end_to_end: 'passed',
  });
  expect(service.seen.filter((s) => s.url.startsWith('/probe')).every(arrived)).toBe(true);
});

async function issuer(expectBasic: boolean) {
  const idp = await serve((req, res) => {
    if (req.url === '/realm/.well-known/openid-configuration')
      return res.end(JSON.stringify({ token_endpoint: `${idp.url}/token` }));
    const form = new URLSearchParams(req.body);
    const basicOk = req.headers.authorization === `Basic ${Buffer.from('client:sec%2Fret').toString('base64')}`;
    const postOk = form.get('client_id') === 'client' && form.get('client_secret') === 'sec/ret';
    const passwordOk =
      form.get('grant_type') !== 'password' || (form.get('username') === 'alice' && form.get('password') === 'pw');
    if ((expectBasic ? basicOk : postOk) && passwordOk)
      return res.end(JSON.stringify({ access_token: 'tok-123', token_type: 'Bearer' }));
    res.statusCode = 401;
    res.end('{"error":"invalid_client"}');
  });
  return idp;
}

test.each([
  ['client_secret_basic', true],
  ['client_secret_post', false],
])('oidc_client_credentials with %s fetches a token and uses it', async (method, basic) => {
  // Prepare
  const idp = await issuer(basic);
  const service = await serve(ok);
  // Act
  const result = await runConnectivityTest({
    baseUrl: service.url,
    endpoints,
    authType: 'oidc_client_credentials',
    authConfig: {
      issuer_url: `${idp.url}/realm/`,
      client_id: 'client',
      client_secret: 'sec/ret',
      token_endpoint_auth_method: method,
      scopes: ['a', 'b'],
      audience: 'api',
    },
  });
  // Assess
  expect(result.overall).toBe('passed');
  const tokenRequest = idp.seen.find((s) => s.url === '/token');
  expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toMatchObject({
    grant_type: 'client_credentials',
    scope: 'a b',
    audience: 'api',
  });
  expect(service.seen.find((s) => s.url === '/probe')?.headers.authorization).toBe('Bearer tok-123');
});

test('oidc_user uses the password grant', async () => {
  // Prepare
  const idp = await issuer(false);
  const service = await serve(ok);
  // Act
  const result = await runConnectivityTest({
    baseUrl: service.url,
    endpoints,
    authType: 'oidc_user',
    authConfig: {
      issuer_url: `${idp.url}/realm`,
      client_id: 'client',
      client_secret: 'sec/ret',
      username: 'alice',
      password: 'pw',
    },
  });
  // Assess
  expect(result.overall).toBe('passed');
  expect(new URLSearchParams(idp.seen.find((s) => s.url === '/token')?.body).get('grant_type')).toBe('password');
});

test('rejected credentials fail authentication: overall partial, reason safe', async () => {
  // Prepare
  const service = await serve((req, res) => {
    res.statusCode = req.url === '/probe' ? 401 : 200;
    res.end('{"error":"bad token s3cr3t-echo"}');
  });
  // Act
  const result = await runConnectivityTest({
    baseUrl: service.url,
    endpoints,
    authType: 'bearer',
    authConfig: { token: 's3cr3t-wrong' },
  });
  // Assess
  expect(result.overall).toBe('partial');
  expect(result.stages.find((s) => s.name === 'authentication')).toMatchObject({ status: 'failed', httpStatus: 401 });
  expect(JSON.stringify(result)).not.toContain('s3cr3t');
});

test('a base URL answering 503 fails connectivity and the test', async () => {
  // Prepare
  const service = await serve((_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  // Act
  const result = await runConnectivityTest({ baseUrl: service.url, endpoints, authType: 'none', authConfig: {} });
  // Assess
  expect(result.overall).toBe('failed');
  expect(statuses(result)).toEqual({
    connectivity: 'failed',
    authentication: 'skipped',
    transformation: 'skipped',
    end_to_end: 'skipped',
  });
});

test('redirects are not followed', async () => {
  // Prepare
  const elsewhere = await serve(ok);
  const service = await serve((_req, res) => {
    res.writeHead(302, { location: `${elsewhere.url}/stolen` });
    res.end();
  });
  // Act
  const response = await safeRequest({ url: `${service.url}/go`, timeoutMs: 2000 });
  // Assess
  expect(response.status).toBe(302);
  expect(elsewhere.seen).toHaveLength(0);
});

test('a slow endpoint fails end to end with a timeout', async () => {
  // Prepare
  const service = await serve((req, res) => {
    if (req.url === '/probe') setTimeout(() => res.end('late'), 1500);
    else res.end('ok');
  });
  // Act
  const result = await runConnectivityTest({
    baseUrl: service.url,
    endpoints: [{ ...endpoints[0], timeout: 1 }],
    authType: 'none',
    authConfig: {},
  });
  // Assess
  expect(result.stages.find((s) => s.name === 'end_to_end')).toMatchObject({
    status: 'failed',
    reason: 'timed out after 1000 ms',
  });
});

test("an endpoint allowed 300 s still stops at the test's budget, so the result is recorded", async () => {
  // Prepare
  const service = await serve((req, res) => {
    if (req.url === '/probe') setTimeout(() => res.end('late'), 5_000);
    else res.end('ok');
  });
  // Act
  const result = await runConnectivityTest(
    { baseUrl: service.url, endpoints: [{ ...endpoints[0], timeout: 300 }], authType: 'none', authConfig: {} },
    { budgetMs: 800 },
  );
  // Assess
  const endToEnd = result.stages.find((s) => s.name === 'end_to_end');
  expect(endToEnd?.status).toBe('failed');
  expect(endToEnd?.reason).toMatch(/^timed out after \d+ ms$/);
  expect(Number(/(\d+) ms/.exec(endToEnd?.reason ?? '')?.[1])).toBeLessThanOrEqual(800);
});

test('a huge response body is not read beyond the cap', async () => {
  // Prepare
  let written = 0;
  const service = await serve((_req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = () => {
      while (written < 50 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
      if (written < 50 * 1024 * 1024) res.once('drain', pump);
      else res.end();
    };
    res.on('close', () => undefined);
    pump();
  });
  // Act
  const response = await safeRequest({ url: service.url, timeoutMs: 5000, maxBodyBytes: 1024 });
  // Assess
  expect(response.bodyText.length).toBe(1024);
  expect(written).toBeLessThan(50 * 1024 * 1024);
});

test('with the guard on, 127.0.0.1 and localhost are refused before any connection', async () => {
  // Prepare
  const service = await serve(ok);
  delete process.env.ALLOW_PRIVATE_TARGETS;
  const port = new URL(service.url).port;
  for (const baseUrl of [service.url, `http://localhost:${port}`]) {
    // Act
    const result = await runConnectivityTest({ baseUrl, endpoints, authType: 'none', authConfig: {} });
    // Assess
    expect(result.stages[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('not allowed') });
  }
  expect(service.seen).toHaveLength(0);
});

test('the connection goes to the address that was checked, not a second DNS answer', async () => {
  // Prepare
  const service = await serve(ok);
  delete process.env.ALLOW_PRIVATE_TARGETS;
  const port = new URL(service.url).port;
  // A rebinding resolver: public on the check, internal on any later lookup.
  let calls = 0;
  const rebinding = async () =>
    calls++ === 0 ? [{ address: '192.0.2.1', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
  // Act / Assess: 192.0.2.1 (TEST-NET-1) is unreachable here; reaching 127.0.0.1 would have answered 200.
  await expect(
    safeRequest({ url: `http://rebind.test:${port}/`, timeoutMs: 300, resolve: rebinding }),
  ).rejects.toBeInstanceOf(OutboundError);
  expect(calls).toBe(1);
  expect(service.seen).toHaveLength(0);
});
