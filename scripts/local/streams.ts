/**
 * DynamoDB Local's table stream, read the way Lambda's event source mapping reads a
 * table stream in AWS: every shard (a parent before its children), records in shard
 * order, each converted to the Lambda `DynamoDBRecord` shape; and a poller that feeds
 * them to the stream consumers (functions/streams/consumer-table.ts) in batches, redelivering
 * from the record a consumer reports as failed (ReportBatchItemFailures), like Lambda.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from './proxy-event.js';

export interface TableStreamOptions {
  endpoint: string;
  tableName: string;
  region?: string;
  /**
   * Where reading starts in the shards open at the first read: all that is retained (default) or only what comes next.
   */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
}

/**
 * An attribute value as Lambda delivers it: binary as base64 text. DynamoDB Local's
 * stream writes an empty map as `{}` instead of `{"M": {}}`; it is put back.
 */
function toLambdaValue(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B instanceof Uint8Array) return { B: Buffer.from(value.B).toString('base64') };
  if (Array.isArray(value.BS))
    return { BS: value.BS.map((member: Uint8Array) => Buffer.from(member).toString('base64')) };
  if (value.M) return { M: toLambdaImage(value.M as Record<string, Record<string, unknown>>) };
  if (Array.isArray(value.L)) return { L: value.L.map(toLambdaValue) };
  return value;
}

function toLambdaImage(image: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

/** A DynamoDB Streams record in the shape a Lambda `DynamoDBStreamEvent` carries it. */
export function toLambdaRecord(record: StreamsRecord, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      Keys: toLambdaImage((stream.Keys ?? {}) as never) as never,
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage as never) as never } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage as never) as never } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
  };
}

interface ShardState {
  parent?: string;
  iterator?: string;
  lastSequenceNumber?: string;
  closed: boolean;
}

/** Reads a table's stream incrementally: each `read()` returns what was appended since the last. */
export class TableStreamReader {
  private readonly dynamodb: DynamoDBClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private streamArn?: string;
  private firstRead = true;

  constructor(private readonly options: TableStreamOptions) {
    const config = {
      endpoint: options.endpoint,
      region: options.region ?? process.env.AWS_REGION ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    this.dynamodb = new DynamoDBClient(config);
    this.streams = new DynamoDBStreamsClient(config);
  }

  private async describeShards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async iteratorFor(
    streamArn: string,
    shardId: string,
    state: ShardState,
    type: ShardIteratorType,
  ): Promise<string | undefined> {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(state.lastSequenceNumber
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequenceNumber }
          : { ShardIteratorType: type }),
      }),
    );
    return ShardIterator;
  }

  /** Every record appended to the stream since the previous call, shard by shard in order. */
  async read(): Promise<DynamoDBRecord[]> {
    if (!this.streamArn) {
      const { Table } = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${this.options.tableName} has no stream`);
      this.streamArn = Table.LatestStreamArn;
    }
    const streamArn = this.streamArn;
    const start: ShardIteratorType = this.firstRead
      ? (this.options.startingPosition ?? 'TRIM_HORIZON')
      : 'TRIM_HORIZON';
    for (const shard of await this.describeShards(streamArn)) {
      if (shard.ShardId && !this.shards.has(shard.ShardId)) {
        this.shards.set(shard.ShardId, {
          parent: shard.ParentShardId,
          closed: false,
          ...(start === 'LATEST'
            ? { iterator: await this.iteratorFor(streamArn, shard.ShardId, { closed: false }, 'LATEST') }
            : {}),
        });
      }
    }
    this.firstRead = false;
    const records: DynamoDBRecord[] = [];
    for (const [shardId, state] of this.shards) {
      const parent = state.parent ? this.shards.get(state.parent) : undefined;
      if (state.closed || (parent && !parent.closed)) continue;
      state.iterator ??= await this.iteratorFor(streamArn, shardId, state, 'TRIM_HORIZON');
      while (state.iterator) {
        let page;
        try {
          page = await this.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
        } catch (error) {
          if (!(error instanceof ExpiredIteratorException)) throw error;
          state.iterator = await this.iteratorFor(streamArn, shardId, state, 'TRIM_HORIZON');
          continue;
        }
        const fetched = page.Records ?? [];
        records.push(...fetched.map((record) => toLambdaRecord(record, streamArn)));
        state.lastSequenceNumber = fetched.at(-1)?.dynamodb?.SequenceNumber ?? state.lastSequenceNumber;
        state.iterator = page.NextShardIterator;
        if (!state.iterator) state.closed = true;
        if (fetched.length === 0) break;
      }
    }
    return records;
  }

  close(): void {
    this.dynamodb.destroy();
    this.streams.destroy();
  }
}

/** Every record the table's stream holds now, in order (what a fresh mapping at TRIM_HORIZON would read). */
export async function readTableStream(
  options: Omit<TableStreamOptions, 'startingPosition'>,
): Promise<DynamoDBRecord[]> {
  const reader = new TableStreamReader(options);
  try {
    return await reader.read();
  } finally {
    reader.close();
  }
}

export type StreamConsumerHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  reader: Pick<TableStreamReader, 'read'>;
  consumers: readonly { name: string; handler: StreamConsumerHandler | (() => Promise<StreamConsumerHandler>) }[];
  /** Pause between polls. Default 250 ms. */
  intervalMillis?: number;
  /** Records per invocation, like the event source mapping's batch size. Default 100. */
  batchSize?: number;
  /** Deliveries of a record before it is given up (logged as dead-lettered, by id only). Default 5. */
  maxAttempts?: number;
}

export interface StreamPoller {
  /** Resolves once every record read so far has been delivered (or given up): lets tests wait for the consumers. */
  drain(): Promise<void>;
  /** Stops polling, waits for the poll in flight, leaves no timer behind. */
  stop(): Promise<void>;
}

/**
 * Polls the stream and feeds each consumer its own queue of records in batches; a
 * consumer's reported failure (or a throw) redelivers from that record on the next poll.
 */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const intervalMillis = options.intervalMillis ?? 250;
  const batchSize = options.batchSize ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const consumers = options.consumers.map((consumer) => ({
    ...consumer,
    queue: [] as DynamoDBRecord[],
    attempts: 0,
    loaded: undefined as StreamConsumerHandler | undefined,
  }));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let started = 0;
  /** Drain callers, each waiting for a poll that started after it asked. */
  let waiting: { fromPoll: number; resolve: () => void }[] = [];

  const handlerOf = async (consumer: (typeof consumers)[number]): Promise<StreamConsumerHandler> => {
    if (!consumer.loaded) {
      const { handler } = consumer;
      // A loader (no parameters) resolves to the handler; a handler takes the event.
      consumer.loaded =
        handler.length === 0
          ? await (handler as () => Promise<StreamConsumerHandler>)()
          : (handler as StreamConsumerHandler);
    }
    return consumer.loaded;
  };

  const deliver = async (consumer: (typeof consumers)[number]): Promise<void> => {
    while (consumer.queue.length > 0 && !stopped) {
      const batch = consumer.queue.slice(0, batchSize);
      let failedAt = -1;
      try {
        const result = await (await handlerOf(consumer))({ Records: batch }, lambdaContext(consumer.name));
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed !== undefined)
          failedAt = Math.max(
            0,
            batch.findIndex((record) => record.dynamodb?.SequenceNumber === failed),
          );
      } catch (error) {
        console.error(`stream consumer ${consumer.name} failed: ${(error as Error).message}`);
        failedAt = 0;
      }
      if (failedAt === -1) {
        consumer.queue.splice(0, batch.length);
        consumer.attempts = 0;
        continue;
      }
      consumer.queue.splice(0, failedAt);
      consumer.attempts = failedAt > 0 ? 1 : consumer.attempts + 1;
      if (consumer.attempts >= maxAttempts) {
        const [given] = consumer.queue.splice(0, 1);
        consumer.attempts = 0;
        console.error(
          `stream consumer ${consumer.name}: record ${given.eventID} given up after ${maxAttempts} attempts (dead-lettered)`,
        );
        continue;
      }
      return;
    }
  };

  const poll = async (): Promise<void> => {
    started += 1;
    const number = started;
    try {
      const records = await options.reader.read();
      for (const consumer of consumers) consumer.queue.push(...records);
      for (const consumer of consumers) await deliver(consumer);
    } catch (error) {
      console.error(`stream poller: ${(error as Error).message}`);
    }
    if (consumers.every((consumer) => consumer.queue.length === 0)) {
      const done = waiting.filter((waiter) => waiter.fromPoll <= number);
      waiting = waiting.filter((waiter) => waiter.fromPoll > number);
      done.forEach((waiter) => waiter.resolve());
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = poll().finally(schedule);
    }, intervalMillis);
  };
  inFlight = poll().finally(schedule);

  return {
    drain: () => new Promise<void>((resolve) => waiting.push({ fromPoll: started + 1, resolve })),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
      waiting.forEach((waiter) => waiter.resolve());
      waiting = [];
    },
  };
}
