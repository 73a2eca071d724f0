/** `DELETE /v1/executors/{id}`: 204; refused while tested or active; the name is free again. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import * as executorStore from '../store/executors.js';
import type { executorIdParams } from '../../schemas/executor.js';

export async function deleteExecutor(command: CommandFor<{ params: typeof executorIdParams }>): Promise<Result> {
  const { principal, actor, params, precondition } = command;
  await executorStore.deleteExecutor(
    principal.organizationId,
    params.id,
    precondition,
    actor,
    new Date().toISOString(),
  );
  return { status: 204 };
}
