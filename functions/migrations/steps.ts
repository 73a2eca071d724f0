/**
 * The migration steps: small, named, per kind of item, numbered from 1 within their kind.
 * An item's `formatVersion` is the number of the last step it has had
 * (functions/domain/formats.ts holds each kind's current number, which must be its last
 * step's). Each step is idempotent: it looks at the item and changes only what is still in
 * an earlier form, so running it on an item that has had it, or that today's code wrote,
 * changes nothing. How to add one: docs/data-model.md ("Formats and migrations").
 */
import { secretContext } from '../domain/executor/model.js';
import { storedSecretsDestination } from '../domain/executor/rules.js';
import type { FormatKind } from '../domain/formats.js';
import { nameIdentity } from '../domain/names.js';
import { formerSecretKeys } from '../domain/secrets.js';
import { contentOf } from '../domain/workflow/change.js';
import { llmApiBaseOrigin, type StoredContent } from '../domain/workflow/model.js';
import type { ExecutorRecord } from '../domain/executor/model.js';
import { isSealed, openSecret } from '../secrets/envelope.js';
import { executorNameKey } from '../store/keys.js';
import {
  claimNameByIdentity,
  claimUniqueName,
  keyOf,
  readExecutor,
  releaseStaleClaim,
  shareName,
  type StoredItem,
} from '../store/migration.js';
import { sealedInPlace } from '../workflows/secrets.js';

/** Something a step found that an operator must hear of, though nothing failed. */
export interface Finding {
  kind: 'name_shared' | 'unique_name_taken';
  organizationId: string;
  /** The item's resource (an executor or workflow id) and the other one involved. */
  resourceId: string;
  otherId: string;
  message: string;
}

/**
 * What a step does to an item: attributes to set or remove (written once all its steps ran, with the new
 * `formatVersion`), or `gone` when the step removed the item itself (a claim moved elsewhere); and what it found.
 */
export interface StepResult {
  set?: Record<string, unknown>;
  remove?: string[];
  gone?: true;
  finding?: Finding;
}

export interface MigrationStep {
  /** The kind of item (its `entity`) the step applies to. */
  kind: FormatKind;
  /** The format an item is in after the step: 1 for its kind's first step, and so on. */
  version: number;
  /** A stable name, for logs and docs. */
  name: string;
  /** What it repairs, in a line. */
  summary: string;
  apply(item: StoredItem): Promise<StepResult>;
}

const nothing: StepResult = {};

/**
 * Seals, at their places, the notification secrets a release before 0.2.0 left in clear in a working copy's or
 * snapshot's settings, and stores the mask in their stead; the rest of the content is untouched. The same sealing
 * every workflow write applies to what it writes (functions/workflows/secrets.ts).
 */
async function sealNotificationSecrets(item: StoredItem, workflowId: string): Promise<StepResult> {
  const stored = contentOf(item as unknown as StoredContent);
  const sealed = await sealedInPlace(stored, String(item.organizationId), workflowId);
  if (sealed === stored) return nothing;
  return { set: { fields: sealed.fields, notificationSecrets: sealed.notificationSecrets } };
}

/** Every step, by kind and number. */
export const migrationSteps: readonly MigrationStep[] = [
  {
    kind: 'executor',
    version: 1,
    name: 'executor-open-former-secrets',
    summary: 'opens values a release before 0.2.0 sealed under keys that are no secrets (token_endpoint_auth_method)',
    async apply(item) {
      const authSecrets = (item.authSecrets ?? {}) as Record<string, string>;
      const former = formerSecretKeys.filter((key) => isSealed(authSecrets[key]));
      if (former.length === 0) return nothing;
      const authConfig = { ...(item.authConfig as Record<string, string> | undefined) };
      const remaining = { ...authSecrets };
      for (const key of former) {
        const context = secretContext(String(item.organizationId), String(item.id), key);
        authConfig[key] = JSON.stringify(await openSecret(authSecrets[key], context));
        delete remaining[key];
      }
      return { set: { authConfig, authSecrets: remaining } };
    },
  },
  {
    kind: 'executor',
    version: 2,
    name: 'executor-bind-secrets',
    summary: 'binds a configuration stored before 0.2.0 to the destination (type and origin) its secrets go to',
    async apply(item) {
      const record = item as unknown as ExecutorRecord;
      if (record.secretsBoundTo !== undefined) return nothing;
      const boundTo = storedSecretsDestination(record);
      return boundTo === undefined ? nothing : { set: { secretsBoundTo: boundTo } };
    },
  },
  {
    kind: 'executorName',
    version: 1,
    name: 'executor-name-by-identity',
    summary: "moves a name claim made byte for byte (before 0.2.0) to the name's identity; a clash shares the claim",
    async apply(item) {
      const organizationId = String(item.organizationId);
      const name = String(item.name);
      const executorId = String(item.executorId);
      if (keyOf(item).pk === executorNameKey(organizationId, name).pk) return nothing;
      const executor = await readExecutor(organizationId, executorId);
      if (!executor || nameIdentity(String(executor.name)) !== nameIdentity(name)) {
        await releaseStaleClaim(keyOf(item), executorId);
        return { gone: true };
      }
      const claim = await claimNameByIdentity(organizationId, name, executorId);
      if ('claimed' in claim) return { gone: true };
      if (!(await shareName(organizationId, name, executorId, claim.heldBy)))
        throw new Error('the executors sharing this name changed while the migration joined them: run it again');
      return {
        gone: true,
        finding: {
          kind: 'name_shared',
          organizationId,
          resourceId: executorId,
          otherId: claim.heldBy,
          message: `executors ${executorId} and ${claim.heldBy} keep a name they shared before 0.2.0 (differing only by case or spacing); no other executor may take it, and renaming one of them ends the sharing`,
        },
      };
    },
  },
  {
    kind: 'workflow',
    version: 1,
    name: 'workflow-seal-notification-secrets',
    summary: "seals the webhook headers and Slack credentials a working copy's settings hold in clear (before 0.2.0)",
    apply: (item) => sealNotificationSecrets(item, String(item.id)),
  },
  {
    kind: 'workflow',
    version: 2,
    name: 'workflow-bind-credential',
    summary: 'binds the llm credential of a working copy written before 0.2.0 to the origin of its llm_api_base',
    async apply(item) {
      const fields = item.fields as Record<string, string> | undefined;
      if (item.llmApiBaseOrigin !== undefined || fields?.llm_api_base === undefined) return nothing;
      return { set: { llmApiBaseOrigin: llmApiBaseOrigin(fields) } };
    },
  },
  {
    kind: 'workflow',
    version: 3,
    name: 'workflow-claim-unique-name',
    summary: 'claims, as its unique name, the id a workflow created before 0.2.0 shows as its unique_name',
    async apply(item) {
      if (item.uniqueName !== undefined) return nothing;
      const organizationId = String(item.organizationId);
      const workflowId = String(item.id);
      const claim = await claimUniqueName(organizationId, workflowId, workflowId);
      if ('claimed' in claim) return { set: { uniqueName: workflowId } };
      return {
        finding: {
          kind: 'unique_name_taken',
          organizationId,
          resourceId: workflowId,
          otherId: claim.heldBy,
          message: `workflow ${workflowId} shows its id as unique_name, which workflow ${claim.heldBy} holds: rename one of them`,
        },
      };
    },
  },
  {
    kind: 'workflowVersion',
    version: 1,
    name: 'snapshot-seal-notification-secrets',
    summary: "seals the notification secrets a deployed version's settings hold in clear; nothing else of it changes",
    apply: (item) => sealNotificationSecrets(item, String(item.workflowId)),
  },
];

/** The steps an item of `kind` in format `from` has still to have, in order. */
export function stepsAfter(kind: string, from: number): MigrationStep[] {
  return migrationSteps
    .filter((step) => step.kind === kind && step.version > from)
    .sort((a, b) => a.version - b.version);
}
