/**
 * Issue 15, finding 3: a masked secret keeps the stored one only while it would go to the
 * same place — same authentication type, same origin (the base URL's, or the issuer's for
 * OIDC). Pointing a stored secret at another host needs the secret itself: 422, nothing
 * written, so the connectivity test can never deliver it to a host the caller chose. The
 * same for a workflow's LLM credential and its llm_api_base.
 */
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../../functions/executors/create.js';
import { handler as updateHandler } from '../../../functions/executors/update.js';
import { executorKey, workflowKey } from '../../../functions/store/keys.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { invoke, newOrganization, rawItem, restEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

const headers = () => ({ 'x-api-key': org.apiKey });
const endpoints = [{ name: 'e', path: '/e', method: 'GET' }];

async function executorWith(
  baseUrl: string,
  authentication: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const name = `dest-${randomUUID()}`;
  const reply = await invoke(
    createHandler,
    restEvent({
      method: 'POST',
      path: '/v1/executors',
      headers: headers(),
      body: { name, baseUrl, endpoints, authentication },
    }),
  );
  expect(reply.status).toBe(201);
  return { id: reply.body.id, name };
}

const patch = (id: string, body: unknown) =>
  invoke(
    updateHandler,
    restEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers: headers(), body }),
  );

test.each([
  ['another host', 'https://attacker.example'],
  ['another scheme', 'http://api.example.com/v1'],
  ['another port', 'https://api.example.com:8443/v1'],
])('bearer: the mask with the base URL moved to %s is 422 FLK-0275; nothing written', async (_what, baseUrl) => {
  // Prepare
  const { id, name } = await executorWith('https://api.example.com/v1', {
    type: 'bearer',
    config: { token: 's3cr3t-bearer' },
  });
  const before = await rawItem(executorKey(org.organizationId, id));
  // Act
  const reply = await patch(id, {
    name,
    baseUrl,
    endpoints,
    authentication: { type: 'bearer', config: { token: '********' } },
  });
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body).toMatchObject({
    code: 'FLK-0275',
    fields: { '/authentication/config/token': expect.stringContaining('send this secret again') },
  });
  expect(await rawItem(executorKey(org.organizationId, id))).toEqual(before);
});

test('bearer: the mask on the same origin (another path) keeps the secret; the secret itself may go anywhere', async () => {
  // Prepare
  const { id, name } = await executorWith('https://api.example.com/v1', {
    type: 'bearer',
    config: { token: 's3cr3t-bearer' },
  });
  const sealed = (await rawItem(executorKey(org.organizationId, id)))?.authSecrets.token;
  // Act
  const samePlace = await patch(id, {
    name,
    baseUrl: 'https://API.example.com/v2/',
    endpoints,
    authentication: { type: 'bearer', config: { token: '********' } },
  });
  const kept = (await rawItem(executorKey(org.organizationId, id)))?.authSecrets.token;
  const moved = await patch(id, {
    name,
    baseUrl: 'https://elsewhere.example',
    endpoints,
    authentication: { type: 'bearer', config: { token: 's3cr3t-new' } },
  });
  // Assess
  expect(samePlace.status).toBe(200);
  expect(kept).toBe(sealed);
  expect(moved.status).toBe(200);
});

test('OIDC: the client secret masked with another issuer is 422; with the same issuer and a new base URL it is kept', async () => {
  // Prepare
  const config = { issuer_url: 'https://id.example.com', client_id: 'c', client_secret: 's3cr3t-oidc' };
  const { id, name } = await executorWith('https://api.example.com', { type: 'oidc_client_credentials', config });
  const masked = (issuer: string) => ({
    type: 'oidc_client_credentials',
    config: { ...config, issuer_url: issuer, client_secret: '********' },
  });
  // Act
  const newIssuer = await patch(id, {
    name,
    baseUrl: 'https://api.example.com',
    endpoints,
    authentication: masked('https://evil.example'),
  });
  const newBaseUrl = await patch(id, {
    name,
    baseUrl: 'https://other-api.example.com',
    endpoints,
    authentication: masked('https://id.example.com'),
  });
  // Assess
  expect(newIssuer.status).toBe(422);
  expect(newIssuer.body.fields).toHaveProperty(['/authentication/config/client_secret']);
  expect(newBaseUrl.status).toBe(200);
});

test('another authentication type with a masked secret is 422', async () => {
  // Prepare
  const { id, name } = await executorWith('https://api.example.com', {
    type: 'basic',
    config: { username: 'u', password: 's3cr3t-basic' },
  });
  // Act
  const reply = await patch(id, {
    name,
    baseUrl: 'https://api.example.com',
    endpoints,
    authentication: {
      type: 'oidc_user',
      config: { issuer_url: 'https://api.example.com', client_id: 'c', username: 'u', password: '********' },
    },
  });
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.code).toBe('FLK-0275');
});

describe('workflows: llm_credentials.value stays bound to the origin of llm_api_base', () => {
  const credentials = { name: 'openai', value: 's3cr3t-llm' };
  const createWorkflow = async (body: Record<string, unknown>) => {
    const reply = await invoke(
      createWorkflowHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers: headers(), body: { name: 'bound', ...body } }),
    );
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const patchWorkflow = (id: string, body: unknown, query: Record<string, string> = {}) =>
    invoke(
      updateWorkflowHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/workflows/${id}`,
        pathParameters: { workflow_id: id },
        query,
        headers: headers(),
        body,
      }),
    );

  test.each([
    ['moved alone', { llm_api_base: 'https://attacker.example/v1' }, {}],
    [
      'moved with the mask',
      { llm_api_base: 'https://attacker.example/v1', llm_credentials: { name: 'openai', value: '********' } },
      {},
    ],
    ['reset to the default', { llm_api_base: null }, {}],
    ['moved and deployed at once', { llm_api_base: 'https://attacker.example/v1' }, { deploy: 'true' }],
  ])('%s: 422 at llm_credentials.value, nothing written', async (_what, body, query) => {
    // Prepare
    const id = await createWorkflow({ llm_api_base: 'https://llm.example.com/v1', llm_credentials: credentials });
    const before = await rawItem(workflowKey(org.organizationId, id));
    // Act
    const reply = await patchWorkflow(id, body, query);
    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body.detail).toEqual([
      expect.objectContaining({ type: 'value_error', loc: ['body', 'llm_credentials', 'value'] }),
    ]);
    expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
  });

  test('the same origin, a new credential value, or no stored credential: accepted', async () => {
    // Prepare
    const bound = await createWorkflow({ llm_api_base: 'https://llm.example.com/v1', llm_credentials: credentials });
    const free = await createWorkflow({ llm_api_base: 'https://llm.example.com/v1' });
    // Act
    const samePlace = await patchWorkflow(bound, { llm_api_base: 'https://LLM.example.com/v2' });
    const withValue = await patchWorkflow(
      bound,
      { llm_api_base: 'https://other.example/v1', llm_credentials: { name: 'openai', value: 's3cr3t-other' } },
      { deploy: 'true' },
    );
    const thenAlone = await patchWorkflow(bound, { description: 'still bound to other.example' });
    const noCredential = await patchWorkflow(free, { llm_api_base: 'https://anywhere.example' });
    // Assess
    expect([samePlace.status, withValue.status, thenAlone.status, noCredential.status]).toEqual([200, 200, 200, 200]);
    expect((await patchWorkflow(bound, { llm_api_base: 'https://other.example/v9' })).status).toBe(200);
    expect((await patchWorkflow(bound, { llm_api_base: 'https://llm.example.com/v1' })).status).toBe(422);
  });
});
