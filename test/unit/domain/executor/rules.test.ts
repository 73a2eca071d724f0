/** The executor's rules beyond the schema (422): authentication config by type, unique endpoint names. */
import { flowkerCodeFor } from '../../../../functions/contracts/flowker.js';
import {
  authenticationViolations,
  endpointViolations,
  storedSecretsDestination,
} from '../../../../functions/domain/executor/rules.js';
import type { ExecutorRecord } from '../../../../functions/domain/executor/model.js';

test.each([
  ['none', {}, []],
  ['api_key', { key: 'k' }, []],
  [
    'api_key',
    { key: 'k', header: 'X-Key', header_name: 'X-Key', prefix: 'Key ', location: 'query', query_param_name: 'k' },
    [],
  ],
  ['api_key', {}, ['FLK-0275']],
  ['api_key', { key: '' }, ['FLK-0275']],
  ['api_key', { key: 'k', location: 'body' }, ['FLK-0276']],
  ['api_key', { key: 'k', colour: 'red' }, ['FLK-0276']],
  ['bearer', { token: 't' }, []],
  ['bearer', { token: 7 }, ['FLK-0275']],
  ['basic', { username: 'u' }, ['FLK-0275']],
  ['basic', { username: 'u', password: 'p' }, []],
  [
    'oidc_client_credentials',
    { issuer_url: 'https://id.example.com', client_id: 'c', client_secret: 's', scopes: ['a', 'b'] },
    [],
  ],
  [
    'oidc_client_credentials',
    { issuer_url: 'https://id.example.com', client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'jwt' },
    ['FLK-0276'],
  ],
  ['oidc_client_credentials', { client_id: 'c' }, ['FLK-0275', 'FLK-0275']],
  [
    'oidc_user',
    { issuer_url: 'https://id.example.com', client_id: 'c', username: 'u', password: 'p', client_secret: 's' },
    [],
  ],
  ['oidc_user', { issuer_url: 'https://id.example.com', client_id: 'c', username: 'u' }, ['FLK-0275']],
  ['none', { token: 'stray' }, ['FLK-0276']],
])('%s with %j → %j', (type, config, codes) => {
  // Act
  const violations = authenticationViolations({ type, config });
  // Assess
  expect(violations.map(flowkerCodeFor)).toEqual(codes);
});

test('duplicate endpoint names are reported at the later endpoint', () => {
  // Act
  const violations = endpointViolations([{ name: 'a' }, { name: 'b' }, { name: 'a' }]);
  // Assess
  expect(violations).toEqual([
    expect.objectContaining({ loc: ['body', 'endpoints', 2, 'name'], rule: 'endpoint_name_unique' }),
  ]);
  expect(violations.map(flowkerCodeFor)).toEqual(['FLK-0274']);
});

test('where stored secrets may go: the binding written, else (stored before 0.2.0) where the configuration sends', () => {
  // Prepare
  const stored = (overrides: Partial<ExecutorRecord>): ExecutorRecord => ({
    id: 'e',
    organizationId: 'o',
    name: 'n',
    authSecrets: { client_secret: 'enc:v1:k:iv:c' },
    metadata: {},
    status: 'configured',
    version: 1,
    createdAt: 't',
    updatedAt: 't',
    updatedBy: 'k',
    ...overrides,
  });
  // Act
  const bound = storedSecretsDestination(stored({ secretsBoundTo: 'bearer https://a.example.com' }));
  const oidc = storedSecretsDestination(
    stored({
      authType: 'oidc_user',
      baseUrl: 'https://api.example.com/v2',
      authConfig: { issuer_url: '"https://login.example.com/realms/x"' },
    }),
  );
  const basic = storedSecretsDestination(stored({ authType: 'basic', baseUrl: 'https://api.example.com/v2' }));
  const unconfigured = storedSecretsDestination(stored({ authSecrets: {} }));
  // Assess
  expect([bound, oidc, basic, unconfigured]).toEqual([
    'bearer https://a.example.com',
    'oidc_user https://login.example.com',
    'basic https://api.example.com',
    undefined,
  ]);
});
