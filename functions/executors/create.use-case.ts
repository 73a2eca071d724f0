/** `POST /v1/executors`: configured when baseUrl, endpoints and authentication are all given. */
import { randomUUID } from 'node:crypto';
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { initialStatus } from '../domain/executor/lifecycle.js';
import { authorizationOf } from '../domain/permissions.js';
import { encodeValues, type ExecutorRecord, normalizeBaseUrl, toStoredEndpoints } from '../domain/executor/model.js';
import { maskedWithoutSecret, secretDestination } from '../domain/executor/rules.js';
import * as executorStore from '../store/executors.js';
import type { createExecutorInput } from '../../schemas/executor.js';
import { assertExecutorRules, executorResult, storedName } from './result.js';
import { partitionConfig } from './secrets.js';

export async function createExecutor(command: CommandFor<{ body: typeof createExecutorInput }>): Promise<Result> {
  const { body, principal, actor } = command;
  assertExecutorRules(body);
  const now = new Date().toISOString();
  const complete = body.baseUrl !== undefined && body.endpoints !== undefined && body.authentication !== undefined;
  const id = randomUUID();
  const baseUrl = body.baseUrl !== undefined ? normalizeBaseUrl(body.baseUrl) : undefined;
  const config = await partitionConfig(body.authentication?.config, principal.organizationId, id);
  // A new executor has no stored secret for the mask to keep.
  if (config.authSecrets.keep.length > 0) throw maskedWithoutSecret(config.authSecrets.keep);
  const record: ExecutorRecord = {
    id,
    organizationId: principal.organizationId,
    name: storedName(body.name),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(body.endpoints !== undefined ? { endpoints: toStoredEndpoints(body.endpoints) } : {}),
    ...(body.authentication !== undefined ? { authType: body.authentication.type, authConfig: config.authConfig } : {}),
    ...(body.authentication !== undefined && baseUrl !== undefined
      ? { secretsBoundTo: secretDestination(body.authentication.type, baseUrl, body.authentication.config) }
      : {}),
    authSecrets: config.authSecrets.set,
    metadata: encodeValues(body.metadata),
    status: initialStatus(complete),
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor.name,
    authorizedBy: authorizationOf(actor),
  };
  await executorStore.createExecutor(record);
  return executorResult(record, 201);
}
