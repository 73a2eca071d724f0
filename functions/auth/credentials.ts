/**
 * The one door of every authenticated route: an HTTP request's credential, an API key
 * (`X-API-Key`) or an OAuth 2 bearer token (`Authorization: Bearer <jwt>`), as the
 * principal it names. The API key is read first, as it was before bearer tokens existed,
 * so a request carrying both is judged by its key alone.
 */
import { UnauthorizedError } from '../errors.js';
import type { Principal } from '../pipeline/command.js';
import { authenticateApiKey } from './api-keys.js';
import { authenticateBearerToken } from './bearer-tokens.js';

const bearerScheme = /^Bearer +([^\s]+) *$/i;

/**
 * The principal of a request's headers (names in lower case). Throws `UnauthorizedError`
 * for no credential or a bad one, `UnavailableError` when a token needs the issuer's keys
 * and the issuer cannot give them.
 */
export async function authenticateRequest(headers: Readonly<Record<string, string | undefined>>): Promise<Principal> {
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization;
  if (apiKey !== undefined || authorization === undefined) return authenticateApiKey(apiKey);
  const token = bearerScheme.exec(authorization)?.[1];
  if (token === undefined) throw new UnauthorizedError('authorization is not a bearer token', 'bearerToken');
  return authenticateBearerToken(token);
}
