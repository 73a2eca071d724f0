/**
 * A workflow as flowplane keeps it: a working copy (what PATCH edits) and immutable
 * deployed snapshots. Fields are the request fields of xpander's page (docs/contracts.md); what the seed's
 * response shows for an unset field is its `default` in the response schema
 * (schemas/workflow.ts), applied when rendering, so `null` in a request simply removes
 * the stored value.
 */
import { workflowResponse } from '../../../schemas/workflow.js';
import { RuleViolationError } from '../../errors.js';
import { canonicalJson } from '../canonical-json.js';
import type { Authorization } from '../permissions.js';
import { secretMask, urlOrigin } from '../secrets.js';
import { maskedNotificationSettings } from './notifications.js';

/** A workflow's content: request field name → value (never null; absent means default). */
export type WorkflowFields = Record<string, unknown>;

/** The stored form of the content: each field as JSON text, the credential value and notification secrets sealed. */
export interface StoredContent {
  fields: Record<string, string>;
  /** `llm_credentials.value`, sealed (functions/secrets/envelope.ts); never rendered. */
  llmCredentialsValue?: string;
  /**
   * Each secret of `notification_settings` by its place (functions/domain/workflow/notifications.ts),
   * sealed; the stored settings hold the mask at each place. Never rendered.
   */
  notificationSecrets?: Record<string, string>;
}

export interface WorkflowRecord extends StoredContent {
  id: string;
  /**
   * The `unique_name`: a slug of the name at creation, unique in the organization through
   * its claim item, never changed afterwards. Absent on workflows created before unique
   * names existed, which show their id instead.
   */
  uniqueName?: string;
  /**
   * The origin of `llm_api_base` (absent for the default): what a stored credential is bound to. Absent too on
   * working copies a release before 0.2.0 wrote: `storedLlmApiBaseOrigin` reads it from their `llm_api_base`.
   */
  llmApiBaseOrigin?: string;
  /** How many migration steps the item has had (functions/domain/formats.ts); absent before 0.3.0. */
  formatVersion?: number;
  organizationId: string;
  /** The latest deployed version (snapshots 1..version exist). */
  version: number;
  /** Bumped by every write of the working copy: the ETag. */
  revision: number;
  hasPendingChanges: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** With which credential and permission `updatedBy` wrote it; absent on items written before permissions existed. */
  authorizedBy?: Authorization;
}

export interface WorkflowSnapshot extends StoredContent {
  /** How many migration steps the item has had (functions/domain/formats.ts); absent before 0.3.0. */
  formatVersion?: number;
  workflowId: string;
  organizationId: string;
  version: number;
  deployedAt: string;
  deployedBy: string;
  /** With which credential and permission it was deployed; absent on snapshots deployed before permissions existed. */
  authorizedBy?: Authorization;
}

/** Renders the stored JSON texts back into values. */
export function decodeFields(fields: Record<string, string> | undefined): WorkflowFields {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([name, json]) => [name, JSON.parse(json)]));
}

/** Encodes values for storage (JSON text: any nesting depth and number survive DynamoDB). */
export function encodeField(value: unknown): string {
  return JSON.stringify(value);
}

/** The mask was sent for `llm_credentials.value`, but no value is stored to keep. */
export function credentialNotStored(): RuleViolationError {
  return new RuleViolationError(
    [
      {
        loc: ['body', 'llm_credentials', 'value'],
        rule: 'secret_not_stored',
        message: 'the mask keeps a stored credential value, but this workflow has none: send the value itself',
      },
    ],
    'masked value sent, but no credential value is stored',
  );
}

/** The origin `llm_api_base` sends to, from stored content ('' for the provider's own endpoint). */
export function llmApiBaseOrigin(fields: Record<string, string> | undefined): string {
  const text = fields?.llm_api_base;
  return text === undefined ? '' : urlOrigin(JSON.parse(text) as string);
}

/** The origin a working copy's stored credential is bound to, read from `llm_api_base` where no binding was written. */
export function storedLlmApiBaseOrigin(record: Pick<WorkflowRecord, 'llmApiBaseOrigin' | 'fields'>): string {
  return record.llmApiBaseOrigin ?? llmApiBaseOrigin(record.fields);
}

/** `llm_api_base` moved to another origin while the stored credential value stays: it must be sent again. */
export function credentialRebound(): RuleViolationError {
  return new RuleViolationError(
    [
      {
        loc: ['body', 'llm_credentials', 'value'],
        rule: 'secret_same_destination',
        message:
          'llm_api_base moves to another origin: send the credential value again (or clear llm_credentials) with it',
      },
    ],
    'the stored credential would go to a new llm_api_base',
  );
}

/** Where a workflow's LLM credential is sealed: binds the ciphertext to its workflow. */
export function credentialContext(organizationId: string, workflowId: string): string {
  return `workflow:${organizationId}:${workflowId}:llm_credentials.value`;
}

/** The seed's documented default of every response field flowplane does not compute, in the response's order. */
const documentedDefaults: ReadonlyArray<readonly [string, unknown]> = Object.entries(
  workflowResponse.properties as Record<string, { default?: unknown }>,
).flatMap(([name, property]) => ('default' in property ? [[name, property.default] as const] : []));

const defaultTexts: ReadonlyMap<string, string> = new Map(
  documentedDefaults.map(([name, value]) => [name, canonicalJson(value)]),
);

/** True when a request field's value is what the response shows for it when it is unset (its documented default). */
export function isDocumentedDefault(field: string, value: unknown): boolean {
  const text = defaultTexts.get(field);
  return text !== undefined && canonicalJson(value) === text;
}

/** A fresh copy of the documented defaults: a render may hand them to code that changes them. */
function responseDefaults(): Record<string, unknown> {
  return structuredClone(Object.fromEntries(documentedDefaults));
}

/** Where the workflow's runtime receives invocations (PUBLIC_BASE_URL, set per stage). */
export function webhookUrl(workflowId: string): string {
  const base = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return `${base}/v1/workflows/${workflowId}/invoke`;
}

export interface RenderContext {
  id: string;
  organizationId: string;
  uniqueName: string;
  /** The version this document is (a snapshot's) or the latest deployed (the working copy). */
  version: number;
  isLatest: boolean;
  hasPendingChanges: boolean;
  createdAt: string;
  createdBy: string;
}

/**
 * The seed's `WorkflowResponse`: stored fields over documented defaults; the credential and every notification
 * secret masked (settings a release before 0.2.0 stored still hold them in clear until the migration seals them).
 */
export function toWorkflowResponse(content: StoredContent, context: RenderContext): Record<string, unknown> {
  const fields = decodeFields(content.fields);
  if (fields.notification_settings !== undefined)
    fields.notification_settings = maskedNotificationSettings(fields.notification_settings);
  const credentials = fields.llm_credentials as { name: string; description?: string | null } | undefined;
  return {
    // The seed's order: these four first (and the unique name, which has no default).
    name: fields.name,
    organization_id: context.organizationId,
    webhook_url: webhookUrl(context.id),
    id: context.id,
    unique_name: context.uniqueName,
    ...responseDefaults(),
    ...fields,
    ...(credentials
      ? { llm_credentials: { name: credentials.name, value: secretMask, description: credentials.description ?? null } }
      : {}),
    type: 'orchestration',
    version: context.version,
    is_latest: context.isLatest,
    has_pending_changes: context.hasPendingChanges,
    created_by: context.createdBy,
    created_at: context.createdAt,
  };
}

/** A workflow's `unique_name`: the stored one, or its id for a workflow created before unique names existed. */
export function uniqueNameOf(record: Pick<WorkflowRecord, 'id' | 'uniqueName'>): string {
  return record.uniqueName ?? record.id;
}

/** The working copy rendered: `is_latest` while nothing is staged on top of the deployed version. */
export function workingCopyResponse(record: WorkflowRecord): Record<string, unknown> {
  return toWorkflowResponse(record, {
    id: record.id,
    organizationId: record.organizationId,
    uniqueName: uniqueNameOf(record),
    version: record.version,
    isLatest: !record.hasPendingChanges,
    hasPendingChanges: record.hasPendingChanges,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
  });
}
