/**
 * `npm run bench:load`: a bounded mixed load on `npm start`'s handlers (the built
 * bundles, in the local server, on DynamoDB Local behind the fault proxy of
 * test/support/fault-proxy.ts), then a check of every resource against what the clients
 * were told.
 *
 * Two runs of BENCH_SECONDS (60) with BENCH_CLIENTS (50) concurrent clients: one plain,
 * one with BENCH_THROTTLE (10 %) of DynamoDB requests throttled. Each client loops over
 * executor creates (half with an Idempotency-Key, retried on 503 with the same key),
 * GETs, PATCHes (some with If-Match, some renames), workflow creates, GETs, staged
 * PATCHes and deploys (PUT and PATCH ?deploy=true). After each run the stream consumers
 * are drained and every resource checked: the versions the clients were told are exactly
 * 1..final (no lost update, no phantom one), the final state is the last one told, name
 * claims match names, the organization holds exactly the resources created, deployed
 * snapshots are contiguous, each audit chain verifies and holds one entry per change.
 * Then a hung DynamoDB is probed: how long until the 503, in a child process with the
 * deployed SDK settings (3 attempts of at most 1 s). The load runs raise the per-attempt
 * bound to BENCH_REQUEST_TIMEOUT_MS (10 s) through AWS_REQUEST_TIMEOUT_MS: DynamoDB Local
 * on two shared cores answers in seconds under this load, and a timed-out write that did
 * land would be retried into a refusal, which is DynamoDB Local's slowness, not a fault
 * under test.
 *
 * It reports requests/s, p50/p95/p99 per route and answers by status, writes them with a
 * latency chart (docs/load-latency.svg) into its own section of docs/performance.md, and
 * exits 1 on any 5xx other than a 503 under throttling, any 5xx in the plain run, or any
 * inconsistency.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient } from '../functions/store/client.js';
import { executorNameKey } from '../functions/store/keys.js';
import { startFaultProxy } from '../test/support/fault-proxy.js';
import { startDynamoDbLocal } from './local/dynamodb-local.js';
import { startLocalServer } from './local/server.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
/** The machine's one-minute load average before the bench adds its own. */
const loadAtStart = loadavg()[0];
const throttleShare = Number(process.env.BENCH_THROTTLE ?? 0.1);
const loadRequestTimeoutMs = Number(process.env.BENCH_REQUEST_TIMEOUT_MS ?? 10_000);
/** DynamoDB's data-plane operations: what the throttled run throttles (the local stream reader is left alone). */
const dataPlane = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'TransactWriteItems',
  'BatchGetItem',
  'BatchWriteItem',
];

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

interface ExecutorModel {
  id: string;
  /** Every version a 2xx told, with the state it told. */
  told: { version: number; name: string; description: string }[];
  /** Every name a request asked it to take. */
  names: Set<string>;
  etag?: string;
}

interface WorkflowModel {
  id: string;
  /** Every revision a 2xx told, with the description and deployed version it told. */
  told: { revision: number; description: string; version: number }[];
  /** The versions deploys said they deployed (1: the create). */
  deployed: number[];
}

class Run {
  readonly executors: ExecutorModel[] = [];
  readonly workflows: WorkflowModel[] = [];
  readonly latencies = new Map<string, number[]>();
  readonly statuses = new Map<number, number>();
  readonly problems: string[] = [];
  requests = 0;
  elapsedMs = 0;
  /** The load's own requests and answers (the check's reads come after). */
  loadRequests = 0;
  loadStatuses = new Map<number, number>();
  keyedRetries = 0;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  async send(
    label: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'x-api-key': this.apiKey,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const took = performance.now() - started;
    this.requests += 1;
    this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
    const list = this.latencies.get(label) ?? [];
    list.push(took);
    this.latencies.set(label, list);
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /**
   * A keyed request, sent again with the same key while it answers 503 or 409-in-progress (as a careful client does).
   */
  async sendKeyed(label: string, method: string, path: string, body: unknown): Promise<Answer> {
    const key = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.send(label, method, path, body, { 'idempotency-key': key });
      const inProgress = answer.status === 409 && /in progress/i.test(JSON.stringify(answer.body));
      if ((answer.status !== 503 && !inProgress) || attempt === 20) return answer;
      this.keyedRetries += 1;
      await sleep(Number(answer.headers.get('retry-after') ?? 1) * 100 * (1 + Math.random()));
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const etagNumber = (answer: Answer) => Number(JSON.parse(answer.headers.get('etag') ?? 'null'));

const executorConfig = (name: string, description: string) => ({
  name,
  description,
  baseUrl: 'https://executor.example.com',
  endpoints: [{ name: 'run', path: '/run', method: 'POST' }],
  authentication: { type: 'bearer', config: { token: 'bench-token' } },
});

/** One client: random actions until the deadline. */
async function client(run: Run, index: number, deadline: number): Promise<void> {
  let counter = 0;
  const token = () => `${run.name}-c${index}-${(counter += 1)}`;
  while (Date.now() < deadline) {
    const roll = Math.random() * 100;
    if (roll < 8 || run.executors.length === 0) {
      const name = `e-${token()}`;
      const body = executorConfig(name, token());
      const answer =
        Math.random() < 0.5
          ? await run.sendKeyed('POST /v1/executors', 'POST', '/v1/executors', body)
          : await run.send('POST /v1/executors', 'POST', '/v1/executors', body);
      if (answer.status === 201) {
        run.executors.push({
          id: answer.body.id,
          told: [{ version: etagNumber(answer), name: answer.body.name, description: answer.body.description }],
          names: new Set([name]),
          etag: answer.headers.get('etag') ?? undefined,
        });
      }
    } else if (roll < 28) {
      const executor = pick(run.executors)!;
      await run.send('GET /v1/executors/{id}', 'GET', `/v1/executors/${executor.id}`);
    } else if (roll < 50) {
      const executor = pick(run.executors)!;
      const rename = Math.random() < 0.2;
      const name = rename ? `e-${token()}` : executor.told[executor.told.length - 1].name;
      const guarded = Math.random() < 0.3 && executor.etag !== undefined;
      executor.names.add(name);
      const label = rename
        ? 'PATCH /v1/executors/{id} (rename)'
        : guarded
          ? 'PATCH /v1/executors/{id} (If-Match)'
          : 'PATCH /v1/executors/{id}';
      const answer = await run.send(
        label,
        'PATCH',
        `/v1/executors/${executor.id}`,
        executorConfig(name, token()),
        guarded ? { 'if-match': executor.etag as string } : {},
      );
      if (answer.status === 200) {
        executor.told.push({
          version: etagNumber(answer),
          name: answer.body.name,
          description: answer.body.description,
        });
        executor.etag = answer.headers.get('etag') ?? undefined;
      }
    } else if (roll < 55 || run.workflows.length === 0) {
      const body = { name: `w-${token()}`, description: token() };
      const answer =
        Math.random() < 0.5
          ? await run.sendKeyed('POST /v1/workflows', 'POST', '/v1/workflows', body)
          : await run.send('POST /v1/workflows', 'POST', '/v1/workflows', body);
      if (answer.status === 201) {
        run.workflows.push({
          id: answer.body.id,
          told: [{ revision: etagNumber(answer), description: answer.body.description, version: answer.body.version }],
          deployed: [answer.body.version],
        });
      }
    } else if (roll < 70) {
      const workflow = pick(run.workflows)!;
      await run.send('GET /v1/workflows/{id}', 'GET', `/v1/workflows/${workflow.id}`);
    } else if (roll < 86) {
      const workflow = pick(run.workflows)!;
      const answer = await run.send('PATCH /v1/workflows/{id}', 'PATCH', `/v1/workflows/${workflow.id}`, {
        description: token(),
      });
      if (answer.status === 200)
        workflow.told.push({
          revision: etagNumber(answer),
          description: answer.body.description,
          version: answer.body.version,
        });
    } else {
      const workflow = pick(run.workflows)!;
      const viaPatch = Math.random() < 0.5;
      const answer = viaPatch
        ? await run.send('PATCH /v1/workflows/{id}?deploy=true', 'PATCH', `/v1/workflows/${workflow.id}?deploy=true`, {
            description: token(),
          })
        : await run.send('PUT /v1/workflows/{id}', 'PUT', `/v1/workflows/${workflow.id}`);
      if (answer.status === 200) {
        workflow.told.push({
          revision: etagNumber(answer),
          description: answer.body.description,
          version: answer.body.version,
        });
        workflow.deployed.push(answer.body.version);
      }
    }
  }
}

const range = (to: number) => Array.from({ length: to }, (_, i) => i + 1);
const same = (a: number[], b: number[]) => JSON.stringify([...a].sort((x, y) => x - y)) === JSON.stringify(b);

/** Every page of a list route. */
async function listAll(
  run: Run,
  path: string,
  itemsOf: (body: any) => any[],
  cursorOf: (body: any) => string | undefined,
  cursorParam = 'cursor',
): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const answer = await run.send(
      '(check) list',
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&${cursorParam}=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
    items.push(...itemsOf(answer.body));
    cursor = cursorOf(answer.body);
  } while (cursor);
  return items;
}

/** The audit chain of a resource: how many entries, and whether it verifies. */
async function auditOf(run: Run, resourceId: string): Promise<{ entries: number; valid: boolean }> {
  const entries = await listAll(
    run,
    `/v1/audit-events?resourceId=${resourceId}`,
    (body) => body.items,
    (body) => body.nextCursor ?? undefined,
  );
  if (entries.length === 0) return { entries: 0, valid: false };
  const newest = entries.reduce((last, entry) => (Number(entry.seq) > Number(last.seq) ? entry : last));
  const verdict = await run.send('(check) verify', 'GET', `/v1/audit-events/${String(newest.eventId)}/verify`);
  return {
    entries: entries.length,
    valid: verdict.body.isValid === true && verdict.body.totalChecked === entries.length,
  };
}

/** Checks every resource of the run against what its clients were told; appends what is wrong to `run.problems`. */
async function check(run: Run): Promise<void> {
  const problem = (text: string) => run.problems.push(text);
  const listedExecutors = await listAll(
    run,
    '/v1/executors',
    (body) => body.items,
    (body) => body.nextCursor ?? undefined,
  );
  const runExecutors = listedExecutors.filter(
    (item) => String(item.name).startsWith('e-') && String(item.description).startsWith(`${run.name}-`),
  );
  const known = new Set(run.executors.map((executor) => executor.id));
  for (const item of runExecutors)
    if (!known.has(item.id)) problem(`executor ${item.id} exists but no client was told it was created`);
  for (const executor of run.executors) {
    const answer = await run.send('(check) get', 'GET', `/v1/executors/${executor.id}`);
    if (answer.status !== 200) {
      problem(`executor ${executor.id}: GET ${answer.status}`);
      continue;
    }
    const final = etagNumber(answer);
    const versions = executor.told.map((t) => t.version);
    if (!same(versions, range(final)))
      problem(
        `executor ${executor.id}: versions told ${JSON.stringify(versions.sort((a, b) => a - b))}, final ${final}`,
      );
    const last = executor.told.find((t) => t.version === final);
    if (!last || last.name !== answer.body.name || last.description !== answer.body.description)
      problem(`executor ${executor.id}: final state is not the last one told`);
    for (const name of executor.names) {
      const { Item } = await getDocumentClient().send(
        new GetCommand({
          TableName: process.env.TABLE_NAME,
          Key: executorNameKey(process.env.BENCH_ORG as string, name),
          ConsistentRead: true,
        }),
      );
      const holds = answer.body.name === name;
      if (holds !== (Item?.executorId === executor.id))
        problem(
          `executor ${executor.id}: name claim of "${name}" ${Item ? `held by ${Item.executorId}` : 'absent'}, current name "${answer.body.name}"`,
        );
    }
    const audit = await auditOf(run, executor.id);
    if (!audit.valid || audit.entries !== final)
      problem(
        `executor ${executor.id}: audit chain ${audit.valid ? 'valid' : 'INVALID'} with ${audit.entries} entries for version ${final}`,
      );
  }
  const listedWorkflows = await listAll(
    run,
    '/v1/workflows',
    (body) => body.items,
    (body) => body.next ?? undefined,
    'next',
  );
  const knownWorkflows = new Set(run.workflows.map((workflow) => workflow.id));
  for (const item of listedWorkflows)
    if (String(item.description).startsWith(`${run.name}-`) && !knownWorkflows.has(item.id))
      problem(`workflow ${item.id} exists but no client was told it was created`);
  for (const workflow of run.workflows) {
    const answer = await run.send('(check) get', 'GET', `/v1/workflows/${workflow.id}`);
    if (answer.status !== 200) {
      problem(`workflow ${workflow.id}: GET ${answer.status}`);
      continue;
    }
    const revision = etagNumber(answer);
    const version = answer.body.version as number;
    const revisions = workflow.told.map((t) => t.revision);
    if (!same(revisions, range(revision)))
      problem(
        `workflow ${workflow.id}: revisions told ${JSON.stringify(revisions.sort((a, b) => a - b))}, final ${revision}`,
      );
    if (!same(workflow.deployed, range(version)))
      problem(
        `workflow ${workflow.id}: versions deployed ${JSON.stringify(workflow.deployed.sort((a, b) => a - b))}, final ${version}`,
      );
    const last = workflow.told.find((t) => t.revision === revision);
    if (!last || last.description !== answer.body.description)
      problem(`workflow ${workflow.id}: final state is not the last one told`);
    const snapshots = await listAll(
      run,
      `/v1/workflows/${workflow.id}/versions`,
      (body) => body.items,
      (body) => body.next ?? undefined,
      'next',
    );
    if (
      !same(
        snapshots.map((s) => s.version),
        range(version),
      )
    )
      problem(
        `workflow ${workflow.id}: snapshots ${JSON.stringify(snapshots.map((s) => s.version))}, version ${version}`,
      );
    const audit = await auditOf(run, workflow.id);
    if (!audit.valid || audit.entries !== revision + version)
      problem(
        `workflow ${workflow.id}: audit chain ${audit.valid ? 'valid' : 'INVALID'} with ${audit.entries} entries for revision ${revision} + versions ${version}`,
      );
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

function routeRows(run: Run) {
  return [...run.latencies.entries()]
    .filter(([label]) => !label.startsWith('(check)'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        label,
        count: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
      };
    });
}

/** Grouped horizontal bars: p50, p95, p99 per route, one group per run. */
function latencyChart(runs: Run[]): string {
  const rows = runs.flatMap((run) => routeRows(run).map((row) => ({ ...row, run: run.name })));
  const max = Math.max(...rows.map((row) => row.p99), 1);
  const left = 330;
  const width = 520;
  const rowHeight = 30;
  const colors = { p50: '#2b6cb0', p95: '#dd6b20', p99: '#c53030' };
  const height = 50 + rows.length * rowHeight + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">bench:load latency per route (ms): p50, p95, p99</text>`,
    ...Object.entries(colors).map(
      ([name, color], i) =>
        `<rect x="${left + i * 70}" y="30" width="12" height="12" fill="${color}"/><text x="${left + 16 + i * 70}" y="40">${name}</text>`,
    ),
  ];
  rows.forEach((row, i) => {
    const y = 50 + i * rowHeight;
    parts.push(
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${row.run}: ${row.label.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`,
    );
    (['p50', 'p95', 'p99'] as const).forEach((p, j) => {
      const w = Math.max(1, (row[p] / max) * width);
      parts.push(`<rect x="${left}" y="${y + 3 + j * 8}" width="${w.toFixed(1)}" height="7" fill="${colors[p]}"/>`);
    });
    parts.push(`<text x="${left + (row.p99 / max) * width + 6}" y="${y + 17}">${row.p99.toFixed(0)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function report(runs: Run[], hang: HangProbe[], failures: string[]): string {
  const lines = [
    '## Load: mixed traffic, faults, consistency (`npm run bench:load`)',
    '',
    `Measured by \`npm run bench:load\` (scripts/bench-load.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores (load average ${loadAtStart.toFixed(1)} when the run started): ${clients} concurrent clients for ${seconds} s per run against \`npm start\`'s handlers (the built bundles in the local server, in the same process as the clients) on DynamoDB Local behind the fault proxy (test/support/fault-proxy.ts). The throttled run throttles ${Math.round(throttleShare * 100)} % of DynamoDB data-plane requests (ProvisionedThroughputExceededException) at random. Clients that sent an Idempotency-Key resend the same request on 503 or 409-in-progress; the others record a 503 as "not applied". The load runs bound each SDK attempt to ${loadRequestTimeoutMs / 1000} s instead of the deployed 1 s: DynamoDB Local on these two cores takes seconds per request under this load, which is no fault of the kind under test. These figures describe this machine and DynamoDB Local, not Lambda and DynamoDB.`,
    '',
    '| run | requests | requests/s | answers by status | keyed resends | resources checked | inconsistencies |',
    '|---|---:|---:|---|---:|---:|---:|',
    ...runs.map((run) => {
      const statuses = [...run.loadStatuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', ');
      return `| ${run.name} | ${run.loadRequests} | ${(run.loadRequests / (run.elapsedMs / 1000)).toFixed(1)} | ${statuses} | ${run.keyedRetries} | ${run.executors.length} executors, ${run.workflows.length} workflows (${run.requests - run.loadRequests} check requests) | ${run.problems.length} |`;
    }),
    '',
    "Requests, requests/s and answers count the load only; the consistency check's own reads follow it. Latencies include queueing in the one Node process that runs both the 50 clients and the server.",
    '',
    '![latency per route](load-latency.svg)',
    '',
    '| run | route | requests | p50 ms | p95 ms | p99 ms |',
    '|---|---|---:|---:|---:|---:|',
    ...runs.flatMap((run) =>
      routeRows(run).map(
        (row) =>
          `| ${run.name} | ${row.label} | ${row.count} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} |`,
      ),
    ),
    '',
    "What the check proves for every resource of both runs: the versions (executors) and revisions (workflows) the clients were told are exactly 1..final, each once (no lost update, no phantom one); the final state is the last one told; each name an executor was asked to take is claimed exactly when it is that executor's current name; the organization holds no resource a client was not told about; deployed versions are contiguous and every snapshot 1..version exists; each audit chain verifies and holds one entry per change (executor: its version; workflow: revision + version).",
    '',
    '**A hung DynamoDB** (the proxy accepts and never answers), with the deployed SDK settings (3 attempts of at most 1 s, functions/store/client.ts): time from request to the 503.',
    '',
    '| request | answers | ms to the answer (each) |',
    '|---|---|---|',
    ...hang.map(
      (probe) =>
        `| ${probe.label} | ${probe.statuses.join(', ')} | ${probe.ms.map((ms) => ms.toFixed(0)).join(', ')} |`,
    ),
    '',
    failures.length === 0
      ? '**Result: pass** (no 5xx but 503s under throttling, no inconsistency).'
      : `**Result: FAIL**\n\n${failures.map((f) => `- ${f}`).join('\n')}`,
  ];
  return lines.join('\n');
}

const startMarker = '<!-- bench:load:start -->';
const endMarker = '<!-- bench:load:end -->';

function writeSection(markdown: string): void {
  const file = join(root, 'docs', 'performance.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const section = `${startMarker}\n${markdown}\n${endMarker}`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start !== -1 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + endMarker.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

interface HangProbe {
  label: string;
  ms: number[];
  statuses: number[];
}

/**
 * In its own process (the SDK clients keep the settings they were made with): DynamoDB
 * Local, the proxy and the local server with the deployed SDK settings; one executor and
 * one workflow; then DynamoDB hangs and each request is timed to its answer.
 */
async function probeHang(): Promise<HangProbe[]> {
  delete process.env.AWS_REQUEST_TIMEOUT_MS;
  const dynamo = await startDynamoDbLocal();
  const proxy = await startFaultProxy(dynamo.endpoint);
  const server = await startLocalServer({
    port: 0,
    functionsDir: join(root, 'dist', 'functions'),
    dynamodbEndpoint: proxy.endpoint,
    tableName: 'bench-hang',
    organizationId: 'bench',
    eventsSinkFile: join(root, '.flowplane', 'bench-hang-events.ndjson'),
  });
  const run = new Run('probe', server.url, server.apiKey);
  const probes: HangProbe[] = [];
  try {
    const executor = await run.send('setup', 'POST', '/v1/executors', executorConfig(`e-${randomUUID()}`, 'probe'));
    const workflow = await run.send('setup', 'POST', '/v1/workflows', { name: `w-${randomUUID()}` });
    // Warm every path once, so the probe times the hang, not a first request.
    await run.send('setup', 'GET', `/v1/executors/${executor.body.id}`);
    await run.send('setup', 'PATCH', `/v1/workflows/${workflow.body.id}`, { description: 'warm' });
    await run.send('setup', 'POST', '/v1/executors', executorConfig(`e-${randomUUID()}`, 'warm'), {
      'idempotency-key': randomUUID(),
    });
    proxy.inject({ kind: 'hang', operations: dataPlane });
    for (const [label, method, path, body, headers] of [
      ['GET /v1/executors/{id}', 'GET', `/v1/executors/${executor.body.id}`, undefined, {}],
      ['PATCH /v1/workflows/{id}', 'PATCH', `/v1/workflows/${workflow.body.id}`, { description: 'hang probe' }, {}],
      [
        'POST /v1/executors with Idempotency-Key',
        'POST',
        '/v1/executors',
        executorConfig(`e-${randomUUID()}`, 'hang'),
        { 'idempotency-key': randomUUID() },
      ],
    ] as const) {
      const probe: HangProbe = { label, ms: [], statuses: [] };
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        const answer = await run.send(label, method, path, body, headers);
        probe.ms.push(performance.now() - started);
        probe.statuses.push(answer.status);
      }
      probes.push(probe);
    }
  } finally {
    proxy.clear();
    await server.stop();
    await proxy.stop();
    await dynamo.stop();
  }
  return probes;
}

async function main(): Promise<void> {
  const hang = JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'hang-probe'], {
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'CRITICAL' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop() as string,
  ) as HangProbe[];
  console.log(
    `hung DynamoDB: ${hang.map((probe) => `${probe.label} ${probe.statuses.join('/')} in ${probe.ms.map((ms) => ms.toFixed(0)).join(', ')} ms`).join('; ')}`,
  );
  process.env.AWS_REQUEST_TIMEOUT_MS = String(loadRequestTimeoutMs);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const dynamo = await startDynamoDbLocal();
  const proxy = await startFaultProxy(dynamo.endpoint);
  const tableName = `bench-load-${Date.now()}`;
  const organizationId = 'bench';
  process.env.BENCH_ORG = organizationId;
  // The server's quiet mode: at INFO each request writes log lines to this very terminal.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const server = await startLocalServer({
    port: 0,
    functionsDir: join(root, 'dist', 'functions'),
    dynamodbEndpoint: proxy.endpoint,
    tableName,
    organizationId,
    eventsSinkFile: join(root, '.flowplane', `bench-events-${Date.now()}.ndjson`),
  });
  const runs: Run[] = [];
  const failures: string[] = [];
  for (const probe of hang)
    if (probe.statuses.some((status) => status !== 503))
      failures.push(`hung DynamoDB: ${probe.label} answered ${probe.statuses.join(', ')}`);
  try {
    const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
    for (const [name, share, length] of [
      ['warmup', 0, warmupSeconds],
      ['plain', 0, seconds],
      [`throttled ${Math.round(throttleShare * 100)}%`, throttleShare, seconds],
    ] as const) {
      // The warm-up (JIT in DynamoDB Local and in the bundles) is checked like the others, but not reported.
      const run = new Run(name.split(' ')[0], server.url, server.apiKey);
      if (name !== 'warmup') runs.push(run);
      if (share > 0) proxy.inject({ kind: 'throttle', operations: dataPlane, probability: share });
      console.log(`${name}: ${clients} clients for ${length} s`);
      const started = performance.now();
      const deadline = Date.now() + length * 1000;
      await Promise.all(Array.from({ length: clients }, (_, i) => client(run, i, deadline)));
      run.elapsedMs = performance.now() - started;
      run.loadRequests = run.requests;
      run.loadStatuses = new Map(run.statuses);
      const { loadStatuses } = run;
      proxy.clear();
      await server.streamsDrained();
      await check(run);
      const fiveHundreds = [...loadStatuses.entries()].filter(([status]) => status >= 500);
      for (const [status, count] of fiveHundreds)
        if (share === 0 || status !== 503) failures.push(`${name}: ${count} answers ${status}`);
      for (const text of run.problems) failures.push(`${name}: ${text}`);
      console.log(
        `${name}: ${run.requests} requests, statuses ${JSON.stringify(Object.fromEntries(loadStatuses))}, ${run.problems.length} inconsistencies`,
      );
    }
  } finally {
    await server.stop();
    await proxy.stop();
    await dynamo.stop();
  }
  writeFileSync(join(root, 'docs', 'load-latency.svg'), `${latencyChart(runs)}\n`);
  writeSection(report(runs, hang, failures));
  console.log(report(runs, hang, failures));
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[2] === 'hang-probe') console.log(JSON.stringify(await probeHang()));
else await main();
