/**
 * A GET body PATCHed back: the response fields flowplane computes are accepted when they
 * say what is stored (422 when they would change it), the keys xpander's SDK derives into
 * `instructions` are dropped, and a field sent at its documented default is the same as
 * the field left unset. So a GET answer sent back unchanged asks for no change at all.
 * Pure functions: the stored facts are checked against the working copy read, or by the
 * write's own condition when nothing was read.
 */
import { derivedInstructionKeys, responseOnlyDefaults } from '../../../schemas/workflow.js';
import { canonicalJson } from '../canonical-json.js';
import { RequestValidationError, type Violation } from '../../errors.js';
import { readOnlyViolation } from '../read-only.js';
import { uniqueNameOf, webhookUrl, type WorkflowRecord } from './model.js';
import { assertWorkflowRules } from './rules.js';

/** A stored attribute a read-only response field states, and the value it states. */
export interface StoredFact {
  field: 'unique_name' | 'version' | 'is_latest' | 'has_pending_changes' | 'created_at' | 'created_by';
  attribute: 'uniqueName' | 'version' | 'hasPendingChanges' | 'createdAt' | 'createdBy';
  value: string | number | boolean;
}

const factAttributes = {
  unique_name: 'uniqueName',
  version: 'version',
  is_latest: 'hasPendingChanges',
  has_pending_changes: 'hasPendingChanges',
  created_at: 'createdAt',
  created_by: 'createdBy',
} as const;

/** `is_latest` says the opposite of `hasPendingChanges`. */
const stated = (field: StoredFact['field'], value: unknown) =>
  (field === 'is_latest' ? !value : value) as StoredFact['value'];

/**
 * The read-only fields of a PATCH body: `id` and `webhook_url` (they follow from the
 * path) and the fields xpander's service owns (each must be its documented default)
 * checked at once, the rest returned as facts about the stored working copy.
 */
export function readOnlyClaims(
  body: Record<string, unknown>,
  workflowId: string,
): { violations: Violation[]; facts: StoredFact[] } {
  const violations: Violation[] = [];
  for (const [field, shown] of responseOnlyDefaults) {
    if (body[field] !== undefined && canonicalJson(body[field]) !== canonicalJson(shown))
      violations.push(readOnlyViolation(field, shown, body[field]));
  }
  if (body.id !== undefined && (typeof body.id !== 'string' || body.id.toLowerCase() !== workflowId))
    violations.push(readOnlyViolation('id', workflowId, body.id));
  if (body.webhook_url !== undefined && body.webhook_url !== webhookUrl(workflowId)) {
    violations.push(readOnlyViolation('webhook_url', webhookUrl(workflowId), body.webhook_url));
  }
  const facts = (Object.keys(factAttributes) as StoredFact['field'][])
    .filter((field) => body[field] !== undefined)
    .map((field) => ({ field, attribute: factAttributes[field], value: stated(field, body[field]) }));
  return { violations, facts };
}

/** What a stored working copy holds for a fact's attribute (a unique name as shown, also for older workflows). */
export function storedFactValue(record: WorkflowRecord, attribute: StoredFact['attribute']): unknown {
  return attribute === 'uniqueName' ? uniqueNameOf(record) : record[attribute];
}

/** The facts a stored working copy contradicts, as violations naming what it holds. */
export function factViolations(record: WorkflowRecord, facts: readonly StoredFact[]): Violation[] {
  return facts
    .filter((fact) => storedFactValue(record, fact.attribute) !== fact.value)
    .map((fact) =>
      readOnlyViolation(
        fact.field,
        stated(fact.field, storedFactValue(record, fact.attribute)),
        stated(fact.field, fact.value),
      ),
    );
}

/**
 * A PATCH body's rules, and its read-only fields: `id` and `webhook_url` must be this
 * workflow's; the stored facts the others state are returned, for the write to check.
 */
export function assertPatchRules(
  body: Record<string, unknown>,
  organizationId: string,
  workflowId: string,
): StoredFact[] {
  const { violations, facts } = readOnlyClaims(body, workflowId);
  if (violations.length > 0) throw new RequestValidationError(violations);
  assertWorkflowRules(body, organizationId);
  return facts;
}

/** Refuses a working copy that contradicts what the read-only fields of a PATCH said. */
export function assertFacts(record: WorkflowRecord, facts: readonly StoredFact[]): void {
  const violations = factViolations(record, facts);
  if (violations.length > 0) throw new RequestValidationError(violations);
}

/** `instructions` without the keys xpander's SDK derives from the others. */
export function withoutDerivedInstructions(instructions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(instructions).filter(([key]) => !(derivedInstructionKeys as readonly string[]).includes(key)),
  );
}
