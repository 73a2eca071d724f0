/**
 * Bearer tokens against a local OIDC issuer on 127.0.0.1 (test/support/oidc-issuer.ts: its
 * discovery document and JWKS over HTTP, keys and tokens made with jose): a good token lets
 * its organization in on REST and HTTP API events alike; every bad token is a 401 in the
 * route's dialect, never a 500; the issuer's keys are fetched for bearer requests only, once
 * per function instance, and again at most once a minute; an issuer that goes down leaves
 * cached keys working and answers a new key with 503 and Retry-After; permissions come from
 * the token's claim.
 */
import { randomUUID } from 'node:crypto';
import { resetIssuerKeys } from '../../functions/auth/bearer-tokens.js';
import { handler as getExecutorHandler } from '../../functions/executors/get.js';
import { handler as updateExecutorHandler } from '../../functions/executors/update.js';
import { handler as getWorkflowHandler } from '../../functions/workflows/get.js';
import { handler as updateWorkflowHandler } from '../../functions/workflows/update.js';
import { executorKey, workflowKey } from '../../functions/store/keys.js';
import {
  httpApiEvent,
  invoke,
  newOrganization,
  type Organization,
  rawItem,
  type Reply,
  restEvent,
} from '../support/api.js';
import { completeExecutorBody, createExecutor } from '../support/executors.js';
import { startTestIssuer, type TestIssuer, useIssuer } from '../support/oidc-issuer.js';
import { assertFlowkerReply, assertWorkflowReply } from '../support/schemas.js';
import { createWorkflow } from '../support/workflows.js';

let issuer: TestIssuer;
let restore: () => void;
let org: Organization;
let stranger: Organization;
let executorId: string;
let workflowId: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  restore = useIssuer(issuer);
  org = await newOrganization();
  stranger = await newOrganization();
  executorId = (await createExecutor(org, completeExecutorBody())).body.id;
  workflowId = (await createWorkflow(org, { name: 'bearer' })).body.id;
});

afterAll(async () => {
  restore();
  await issuer.close();
});

beforeEach(() => {
  // Every test starts as a cold function would: no keys held, the real clock.
  resetIssuerKeys();
  issuer.up();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function getExecutor(headers: Record<string, string>, id = executorId): Promise<Reply> {
  const reply = await invoke(
    getExecutorHandler,
    restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers }),
  );
  assertFlowkerReply(reply);
  return reply;
}

async function getWorkflow(headers: Record<string, string>, id = workflowId): Promise<Reply> {
  const reply = await invoke(
    getWorkflowHandler,
    restEvent({ method: 'GET', path: `/v1/workflows/${id}`, pathParameters: { workflow_id: id }, headers }),
  );
  assertWorkflowReply(reply);
  return reply;
}

async function patchWorkflow(headers: Record<string, string>, body: unknown, query: Record<string, string> = {}) {
  const reply = await invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${workflowId}`,
      pathParameters: { workflow_id: workflowId },
      query,
      headers,
      body,
    }),
  );
  assertWorkflowReply(reply);
  return reply;
}

const flowkerUnauthorized = { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'Bearer token invalid or expired' };

describe('a good token', () => {
  test('lets its organization in on REST and HTTP API events alike, with RSA and EC keys', async () => {
    // Prepare
    const token = await issuer.tokenFor(org.organizationId, ['executors:read']);
    const ecToken = await issuer.token(
      { sub: 'ec-client', org: org.organizationId, scope: 'executors:read' },
      { kid: issuer.ecKid },
    );
    // Act
    const rest = await getExecutor(bearer(token));
    const v2 = await invoke(
      getExecutorHandler,
      httpApiEvent({
        method: 'GET',
        path: `/v1/executors/${executorId}`,
        pathParameters: { id: executorId },
        headers: { Authorization: `bearer ${ecToken}` },
      }),
    );
    // Assess
    expect(rest.status).toBe(200);
    expect(rest.body.id).toBe(executorId);
    expect(v2.status).toBe(200);
    expect(v2.body.id).toBe(executorId);
  });

  test("fetches the issuer's keys once per function instance, for bearer requests only", async () => {
    // Prepare
    const before = { ...issuer.served };
    const token = await issuer.tokenFor(org.organizationId, ['executors:read']);
    // Act
    const withKey = await getExecutor({ 'x-api-key': org.apiKey });
    const afterKey = { ...issuer.served };
    const replies = [
      await getExecutor(bearer(token)),
      await getExecutor(bearer(token)),
      await getExecutor(bearer(token)),
    ];
    // Assess
    expect(withKey.status).toBe(200);
    expect(afterKey).toEqual(before);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(issuer.served).toEqual({ discovery: before.discovery + 1, jwks: before.jwks + 1 });
  });

  test('within the 30-second leeway, a token just expired or not quite valid yet is taken', async () => {
    // Prepare
    const claims = { sub: 'skewed', org: org.organizationId, scope: 'executors:read' };
    const justExpired = await issuer.token(claims, { expiresIn: -10 });
    const almostValid = await issuer.token(claims, { notBefore: 10, issuedAt: 10 });
    // Act / Assess
    expect((await getExecutor(bearer(justExpired))).status).toBe(200);
    expect((await getExecutor(bearer(almostValid))).status).toBe(200);
  });

  test('permissions and organization may come from other claims, a list of names among them', async () => {
    // Prepare
    const undo = useIssuer(issuer, { permissionsClaim: 'permissions', organizationClaim: 'tenant' });
    try {
      const listed = await issuer.token({ sub: 'c', tenant: org.organizationId, permissions: ['executors:read'] });
      const inScope = await issuer.token({ sub: 'c', tenant: org.organizationId, scope: 'executors:read' });
      // Act / Assess
      expect((await getExecutor(bearer(listed))).status).toBe(200);
      expect((await getExecutor(bearer(inScope))).status).toBe(403);
    } finally {
      undo();
    }
  });

  test('a request with both an API key and a token is judged by the key alone', async () => {
    // Prepare
    const good = await issuer.tokenFor(org.organizationId, ['executors:read']);
    // Act
    const badKey = await getExecutor({ 'x-api-key': `fp_${randomUUID()}`, ...bearer(good) });
    const goodKey = await getExecutor({ 'x-api-key': org.apiKey, authorization: 'Bearer garbage' });
    // Assess
    expect(badKey.status).toBe(401);
    expect(badKey.body.message).toBe('API Key missing or invalid');
    expect(goodKey.status).toBe(200);
  });

  test('the item records its subject as the actor, and the issuer, subject and permission that let it write', async () => {
    // Prepare
    const subject = `deployer-${randomUUID()}`;
    const token = await issuer.tokenFor(org.organizationId, ['executors:write'], subject);
    // Act
    const reply = await invoke(
      updateExecutorHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/executors/${executorId}`,
        pathParameters: { id: executorId },
        headers: bearer(token),
        body: { ...completeExecutorBody(), description: 'patched with a token' },
      }),
    );
    // Assess
    expect(reply.status).toBe(200);
    const item = await rawItem(executorKey(org.organizationId, executorId));
    expect(item).toMatchObject({
      updatedBy: subject,
      authorizedBy: { principal: `oidc:${issuer.issuer}#${subject}`, permission: 'executors:write' },
    });
  });
});

describe('a bad token is a 401 in the route’s dialect, never a 500', () => {
  const claims = () => ({ sub: 'client', org: org.organizationId, scope: 'executors:read workflows:read' });
  const cases: [string, () => Promise<string>][] = [
    ['expired', () => issuer.token(claims(), { expiresIn: -120 })],
    ['not valid yet', () => issuer.token(claims(), { notBefore: 120 })],
    ['issued in the future, past the leeway (clock skew)', () => issuer.token(claims(), { issuedAt: 120 })],
    ['without an expiry', () => issuer.token({ ...claims(), exp: undefined })],
    ['of another issuer', () => issuer.token({ ...claims(), iss: 'https://issuer.example.com' })],
    ['for another audience', () => issuer.token({ ...claims(), aud: 'someone-else' })],
    ['alg: none (no signature)', async () => issuer.unsignedToken(claims())],
    ["HS256 signed with the issuer's public key (algorithm confusion)", () => issuer.publicKeyHmacToken(claims())],
    [
      'signed with a key the issuer never published (unknown kid)',
      async () => issuer.token(claims(), { kid: await issuer.addKey({ published: false }) }),
    ],
    ['with a kid the header does not name', () => issuer.token(claims(), { header: { kid: undefined } })],
    ['over 8 KB', () => issuer.token({ ...claims(), padding: 'x'.repeat(8192) })],
    [
      'with its payload changed after signing',
      async () => {
        const [header, , signature] = (await issuer.token(claims())).split('.');
        const forged = Buffer.from(JSON.stringify({ ...claims(), iss: issuer.issuer, aud: issuer.audience })).toString(
          'base64url',
        );
        return `${header}.${forged}.${signature}`;
      },
    ],
    ['naming no organization', () => issuer.token({ sub: 'client', scope: 'executors:read workflows:read' })],
    ['naming an organization no key could', () => issuer.token({ ...claims(), org: 'ORG#evil' })],
    ['without a subject', () => issuer.token({ org: org.organizationId, scope: 'executors:read workflows:read' })],
    ['not a JWT at all', async () => 'not-a-jwt'],
  ];

  test.each(cases)('%s', async (_name, make) => {
    // Prepare
    const token = await make();
    // Act
    const flowker = await getExecutor(bearer(token));
    const fastApi = await getWorkflow(bearer(token));
    // Assess
    expect([flowker.status, flowker.body]).toEqual([401, flowkerUnauthorized]);
    expect([fastApi.status, fastApi.body]).toEqual([401, { detail: 'Bearer token invalid or expired' }]);
  });

  test('another scheme in Authorization, or a token while the stage names no issuer, is a 401 too', async () => {
    // Prepare
    const token = await issuer.tokenFor(org.organizationId, ['executors:read']);
    // Act
    const basic = await getExecutor({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    const undo = useIssuer(undefined);
    const unconfigured = await getExecutor(bearer(token)).finally(undo);
    // Assess
    expect([basic.status, basic.body]).toEqual([401, flowkerUnauthorized]);
    expect([unconfigured.status, unconfigured.body]).toEqual([401, flowkerUnauthorized]);
  });
});

describe("the issuer's keys", () => {
  test('a token signed with a key not held asks the issuer again at most once a minute', async () => {
    // Prepare
    let now = Date.now();
    resetIssuerKeys(() => now);
    const good = await issuer.tokenFor(org.organizationId, ['executors:read']);
    const stranger = await issuer.token(
      { sub: 'x', org: org.organizationId, scope: 'executors:read' },
      { kid: await issuer.addKey({ published: false }) },
    );
    const jwksAt = () => issuer.served.jwks;
    const start = jwksAt();
    // Act
    const first = await getExecutor(bearer(good));
    now += 1_000;
    const soonAfter = await getExecutor(bearer(stranger));
    const fetchesSoonAfter = jwksAt() - start;
    now += 60_000;
    const aMinuteLater = await getExecutor(bearer(stranger));
    const again = await getExecutor(bearer(stranger));
    // Assess
    expect([first.status, soonAfter.status, aMinuteLater.status, again.status]).toEqual([200, 401, 401, 401]);
    expect(fetchesSoonAfter).toBe(1);
    expect(jwksAt() - start).toBe(2);
  });

  test('a rotation: a newly published key is taken once the minute since the last fetch is over', async () => {
    // Prepare
    let now = Date.now();
    resetIssuerKeys(() => now);
    await getExecutor(bearer(await issuer.tokenFor(org.organizationId, ['executors:read'])));
    const kid = await issuer.addKey({ published: true });
    const rotated = await issuer.token({ sub: 'r', org: org.organizationId, scope: 'executors:read' }, { kid });
    // Act
    now += 30_000;
    const early = await getExecutor(bearer(rotated));
    now += 31_000;
    const later = await getExecutor(bearer(rotated));
    // Assess
    expect([early.status, later.status]).toEqual([401, 200]);
  });

  test('an issuer that goes down: cached keys keep working; a new key gets 503 with Retry-After in both dialects', async () => {
    // Prepare
    let now = Date.now();
    resetIssuerKeys(() => now);
    const known = await issuer.tokenFor(org.organizationId, ['executors:read', 'workflows:read']);
    expect((await getExecutor(bearer(known))).status).toBe(200);
    const kid = await issuer.addKey({ published: true });
    const fresh = await issuer.token(
      { sub: 'f', org: org.organizationId, scope: 'executors:read workflows:read' },
      { kid },
    );
    issuer.down();
    now += 61_000;
    // Act
    const cached = await getExecutor(bearer(known));
    const flowker = await getExecutor(bearer(fresh));
    const fastApi = await getWorkflow(bearer(fresh));
    // Assess
    expect(cached.status).toBe(200);
    expect(flowker.status).toBe(503);
    expect(flowker.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', title: 'Service Unavailable' });
    expect(Number(flowker.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fastApi.status).toBe(503);
    expect(fastApi.body.detail).toMatch(/^Service temporarily unavailable; retry after \d+ seconds$/);
    expect(Number(fastApi.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Act: back up, after the Retry-After
    issuer.up();
    now += Number(fastApi.headers['retry-after']) * 1000;
    const recovered = await getExecutor(bearer(fresh));
    // Assess
    expect(recovered.status).toBe(200);
  });

  test('a cold function whose issuer cannot be reached answers 503, not 500', async () => {
    // Prepare
    const token = await issuer.tokenFor(org.organizationId, ['executors:read']);
    issuer.down();
    // Act
    const reply = await getExecutor(bearer(token));
    // Assess
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBeDefined();
  });
});

describe('permissions from the token', () => {
  test('a token without the route’s permission is a 403 naming it, in each dialect', async () => {
    // Prepare
    const readsWorkflows = await issuer.tokenFor(org.organizationId, ['workflows:read']);
    const readsExecutors = await issuer.tokenFor(org.organizationId, ['executors:read']);
    // Act
    const flowker = await getExecutor(bearer(readsWorkflows));
    const fastApi = await getWorkflow(bearer(readsExecutors));
    // Assess
    expect([flowker.status, flowker.body]).toEqual([
      403,
      { code: 'FORBIDDEN', title: 'Forbidden', message: 'Missing permission executors:read' },
    ]);
    expect([fastApi.status, fastApi.body]).toEqual([403, { detail: 'Missing permission workflows:read' }]);
  });

  test("another organization's resource stays a 404 for a token holding the permission", async () => {
    // Prepare
    const token = await issuer.tokenFor(stranger.organizationId, ['executors:read', 'workflows:read']);
    // Act
    const executor = await getExecutor(bearer(token));
    const workflow = await getWorkflow(bearer(token));
    // Assess
    expect([executor.status, workflow.status]).toEqual([404, 404]);
  });

  test('a write never implies a deploy: PATCH ?deploy=true needs workflows:deploy beside workflows:write', async () => {
    // Prepare
    const writer = await issuer.tokenFor(org.organizationId, ['workflows:write']);
    const deployer = await issuer.tokenFor(org.organizationId, ['workflows:deploy']);
    const both = await issuer.tokenFor(org.organizationId, ['workflows:write', 'workflows:deploy']);
    const before = await rawItem(workflowKey(org.organizationId, workflowId));
    // Act
    const deployByWriter = await patchWorkflow(bearer(writer), { description: 'deploy' }, { deploy: 'true' });
    const stageByDeployer = await patchWorkflow(bearer(deployer), { description: 'stage' });
    const unchanged = await rawItem(workflowKey(org.organizationId, workflowId));
    const staged = await patchWorkflow(bearer(writer), { description: 'staged' }, { deploy: 'false' });
    const deployed = await patchWorkflow(bearer(both), { description: 'deployed' }, { deploy: '1' });
    // Assess
    expect([deployByWriter.status, deployByWriter.body]).toEqual([
      403,
      { detail: 'Missing permission workflows:deploy' },
    ]);
    expect([stageByDeployer.status, stageByDeployer.body]).toEqual([
      403,
      { detail: 'Missing permission workflows:write' },
    ]);
    expect(unchanged).toEqual(before);
    expect([staged.status, staged.body.version, staged.body.has_pending_changes]).toEqual([200, 1, true]);
    expect([deployed.status, deployed.body.version, deployed.body.has_pending_changes]).toEqual([200, 2, false]);
    expect((await rawItem(workflowKey(org.organizationId, workflowId)))?.authorizedBy).toMatchObject({
      permission: 'workflows:deploy',
    });
  });
});
