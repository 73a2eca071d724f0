/**
 * The OIDC settings the construct, the local server and the functions share: read from the
 * environment with their defaults, and an issuer that is `https://` in AWS, or `http://` on the
 * loopback when private targets are allowed (locally) only.
 */
import {
  issuerUrlProblem,
  oidcEnvironment,
  oidcSettingsFrom,
  oidcSettingsProblems,
} from '../../../functions/auth/oidc-settings.js';

test('the environment names an issuer and its audience; the claims default to org and scope', () => {
  // Act / Assess
  expect(oidcSettingsFrom({})).toBeUndefined();
  expect(oidcSettingsFrom({ OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'api' })).toEqual({
    issuer: 'https://id.example.com',
    audience: 'api',
    organizationClaim: 'org',
    permissionsClaim: 'scope',
  });
  expect(() => oidcSettingsFrom({ OIDC_ISSUER: 'https://id.example.com' })).toThrow('without OIDC_AUDIENCE');
});

test('settings become the environment they are read from', () => {
  // Prepare
  const settings = {
    issuer: 'https://id.example.com/t/',
    audience: 'api',
    organizationClaim: 'tenant',
    permissionsClaim: 'permissions',
    jwksUri: 'https://keys.example.com/jwks',
  };
  // Act
  const environment = oidcEnvironment(settings);
  // Assess
  expect(environment).toEqual({
    OIDC_ISSUER: 'https://id.example.com/t/',
    OIDC_AUDIENCE: 'api',
    OIDC_ORGANIZATION_CLAIM: 'tenant',
    OIDC_PERMISSIONS_CLAIM: 'permissions',
    OIDC_JWKS_URI: 'https://keys.example.com/jwks',
  });
  expect(oidcSettingsFrom(environment)).toEqual(settings);
});

test.each([
  ['https://id.example.com', false, undefined],
  ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', false, undefined],
  ['http://127.0.0.1:8443', true, undefined],
  ['http://localhost:8443/realm', true, undefined],
  ['http://[::1]:8443', true, undefined],
  ['http://127.0.0.1:8443', false, 'issuer "http://127.0.0.1:8443" must be an https:// URL'],
  [
    'http://id.example.com',
    true,
    'issuer "http://id.example.com" must be an https:// URL (or http:// on 127.0.0.1, localhost or [::1])',
  ],
  [
    'http://10.0.0.1',
    true,
    'issuer "http://10.0.0.1" must be an https:// URL (or http:// on 127.0.0.1, localhost or [::1])',
  ],
  [
    'https://id.example.com/?tenant=a',
    false,
    'issuer "https://id.example.com/?tenant=a" must have no query, fragment or credentials',
  ],
  [
    'https://user:pw@id.example.com',
    false,
    'issuer "https://user:pw@id.example.com" must have no query, fragment or credentials',
  ],
  ['id.example.com', false, 'issuer "id.example.com" is not a URL'],
])('%s with loopback allowed %p: %p', (url, loopbackAllowed, problem) => {
  // Act / Assess
  expect(issuerUrlProblem('issuer', url, loopbackAllowed)).toBe(problem);
});

test('every problem of the settings is named at once', () => {
  // Act
  const problems = oidcSettingsProblems(
    {
      issuer: 'http://id.example.com',
      audience: ' ',
      organizationClaim: '',
      permissionsClaim: 'scope',
      jwksUri: 'ftp://x',
    },
    false,
  );
  // Assess
  expect(problems).toEqual([
    'issuer "http://id.example.com" must be an https:// URL',
    'jwksUri "ftp://x" must be an https:// URL',
    'audience must not be empty',
    'organizationClaim "" must be 1 to 128 visible ASCII characters',
  ]);
});
