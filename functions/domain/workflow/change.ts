/**
 * The rules of a workflow change, as pure functions: what a body asks to change (each
 * field set or cleared, each secret sent in clear or masked), what the content becomes once
 * the change meets what is stored (a mask keeps the stored value; a kept secret never
 * follows its destination to another origin), whether a working copy already holds it,
 * and what a deploy or a rollback snapshots. Secrets are sealed between asking and
 * applying (functions/workflows/secrets.ts); here a sealed value is opaque text.
 */
import { workflowFieldNames } from '../../../schemas/workflow.js';
import { RuleViolationError, type Violation } from '../../errors.js';
import { canonicalJson } from '../canonical-json.js';
import { secretMask } from '../secrets.js';
import {
  credentialNotStored,
  credentialRebound,
  encodeField,
  isDocumentedDefault,
  llmApiBaseOrigin,
  type StoredContent,
  type WorkflowRecord,
} from './model.js';
import {
  maskedNotificationSettings,
  notificationDestination,
  type NotificationKeeps,
  type NotificationSecret,
  notificationSecretNotStored,
  notificationSecretRebound,
  notificationSecretsOf,
} from './notifications.js';
import { withoutDerivedInstructions } from './read-only-claims.js';

/** A workflow request body (create or PATCH), after schema validation. */
export type WorkflowBody = Record<string, unknown>;

/** What a body asks to change, its secrets still as sent: the sealing module seals them. */
export interface RequestedChange {
  /** Fields to set (JSON text) and fields to clear. */
  set: Record<string, string>;
  remove: string[];
  /** `llm_credentials.value`: a new value, the stored one kept (the mask was sent back), or none. */
  credential?: { value: string } | 'keep' | 'clear';
  /**
   * When the body names `notification_settings`: its secrets sent in clear, those sent masked
   * (each to keep the value stored at its place), and the settings as sent (where each
   * webhook now sends). None of either removes every stored notification secret.
   */
  notifications?: { fresh: NotificationSecret[]; kept: NotificationSecret[]; settings: unknown };
}

/** What a change writes, its secrets sealed: the content fields, the credential, the notification secrets. */
export interface WorkflowChange {
  set: Record<string, string>;
  remove: string[];
  /**
   * A new sealed credential value, the stored one kept (as it is while a data key whose
   * envelopes start with `sealedUnder` sealed it), or `clear`.
   */
  credential?: { sealed: string } | { keep: { sealedUnder: string } } | 'clear';
  /** The notification secrets after the change, sealed, by place: the whole map (empty removes them). */
  notificationSecrets?: Record<string, string>;
  /** Masked notification secrets not yet matched with the stored ones: `resolveNotificationKeeps` before any write. */
  notificationKeeps?: NotificationKeeps;
}

/** A change resolved against what is stored, and the content it leaves: what a write takes. */
export interface ResolvedChange {
  change: WorkflowChange;
  content: StoredContent;
}

const storedFields = new Set(workflowFieldNames);

/**
 * The change a body asks for: each provided field set, each `null` cleared. A field sent
 * at its documented default is cleared too (the answers are the same, and a GET body sent
 * back changes nothing); the keys xpander's SDK derives into `instructions` are dropped,
 * and a credential's `description: null` is no description.
 */
export function changeFrom(body: WorkflowBody): RequestedChange {
  const change: RequestedChange = { set: {}, remove: [] };
  for (const [field, sent] of Object.entries(body)) {
    if (!storedFields.has(field)) continue;
    const value =
      field === 'instructions' && sent !== null ? withoutDerivedInstructions(sent as Record<string, unknown>) : sent;
    if (value === null || isDocumentedDefault(field, value)) change.remove.push(field);
    else if (field !== 'llm_credentials' && field !== 'notification_settings') change.set[field] = encodeField(value);
  }
  if ('notification_settings' in body) {
    const settings = body.notification_settings;
    const cleared = change.remove.includes('notification_settings');
    if (!cleared) change.set.notification_settings = encodeField(maskedNotificationSettings(settings));
    const secrets = cleared ? [] : notificationSecretsOf(settings);
    change.notifications = {
      fresh: secrets.filter((secret) => secret.value !== secretMask),
      kept: secrets.filter((secret) => secret.value === secretMask),
      settings,
    };
  }
  if ('llm_credentials' in body) {
    const credentials = body.llm_credentials as { name: string; value: string; description?: string | null } | null;
    if (credentials === null) {
      change.credential = 'clear';
    } else {
      const { value, description, ...named } = credentials;
      change.set.llm_credentials = encodeField(
        description === null || description === undefined ? named : { ...named, description },
      );
      change.credential = value === secretMask ? 'keep' : { value };
    }
  }
  return change;
}

/**
 * A change whose masked notification secrets keep the values stored at their places, read
 * from `stored` as they are (the sealing module re-seals them for a write). A mask with
 * nothing stored at its place, or on a webhook header whose webhook's URL moves to another
 * origin, is refused (every such place at once): the value must be sent again.
 */
export function resolveNotificationKeeps(change: WorkflowChange, stored: StoredContent): WorkflowChange {
  const { notificationKeeps: keeps, ...rest } = change;
  if (!keeps) return change;
  const storedText = stored.fields.notification_settings;
  const storedSettings: unknown = storedText === undefined ? undefined : JSON.parse(storedText);
  const secrets = { ...keeps.fresh };
  const violations: Violation[] = [];
  for (const secret of keeps.kept) {
    const sealed = stored.notificationSecrets?.[secret.place];
    if (sealed === undefined) violations.push(notificationSecretNotStored(secret));
    else if (notificationDestination(keeps.settings, secret) !== notificationDestination(storedSettings, secret))
      violations.push(notificationSecretRebound(secret));
    else secrets[secret.place] = sealed;
  }
  if (violations.length > 0)
    throw new RuleViolationError(violations, 'a masked notification secret cannot keep a stored value here');
  return { ...rest, notificationSecrets: secrets };
}

/**
 * A change resolved against `sealed`, the stored content with the notification secrets a
 * release before 0.2.0 left in clear sealed in place: when the change does not name the
 * settings itself, it writes them as sealed, so the working copy stops holding them in clear.
 */
export function carrySealed(change: WorkflowChange, stored: StoredContent, sealed: StoredContent): WorkflowChange {
  const named = 'notification_settings' in change.set || change.remove.includes('notification_settings');
  if (sealed === stored || named || change.notificationSecrets !== undefined) return change;
  return {
    ...change,
    set: { ...change.set, notification_settings: sealed.fields.notification_settings },
    notificationSecrets: sealed.notificationSecrets ?? {},
  };
}

/** True when a change moves llm_api_base but keeps whatever credential value is stored. */
export function movesKeptCredential(change: WorkflowChange): boolean {
  const moves = change.set.llm_api_base !== undefined || change.remove.includes('llm_api_base');
  const keeps =
    change.credential === undefined || (typeof change.credential === 'object' && 'keep' in change.credential);
  return moves && keeps;
}

/** The origin llm_api_base sends to after a change that moves it ('' for the provider's own endpoint). */
export function llmApiBaseOriginAfter(change: WorkflowChange): string {
  return change.set.llm_api_base !== undefined ? llmApiBaseOrigin(change.set) : '';
}

/**
 * The content after applying a change to the content it was computed from. A kept
 * credential must be stored, and may not follow llm_api_base to another origin; masked
 * notification secrets must have been resolved.
 */
export function applyChange(content: StoredContent, change: WorkflowChange): StoredContent {
  if (change.notificationKeeps)
    throw new Error('masked notification secrets must be resolved before the change applies');
  if (movesKeptCredential(change) && content.llmCredentialsValue) {
    if (llmApiBaseOrigin(content.fields) !== llmApiBaseOriginAfter(change)) throw credentialRebound();
  }
  const fields = { ...content.fields, ...change.set };
  for (const field of change.remove) delete fields[field];
  const credential = change.credential;
  let llmCredentialsValue = content.llmCredentialsValue;
  if (credential === 'clear') llmCredentialsValue = undefined;
  else if (credential && 'sealed' in credential) llmCredentialsValue = credential.sealed;
  else if (credential && !llmCredentialsValue) throw credentialNotStored();
  const notificationSecrets = change.notificationSecrets ?? content.notificationSecrets;
  return {
    fields,
    ...(llmCredentialsValue ? { llmCredentialsValue } : {}),
    ...(notificationSecrets && Object.keys(notificationSecrets).length > 0 ? { notificationSecrets } : {}),
  };
}

/**
 * True when a working copy already holds what a change writes: then a PATCH writes nothing.
 * The store's stage condition states the same in DynamoDB's terms (functions/store/workflows.ts).
 */
export function leavesUnchanged(record: WorkflowRecord, change: WorkflowChange): boolean {
  const fields = record.fields ?? {};
  if (Object.entries(change.set).some(([field, text]) => fields[field] !== text)) return false;
  if (change.remove.some((field) => Object.hasOwn(fields, field))) return false;
  if (
    change.notificationSecrets !== undefined &&
    canonicalJson(record.notificationSecrets ?? {}) !== canonicalJson(change.notificationSecrets)
  )
    return false;
  if (change.credential === 'clear') return record.llmCredentialsValue === undefined;
  if (change.credential && 'keep' in change.credential) return record.llmCredentialsValue !== undefined;
  return change.credential === undefined;
}

/** The content part of a working copy or snapshot. */
export function contentOf(item: StoredContent): StoredContent {
  return {
    fields: item.fields ?? {},
    ...(item.llmCredentialsValue ? { llmCredentialsValue: item.llmCredentialsValue } : {}),
    ...(item.notificationSecrets ? { notificationSecrets: item.notificationSecrets } : {}),
  };
}

/**
 * A change of the graph computed from the working copy (a node added or removed,
 * functions/domain/workflow/nodes.ts): the fields it rewrites, each set or cleared as a body's
 * would be (no node left is the documented default, so the field is cleared), and the content
 * it leaves. Secrets are not touched: sealed values stay as stored, as in a deploy.
 */
export function graphChange(record: StoredContent, fields: WorkflowBody): ResolvedChange {
  const change: WorkflowChange = { set: {}, remove: [] };
  for (const [field, value] of Object.entries(fields)) {
    if (isDocumentedDefault(field, value)) change.remove.push(field);
    else change.set[field] = encodeField(value);
  }
  return { change, content: applyChange(contentOf(record), change) };
}

/** A deploy of the working copy as it is: nothing in it changes, and the snapshot holds its content. */
export function deployAsIs(record: StoredContent): ResolvedChange {
  return { change: { set: {}, remove: [] }, content: contentOf(record) };
}

/**
 * A rollback: the working copy becomes the snapshot's content (staged edits on top are
 * discarded), which the next version snapshots again; its sealed values are copied as
 * they are.
 */
export function rollbackTo(record: StoredContent, snapshot: StoredContent): ResolvedChange {
  const content = contentOf(snapshot);
  return {
    change: {
      set: content.fields,
      remove: Object.keys(record.fields ?? {}).filter((field) => !(field in content.fields)),
      credential: content.llmCredentialsValue ? { sealed: content.llmCredentialsValue } : 'clear',
      notificationSecrets: content.notificationSecrets ?? {},
    },
    content,
  };
}
