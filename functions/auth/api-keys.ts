/**
 * API keys: only their SHA-256 hashes are stored, each bound to an organization and given
 * permissions (a key stored before permissions existed has them all). A key seen recently
 * is trusted for at most 60 s from memory, so a warm function spends no DynamoDB request on
 * authentication; revocation takes effect within that.
 */
import { timingSafeEqual } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../pipeline/command.js';
import { hashApiKey } from '../domain/api-keys.js';
import { grantedPermissions } from '../domain/permissions.js';
import { UnauthorizedError } from '../errors.js';
import { getDocumentClient, tableName } from '../store/client.js';
import { apiKeyKey } from '../store/keys.js';

/** How long a verified key is trusted from memory. */
export const apiKeyCacheMillis = 60_000;
const cacheLimit = 1_000;
const cache = new Map<string, { principal: Principal; expiresAt: number }>();

/** Forgets every cached key (tests, and the CLI after a revoke in the same process). */
export function clearApiKeyCache(): void {
  cache.clear();
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

const unauthorized = () => new UnauthorizedError('API Key missing or invalid');

/**
 * Resolves the caller's organization and permissions from an `X-API-Key` header value.
 * Throws `UnauthorizedError` for a missing, unknown or revoked key.
 */
export async function authenticateApiKey(apiKey: string | undefined, now = Date.now()): Promise<Principal> {
  if (!apiKey || apiKey.length > 256) throw unauthorized();
  const keyHash = hashApiKey(apiKey.trim());
  const cached = cache.get(keyHash);
  if (cached && cached.expiresAt > now) return cached.principal;
  cache.delete(keyHash);

  const { Item } = await getDocumentClient().send(new GetCommand({ TableName: tableName(), Key: apiKeyKey(keyHash) }));
  if (!Item || typeof Item.keyHash !== 'string' || !sameHash(Item.keyHash, keyHash) || Item.revokedAt) {
    throw unauthorized();
  }
  const principal: Principal = {
    organizationId: String(Item.organizationId),
    id: `apikey:${String(Item.prefix)}`,
    name: String(Item.name ?? ''),
    permissions: grantedPermissions(Item.permissions),
  };
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(keyHash, { principal, expiresAt: now + apiKeyCacheMillis });
  return principal;
}
