/**
 * The stream consumer table: the table's stream consumers, listed once. The build bundles
 * them, the local server feeds them DynamoDB Local's stream, the CDK stack gives each a
 * function fed by the table's stream. Like the route table, adding one is an entry here
 * plus its file.
 */
export interface StreamConsumerDefinition {
  /** Function name and bundle directory (dist/functions/<name>). */
  readonly name: string;
  /** The Lambda entry file, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
}

export const streamConsumers = {
  publishDomainEvents: {
    name: 'publishDomainEvents',
    entry: 'functions/streams/publish-events.ts',
    description: 'Table stream: domain events to the event bus',
  },
  writeAuditLog: {
    name: 'writeAuditLog',
    entry: 'functions/streams/write-audit.ts',
    description: 'Table stream: hash-chained audit entries',
  },
} as const satisfies Record<string, StreamConsumerDefinition>;

export const streamConsumerList: readonly StreamConsumerDefinition[] = Object.values(streamConsumers);
