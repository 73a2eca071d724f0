/**
 * The audit log, as pure rules: an entry per resource change saying who changed what
 * (secret values redacted) and when, with the hash of the resulting state; entries of
 * one resource form a hash chain (each holds the previous entry's hash, the first the
 * genesis value), so editing, removing or reordering an entry breaks the chain at that
 * entry, which `verifyAuditChain` reports.
 *
 * An entry's hash is SHA-256 over the canonical JSON (canonical-json.ts) of its chain
 * record: every attribute of the entry except `hash` itself, `prevHash` included. Its
 * public id, the `eventId`, is derived from the record (its organization, resource and
 * place), never stored in it: entries written before it existed hash as they always did,
 * and every reader names an entry the same. Answers show each entry in Flowker's shape
 * (`toAuditEventOutput`), every field of it the record or derived from it.
 */
import { createHash } from 'node:crypto';
import { isSensitiveKey } from './secrets.js';
import { isSealed } from '../secrets/envelope.js';
import { canonicalJson, hashOf, sha256Hex } from './canonical-json.js';
import type { ChangeAction, FieldValues, ResourceChange, ResourceType } from './resource-change.js';
import type { auditActions, auditEventTypes } from '../../schemas/audit.js';

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

/**
 * The namespace of entry ids (a UUID of flowplane's own): an `eventId` is the version 5 UUID (RFC 9562, SHA-1) of
 * the entry's organization, resource and place in it, so whoever reads an entry, before or after it stored its id,
 * names it the same.
 */
const eventIdNamespace = Buffer.from('904b083ac0014705886240f61dead644', 'hex');

/** The `eventId` of the `seq`-th entry of a resource's chain in an organization. */
export function auditEventIdOf(organizationId: string, resourceId: string, seq: number): string {
  const digest = createHash('sha1')
    .update(eventIdNamespace)
    .update(canonicalJson([organizationId, resourceId, seq]))
    .digest();
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The hash an entry must hold: SHA-256 of the canonical JSON of its chain record, all its attributes but `hash`. */
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

/** Flowker's `HashChainVerificationOutput`, then where and why the chain breaks. */
export interface AuditVerification {
  isValid: boolean;
  /** How many entries were checked before the verdict (all up to the target when valid). */
  totalChecked: number;
  /** The place (`seq`) of the first broken entry; absent when the chain is intact. */
  firstInvalidId?: number;
  message: string;
  /** The entry verified up to. */
  eventId: string;
  resourceId: string;
  seq: number;
  firstBrokenLink: { eventId: string; seq: number; reason: BrokenLinkReason; message: string } | null;
}

/**
 * A stored entry: its position from its key, its attributes (keys aside), and whether the keys that list it (in its
 * organization's feed, under its `eventId`), where it has them, say what its attributes say.
 */
export interface StoredAuditEntry {
  position: number;
  fields: Record<string, unknown>;
  keysAgree?: boolean;
}

const messages: Record<BrokenLinkReason, string> = {
  missing_entry: 'The entry is missing from the chain.',
  misplaced_entry:
    'The entry does not belong at this place: its resource, sequence, id or index keys differ from what it holds.',
  previous_hash_mismatch: "The entry's previous hash is not the hash of the entry before it.",
  hash_mismatch: "The entry's content does not hash to the hash it holds: it was changed after it was written.",
};

/**
 * Recomputes a resource's chain from its first entry up to `seq` (entries in key order)
 * and reports the first broken link: a gap, an entry out of place, a previous hash that
 * is not its predecessor's hash, content that no longer hashes to its own hash, or index
 * keys (its place in the feed, its `eventId`) that say another entry than its content does.
 */
export function verifyAuditChain(
  entries: readonly StoredAuditEntry[],
  organizationId: string,
  resourceId: string,
  seq: number,
): AuditVerification {
  const eventIdAt = (place: number) => auditEventIdOf(organizationId, resourceId, place);
  const verdict = (checked: number, broken?: { seq: number; reason: BrokenLinkReason }): AuditVerification => ({
    isValid: broken === undefined,
    totalChecked: checked,
    ...(broken ? { firstInvalidId: broken.seq } : {}),
    message: broken ? `hash chain broken at seq ${broken.seq}: ${messages[broken.reason]}` : 'hash chain is valid',
    eventId: eventIdAt(seq),
    resourceId,
    seq,
    firstBrokenLink: broken
      ? { eventId: eventIdAt(broken.seq), seq: broken.seq, reason: broken.reason, message: messages[broken.reason] }
      : null,
  });
  let previousHash = genesisHash;
  let expected = 1;
  for (const { position, fields, keysAgree = true } of entries) {
    if (position > seq) break;
    if (position !== expected) return verdict(expected - 1, { seq: expected, reason: 'missing_entry' });
    if (
      fields.seq !== position ||
      fields.resourceId !== resourceId ||
      fields.organizationId !== organizationId ||
      fields.id !== auditEntryId(resourceId, position)
    ) {
      return verdict(expected, { seq: position, reason: 'misplaced_entry' });
    }
    if (fields.prevHash !== previousHash) return verdict(expected, { seq: position, reason: 'previous_hash_mismatch' });
    if (auditHashOf(fields) !== fields.hash) return verdict(expected, { seq: position, reason: 'hash_mismatch' });
    // Derived from the content: checked once the content holds.
    if (!keysAgree) return verdict(expected, { seq: position, reason: 'misplaced_entry' });
    previousHash = String(fields.hash);
    expected += 1;
  }
  if (expected <= seq) return verdict(expected - 1, { seq: expected, reason: 'missing_entry' });
  return verdict(seq);
}

type FlowkerAction = (typeof auditActions)[number];

/** What was done, in Flowker's words. */
const flowkerActions: Record<ChangeAction, FlowkerAction> = {
  created: 'CREATE',
  updated: 'UPDATE',
  deployed: 'DEPLOY',
  deleted: 'DELETE',
};

/** The event type of a change: the resource and what was done to it (`EXECUTOR_UPDATED`). */
export function auditEventTypeOf(resourceType: ResourceType, action: ChangeAction): (typeof auditEventTypes)[number] {
  return `${resourceType.toUpperCase()}_${action.toUpperCase()}` as (typeof auditEventTypes)[number];
}

/**
 * Who made a change, as Flowker's actor: the name the change recorded (an API key's name over HTTP, the sender a
 * command named), as an `api_key`; a change nobody was recorded for (`unknown`), the `system`. The one place the
 * audit answer reads the actor from an entry.
 */
export function auditActorOf(actor: string): { type: 'api_key' | 'system'; id: string } {
  return { type: actor === 'unknown' ? 'system' : 'api_key', id: actor };
}

/** Which entries a feed keeps: of one resource type, of one action. */
export interface AuditFilter {
  resourceType?: ResourceType;
  action?: ChangeAction;
}

/** What each event type says about an entry: its resource type and action. */
const eventTypeMeanings: Readonly<Record<string, AuditFilter>> = Object.fromEntries(
  (['executor', 'workflow'] as const).flatMap((resourceType) =>
    (Object.keys(flowkerActions) as ChangeAction[]).map((action) => [
      auditEventTypeOf(resourceType, action),
      { resourceType, action },
    ]),
  ),
);

/**
 * The filter Flowker's query parameters ask for, in what entries hold: an event type is a resource type and an
 * action. `result=FAILED` (every recorded change was made) and parameters that contradict each other match no entry:
 * undefined.
 */
export function auditFilterOf(query: {
  eventType?: (typeof auditEventTypes)[number];
  action?: FlowkerAction;
  result?: 'SUCCESS' | 'FAILED';
  resourceType?: ResourceType;
}): AuditFilter | undefined {
  if (query.result === 'FAILED') return undefined;
  const action = (Object.keys(flowkerActions) as ChangeAction[]).find((verb) => flowkerActions[verb] === query.action);
  const asked: AuditFilter[] = [
    query.eventType ? eventTypeMeanings[query.eventType] : {},
    query.resourceType ? { resourceType: query.resourceType } : {},
    action ? { action } : {},
  ];
  const filter: AuditFilter = {};
  for (const part of asked) {
    if (part.resourceType && filter.resourceType && part.resourceType !== filter.resourceType) return undefined;
    if (part.action && filter.action && part.action !== filter.action) return undefined;
    Object.assign(filter, part);
  }
  return filter;
}

/**
 * An entry as the API shows it: Flowker's `AuditEntryOutput` (its id, event type, action, result, resource, actor,
 * time, hashes and context), then flowplane's own fields. Every value is the chain record's or derived from it, so
 * the answer carries what its hash covers (docs/events-and-audit.md).
 */
export function toAuditEventOutput(fields: Record<string, unknown>) {
  const organizationId = String(fields.organizationId);
  const resourceId = String(fields.resourceId);
  const resourceType = fields.resourceType as ResourceType;
  const action = fields.action as ChangeAction;
  const seq = Number(fields.seq);
  return {
    eventId: auditEventIdOf(organizationId, resourceId, seq),
    eventType: auditEventTypeOf(resourceType, action),
    action: flowkerActions[action],
    result: 'SUCCESS' as const,
    resourceType,
    resourceId,
    actor: auditActorOf(String(fields.actor)),
    timestamp: String(fields.at),
    hash: String(fields.hash),
    previousHash: String(fields.prevHash),
    context: { organizationId, streamEventId: String(fields.streamEventId) },
    seq,
    resourceVersion: Number(fields.resourceVersion),
    ...(typeof fields.principal === 'string' ? { principal: fields.principal } : {}),
    ...(typeof fields.permission === 'string' ? { permission: fields.permission } : {}),
    changedFields: fields.changedFields as string[],
    changes: fields.changes as Record<string, AuditFieldChange>,
    stateHash: String(fields.stateHash),
  };
}
