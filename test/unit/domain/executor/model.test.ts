/** The executor model: masking secrets, the output read from a stored item, the base URL as stored. */
import { maskConfig, normalizeBaseUrl, toExecutorOutput } from '../../../../functions/domain/executor/model.js';

test('masking replaces every sensitive value, whatever its type', () => {
  // Act
  const masked = maskConfig({ key: 'sk-1', header: 'X-API-Key', nested_token: { a: 1 }, password: 5 });
  // Assess
  expect(masked).toEqual({
    key: '********',
    header: 'X-API-Key',
    nested_token: '********',
    password: '********',
  });
});

test('output decodes stored JSON text and masks secrets', () => {
  // Act
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
  // Assess
  expect(output.authentication).toEqual({ type: 'basic', config: { username: 'u', password: '********' } });
  expect(output.metadata).toEqual({ tier: 'gold', weight: 3 });
  expect(output).not.toHaveProperty('lastTestedAt');
});

test('a trailing slash on the base URL is trimmed', () => {
  // Act / Assess
  expect(normalizeBaseUrl('https://api.example.com/v2/')).toBe('https://api.example.com/v2');
});

test('a value sealed under a key that is no secret (0.1.0 sealed token_endpoint_auth_method) shows as the mask', () => {
  // Act
  const masked = maskConfig({ token_endpoint_auth_method: 'enc:v1:abc:iv:payload', scopes: ['read'] });
  // Assess
  expect(masked).toEqual({ token_endpoint_auth_method: '********', scopes: ['read'] });
});
