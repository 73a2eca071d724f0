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
  llmApiBaseOrigin,
  encodeField,
  type StoredContent,
  type WorkflowRecord,
  workingCopyResponse,
} from '../domain/workflow/model.js';
import { workflowFieldViolations } from '../domain/workflow/rules.js';
import { secretMask } from '../domain/secrets.js';
import { RuleViolationError } from '../errors.js';
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

/** The content change a body asks for: each provided field set, each `null` cleared. */
export async function changeFrom(body: WorkflowBody, organizationId: string, workflowId: string): Promise<WorkflowChange> {
  const change: WorkflowChange = { set: {}, remove: [] };
  for (const [field, value] of Object.entries(body)) {
    if (!storedFields.has(field)) continue;
    if (value === null) change.remove.push(field);
    else if (field !== 'llm_credentials') change.set[field] = encodeField(value);
  }
  if ('llm_credentials' in body) {
    const credentials = body.llm_credentials as { name: string; value: string; description?: string | null } | null;
    if (credentials === null) {
      change.credential = 'clear';
    } else {
      const { value, ...shown } = credentials;
      change.set.llm_credentials = encodeField(shown);
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
 * The content after applying a change to the content it was computed from. A kept
 * credential must be stored, and may not follow llm_api_base to another origin.
 */
export function applyChange(content: StoredContent, change: WorkflowChange): StoredContent {
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
  return { fields, ...(llmCredentialsValue ? { llmCredentialsValue } : {}) };
}

/**
 * A PATCH-and-deploy's change and content with the credential sealed under the current
 * data key: a kept one an older key sealed is re-sealed, and the change writes it (the
 * deployment's write is guarded by the revision it read). `PUT` deploys and rollbacks
 * hold no data key (least privilege) and copy sealed values as they are.
 */
export async function withCurrentSeal(
  plan: { change: WorkflowChange; content: StoredContent },
  organizationId: string,
  workflowId: string,
): Promise<{ change: WorkflowChange; content: StoredContent }> {
  const stored = plan.content.llmCredentialsValue;
  if (!stored || stored.startsWith(await currentSealPrefix())) return plan;
  const sealed = await resealSecret(stored, credentialContext(organizationId, workflowId));
  return { change: { ...plan.change, credential: { sealed } }, content: { ...plan.content, llmCredentialsValue: sealed } };
}

/** The content part of a working copy or snapshot. */
export function contentOf(item: StoredContent): StoredContent {
  return { fields: item.fields ?? {}, ...(item.llmCredentialsValue ? { llmCredentialsValue: item.llmCredentialsValue } : {}) };
}

/** The working copy as the answer, its revision as the ETag. */
export function workingCopyResult(record: WorkflowRecord, status = 200): Result {
  return { status, body: workingCopyResponse(record), version: record.revision };
}
