/**
 * Concurrent writes through the real handlers against DynamoDB Local: executor PATCHes
 * never mix two bodies and concurrent renames keep names unique; workflow PATCHes of
 * different fields all land and concurrent deploys number versions without a gap.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorNameKey } from '../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../support/api.js';
import { createExecutor, getExecutor, patchExecutor } from '../support/executors.js';
import { createWorkflow, deployWorkflow, getWorkflow, patchWorkflow, workflowVersions } from '../support/workflows.js';

describe('executors', () => {
  /** A complete body whose every replaced field says it came from body number `i`. */
  const bodyNumber = (name: string, i: number) => ({
    name,
    description: `body ${i}`,
    baseUrl: `https://service-${i}.example.com`,
    endpoints: [{ name: `endpoint-${i}`, path: `/path/${i}`, method: 'POST', timeout: i + 1 }],
    authentication: { type: 'basic', config: { username: `user-${i}`, password: `pw-${i}` } },
    metadata: { writer: i },
  });

  const create = async (org: Organization, name: string) => (await createExecutor(org, { name })).body.id as string;

  /** The body number every replaced field of the stored executor came from. */
  function writersOf(executor: any): Set<string> {
    return new Set([
      executor.description.replace('body ', ''),
      executor.baseUrl.replace('https://service-', '').replace('.example.com', ''),
      executor.endpoints[0].name.replace('endpoint-', ''),
      executor.endpoints[0].path.replace('/path/', ''),
      String(executor.endpoints[0].timeout - 1),
      executor.authentication.config.username.replace('user-', ''),
      String(executor.metadata.writer),
    ]);
  }

  test('20 concurrent PATCHes: every replaced field of the final item comes from one body', async () => {
    // Prepare
    const org = await newOrganization();
    const name = `c-${randomUUID()}`;
    const id = await create(org, name);
    // Act
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patchExecutor(org, id, bodyNumber(name, i))),
    );
    // Assess
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const final = await getExecutor(org, id);
    expect(writersOf(final.body).size).toBe(1);
    expect(final.headers.etag).toBe('"21"');
  });

  test('20 concurrent renames of one executor: one body wins whole, one name claim remains', async () => {
    // Prepare
    const org = await newOrganization();
    const base = `r-${randomUUID()}`;
    const id = await create(org, base);
    // Act
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patchExecutor(org, id, bodyNumber(`${base}-${i}`, i))),
    );
    // Assess
    for (const reply of replies) {
      expect([200, 409]).toContain(reply.status);
      if (reply.status === 409) expect(reply.body.code).toBe('FLK-0350');
    }
    expect(replies.some((r) => r.status === 200)).toBe(true);
    const final = await getExecutor(org, id);
    const writers = writersOf(final.body);
    expect(writers.size).toBe(1);
    expect(final.body.name).toBe(`${base}-${[...writers][0]}`);
    const claims = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: undefined,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': executorNameKey(org.organizationId, final.body.name).pk },
      }),
    );
    expect(claims.Items).toHaveLength(1);
    for (let i = 0; i < 20; i += 1) {
      const claim = await rawItem(executorNameKey(org.organizationId, `${base}-${i}`));
      expect(claim === undefined || `${base}-${i}` === final.body.name).toBe(true);
    }
    expect(await rawItem(executorNameKey(org.organizationId, base))).toBeUndefined();
  });

  test('two concurrent renames to the same new name: exactly one wins, the other gets 409', async () => {
    // Prepare
    const org = await newOrganization();
    const first = await create(org, `a-${randomUUID()}`);
    const second = await create(org, `b-${randomUUID()}`);
    const wanted = `wanted-${randomUUID()}`;
    // Act
    const replies = await Promise.all([
      patchExecutor(org, first, bodyNumber(wanted, 1)),
      patchExecutor(org, second, bodyNumber(wanted, 2)),
    ]);
    // Assess
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(replies.find((r) => r.status === 409)?.body.code).toBe('FLK-0251');
    const winner = replies.find((r) => r.status === 200)?.body.id;
    expect((await rawItem(executorNameKey(org.organizationId, wanted)))?.executorId).toBe(winner);
  });
});

describe('workflows', () => {
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
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    // Act
    const replies = await Promise.all(
      fields.map(([field, value]) => patchWorkflow(org, created.id, { [field]: value })),
    );
    // Assess
    expect(replies.map((r) => r.status)).toEqual(fields.map(() => 200));
    const final = await getWorkflow(org, created.id);
    for (const [field, value] of fields) expect(final.body[field]).toEqual(value);
    expect(final.headers.etag).toBe('"21"');
  });

  test('10 concurrent deploys give versions N+1..N+10 exactly', async () => {
    // Prepare
    const org = await newOrganization();
    const { body: created } = await createWorkflow(org);
    // Act
    const replies = await Promise.all(Array.from({ length: 10 }, () => deployWorkflow(org, created.id)));
    // Assess
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(replies.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const history = await workflowVersions(org, created.id, { limit: '100' });
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});
