/**
 * A GET body PATCHed back: the response fields flowplane computes are accepted when they
 * say what is stored (422 when they would change it), the keys xpander's SDK derives into
 * `instructions` are dropped, and a field sent at its documented default is the same as
 * the field left unset. So a GET answer sent back unchanged asks for no change at all.
 * Pure functions: the read-only claims are checked against the working copy read, or by the
 * write's own condition when nothing was read.
 */
import { derivedInstructionKeys, responseOnlyDefaults } from '../../../schemas/workflow.js';
import { canonicalJson } from '../canonical-json.js';
import { RequestValidationError, type Violation } from '../../errors.js';
import { readOnlyViolation } from '../read-only-claims.js';
import { uniqueNameOf, webhookUrl, type WorkflowRecord } from './model.js';
import { assertWorkflowRules } from './rules.js';

/** A read-only claim of a PATCH body: the stored attribute a read-only response field states, and its value. */
export interface WorkflowReadOnlyClaim {
  field: 'unique_name' | 'version' | 'is_latest' | 'has_pending_changes' | 'created_at' | 'created_by';
  attribute: 'uniqueName' | 'version' | 'hasPendingChanges' | 'createdAt' | 'createdBy';
  value: string | number | boolean;
}

const claimedAttributes = {
  unique_name: 'uniqueName',
  version: 'version',
  is_latest: 'hasPendingChanges',
  has_pending_changes: 'hasPendingChanges',
  created_at: 'createdAt',
  created_by: 'createdBy',
} as const;

/** `is_latest` says the opposite of `hasPendingChanges`. */
const stated = (field: WorkflowReadOnlyClaim['field'], value: unknown) =>
  (field === 'is_latest' ? !value : value) as WorkflowReadOnlyClaim['value'];

/**
 * The read-only claims of a PATCH body: `id` and `webhook_url` (they follow from the
 * path) and the fields xpander's service owns (each must be its documented default)
 * checked at once, the rest returned for the write to check against the stored working copy.
 */
export function workflowReadOnlyClaims(
  body: Record<string, unknown>,
  workflowId: string,
): { violations: Violation[]; readOnlyClaims: WorkflowReadOnlyClaim[] } {
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
  const readOnlyClaims = (Object.keys(claimedAttributes) as WorkflowReadOnlyClaim['field'][])
    .filter((field) => body[field] !== undefined)
    .map((field) => ({ field, attribute: claimedAttributes[field], value: stated(field, body[field]) }));
  return { violations, readOnlyClaims };
}

/**
 * What a stored working copy holds for a read-only claim's attribute (a unique name as shown, also for older
 * workflows).
 */
export function storedClaimedValue(record: WorkflowRecord, attribute: WorkflowReadOnlyClaim['attribute']): unknown {
  return attribute === 'uniqueName' ? uniqueNameOf(record) : record[attribute];
}

/** The read-only claims a stored working copy contradicts, as violations naming what it holds. */
export function workflowReadOnlyClaimViolations(
  record: WorkflowRecord,
  readOnlyClaims: readonly WorkflowReadOnlyClaim[],
): Violation[] {
  return readOnlyClaims
    .filter((claim) => storedClaimedValue(record, claim.attribute) !== claim.value)
    .map((claim) =>
      readOnlyViolation(
        claim.field,
        stated(claim.field, storedClaimedValue(record, claim.attribute)),
        stated(claim.field, claim.value),
      ),
    );
}

/**
 * A PATCH body's rules, and its read-only claims: `id` and `webhook_url` must be this
 * workflow's; the others are returned, for the write to check.
 */
export function assertPatchRules(
  body: Record<string, unknown>,
  organizationId: string,
  workflowId: string,
): WorkflowReadOnlyClaim[] {
  const { violations, readOnlyClaims } = workflowReadOnlyClaims(body, workflowId);
  if (violations.length > 0) throw new RequestValidationError(violations);
  assertWorkflowRules(body, organizationId);
  return readOnlyClaims;
}

/** Refuses a working copy that contradicts a read-only claim of a PATCH. */
export function assertReadOnlyClaims(record: WorkflowRecord, readOnlyClaims: readonly WorkflowReadOnlyClaim[]): void {
  const violations = workflowReadOnlyClaimViolations(record, readOnlyClaims);
  if (violations.length > 0) throw new RequestValidationError(violations);
}

/** `instructions` without the keys xpander's SDK derives from the others. */
export function withoutDerivedInstructions(instructions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(instructions).filter(([key]) => !(derivedInstructionKeys as readonly string[]).includes(key)),
  );
}
