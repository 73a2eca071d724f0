/**
 * What a stream record means for a resource: the one place that knows how executors and
 * workflows are stored (their `entity` attribute, their keys, a workflow's content map)
 * and which writes create, update, deploy or delete them. Everything else — name claims,
 * API keys, tombstones, audit items — is no resource change, so it yields no event and
 * no audit entry.
 */
import { canonicalJson } from '../domain/canonical-json.js';
import type { FieldValues, Item, ResourceChange } from '../domain/resource-change.js';
import { maskedNotificationSettings } from '../domain/workflow/notifications.js';

/** One write of the table as its stream reports it: which write, when, and the item before and after. */
export interface StreamChange {
  /** The stream record's id: stable across redeliveries, unique per record. */
  eventId: string;
  /** Position in the shard; what `batchItemFailures` names. */
  sequenceNumber: string;
  kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** When DynamoDB wrote it (the stream's approximate creation time), ISO 8601. */
  at: string;
  oldImage?: Item;
  newImage?: Item;
}

/**
 * The `entity` values of resource items; every other item on the stream is skipped (the stack filters on these too).
 */
export const resourceEntities = ['executor', 'workflow', 'workflowVersion'] as const;

/** Attributes that say where or when an item is, not what it is; never listed as changed. */
const bookkeeping = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'entity',
  'id',
  'organizationId',
  'workflowId',
  'version',
  'revision',
  'createdAt',
  'updatedAt',
  'updatedBy',
  'authorizedBy',
  'deployedAt',
  'deployedBy',
  'expiresAt',
  // Derived from fields that are listed themselves (where secrets may go).
  'secretsBoundTo',
  'llmApiBaseOrigin',
  // How an item is stored, not what it is (functions/domain/formats.ts), and which claim holds its name.
  'formatVersion',
  'nameShared',
]);

/** Top-level attributes whose values differ (absent counts as a value), bookkeeping aside, sorted. */
export function changedFieldsOf(before: Item | undefined, after: Item | undefined): string[] {
  const differs = (a: unknown, b: unknown) =>
    canonicalJson(a) !== canonicalJson(b) || (a === undefined) !== (b === undefined);
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed: string[] = [];
  for (const name of names) {
    if (bookkeeping.has(name) || !differs(before?.[name], after?.[name])) continue;
    // A workflow keeps its content in the `fields` map: name the request fields that changed.
    if (name === workflowContent)
      changed.push(...changedFieldsOf(before?.[name] as Item | undefined, after?.[name] as Item | undefined));
    else changed.push(name);
  }
  return changed.sort();
}

/**
 * The attribute holding a workflow's content, one entry per request field as JSON text (functions/store/workflows.ts).
 */
const workflowContent = 'fields';

/**
 * The value of a changed field (a name `changedFieldsOf` listed) in an item: a workflow's
 * request field from its content map, decoded; any other attribute as it is.
 */
function fieldValue(item: Item | undefined, name: string): unknown {
  const content = item?.[workflowContent] as Record<string, unknown> | undefined;
  if (content && typeof content === 'object' && Object.hasOwn(content, name)) {
    const text = content[name];
    const value: unknown = typeof text === 'string' ? JSON.parse(text) : text;
    // Settings a release before 0.2.0 stored hold their secrets in clear: never carried further.
    return name === notificationSettings ? maskedNotificationSettings(value) : value;
  }
  return item?.[name];
}

const notificationSettings = 'notification_settings';

/**
 * True for a write that changes how an item is stored but not the resource: the migration rewrites an item in the
 * current format without moving its counter (an executor's `version`, a workflow's `revision`), which every change
 * of the resource moves.
 */
function rewritesOnly(kind: StreamChange['kind'], before: Item | undefined, after: Item | undefined, counter: string) {
  return kind === 'MODIFY' && before?.[counter] === after?.[counter];
}

/** The fields that differ between two images, each with its value before and after. */
function changesBetween(before: Item | undefined, after: Item | undefined) {
  const changedFields = changedFieldsOf(before, after);
  const changedValues = Object.fromEntries(
    changedFields.map((name): [string, FieldValues] => [
      name,
      { before: fieldValue(before, name), after: fieldValue(after, name) },
    ]),
  );
  return { changedFields, changedValues };
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const asNumber = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * Who wrote an item, as it records it: its actor's name (`updatedBy`, `deployedBy`, `deletedBy`), and since
 * permissions exist the credential and permission (`authorizedBy`). An item of an earlier release holds the name
 * alone, and a malformed `authorizedBy` is read as none: the change still yields its event and audit entry.
 */
function writerOf(
  item: Item | undefined,
  ...nameAttributes: string[]
): Pick<ResourceChange, 'actor' | 'authorization'> {
  const recorded = item?.authorizedBy as Record<string, unknown> | undefined;
  const principal = asString(recorded?.principal);
  const permission = asString(recorded?.permission);
  return {
    actor: nameAttributes.map((name) => asString(item?.[name])).find((name) => name !== undefined) ?? 'unknown',
    ...(principal && permission ? { authorization: { principal, permission } } : {}),
  };
}

const actions = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const;

/**
 * The resource change a stream record is, or undefined when the item is no executor or
 * workflow (or a snapshot's removal, which belongs to the workflow's deletion, or a rewrite by the migration).
 */
export function resourceChangeOf(change: StreamChange): ResourceChange | undefined {
  const image = change.newImage ?? change.oldImage;
  const entity = image?.entity;
  const common = {
    eventId: change.eventId,
    sequenceNumber: change.sequenceNumber,
    organizationId: asString(image?.organizationId) ?? '',
  };
  if (entity === 'executor' || entity === 'workflow') {
    if (rewritesOnly(change.kind, change.oldImage, change.newImage, entity === 'workflow' ? 'revision' : 'version'))
      return undefined;
    const action = actions[change.kind];
    const current = action === 'deleted' ? change.oldImage : change.newImage;
    const counter = entity === 'workflow' ? (current?.revision ?? current?.version) : current?.version;
    const before = change.oldImage;
    const after = change.newImage;
    const status =
      entity === 'executor' && action === 'updated' && before?.status !== after?.status
        ? { statusChange: { from: String(before?.status), to: String(after?.status) } }
        : {};
    return {
      ...common,
      resourceType: entity,
      resourceId: asString(image?.id) ?? '',
      action,
      version: asNumber(counter),
      ...changesBetween(before, after),
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...status,
      ...(action === 'deleted'
        ? { at: change.at, tombstonePk: asString(before?.pk) ?? '' }
        : { ...writerOf(after, 'updatedBy'), at: asString(after?.updatedAt) ?? change.at }),
    };
  }
  if (entity === 'workflowVersion' && change.kind === 'INSERT' && change.newImage) {
    const snapshot = change.newImage;
    return {
      ...common,
      resourceType: 'workflow',
      resourceId: asString(snapshot.workflowId) ?? '',
      action: 'deployed',
      version: asNumber(snapshot.version),
      ...changesBetween(undefined, snapshot),
      after: snapshot,
      ...writerOf(snapshot, 'deployedBy'),
      at: asString(snapshot.deployedAt) ?? change.at,
    };
  }
  return undefined;
}

/** A deletion completed with its tombstone: who deleted it and when (unknown when the tombstone is gone). */
export function withDeletion(change: ResourceChange, tombstone: Item | undefined): ResourceChange {
  return {
    ...change,
    ...writerOf(tombstone, 'deletedBy', 'updatedBy'),
    at: asString(tombstone?.deletedAt) ?? change.at,
  };
}
