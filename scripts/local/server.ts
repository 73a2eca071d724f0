/**
 * `npm start`: the API on a laptop. Starts DynamoDB Local (unless DYNAMODB_ENDPOINT is
 * set), creates the table, registers an API key, and serves the route table by turning
 * each HTTP request into the API Gateway REST (v1) event that the very same bundle
 * (dist/functions/<operationId>/index.mjs) receives in Lambda. Also serves the OpenAPI
 * document at /openapi.json and an interactive reference at /docs.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { generateApiKey } from '../../functions/auth/api-keys.js';
import { buildOpenApiDocument } from '../../functions/openapi.js';
import { type RouteDefinition, routeList } from '../../functions/routes.js';
import { ensureKeyFile } from '../../functions/secrets/keyring.js';
import { ensureApiKey } from '../../functions/store/api-keys.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { ensureTable } from './table.js';

/** Requests larger than this are refused before buffering (the largest route takes 1 MiB). */
const maxRequestBytes = 2 * 1024 * 1024;

export interface LocalServerOptions {
  port?: number;
  host?: string;
  dynamodbEndpoint?: string;
  tableName?: string;
  apiKey?: string;
  organizationId?: string;
  /** Where the route bundles are (default: dist/functions beside this server's bundle). */
  functionsDir?: string;
  secretsKeyFile?: string;
}

export interface LocalServer {
  url: string;
  apiKey: string;
  dynamodbEndpoint: string;
  stop(): Promise<void>;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** A path segment as API Gateway hands it over: percent-decoded when that is possible. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        request.pause();
        resolveBody('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function isText(contentType: string | undefined): boolean {
  return !contentType || /json|text|xml|x-www-form-urlencoded/i.test(contentType);
}

/** The REST API (v1) proxy event API Gateway would send for this request. */
export function toRestEvent(request: IncomingMessage, url: URL, route: CompiledRoute, params: Record<string, string>, body: Buffer): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const text = isText(request.headers['content-type']);
  return {
    httpMethod: request.method ?? 'GET',
    path: url.pathname,
    resource: route.route.path,
    pathParameters: Object.keys(params).length > 0 ? params : null,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    headers,
    multiValueHeaders,
    body: body.length === 0 ? null : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !text,
    stageVariables: null,
    requestContext: {
      requestId: randomUUID(),
      httpMethod: request.method ?? 'GET',
      path: url.pathname,
      resourcePath: route.route.path,
      stage: 'local',
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flowplane API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** Starts DynamoDB Local (unless given an endpoint), the table, the key and the HTTP server. */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const here = dirname(fileURLToPath(import.meta.url));
  const functionsDir = resolve(options.functionsDir ?? join(here, '..', 'functions'));
  for (const route of routeList) {
    if (!existsSync(join(functionsDir, route.operationId, 'index.mjs'))) {
      throw new Error(`bundle for ${route.operationId} missing in ${functionsDir}: run npm run build`);
    }
  }
  let dynamo: DynamoDbLocal | undefined;
  const dynamodbEndpoint = options.dynamodbEndpoint ?? (dynamo = await startDynamoDbLocal()).endpoint;
  const tableName = options.tableName ?? 'flowplane-local';
  const secretsKeyFile = resolve(options.secretsKeyFile ?? process.env.SECRETS_KEY_FILE ?? '.flowplane/secrets.key');
  ensureKeyFile(secretsKeyFile);
  process.env.DYNAMODB_ENDPOINT = dynamodbEndpoint;
  process.env.TABLE_NAME = tableName;
  process.env.AWS_REGION ??= 'local';
  process.env.SECRETS_KEY_FILE = secretsKeyFile;
  process.env.ALLOW_PRIVATE_TARGETS ??= 'true';
  try {
    await ensureTable(dynamodbEndpoint, tableName);
    const apiKey = options.apiKey ?? generateApiKey();
    await ensureApiKey({ organizationId: options.organizationId ?? 'local', name: 'local', apiKey });

    const routes = routeList.map(compile);
    const handlers = new Map<string, Promise<Handler>>();
    const handlerFor = (route: RouteDefinition) => {
      if (!handlers.has(route.operationId)) {
        const file = pathToFileURL(join(functionsDir, route.operationId, 'index.mjs')).href;
        handlers.set(route.operationId, import(file).then((module: { handler: Handler }) => module.handler));
      }
      return handlers.get(route.operationId) as Promise<Handler>;
    };
    const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

    const server: Server = createServer((request, response) => {
      void (async () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (request.method === 'GET' && url.pathname === '/openapi.json') {
          return send(response, 200, buildOpenApiDocument({ serverUrl: `http://${request.headers.host}` }));
        }
        if (request.method === 'GET' && (url.pathname === '/docs' || url.pathname === '/docs/')) return send(response, 200, docsPage);
        const asset = /^\/docs\/(swagger-ui\.css|swagger-ui-bundle\.js)$/.exec(url.pathname);
        if (request.method === 'GET' && asset) {
          response.writeHead(200, { 'content-type': asset[1].endsWith('.css') ? 'text/css' : 'application/javascript' });
          return response.end(readFileSync(join(swaggerDir, asset[1])));
        }
        const matches = routes
          .map((compiled) => ({ compiled, match: compiled.pattern.exec(url.pathname) }))
          .filter((m) => m.match !== null);
        if (matches.length === 0) return send(response, 404, { message: 'Not Found' });
        const chosen = matches.find((m) => m.compiled.route.method === request.method);
        if (!chosen) {
          return send(response, 405, { message: 'Method Not Allowed' }, { allow: matches.map((m) => m.compiled.route.method).join(', ') });
        }
        const body = await readBody(request);
        if (body === 'too-large') return send(response, 413, { message: 'Request body too large' }, { connection: 'close' });
        const params = Object.fromEntries(chosen.compiled.names.map((name, i) => [name, decodeSegment(chosen.match![i + 1])]));
        const event = toRestEvent(request, url, chosen.compiled, params, body);
        const result = await (await handlerFor(chosen.compiled.route))(event, lambdaContext(chosen.compiled.route.operationId));
        const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
        for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
        response.writeHead(result.statusCode, headers);
        response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
      })().catch((error: Error) => {
        console.error(`local server: ${error.stack ?? error.message}`);
        if (!response.headersSent) send(response, 500, { message: 'local server error' });
        else response.destroy();
      });
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolveListen);
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      apiKey,
      dynamodbEndpoint,
      stop: async () => {
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const server = await startLocalServer({
    port,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: process.env.TABLE_NAME,
    apiKey: process.env.API_KEY,
    organizationId: process.env.ORGANIZATION_ID,
  });
  process.env.PUBLIC_BASE_URL ??= server.url;
  console.log(`flowplane is listening on ${server.url}
  organization: ${process.env.ORGANIZATION_ID ?? 'local'}
  API key:      ${server.apiKey}${process.env.API_KEY ? ' (from API_KEY)' : ' (generated; set API_KEY to choose one)'}
  DynamoDB:     ${server.dynamodbEndpoint} (table ${process.env.TABLE_NAME})
  OpenAPI:      ${server.url}/openapi.json
  docs:         ${server.url}/docs
try: curl -H "X-API-Key: ${server.apiKey}" ${server.url}/v1/executors
Ctrl-C stops the server and DynamoDB Local.`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error: Error) => {
    console.error(`npm start failed: ${error.message}`);
    process.exit(1);
  });
}
