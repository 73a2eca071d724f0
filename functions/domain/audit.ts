/**
 * The audit log, as pure rules: an entry per resource change saying who changed what
 * (secret values redacted) and when, with the hash of the resulting state; entries of
 * one resource form a hash chain (each holds the previous entry's hash, the first the
 * genesis value), so editing, removing or reordering an entry breaks the chain at that
 * entry, which `verifyAuditChain` reports.
 *
 * An entry's hash is SHA-256 over the canonical JSON (canonical-json.ts) of every
 * attribute of the entry except `hash` itself, `prevHash` included.
 */
import { isSensitiveKey } from './secrets.js';
import { isSealed } from '../secrets/envelope.js';
import { canonicalJson, hashOf, sha256Hex } from './canonical-json.js';
import type { ChangeAction, FieldValues, ResourceChange, ResourceType } from './resource-change.js';

/** What the first entry of every chain holds as the previous hash. */
export const genesisHash = '0'.repeat(64);

/** What a secret value becomes in an audit entry. */
export const redactedValue = '[REDACTED]';

/**
 * A changed value larger than this (canonical JSON bytes) is recorded as its digest, so an entry stays far below 400
 * KB.
 */
export const maxChangeValueBytes = 2048;

export interface AuditFieldChange {
  from?: unknown;
  to?: unknown;
}

/** An entry as drafted from a change, before its place in the chain is known. */
export interface AuditDraft {
  organizationId: string;
  resourceType: ResourceType;
  resourceId: string;
  /** The resource's version after the change (see `ResourceChange.version`). */
  resourceVersion: number;
  action: ChangeAction;
  actor: string;
  /** Which credential made the change (`apikey:<prefix>`, `oidc:<issuer>#<subject>`, a command source); absent on entries of changes an earlier release wrote. */
  principal?: string;
  /** The permission it was allowed by; absent where `principal` is. */
  permission?: string;
  at: string;
  changedFields: string[];
  /** Each changed field's value before and after, secrets redacted, large values as digests. */
  changes: Record<string, AuditFieldChange>;
  /** SHA-256 of the canonical JSON of the item after the change (`null` once deleted). */
  stateHash: string;
  /** The stream record this entry came from; a record is appended at most once. */
  streamEventId: string;
}

export interface AuditEntry extends AuditDraft {
  /** `<resourceId>.<seq>`. */
  id: string;
  /** Position in the resource's chain, from 1. */
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * A value with every secret replaced: under a sensitive key (executor `authSecrets`, workflow credentials…) or sealed.
 */
export function redact(value: unknown, sensitive = false): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return sensitive || isSealed(value) ? redactedValue : value;
  if (value instanceof Set) return redact([...value], sensitive);
  if (Array.isArray(value)) return value.map((member) => redact(member, sensitive));
  if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, member]) => [
        key,
        redact(member, sensitive || isSensitiveKey(key)),
      ]),
    );
  }
  return sensitive ? redactedValue : value;
}

/** A (redacted) value, or its digest when it is too large to keep in the entry. */
function bounded(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = canonicalJson(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxChangeValueBytes ? { $sha256: sha256Hex(text), $bytes: bytes } : value;
}

function fieldChange(name: string, values: FieldValues | undefined): AuditFieldChange {
  const sensitive = isSensitiveKey(name);
  const from = bounded(redact(values?.before, sensitive));
  const to = bounded(redact(values?.after, sensitive));
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** The audit entry a resource change makes, before it is placed in its chain. */
export function auditDraftOf(change: ResourceChange): AuditDraft {
  return {
    organizationId: change.organizationId,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    resourceVersion: change.version,
    action: change.action,
    actor: change.actor ?? 'unknown',
    ...(change.authorization ? { ...change.authorization } : {}),
    at: change.at,
    changedFields: change.changedFields,
    changes: Object.fromEntries(
      change.changedFields.map((name) => [name, fieldChange(name, change.changedValues[name])]),
    ),
    stateHash: hashOf(change.action === 'deleted' ? null : (change.after ?? null)),
    streamEventId: change.eventId,
  };
}

/** An entry's public id. */
export function auditEntryId(resourceId: string, seq: number): string {
  return `${resourceId}.${seq}`;
}

/** The resource and position an entry id names, or undefined for a malformed id. */
export function parseAuditEntryId(id: string): { resourceId: string; seq: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,128})\.([1-9][0-9]{0,9})$/.exec(id);
  return match ? { resourceId: match[1], seq: Number(match[2]) } : undefined;
}

/** The hash an entry must hold: SHA-256 of the canonical JSON of all its attributes but `hash`. */
export function auditHashOf(fields: Record<string, unknown>): string {
  const { hash: _hash, ...hashed } = fields;
  return hashOf(hashed);
}

/** The draft placed after `previous` (or first in its chain), hashed. */
export function sealAuditEntry(draft: AuditDraft, previous: { seq: number; hash: string } | undefined): AuditEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const unsealed = { ...draft, id: auditEntryId(draft.resourceId, seq), seq, prevHash: previous?.hash ?? genesisHash };
  return { ...unsealed, hash: auditHashOf(unsealed) };
}

export type BrokenLinkReason = 'missing_entry' | 'misplaced_entry' | 'previous_hash_mismatch' | 'hash_mismatch';

export interface AuditVerification {
  id: string;
  resourceId: string;
  valid: boolean;
  /** How many entries were checked before the verdict (all up to the target when valid). */
  entriesChecked: number;
  firstBrokenLink: { id: string; seq: number; reason: BrokenLinkReason; message: string } | null;
}

/** A stored entry: its position from its key, and its attributes (keys aside). */
export interface StoredAuditEntry {
  position: number;
  fields: Record<string, unknown>;
}

const messages: Record<BrokenLinkReason, string> = {
  missing_entry: 'The entry is missing from the chain.',
  misplaced_entry: 'The entry does not belong at this place: its resource or sequence differs from its key.',
  previous_hash_mismatch: "The entry's previous hash is not the hash of the entry before it.",
  hash_mismatch: "The entry's content does not hash to the hash it holds: it was changed after it was written.",
};

/**
 * Recomputes a resource's chain from its first entry up to `seq` (entries in key order)
 * and reports the first broken link: a gap, an entry out of place, a previous hash that
 * is not its predecessor's hash, or content that no longer hashes to its own hash.
 */
export function verifyAuditChain(
  entries: readonly StoredAuditEntry[],
  resourceId: string,
  seq: number,
): AuditVerification {
  const verdict = (checked: number, broken?: { seq: number; reason: BrokenLinkReason }): AuditVerification => ({
    id: auditEntryId(resourceId, seq),
    resourceId,
    valid: broken === undefined,
    entriesChecked: checked,
    firstBrokenLink: broken
      ? {
          id: auditEntryId(resourceId, broken.seq),
          seq: broken.seq,
          reason: broken.reason,
          message: messages[broken.reason],
        }
      : null,
  });
  let previousHash = genesisHash;
  let expected = 1;
  for (const { position, fields } of entries) {
    if (position > seq) break;
    if (position !== expected) return verdict(expected - 1, { seq: expected, reason: 'missing_entry' });
    if (
      fields.seq !== position ||
      fields.resourceId !== resourceId ||
      fields.id !== auditEntryId(resourceId, position)
    ) {
      return verdict(expected, { seq: position, reason: 'misplaced_entry' });
    }
    if (fields.prevHash !== previousHash) return verdict(expected, { seq: position, reason: 'previous_hash_mismatch' });
    if (auditHashOf(fields) !== fields.hash) return verdict(expected, { seq: position, reason: 'hash_mismatch' });
    previousHash = String(fields.hash);
    expected += 1;
  }
  if (expected <= seq) return verdict(expected - 1, { seq: expected, reason: 'missing_entry' });
  return verdict(seq);
}
