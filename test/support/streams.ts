/**
 * Running the table stream's consumers in a test, as `npm start` does: the stream read
 * from DynamoDB Local (scripts/local/streams.ts), only one organization's records fed to
 * the publisher (into an NDJSON sink) and the audit writer, and what each produced for
 * a resource counted.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { auditEntryPrefix, auditPartition } from '../../functions/store/keys.js';
import { handler as publishHandler } from '../../functions/streams/publish-events.js';
import { handler as auditHandler } from '../../functions/streams/write-audit.js';
import { readTableStream } from '../../scripts/local/streams.js';
import { lambdaContext } from './api.js';

const imageOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;

/** Points the publisher at a fresh NDJSON sink; returns its path. */
export function useEventSink(): string {
  const sink = join(mkdtempSync(join(tmpdir(), 'flowplane-events-')), 'events.ndjson');
  process.env.EVENTS_SINK_FILE = sink;
  return sink;
}

/**
 * Every stream record so far whose item belongs to the organization (its pk starts with ORG#<org>#), idempotency
 * records included.
 */
export async function organizationRecords(organizationId: string): Promise<DynamoDBRecord[]> {
  const records = await readTableStream({ endpoint: String(process.env.DYNAMODB_ENDPOINT), tableName: tableName() });
  return records.filter((record) => String(imageOf(record)?.pk?.S ?? '').startsWith(`ORG#${organizationId}#`));
}

/** Feeds records to both consumers, as Lambda would; both must take the whole batch. */
export async function runConsumers(records: DynamoDBRecord[]) {
  const published = await publishHandler({ Records: records }, lambdaContext());
  const audited = await auditHandler({ Records: records }, lambdaContext());
  expect([published, audited]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
}

/** The events the sink holds about a resource. */
export function sinkEventsAbout(
  sink: string,
  resourceId: string,
): { id: string; 'detail-type': string; detail: Record<string, any> }[] {
  if (!existsSync(sink)) return [];
  return readFileSync(sink, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((event) => event.detail.resourceId === resourceId);
}

/** A resource's audit entries, in chain order. */
export async function auditEntriesOf(organizationId: string, resourceId: string): Promise<Record<string, any>[]> {
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': auditPartition(organizationId, resourceId), ':entry': auditEntryPrefix },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}
