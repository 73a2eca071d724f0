/**
 * Replaying the EventBridge commands' dead-letter queue. Its messages are commands sent
 * through the bus that EventBridge could not hand to the route's function (4 retries or
 * 2 hours) or that the function then failed (Lambda's asynchronous retries): in both
 * cases the body is the EventBridge event itself. Replaying one puts the same source,
 * detail-type, detail and resources on the bus again, where the route's rule sends it
 * to the function; the message is deleted once EventBridge accepted the entry.
 *
 * The event gets a new id on the bus. A command that names its own `idempotencyKey` is
 * applied at most once across the replay; one without is applied again (its `ifMatch`,
 * when it has one, still refuses a stale change). docs/runbook.md says so.
 */
import type { DeadLetterQueue, QueueMessage, ReplayOutcome } from './stream.js';

/** The prefix of every command's detail-type (infra/constructs/events-and-audit.ts, `commandDetailType`). */
export const commandDetailTypePrefix = 'flowplane.command.';

/** A command as PutEvents takes it again. */
export interface CommandEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
}

/** Puts entries on the bus; for each entry, the error EventBridge gave it (undefined when accepted). */
export interface CommandBus {
  put(entries: CommandEntry[]): Promise<(string | undefined)[]>;
}

/** The command an EventBridge dead-letter message carries, or why it is not one. */
export function parseCommandEvent(body: string): CommandEntry | { problem: string } {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  const {
    source,
    'detail-type': detailType,
    detail,
    resources,
  } = (event ?? {}) as {
    source?: unknown;
    'detail-type'?: unknown;
    detail?: unknown;
    resources?: unknown;
  };
  if (typeof detailType !== 'string' || !detailType.startsWith(commandDetailTypePrefix))
    return { problem: `not a command event (detail-type ${JSON.stringify(detailType)})` };
  if (typeof source !== 'string' || source.length === 0 || source.startsWith('aws.'))
    return { problem: `source ${JSON.stringify(source)} cannot be put on a bus again` };
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
    return { problem: 'the event has no command envelope in detail' };
  return {
    Source: source,
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    Resources: Array.isArray(resources) ? resources.filter((r): r is string => typeof r === 'string') : [],
  };
}

/** Why the command failed, from the attributes EventBridge (ERROR_CODE…) or Lambda (ErrorCode…) set. */
export function failureOf(message: QueueMessage): string | undefined {
  const attributes = message.attributes ?? {};
  const code = attributes.ERROR_CODE ?? attributes.ErrorCode;
  const text = attributes.ERROR_MESSAGE ?? attributes.ErrorMessage;
  return code || text ? [code, text].filter(Boolean).join(': ') : undefined;
}

export interface CommandReplayOptions {
  queue: DeadLetterQueue;
  bus: CommandBus;
  /** At most this many messages. Default 100. */
  max?: number;
  /** Read and report, put nothing, delete nothing. */
  dryRun?: boolean;
}

/** Replays up to `max` messages of the EventBridge commands' dead-letter queue; every message's outcome, in order. */
export async function replayCommandEvents(options: CommandReplayOptions): Promise<ReplayOutcome[]> {
  const max = options.max ?? 100;
  const outcomes: ReplayOutcome[] = [];
  while (outcomes.length < max) {
    const messages = await options.queue.receive(Math.min(10, max - outcomes.length));
    if (messages.length === 0) break;
    const parsed = messages.map((message) => ({ message, entry: parseCommandEvent(message.body) }));
    const sendable = parsed.filter((p): p is { message: QueueMessage; entry: CommandEntry } => !('problem' in p.entry));
    const errors = options.dryRun || sendable.length === 0 ? [] : await options.bus.put(sendable.map((p) => p.entry));
    for (const { message, entry } of parsed) {
      if ('problem' in entry) {
        outcomes.push({ message, result: 'kept', records: 0, reason: entry.problem });
        continue;
      }
      const cause = failureOf(message);
      if (options.dryRun) {
        outcomes.push({ message, result: 'would replay', records: 1, ...(cause ? { reason: cause } : {}) });
        continue;
      }
      const error = errors[sendable.findIndex((p) => p.message === message)];
      if (error) {
        outcomes.push({ message, result: 'kept', records: 1, reason: `EventBridge refused it: ${error}` });
        continue;
      }
      await options.queue.remove(message);
      outcomes.push({ message, result: 'replayed', records: 1, ...(cause ? { reason: cause } : {}) });
    }
  }
  return outcomes;
}
