/**
 * Rolling back 0.3.0 → 0.2.0 (the promise in CHANGELOG.md and docs/runbook.md, "Roll
 * back"): a table 0.1.0 wrote, migrated and written by today's code, is served again by
 * 0.2.0's own server, which reads and writes all of it (it ignores what it does not know:
 * `formatVersion`, a shared claim's `sharedWith`, the migration's own item); upgrading again
 * afterwards migrates what 0.2.0 wrote meanwhile, nothing failing.
 */
import { join } from 'node:path';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';
import { type ReleaseServer, startReleaseServer } from '../../scripts/releases.js';
import { secrets } from '../support/upgrade/dataset.js';
import { type Client, clientOf, expectStatus, send } from '../support/upgrade/http.js';
import { secretsIn, type Upgrade, upgradeFrom } from '../support/upgrade/scenario.js';
import { fileURLToPath } from 'node:url';

let upgrade: Upgrade;
let earlier: ReleaseServer;
let again: LocalServer | undefined;
/** One client of 0.2.0's server, so the last check reads every answer it received. */
let earlierClient: Client;
const written: Record<string, string> = {};

beforeAll(async () => {
  upgrade = await upgradeFrom('0.1.0', { migrate: true });
  const today = upgrade.client;
  // Written by today's code before the rollback: an executor, a workflow with notification secrets, a deploy.
  const executor = await expectStatus(today, 201, 'POST', '/v1/executors', {
    body: {
      name: 'Written by 0.3.0',
      baseUrl: upgrade.stub.url,
      endpoints: [{ name: 'ping', path: '/ping', method: 'GET' }],
      authentication: { type: 'bearer', config: { token: secrets.bearerToken } },
    },
  });
  written.executor = executor.body.id;
  const workflow = await expectStatus(today, 201, 'POST', '/v1/workflows', {
    body: {
      name: 'Written by 0.3.0',
      notification_settings: {
        on_error: { webhook: [{ url: 'https://hooks.example.com/x', headers: { 'X-Token': secrets.notifyHeader } }] },
      },
    },
  });
  written.workflow = workflow.body.id;
  // A node route (new in 0.3.0) adds a node and deploys it.
  const nodes = await expectStatus(today, 200, 'POST', `/v1/workflows/${written.workflow}/nodes`, {
    body: { name: 'Escalate', agent_id: 'agent-escalation' },
  });
  written.node = nodes.body[0].id;
  await expectStatus(today, 200, 'PATCH', `/v1/workflows/${upgrade.data.workflows.triage.id}?deploy=true`, {
    body: { description: 'deployed by 0.3.0' },
  });
  await upgrade.server.streamsDrained();
  await upgrade.server.stop();
  earlier = await startReleaseServer('0.2.0', {
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT as string,
    tableName: upgrade.tableName,
    secretsKeyFile: upgrade.secretsKeyFile,
    apiKey: upgrade.client.apiKey,
    organizationId: upgrade.data.organizationId,
    eventsSinkFile: join(upgrade.work, 'events-rollback.ndjson'),
    env: { ALLOW_PRIVATE_TARGETS: 'true' },
  });
  earlierClient = clientOf(earlier.url, upgrade.client.apiKey);
}, 600_000);

afterAll(async () => {
  await earlier?.stop();
  await again?.stop();
  await upgrade?.stub.close();
});

const client = () => earlierClient;

test('0.2.0 reads every executor 0.1.0 and 0.3.0 wrote: names, statuses, secrets masked, nothing sealed shown', async () => {
  for (const [role, { id, name, status }] of Object.entries(upgrade.data.executors)) {
    if (role === 'globex') continue;
    // Act
    const shown = await send(client(), 'GET', `/v1/executors/${id}`);
    // Assess
    expect([role, shown.status, shown.body.name, shown.body.status]).toEqual([role, 200, name, status]);
    expect([role, shown.text]).not.toEqual([role, expect.stringContaining('enc:v1:')]);
  }
  const oidc = await expectStatus(client(), 200, 'GET', `/v1/executors/${upgrade.data.executors.oidcClient.id}`);
  expect(oidc.body.authentication.config.token_endpoint_auth_method).toBe('client_secret_post');
});

test('0.2.0 writes them: a masked secret kept (the binding the migration wrote), the connectivity test sends it', async () => {
  // Prepare
  const shown = await expectStatus(client(), 200, 'GET', `/v1/executors/${written.executor}`);
  const { id: _id, status: _s, createdAt: _c, updatedAt: _u, lastTestedAt: _t, ...body } = shown.body;
  upgrade.stub.requests.length = 0;
  // Act
  const patched = await send(client(), 'PATCH', `/v1/executors/${written.executor}`, {
    body: { ...body, description: 'changed by 0.2.0 after the rollback' },
    headers: { 'if-match': shown.headers.etag },
  });
  const tested = await expectStatus(client(), 200, 'POST', `/v1/executors/${written.executor}/test`);
  const oidc = await expectStatus(client(), 200, 'GET', `/v1/executors/${upgrade.data.executors.oidcClient.id}`);
  const oidcBody = { ...oidc.body };
  for (const key of ['id', 'status', 'createdAt', 'updatedAt', 'lastTestedAt']) delete oidcBody[key];
  const oidcPatched = await send(client(), 'PATCH', `/v1/executors/${upgrade.data.executors.oidcClient.id}`, {
    body: { ...oidcBody, description: 'changed by 0.2.0' },
    headers: { 'if-match': oidc.headers.etag },
  });
  // Assess
  expect([patched.status, oidcPatched.status]).toEqual([200, 200]);
  expect(tested.body.overall).toBe('passed');
  expect(
    upgrade.stub.requests.some((request) => request.headers.authorization === `Bearer ${secrets.bearerToken}`),
  ).toBe(true);
});

test('0.2.0 keeps names unique as 0.3.0 claimed them', async () => {
  // Act
  const taken = await send(client(), 'POST', '/v1/executors', { body: { name: 'WRITTEN BY 0.3.0' } });
  const basic = await send(client(), 'POST', '/v1/executors', { body: { name: 'basic ledger' } });
  // Assess
  expect([taken.status, basic.status]).toEqual([409, 409]);
});

test('0.2.0 reads and deploys every workflow, notification secrets masked, and rolls back to a version 0.1.0 deployed', async () => {
  // Act
  const mine = await expectStatus(client(), 200, 'GET', `/v1/workflows/${written.workflow}`);
  const triage = await expectStatus(client(), 200, 'GET', `/v1/workflows/${upgrade.data.workflows.triage.id}`);
  const listed = await expectStatus(client(), 200, 'GET', '/v1/workflows?limit=100');
  const rolledBack = await expectStatus(
    client(),
    200,
    'PUT',
    `/v1/workflows/${upgrade.data.workflows.triage.id}?from_version=1`,
  );
  const kept = await send(client(), 'PATCH', `/v1/workflows/${upgrade.data.workflows.triage.id}?deploy=true`, {
    body: { notification_settings: rolledBack.body.notification_settings, description: 'kept by 0.2.0' },
  });
  const agents = await expectStatus(client(), 200, 'GET', '/v1/agents/list');
  const { id: _id, version: _v, ...mineBody } = mine.body;
  const mineAgain = await send(client(), 'PATCH', `/v1/workflows/${written.workflow}`, { body: mineBody });
  // Assess
  expect(mine.body.notification_settings.on_error.webhook[0].headers).toEqual({ 'X-Token': '********' });
  expect(mine.body.orchestration_nodes.map((node: any) => node.id)).toEqual([written.node]);
  expect([mineAgain.status, mineAgain.body.orchestration_nodes?.length]).toEqual([200, 1]);
  expect(triage.body.description).toBe('deployed by 0.3.0');
  expect(triage.body.unique_name).toBe(upgrade.data.workflows.triage.id);
  expect(listed.body.items.map((item: any) => item.id)).toEqual(expect.arrayContaining([written.workflow]));
  expect(kept.status).toBe(200);
  expect(agents.body.length).toBe(listed.body.items.length);
});

test('0.2.0 verifies the audit chains 0.1.0, 0.3.0 and itself wrote', async () => {
  for (const id of [written.executor, written.workflow, upgrade.data.workflows.triage.id]) {
    // Act
    const chain = await expectStatus(client(), 200, 'GET', `/v1/audit-events?resourceId=${id}&limit=100`);
    const last = chain.body.items.at(-1);
    const verified = await expectStatus(client(), 200, 'GET', `/v1/audit-events/${last.id}/verify`);
    // Assess
    expect([id, verified.body.valid]).toEqual([id, true]);
  }
});

test('nothing 0.2.0 answered after the rollback holds a secret in clear', () => {
  // Act
  const answers = client().answers.map((answer) => answer.text);
  // Assess
  expect(answers.length).toBeGreaterThan(10);
  expect(secretsIn(answers.join('\n'))).toEqual([]);
});

test('upgrading again migrates what 0.2.0 wrote meanwhile, nothing failing', async () => {
  // Prepare
  await earlier.stop();
  // Act
  again = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: upgrade.tableName,
    apiKey: upgrade.client.apiKey,
    organizationId: upgrade.data.organizationId,
    functionsDir: fileURLToPath(new URL('../../dist/functions/', import.meta.url)),
    secretsKeyFile: upgrade.secretsKeyFile,
    eventsSinkFile: join(upgrade.work, 'events-again.ndjson'),
  });
  const triage = await expectStatus(
    clientOf(again.url, upgrade.client.apiKey),
    200,
    'GET',
    `/v1/workflows/${upgrade.data.workflows.triage.id}`,
  );
  // Assess
  expect(again.migration).toMatchObject({ status: 'complete', failed: 0 });
  expect(again.migration!.changed).toBeGreaterThan(0);
  expect(triage.body.description).toBe('kept by 0.2.0');
});
