/**
 * One upgrade, as a team lives it: an earlier release's own server (built from its commit,
 * scripts/releases.ts) writes the data set on a fresh table of the suite's DynamoDB Local,
 * stops; then today's `npm start` server (the bundles in dist/) serves the same table with
 * the same data key and the same API key, its stream consumers reading the table's stream
 * from the start, as `npm start` does.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { generateApiKey } from '../../../functions/domain/api-keys.js';
import { ensureKeyFile } from '../../../functions/secrets/keyring.js';
import { releaseApiKeyCli, startReleaseServer } from '../../../scripts/releases.js';
import { type LocalServer, startLocalServer } from '../../../scripts/local/server.js';
import { type DataSet, secrets, writeDataSet } from './dataset.js';
import { type Client, clientOf, type StubExecutor, startStubExecutor } from './http.js';

export type Item = Record<string, any>;

/** One domain event as the local sink writes it. */
export interface EventLine {
  id: string;
  'detail-type': string;
  detail: Record<string, any>;
}

export interface Upgrade {
  data: DataSet;
  tableName: string;
  /** The data key both releases use, and the directory for anything else a test starts on the table. */
  secretsKeyFile: string;
  work: string;
  /** Every item of the table as the earlier release left it. */
  before: Item[];
  /** What the earlier release's server printed, and the events its consumer published. */
  releaseOutput: string;
  releaseEvents: EventLine[];
  /** Today's server on the same table, and a client of it with the organization's key. */
  server: LocalServer;
  client: Client;
  stub: StubExecutor;
  /** Every item of the table now. */
  scan(): Promise<Item[]>;
  /** The events today's consumer published so far. */
  events(): EventLine[];
  stop(): Promise<void>;
}

const functionsDir = fileURLToPath(new URL('../../../dist/functions/', import.meta.url));

function readEvents(file: string): EventLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventLine);
}

async function scanTable(endpoint: string, tableName: string): Promise<Item[]> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const items: Item[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

/** Every plaintext secret of the data set found in `text`. */
export function secretsIn(text: string): string[] {
  return Object.values(secrets).filter((secret) => text.includes(secret));
}

/**
 * Writes the data set with `release`, then starts today's server on the table; `migrate` says whether it brings the
 * table up to date first (as the stack does on deploy), which `MIGRATE=off` turns off to show what it repairs.
 */
export async function upgradeFrom(release: string, options: { migrate: boolean }): Promise<Upgrade> {
  if (!existsSync(join(functionsDir, 'getExecutorConfiguration', 'index.mjs')))
    throw new Error(`${functionsDir} holds no bundles: run npm run build (npm run test:upgrade does)`);
  const endpoint = process.env.DYNAMODB_ENDPOINT as string;
  const work = mkdtempSync(join(tmpdir(), `flowplane-upgrade-${release}-`));
  const secretsKeyFile = join(work, 'secrets.key');
  ensureKeyFile(secretsKeyFile);
  const tableName = `upgrade-${release.replace(/\./g, '-')}-${randomUUID().slice(0, 8)}`;
  const apiKey = generateApiKey();
  const organizationId = 'acme';
  const stub = await startStubExecutor();

  const earlier = await startReleaseServer(release, {
    dynamodbEndpoint: endpoint,
    tableName,
    secretsKeyFile,
    apiKey,
    organizationId,
    eventsSinkFile: join(work, `events-${release}.ndjson`),
    env: { ALLOW_PRIVATE_TARGETS: 'true' },
  });
  let data: DataSet;
  try {
    data = await writeDataSet({
      release,
      url: earlier.url,
      apiKey,
      organizationId,
      stubUrl: stub.url,
      cli: (args) => releaseApiKeyCli(release, args, { dynamodbEndpoint: endpoint, tableName }),
    });
  } finally {
    await earlier.stop();
  }
  const before = await scanTable(endpoint, tableName);
  const eventsSinkFile = join(work, 'events-today.ndjson');
  const server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: endpoint,
    tableName,
    apiKey,
    organizationId,
    functionsDir,
    secretsKeyFile,
    eventsSinkFile,
    migrate: options.migrate,
  });
  return {
    data,
    tableName,
    secretsKeyFile,
    work,
    before,
    releaseOutput: earlier.output(),
    releaseEvents: readEvents(join(work, `events-${release}.ndjson`)),
    server,
    client: clientOf(server.url, apiKey),
    stub,
    scan: () => scanTable(endpoint, tableName),
    events: () => readEvents(eventsSinkFile),
    stop: async () => {
      await server.stop();
      await stub.close();
    },
  };
}
