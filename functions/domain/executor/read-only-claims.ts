/**
 * An executor's GET body PATCHed back: its read-only claims (`id`, `status` and the
 * timestamps) are accepted when they say what is stored (a 400 when they would change it),
 * and a PATCH that would store what is already stored writes nothing. Pure functions: the
 * store checks the read-only claims in the write's own condition, and tells a no-op from the
 * old item a failed write returns.
 */
import { canonicalJson } from '../canonical-json.js';
import type { Violation } from '../../errors.js';
import { readOnlyViolation } from '../read-only-claims.js';
import type { ExecutorRecord, StoredEndpoint } from './model.js';

/** The read-only fields of an executor body, each the attribute of the same name. */
export const executorReadOnlyFields = ['status', 'createdAt', 'updatedAt', 'lastTestedAt'] as const;

/** A read-only claim of a PATCH body: the stored attribute a read-only field states, and the value it states. */
export interface ExecutorReadOnlyClaim {
  field: (typeof executorReadOnlyFields)[number];
  value: string;
}

/**
 * The read-only claims of a PATCH body: `id` checked at once (it follows from the path), the rest returned for the
 * write to check.
 */
export function executorReadOnlyClaims(
  body: Record<string, unknown>,
  executorId: string,
): { violations: Violation[]; readOnlyClaims: ExecutorReadOnlyClaim[] } {
  const violations =
    body.id !== undefined && (typeof body.id !== 'string' || body.id.toLowerCase() !== executorId)
      ? [readOnlyViolation('id', executorId, body.id)]
      : [];
  const readOnlyClaims = executorReadOnlyFields
    .filter((field) => body[field] !== undefined)
    .map((field) => ({ field, value: String(body[field]) }));
  return { violations, readOnlyClaims };
}

/** The read-only claims a stored executor contradicts, as violations naming what it holds. */
export function executorReadOnlyClaimViolations(
  record: ExecutorRecord,
  readOnlyClaims: readonly ExecutorReadOnlyClaim[],
): Violation[] {
  return readOnlyClaims
    .filter((claim) => record[claim.field] !== claim.value)
    .map((claim) => readOnlyViolation(claim.field, record[claim.field], claim.value));
}

/** What a PATCH would store, as far as telling it from what is stored goes. */
export interface ExecutorTarget {
  name: string;
  baseUrl: string;
  endpoints: StoredEndpoint[];
  authType: string;
  /** Where the secrets may go (functions/domain/executor/rules.ts `secretDestination`). */
  secretsBoundTo: string;
  authConfig: Record<string, string>;
  /** Secrets sent in clear (`set`: always a change, each is sealed anew) and the ones sent masked (`keep`). */
  authSecrets: { set: Record<string, string>; keep: readonly string[] };
  description?: string;
  /** Metadata keys to add or overwrite (values as JSON text). */
  metadata: Record<string, string>;
}

/**
 * True when a PATCH would store nothing new: the same configuration, every masked secret
 * kept and no other stored, the description (if sent) and every metadata entry sent equal,
 * and a status the PATCH does not move (every status but `unconfigured`).
 */
export function executorUnchanged(record: ExecutorRecord, target: ExecutorTarget): boolean {
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const storedSecrets = Object.keys(record.authSecrets ?? {}).sort();
  return (
    Object.keys(target.authSecrets.set).length === 0 &&
    record.status !== 'unconfigured' &&
    record.name === target.name &&
    record.baseUrl === target.baseUrl &&
    record.authType === target.authType &&
    record.secretsBoundTo === target.secretsBoundTo &&
    same(record.endpoints, target.endpoints) &&
    same(record.authConfig ?? {}, target.authConfig) &&
    same(storedSecrets, [...target.authSecrets.keep].sort()) &&
    (target.description === undefined || record.description === target.description) &&
    Object.entries(target.metadata).every(([key, text]) => record.metadata?.[key] === text)
  );
}
