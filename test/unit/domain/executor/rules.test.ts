/** The executor's rules beyond the schema (422): authentication config by type, unique endpoint names. */
import { flowkerCodeFor } from '../../../../functions/contracts/flowker.js';
import { authenticationViolations, endpointViolations } from '../../../../functions/domain/executor/rules.js';

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
