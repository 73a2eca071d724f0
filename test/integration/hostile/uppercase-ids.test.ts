/**
 * Issue 15, finding 10: a UUID written in upper case names the same resource, as
 * pydantic's UUID type reads it — on both resources, the audit routes, and commands.
 */
import { randomUUID } from 'node:crypto';
import { handler as listAuditHandler } from '../../../functions/audit/list.js';
import { handler as verifyAuditHandler } from '../../../functions/audit/verify.js';
import { handler as createExecutorHandler } from '../../../functions/executors/create.js';
import { handler as deleteExecutorHandler } from '../../../functions/executors/delete.js';
import { handler as getExecutorHandler } from '../../../functions/executors/get.js';
import { handler as updateExecutorHandler } from '../../../functions/executors/update.js';
import { handler as createWorkflowHandler } from '../../../functions/workflows/create.js';
import { handler as deployWorkflowHandler } from '../../../functions/workflows/deploy.js';
import { handler as getWorkflowHandler } from '../../../functions/workflows/get.js';
import { handler as updateWorkflowHandler } from '../../../functions/workflows/update.js';
import { invoke, lambdaContext, newOrganization, restEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

test('executors: GET, PATCH (HTTP and command) and DELETE by an upper-case id', async () => {
  // Prepare
  const headers = { 'x-api-key': org.apiKey };
  const name = `upper-${randomUUID()}`;
  const id: string = (
    await invoke(createExecutorHandler, restEvent({ method: 'POST', path: '/v1/executors', headers, body: { name } }))
  ).body.id;
  const upper = id.toUpperCase();
  const on = { path: `/v1/executors/${upper}`, pathParameters: { id: upper }, headers };
  const body = {
    name,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: { type: 'none' },
  };
  // Act
  const read = await invoke(getExecutorHandler, restEvent({ ...on, method: 'GET' }));
  const patched = await invoke(updateExecutorHandler, restEvent({ ...on, method: 'PATCH', body }));
  const command = await updateExecutorHandler(
    { organizationId: org.organizationId, params: { id: upper }, body: { ...body, description: 'by command' } },
    lambdaContext(),
  );
  const deleted = await invoke(deleteExecutorHandler, restEvent({ ...on, method: 'DELETE' }));
  // Assess
  expect([read.status, patched.status, deleted.status]).toEqual([200, 200, 204]);
  expect(read.body.id).toBe(id);
  expect(command).toMatchObject({ id, description: 'by command' });
});

test('workflows: GET, PATCH and PUT by an upper-case id; audit routes too', async () => {
  // Prepare
  const headers = { 'x-api-key': org.apiKey };
  const id: string = (
    await invoke(
      createWorkflowHandler,
      restEvent({ method: 'POST', path: '/v1/workflows', headers, body: { name: 'upper' } }),
    )
  ).body.id;
  const upper = id.toUpperCase();
  const on = { path: `/v1/workflows/${upper}`, pathParameters: { workflow_id: upper }, headers };
  // Act
  const read = await invoke(getWorkflowHandler, restEvent({ ...on, method: 'GET' }));
  const patched = await invoke(
    updateWorkflowHandler,
    restEvent({ ...on, method: 'PATCH', body: { description: 'upper' } }),
  );
  const deployed = await invoke(deployWorkflowHandler, restEvent({ ...on, method: 'PUT' }));
  const audit = await invoke(
    listAuditHandler,
    restEvent({ method: 'GET', path: '/v1/audit-events', query: { resourceId: upper }, headers }),
  );
  const verify = await invoke(
    verifyAuditHandler,
    restEvent({
      method: 'GET',
      path: `/v1/audit-events/${upper}.1/verify`,
      pathParameters: { id: `${upper}.1` },
      headers,
    }),
  );
  // Assess
  expect([read.status, patched.status, deployed.status, audit.status]).toEqual([200, 200, 200, 200]);
  expect(read.body.id).toBe(id);
  expect(deployed.body.version).toBe(2);
  // No stream consumer ran here: the chain is empty, so verify answers "no such entry" for the lower-case id as for the
  // upper.
  expect(verify.status).toBe(404);
});
