/**
 * The executor configuration as stored and as shown. Free-form values (metadata and
 * authentication config) are stored as JSON text per key: DynamoDB cannot hold every
 * JSON number or nesting depth a caller may send, and per-key text still lets PATCH
 * merge metadata key by key without reading first.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { createExecutorInput, updateExecutorInput } from '../../../schemas/executor.js';
import { isSealed } from '../../secrets/envelope.js';
import { isSensitiveKey, secretMask } from '../secrets.js';
import type { Authorization } from '../permissions.js';
import type { ExecutorStatus } from './lifecycle.js';

export type UpdateExecutorInput = FromSchema<typeof updateExecutorInput>;
export type CreateExecutorInput = FromSchema<typeof createExecutorInput>;

export interface StoredEndpoint {
  name: string;
  path: string;
  method: string;
  timeout: number;
}

/** The attributes of an executor item (keys aside). */
export interface ExecutorRecord {
  id: string;
  organizationId: string;
  name: string;
  description?: string;
  baseUrl?: string;
  endpoints?: StoredEndpoint[];
  authType?: string;
  /** Each non-secret config key's value as JSON text. */
  authConfig?: Record<string, string>;
  /** Each secret config key's value, sealed (functions/secrets/envelope.ts). Always present. */
  authSecrets: Record<string, string>;
  /** Each metadata key's value as JSON text. */
  metadata: Record<string, string>;
  status: ExecutorStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Who last changed it: an API key's name, a token's subject or an event source (never a credential). */
  updatedBy: string;
  /** With which credential and permission; absent on items written before permissions existed. */
  authorizedBy?: Authorization;
  lastTestedAt?: string;
  /**
   * Where the stored secrets may go (`secretDestination`): a masked secret is kept only while it stays the same.
   * Absent on executors whose secrets a release before 0.2.0 stored: `storedSecretsDestination` reads it from them.
   */
  secretsBoundTo?: string;
  /** How many migration steps the item has had (functions/domain/formats.ts); absent before 0.3.0. */
  formatVersion?: number;
  /**
   * Set by the migration on executors a release before 0.2.0 let share a name (differing only by case or spacing):
   * one claim names them all, and a rename or delete passes it on to the others instead of freeing it.
   */
  nameShared?: boolean;
}

/** Trims the trailing `/` of a base URL (Flowker does the same). */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function encodeValues(values: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, JSON.stringify(value)]));
}

export function decodeValues(values: Record<string, string> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, text]) => [key, JSON.parse(text)]));
}

/** Endpoints as stored: `timeout` filled in (the schema default is 30). */
export function toStoredEndpoints(endpoints: UpdateExecutorInput['endpoints']): StoredEndpoint[] {
  return endpoints.map(({ name, path, method, timeout }) => ({ name, path, method, timeout: timeout ?? 30 }));
}

/**
 * Masks every sensitive value of an authentication config, and any sealed one: a release before 0.2.0 sealed
 * `token_endpoint_auth_method`, which is shown as the mask, never as ciphertext, until the migration opens it.
 */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, isSensitiveKey(key) || isSealed(value) ? secretMask : value]),
  );
}

/** Where a secret of an executor is sealed: binds the ciphertext to its item and key. */
export function secretContext(organizationId: string, executorId: string, key: string): string {
  return `${organizationId}/executor/${executorId}/${key}`;
}

/** The seed's `ExecutorConfigurationOutput` for a stored record, secrets masked. */
export function toExecutorOutput(record: ExecutorRecord) {
  return {
    id: record.id,
    name: record.name,
    ...(record.description !== undefined ? { description: record.description } : {}),
    ...(record.baseUrl !== undefined ? { baseUrl: record.baseUrl } : {}),
    endpoints: (record.endpoints ?? []).map(({ name, path, method, timeout }) => ({ name, path, method, timeout })),
    ...(record.authType !== undefined
      ? {
          authentication: {
            type: record.authType,
            config: maskConfig({ ...decodeValues(record.authConfig), ...record.authSecrets }),
          },
        }
      : {}),
    status: record.status,
    metadata: decodeValues(record.metadata),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.lastTestedAt ? { lastTestedAt: record.lastTestedAt } : {}),
  };
}
