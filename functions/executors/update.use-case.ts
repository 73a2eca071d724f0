/**
 * `PATCH /v1/executors/{id}`: replaces the configuration, merges metadata, status →
 * configured; writes nothing when it would store what is stored (a GET body sent back).
 * Read-only fields sent back must say what is stored.
 */
import type { Result } from '../core/command.js';
import type { CommandFor } from '../core/route.js';
import { encodeValues, normalizeBaseUrl, toStoredEndpoints } from '../domain/executor/model.js';
import { executorReadOnlyClaims } from '../domain/executor/round-trip.js';
import { secretDestination } from '../domain/executor/rules.js';
import { RequestValidationError } from '../errors.js';
import { replaceExecutor } from '../store/executors.js';
import type { executorIdParams, updateExecutorInput } from '../../schemas/executor.js';
import { assertExecutorRules, executorResult, storedName } from './result.js';
import { partitionConfig } from './secrets.js';

export async function updateExecutor(
  command: CommandFor<{ params: typeof executorIdParams; body: typeof updateExecutorInput }>,
): Promise<Result> {
  const { body, principal, params, precondition } = command;
  const { violations, facts } = executorReadOnlyClaims(body, params.id);
  if (violations.length > 0) throw new RequestValidationError(violations);
  assertExecutorRules(body);
  const record = await replaceExecutor(
    principal.organizationId,
    params.id,
    {
      name: storedName(body.name),
      baseUrl: normalizeBaseUrl(body.baseUrl),
      endpoints: toStoredEndpoints(body.endpoints),
      authType: body.authentication.type,
      secretsBoundTo: secretDestination(
        body.authentication.type,
        normalizeBaseUrl(body.baseUrl),
        body.authentication.config,
      ),
      ...(await partitionConfig(body.authentication.config, principal.organizationId, params.id)),
      ...(body.description !== undefined ? { description: body.description } : {}),
      metadata: encodeValues(body.metadata),
      updatedBy: principal.keyName,
    },
    precondition,
    { now: new Date().toISOString(), facts },
  );
  return executorResult(record);
}
