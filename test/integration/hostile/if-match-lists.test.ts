/**
 * Issue 15, finding 8: an `If-Match` listing more entity tags than one write can check is
 * refused in the route's dialect (400 / 422) with nothing written; repeated tags count once.
 * Issue 25, finding 4: an `If-Match` that is no list of entity tags at all is a 400 that
 * says so in both dialects, not a 412 that says the resource changed.
 */
import { randomUUID } from 'node:crypto';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as updateExecutorHandler } from '../../../functions/executors/update.js';
import { executorKey, workflowKey } from '../../../functions/store/keys.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { invoke, newOrganization, rawItem, restEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

const tags = (count: number, first = 1) => Array.from({ length: count }, (_, i) => `"${first + i}"`).join(', ');
const executorBody = (name: string) => ({
  name,
  baseUrl: 'https://api.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication: { type: 'none' },
});

test('executors: 150 distinct tags → 400, nothing written; the current tag repeated 150 times → 200', async () => {
  // Prepare
  const headers = { 'x-api-key': org.apiKey };
  const name = `tags-${randomUUID()}`;
  const id = (
    await invoke(createExecutorHandler, restEvent({ method: 'POST', path: '/v1/executors', headers, body: { name } }))
  ).body.id;
  const before = await rawItem(executorKey(org.organizationId, id));
  const patch = (ifMatch: string) =>
    invoke(
      updateExecutorHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/executors/${id}`,
        pathParameters: { id },
        headers: { ...headers, 'If-Match': ifMatch },
        body: executorBody(name),
      }),
    );
  // Act
  const tooMany = await patch(tags(150));
  const unchanged = await rawItem(executorKey(org.organizationId, id));
  const repeated = await patch(Array(150).fill('"1"').join(', '));
  // Assess
  expect(tooMany.status).toBe(400);
  expect(tooMany.body).toMatchObject({
    code: 'FLK-0302',
    fields: { '/if-match': 'List should have at most 50 items' },
  });
  expect(unchanged).toEqual(before);
  expect(repeated.status).toBe(200);
});

test('workflows: 150 distinct tags → 422 at the header, nothing written', async () => {
  // Prepare
  const headers = { 'x-api-key': org.apiKey };
  const id = (
    await invoke(
      createWorkflowHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers, body: { name: 'tags' } }),
    )
  ).body.id;
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const reply = await invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${id}`,
      pathParameters: { workflow_id: id },
      headers: { ...headers, 'if-match': tags(150) },
      body: { name: 'x' },
    }),
  );
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail).toEqual([
    { type: 'too_long', loc: ['header', 'if-match'], msg: 'List should have at most 50 items' },
  ]);
  expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
});

test('an If-Match that is no entity tag (the version without its quotes) is 400 in both dialects, saying so; nothing written (issue 25 §4)', async () => {
  // Prepare
  const headers = { 'x-api-key': org.apiKey };
  const name = `unquoted-${randomUUID()}`;
  const executorId = (
    await invoke(createExecutorHandler, restEvent({ method: 'POST', path: '/v1/executors', headers, body: { name } }))
  ).body.id;
  const workflowId = (
    await invoke(
      createWorkflowHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers, body: { name: 'unquoted' } }),
    )
  ).body.id;
  const executorBefore = await rawItem(executorKey(org.organizationId, executorId));
  const workflowBefore = await rawItem(workflowKey(org.organizationId, workflowId));
  // Act
  const executor = await invoke(
    updateExecutorHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${executorId}`,
      pathParameters: { id: executorId },
      headers: { ...headers, 'If-Match': '1' },
      body: executorBody(name),
    }),
  );
  const workflow = await invoke(
    updateWorkflowHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/workflows/${workflowId}`,
      pathParameters: { workflow_id: workflowId },
      headers: { ...headers, 'if-match': '1' },
      body: { name: 'x' },
    }),
  );
  // Assess: not 412 "changed since": nothing changed, the header did not parse.
  expect(executor.status).toBe(400);
  expect(executor.body).toEqual({
    code: 'FLK-0302',
    title: 'Bad Request',
    message: '/if-match: must be *, or versions in double quotes as ETag sends them ("3")',
    fields: { '/if-match': 'must be *, or versions in double quotes as ETag sends them ("3")' },
  });
  expect(workflow.status).toBe(400);
  expect(workflow.body).toEqual({
    detail: 'Header if-match must be *, or versions in double quotes as ETag sends them ("3")',
  });
  expect(await rawItem(executorKey(org.organizationId, executorId))).toEqual(executorBefore);
  expect(await rawItem(workflowKey(org.organizationId, workflowId))).toEqual(workflowBefore);
});
