/**
 * Issue 15, finding 12: a body must be JSON in UTF-8 with finite numbers. Another media
 * type is 415 (Flowker) / 422 (FastAPI, as FastAPI answers), bytes that are not UTF-8
 * are refused instead of being replaced with U+FFFD, and `1e400` is refused instead of
 * being stored as null. Nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as updateExecutorHandler } from '../../../functions/executors/update.js';
import { executorKey, workflowKey } from '../../../functions/store/keys.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { httpApiEvent, invoke, newOrganization, rawItem, restEvent } from '../../support/api.js';
import { assertFlowkerReply, assertWorkflowReply } from '../../support/schemas.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
let executorId: string;
let executorName: string;
let workflowId: string;
beforeAll(async () => {
  org = await newOrganization();
  executorName = `enc-${randomUUID()}`;
  executorId = (
    await invoke(
      createExecutorHandler,
      restEvent({
        method: 'POST',
        path: '/v1/executors',
        headers: { 'x-api-key': org.apiKey },
        body: { name: executorName },
      }),
    )
  ).body.id;
  workflowId = (
    await invoke(
      createWorkflowHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': org.apiKey }, body: { name: 'enc' } }),
    )
  ).body.id;
});

const executorBody = () =>
  JSON.stringify({
    name: executorName,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: { type: 'none' },
  });

const patchExecutor = (rawBody: string, contentType?: string) =>
  invoke(
    updateExecutorHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${executorId}`,
      pathParameters: { id: executorId },
      headers: { 'x-api-key': org.apiKey, ...(contentType ? { 'Content-Type': contentType } : {}) },
      rawBody,
    }),
  );
const patchWorkflow = (rawBody: string, contentType?: string) =>
  invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${workflowId}`,
      pathParameters: { workflow_id: workflowId },
      headers: { 'x-api-key': org.apiKey, ...(contentType ? { 'content-type': contentType } : {}) },
      rawBody,
    }),
  );

test.each([
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/json; charset=iso-8859-1',
  'multipart/form-data; boundary=x',
])('executors: a %s body is 415 FLK-0001 and nothing is written', async (contentType) => {
  // Prepare
  const before = await rawItem(executorKey(org.organizationId, executorId));
  // Act
  const reply = await patchExecutor(executorBody(), contentType);
  // Assess
  assertFlowkerReply(reply);
  expect(reply.status).toBe(415);
  expect(reply.body).toMatchObject({ code: 'FLK-0001', title: 'Unsupported Media Type' });
  expect(await rawItem(executorKey(org.organizationId, executorId))).toEqual(before);
});

test.each(['application/json', 'application/json; charset=UTF-8', 'application/merge-patch+json', undefined])(
  'executors: %s is read as JSON',
  async (contentType) => {
    // Act
    const reply = await patchExecutor(executorBody(), contentType);
    // Assess
    expect(reply.status).toBe(200);
  },
);

test('workflows: a text/plain body is 422 as FastAPI answers it, nothing written', async () => {
  // Prepare
  const before = await rawItem(workflowKey(org.organizationId, workflowId));
  // Act
  const reply = await patchWorkflow(JSON.stringify({ name: 'plain' }), 'text/plain');
  // Assess
  assertWorkflowReply(reply);
  expect(reply.status).toBe(422);
  expect(reply.body.detail).toEqual([
    {
      type: 'model_attributes_type',
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
    },
  ]);
  expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(before);
});

test('bytes that are not UTF-8 are refused on both resources, not replaced with U+FFFD', async () => {
  // Prepare
  const latin1 = (json: string) =>
    Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xe9]), Buffer.from(json.slice(-2))]).toString(
      'base64',
    );
  const binary = (path: string, pathParameters: Record<string, string>, body: string) => ({
    ...httpApiEvent({
      method: 'PATCH',
      path,
      pathParameters,
      headers: { 'x-api-key': org.apiKey, 'content-type': 'application/json' },
    }),
    body,
    isBase64Encoded: true,
  });
  // Act
  const executor = await invoke(
    updateExecutorHandler,
    binary(`/v1/executors/${executorId}`, { id: executorId }, latin1(JSON.stringify({ name: 'caf"' }))),
  );
  const workflow = await invoke(
    updateWorkflowHandler,
    binary(`/v1/workflows/${workflowId}`, { workflow_id: workflowId }, latin1(JSON.stringify({ name: 'caf' }))),
  );
  // Assess
  expect(executor.status).toBe(400);
  expect(executor.body).toMatchObject({ code: 'FLK-0001', message: 'Request body is not valid UTF-8' });
  expect(workflow.status).toBe(400);
  expect(workflow.body).toEqual({ detail: 'There was an error parsing the body' });
});

test('a number JSON values cannot hold (1e400) is refused where it sits, not stored as null', async () => {
  // Prepare
  const executorBefore = await rawItem(executorKey(org.organizationId, executorId));
  const workflowBefore = await rawItem(workflowKey(org.organizationId, workflowId));
  // Act
  const executor = await patchExecutor(executorBody().replace(/}$/, ',"metadata":{"big":1e400}}'));
  const workflow = await patchWorkflow('{"output_schema":{"maximum":-1e400}}');
  // Assess
  expect(executor.status).toBe(400);
  expect(executor.body.fields).toEqual({ '/metadata/big': 'Input should be a finite number' });
  expect(workflow.status).toBe(422);
  expect(workflow.body.detail).toEqual([
    { type: 'finite_number', loc: ['body', 'output_schema', 'maximum'], msg: 'Input should be a finite number' },
  ]);
  expect(await rawItem(executorKey(org.organizationId, executorId))).toEqual(executorBefore);
  expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(workflowBefore);
});
