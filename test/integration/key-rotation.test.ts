/**
 * Data key rotation as a deployment does it (dataKeyGeneration: N → N+1): the new wrapped
 * key becomes DATA_KEY_CIPHERTEXT and the old one moves to DATA_KEYS_PREVIOUS. Through the
 * real handlers on DynamoDB Local, with a stand-in KMS on 127.0.0.1 (AWS_ENDPOINT_URL_KMS)
 * unwrapping both: a secret sealed under the old key still opens after the rotation, and
 * the next write that keeps it (the masked value sent back) stores it sealed under the new
 * key — executors (also on a rename, and once only), workflow credentials and notification
 * secrets (staged, and deployed with the snapshot). A PATCH that changes nothing writes nothing, so it re-seals
 * nothing either: the next one that changes something does.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { handler as createWorkflowHandler } from '../../functions/workflows/create.js';
import { handler as updateWorkflowHandler } from '../../functions/workflows/update.js';
import { secretContext } from '../../functions/domain/executor/model.js';
import { credentialContext } from '../../functions/domain/workflow/model.js';
import { notificationSecretContext } from '../../functions/domain/workflow/notifications.js';
import { openSecret } from '../../functions/secrets/envelope.js';
import { executorKey, workflowKey, workflowVersionKey } from '../../functions/store/keys.js';
import { countDynamoRequests, invoke, newOrganization, rawItem, restEvent } from '../support/api.js';

/** The stand-in KMS: Decrypt of the wrapped keys it made. */
const plaintexts = new Map([
  ['wrapped-generation-1', randomBytes(32)],
  ['wrapped-generation-2', randomBytes(32)],
]);
const decrypts: string[] = [];
let server: Server;
const saved = { ...process.env };
/** The id an envelope records for a wrapped key (functions/secrets/keyring.ts). */
const keyIdOf = (wrapped: string) => createHash('sha256').update(wrapped).digest('hex').slice(0, 12);

let org: Awaited<ReturnType<typeof newOrganization>>;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const blob = (JSON.parse(body) as { CiphertextBlob: string }).CiphertextBlob;
      decrypts.push(blob);
      const key = plaintexts.get(blob);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!key) response.writeHead(400).end(JSON.stringify({ __type: 'InvalidCiphertextException' }));
      else response.writeHead(200).end(JSON.stringify({ Plaintext: key.toString('base64') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'rotation-test-secret',
  });
  org = await newOrganization();
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

/** The environment of generation `n` (what the stack gives the secret-handling functions). */
function deployGeneration(n: 1 | 2): void {
  process.env.DATA_KEY_CIPHERTEXT = `wrapped-generation-${n}`;
  if (n === 1) delete process.env.DATA_KEYS_PREVIOUS;
  else process.env.DATA_KEYS_PREVIOUS = 'wrapped-generation-1';
}

const body = (name: string, password: string, description?: string) => ({
  name,
  ...(description === undefined ? {} : { description }),
  baseUrl: 'https://idp.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication: { type: 'basic', config: { username: 'u', password } },
});
const create = (payload: unknown) =>
  invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: payload }),
  );
const patch = (id: string, payload: unknown) =>
  invoke(
    updateHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers: { 'X-API-Key': org.apiKey },
      body: payload,
    }),
  );
const storedPassword = async (id: string) =>
  (await rawItem(executorKey(org.organizationId, id)))?.authSecrets.password as string;
const open = (id: string, sealed: string) => openSecret(sealed, secretContext(org.organizationId, id, 'password'));

test.each([
  ['the same name', false],
  ['a rename', true],
])(
  'a secret sealed before the rotation opens after it, and a PATCH keeping it (%s) re-seals it under the new key',
  async (_case, rename) => {
    // Prepare: sealed under generation 1
    deployGeneration(1);
    const created = await create(body(`rot-${randomUUID()}`, 's3cr3t-before-rotation'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = await storedPassword(id);
    expect(before.startsWith(`enc:v1:${keyIdOf('wrapped-generation-1')}:`)).toBe(true);

    // Act: rotate, read, then write with the masked secret
    deployGeneration(2);
    const readable = await open(id, before);
    const name = rename ? `${created.body.name}-renamed` : created.body.name;
    const counter = countDynamoRequests();
    let reply: Awaited<ReturnType<typeof patch>>;
    try {
      reply = await patch(id, body(name, '********', 'after the rotation'));
    } finally {
      counter.stop();
    }

    // Assess
    expect(readable).toBe('s3cr3t-before-rotation');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name, authentication: { config: { username: 'u', password: '********' } } });
    expect(reply.headers.etag).toBe('"2"');
    // The write that finds the old envelope, the write of the re-sealed one (on a rename: finding the new name), then
    // the rename's transaction.
    expect(counter.sent).toEqual([
      'UpdateItemCommand',
      'UpdateItemCommand',
      ...(rename ? ['TransactWriteItemsCommand'] : []),
    ]);
    const after = await storedPassword(id);
    expect(after.startsWith(`enc:v1:${keyIdOf('wrapped-generation-2')}:`)).toBe(true);
    await expect(open(id, after)).resolves.toBe('s3cr3t-before-rotation');
    // Sealed under generation 2 only: a keyring without generation 1 opens it too.
    delete process.env.DATA_KEYS_PREVIOUS;
    await expect(open(id, after)).resolves.toBe('s3cr3t-before-rotation');
  },
);

test('once re-sealed, the next masked PATCH that changes something keeps the stored value as it is', async () => {
  // Prepare
  deployGeneration(1);
  const created = await create(body(`rot-${randomUUID()}`, 's3cr3t-once'));
  deployGeneration(2);
  expect((await patch(created.body.id, body(created.body.name, '********', 'first change'))).status).toBe(200);
  const resealed = await storedPassword(created.body.id);
  // Act
  const reply = await patch(created.body.id, body(created.body.name, '********', 'second change'));
  // Assess
  expect(reply).toMatchObject({ status: 200, headers: { etag: '"3"' } });
  expect(await storedPassword(created.body.id)).toBe(resealed);
});

test('after the rotation a new secret is sealed under the new key, both generations unwrapped by KMS', async () => {
  // Prepare
  deployGeneration(2);
  // Act
  const created = await create(body(`rot-${randomUUID()}`, 's3cr3t-new'));
  // Assess
  expect((await storedPassword(created.body.id)).startsWith(`enc:v1:${keyIdOf('wrapped-generation-2')}:`)).toBe(true);
  expect(new Set(decrypts)).toEqual(new Set(['wrapped-generation-1', 'wrapped-generation-2']));
});

const createWorkflow = (payload: unknown) =>
  invoke(
    createWorkflowHandler,
    restEvent({ method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': org.apiKey }, body: payload }),
  );
const patchWorkflow = (id: string, payload: unknown, query: Record<string, string> = {}) =>
  invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      query,
      headers: { 'x-api-key': org.apiKey },
      body: payload,
    }),
  );

test.each([
  ['staged', {}],
  ['deployed', { deploy: 'true' }],
])(
  'a workflow credential sealed before the rotation is re-sealed under the new key when a PATCH keeps it (%s)',
  async (how, query) => {
    // Prepare: sealed under generation 1
    deployGeneration(1);
    const created = await createWorkflow({
      name: `rot-${randomUUID()}`,
      llm_credentials: { name: 'openai', value: 'sk-before-rotation' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = (await rawItem(workflowKey(org.organizationId, id)))?.llmCredentialsValue as string;
    expect(before.startsWith(`enc:v1:${keyIdOf('wrapped-generation-1')}:`)).toBe(true);
    // Act: rotate, then send the mask back with a change (a PATCH that changes nothing writes nothing)
    deployGeneration(2);
    const reply = await patchWorkflow(
      id,
      { description: 'after the rotation', llm_credentials: { name: 'openai', value: '********' } },
      query,
    );
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.llm_credentials).toEqual({ name: 'openai', value: '********', description: null });
    const stored = [(await rawItem(workflowKey(org.organizationId, id)))?.llmCredentialsValue as string];
    if (how === 'deployed')
      stored.push((await rawItem(workflowVersionKey(org.organizationId, id, 2)))?.llmCredentialsValue as string);
    for (const sealed of stored) {
      expect(sealed.startsWith(`enc:v1:${keyIdOf('wrapped-generation-2')}:`)).toBe(true);
      await expect(openSecret(sealed, credentialContext(org.organizationId, id))).resolves.toBe('sk-before-rotation');
    }
  },
);

test.each([
  ['staged', {}],
  ['deployed', { deploy: 'true' }],
])(
  'notification secrets sealed before the rotation are re-sealed under the new key when a PATCH keeps them (%s); a PATCH that changes nothing re-seals nothing',
  async (how, query) => {
    // Prepare: sealed under generation 1
    deployGeneration(1);
    const settings = (token: string, authorization: string) => ({
      on_success: { slack: [{ channels: ['#ops'], credentials: { access_token: token } }] },
      on_error: { webhook: [{ url: 'https://hooks.example.com/ops', headers: { Authorization: authorization } }] },
    });
    const created = await createWorkflow({
      name: `rot-${randomUUID()}`,
      notification_settings: settings('xoxb-s3cr3t-before', 'Bearer s3cr3t-before'),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets as Record<string, string>;
    expect(Object.keys(before ?? {}).sort()).toEqual([
      '/on_error/webhook/0/headers/Authorization',
      '/on_success/slack/0/credentials/access_token',
    ]);
    for (const sealed of Object.values(before))
      expect(sealed.startsWith(`enc:v1:${keyIdOf('wrapped-generation-1')}:`)).toBe(true);
    // Act: rotate, send the masks back unchanged, then with a change
    deployGeneration(2);
    const unchanged = await patchWorkflow(id, { notification_settings: settings('********', '********') });
    const afterNoOp = (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets;
    const reply = await patchWorkflow(
      id,
      { description: 'after the rotation', notification_settings: settings('********', '********') },
      query,
    );
    // Assess
    expect(unchanged).toMatchObject({ status: 200, headers: { etag: created.headers.etag } });
    expect(afterNoOp).toEqual(before);
    expect(reply.status).toBe(200);
    expect(reply.body.notification_settings).toEqual(settings('********', '********'));
    const stored = [
      (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets as Record<string, string>,
    ];
    if (how === 'deployed')
      stored.push(
        (await rawItem(workflowVersionKey(org.organizationId, id, 2)))?.notificationSecrets as Record<string, string>,
      );
    for (const secrets of stored) {
      expect(Object.keys(secrets).sort()).toEqual(Object.keys(before).sort());
      for (const [place, sealed] of Object.entries(secrets)) {
        expect(sealed.startsWith(`enc:v1:${keyIdOf('wrapped-generation-2')}:`)).toBe(true);
        await expect(openSecret(sealed, notificationSecretContext(org.organizationId, id, place))).resolves.toMatch(
          /s3cr3t-before/,
        );
      }
    }
  },
);
