/**
 * The EventBridge commands' replay (scripts/replay/commands.ts) with the queue and the
 * bus in memory (no local stand-in for either): which messages are commands, what is put
 * on the bus again, and that a message goes only once EventBridge took its entry. The AWS
 * calls themselves are spelled out in docs/runbook.md.
 */
import {
  type CommandEntry,
  failureOf,
  parseCommandEvent,
  replayCommandEvents,
} from '../../../../scripts/replay/commands.js';
import type { DeadLetterQueue, QueueMessage } from '../../../../scripts/replay/stream.js';

/** An event as EventBridge delivers it to a target (and to the target's dead-letter queue). */
const commandEvent = (operationId: string, detail: unknown = { organizationId: 'acme', params: { id: 'e1' } }) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': `flowplane.command.${operationId}`,
  source: 'billing-sync',
  account: '123456789012',
  time: '2026-01-14T00:13:19Z',
  region: 'eu-west-1',
  resources: ['arn:aws:example:thing'],
  detail,
});

const message = (body: unknown, attributes?: Record<string, string>): QueueMessage => ({
  receipt: Math.random().toString(36),
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...(attributes ? { attributes } : {}),
});

function memoryQueue(messages: QueueMessage[]): DeadLetterQueue & { held: QueueMessage[] } {
  const held = [...messages];
  const received = new Set<QueueMessage>();
  return {
    held,
    receive: async (max) => {
      const next = held.filter((m) => !received.has(m)).slice(0, max);
      next.forEach((m) => received.add(m));
      return next;
    },
    remove: async (m) => {
      held.splice(held.indexOf(m), 1);
    },
  };
}

test('a command event becomes the PutEvents entry it was: source, detail-type, detail, resources', () => {
  // Act / Assess
  expect(parseCommandEvent(JSON.stringify(commandEvent('updateWorkflow')))).toEqual({
    Source: 'billing-sync',
    DetailType: 'flowplane.command.updateWorkflow',
    Detail: JSON.stringify({ organizationId: 'acme', params: { id: 'e1' } }),
    Resources: ['arn:aws:example:thing'],
  });
});

test.each([
  ['{', 'the body is not JSON'],
  [
    JSON.stringify({ ...commandEvent('x'), 'detail-type': 'ExecutorUpdated' }),
    'not a command event (detail-type "ExecutorUpdated")',
  ],
  [
    JSON.stringify({ ...commandEvent('updateWorkflow'), source: 'aws.events' }),
    'source "aws.events" cannot be put on a bus again',
  ],
  [JSON.stringify(commandEvent('updateWorkflow', 'text')), 'the event has no command envelope in detail'],
  [JSON.stringify({ DDBStreamBatchInfo: {} }), 'not a command event (detail-type undefined)'],
])('%s is kept: %s', (body, problem) => {
  // Act / Assess
  expect(parseCommandEvent(body)).toEqual({ problem });
});

test("the cause comes from EventBridge's or Lambda's message attributes", () => {
  // Act / Assess
  expect(failureOf(message('{}', { ERROR_CODE: 'SDK_CLIENT_ERROR', ERROR_MESSAGE: 'Rate exceeded' }))).toBe(
    'SDK_CLIENT_ERROR: Rate exceeded',
  );
  expect(failureOf(message('{}', { ErrorCode: '200', ErrorMessage: 'DynamoDB unavailable', RequestID: 'r' }))).toBe(
    '200: DynamoDB unavailable',
  );
  expect(failureOf(message('{}'))).toBeUndefined();
});

test('commands go back on the bus and leave the queue; a refused entry and a message that is no command stay', async () => {
  // Prepare
  const accepted = message(commandEvent('updateWorkflow'), { ERROR_CODE: 'SDK_CLIENT_ERROR' });
  const refused = message(commandEvent('deployWorkflow'));
  const foreign = message({ DDBStreamBatchInfo: {} });
  const queue = memoryQueue([accepted, foreign, refused]);
  const put: CommandEntry[][] = [];
  const bus = {
    put: async (entries: CommandEntry[]) => {
      put.push(entries);
      return entries.map((e) =>
        e.DetailType.endsWith('deployWorkflow') ? 'ThrottlingException: Rate exceeded' : undefined,
      );
    },
  };
  // Act
  const outcomes = await replayCommandEvents({ queue, bus });
  // Assess
  expect(put).toEqual([[parseCommandEvent(accepted.body), parseCommandEvent(refused.body)]]);
  expect(outcomes.map((o) => [o.message, o.result, o.reason])).toEqual([
    [accepted, 'replayed', 'SDK_CLIENT_ERROR'],
    [foreign, 'kept', 'not a command event (detail-type undefined)'],
    [refused, 'kept', 'EventBridge refused it: ThrottlingException: Rate exceeded'],
  ]);
  expect(queue.held).toEqual([foreign, refused]);
});

test('a dry run puts nothing and deletes nothing; max bounds the messages read', async () => {
  // Prepare
  const messages = Array.from({ length: 25 }, () => message(commandEvent('updateWorkflow')));
  const queue = memoryQueue(messages);
  const put: CommandEntry[][] = [];
  const bus = {
    put: async (entries: CommandEntry[]) => {
      put.push(entries);
      return entries.map(() => undefined);
    },
  };
  // Act
  const outcomes = await replayCommandEvents({ queue, bus, dryRun: true, max: 12 });
  // Assess
  expect(outcomes.map((o) => o.result)).toEqual(Array(12).fill('would replay'));
  expect(put).toEqual([]);
  expect(queue.held).toHaveLength(25);
});
