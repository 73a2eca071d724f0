/**
 * The replay ports in AWS terms (docs/runbook.md, "Replay", spells out the same calls):
 * SQS ReceiveMessage / DeleteMessage on a dead-letter queue, DynamoDB Streams
 * GetShardIterator (AT_SEQUENCE_NUMBER) / GetRecords for a failed range, Lambda Invoke of
 * the consumer that failed it, EventBridge PutEvents for commands, and SQS
 * StartMessageMoveTask to redrive the SQS commands to the queues they came from.
 */
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from '../local/streams.js';
import type { CommandBus } from './commands.js';
import {
  batchFailure,
  compareSequenceNumbers,
  type ConsumerInvoker,
  type DeadLetterQueue,
  type StreamRecords,
} from './stream.js';

/** How long a received message stays hidden while it is replayed (then it shows again, if it was kept). */
const replayVisibilitySeconds = 300;

/** A dead-letter queue by URL. */
export function sqsDeadLetterQueue(queueUrl: string, client = new SQSClient({})): DeadLetterQueue {
  return {
    async receive(max) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: 1,
          VisibilityTimeout: replayVisibilitySeconds,
          MessageAttributeNames: ['All'],
        }),
      );
      return Messages.map((message) => ({
        receipt: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
            value.StringValue !== undefined ? [[name, value.StringValue]] : [],
          ),
        ),
      }));
    },
    async remove(message) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.receipt }));
    },
  };
}

/** Pages of a shard read past the failed range's tip before concluding the open shard holds nothing more. */
const emptyPagesToStop = 5;

/** A failed range read again from the table's stream. */
export function dynamoDbStreamRecords(client = new DynamoDBStreamsClient({})): StreamRecords {
  return {
    async between(failure) {
      let iterator: string | undefined;
      try {
        ({ ShardIterator: iterator } = await client.send(
          new GetShardIteratorCommand({
            StreamArn: failure.streamArn,
            ShardId: failure.shardId,
            ShardIteratorType: 'AT_SEQUENCE_NUMBER',
            SequenceNumber: failure.startSequenceNumber,
          }),
        ));
      } catch (error) {
        if (error instanceof TrimmedDataAccessException || error instanceof ResourceNotFoundException) return 'expired';
        throw error;
      }
      const records: DynamoDBRecord[] = [];
      let empty = 0;
      while (iterator && empty < emptyPagesToStop) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const fetched = page.Records ?? [];
        empty = fetched.length === 0 ? empty + 1 : 0;
        for (const record of fetched) {
          const sequence = record.dynamodb?.SequenceNumber ?? '';
          if (compareSequenceNumbers(sequence, failure.endSequenceNumber) > 0) return records;
          records.push(toLambdaRecord(record, failure.streamArn));
        }
        iterator = page.NextShardIterator;
      }
      return records;
    },
  };
}

/** Invokes a consumer function synchronously with the records, as its event source mapping would. */
export function lambdaConsumerInvoker(client = new LambdaClient({})): ConsumerInvoker {
  return {
    async invoke(functionArn, event) {
      const { FunctionError, Payload } = await client.send(
        new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }),
      );
      const text = Payload ? Buffer.from(Payload).toString('utf8') : '';
      if (FunctionError) return { failure: `the function failed (${FunctionError}): ${text.slice(0, 500)}` };
      const failure = batchFailure(
        text ? ((JSON.parse(text) as DynamoDBBatchResponse | null) ?? undefined) : undefined,
      );
      return failure ? { failure } : {};
    },
  };
}

/** The event bus commands are put on again, ten entries per PutEvents. */
export function eventBridgeCommandBus(busName: string, client = new EventBridgeClient({})): CommandBus {
  return {
    async put(entries) {
      const errors: (string | undefined)[] = [];
      for (let start = 0; start < entries.length; start += 10) {
        const chunk = entries.slice(start, start + 10);
        const { Entries = [] } = await client.send(
          new PutEventsCommand({ Entries: chunk.map((entry) => ({ ...entry, EventBusName: busName })) }),
        );
        errors.push(
          ...chunk.map((_, index) => {
            const result = Entries[index];
            return result?.ErrorCode ? `${result.ErrorCode}: ${result.ErrorMessage ?? ''}`.trim() : undefined;
          }),
        );
      }
      return errors;
    },
  };
}

/**
 * Starts SQS's redrive of the SQS commands' dead-letter queue: each message goes back to
 * the command queue it came from (no destination given). Resolves to the queue's ARN and
 * the task handle (`aws sqs list-message-move-tasks --source-arn <arn>` follows it).
 */
export async function redriveToSourceQueues(
  queueUrl: string,
  client = new SQSClient({}),
): Promise<{ queueArn: string; taskHandle: string }> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn;
  if (!queueArn) throw new Error(`no ARN for queue ${queueUrl}`);
  const { TaskHandle } = await client.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn }));
  return { queueArn, taskHandle: TaskHandle ?? '' };
}
