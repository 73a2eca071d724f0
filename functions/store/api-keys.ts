/**
 * API key records. The plaintext key is returned once by `createApiKey` and never
 * stored; the item holds its hash, a short prefix for display, the organization and the
 * key's permissions (an item without them, written before they existed, has them all).
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyPrefix, generateApiKey, hashApiKey, organizationIdPattern } from '../domain/api-keys.js';
import { grantedPermissions, type Permission, permissions as allPermissions } from '../domain/permissions.js';
import { getDocumentClient, tableName } from './client.js';
import { apiKeyIndexKeys, apiKeyKey, apiKeysByOrganization } from './keys.js';
import { tableDefinition } from './table.js';

export interface ApiKeyRecord {
  organizationId: string;
  name: string;
  prefix: string;
  keyHash: string;
  /** What the key may do (functions/domain/permissions.ts). */
  permissions: Permission[];
  createdAt: string;
  revokedAt?: string;
}

/**
 * Stores a key for an organization, with `permissions` (default: every one). Pass `apiKey` to
 * register a known key (local development's `API_KEY`); otherwise a new one is generated.
 * Returns the plaintext once.
 */
export async function createApiKey(input: {
  organizationId: string;
  name: string;
  apiKey?: string;
  permissions?: readonly Permission[];
}) {
  if (!organizationIdPattern.test(input.organizationId)) {
    throw new Error(
      `organization id must match ${organizationIdPattern.source}: got ${JSON.stringify(input.organizationId)}`,
    );
  }
  const apiKey = input.apiKey ?? generateApiKey();
  const keyHash = hashApiKey(apiKey);
  const createdAt = new Date().toISOString();
  const record: ApiKeyRecord = {
    organizationId: input.organizationId,
    name: input.name,
    prefix: apiKeyPrefix(apiKey),
    keyHash,
    // In the list's order, each once: what `list` shows and a key item compares equal by.
    permissions: allPermissions.filter((permission) => (input.permissions ?? allPermissions).includes(permission)),
    createdAt,
  };
  await getDocumentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...apiKeyKey(keyHash),
        ...apiKeyIndexKeys(input.organizationId, createdAt, keyHash),
        entity: 'apiKey',
        ...record,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { apiKey, record };
}

/** Registers a known key unless it is already registered (idempotent for `npm start`). */
export async function ensureApiKey(input: {
  organizationId: string;
  name: string;
  apiKey: string;
  permissions?: readonly Permission[];
}): Promise<void> {
  try {
    await createApiKey(input);
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** Every key of an organization, newest first, without hashes; a key stored before permissions existed lists them all. */
export async function listApiKeys(organizationId: string): Promise<Omit<ApiKeyRecord, 'keyHash'>[]> {
  const items: Omit<ApiKeyRecord, 'keyHash'>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await getDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: tableDefinition.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': apiKeysByOrganization(organizationId).gsi1pk },
        ScanIndexForward: false,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const granted = grantedPermissions(item.permissions);
      items.push({
        organizationId: item.organizationId as string,
        name: item.name as string,
        prefix: item.prefix as string,
        permissions: allPermissions.filter((permission) => granted.has(permission)),
        createdAt: item.createdAt as string,
        ...(item.revokedAt ? { revokedAt: item.revokedAt as string } : {}),
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Marks the key with this prefix revoked; returns how many keys matched. */
export async function revokeApiKey(organizationId: string, prefix: string): Promise<number> {
  const page = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDefinition.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: 'prefix = :prefix',
      ExpressionAttributeValues: { ':pk': apiKeysByOrganization(organizationId).gsi1pk, ':prefix': prefix },
    }),
  );
  let revoked = 0;
  for (const item of page.Items ?? []) {
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: apiKeyKey(String(item.keyHash)),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    revoked += 1;
  }
  return revoked;
}
