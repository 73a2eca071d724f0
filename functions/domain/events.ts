/**
 * Domain events: what consumers outside flowplane learn about a resource change. An
 * event names the organization, the resource, its version, the names of the fields that
 * changed, the actor, its credential and the permission it used — never a value, so never a secret. Its id derives from the
 * stream record and the event type, so a redelivered record yields the same ids and a
 * consumer drops duplicates by id (delivery is at least once).
 */
import type { ResourceChange, ResourceType } from './resource-change.js';

export const domainEventSource = 'flowplane';

export type DomainEventType =
  | 'ExecutorConfigurationCreated'
  | 'ExecutorConfigurationUpdated'
  | 'ExecutorConfigurationDeleted'
  | 'ExecutorStatusChanged'
  | 'WorkflowCreated'
  | 'WorkflowUpdated'
  | 'WorkflowDeployed'
  | 'WorkflowDeleted';

/** The event's body (EventBridge `detail`); its type is also the EventBridge `detail-type`. */
export interface DomainEvent {
  /** `<stream record id>:<type>`: the same for every delivery of the same change. */
  id: string;
  type: DomainEventType;
  /** When the change happened. */
  occurredAt: string;
  organizationId: string;
  resourceType: ResourceType;
  resourceId: string;
  /** See `ResourceChange.version`. */
  version: number;
  changedFields: string[];
  /** An API key's name, a token's subject or an event source; never a credential. */
  actor: string;
  /** Which credential (`apikey:<prefix>`, `oidc:<issuer>#<subject>`, a command source); absent for a change an earlier release wrote. */
  principal?: string;
  /** The permission the change was allowed by; absent where `principal` is. */
  permission?: string;
  /** Only on `ExecutorStatusChanged`. */
  status?: { from: string; to: string };
}

const typeOf: Record<ResourceType, Partial<Record<ResourceChange['action'], DomainEventType>>> = {
  executor: {
    created: 'ExecutorConfigurationCreated',
    updated: 'ExecutorConfigurationUpdated',
    deleted: 'ExecutorConfigurationDeleted',
  },
  workflow: {
    created: 'WorkflowCreated',
    updated: 'WorkflowUpdated',
    deployed: 'WorkflowDeployed',
    deleted: 'WorkflowDeleted',
  },
};

/**
 * The events of one change. An executor write that only moves its status (activate,
 * disable, enable) is `ExecutorStatusChanged` alone; a write that changes more and also
 * moves the status (a PATCH taking unconfigured to configured, a passed test taking
 * configured to tested) is `ExecutorConfigurationUpdated`, whose changed fields include
 * `status`, plus `ExecutorStatusChanged`.
 */
export function domainEventsOf(change: ResourceChange): DomainEvent[] {
  const base = {
    occurredAt: change.at,
    organizationId: change.organizationId,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    version: change.version,
    changedFields: change.changedFields,
    actor: change.actor ?? 'unknown',
    ...(change.authorization ? { ...change.authorization } : {}),
  };
  const event = (type: DomainEventType, extra: Partial<DomainEvent> = {}): DomainEvent => ({
    id: `${change.eventId}:${type}`,
    type,
    ...base,
    ...extra,
  });
  const events: DomainEvent[] = [];
  const statusOnly =
    change.statusChange !== undefined && change.changedFields.length === 1 && change.changedFields[0] === 'status';
  const type = typeOf[change.resourceType][change.action];
  if (type && !statusOnly) events.push(event(type));
  if (change.statusChange) events.push(event('ExecutorStatusChanged', { status: change.statusChange }));
  return events;
}
