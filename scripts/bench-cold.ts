/**
 * `npm run bench:cold`: cold starts of every function bundle against DynamoDB Local,
 * side by side with a bare baseline (a document client plus one GetItem, same bundling)
 * and with the same update function bundled with the AWS SDK left external (resolved
 * from node_modules, standing in for the SDK the Lambda runtime provides). Each sample
 * is a fresh `node` process: module load time, then the first invocation. Samples are
 * interleaved across bundles so machine noise spreads evenly. Writes docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ensureKeyFile } from '../functions/secrets/keyring.js';
import { createApiKey } from '../functions/store/api-keys.js';
import { routeList } from '../functions/routes.js';
import { functionBundleOptions, routeBundleAliases } from '../infra/bundling.js';
import { startDynamoDbLocal } from './local/dynamodb-local.js';
import { ensureTable } from './local/table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.env.BENCH_REPS ?? 15);
const work = mkdtempSync(join(tmpdir(), 'flowplane-bench-'));

interface Subject {
  name: string;
  bundle: string;
  metafile: Metafile;
  events: string[];
}

async function bundle(name: string, entry: string, external: string[] = [], operationId?: string): Promise<{ file: string; metafile: Metafile }> {
  // An SDK-external bundle must sit inside the repository so Node finds node_modules.
  const file = join(external.length > 0 ? join(root, 'dist', 'bench') : work, name, 'index.mjs');
  const alias = operationId ? routeBundleAliases(operationId) : functionBundleOptions.alias;
  const result = await build({ ...functionBundleOptions, alias, entryPoints: [join(root, entry)], outfile: file, metafile: true, external, logLevel: 'warning' });
  return { file, metafile: result.metafile };
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { median: at(0.5), p25: at(0.25), p75: at(0.75) };
}

const event = (method: string, path: string, key: string, params: Record<string, string> = {}, body?: unknown, query?: Record<string, string>) => ({
  httpMethod: method,
  path,
  resource: path,
  pathParameters: params,
  queryStringParameters: query ?? null,
  multiValueQueryStringParameters: null,
  headers: { 'X-API-Key': key },
  multiValueHeaders: {},
  body: body === undefined ? null : JSON.stringify(body),
  isBase64Encoded: false,
  stageVariables: null,
  requestContext: { requestId: randomUUID() },
});

const dynamo = await startDynamoDbLocal();
try {
  const tableName = 'flowplane-bench';
  const keyFile = join(work, 'secrets.key');
  ensureKeyFile(keyFile);
  Object.assign(process.env, { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: tableName, AWS_REGION: 'local', SECRETS_KEY_FILE: keyFile });
  await ensureTable(dynamo.endpoint, tableName);
  const { apiKey } = await createApiKey({ organizationId: 'bench', name: 'bench' });

  // Executors to act on, one per sample where a sample changes state.
  const configuration = (name: string) => ({
    name,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: { type: 'bearer', config: { token: 'bench-token' } },
  });
  const created: { id: string; name: string }[] = [];
  const createBundle = await bundle('seed', 'functions/executors/create.ts', [], 'createExecutorConfiguration');
  const { handler: createHandler } = await import(createBundle.file);
  for (let i = 0; i < reps * 2; i += 1) {
    const reply = await createHandler(event('POST', '/v1/executors', apiKey, {}, configuration(`bench-${i}`)), { awsRequestId: 'seed' });
    created.push(JSON.parse(reply.body));
  }

  const workflows: { id: string }[] = [];
  const workflowBundle = await bundle('seed-workflows', 'functions/workflows/create.ts', [], 'createWorkflow');
  const { handler: createWorkflowHandler } = await import(workflowBundle.file);
  for (let i = 0; i < reps * 2; i += 1) {
    const reply = await createWorkflowHandler(event('POST', '/v1/workflows', apiKey, {}, { name: `bench-${i}` }), { awsRequestId: 'seed' });
    workflows.push(JSON.parse(reply.body));
  }

  const workflowEvent = (operationId: string, method: string, path: string, i: number): unknown => {
    const target = workflows[operationId === 'deleteWorkflow' ? reps + i : i];
    const params: Record<string, string> = path.includes('{workflow_id}') ? { workflow_id: target.id } : {};
    const concrete = path.replace('{workflow_id}', target.id);
    if (operationId === 'createWorkflow') return event(method, concrete, apiKey, params, { name: `fresh-${i}` });
    if (operationId === 'updateWorkflow') return event(method, concrete, apiKey, params, { description: `rep ${i}` });
    if (method === 'GET' && !path.endsWith('{workflow_id}')) return event(method, concrete, apiKey, params, undefined, { limit: '20' });
    return event(method, concrete, apiKey, params);
  };

  const eventsFor = (operationId: string, method: string, path: string): unknown[] =>
    Array.from({ length: reps }, (_, i) => {
      if (path.startsWith('/v1/workflows')) return workflowEvent(operationId, method, path, i);
      // No stream consumer runs here, so the audit routes answer an empty page and a 404.
      if (operationId === 'listAuditEvents') return event(method, path, apiKey, {}, undefined, { resourceId: created[i].id, limit: '20' });
      if (operationId === 'verifyAuditEvent') return event(method, path.replace('{id}', `${created[i].id}.1`), apiKey, { id: `${created[i].id}.1` });
      const target = created[operationId === 'deleteExecutorConfiguration' ? reps + i : i];
      const params: Record<string, string> = path.includes('{id}') ? { id: target.id } : {};
      const concrete = path.replace('{id}', target.id);
      if (operationId === 'createExecutorConfiguration') return event(method, concrete, apiKey, params, configuration(`fresh-${i}-${randomUUID()}`));
      if (operationId === 'updateExecutorConfiguration') return event(method, concrete, apiKey, params, { ...configuration(target.name), description: `rep ${i}` });
      if (operationId === 'listExecutorConfigurations') return event(method, concrete, apiKey, params, undefined, { limit: '20' });
      return event(method, concrete, apiKey, params);
    });

  const subjects: Subject[] = [];
  const baseline = await bundle('baseline', 'scripts/bench/baseline-handler.ts');
  subjects.push({ name: 'baseline (DocumentClient + GetItem)', bundle: baseline.file, metafile: baseline.metafile, events: [] });
  subjects.push({ name: 'baseline, two sequential GetItems', bundle: baseline.file, metafile: baseline.metafile, events: [] });
  for (const route of routeList) {
    const built = await bundle(route.operationId, route.entry, [], route.operationId);
    subjects.push({ name: route.operationId, bundle: built.file, metafile: built.metafile, events: [] });
  }
  const external = await bundle('update-sdk-external', 'functions/executors/update.ts', ['@aws-sdk/*', '@smithy/*'], 'updateExecutorConfiguration');
  subjects.push({ name: 'updateExecutorConfiguration, SDK external*', bundle: external.file, metafile: external.metafile, events: [] });

  mkdirSync(join(work, 'events'), { recursive: true });
  for (const subject of subjects) {
    const route = routeList.find((r) => subject.name.startsWith(r.operationId));
    const reads = subject.name.includes('two sequential') ? 2 : 1;
    const events = route ? eventsFor(route.operationId, route.method, route.path) : Array.from({ length: reps }, () => ({ reads }));
    subject.events = events.map((e, i) => {
      const file = join(work, 'events', `${subject.name.replace(/\W+/g, '_')}-${i}.json`);
      writeFileSync(file, JSON.stringify(e));
      return file;
    });
  }

  const samples = new Map<string, { load: number[]; invoke: number[]; statuses: Set<unknown> }>();
  for (let i = 0; i < reps; i += 1) {
    for (const subject of subjects) {
      const output = execFileSync(process.execPath, [join(root, 'scripts', 'bench', 'cold-run.mjs'), subject.bundle, subject.events[i]], {
        cwd: work,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
        encoding: 'utf8',
      });
      const { load, invoke, status } = JSON.parse(output.trim().split('\n').pop() as string);
      const entry = samples.get(subject.name) ?? { load: [], invoke: [], statuses: new Set() };
      entry.load.push(load);
      entry.invoke.push(invoke);
      entry.statuses.add(status);
      samples.set(subject.name, entry);
    }
  }

  const rows = subjects.map((subject) => {
    const s = samples.get(subject.name)!;
    const total = s.load.map((l, i) => l + s.invoke[i]);
    const inputs = Object.keys(Object.values(subject.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {});
    return {
      name: subject.name,
      kib: statSync(subject.bundle).size / 1024,
      load: stats(s.load),
      invoke: stats(s.invoke),
      total: stats(total),
      statuses: [...s.statuses].join('/'),
      ajvCompiler: inputs.some((f) => /ajv\/dist\/(core|compile|ajv)\b/.test(f) && !f.includes('runtime')),
    };
  });
  const base = rows[0].total.median;
  const fmt = (n: number) => n.toFixed(1);
  const bar = (n: number) => '█'.repeat(Math.max(1, Math.round((n / Math.max(...rows.map((r) => r.total.median))) * 40)));
  const routeRows = rows.filter((r) => routeList.some((route) => route.operationId === r.name));
  const worst = Math.max(...routeRows.map((r) => r.total.median / base));
  const twoReads = rows[1].total.median;
  const worstVsTwo = Math.max(...routeRows.map((r) => r.total.median / twoReads));
  const workflowBodyRoutes = new Set(['createWorkflow', 'updateWorkflow']);
  const internal = rows.find((r) => r.name === 'updateExecutorConfiguration')!;
  const ext = rows.find((r) => r.name.includes('SDK external'))!;
  const report = `# Performance: bundles and cold starts

Measured by \`npm run bench:cold\` (scripts/bench-cold.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${reps} cold starts per bundle, each in a fresh \`node\` process, interleaved across bundles,
against DynamoDB Local on this 2-core machine. *load* is the time to \`import()\` the
bundle; *first invocation* is the first handler call (API key lookup included: the key
cache is cold, as in a real cold start). Times in ms: median (p25–p75).

| bundle | size KiB | load | first invocation | load + first | × baseline | status |
|---|---:|---:|---:|---:|---:|---|
${rows
  .map(
    (r) =>
      `| ${r.name} | ${fmt(r.kib)} | ${fmt(r.load.median)} (${fmt(r.load.p25)}–${fmt(r.load.p75)}) | ${fmt(r.invoke.median)} (${fmt(r.invoke.p25)}–${fmt(r.invoke.p75)}) | ${fmt(r.total.median)} (${fmt(r.total.p25)}–${fmt(r.total.p75)}) | ${(r.total.median / base).toFixed(2)} | ${r.statuses} |`,
  )
  .join('\n')}

\\* the same update function with \`@aws-sdk/*\` and \`@smithy/*\` left external and resolved
from node_modules — a stand-in for the SDK the Lambda runtime provides (the real runtime
copy is not on this machine, and its version is not the one we pin).

## Load + first invocation (median)

\`\`\`
${rows.map((r) => `${r.name.padEnd(44)} ${bar(r.total.median)} ${fmt(r.total.median)}`).join('\n')}
\`\`\`

## Targets

- **Each function within 1.25× the baseline (load + first invocation):** worst route is
  ${worst.toFixed(2)}× — ${worst <= 1.25 ? 'met' : `not met for ${routeRows.filter((r) => r.total.median / base > 1.25).map((r) => r.name).join(', ')}`}.
  Module load alone is within ${Math.max(...routeRows.map((r) => r.load.median / rows[0].load.median)).toFixed(2)}× of the baseline's; the gap is in the first invocation.
  It is not the extra round trip of the API-key lookup: a baseline making two sequential
  GetItems costs ${(twoReads / base).toFixed(2)}× the one-read baseline, and the worst route is ${worstVsTwo.toFixed(2)}× of it.
  The routes over target are the ones whose first call runs more code for the first time
  in the process (TransactWriteItems, Query, BatchGet/BatchWrite, secret sealing, the
  connectivity client). A look at one cold start of getExecutorConfiguration
  (\`process.moduleLoadList\` and \`--cpu-prof\`): during the first invocation it loads the
  same Node built-ins as the baseline (http, crypto, tls…, mostly at import time in both),
  so the extra milliseconds are V8 compiling our own and the SDK's functions lazily on
  their first call, spread over many small functions rather than one hot spot. Getting
  under 1.25× would mean running less code on the first request, not a tuning knob.
- **No Ajv schema compilation at load:** validators are standalone code generated at
  build time; the esbuild metafile of every bundle ${rows.every((r) => !r.ajvCompiler) ? 'contains no Ajv compiler module (only `ajv/dist/runtime/*` helpers)' : 'CONTAINS an Ajv compiler module'}.
- **Bundles under 300 KiB** (400 KiB for createWorkflow and updateWorkflow, which carry the
  workflow bodies' Ajv validators): largest other is ${fmt(Math.max(...routeRows.filter((r) => !workflowBodyRoutes.has(r.name)).map((r) => r.kib)))} KiB; ${routeRows
  .filter((r) => workflowBodyRoutes.has(r.name))
  .map((r) => `${r.name} ${fmt(r.kib)} KiB`)
  .join(', ')}.

## What bundling the SDK cost or saved

Bundled (pinned) vs external (node_modules stand-in) for the update function: size
${fmt(internal.kib)} KiB vs ${fmt(ext.kib)} KiB; load ${fmt(internal.load.median)} ms vs
${fmt(ext.load.median)} ms; load + first invocation ${fmt(internal.total.median)} ms vs
${fmt(ext.total.median)} ms (${internal.total.median <= ext.total.median ? 'bundling saved' : 'bundling cost'}
${fmt(Math.abs(ext.total.median - internal.total.median))} ms). One minified file is read
and parsed once, where the external SDK resolves and loads hundreds of files from disk.
Bundling also pins the SDK version the tests ran with. The env-only credential provider
alias (infra/aws-sdk/) and signing KMS Decrypt with the bundled SigV4 signer instead of
a second SDK client took about 200 KiB off the secret-handling bundles (≈ 500 → < 300 KiB).
`;
  writeFileSync(join(root, 'docs', 'performance.md'), report);
  console.log(report);
} finally {
  await dynamo.stop();
}
