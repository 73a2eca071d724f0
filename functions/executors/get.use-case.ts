/** `GET /v1/executors/{id}`: the configuration, secrets masked. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import * as executorStore from '../store/executors.js';
import type { executorIdParams } from '../../schemas/executor.js';
import { executorResult } from './result.js';

export async function getExecutor(command: CommandFor<{ params: typeof executorIdParams }>): Promise<Result> {
  return executorResult(await executorStore.getExecutor(command.principal.organizationId, command.params.id));
}
