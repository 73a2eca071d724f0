/**
 * The workflow routes through the real handlers, with API Gateway events, against
 * DynamoDB Local: staged vs deployed, rollback, versions, delete, If-Match, secrets,
 * organization scoping, request counts and concurrency.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createHandler } from '../../functions/workflows/create.js';
import { handler as deleteHandler } from '../../functions/workflows/delete.js';
import { handler as deployHandler } from '../../functions/workflows/deploy.js';
import { handler as getHandler } from '../../functions/workflows/get.js';
import { handler as listHandler } from '../../functions/workflows/list.js';
import { handler as updateHandler } from '../../functions/workflows/update.js';
import { handler as versionsHandler } from '../../functions/workflows/versions.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { workflowKey } from '../../functions/store/keys.js';
import { workflowListResponse, workflowVersionsResponse, workflowDeletedResponse } from '../../schemas/workflow.js';
import { countDynamoRequests, httpApiEvent, invoke, lambdaContext, newOrganization, rawItem, restEvent, sqsEvent } from '../support/api.js';
import { assertWorkflowReply } from '../support/schemas.js';

type Org = { organizationId: string; apiKey: string };

const headersFor = (org: Org, extra: Record<string, string> = {}) => ({ 'x-api-key': org.apiKey, ...extra });

export async function createWorkflow(org: Org, body: unknown = { name: `wf-${randomUUID()}` }) {
  const reply = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/workflows', headers: headersFor(org), body }));
  assertWorkflowReply(reply);
  return reply;
}

export async function patchWorkflow(org: Org, id: string, body: unknown, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const reply = await invoke(
    updateHandler,
    restEvent({ method: 'PATCH', path: `/v1/workflows/${id}`, pathParameters: { workflow_id: id }, query, headers: headersFor(org, headers), body }),
  );
  assertWorkflowReply(reply);
  return reply;
}

async function deploy(org: Org, id: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const reply = await invoke(
    deployHandler,
    restEvent({ method: 'PUT', path: `/v1/workflows/${id}`, pathParameters: { workflow_id: id }, query, headers: headersFor(org, headers) }),
  );
  assertWorkflowReply(reply);
  return reply;
}

async function getWorkflow(org: Org, id: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const reply = await invoke(
    getHandler,
    restEvent({ method: 'GET', path: `/v1/workflows/${id}`, pathParameters: { workflow_id: id }, query, headers: headersFor(org, headers) }),
  );
  assertWorkflowReply(reply);
  return reply;
}

async function versions(org: Org, id: string, query: Record<string, string> = {}) {
  const reply = await invoke(
    versionsHandler,
    restEvent({ method: 'GET', path: `/v1/workflows/${id}/versions`, pathParameters: { workflow_id: id }, query, headers: headersFor(org) }),
  );
  assertWorkflowReply(reply, workflowVersionsResponse);
  return reply;
}

/** The seed's own node example, made a valid graph: a custom_function with `{code}`. */
const seedNode = () => ({
  type: 'custom_function',
  definition: { code: 'return input' },
  id: 'start',
  next_node_ids: [],
  name: 'Start',
  description: 'first node',
  condition: null,
  retry_strategy: { enabled: false, max_retries: 3 },
  iterative_strategy: { enabled: false, max_iterations: 3, end_condition: { type: 'regex', term: '^done$', path: null, value: null } },
  stop_strategy: { enabled: false, stop_on_failure: true, stop_on_condition: { type: 'contains', term: 'stop' } },
  input_type: 'text',
  input_schema: {},
  input_instructions: 'Take the input as is',
  agentic_context_input_instructions: 'none',
  agentic_context_output_instructions: 'none',
  return_this: false,
});

describe('POST /v1/workflows', () => {
  test('creates a workflow deployed as version 1, every response field at its documented default', async () => {
    // Prepare
    const org = await newOrganization();
    // Act
    const reply = await createWorkflow(org, { name: 'Support triage' });
    // Assess
    expect(reply.status).toBe(201);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({
      name: 'Support triage',
      organization_id: org.organizationId,
      type: 'orchestration',
      version: 1,
      is_latest: true,
      has_pending_changes: false,
      icon: '🚀',
      avatar: 'male-avatar',
      model_provider: 'anthropic',
      model_name: 'claude-sonnet-4-6',
      llm_reasoning_effort: 'medium',
      output_format: 'markdown',
      framework: 'agno',
      status: 'ACTIVE',
      description: '',
      deployment_type: 'serverless',
      access_scope: 'personal',
      llm_credentials_key_type: 'xpander',
      instructions: { role: [], goal: [], general: '' },
      orchestration_nodes: [],
      created_by: 'test',
    });
    expect(reply.body.webhook_url).toMatch(new RegExp(`/v1/workflows/${reply.body.id}/invoke$`));
    const snapshots = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': workflowKey(org.organizationId, reply.body.id).pk, ':v': 'VERSION#' },
      }),
    );
    expect(snapshots.Items?.map((item) => item.version)).toEqual([1]);
  });

  test('requires a name, refuses another type and unknown fields (FastAPI 422, every problem)', async () => {
    const org = await newOrganization();
    const reply = await invoke(
      createHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers: headersFor(org), body: { type: 'manager', colour: 'red', status: 'ON' } }),
    );
    assertWorkflowReply(reply);
    expect(reply.status).toBe(422);
    const found = reply.body.detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['missing', ['body', 'name']],
        ['extra_forbidden', ['body', 'colour']],
        ['enum', ['body', 'type']],
        ['enum', ['body', 'status']],
      ]),
    );
  });
});

describe('PATCH /v1/workflows/{workflow_id}', () => {
  test('deploy=false stages on the working copy: has_pending_changes, version unchanged, deployed snapshot untouched', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'v1 name', description: 'first' });
    // Act
    const staged = await patchWorkflow(org, created.id, { name: 'staged name', instructions: { role: ['triage'], goal: [], general: 'be brief' } });
    // Assess
    expect(staged.status).toBe(200);
    expect(staged.body).toMatchObject({ name: 'staged name', description: 'first', version: 1, has_pending_changes: true, is_latest: false });
    expect(staged.body.instructions).toEqual({ role: ['triage'], goal: [], general: 'be brief' });
    expect(staged.headers.etag).toBe('"2"');
    const deployed = await getWorkflow(org, created.id, { version: '1' });
    expect(deployed.body).toMatchObject({ name: 'v1 name', version: 1, is_latest: true });
    const working = await getWorkflow(org, created.id);
    expect(working.body).toMatchObject({ name: 'staged name', version: 1, has_pending_changes: true });
  });

  test('deploy=true freezes the merged working copy as version N+1', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf', description: 'kept' });
    await patchWorkflow(org, created.id, { model_name: 'gpt-5' });
    const reply = await patchWorkflow(org, created.id, { output_format: 'json' }, { deploy: 'true' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ version: 2, has_pending_changes: false, is_latest: true, model_name: 'gpt-5', output_format: 'json', description: 'kept' });
    const v2 = await getWorkflow(org, created.id, { version: '2' });
    expect(v2.body).toMatchObject({ version: 2, is_latest: true, model_name: 'gpt-5', output_format: 'json' });
    const v1 = await getWorkflow(org, created.id, {}, { 'x-agent-version': '1' });
    expect(v1.body).toMatchObject({ version: 1, is_latest: false, model_name: 'claude-sonnet-4-6', output_format: 'markdown' });
  });

  test('a body naming only what cannot change (type, own organization) is a valid no-op edit', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf' });
    const reply = await patchWorkflow(org, created.id, { type: 'orchestration', organization_id: org.organizationId });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'wf', type: 'orchestration', organization_id: org.organizationId });
  });

  test('null returns a field to its documented default; name cannot be cleared', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'wf', icon: '🤖', model_provider: 'openai' });
    const cleared = await patchWorkflow(org, created.id, { icon: null, model_provider: null });
    expect(cleared.body).toMatchObject({ icon: '🚀', model_provider: 'anthropic' });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    const refused = await patchWorkflow(org, created.id, { name: null });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'name']);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test.each([
    ['empty body', undefined, 'missing'],
    ['{}', {}, 'too_short'],
    ['type other than orchestration', { type: 'regular' }, 'enum'],
    ['unknown property', { name: 'x', colour: 'red' }, 'extra_forbidden'],
    ['bad enum', { llm_reasoning_effort: 'extreme' }, 'enum'],
    ['organization_id of another organization', { organization_id: 'someone-else' }, 'value_error'],
    ['max_retries out of range', { task_level_strategies: { retry_strategy: { enabled: true, max_retries: 101 } } }, 'less_than_equal'],
    ['empty selectors', { task_level_strategies: { duplication_prevention: { selectors: [] } } }, 'too_short'],
    ['ttl_minutes 0', { task_level_strategies: { duplication_prevention: { selectors: ['a.b'], ttl_minutes: 0 } } }, 'greater_than_equal'],
  ])('%s → 422 %s, nothing written', async (_label, body, type) => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    const reply = await patchWorkflow(org, created.id, body);
    expect(reply.status).toBe(422);
    expect(reply.body.detail.map((d: { type: string }) => d.type)).toContain(type);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test('path, query and JSON problems are 422 with their locations; over 1 MiB is 413', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const badId = await invoke(updateHandler, restEvent({ method: 'PATCH', path: '/v1/workflows/nope', pathParameters: { workflow_id: 'nope' }, headers: headersFor(org), body: { name: 'x' } }));
    expect(badId.status).toBe(422);
    expect(badId.body.detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'workflow_id'] });
    const badDeploy = await patchWorkflow(org, created.id, { name: 'x' }, { deploy: 'maybe' });
    expect(badDeploy.status).toBe(422);
    expect(badDeploy.body.detail[0]).toMatchObject({ type: 'bool_parsing', loc: ['query', 'deploy'], input: 'maybe' });
    const notJson = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id }, headers: headersFor(org), rawBody: '{"name": ' }));
    expect(notJson.status).toBe(422);
    expect(notJson.body.detail[0].type).toBe('json_invalid');
    const huge = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id }, headers: headersFor(org), body: { description: 'x'.repeat(1024 * 1024) } }));
    expect(huge.status).toBe(413);
    assertWorkflowReply(huge);
  });

  test('another organization gets 404 {"detail":"Workflow not found"}; no key gets 401', async () => {
    const owner = await newOrganization();
    const stranger = await newOrganization();
    const { body: created } = await createWorkflow(owner);
    const before = await rawItem(workflowKey(owner.organizationId, created.id));
    const reply = await patchWorkflow(stranger, created.id, { name: 'stolen' }, { deploy: 'true' });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ detail: 'Workflow not found' });
    expect((await getWorkflow(stranger, created.id)).status).toBe(404);
    const noKey = await invoke(getHandler, restEvent({ method: 'GET', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id } }));
    expect(noKey.status).toBe(401);
    expect(typeof noKey.body.detail).toBe('string');
    expect(await rawItem(workflowKey(owner.organizationId, created.id))).toEqual(before);
  });

  test('a stale If-Match is 412 and writes nothing, staged or deployed', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    await patchWorkflow(org, created.id, { description: 'moved on' });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    expect((await patchWorkflow(org, created.id, { name: 'x' }, {}, { 'if-match': '"1"' })).status).toBe(412);
    expect((await patchWorkflow(org, created.id, { name: 'x' }, { deploy: 'true' }, { 'if-match': '"1"' })).status).toBe(412);
    expect((await deploy(org, created.id, {}, { 'if-match': '"1"' })).status).toBe(412);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
    const fresh = await patchWorkflow(org, created.id, { name: 'x' }, {}, { 'if-match': '"2"' });
    expect(fresh.status).toBe(200);
  });

  test('llm_credentials.value is sealed at rest, masked in responses, and the mask keeps it', async () => {
    const org = await newOrganization();
    const secret = 'sk-live-llm-0123456789';
    const { body: created } = await createWorkflow(org, { name: 'wf', llm_credentials: { name: 'openai', value: secret, description: 'prod' } });
    expect(created.llm_credentials).toEqual({ name: 'openai', value: '********', description: 'prod' });
    const stored = await rawItem(workflowKey(org.organizationId, created.id));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.llmCredentialsValue).toMatch(/^enc:v1:/);
    const kept = await patchWorkflow(org, created.id, { llm_credentials: { name: 'openai-2', value: '********' } }, { deploy: 'true' });
    expect(kept.status).toBe(200);
    const after = await rawItem(workflowKey(org.organizationId, created.id));
    expect(after?.llmCredentialsValue).toBe(stored?.llmCredentialsValue);
    expect(kept.body.llm_credentials).toEqual({ name: 'openai-2', value: '********', description: null });
    const fresh = await createWorkflow(org);
    const refused = await patchWorkflow(org, fresh.body.id, { llm_credentials: { name: 'x', value: '********' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'llm_credentials', 'value']);
    const bad = await patchWorkflow(org, created.id, { llm_credentials: { name: 'x', value: secret, extra: 1 } });
    expect(JSON.stringify(bad.body)).not.toContain(secret);
  });

  test('one DynamoDB request to stage, two to deploy (key cached)', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    await getWorkflow(org, created.id);
    const counter = countDynamoRequests();
    try {
      counter.reset();
      expect((await patchWorkflow(org, created.id, { description: 'staged' })).status).toBe(200);
      expect(counter.sent).toEqual(['UpdateItemCommand']);
      counter.reset();
      expect((await patchWorkflow(org, created.id, { description: 'deployed' }, { deploy: 'true' })).status).toBe(200);
      expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
      counter.reset();
      expect((await deploy(org, created.id)).status).toBe(200);
      expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
      counter.reset();
      expect((await deploy(org, created.id, { from_version: '1' })).status).toBe(200);
      expect(counter.sent).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
      counter.reset();
      expect((await patchWorkflow(org, randomUUID(), { description: 'x' })).status).toBe(404);
      expect(counter.sent).toEqual(['UpdateItemCommand']);
    } finally {
      counter.stop();
    }
  });

  test('a v2 (HTTP API) event works the same', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const reply = await invoke(
      updateHandler,
      httpApiEvent({ method: 'PATCH', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id }, query: { deploy: 'True' }, headers: headersFor(org), body: { name: 'via v2' } }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'via v2', version: 2 });
  });
});

describe('deploy, rollback, versions, list, delete', () => {
  test('PUT deploys the working copy; from_version rolls back as a new version', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org, { name: 'original', llm_credentials: { name: 'k', value: 'first-secret-value' } });
    await patchWorkflow(org, created.id, { name: 'second', orchestration_nodes: [seedNode()], llm_credentials: null });
    const v2 = await deploy(org, created.id);
    expect(v2.body).toMatchObject({ version: 2, name: 'second', has_pending_changes: false, llm_credentials: null });
    expect(v2.body.orchestration_nodes).toHaveLength(1);
    await patchWorkflow(org, created.id, { name: 'staged, then discarded' });
    const v3 = await deploy(org, created.id, { from_version: '1' });
    expect(v3.body).toMatchObject({ version: 3, name: 'original', orchestration_nodes: [], has_pending_changes: false, is_latest: true });
    expect(v3.body.llm_credentials).toEqual({ name: 'k', value: '********', description: null });
    const history = await versions(org, created.id);
    expect(history.body.items.map((v: { version: number; is_latest: boolean }) => [v.version, v.is_latest])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    const page = await versions(org, created.id, { limit: '2' });
    expect(page.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    const rest = await versions(org, created.id, { limit: '2', next: page.body.next });
    expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(rest.body.next).toBeNull();
    expect((await versions(org, created.id, { limit: '3' })).body.next).toBeNull();
    expect((await deploy(org, created.id, { from_version: '9' })).status).toBe(404);
  });

  test('GET /v1/workflows lists only the caller organization, paged by an opaque cursor', async () => {
    const org = await newOrganization();
    const other = await newOrganization();
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await createWorkflow(org, { name: `wf-${i}` })).body.id);
    await createWorkflow(other);
    const list = async (query: Record<string, string>) => {
      const reply = await invoke(listHandler, restEvent({ method: 'GET', path: '/v1/workflows', query, headers: headersFor(org) }));
      assertWorkflowReply(reply, workflowListResponse);
      return reply;
    };
    const first = await list({ limit: '2' });
    const second = await list({ limit: '2', next: first.body.next });
    expect([...first.body.items, ...second.body.items].map((w: { id: string }) => w.id)).toEqual(ids);
    expect(second.body.next).toBeNull();
    expect((await list({ limit: '3' })).body.next).toBeNull();
    const forged = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: `ORG#${other.organizationId}#WORKFLOWS`, gsi1sk: 'z' })).toString('base64url');
    const refused = await list({ next: forged });
    expect(refused.status).toBe(422);
    expect((await list({ limit: '0' })).status).toBe(422);
  });

  test('DELETE answers 202; afterwards 404 everywhere and every snapshot is gone', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    await deploy(org, created.id);
    const reply = await invoke(deleteHandler, restEvent({ method: 'DELETE', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id }, headers: headersFor(org) }));
    assertWorkflowReply(reply, workflowDeletedResponse);
    expect(reply.status).toBe(202);
    expect((await getWorkflow(org, created.id)).status).toBe(404);
    expect((await getWorkflow(org, created.id, { version: '1' })).status).toBe(404);
    expect((await versions(org, created.id)).status).toBe(404);
    expect((await deploy(org, created.id)).status).toBe(404);
    expect((await patchWorkflow(org, created.id, { name: 'x' })).status).toBe(404);
    const left = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': workflowKey(org.organizationId, created.id).pk },
      }),
    );
    expect(left.Items?.map((item) => item.sk)).toEqual(['TOMBSTONE']);
    const again = await invoke(deleteHandler, restEvent({ method: 'DELETE', path: `/v1/workflows/${created.id}`, pathParameters: { workflow_id: created.id }, headers: headersFor(org) }));
    expect(again.status).toBe(404);
  });
});

describe('concurrency', () => {
  const fields: [string, unknown][] = [
    ['name', 'n'],
    ['description', 'd'],
    ['icon', '🤖'],
    ['avatar', 'robot'],
    ['status', 'INACTIVE'],
    ['model_provider', 'openai'],
    ['model_name', 'gpt-5'],
    ['llm_reasoning_effort', 'high'],
    ['llm_api_base', 'https://llm.example.com/v1'],
    ['llm_credentials_key', 'key-ref'],
    ['llm_credentials_key_type', 'custom'],
    ['expected_output', 'a summary'],
    ['output_format', 'json'],
    ['environment_id', 'env-1'],
    ['using_nemo', true],
    ['prompts_caching_enabled', true],
    ['on_prem_event_streaming', false],
    ['use_oidc_pre_auth', true],
    ['oidc_pre_auth_token_llm_audience', 'llm-aud'],
    ['oidc_pre_auth_token_mcp_audience', 'mcp-aud'],
  ];

  test('20 concurrent PATCHes of different fields keep all 20 changes', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const replies = await Promise.all(fields.map(([field, value]) => patchWorkflow(org, created.id, { [field]: value })));
    expect(replies.map((r) => r.status)).toEqual(fields.map(() => 200));
    const final = await getWorkflow(org, created.id);
    for (const [field, value] of fields) expect(final.body[field]).toEqual(value);
    expect(final.headers.etag).toBe('"21"');
  });

  test('10 concurrent deploys give versions N+1..N+10 exactly', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const replies = await Promise.all(Array.from({ length: 10 }, () => deploy(org, created.id)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(replies.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const history = await versions(org, created.id, { limit: '100' });
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('commands without HTTP', () => {

  test('a direct invoke stages or deploys exactly like the HTTP route; errors come back typed', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const command = (body: unknown, query: Record<string, string> = {}) => ({
      organizationId: org.organizationId,
      params: { workflow_id: created.id },
      query,
      body,
      actor: 'scheduler',
    });
    const staged = await updateHandler(command({ description: 'from a command' }), lambdaContext());
    expect(staged).toMatchObject({ description: 'from a command', has_pending_changes: true, version: 1 });
    const deployed = await deployHandler({ organizationId: org.organizationId, params: { workflow_id: created.id } }, lambdaContext());
    expect(deployed).toMatchObject({ version: 2, has_pending_changes: false });
    const refused = await updateHandler(command({ orchestration_nodes: [{ type: 'code', id: 'a', definition: { code: 'x' }, next_node_ids: ['a'] }] }), lambdaContext());
    expect(refused).toMatchObject({ error: true, status: 422 });
    expect(refused.violations[0].loc).toEqual(['body', 'orchestration_nodes', 0, 'next_node_ids', 0]);
    const v2 = await versions(org, created.id);
    expect(v2.body.items[0]).toMatchObject({ version: 2, deployed_by: 'lambda:invoke' });
  });

  test('an SQS batch reports no refused record (never retried); the good one lands', async () => {
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    const good = JSON.stringify({ organizationId: org.organizationId, params: { workflow_id: created.id }, body: { icon: '🛰️' } });
    const bad = JSON.stringify({ organizationId: org.organizationId, params: { workflow_id: created.id }, body: { icon: 7 } });
    const event = sqsEvent([good, bad, 'not json']);
    const result = await updateHandler(event, lambdaContext());
    expect(result.batchItemFailures).toEqual([]);
    expect((await getWorkflow(org, created.id)).body.icon).toBe('🛰️');
  });
});
