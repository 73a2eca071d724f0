/**
 * `PATCH /v1/executors/{id}`: replaces the configuration, merges metadata, status →
 * configured; writes nothing when it would store what is stored (a GET body sent back).
 * Its read-only claims (`id`, `status`, timestamps sent back) must say what is stored.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { encodeValues, normalizeBaseUrl, toStoredEndpoints } from '../domain/executor/model.js';
import { executorReadOnlyClaims } from '../domain/executor/read-only-claims.js';
import { secretDestination } from '../domain/executor/rules.js';
import { authorizationOf } from '../domain/permissions.js';
import { ConcurrentChangeError, RequestValidationError } from '../errors.js';
import * as executorStore from '../store/executors.js';
import type { executorIdParams, updateExecutorInput } from '../../schemas/executor.js';
import { assertExecutorRules, executorResult, storedName } from './result.js';
import { partitionConfig, resealSecrets } from './secrets.js';

export async function updateExecutor(
  command: CommandFor<{ params: typeof executorIdParams; body: typeof updateExecutorInput }>,
): Promise<Result> {
  const { body, principal, actor, params, precondition } = command;
  const { organizationId } = principal;
  const { violations, readOnlyClaims } = executorReadOnlyClaims(body, params.id);
  if (violations.length > 0) throw new RequestValidationError(violations);
  assertExecutorRules(body);
  const baseUrl = normalizeBaseUrl(body.baseUrl);
  const { type, config } = body.authentication;
  const replacement: executorStore.ExecutorReplacement = {
    name: storedName(body.name),
    baseUrl,
    endpoints: toStoredEndpoints(body.endpoints),
    authType: type,
    secretsBoundTo: secretDestination(type, baseUrl, config),
    ...(await partitionConfig(config, organizationId, params.id)),
    ...(body.description !== undefined ? { description: body.description } : {}),
    metadata: encodeValues(body.metadata),
    updatedBy: actor.name,
    authorizedBy: authorizationOf(actor),
  };
  const write = { now: new Date().toISOString(), readOnlyClaims };
  const replaced = await executorStore.updateExecutor(organizationId, params.id, replacement, precondition, write);
  if ('record' in replaced) return executorResult(replaced.record);
  // Rare (once per secret after a data key rotation): a kept secret is stored under an older key. The store holds
  // no key, so it reports which instead of calling up; they are re-sealed here and the write made once more. The
  // common case stays one request, and this one costs what it cost when the store re-sealed: a second UpdateItem.
  const resealed = await resealSecrets(replaced.staleSecrets, organizationId, params.id);
  const again = await executorStore.updateExecutor(
    organizationId,
    params.id,
    { ...replacement, authSecrets: { ...replacement.authSecrets, resealed } },
    precondition,
    write,
  );
  // Stored under an older key again since (a writer still on that key during a rotation): another writer's change.
  if (!('record' in again)) throw new ConcurrentChangeError('executor');
  return executorResult(again.record);
}
