/** Secrets never rest in clear, and a masked value sent back keeps the stored secret. */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { secretContext } from '../../functions/domain/executor/model.js';
import { openSecret } from '../../functions/secrets/envelope.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../support/api.js';

type Org = Awaited<ReturnType<typeof newOrganization>>;
let org: Org;
beforeAll(async () => {
  org = await newOrganization();
});

const body = (name: string, authentication: unknown) => ({
  name,
  baseUrl: 'https://idp.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication,
});

const create = (payload: unknown) =>
  invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: payload }));
const patch = (id: string, payload: unknown) =>
  invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey }, body: payload }));
const get = (id: string) =>
  invoke(getHandler, restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: { 'X-API-Key': org.apiKey } }));

test('no secret of any authentication type is stored in clear', async () => {
  // Prepare
  const marker = `s3cr3t-${randomUUID()}`;
  const auths = [
    { type: 'api_key', config: { key: `${marker}-key` } },
    { type: 'bearer', config: { token: `${marker}-token` } },
    { type: 'basic', config: { username: 'u', password: `${marker}-password` } },
    { type: 'oidc_client_credentials', config: { issuer_url: 'https://idp.example.com', client_id: 'c', client_secret: `${marker}-client-secret` } },
    { type: 'oidc_user', config: { issuer_url: 'https://idp.example.com', client_id: 'c', username: 'u', password: `${marker}-user-password`, client_secret: `${marker}-cs` } },
  ];
  // Act
  for (const authentication of auths) expect((await create(body(`n-${randomUUID()}`, authentication))).status).toBe(201);
  // Assess
  const { Items } = await getDocumentClient().send(new ScanCommand({ TableName: tableName() }));
  expect(Items?.length).toBeGreaterThan(5);
  expect(JSON.stringify(Items)).not.toContain(marker);
});

test('GET → edit → PATCH with the masked secret keeps the stored secret', async () => {
  // Prepare
  const created = await create(body(`keep-${randomUUID()}`, { type: 'basic', config: { username: 'u', password: 's3cr3t-original-pw' } }));
  const id = created.body.id;
  const fetched = await get(id);
  expect(fetched.body.authentication.config).toEqual({ username: 'u', password: '********' });
  const edited = { ...body(fetched.body.name, { ...fetched.body.authentication, config: { ...fetched.body.authentication.config, username: 'v' } }) };
  // Act
  const reply = await patch(id, edited);
  // Assess
  expect(reply.status).toBe(200);
  expect(reply.body.authentication.config).toEqual({ username: 'v', password: '********' });
  const item = await rawItem(executorKey(org.organizationId, id));
  await expect(openSecret(item?.authSecrets.password, secretContext(org.organizationId, id, 'password'))).resolves.toBe('s3cr3t-original-pw');
});

test('a new secret replaces the stored one; a secret no longer sent is removed', async () => {
  const created = await create(body(`swap-${randomUUID()}`, { type: 'basic', config: { username: 'u', password: 'old' } }));
  const id = created.body.id;
  await patch(id, body(created.body.name, { type: 'basic', config: { username: 'u', password: 'new' } }));
  let item = await rawItem(executorKey(org.organizationId, id));
  await expect(openSecret(item?.authSecrets.password, secretContext(org.organizationId, id, 'password'))).resolves.toBe('new');
  const switched = await patch(id, body(created.body.name, { type: 'bearer', config: { token: 'tok' } }));
  expect(switched.body.authentication.config).toEqual({ token: '********' });
  item = await rawItem(executorKey(org.organizationId, id));
  expect(Object.keys(item?.authSecrets)).toEqual(['token']);
});

test('the mask with nothing stored is 422 FLK-0275 and nothing is written', async () => {
  const created = await create(body(`none-${randomUUID()}`, { type: 'none' }));
  const before = await rawItem(executorKey(org.organizationId, created.body.id));
  const reply = await patch(created.body.id, body(created.body.name, { type: 'bearer', config: { token: '********' } }));
  expect(reply).toMatchObject({ status: 422, body: { code: 'FLK-0275', fields: { '/authentication/config/token': expect.any(String) } } });
  expect(await rawItem(executorKey(org.organizationId, created.body.id))).toEqual(before);
  expect((await create(body(`masked-${randomUUID()}`, { type: 'bearer', config: { token: '********' } }))).status).toBe(422);
});

test('the mask survives a rename too', async () => {
  const created = await create(body(`rn-${randomUUID()}`, { type: 'bearer', config: { token: 's3cr3t-keep-me' } }));
  const reply = await patch(created.body.id, body(`${created.body.name}-2`, { type: 'bearer', config: { token: '********' } }));
  expect(reply.status).toBe(200);
  expect((await get(created.body.id)).body).toEqual(reply.body);
  const item = await rawItem(executorKey(org.organizationId, created.body.id));
  await expect(openSecret(item?.authSecrets.token, secretContext(org.organizationId, created.body.id, 'token'))).resolves.toBe('s3cr3t-keep-me');
});
