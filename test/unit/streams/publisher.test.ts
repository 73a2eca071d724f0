/**
 * The event publisher: PutEvents in chunks of 10 with the event as `detail` and its type
 * as `detail-type`, entries EventBridge refuses reported back by id (so the stream batch
 * is redelivered from their record); the NDJSON sink writes one line per event.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '../../../functions/domain/events.js';
import { eventBridgePublisher, ndjsonFilePublisher } from '../../../functions/streams/publisher.js';

const events: DomainEvent[] = Array.from({ length: 23 }, (_, i) => ({
  id: `rec-${i}:ExecutorConfigurationUpdated`,
  type: 'ExecutorConfigurationUpdated',
  occurredAt: '2026-01-01T00:00:00.000Z',
  organizationId: 'org-1',
  resourceType: 'executor',
  resourceId: `e-${i}`,
  version: 2,
  changedFields: ['description'],
  actor: 'ci-key',
}));

test('PutEvents gets chunks of at most 10; refused entries come back as failed ids', async () => {
  // Prepare
  const calls: PutEventsCommand['input'][] = [];
  const client = {
    send: async (command: PutEventsCommand) => {
      calls.push(command.input);
      const entries = command.input.Entries ?? [];
      return {
        Entries: entries.map((entry) =>
          JSON.parse(String(entry.Detail)).resourceId === 'e-12'
            ? { ErrorCode: 'ThrottlingException' }
            : { EventId: 'x' },
        ),
      };
    },
  } as unknown as EventBridgeClient;
  // Act
  const result = await eventBridgePublisher('bus-1', client).publish(events);
  // Assess
  expect(calls.map((call) => call.Entries?.length)).toEqual([10, 10, 3]);
  expect(calls[0].Entries?.[0]).toEqual({
    EventBusName: 'bus-1',
    Source: 'flowplane',
    DetailType: 'ExecutorConfigurationUpdated',
    Detail: JSON.stringify(events[0]),
    Time: new Date('2026-01-01T00:00:00.000Z'),
    Resources: [],
  });
  expect(result).toEqual({ failedIds: ['rec-12:ExecutorConfigurationUpdated'] });
});

test('the NDJSON sink appends one EventBridge-shaped line per event', async () => {
  // Prepare
  const file = join(mkdtempSync(join(tmpdir(), 'flowplane-sink-')), 'nested', 'events.ndjson');
  const sink = ndjsonFilePublisher(file);
  // Act
  await sink.publish(events.slice(0, 2));
  await sink.publish([]);
  await sink.publish(events.slice(2, 3));
  // Assess
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines.map((line) => line.id)).toEqual(events.slice(0, 3).map((event) => event.id));
  expect(lines[0]).toEqual({
    id: events[0].id,
    source: 'flowplane',
    'detail-type': 'ExecutorConfigurationUpdated',
    time: events[0].occurredAt,
    detail: events[0],
  });
});
