/**
 * A workflow's secrets on their way in: `llm_credentials.value` and each secret of
 * `notification_settings`, sealed (functions/secrets/envelope.ts) under the contexts that
 * bind each to its workflow and place (functions/domain/workflow/), before a use case hands
 * a change to the store; and stored ones re-sealed under the current data key when a write
 * keeps them. The only workflow module that holds the data key.
 */
import type { RequestedChange, ResolvedChange, WorkflowChange } from '../domain/workflow/change.js';
import { credentialContext, encodeField, type StoredContent } from '../domain/workflow/model.js';
import {
  maskedNotificationSettings,
  notificationSecretContext,
  unsealedNotificationSecrets,
} from '../domain/workflow/notifications.js';
import { currentSealPrefix, resealSecret, sealSecret } from '../secrets/envelope.js';

/**
 * The change a body asked for with its secrets sealed: a credential sent in clear sealed,
 * one sent masked kept while a current data key sealed it; notification secrets sent in
 * clear sealed by place, those sent masked left to keep what is stored
 * (`resolveNotificationKeeps`).
 */
export async function sealChange(
  requested: RequestedChange,
  organizationId: string,
  workflowId: string,
): Promise<WorkflowChange> {
  const { credential, notifications, ...fields } = requested;
  const change: WorkflowChange = fields;
  if (notifications) {
    const fresh: Record<string, string> = {};
    for (const secret of notifications.fresh)
      fresh[secret.place] = await sealSecret(
        JSON.stringify(secret.value),
        notificationSecretContext(organizationId, workflowId, secret.place),
      );
    if (notifications.kept.length === 0) change.notificationSecrets = fresh;
    else change.notificationKeeps = { fresh, kept: notifications.kept, settings: notifications.settings };
  }
  if (credential === 'clear') change.credential = 'clear';
  else if (credential === 'keep') change.credential = { keep: { sealedUnder: await currentSealPrefix() } };
  else if (credential)
    change.credential = { sealed: await sealSecret(credential.value, credentialContext(organizationId, workflowId)) };
  return change;
}

/**
 * Stored content whose settings a release before 0.2.0 wrote with their secrets in clear,
 * each sealed now at its place and the mask stored instead, so a mask sent back keeps it
 * and a write stores it sealed (`carrySealed`); the content itself when there is none.
 * The migration's steps `workflow-seal-notification-secrets` and
 * `snapshot-seal-notification-secrets` (functions/migrations/steps.ts) are this, on the item.
 */
export async function sealedInPlace(
  content: StoredContent,
  organizationId: string,
  workflowId: string,
): Promise<StoredContent> {
  const text = content.fields.notification_settings;
  const settings: unknown = text === undefined ? undefined : JSON.parse(text);
  const unsealed = unsealedNotificationSecrets(settings);
  if (unsealed.length === 0) return content;
  const notificationSecrets = { ...content.notificationSecrets };
  for (const secret of unsealed)
    notificationSecrets[secret.place] = await sealSecret(
      JSON.stringify(secret.value),
      notificationSecretContext(organizationId, workflowId, secret.place),
    );
  return {
    ...content,
    fields: { ...content.fields, notification_settings: encodeField(maskedNotificationSettings(settings)) },
    notificationSecrets,
  };
}

/**
 * A resolved change in the current format before any write: secrets a release before 0.2.0
 * left in clear in the content it leaves (a working copy, or a snapshot rolled back to, that
 * the migration has not reached yet) sealed at their places as the migration seals them
 * (`sealedInPlace`), and the change writes the sealed settings to the working copy too; the
 * resolved change itself when there are none. Every write of the read–resolve–write loop
 * takes it, so no deploy copies a secret in clear into a new version.
 */
export async function inCurrentFormat(
  resolved: ResolvedChange,
  organizationId: string,
  workflowId: string,
): Promise<ResolvedChange> {
  const content = await sealedInPlace(resolved.content, organizationId, workflowId);
  if (content === resolved.content) return resolved;
  return {
    change: {
      ...resolved.change,
      set: { ...resolved.change.set, notification_settings: content.fields.notification_settings },
      notificationSecrets: content.notificationSecrets ?? {},
    },
    content,
  };
}

/**
 * A change and the content it leaves, resolved against the working copy (a PATCH-and-deploy,
 * or a PATCH that learnt what is stored), with every secret sealed under the current data
 * key: a kept one an older key sealed is re-sealed, and the change writes it (the write is
 * guarded by the revision it was resolved against). `PUT` deploys, rollbacks and the node
 * routes seal only what an earlier release left in clear (`inCurrentFormat`) and copy
 * sealed values as they are.
 */
export async function withCurrentSeal(
  resolved: ResolvedChange,
  organizationId: string,
  workflowId: string,
): Promise<ResolvedChange> {
  const current = await currentSealPrefix();
  let { change, content } = resolved;
  const stored = content.llmCredentialsValue;
  if (stored && !stored.startsWith(current)) {
    const sealed = await resealSecret(stored, credentialContext(organizationId, workflowId));
    change = { ...change, credential: { sealed } };
    content = { ...content, llmCredentialsValue: sealed };
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
