/** Semantic rules (422) and masking of the executor domain. */
import { flowkerCodeFor } from '../../functions/contracts/flowker.js';
import { maskConfig, normalizeBaseUrl, toExecutorOutput } from '../../functions/domain/executor/model.js';
import { authenticationViolations, endpointViolations } from '../../functions/domain/executor/rules.js';
import { isSensitiveKey } from '../../functions/domain/secrets.js';

test.each([
  ['none', {}, []],
  ['api_key', { key: 'k' }, []],
  ['api_key', { key: 'k', header: 'X-Key', header_name: 'X-Key', prefix: 'Key ', location: 'query', query_param_name: 'k' }, []],
  ['api_key', {}, ['FLK-0275']],
  ['api_key', { key: '' }, ['FLK-0275']],
  ['api_key', { key: 'k', location: 'body' }, ['FLK-0276']],
  ['api_key', { key: 'k', colour: 'red' }, ['FLK-0276']],
  ['bearer', { token: 't' }, []],
  ['bearer', { token: 7 }, ['FLK-0275']],
  ['basic', { username: 'u' }, ['FLK-0275']],
  ['basic', { username: 'u', password: 'p' }, []],
  ['oidc_client_credentials', { issuer_url: 'https://id.example.com', client_id: 'c', client_secret: 's', scopes: ['a', 'b'] }, []],
  ['oidc_client_credentials', { issuer_url: 'https://id.example.com', client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'jwt' }, ['FLK-0276']],
  ['oidc_client_credentials', { client_id: 'c' }, ['FLK-0275', 'FLK-0275']],
  ['oidc_user', { issuer_url: 'https://id.example.com', client_id: 'c', username: 'u', password: 'p', client_secret: 's' }, []],
  ['oidc_user', { issuer_url: 'https://id.example.com', client_id: 'c', username: 'u' }, ['FLK-0275']],
  ['none', { token: 'stray' }, ['FLK-0276']],
])('%s with %j → %j', (type, config, codes) => {
  expect(authenticationViolations({ type, config }).map(flowkerCodeFor)).toEqual(codes);
});

test('duplicate endpoint names are reported at the later endpoint', () => {
  const violations = endpointViolations([{ name: 'a' }, { name: 'b' }, { name: 'a' }]);
  expect(violations).toEqual([expect.objectContaining({ loc: ['body', 'endpoints', 2, 'name'], rule: 'endpoint_name_unique' })]);
  expect(violations.map(flowkerCodeFor)).toEqual(['FLK-0274']);
});

test.each(['key', 'token', 'password', 'client_secret', 'Secret', 'MY_TOKEN', 'db_password', 'apiKey', 'x-apikey'])(
  '%s is sensitive',
  (name) => expect(isSensitiveKey(name)).toBe(true),
);

test.each(['header', 'header_name', 'username', 'issuer_url', 'client_id', 'location', 'prefix', 'scopes'])(
  '%s is not sensitive',
  (name) => expect(isSensitiveKey(name)).toBe(false),
);

test('masking replaces every sensitive value, whatever its type', () => {
  expect(maskConfig({ key: 'sk-1', header: 'X-API-Key', nested_token: { a: 1 }, password: 5 })).toEqual({
    key: '********',
    header: 'X-API-Key',
    nested_token: '********',
    password: '********',
  });
});

test('output decodes stored JSON text and masks secrets', () => {
  const output = toExecutorOutput({
    id: 'b2c3d4e5-f6a7-4901-bcde-f23456789012',
    organizationId: 'o',
    name: 'n',
    authType: 'basic',
    authConfig: { username: '"u"' },
    authSecrets: { password: 'enc:v1:abc:def:ghi' },
    metadata: { tier: '"gold"', weight: '3' },
    status: 'configured',
    version: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ci',
  });
  expect(output.authentication).toEqual({ type: 'basic', config: { username: 'u', password: '********' } });
  expect(output.metadata).toEqual({ tier: 'gold', weight: 3 });
  expect(output).not.toHaveProperty('lastTestedAt');
});

test('a trailing slash on the base URL is trimmed', () => {
  expect(normalizeBaseUrl('https://api.example.com/v2/')).toBe('https://api.example.com/v2');
});
