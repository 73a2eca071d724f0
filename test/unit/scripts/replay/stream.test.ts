/**
 * The pure parts of the stream replay (scripts/replay/stream.ts): reading Lambda's
 * on-failure record, ordering sequence numbers longer than a double, and the consumers'
 * filter. The replay itself runs on DynamoDB Local's stream in test/integration/replay.test.ts.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import {
  batchFailure,
  compareSequenceNumbers,
  parseStreamFailure,
  passesConsumerFilter,
} from '../../../../scripts/replay/stream.js';

/** What Lambda writes to a stream event source's SQS on-failure destination (AWS Lambda developer guide). */
const lambdaRecord = {
  requestContext: {
    requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Flowplane-prod-EventswriteAuditLog-AbC',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 11,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-01-14T00:13:49.717Z',
  DDBStreamBatchInfo: {
    shardId: 'shardId-00000001573689847184-864758bb',
    startSequenceNumber: '800000000003126276362',
    endSequenceNumber: '800000000003126276362',
    approximateArrivalOfFirstRecord: '2026-01-14T00:13:19Z',
    approximateArrivalOfLastRecord: '2026-01-14T00:13:19Z',
    batchSize: 1,
    streamArn:
      'arn:aws:dynamodb:eu-west-1:123456789012:table/Flowplane-prod-TableCD117FA1-X/stream/2026-01-01T00:00:00.000',
  },
};

test("Lambda's on-failure record gives the function, the stream, the shard and the range given up", () => {
  // Act / Assess
  expect(parseStreamFailure(JSON.stringify(lambdaRecord))).toEqual({
    functionArn: lambdaRecord.requestContext.functionArn,
    streamArn: lambdaRecord.DDBStreamBatchInfo.streamArn,
    shardId: 'shardId-00000001573689847184-864758bb',
    startSequenceNumber: '800000000003126276362',
    endSequenceNumber: '800000000003126276362',
    condition: 'RetryAttemptsExhausted',
  });
});

test.each([
  ['not json', 'the body is not JSON'],
  [
    JSON.stringify({ 'detail-type': 'flowplane.command.updateWorkflow' }),
    'no DDBStreamBatchInfo: not a stream failure record',
  ],
  [
    JSON.stringify({ ...lambdaRecord, requestContext: {} }),
    'the record lacks the function, stream, shard or sequence numbers',
  ],
  [
    JSON.stringify({
      ...lambdaRecord,
      DDBStreamBatchInfo: { ...lambdaRecord.DDBStreamBatchInfo, endSequenceNumber: '8e20' },
    }),
    'sequence numbers are not numbers',
  ],
])('%s is no stream failure: %s', (body, problem) => {
  // Act / Assess
  expect(parseStreamFailure(body)).toEqual({ problem });
});

test('sequence numbers compare as the decimal numbers they are, past what a double holds', () => {
  // Act / Assess
  expect(compareSequenceNumbers('800000000003126276362', '800000000003126276363')).toBeLessThan(0);
  expect(compareSequenceNumbers('99', '100')).toBeLessThan(0);
  expect(compareSequenceNumbers('800000000003126276362', '800000000003126276362')).toBe(0);
  expect(compareSequenceNumbers('1000000000000000000001', '999999999999999999999')).toBeGreaterThan(0);
});

test("the consumers' filter: a record whose new or old image is an executor, workflow or workflow version", () => {
  const record = (image: 'NewImage' | 'OldImage', entity: string) =>
    ({ dynamodb: { [image]: { entity: { S: entity } } } }) as DynamoDBRecord;
  // Act / Assess
  expect(passesConsumerFilter(record('NewImage', 'executor'))).toBe(true);
  expect(passesConsumerFilter(record('OldImage', 'workflowVersion'))).toBe(true);
  expect(passesConsumerFilter(record('NewImage', 'apiKey'))).toBe(false);
  expect(passesConsumerFilter({ dynamodb: {} })).toBe(false);
});

test('a batch answer is a failure when it names any record', () => {
  // Act / Assess
  expect(batchFailure({ batchItemFailures: [] })).toBeUndefined();
  expect(batchFailure(undefined)).toBeUndefined();
  expect(batchFailure({ batchItemFailures: [{ itemIdentifier: '42' }] })).toBe(
    'the function reported record 42 as failed',
  );
});
