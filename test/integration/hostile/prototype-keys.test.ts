/**
 * Issue 12, defect 2: `__proto__`, `constructor` and `prototype` keys are refused at any
 * depth in every body and command — 400 FLK-0300 (Flowker) and 422 (FastAPI) — before
 * anything is stored, so no stored item can be poisoned through them.
 */
import { randomUUID } from 'node:crypto';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as updateExecutorHandler } from '../../../functions/executors/update.js';
import { executorKey, workflowKey } from '../../../functions/store/keys.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { invoke, lambdaContext, newOrganization, rawItem, restEvent, sqsEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
let executorId: string;
let name: string;
let workflowId: string;
beforeAll(async () => {
  org = await newOrganization();
  name = `proto-${randomUUID()}`;
  executorId = (
    await invoke(
      createExecutorHandler,
      restEvent({ method: 'POST', path: '/v1/executors', headers: { 'x-api-key': org.apiKey }, body: { name } }),
    )
  ).body.id;
  workflowId = (
    await invoke(
      createWorkflowHandler,
      restEvent({
        method: 'POST',
        path: '/v1/workflows',
        headers: { 'x-api-key': org.apiKey },
        body: { name: 'proto' },
      }),
    )
  ).body.id;
});

/** An executor PATCH body (JSON text, so `__proto__` stays a key) with `metadata` as given. */
const executorJson = (metadata: string) =>
  `{"name":${JSON.stringify(name)},"baseUrl":"https://api.example.com","endpoints":[{"name":"e","path":"/e","method":"GET"}],"authentication":{"type":"none"},"metadata":${metadata}}`;

test.each([
  ['__proto__', '{"__proto__":{"polluted":true}}', '/metadata/__proto__'],
  ['constructor', '{"team":{"constructor":{"prototype":1}}}', '/metadata/team/constructor'],
  ['prototype', '{"deep":[{"a":{"prototype":"x"}}]}', '/metadata/deep/0/a/prototype'],
])('executors over HTTP: a %s key is 400 FLK-0300 at its place; nothing stored', async (_key, metadata, pointer) => {
  // Prepare
  const before = await rawItem(executorKey(org.organizationId, executorId));
  // Act
  const reply = await invoke(
    updateExecutorHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${executorId}`,
      pathParameters: { id: executorId },
      headers: { 'x-api-key': org.apiKey },
      rawBody: executorJson(metadata),
    }),
  );
  // Assess
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('FLK-0300');
  expect(Object.keys(reply.body.fields)).toEqual([pointer]);
  expect(await rawItem(executorKey(org.organizationId, executorId))).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('executors by command (direct invoke and SQS): the same keys are refused; nothing stored', async () => {
  // Prepare
  const before = await rawItem(executorKey(org.organizationId, executorId));
  const envelope = `{"organizationId":${JSON.stringify(org.organizationId)},"params":{"id":"${executorId}"},"body":${executorJson('{"__proto__":{"x":1}}')}}`;
  const inParams = `{"organizationId":${JSON.stringify(org.organizationId)},"params":{"id":"${executorId}","constructor":"x"},"body":${executorJson('{}')}}`;
  // Act
  const direct = await updateExecutorHandler(JSON.parse(envelope), lambdaContext());
  const queued = sqsEvent([envelope, inParams]);
  await updateExecutorHandler(queued, lambdaContext());
  const directInParams = await updateExecutorHandler(JSON.parse(inParams), lambdaContext());
  // Assess
  expect(direct).toMatchObject({ error: true, status: 400, code: 'FLK-0300' });
  expect(directInParams).toMatchObject({
    error: true,
    status: 400,
    code: 'FLK-0300',
    violations: [expect.objectContaining({ loc: ['command', 'params', 'constructor'] })],
  });
  expect(await rawItem(executorKey(org.organizationId, executorId))).toEqual(before);
});

test.each([
  ['create', '{"name":"x","output_schema":{"__proto__":{"y":1}}}', ['body', 'output_schema', '__proto__']],
  ['update', '{"llm_extra_headers":{"constructor":"x"}}', ['body', 'llm_extra_headers', 'constructor']],
  [
    'update',
    '{"orchestration_nodes":[{"type":"code","definition":{"code":"x"},"input_schema":{"prototype":{}}}]}',
    ['body', 'orchestration_nodes', 0, 'input_schema', 'prototype'],
  ],
])('workflows (%s): a prototype key is 422 at its place; nothing stored', async (verb, rawBody, loc) => {
  // Prepare
  const before = await rawItem(workflowKey(org.organizationId, workflowId));
  const headers = { 'x-api-key': org.apiKey };
  // Act
  const reply =
    verb === 'create'
      ? await invoke(createWorkflowHandler, restEvent({ method: 'POST', path: '/v1/workflows', headers, rawBody }))
      : await invoke(
          updateWorkflowHandler,
          restEvent({
            method: 'PATCH',
            path: `/v1/workflows/${workflowId}`,
            pathParameters: { workflow_id: workflowId },
            headers,
            rawBody,
          }),
        );
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail).toEqual([expect.objectContaining({ type: 'value_error', loc })]);
  expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(before);
});
