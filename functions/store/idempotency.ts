/**
 * Idempotency records: Powertools Idempotency's DynamoDB persistence in the one table,
 * each record under its own key (keys.ts: the organization, the operation and a hash of
 * the caller's key), with the table's TTL attribute as its expiry. Completing or
 * releasing a record is retried past a throttle: a command that applied must not be left
 * looking "in progress", or a later repeat would apply it again.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { marshall } from '@aws-sdk/util-dynamodb';
import { UnavailableError } from '../errors.js';
import { getDocumentClient, tableName } from './client.js';
import { idempotencyRecordKey } from './keys.js';
import { contended, retryOnConflict } from './retry.js';

/** Attempts (each with the SDK's own three) at completing or releasing a record. */
const settleAttempts = 2;

/** Runs a record write again while DynamoDB is unavailable, a bounded number of times. */
async function settle(write: () => Promise<void>): Promise<void> {
  let last: UnavailableError | undefined;
  await retryOnConflict(
    async () => {
      try {
        await write();
        return undefined;
      } catch (error) {
        if (!(error instanceof UnavailableError)) throw error;
        last = error;
        return contended;
      }
    },
    { attempts: settleAttempts, jitterMs: 100, exhausted: () => last as UnavailableError },
  );
}

class TableIdempotencyStore extends DynamoDBPersistenceLayer {
  protected override getKey(idempotencyKey: string) {
    return marshall(idempotencyRecordKey(idempotencyKey));
  }

  protected override _updateRecord(record: IdempotencyRecord): Promise<void> {
    return settle(() => super._updateRecord(record));
  }

  protected override _deleteRecord(record: IdempotencyRecord): Promise<void> {
    return settle(() => super._deleteRecord(record));
  }
}

/** A persistence layer for one command's idempotency (one per command: Powertools keeps the key prefix on it). */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  return new TableIdempotencyStore({
    tableName: tableName(),
    keyAttr: 'pk',
    expiryAttr: 'expiresAt',
    inProgressExpiryAttr: 'inProgressExpiresAt',
    statusAttr: 'status',
    dataAttr: 'result',
    validationKeyAttr: 'requestHash',
    // The shared client: the same timeouts, retries and failure classification as every store.
    awsSdkV3Client: getDocumentClient(),
  });
}
