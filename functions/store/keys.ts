/**
 * Every key and access pattern of the single table, as pure functions. Nothing else
 * in the code base spells a key.
 *
 * | entity            | pk                                  | sk          | gsi1pk                    | gsi1sk            |
 * |-------------------|-------------------------------------|-------------|---------------------------|-------------------|
 * | API key           | APIKEY#<sha256>                     | APIKEY      | ORG#<org>#APIKEYS         | <createdAt>#<hash>|
 * | executor          | ORG#<org>#EXECUTOR#<id>             | EXECUTOR    | ORG#<org>#EXECUTORS       | <createdAt>#<id>  |
 * | executor name     | ORG#<org>#EXECUTOR_NAME#<name>      | NAME        | -                         | -                 |
 * | executor deleted  | ORG#<org>#EXECUTOR#<id>             | TOMBSTONE   | -                         | -                 |
 *
 * The organization is part of every resource key, so another organization's id can
 * only ever address an item that does not exist.
 */

export interface Key {
  pk: string;
  sk: string;
}

export function apiKeyKey(keyHash: string): Key {
  return { pk: `APIKEY#${keyHash}`, sk: 'APIKEY' };
}

export function apiKeysByOrganization(organizationId: string) {
  return { gsi1pk: `ORG#${organizationId}#APIKEYS` };
}

export function apiKeyIndexKeys(organizationId: string, createdAt: string, keyHash: string) {
  return { ...apiKeysByOrganization(organizationId), gsi1sk: `${createdAt}#${keyHash}` };
}

export function executorKey(organizationId: string, executorId: string): Key {
  return { pk: `ORG#${organizationId}#EXECUTOR#${executorId}`, sk: 'EXECUTOR' };
}

export function executorsByOrganization(organizationId: string) {
  return { gsi1pk: `ORG#${organizationId}#EXECUTORS` };
}

export function executorIndexKeys(organizationId: string, createdAt: string, executorId: string) {
  return { ...executorsByOrganization(organizationId), gsi1sk: `${createdAt}#${executorId}` };
}

/** The item that reserves an executor name within an organization. */
export function executorNameKey(organizationId: string, name: string): Key {
  return { pk: `ORG#${organizationId}#EXECUTOR_NAME#${name}`, sk: 'NAME' };
}

/** Written with a delete so the stream knows who deleted the executor; expires by TTL. */
export function executorTombstoneKey(organizationId: string, executorId: string): Key {
  return { pk: executorKey(organizationId, executorId).pk, sk: 'TOMBSTONE' };
}
