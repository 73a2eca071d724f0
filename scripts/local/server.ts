/**
 * `npm start`: the API on this machine. Starts DynamoDB Local in memory (unless
 * DYNAMODB_ENDPOINT names a running one), creates the table, registers an API key, and
 * serves the route table by turning each HTTP request into the API Gateway REST (v1)
 * proxy event that the very same bundle (dist/functions/<operationId>/index.mjs)
 * receives in Lambda. Also serves the OpenAPI document at /openapi.json and Swagger UI
 * at /docs (scripts/local/docs.ts), and runs the table stream consumers (dist/functions/<name>/index.mjs) on
 * DynamoDB Local's stream, as the event source mapping runs them in AWS: domain events go
 * to an NDJSON file (EVENTS_SINK_FILE) instead of EventBridge, audit entries to the table.
 * Ctrl-C (SIGINT) or SIGTERM stops the server, the stream poller and DynamoDB Local, then
 * exits 0.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  oidcEnvironment,
  type OidcSettings,
  oidcSettingsFrom,
  oidcSettingsProblems,
  oidcVariables,
} from '../../functions/auth/oidc-settings.js';
import { generateApiKey } from '../../functions/domain/api-keys.js';
import { PayloadTooLargeError } from '../../functions/errors.js';
import { buildOpenApiDocument } from '../../functions/openapi.js';
import { type RouteDefinition, routeList } from '../../functions/routes.js';
import { migrationFunction } from '../../functions/migrations/function.js';
import type { MigrationResult } from '../../functions/migrations/migrate.js';
import type { MigrationReport } from '../../functions/migrations/run.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { ensureKeyFile } from '../../functions/secrets/keyring.js';
import { ensureApiKey } from '../../functions/store/api-keys.js';
import { loadDocsFiles, sendStatic } from './docs.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { lambdaContext, toRestEvent, writeProxyResult } from './proxy-event.js';
import { createRouter } from './router.js';
import { type StreamConsumerHandler, type StreamPoller, startStreamPoller, TableStreamReader } from './streams.js';
import { ensureTable } from './table.js';

/**
 * The largest body the server reads. Routes refuse smaller bodies themselves (256 KiB,
 * with a 413 in their own error shape); this only bounds what is ever buffered.
 */
const maxRequestBytes = 2 * 1024 * 1024;

export interface LocalServerOptions {
  /** Port on 127.0.0.1; 0 takes a free one. Default 3000. */
  port?: number;
  /**
   * A running DynamoDB (Local) to use; without one, DynamoDB Local is started in memory and stopped with the server.
   */
  dynamodbEndpoint?: string;
  /** Default `flowplane-local`; created when missing. */
  tableName?: string;
  /** The key to register; default a newly generated one. */
  apiKey?: string;
  /** The organization the key belongs to. Default `local`. */
  organizationId?: string;
  /** Where the route bundles are. Default: `../functions` from this module, i.e. dist/functions beside dist/local. */
  functionsDir?: string;
  /**
   * The local data key for secrets at rest, created when missing. Default `.flowplane/secrets.key` in the repository.
   */
  secretsKeyFile?: string;
  /** Where domain events are appended, one JSON line each. Default `.flowplane/events.ndjson` in the repository. */
  eventsSinkFile?: string;
  /**
   * Where the stream consumers start in the table's stream: everything it retains (default,
   * like the stack's TRIM_HORIZON) or only changes made from now on (a table shared with others).
   */
  streamStartingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /**
   * The OIDC issuer whose bearer tokens the routes accept (the variables OIDC_ISSUER, OIDC_AUDIENCE,
   * OIDC_ORGANIZATION_CLAIM, OIDC_PERMISSIONS_CLAIM); an `http://` issuer on the loopback is allowed here.
   * Default: none, and bearer tokens are refused.
   */
  oidc?: OidcSettings;
  /**
   * Whether to bring the table's items up to date before serving, with the migration's own bundle (default true;
   * `MIGRATE=off` for `npm start`): a table an earlier release wrote is then served as the stack serves it after a
   * deploy.
   */
  migrate?: boolean;
}

export interface LocalServer {
  url: string;
  apiKey: string;
  organizationId: string;
  tableName: string;
  dynamodbEndpoint: string;
  /** The DynamoDB Local process this server started, if it started one. */
  dynamodbPid?: number;
  /** The NDJSON file domain events are appended to. */
  eventsSinkFile: string;
  /** What the migration did before the server started serving (undefined when it was off). */
  migration?: MigrationReport;
  /** Resolves once the stream consumers have handled every change made so far. */
  streamsDrained(): Promise<void>;
  /**
   * Closes the HTTP server, stops the stream poller and the DynamoDB Local it started (waiting for the JVM to exit).
   */
  stop(): Promise<void>;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

/**
 * The request body, or `undefined` once it passes `limit` bytes: the rest is then
 * drained, never stored, and the response closes the connection.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      resolveBody(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolveBody(Buffer.concat(chunks, size)));
    request.once('error', reject);
  });
}

/** Fails fast, before anything starts, when `npm run build` has not produced every bundle. */
function assertBundles(functionsDir: string): void {
  const names = [
    ...routeList.map((route) => route.operationId),
    ...streamConsumerList.map((consumer) => consumer.name),
    migrationFunction.name,
  ];
  const missing = names.filter((name) => !existsSync(join(functionsDir, name, 'index.mjs')));
  if (missing.length > 0) {
    throw new Error(`no bundle for ${missing.join(', ')} in ${functionsDir}: run npm run build`);
  }
}

/** The `handler` a bundle exports, imported once. */
async function importHandler<T>(functionsDir: string, name: string): Promise<T> {
  const file = pathToFileURL(join(functionsDir, name, 'index.mjs')).href;
  const module = (await import(file)) as { handler?: T };
  if (typeof module.handler !== 'function') throw new Error(`${file} exports no handler`);
  return module.handler;
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: set PORT to a free one`) : error),
    );
    server.listen(port, '127.0.0.1', () => resolveListen((server.address() as AddressInfo).port));
  });
}

/**
 * Starts everything `npm start` runs and resolves once the server accepts requests.
 * The route bundles run in this process, as Lambda runs them in its own: they read the
 * environment set here (DYNAMODB_ENDPOINT, TABLE_NAME, AWS_REGION, SECRETS_KEY_FILE,
 * ALLOW_PRIVATE_TARGETS, PUBLIC_BASE_URL, OIDC_*) when first imported, on their first request.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const functionsDir = resolve(options.functionsDir ?? fileURLToPath(new URL('../functions/', import.meta.url)));
  assertBundles(functionsDir);
  const { oidc } = options;
  process.env.ALLOW_PRIVATE_TARGETS ??= 'true';
  const oidcProblems = oidc ? oidcSettingsProblems(oidc, process.env.ALLOW_PRIVATE_TARGETS === 'true') : [];
  if (oidcProblems.length > 0) throw new Error(`OIDC settings: ${oidcProblems.join('; ')}`);
  // Relative, so "Try it out" calls whichever host name the browser used (localhost or 127.0.0.1), same origin.
  const openApi = JSON.stringify(buildOpenApiDocument({ serverUrl: '/', oidcIssuer: oidc?.issuer }));
  // Compressed in the thread pool while DynamoDB Local starts; awaited before the server listens, where a failure
  // surfaces (the no-op handler only keeps it from being reported as unhandled in the meantime).
  const docsFiles = loadDocsFiles(openApi, oidc?.issuer);
  docsFiles.catch(() => undefined);
  const route = createRouter(routeList);
  const tableName = options.tableName ?? 'flowplane-local';
  const organizationId = options.organizationId ?? 'local';
  const apiKey = options.apiKey ?? generateApiKey();
  // Both dist/local and scripts/local sit two levels below the repository root.
  const secretsKeyFile = resolve(
    options.secretsKeyFile ?? fileURLToPath(new URL('../../.flowplane/secrets.key', import.meta.url)),
  );
  const eventsSinkFile = resolve(
    options.eventsSinkFile ?? fileURLToPath(new URL('../../.flowplane/events.ndjson', import.meta.url)),
  );

  const dynamo: DynamoDbLocal | undefined = options.dynamodbEndpoint ? undefined : await startDynamoDbLocal();
  const dynamodbEndpoint = options.dynamodbEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  let reader: TableStreamReader | undefined;
  let poller: StreamPoller | undefined;
  const stopStreams = async () => {
    await poller?.stop();
    reader?.close();
  };
  try {
    process.env.DYNAMODB_ENDPOINT = dynamodbEndpoint;
    process.env.TABLE_NAME = tableName;
    process.env.AWS_REGION ??= 'local';
    process.env.SECRETS_KEY_FILE = secretsKeyFile;
    process.env.EVENTS_SINK_FILE = eventsSinkFile;
    for (const name of Object.values(oidcVariables)) delete process.env[name];
    Object.assign(process.env, oidc ? oidcEnvironment(oidc) : {});
    ensureKeyFile(secretsKeyFile);
    await ensureTable(dynamodbEndpoint, tableName);
    await ensureApiKey({ organizationId, name: 'local', apiKey });
    // The migration as the stack runs it after a deploy: its bundle, before any request is served.
    const migration =
      options.migrate === false
        ? undefined
        : (
            await (
              await importHandler<(event: unknown, context: Context) => Promise<MigrationResult>>(
                functionsDir,
                migrationFunction.name,
              )
            )({}, lambdaContext(migrationFunction.name, migrationFunction.timeoutSeconds * 1000))
          ).report;

    const docs = await docsFiles;
    const handlers = new Map<string, Promise<Handler>>();
    const handlerOf = (definition: RouteDefinition): Promise<Handler> => {
      let handler = handlers.get(definition.operationId);
      if (!handler) {
        handler = importHandler<Handler>(functionsDir, definition.operationId);
        handlers.set(definition.operationId, handler);
      }
      return handler;
    };

    // The stream consumers' bundles, fed DynamoDB Local's stream as Lambda feeds them the table's.
    reader = new TableStreamReader({
      endpoint: dynamodbEndpoint,
      tableName,
      startingPosition: options.streamStartingPosition,
    });
    poller = startStreamPoller({
      reader,
      consumers: streamConsumerList.map((consumer) => ({
        name: consumer.name,
        handler: () => importHandler<StreamConsumerHandler>(functionsDir, consumer.name),
      })),
    });

    const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const method = request.method ?? 'GET';
      // Prefixed rather than resolved against a base, so `//x/y` stays a path and never becomes a host.
      const url = new URL(`http://local${request.url ?? '/'}`);
      const file = method === 'GET' || method === 'HEAD' ? docs.get(url.pathname) : undefined;
      if (file) return sendStatic(request, response, file);
      const match = route(method, url.pathname);
      if (match.kind === 'not-found') return sendJson(response, 404, { message: 'Not Found' });
      if (match.kind === 'method-not-allowed') {
        return sendJson(response, 405, { message: 'Method Not Allowed' }, { allow: match.allow.join(', ') });
      }
      const body = await readBody(request, maxRequestBytes);
      if (!body) {
        // Refused before any function runs, yet in the route's own error shape, as its 413 is documented.
        const limit = match.route.maxBodyBytes ?? maxRequestBytes;
        const refusal = match.route.contract.renderError(new PayloadTooLargeError(limit), 'local');
        return sendJson(response, refusal.status, refusal.body, { connection: 'close' });
      }
      const event = toRestEvent(
        { method, url, rawHeaders: request.rawHeaders, body, sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
        match.route.path,
        match.pathParameters,
      );
      const handler = await handlerOf(match.route);
      writeProxyResult(response, await handler(event, lambdaContext(match.route.operationId)));
    };

    const server = createServer((request, response) => {
      serve(request, response).catch((error: Error) => {
        // What API Gateway answers when the function fails; the cause goes to the console only.
        console.error(`local server: ${request.method} ${request.url}: ${error.stack ?? error.message}`);
        if (response.headersSent) response.destroy();
        else sendJson(response, 502, { message: 'Internal server error' });
      });
    });
    const port = await listen(server, options.port ?? 3000);
    const url = `http://127.0.0.1:${port}`;
    process.env.PUBLIC_BASE_URL ??= url;

    return {
      url,
      apiKey,
      organizationId,
      tableName,
      dynamodbEndpoint,
      dynamodbPid: dynamo?.pid,
      eventsSinkFile,
      ...(migration ? { migration } : {}),
      streamsDrained: () => (poller as StreamPoller).drain(),
      stop: async () => {
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await stopStreams();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await stopStreams();
    await dynamo?.stop();
    throw error;
  }
}

function portFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${value}`);
  return port;
}

/** `npm start`: configuration from the environment (README, "Configuration"), then run until a signal. */
async function main(): Promise<void> {
  const env = process.env;
  const server = await startLocalServer({
    port: portFrom(env.PORT),
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    tableName: env.TABLE_NAME || undefined,
    apiKey: env.API_KEY || undefined,
    organizationId: env.ORGANIZATION_ID || undefined,
    secretsKeyFile: env.SECRETS_KEY_FILE || undefined,
    eventsSinkFile: env.EVENTS_SINK_FILE || undefined,
    // The bundles with their source maps (what a stage with `sourceMaps: true` deploys): `npm start` runs Node with
    // --enable-source-maps, so a stack trace names the TypeScript file and line.
    functionsDir: fileURLToPath(new URL('../functions-source-maps/', import.meta.url)),
    oidc: oidcSettingsFrom(env),
    migrate: env.MIGRATE !== 'off',
  });
  const dynamodb = server.dynamodbPid === undefined ? '' : `  (DynamoDB Local in memory, pid ${server.dynamodbPid})`;
  const { migration } = server;
  console.log(
    [
      `flowplane is listening on ${server.url}`,
      `  API key    ${server.apiKey}  (organization ${server.organizationId}; shown only now)`,
      `  DynamoDB   ${server.dynamodbEndpoint}  table ${server.tableName}${dynamodb}`,
      `  OpenAPI    ${server.url}/openapi.json`,
      `  docs       ${server.url}/docs`,
      `  events     ${server.eventsSinkFile}  (NDJSON, one line per domain event)`,
      `  audit      ${server.url}/v1/audit-events?resourceId=<id>`,
      migration
        ? `  migration  ${migration.seen} items seen, ${migration.changed} changed, ${migration.skipped} skipped, ${migration.failed} failed, ${migration.findings.length} findings`
        : '  migration  off (MIGRATE=off)',
      ...(process.env.OIDC_ISSUER ? [`  tokens     bearer JWTs of ${process.env.OIDC_ISSUER}`] : []),
      server.dynamodbPid === undefined ? 'Ctrl-C stops the server.' : 'Ctrl-C stops the server and DynamoDB Local.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // Handlers stay installed: a second Ctrl-C must not kill this process with the default
    // action while it waits for the JVM, which would leave java running.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`stopping failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: Error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  });
}
