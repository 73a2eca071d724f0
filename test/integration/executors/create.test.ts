/** POST /v1/executors through the real handler, against DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import { type Organization, newOrganization } from '../../support/api.js';
import { completeExecutorBody, createExecutor } from '../../support/executors.js';

let org: Organization;
let other: Organization;

beforeAll(async () => {
  org = await newOrganization();
  other = await newOrganization();
});

test('a complete body creates a configured executor with secrets masked', async () => {
  // Act
  const created = await createExecutor(org, completeExecutorBody('Serasa KYC'));
  // Assess
  expect(created.status).toBe(201);
  expect(created.headers.etag).toBe('"1"');
  expect(created.body).toMatchObject({
    name: 'Serasa KYC',
    baseUrl: 'https://api.serasa.com.br/v2',
    endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 30 }],
    authentication: { type: 'api_key', config: { key: '********', header: 'X-API-Key' } },
    status: 'configured',
    metadata: { team: 'kyc', tier: 1 },
  });
});

test('a name-only body creates an unconfigured executor', async () => {
  // Act
  const created = await createExecutor(org, { name: `bare-${randomUUID()}` });
  // Assess
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'unconfigured', endpoints: [], metadata: {} });
  expect(created.body).not.toHaveProperty('authentication');
});

test('the same name in another organization is fine', async () => {
  // Prepare
  const { name } = (await createExecutor(org, completeExecutorBody())).body;
  // Act
  const created = await createExecutor(other, completeExecutorBody(name));
  // Assess
  expect(created.status).toBe(201);
});

test.each(['http://127.0.0.1:8080', 'http://169.254.169.254', 'http://[::ffff:7f00:1]/', 'http://2130706433/'])(
  'a literal internal baseUrl %s → 422 FLK-0277',
  async (url) => {
    // Act
    const created = await createExecutor(org, { ...completeExecutorBody(`ssrf-${randomUUID()}`), baseUrl: url });
    // Assess
    expect(created).toMatchObject({
      status: 422,
      body: { code: 'FLK-0277', fields: { '/baseUrl': expect.any(String) } },
    });
  },
);
