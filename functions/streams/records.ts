/**
 * DynamoDB stream records as plain values: the Lambda event's record (also what the
 * local poller builds from DynamoDB Local's stream) unmarshalled into a `StreamChange`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Item } from '../domain/resource-change.js';
import type { StreamChange } from './changes.js';

function imageOf(image: Record<string, unknown> | undefined): Item | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** The record as a `StreamChange`; throws on a record without the parts every change has. */
export function toStreamChange(record: DynamoDBRecord): StreamChange {
  const { eventID, eventName, dynamodb } = record;
  if (!eventID || !eventName || !dynamodb?.SequenceNumber)
    throw new Error('stream record without eventID, eventName or SequenceNumber');
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
