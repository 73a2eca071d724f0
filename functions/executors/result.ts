/**
 * How an executor use case answers: the seed's `ExecutorConfigurationOutput`, its
 * version as the ETag.
 */
import type { Result } from '../core/command.js';
import { type ExecutorRecord, toExecutorOutput } from '../domain/executor/model.js';
import { executorBodyViolations } from '../domain/executor/rules.js';
import { RuleViolationError } from '../errors.js';

export function executorResult(record: ExecutorRecord, status = 200): Result {
  return { status, body: toExecutorOutput(record), version: record.version };
}

/** Refuses a body that breaks a rule beyond the schema (every violation at once). */
export function assertExecutorRules(body: Parameters<typeof executorBodyViolations>[0]): void {
  const violations = executorBodyViolations(body);
  if (violations.length > 0) throw new RuleViolationError(violations);
}
