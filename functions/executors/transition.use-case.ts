/** `POST /v1/executors/{id}/activate|disable|enable`: one move of the state machine. */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import type { Transition } from '../domain/executor/lifecycle.js';
import { transitionExecutor } from '../store/executors.js';
import type { executorIdParams } from '../../schemas/executor.js';
import { executorResult } from './result.js';

/** The use case for one state-machine action (functions/domain/executor/lifecycle.ts). */
export function transitionUseCase(transition: Transition) {
  return async (command: CommandFor<{ params: typeof executorIdParams }>): Promise<Result> => {
    const { principal, actor, params, precondition } = command;
    const record = await transitionExecutor(
      principal.organizationId,
      params.id,
      transition,
      precondition,
      actor,
      new Date().toISOString(),
    );
    return executorResult(record);
  };
}
