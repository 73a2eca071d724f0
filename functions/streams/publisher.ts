/**
 * Where domain events go, behind one small interface: in AWS, PutEvents on the bus named
 * by `EVENT_BUS_NAME`; locally and in tests, one NDJSON line per event appended to the
 * file named by `EVENTS_SINK_FILE` (each line shaped like the EventBridge event a rule
 * would deliver).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type DomainEvent, domainEventSource } from '../domain/events.js';
import { classifyFailures, sdkClientSettings } from '../store/client.js';

export interface EventPublisher {
  /** Publishes the events; resolves to the ids of those that were not accepted (to retry). */
  publish(events: readonly DomainEvent[]): Promise<{ failedIds: string[] }>;
}

/** PutEvents takes at most 10 entries per call. */
const putEventsLimit = 10;

function toEntry(event: DomainEvent, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: domainEventSource,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurredAt),
    Resources: [],
  };
}

/**
 * The EventBridge client: the same attempts, timeouts and failure classification as DynamoDB's
 * (functions/store/client.ts).
 */
function eventBridgeClient(): EventBridgeClient {
  const client = new EventBridgeClient(sdkClientSettings());
  classifyFailures(client, 'EventBridge');
  return client;
}

/** Publishes to an EventBridge bus; entries EventBridge refuses (or a failed call) come back as failed. */
export function eventBridgePublisher(busName: string, client = eventBridgeClient()): EventPublisher {
  return {
    async publish(events) {
      const failedIds: string[] = [];
      for (let start = 0; start < events.length; start += putEventsLimit) {
        const chunk = events.slice(start, start + putEventsLimit);
        const result = await client.send(
          new PutEventsCommand({ Entries: chunk.map((event) => toEntry(event, busName)) }),
        );
        // Entries answer in request order; one with an ErrorCode was not accepted.
        (result.Entries ?? []).forEach((entry, index) => {
          if (entry.ErrorCode) failedIds.push(chunk[index].id);
        });
      }
      return { failedIds };
    },
  };
}

/** Appends one NDJSON line per event to a file (created with its directory when missing). */
export function ndjsonFilePublisher(file: string): EventPublisher {
  return {
    async publish(events) {
      if (events.length === 0) return { failedIds: [] };
      await mkdir(dirname(file), { recursive: true });
      const lines = events.map((event) =>
        JSON.stringify({
          id: event.id,
          source: domainEventSource,
          'detail-type': event.type,
          time: event.occurredAt,
          detail: event,
        }),
      );
      await appendFile(file, `${lines.join('\n')}\n`, 'utf8');
      return { failedIds: [] };
    },
  };
}

let fromEnvironment: EventPublisher | undefined;

/** The publisher the environment names: `EVENTS_SINK_FILE` (local) wins over `EVENT_BUS_NAME` (AWS). */
export function publisherFromEnvironment(): EventPublisher {
  const file = process.env.EVENTS_SINK_FILE;
  if (file) return ndjsonFilePublisher(file);
  const bus = process.env.EVENT_BUS_NAME;
  if (!bus) throw new Error('neither EVENTS_SINK_FILE nor EVENT_BUS_NAME is set');
  fromEnvironment ??= eventBridgePublisher(bus);
  return fromEnvironment;
}
