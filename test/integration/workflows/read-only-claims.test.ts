/**
 * Issue 12: a `GET /v1/workflows/{id}` body PATCHed back unchanged is a 200 no-op: one
 * conditional UpdateItem that writes nothing, so the stored item, the revision (ETag),
 * `has_pending_changes` and the deployed versions all stay. Read-only response fields are
 * accepted when they say what is stored and 422 when they would change it; the keys
 * xpander's SDK derives into `instructions` are accepted and ignored; any other unknown
 * field is still 422. Through the real handlers, against DynamoDB Local.
 */
import { workflowKey, workflowVersionKey } from '../../../functions/store/keys.js';
import { countDynamoRequests, newOrganization, type Organization, rawItem } from '../../support/api.js';
import { createWorkflow, getWorkflow, patchWorkflow, seedNode, workflowVersions } from '../../support/workflows.js';

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

/** A workflow with most of what a body can hold, including a masked credential. */
const richBody = () => ({
  name: 'Serasa KYC',
  description: 'identity checks',
  icon: '🤖',
  model_provider: 'openai',
  model_name: 'gpt-5',
  llm_api_base: 'https://llm.example.com/v1',
  llm_credentials: { name: 'openai', value: 's3cr3t-sent-back' },
  llm_extra_headers: { 'x-team': 'kyc' },
  instructions: { role: ['You check identities'], goal: ['Be right', 'Be quick'], general: 'Careful.' },
  orchestration_nodes: [seedNode(), { type: 'send_to_end', definition: { message: 'done' }, next_node_ids: [] }],
  task_level_strategies: { max_runs_per_day: 100, retry_strategy: { enabled: true } },
  notification_settings: { on_error: { email: [{ to: ['ops@example.com'], subject: 'failed' }] } },
  source_nodes: [{ type: 'webhook', targets: ['start'], metadata: { path: '/kyc' } }],
  environment_id: 'production',
  pre_auth_audiences: ['api://kyc'],
});

/** What the SDK adds when it serialises `instructions` (its computed fields). */
const withSdkInstructions = (instructions: { role: string[]; goal: string[]; general: string }) => ({
  ...instructions,
  description: instructions.general,
  instructions: `<instructions>${instructions.role}</instructions>`,
  full: `<description>${instructions.general}</description>`,
  goal_str: instructions.goal.join('\n'),
});

describe('a GET body sent back unchanged', () => {
  test.each([
    ['nothing staged', false],
    ['a change staged', true],
  ])('is a 200 no-op in one request (%s): same body, same ETag, nothing stored changes', async (_case, staged) => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    if (staged) expect((await patchWorkflow(org, created.id, { description: 'staged' })).status).toBe(200);
    const read = await getWorkflow(org, created.id);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    const counter = countDynamoRequests();
    // Act
    let reply;
    try {
      reply = await patchWorkflow(org, created.id, read.body, {}, { 'If-Match': read.headers.etag });
    } finally {
      counter.stop();
    }
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(read.body);
    expect(reply.headers.etag).toBe(read.headers.etag);
    expect(counter.sent).toEqual(['UpdateItemCommand']);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
    expect((await workflowVersions(org, created.id)).body.items).toHaveLength(1);
  });

  test('with the instructions keys the SDK derives: still a no-op, and they are never stored', async () => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    const read = await getWorkflow(org, created.id);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(org, created.id, {
      ...read.body,
      instructions: withSdkInstructions(read.body.instructions),
    });
    // Assess
    expect(reply).toMatchObject({ status: 200, headers: { etag: read.headers.etag } });
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
    // Act
    const changed = await patchWorkflow(org, created.id, {
      instructions: withSdkInstructions({ role: ['r'], goal: ['g'], general: 'new' }),
    });
    // Assess
    expect(changed.body.instructions).toEqual({ role: ['r'], goal: ['g'], general: 'new' });
    expect(JSON.parse((await rawItem(workflowKey(org.organizationId, created.id)))?.fields.instructions)).toEqual({
      role: ['r'],
      goal: ['g'],
      general: 'new',
    });
  });

  test('a fresh workflow (every field at its default) sent back is a no-op too', async () => {
    // Prepare
    const { body: created, headers } = await createWorkflow(org, { name: 'bare' });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(org, created.id, created);
    // Assess
    expect(reply).toMatchObject({ status: 200, headers: { etag: headers.etag } });
    expect(reply.body).toEqual(created);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test('with one field edited: only that field changes, staged, revision + 1', async () => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    const read = await getWorkflow(org, created.id);
    // Act
    const reply = await patchWorkflow(org, created.id, { ...read.body, description: 'edited' });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ...read.body, description: 'edited', has_pending_changes: true, is_latest: false });
    expect(reply.headers.etag).toBe('"2"');
  });

  test('and deployed (deploy=true): a new version with the same content', async () => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    const read = await getWorkflow(org, created.id);
    // Act
    const reply = await patchWorkflow(org, created.id, read.body, { deploy: 'true' });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ...read.body, version: 2 });
    expect((await rawItem(workflowVersionKey(org.organizationId, created.id, 2)))?.fields).toEqual(
      (await rawItem(workflowVersionKey(org.organizationId, created.id, 1)))?.fields,
    );
  });
});

describe('read-only fields that would change what is stored or shown: 422 at the field, nothing written', () => {
  test.each([
    ['id', '00000000-0000-4000-8000-000000000000'],
    ['webhook_url', 'https://elsewhere.example/invoke'],
    ['unique_name', 'another-name'],
    ['version', 7],
    ['is_latest', false],
    ['has_pending_changes', true],
    ['created_at', '2020-01-01T00:00:00.000Z'],
    ['created_by', 'someone else'],
    ['framework', 'langchain'],
    ['agno_settings', { session_storage: false }],
    ['tools', [{ id: 't' }]],
    ['deletable', null],
  ])('%s', async (field, value) => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    const read = await getWorkflow(org, created.id);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const staged = await patchWorkflow(org, created.id, { ...read.body, description: 'changed', [field]: value });
    const deployed = await patchWorkflow(
      org,
      created.id,
      { ...read.body, description: 'changed', [field]: value },
      { deploy: 'true' },
    );
    // Assess
    for (const reply of [staged, deployed]) {
      expect(reply.status).toBe(422);
      expect(reply.body.detail).toEqual([
        expect.objectContaining({
          type: 'value_error',
          loc: ['body', field],
          msg: expect.stringContaining(`${field} is read-only: it is ${JSON.stringify(read.body[field])} here`),
        }),
      ]);
    }
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test('an older deployed version sent back states an old version: 422 on version and is_latest', async () => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    await patchWorkflow(org, created.id, { description: 'v2' }, { deploy: 'true' });
    const version1 = await getWorkflow(org, created.id, { version: '1' });
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(org, created.id, version1.body);
    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ['body', 'version'],
      ['body', 'is_latest'],
    ]);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  });

  test('any other unknown field is still 422 extra_forbidden, in the body and in instructions', async () => {
    // Prepare
    const { body: created } = await createWorkflow(org, richBody());
    const read = await getWorkflow(org, created.id);
    // Act
    const topLevel = await patchWorkflow(org, created.id, { ...read.body, colour: 'red' });
    const nested = await patchWorkflow(org, created.id, { instructions: { ...read.body.instructions, tone: 'dry' } });
    // Assess
    expect(topLevel.body.detail).toEqual([
      expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'colour'] }),
    ]);
    expect(nested.body.detail).toEqual([
      expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'instructions', 'tone'] }),
    ]);
  });
});
