/**
 * What workflow use cases share: the rules a body must pass, the content change a body
 * asks for (fields set or cleared, the credential sealed or kept), applying a change to
 * stored content, re-sealing a kept credential after a data key rotation, and the
 * working copy as a result.
 */
import type { Result } from '../core/command.js';
import {
  credentialContext,
  credentialNotStored,
  credentialRebound,
  isDocumentedDefault,
  llmApiBaseOrigin,
  encodeField,
  type StoredContent,
  type WorkflowRecord,
  workingCopyResponse,
} from '../domain/workflow/model.js';
import {
  factViolations,
  readOnlyClaims,
  type StoredFact,
  withoutDerivedInstructions,
} from '../domain/workflow/round-trip.js';
import { workflowFieldViolations } from '../domain/workflow/rules.js';
import { secretMask } from '../domain/secrets.js';
import {
  maskedNotificationSettings,
  notificationDestination,
  type NotificationSecret,
  notificationSecretContext,
  notificationSecretNotStored,
  notificationSecretRebound,
  notificationSecretsOf,
  unsealedNotificationSecrets,
} from '../domain/workflow/notifications.js';
import { RequestValidationError, RuleViolationError, type Violation } from '../errors.js';
import { currentSealPrefix, resealSecret, sealSecret } from '../secrets/envelope.js';
import { movesKeptCredential, type WorkflowChange } from '../store/workflows.js';
import { workflowFieldNames } from '../../schemas/workflow.js';

/** A workflow request body (create or PATCH), after schema validation. */
export type WorkflowBody = Record<string, unknown>;

const storedFields = new Set(workflowFieldNames);

/** Refuses a body that breaks a workflow rule beyond the schema (every violation at once). */
export function assertWorkflowRules(body: WorkflowBody, organizationId: string): void {
  const violations = workflowFieldViolations(body, organizationId);
  if (violations.length > 0) throw new RuleViolationError(violations);
}

/**
 * A PATCH body's rules, and its read-only fields: `id` and `webhook_url` must be this
 * workflow's; the stored facts the others state are returned, for the write to check.
 */
export function assertPatchRules(body: WorkflowBody, organizationId: string, workflowId: string): StoredFact[] {
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

/**
 * The content change a body asks for: each provided field set, each `null` cleared. A
 * field sent at its documented default is cleared too (the answers are the same, and a
 * GET body sent back changes nothing); the keys xpander's SDK derives into `instructions`
 * are dropped, and a credential's `description: null` is no description.
 */
export async function changeFrom(
  body: WorkflowBody,
  organizationId: string,
  workflowId: string,
): Promise<WorkflowChange> {
  const change: WorkflowChange = { set: {}, remove: [] };
  for (const [field, sent] of Object.entries(body)) {
    if (!storedFields.has(field)) continue;
    const value =
      field === 'instructions' && sent !== null ? withoutDerivedInstructions(sent as Record<string, unknown>) : sent;
    if (value === null || isDocumentedDefault(field, value)) change.remove.push(field);
    else if (field !== 'llm_credentials' && field !== 'notification_settings') change.set[field] = encodeField(value);
  }
  if ('notification_settings' in body) {
    const settings = body.notification_settings;
    if (!change.remove.includes('notification_settings'))
      change.set.notification_settings = encodeField(maskedNotificationSettings(settings));
    Object.assign(change, await notificationChange(settings, organizationId, workflowId));
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
      const context = credentialContext(organizationId, workflowId);
      change.credential =
        value === secretMask
          ? { keep: { sealedUnder: await currentSealPrefix(), reseal: (sealed) => resealSecret(sealed, context) } }
          : { sealed: await sealSecret(value, context) };
    }
  }
  return change;
}

/**
 * What a body's `notification_settings` changes: the settings stored with the mask at each
 * secret's place, each secret sent in clear sealed (bound to its workflow and place), each
 * sent masked left to keep what is stored (`resolveNotificationKeeps`); `null` or `{}`
 * removes them all.
 */
async function notificationChange(
  settings: unknown,
  organizationId: string,
  workflowId: string,
): Promise<Partial<WorkflowChange>> {
  if (settings === null || isDocumentedDefault('notification_settings', settings)) return { notificationSecrets: {} };
  const fresh: Record<string, string> = {};
  const kept: NotificationSecret[] = [];
  for (const secret of notificationSecretsOf(settings)) {
    if (secret.value === secretMask) kept.push(secret);
    else
      fresh[secret.place] = await sealSecret(
        JSON.stringify(secret.value),
        notificationSecretContext(organizationId, workflowId, secret.place),
      );
  }
  return kept.length === 0 ? { notificationSecrets: fresh } : { notificationKeeps: { fresh, kept, settings } };
}

/** The secrets a release before 0.2.0 left in clear in stored settings, each sealed at its place. */
async function sealedInPlace(
  settings: unknown,
  organizationId: string,
  workflowId: string,
): Promise<Record<string, string>> {
  const sealed: Record<string, string> = {};
  for (const secret of unsealedNotificationSecrets(settings))
    sealed[secret.place] = await sealSecret(
      JSON.stringify(secret.value),
      notificationSecretContext(organizationId, workflowId, secret.place),
    );
  return sealed;
}

/**
 * A change whose masked notification secrets keep the values stored at their places, read
 * from `stored` as they are (`withCurrentSeal` re-seals them for a write); a value a release
 * before 0.2.0 stored in clear at the place is sealed now. A mask with nothing stored at its
 * place, or on a webhook header whose webhook's URL moves to another origin, is refused
 * (every such place at once): the value must be sent again.
 */
export async function resolveNotificationKeeps(
  change: WorkflowChange,
  stored: StoredContent,
  organizationId: string,
  workflowId: string,
): Promise<WorkflowChange> {
  const { notificationKeeps: keeps, ...rest } = change;
  if (!keeps) return change;
  const storedText = stored.fields.notification_settings;
  const storedSettings: unknown = storedText === undefined ? undefined : JSON.parse(storedText);
  const inClear = await sealedInPlace(storedSettings, organizationId, workflowId);
  const secrets = { ...keeps.fresh };
  const violations: Violation[] = [];
  for (const secret of keeps.kept) {
    const sealed = stored.notificationSecrets?.[secret.place] ?? inClear[secret.place];
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
 * The content after applying a change to the content it was computed from. A kept
 * credential must be stored, and may not follow llm_api_base to another origin; masked
 * notification secrets must have been resolved.
 */
export function applyChange(content: StoredContent, change: WorkflowChange): StoredContent {
  if (change.notificationKeeps)
    throw new Error('masked notification secrets must be resolved before the change applies');
  if (movesKeptCredential(change) && content.llmCredentialsValue) {
    const after = change.set.llm_api_base !== undefined ? llmApiBaseOrigin(change.set) : '';
    if (llmApiBaseOrigin(content.fields) !== after) throw credentialRebound();
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
 * A change and content read from the working copy (a PATCH-and-deploy, or a PATCH keeping
 * masked notification secrets) with every secret sealed under the current data key: a
 * kept one an older key sealed is re-sealed, and the change writes it (the write is
 * guarded by the revision it read). `PUT` deploys and rollbacks hold no data key (least
 * privilege) and copy sealed values as they are.
 */
export async function withCurrentSeal(
  plan: { change: WorkflowChange; content: StoredContent },
  organizationId: string,
  workflowId: string,
): Promise<{ change: WorkflowChange; content: StoredContent }> {
  const current = await currentSealPrefix();
  let { change, content } = plan;
  const stored = content.llmCredentialsValue;
  if (stored && !stored.startsWith(current)) {
    const sealed = await resealSecret(stored, credentialContext(organizationId, workflowId));
    change = { ...change, credential: { sealed } };
    content = { ...content, llmCredentialsValue: sealed };
  }
  // Settings a release before 0.2.0 wrote hold their secrets in clear: sealed at their places, the mask stored instead.
  const settingsText = content.fields.notification_settings;
  const settings: unknown = settingsText === undefined ? undefined : JSON.parse(settingsText);
  const inClear = await sealedInPlace(settings, organizationId, workflowId);
  if (Object.keys(inClear).length > 0) {
    const masked = encodeField(maskedNotificationSettings(settings));
    const notificationSecrets = { ...content.notificationSecrets, ...inClear };
    change = {
      ...change,
      set: { ...change.set, notification_settings: masked },
      remove: change.remove.filter((field) => field !== 'notification_settings'),
      notificationSecrets,
    };
    content = { ...content, fields: { ...content.fields, notification_settings: masked }, notificationSecrets };
  }
  const notifications = Object.entries(content.notificationSecrets ?? {});
  if (notifications.some(([, sealed]) => !sealed.startsWith(current))) {
    const notificationSecrets = Object.fromEntries(
      await Promise.all(
        notifications.map(async ([place, sealed]): Promise<[string, string]> => [
          place,
          await resealSecret(sealed, notificationSecretContext(organizationId, workflowId, place)),
        ]),
      ),
    );
    change = { ...change, notificationSecrets };
    content = { ...content, notificationSecrets };
  }
  return { change, content };
}

/** The content part of a working copy or snapshot. */
export function contentOf(item: StoredContent): StoredContent {
  return {
    fields: item.fields ?? {},
    ...(item.llmCredentialsValue ? { llmCredentialsValue: item.llmCredentialsValue } : {}),
    ...(item.notificationSecrets ? { notificationSecrets: item.notificationSecrets } : {}),
  };
}

/** The working copy as the answer, its revision as the ETag. */
export function workingCopyResult(record: WorkflowRecord, status = 200): Result {
  return { status, body: workingCopyResponse(record), version: record.revision };
}
