/**
 * What executor use cases share on the way in and out: the rules a body must pass, the
 * name as stored, and the result (its body the seed's `ExecutorConfigurationOutput`, its
 * version the ETag).
 */
import type { Result } from '../pipeline/command.js';
import { type ExecutorRecord, toExecutorOutput } from '../domain/executor/model.js';
import { executorBodyViolations } from '../domain/executor/rules.js';
import { displayName } from '../domain/names.js';
import { RuleViolationError } from '../errors.js';

export function executorResult(record: ExecutorRecord, status = 200): Result {
  return { status, body: toExecutorOutput(record), version: record.version };
}

/** Refuses a body that breaks a rule beyond the schema (every violation at once). */
export function assertExecutorRules(body: Parameters<typeof executorBodyViolations>[0]): void {
  const violations = executorBodyViolations(body);
  if (violations.length > 0) throw new RuleViolationError(violations);
}

/** The name as it will be stored: NFC, no surrounding blanks (the schema's `display-name` refused anything else). */
export function storedName(name: string): string {
  return displayName(name);
}
