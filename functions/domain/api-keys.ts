/**
 * API keys as values: how one is made, the only form in which it is stored (its SHA-256
 * hash), the prefix that may be shown, and what an organization id may look like.
 */
import { createHash, randomBytes } from 'node:crypto';
import { organizationIdPattern as organizationIdSource } from '../../schemas/common.js';

/** Hex SHA-256 of an API key: the only form in which keys are stored. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A new random key: `fp_` and 43 base64url characters (256 bits). */
export function generateApiKey(): string {
  return `fp_${randomBytes(32).toString('base64url')}`;
}

/** The displayable, non-secret prefix of a key (what `list` shows). */
export function apiKeyPrefix(apiKey: string): string {
  return apiKey.slice(0, 10);
}

/** What an organization id may be (schemas/common.ts). */
export const organizationIdPattern = new RegExp(organizationIdSource);
