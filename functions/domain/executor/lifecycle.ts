/**
 * The executor state machine (docs/contracts.md), in one pure module: which statuses
 * may be edited or deleted, and each transition's from and to. The store builds its
 * write conditions from these lists and the use cases name transitions from here.
 *
 * create → unconfigured; a complete configuration (create or PATCH) → configured;
 * a passed connectivity test: configured → tested; activate: tested → active;
 * disable: active → disabled; enable: disabled → active.
 */
import type { executorStatuses } from '../../../schemas/executor.js';

export type ExecutorStatus = (typeof executorStatuses)[number];

/** Statuses in which the configuration may still be edited (PATCH). */
export const editableStatuses: readonly ExecutorStatus[] = ['unconfigured', 'configured'];

/** Statuses from which an executor may be deleted: not while tested or active. */
export const deletableStatuses: readonly ExecutorStatus[] = ['unconfigured', 'configured', 'disabled'];

/** Where a PATCH (or a complete create) leaves an executor. */
export const configuredStatus: ExecutorStatus = 'configured';

/** The move a passed connectivity test makes. */
export const testPromotion = { from: 'configured', to: 'tested' } as const satisfies {
  from: ExecutorStatus;
  to: ExecutorStatus;
};

/** The transitions the lifecycle routes make, by action. */
export const transitions = {
  activate: { action: 'activate', from: 'tested', to: 'active' },
  disable: { action: 'disable', from: 'active', to: 'disabled' },
  enable: { action: 'enable', from: 'disabled', to: 'active' },
} as const satisfies Record<string, { action: string; from: ExecutorStatus; to: ExecutorStatus }>;

export type Transition = (typeof transitions)[keyof typeof transitions];

/** The status a new executor starts in: configured when baseUrl, endpoints and authentication are all given. */
export function initialStatus(complete: boolean): ExecutorStatus {
  return complete ? configuredStatus : 'unconfigured';
}
