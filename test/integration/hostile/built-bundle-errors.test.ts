/**
 * Issue 15, finding 11: a direct invoke's typed error names its type in the built bundle
 * too (minification renames classes: each error spells its own name). The bundles in
 * dist/functions are what Lambda runs; `npm test` builds them first.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createExecutor } from '../../support/executors.js';
import { createWorkflow } from '../../support/workflows.js';
import { lambdaContext, newOrganization } from '../../support/api.js';

const dist = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'dist', 'functions');
type Handler = (event: unknown, context: unknown) => Promise<any>;
const bundled = async (operationId: string): Promise<Handler> =>
  (await import(pathToFileURL(join(dist, operationId, 'index.mjs')).href)).handler;

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

test('the built bundles return typed errors with readable types', async () => {
  // Prepare
  const updateExecutor = await bundled('updateExecutorConfiguration');
  const activateExecutor = await bundled('activateExecutorConfiguration');
  const updateWorkflow = await bundled('updateWorkflow');
  const executor = (await createExecutor(org, { name: `bundle-${randomUUID()}` })).body;
  const workflow = (await createWorkflow(org, { name: 'bundle' })).body;
  // Act
  const invalid = await updateExecutor(
    { organizationId: org.organizationId, params: { id: executor.id }, body: { name: 'x', baseUrl: 'nope' } },
    lambdaContext(),
  );
  const missing = await updateExecutor(
    {
      organizationId: org.organizationId,
      params: { id: randomUUID() },
      body: {
        name: 'x',
        baseUrl: 'https://a.example',
        endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
        authentication: { type: 'none' },
      },
    },
    lambdaContext(),
  );
  const wrongStatus = await activateExecutor(
    { organizationId: org.organizationId, params: { id: executor.id } },
    lambdaContext(),
  );
  const graph = await updateWorkflow(
    {
      organizationId: org.organizationId,
      params: { workflow_id: workflow.id },
      body: { orchestration_nodes: [{ type: 'code', id: 'a', definition: { code: 'x' }, next_node_ids: ['a'] }] },
    },
    lambdaContext(),
  );
  // Assess
  expect([invalid.type, missing.type, wrongStatus.type, graph.type]).toEqual([
    'RequestValidationError',
    'NotFoundError',
    'WrongStatusError',
    'RuleViolationError',
  ]);
  expect([invalid.status, missing.status, wrongStatus.status, graph.status]).toEqual([400, 404, 422, 422]);
});
