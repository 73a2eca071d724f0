/**
 * Items as 0.1.0 wrote them (test/support/earlier-items.ts), read and written by today's
 * routes before the migration reaches them (the minutes of a deploy, or a table the
 * migration has not finished): readers bring them up to date in memory, so no answer shows
 * a secret in clear or a sealed value, masked secrets are kept while they go where they
 * were stored, and a write stores the current form. The migration itself:
 * test/integration/migration.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { sealAuditEntry } from '../../functions/domain/audit.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { appendAuditEntry } from '../../functions/store/audit.js';
import {
  auditEntryKey,
  auditReceiptKey,
  executorKey,
  workflowKey,
  workflowVersionKey,
} from '../../functions/store/keys.js';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { currentFormats } from '../../functions/domain/formats.js';
import { notificationSecretContext } from '../../functions/domain/workflow/notifications.js';
import { openSecret } from '../../functions/secrets/envelope.js';
import { type Organization, newOrganization, rawItem, type Reply } from '../support/api.js';
import { earlierOidcExecutor, earlierWorkflow } from '../support/earlier-items.js';
import { getExecutor, patchExecutor } from '../support/executors.js';
import {
  addWorkflowNode,
  deployWorkflow,
  getWorkflow,
  patchWorkflow,
  removeWorkflowNode,
  seedNode,
} from '../support/workflows.js';

let org: Organization;

beforeAll(async () => {
  org = await newOrganization();
});

const oidcBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ledger',
  baseUrl: 'https://ledger.example.com/api',
  endpoints: [{ name: 'ping', path: '/ping', method: 'GET' }],
  authentication: {
    type: 'oidc_client_credentials',
    config: {
      issuer_url: 'https://login.example.com/realms/ledger',
      client_id: 'ledger-client',
      client_secret: '********',
      token_endpoint_auth_method: 'client_secret_post',
      ...overrides,
    },
  },
});

test('an executor 0.1.0 stored shows the mask, never ciphertext, for the value it sealed under a key that is no secret', async () => {
  // Prepare
  const stored = await earlierOidcExecutor(org.organizationId);
  // Act
  const shown = await getExecutor(org, stored.id);
  // Assess
  expect(shown.status).toBe(200);
  expect(shown.body.authentication.config).toMatchObject({
    client_secret: '********',
    token_endpoint_auth_method: '********',
  });
  expect(JSON.stringify(shown.body)).not.toContain('enc:v1:');
});

test('its masked secret is kept while it goes where it was stored, and the write stores the current form', async () => {
  // Prepare
  const stored = await earlierOidcExecutor(org.organizationId);
  // Act
  const patched = await patchExecutor(org, stored.id, { ...oidcBody(), name: stored.name }, { 'if-match': '"2"' });
  // Assess
  expect(patched.status).toBe(200);
  expect(patched.body.authentication.config).toMatchObject({ token_endpoint_auth_method: 'client_secret_post' });
  const item = await rawItem(executorKey(org.organizationId, stored.id));
  expect(item).toMatchObject({
    version: 3,
    secretsBoundTo: 'oidc_client_credentials https://login.example.com',
    authConfig: { token_endpoint_auth_method: '"client_secret_post"' },
  });
  expect(Object.keys(item!.authSecrets)).toEqual(['client_secret']);
  expect(item!.authSecrets.client_secret).toBe(stored.authSecrets.client_secret);
});

test('its masked secret is refused for another issuer, as for any executor, and nothing is written', async () => {
  // Prepare
  const stored = await earlierOidcExecutor(org.organizationId);
  // Act
  const moved = await patchExecutor(
    org,
    stored.id,
    { ...oidcBody({ issuer_url: 'https://evil.example.net/realms/ledger' }), name: stored.name },
    { 'if-match': '"2"' },
  );
  // Assess
  expect(moved.status).toBe(422);
  expect(moved.body.code).toBe('FLK-0275');
  expect(await rawItem(executorKey(org.organizationId, stored.id))).toEqual(
    expect.objectContaining({ version: 2, authSecrets: stored.authSecrets }),
  );
});

test('a workflow 0.1.0 stored shows its notification secrets masked, working copy and deployed version', async () => {
  // Prepare
  const stored = await earlierWorkflow(org.organizationId);
  // Act
  const working = await getWorkflow(org, stored.id);
  const first = await getWorkflow(org, stored.id, { version: '1' });
  // Assess
  for (const answer of [working, first]) {
    expect(answer.body.notification_settings.on_error.webhook[0].headers).toEqual({ Authorization: '********' });
    expect(answer.body.notification_settings.on_error.slack[0].credentials).toEqual({ token: '********' });
    expect(JSON.stringify(answer.body)).not.toContain('s3cr3t');
  }
  expect(working.body.unique_name).toBe(stored.id);
});

test('a staged change keeping every masked secret, llm_api_base unmoved, seals what 0.1.0 left in clear', async () => {
  // Prepare
  const stored = await earlierWorkflow(org.organizationId);
  const shown = await getWorkflow(org, stored.id);
  // Act
  const staged = await patchWorkflow(org, stored.id, {
    description: 'after the upgrade',
    llm_api_base: shown.body.llm_api_base,
    llm_credentials: shown.body.llm_credentials,
    notification_settings: shown.body.notification_settings,
  });
  // Assess
  expect(staged.status).toBe(200);
  const item = await rawItem(workflowKey(org.organizationId, stored.id));
  expect(JSON.stringify(item)).not.toContain('s3cr3t');
  expect(item).toMatchObject({ llmApiBaseOrigin: 'https://llm.example.com', revision: stored.revision + 1 });
  expect(Object.keys(item!.notificationSecrets).sort()).toEqual([
    '/on_error/slack/0/credentials/token',
    '/on_error/webhook/0/headers/Authorization',
  ]);
});

test('a masked credential is refused when llm_api_base moves to another origin', async () => {
  // Prepare
  const stored = await earlierWorkflow(org.organizationId);
  // Act
  const moved = await patchWorkflow(org, stored.id, {
    llm_api_base: 'https://elsewhere.example.net/v1',
    llm_credentials: { name: 'openai', value: '********' },
  });
  // Assess
  expect(moved.status).toBe(422);
  expect(moved.body.detail[0]).toMatchObject({ loc: ['body', 'llm_credentials', 'value'] });
});

test('PATCH ?deploy=true seals what 0.1.0 left in clear in the working copy and the new version alike', async () => {
  // Prepare
  const stored = await earlierWorkflow(org.organizationId);
  // Act
  const deployed = await patchWorkflow(
    org,
    stored.id,
    { description: 'deployed after the upgrade' },
    { deploy: 'true' },
  );
  // Assess
  expect(deployed.status).toBe(200);
  const working = await rawItem(workflowKey(org.organizationId, stored.id));
  const snapshot = await rawItem(workflowVersionKey(org.organizationId, stored.id, 3));
  expect(JSON.stringify([working, snapshot])).not.toContain('s3cr3t');
  expect(snapshot).toMatchObject({ formatVersion: 1 });
});

/** Gives a workflow 0.1.0 stored a graph of one node, as 0.1.0 stored it (a field of the working copy). */
async function withEarlierNode(organizationId: string, workflowId: string): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: workflowKey(organizationId, workflowId),
      UpdateExpression: 'SET #fields.#nodes = :nodes',
      ExpressionAttributeNames: { '#fields': 'fields', '#nodes': 'orchestration_nodes' },
      ExpressionAttributeValues: { ':nodes': JSON.stringify([seedNode()]) },
    }),
  );
}

const earlierWrites: [string, (workflowId: string) => Promise<Reply>][] = [
  ['a PUT deploy', (workflowId) => deployWorkflow(org, workflowId)],
  ['a rollback to a version 0.1.0 deployed', (workflowId) => deployWorkflow(org, workflowId, { from_version: '1' })],
  [
    'a node added and deployed',
    (workflowId) => addWorkflowNode(org, workflowId, { name: 'Escalate', agent_id: 'agent-escalation' }),
  ],
  [
    'a node removed and deployed',
    async (workflowId) => {
      await withEarlierNode(org.organizationId, workflowId);
      return removeWorkflowNode(org, workflowId, 'start');
    },
  ],
];

test.each(earlierWrites)(
  '%s seals what 0.1.0 left in clear, bound to its place, and writes the new version in the current format',
  async (_, write) => {
    // Prepare
    const stored = await earlierWorkflow(org.organizationId);
    // Act
    const written = await write(stored.id);
    // Assess
    expect(written.status).toBe(200);
    const working = await rawItem(workflowKey(org.organizationId, stored.id));
    const snapshot = await rawItem(workflowVersionKey(org.organizationId, stored.id, 3));
    expect(JSON.stringify([working, snapshot])).not.toContain('s3cr3t');
    expect(snapshot).toMatchObject({ formatVersion: currentFormats.workflowVersion });
    for (const item of [working!, snapshot!]) {
      const opened = await Promise.all(
        Object.entries(item.notificationSecrets as Record<string, string>).map(async ([place, sealed]) => [
          place,
          JSON.parse(await openSecret(sealed, notificationSecretContext(org.organizationId, stored.id, place))),
        ]),
      );
      expect(opened.sort()).toEqual([
        ['/on_error/slack/0/credentials/token', 'xoxb-s3cr3t'],
        ['/on_error/webhook/0/headers/Authorization', 'Bearer hook-s3cr3t'],
      ]);
    }
  },
);

test('an audit chain 0.1.0 ended (a receipt per entry, no shard position) appends no record it already holds', async () => {
  // Prepare
  const resourceId = randomUUID();
  const draftOf = (action: 'created' | 'updated', resourceVersion: number) => ({
    organizationId: org.organizationId,
    resourceType: 'executor' as const,
    resourceId,
    resourceVersion,
    action,
    actor: 'earlier',
    at: '2026-11-20T10:00:00.000Z',
    changedFields: ['name'],
    changes: { name: {} },
    stateHash: '0'.repeat(64),
    streamEventId: randomUUID(),
  });
  const first = draftOf('created', 1);
  const second = draftOf('updated', 2);
  const put = (item: Record<string, unknown>) =>
    getDocumentClient().send(new PutCommand({ TableName: tableName(), Item: item }));
  let previous: { seq: number; hash: string } | undefined;
  for (const draft of [first, second]) {
    const entry = sealAuditEntry(draft, previous);
    await put({ ...auditEntryKey(org.organizationId, resourceId, entry.seq), entity: 'auditEntry', ...entry });
    await put({
      ...auditReceiptKey(org.organizationId, resourceId, draft.streamEventId),
      entity: 'auditReceipt',
      entryId: entry.id,
    });
    previous = entry;
  }
  // Act
  const replayed = await appendAuditEntry(first, '000000000000000000100');
  const next = await appendAuditEntry(draftOf('updated', 3), '000000000000000000200');
  // Assess
  expect(replayed.outcome).toBe('duplicate');
  expect(next).toMatchObject({ outcome: 'appended', entry: { seq: 3, prevHash: previous!.hash } });
});
