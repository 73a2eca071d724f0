/**
 * Secrets never rest in clear, answers mask them, and a masked value sent back keeps the
 * stored secret: executor authentication secrets and workflow LLM credentials, through
 * the real handlers against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { secretContext } from '../../functions/domain/executor/model.js';
import { openSecret } from '../../functions/secrets/envelope.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey, workflowKey } from '../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../support/api.js';
import { completeExecutorBody, createExecutor, getExecutor, patchExecutor } from '../support/executors.js';
import { createWorkflow, patchWorkflow } from '../support/workflows.js';

/** Every item of the table, page after page: DynamoDB ends a Scan page at 1 MB, and the table is shared. */
async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await getDocumentClient().send(
      new ScanCommand({ TableName: tableName(), ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

describe('executor authentication secrets', () => {
  let org: Organization;
  beforeAll(async () => {
    org = await newOrganization();
  });

  /** A complete configuration with this authentication block. */
  const body = (name: string, authentication: unknown) => ({ ...completeExecutorBody(name), authentication });

  test('no secret of any authentication type is stored in clear', async () => {
    // Prepare
    const marker = `s3cr3t-${randomUUID()}`;
    const auths = [
      { type: 'api_key', config: { key: `${marker}-key` } },
      { type: 'bearer', config: { token: `${marker}-token` } },
      { type: 'basic', config: { username: 'u', password: `${marker}-password` } },
      {
        type: 'oidc_client_credentials',
        config: { issuer_url: 'https://idp.example.com', client_id: 'c', client_secret: `${marker}-client-secret` },
      },
      {
        type: 'oidc_user',
        config: {
          issuer_url: 'https://idp.example.com',
          client_id: 'c',
          username: 'u',
          password: `${marker}-user-password`,
          client_secret: `${marker}-cs`,
        },
      },
    ];
    // Act
    const replies = [];
    for (const authentication of auths)
      replies.push(await createExecutor(org, body(`n-${randomUUID()}`, authentication)));
    // Assess
    expect(replies.map((reply) => reply.status)).toEqual(auths.map(() => 201));
    const items = await everyItem();
    const read = new Set(items.map((item) => `${item.pk} ${item.sk}`));
    for (const reply of replies) {
      const { pk, sk } = executorKey(org.organizationId, reply.body.id);
      expect(read).toContain(`${pk} ${sk}`);
    }
    expect(JSON.stringify(items)).not.toContain(marker);
  });

  test('GET → edit → PATCH with the masked secret keeps the stored secret', async () => {
    // Prepare
    const created = await createExecutor(
      org,
      body(`keep-${randomUUID()}`, { type: 'basic', config: { username: 'u', password: 's3cr3t-original-pw' } }),
    );
    const id = created.body.id;
    const fetched = await getExecutor(org, id);
    expect(fetched.body.authentication.config).toEqual({ username: 'u', password: '********' });
    const edited = {
      ...body(fetched.body.name, {
        ...fetched.body.authentication,
        config: { ...fetched.body.authentication.config, username: 'v' },
      }),
    };
    // Act
    const reply = await patchExecutor(org, id, edited);
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.authentication.config).toEqual({ username: 'v', password: '********' });
    const item = await rawItem(executorKey(org.organizationId, id));
    await expect(
      openSecret(item?.authSecrets.password, secretContext(org.organizationId, id, 'password')),
    ).resolves.toBe('s3cr3t-original-pw');
  });

  test('a new secret replaces the stored one; a secret no longer sent is removed', async () => {
    // Prepare
    const created = await createExecutor(
      org,
      body(`swap-${randomUUID()}`, { type: 'basic', config: { username: 'u', password: 'old' } }),
    );
    const id = created.body.id;
    // Act
    await patchExecutor(
      org,
      id,
      body(created.body.name, { type: 'basic', config: { username: 'u', password: 'new' } }),
    );
    // Assess
    let item = await rawItem(executorKey(org.organizationId, id));
    await expect(
      openSecret(item?.authSecrets.password, secretContext(org.organizationId, id, 'password')),
    ).resolves.toBe('new');
    // Act
    const switched = await patchExecutor(
      org,
      id,
      body(created.body.name, { type: 'bearer', config: { token: 'tok' } }),
    );
    // Assess
    expect(switched.body.authentication.config).toEqual({ token: '********' });
    item = await rawItem(executorKey(org.organizationId, id));
    expect(Object.keys(item?.authSecrets)).toEqual(['token']);
  });

  test('the mask with nothing stored is 422 FLK-0275 and nothing is written', async () => {
    // Prepare
    const created = await createExecutor(org, body(`none-${randomUUID()}`, { type: 'none' }));
    const before = await rawItem(executorKey(org.organizationId, created.body.id));
    // Act
    const reply = await patchExecutor(
      org,
      created.body.id,
      body(created.body.name, { type: 'bearer', config: { token: '********' } }),
    );
    const masked = await createExecutor(
      org,
      body(`masked-${randomUUID()}`, { type: 'bearer', config: { token: '********' } }),
    );
    // Assess
    expect(reply).toMatchObject({
      status: 422,
      body: { code: 'FLK-0275', fields: { '/authentication/config/token': expect.any(String) } },
    });
    expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
    expect(masked.status).toBe(422);
  });

  test('the mask survives a rename too', async () => {
    // Prepare
    const created = await createExecutor(
      org,
      body(`rn-${randomUUID()}`, { type: 'bearer', config: { token: 's3cr3t-keep-me' } }),
    );
    // Act
    const reply = await patchExecutor(
      org,
      created.body.id,
      body(`${created.body.name}-2`, { type: 'bearer', config: { token: '********' } }),
    );
    // Assess
    expect(reply.status).toBe(200);
    expect((await getExecutor(org, created.body.id)).body).toEqual(reply.body);
    const item = await rawItem(executorKey(org.organizationId, created.body.id));
    await expect(
      openSecret(item?.authSecrets.token, secretContext(org.organizationId, created.body.id, 'token')),
    ).resolves.toBe('s3cr3t-keep-me');
  });
});

describe('workflow LLM credentials', () => {
  test('llm_credentials.value is sealed at rest, masked in responses, and the mask keeps it', async () => {
    // Prepare
    const org = await newOrganization();
    const secret = 'sk-live-llm-0123456789';
    // Act
    const { body: created } = await createWorkflow(org, {
      name: 'wf',
      llm_credentials: { name: 'openai', value: secret, description: 'prod' },
    });
    // Assess
    expect(created.llm_credentials).toEqual({ name: 'openai', value: '********', description: 'prod' });
    const stored = await rawItem(workflowKey(org.organizationId, created.id));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.llmCredentialsValue).toMatch(/^enc:v1:/);
    // Act
    const kept = await patchWorkflow(
      org,
      created.id,
      { llm_credentials: { name: 'openai-2', value: '********' } },
      { deploy: 'true' },
    );
    // Assess
    expect(kept.status).toBe(200);
    const after = await rawItem(workflowKey(org.organizationId, created.id));
    expect(after?.llmCredentialsValue).toBe(stored?.llmCredentialsValue);
    expect(kept.body.llm_credentials).toEqual({ name: 'openai-2', value: '********', description: null });
    // Act
    const fresh = await createWorkflow(org);
    const refused = await patchWorkflow(org, fresh.body.id, { llm_credentials: { name: 'x', value: '********' } });
    const bad = await patchWorkflow(org, created.id, { llm_credentials: { name: 'x', value: secret, extra: 1 } });
    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'llm_credentials', 'value']);
    expect(JSON.stringify(bad.body)).not.toContain(secret);
  });
});
