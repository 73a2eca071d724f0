/**
 * Issue 15, finding 6: `token_endpoint_auth_method` names a public choice, not a secret.
 * Its owner reads it back unmasked, and an OIDC executor read and PATCHed back keeps it.
 */
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../../functions/executors/create.js';
import { handler as getHandler } from '../../../functions/executors/get.js';
import { handler as updateHandler } from '../../../functions/executors/update.js';
import { invoke, newOrganization, restEvent } from '../../support/api.js';

test('an OIDC executor read and PATCHed back keeps its token endpoint auth method, visible', async () => {
  // Prepare
  const org = await newOrganization();
  const headers = { 'x-api-key': org.apiKey };
  const body = {
    name: `oidc-${randomUUID()}`,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: {
      type: 'oidc_client_credentials',
      config: {
        issuer_url: 'https://id.example.com',
        client_id: 'c',
        client_secret: 's3cr3t-oidc',
        token_endpoint_auth_method: 'client_secret_post',
      },
    },
  };
  const created = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers, body }));
  const id: string = created.body.id;
  const read = await invoke(
    getHandler,
    restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers }),
  );
  const { name, baseUrl, endpoints, authentication } = read.body;
  // Act
  const patched = await invoke(
    updateHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers,
      body: { name, baseUrl, endpoints, authentication },
    }),
  );
  // Assess
  expect(read.body.authentication.config).toEqual({
    issuer_url: 'https://id.example.com',
    client_id: 'c',
    client_secret: '********',
    token_endpoint_auth_method: 'client_secret_post',
  });
  expect(patched.status).toBe(200);
  expect(patched.body.authentication.config.token_endpoint_auth_method).toBe('client_secret_post');
});
