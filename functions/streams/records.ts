/**
 * DynamoDB stream records as plain values: the Lambda event's record (also what the
 * local poller builds from DynamoDB Local's stream) unmarshalled into a `StreamChange`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

export type Item = Record<string, unknown>;

/** One stream record: which write it was, when, and the item before and after. */
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

function imageOf(image: Record<string, unknown> | undefined): Item | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** The record as a `StreamChange`; throws on a record without the parts every change has. */
export function toStreamChange(record: DynamoDBRecord): StreamChange {
  const { eventID, eventName, dynamodb } = record;
  if (!eventID || !eventName || !dynamodb?.SequenceNumber) throw new Error('stream record without eventID, eventName or SequenceNumber');
  const seconds = dynamodb.ApproximateCreationDateTime;
  return {
    eventId: eventID,
    sequenceNumber: dynamodb.SequenceNumber,
    kind: eventName,
    at: new Date(typeof seconds === 'number' ? seconds * 1000 : 0).toISOString(),
    oldImage: imageOf(dynamodb.OldImage),
    newImage: imageOf(dynamodb.NewImage),
  };
}
