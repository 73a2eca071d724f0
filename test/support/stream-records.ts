/** Hand-written DynamoDB stream records in the Lambda event's shape, for the pure stream logic. */
import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ResourceChange } from '../../functions/domain/resource-change.js';
import { resourceChangeOf } from '../../functions/streams/changes.js';
import { toStreamChange } from '../../functions/streams/records.js';

let sequence = 1000;

/** A record of one write: `old` and `new` images as plain objects (marshalled as the stream carries them). */
export function streamRecord(
  kind: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
  eventID: string = randomUUID(),
): DynamoDBRecord {
  const image = images.new ?? images.old ?? {};
  const marshal = (item: Record<string, unknown>) =>
    marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }) as never;
  sequence += 1;
  return {
    eventID: eventID,
    eventName: kind,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/test/stream/label',
    dynamodb: {
      ApproximateCreationDateTime: 1_767_225_600,
      Keys: marshal({ pk: image.pk, sk: image.sk }),
      ...(images.new ? { NewImage: marshal(images.new) } : {}),
      ...(images.old ? { OldImage: marshal(images.old) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** The resource change a record is, as the stream consumers read it; undefined for an item that is no resource. */
export const changeOf = (record: DynamoDBRecord): ResourceChange | undefined =>
  resourceChangeOf(toStreamChange(record));

export const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

export const sealed = (label: string) => `enc:v1:k1:${Buffer.from(label).toString('base64url')}:c2VhbGVk`;

/** An executor item as the store writes it. */
export function executorItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const organizationId = String(overrides.organizationId ?? 'org-1');
  const id = String(overrides.id ?? '5b1f0a4e-0000-4000-8000-000000000001');
  return {
    pk: `ORG#${organizationId}#EXECUTOR#${id}`,
    sk: 'EXECUTOR',
    gsi1pk: `ORG#${organizationId}#EXECUTORS`,
    gsi1sk: `2026-01-01T00:00:00.000Z#${id}`,
    gsi2pk: `ORG#${organizationId}#EXECUTORS`,
    gsi2sk: `${String(overrides.updatedAt ?? '2026-01-01T00:00:00.000Z')}#${id}`,
    entity: 'executor',
    id,
    organizationId,
    name: 'Serasa KYC',
    status: 'unconfigured',
    authSecrets: {},
    metadata: {},
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ci-key',
    ...overrides,
  };
}

/** A workflow working copy as the store writes it. */
export function workflowItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const organizationId = String(overrides.organizationId ?? 'org-1');
  const id = String(overrides.id ?? '7c2e0b5f-0000-4000-8000-000000000002');
  return {
    pk: `ORG#${organizationId}#WORKFLOW#${id}`,
    sk: 'WORKFLOW',
    entity: 'workflow',
    id,
    organizationId,
    name: 'Onboarding',
    description: 'KYC then scoring',
    version: 0,
    revision: 1,
    hasPendingChanges: true,
    llmCredentialsValue: sealed('llm'),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ci-key',
    ...overrides,
  };
}
