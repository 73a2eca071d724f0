/**
 * A typed client generated from the local server's own /openapi.json by a maintained
 * generator (@hey-api/openapi-ts, its fetch client; issue 12 §3): the generated code and a
 * driver that calls it type-check under the repository's compiler options, and the
 * driver's executor PATCH (Flowker) and workflow PATCH with deploy=true (xpander) get
 * each contract's answer and store it. The driver names the generated functions and
 * types, so a route, parameter or body shape the document gets wrong fails the type
 * check, and an answer that differs fails the assertions. Everything generated lives in
 * a temporary directory; the generator runs once per run of this file, on the document
 * exactly as the server serves it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@hey-api/openapi-ts';
import ts from 'typescript';
import { generateApiKey } from '../../functions/domain/api-keys.js';
import { routeList } from '../../functions/routes.js';
import { executorOutput } from '../../schemas/executor.js';
import { workflowResponse } from '../../schemas/workflow.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';
import { assertFits } from '../support/schemas.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const functionsDir = join(repoRoot, 'dist/functions/');

/**
 * Calls the generated SDK as an application would. Its parameter and result types are
 * the generated ones: `deploy` is a boolean, as the document publishes it (issue 25), and
 * the client sends it as `deploy=true`.
 */
const driverSource = `
import { client } from './client/client.gen.js';
import {
  createExecutorConfiguration,
  createWorkflow,
  getExecutorConfiguration,
  getWorkflow,
  updateExecutorConfiguration,
  updateWorkflow,
  type ExecutorConfigurationOutput,
  type UpdateExecutorConfigurationInput,
  type UpdateWorkflowRequest,
  type WorkflowResponse,
} from './client/index.js';

export interface Answer<T> {
  status: number;
  etag: string | null;
  body: T | undefined;
}

function answerOf<T>(result: { data?: T; error?: unknown; response?: Response }): Answer<T> {
  if (!result.response) throw new Error('no response: ' + String(result.error));
  return { status: result.response.status, etag: result.response.headers.get('etag'), body: result.data ?? (result.error as T | undefined) };
}

export function connect(baseUrl: string, apiKey: string): void {
  client.setConfig({ baseUrl, auth: () => apiKey });
}

export async function patchExecutor(name: string, secret: string): Promise<Record<'created' | 'patched' | 'stored', Answer<ExecutorConfigurationOutput>>> {
  const created = await createExecutorConfiguration({ body: { name } });
  if (!created.data) throw new Error('create executor: ' + created.response?.status + ' ' + JSON.stringify(created.error));
  const configuration: UpdateExecutorConfigurationInput = {
    name,
    description: 'Serasa identity validation service',
    baseUrl: 'https://api.serasa.com.br/v2/',
    endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST' }],
    authentication: { type: 'api_key', config: { key: secret, header: 'X-API-Key' } },
  };
  const patched = await updateExecutorConfiguration({
    path: { id: created.data.id },
    headers: { 'If-Match': created.response?.headers.get('etag') ?? '' },
    body: configuration,
  });
  const stored = await getExecutorConfiguration({ path: { id: created.data.id } });
  return { created: answerOf(created), patched: answerOf(patched), stored: answerOf(stored) };
}

export async function patchAndDeployWorkflow(name: string): Promise<Record<'created' | 'patched' | 'stored', Answer<WorkflowResponse>>> {
  const created = await createWorkflow({ body: { name } });
  if (!created.data) throw new Error('create workflow: ' + created.response?.status + ' ' + JSON.stringify(created.error));
  const change: UpdateWorkflowRequest = {
    model_name: 'gpt-5',
    orchestration_nodes: [
      { type: 'classifier', id: 'triage', next_node_ids: ['billing', 'tech'], definition: { groups: [{ id: 'billing' }, { id: 'tech' }] } },
      { type: 'agent', id: 'billing', definition: { asset_id: 'agent-billing' }, condition: { type: 'else', group_id: 'billing' } },
      { type: 'custom_function', id: 'tech', definition: { code: 'return input' }, condition: { type: 'contains', term: 'error', group_id: 'tech' } },
    ],
  };
  const patched = await updateWorkflow({ path: { workflow_id: created.data.id }, query: { deploy: true }, body: change });
  const stored = await getWorkflow({ path: { workflow_id: created.data.id } });
  return { created: answerOf(created), patched: answerOf(patched), stored: answerOf(stored) };
}
`;

/** GET `url` on a connection of its own (no pooling), as text; anything but a 200 throws. */
function documentOf(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        response.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('utf8'))
          : reject(new Error(`GET ${url} answered ${response.statusCode}`)),
      );
    }).on('error', reject);
  });
}

interface Answer {
  status: number;
  etag: string | null;
  body: Record<string, unknown> & { id: string };
}

interface Driver {
  connect(baseUrl: string, apiKey: string): void;
  patchExecutor(name: string, secret: string): Promise<Record<'created' | 'patched' | 'stored', Answer>>;
  patchAndDeployWorkflow(name: string): Promise<Record<'created' | 'patched' | 'stored', Answer>>;
}

const formatHost = ts.createCompilerHost({});

/**
 * The repository's compiler options, emitting JavaScript from `rootDir` into `outDir`,
 * plus the DOM lib: the fetch client's types name `BodyInit`, which @types/node does not
 * declare.
 */
function compilerOptions(rootDir: string, outDir: string): ts.CompilerOptions {
  const { config } = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, repoRoot);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost));
  return {
    ...options,
    lib: [...(options.lib ?? []), 'lib.dom.d.ts'],
    noEmit: false,
    rootDir,
    outDir,
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules/@types')],
  };
}

let server: LocalServer;
let workDir: string;
let diagnostics: string[];
let driver: Driver;
const apiKey = generateApiKey();

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'flowplane-typed-client-'));
  server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    // A table of its own: the server's stream consumers and migration must not touch other files' items
    // (jest runs two workers on one DynamoDB Local; see test/README.md).
    tableName: `flowplane-typed-client-${randomUUID()}`,
    apiKey,
    organizationId: `typed-client-${randomUUID()}`,
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
    eventsSinkFile: join(workDir, 'events.ndjson'),
    // The suite's table is shared: only what happens from now on is this server's to consume.
    streamStartingPosition: 'LATEST',
    // Nor is its migration this server's to run: other files write there (test/integration/migration.test.ts runs it).
    migrate: false,
  });
  // Fetched on a connection of its own, closed at once: the generation and type check below block this process (the
  // server's too) past the server's keep-alive timeout, and a pooled connection the server then drops would reset
  // the first request of the generated client (ECONNRESET).
  writeFileSync(join(workDir, 'openapi.json'), await documentOf(`${server.url}/openapi.json`));
  try {
    await createClient({
      input: join(workDir, 'openapi.json'),
      output: { path: join(workDir, 'src/client') },
      plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
      logs: { level: 'silent', file: false },
      interactive: false,
    });
  } catch (error) {
    const cause = (error as { originalError?: { error?: unknown } }).originalError?.error ?? error;
    throw new Error(`@hey-api/openapi-ts failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause: error,
    });
  }
  writeFileSync(join(workDir, 'src/driver.ts'), driverSource);
  writeFileSync(join(workDir, 'package.json'), JSON.stringify({ type: 'module' }));
  // One program of every generated file and the driver: its diagnostics are the type check, its emit what the driver
  // runs.
  const sources = ts.sys.readDirectory(join(workDir, 'src'), ['.ts']);
  const program = ts.createProgram(sources, compilerOptions(join(workDir, 'src'), join(workDir, 'out')));
  diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost));
  program.emit();
  driver = (await import(pathToFileURL(join(workDir, 'out/driver.js')).href)) as Driver;
  driver.connect(server.url, apiKey);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the generated SDK has a function per route, and it and a driver calling it type-check', () => {
  // Act
  const sdk = readFileSync(join(workDir, 'src/client/sdk.gen.ts'), 'utf8');
  const functions = [...sdk.matchAll(/^export const (\w+) = /gm)].map((match) => match[1]);
  // Assess
  expect(functions.sort()).toEqual(routeList.map((route) => route.operationId).sort());
  expect(diagnostics).toEqual([]);
});

test('an executor PATCH through the generated client gets the Flowker answer and is stored', async () => {
  // Act
  const { created, patched, stored } = await driver.patchExecutor(`typed-${randomUUID()}`, 'sk-live-typed-client-1');
  // Assess
  expect([created.status, created.etag]).toEqual([201, '"1"']);
  expect([patched.status, patched.etag]).toEqual([200, '"2"']);
  assertFits(executorOutput, patched.body);
  expect(patched.body).toMatchObject({
    id: created.body.id,
    status: 'configured',
    baseUrl: 'https://api.serasa.com.br/v2',
    endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST', timeout: 30 }],
    authentication: { type: 'api_key', config: { key: '********', header: 'X-API-Key' } },
  });
  expect([stored.status, stored.etag]).toEqual([200, '"2"']);
  expect(stored.body).toEqual(patched.body);
});

test('a workflow PATCH with deploy=true through the generated client deploys the next version and stores it', async () => {
  // Act
  const { created, patched, stored } = await driver.patchAndDeployWorkflow(`typed-${randomUUID()}`);
  // Assess
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ version: 1, is_latest: true, has_pending_changes: false });
  expect(patched.status).toBe(200);
  assertFits(workflowResponse, patched.body);
  expect(patched.body).toMatchObject({
    id: created.body.id,
    model_name: 'gpt-5',
    version: 2,
    is_latest: true,
    has_pending_changes: false,
  });
  expect((patched.body.orchestration_nodes as { id: string }[]).map((node) => node.id)).toEqual([
    'triage',
    'billing',
    'tech',
  ]);
  expect(stored.status).toBe(200);
  expect(stored.body).toEqual(patched.body);
});
