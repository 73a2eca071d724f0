/**
 * The same handlers reached by every transport: HTTP API (v2) events work like REST (v1)
 * ones, and a direct invoke, an EventBridge event and an SQS batch land the same change
 * as the HTTP route, with errors returned typed (direct) or reported per record (SQS).
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as deleteHandler } from '../../functions/executors/delete.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { handler as deployWorkflowHandler } from '../../functions/workflows/deploy.js';
import { handler as updateWorkflowHandler } from '../../functions/workflows/update.js';
import { executorKey } from '../../functions/store/keys.js';
import {
  countDynamoRequests,
  httpApiEvent,
  invoke,
  lambdaContext,
  newOrganization,
  type Organization,
  rawItem,
  restEvent,
  sqsEvent,
} from '../support/api.js';
import { completeExecutorBody, createExecutor } from '../support/executors.js';
import { createWorkflow, getWorkflow, workflowHeaders, workflowVersions } from '../support/workflows.js';

let org: Organization;

beforeAll(async () => {
  org = await newOrganization();
});

/** A complete configuration with this description. */
const config = (name: string, description: string) => ({ ...completeExecutorBody(name), description });

/** A new unconfigured executor of `org`. */
async function newExecutor(): Promise<{ id: string; name: string }> {
  return (await createExecutor(org, { name: `cmd-${randomUUID()}` })).body;
}

describe('HTTP API (v2) events', () => {
  test('an HTTP API (v2) event reaches the same handler', async () => {
    // Prepare
    const created = (await createExecutor(org, completeExecutorBody())).body;
    // Act
    const reply = await invoke(
      updateHandler,
      httpApiEvent({
        method: 'PATCH',
        path: `/v1/executors/${created.id}`,
        pathParameters: { id: created.id },
        headers: { 'X-Api-Key': org.apiKey },
        body: { ...completeExecutorBody(created.name), description: 'via v2' },
      }),
    );
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.description).toBe('via v2');
  });

  test('every executor route answers HTTP API (v2) events', async () => {
    // Prepare
    const headers = { 'x-api-key': org.apiKey };
    // Act
    const created = await invoke(
      createHandler,
      httpApiEvent({ method: 'POST', path: '/v1/executors', headers, body: config(`v2-${randomUUID()}`, 'v2') }),
    );
    const id = created.body.id;
    const fetched = await invoke(
      getHandler,
      httpApiEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers }),
    );
    const listed = await invoke(
      listHandler,
      httpApiEvent({ method: 'GET', path: '/v1/executors', query: { limit: '5' }, headers }),
    );
    const patched = await invoke(
      updateHandler,
      httpApiEvent({
        method: 'PATCH',
        path: `/v1/executors/${id}`,
        pathParameters: { id },
        headers,
        body: config(created.body.name, 'v2 again'),
      }),
    );
    const activated = await invoke(
      activateHandler,
      httpApiEvent({ method: 'POST', path: `/v1/executors/${id}/activate`, pathParameters: { id }, headers }),
    );
    const deleted = await invoke(
      deleteHandler,
      httpApiEvent({ method: 'DELETE', path: `/v1/executors/${id}`, pathParameters: { id }, headers }),
    );
    // Assess
    expect(created.status).toBe(201);
    expect(fetched.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(patched.body.description).toBe('v2 again');
    expect(activated.status).toBe(422);
    expect(deleted.status).toBe(204);
  });

  test('a workflow PATCH in a v2 (HTTP API) event works the same', async () => {
    // Prepare
    const owner = await newOrganization();
    const { body: created } = await createWorkflow(owner);
    // Act
    const reply = await invoke(
      updateWorkflowHandler,
      httpApiEvent({
        method: 'PATCH',
        path: `/v1/workflows/${created.id}`,
        pathParameters: { workflow_id: created.id },
        query: { deploy: 'True' },
        headers: workflowHeaders(owner),
        body: { name: 'via v2' },
      }),
    );
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'via v2', version: 2 });
  });
});

describe('commands without HTTP: executors', () => {
  /** What HTTP makes of a PATCH, minus the timestamps, for comparing transports. */
  function comparable(item: Record<string, unknown> | undefined): Record<string, unknown> {
    const { updatedAt: _updatedAt, updatedBy: _updatedBy, authorizedBy: _by, authSecrets, ...rest } = item ?? {};
    return { ...rest, secretKeys: Object.keys((authSecrets as object) ?? {}) };
  }

  const envelope = (id: string, body: unknown) => ({
    organizationId: org.organizationId,
    params: { id },
    body,
    actor: 'test-suite',
  });

  const eventBridge = (detail: unknown): EventBridgeEvent<string, unknown> => ({
    version: '0',
    id: randomUUID(),
    'detail-type': 'flowplane.command',
    source: 'flowplane.test',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'local',
    resources: [],
    detail,
  });

  test('direct invoke, EventBridge and SQS land the same change as HTTP, with one write each', async () => {
    // Prepare
    const viaHttp = await newExecutor();
    const viaDirect = await newExecutor();
    const viaEvents = await newExecutor();
    const viaSqs = await newExecutor();
    await invoke(
      getHandler,
      restEvent({
        method: 'GET',
        path: '/x',
        pathParameters: { id: viaHttp.id },
        headers: { 'X-API-Key': org.apiKey },
      }),
    );
    const counter = countDynamoRequests();
    // Act
    const http = await invoke(
      updateHandler,
      restEvent({
        method: 'PATCH',
        path: `/v1/executors/${viaHttp.id}`,
        pathParameters: { id: viaHttp.id },
        headers: { 'X-API-Key': org.apiKey },
        body: config(viaHttp.name, 'same'),
      }),
    );
    const direct = await updateHandler(envelope(viaDirect.id, config(viaDirect.name, 'same')), lambdaContext());
    const bus = await updateHandler(
      eventBridge(envelope(viaEvents.id, config(viaEvents.name, 'same'))),
      lambdaContext(),
    );
    const queue = await updateHandler(
      sqsEvent([JSON.stringify(envelope(viaSqs.id, config(viaSqs.name, 'same')))]),
      lambdaContext(),
    );
    counter.stop();
    // Assess
    expect(http.status).toBe(200);
    expect(direct).toMatchObject({ id: viaDirect.id, description: 'same', status: 'configured' });
    expect(bus).toMatchObject({ id: viaEvents.id, description: 'same' });
    expect(queue).toEqual({ batchItemFailures: [] });
    // One write each; the redelivering transports (EventBridge, SQS) also record the command once (issue 14).
    expect(counter.sent).toEqual([
      'UpdateItemCommand',
      'UpdateItemCommand',
      ...['PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
      ...['PutItemCommand', 'UpdateItemCommand', 'UpdateItemCommand'],
    ]);
    const reference = comparable(await rawItem(executorKey(org.organizationId, viaHttp.id)));
    // Each names its own principal, with the route's permission: the key's prefix, or the command's source.
    const principals = await Promise.all(
      [viaHttp, viaDirect, viaEvents, viaSqs].map(
        async ({ id }) => (await rawItem(executorKey(org.organizationId, id)))?.authorizedBy,
      ),
    );
    expect(principals).toEqual(
      [`apikey:${org.apiKey.slice(0, 10)}`, 'lambda:invoke', 'events:flowplane.test', 'sqs'].map((principal) => ({
        principal,
        permission: 'executors:write',
      })),
    );
    for (const { id, name } of [viaDirect, viaEvents, viaSqs]) {
      const item = comparable(await rawItem(executorKey(org.organizationId, id)));
      expect({ ...item, id: 'x', name: 'x', pk: 'x', gsi1sk: 'x', createdAt: 'x' }).toEqual({
        ...reference,
        id: 'x',
        name: 'x',
        pk: 'x',
        gsi1sk: 'x',
        createdAt: 'x',
      });
      expect(item.name).toBe(name);
      expect((await rawItem(executorKey(org.organizationId, id)))?.updatedBy).toBe('test-suite');
    }
  });

  test('an SQS batch reports no refused record (refusals are never retried); the good ones land once', async () => {
    // Prepare
    const good1 = await newExecutor();
    const good2 = await newExecutor();
    const event = sqsEvent([
      JSON.stringify(envelope(good1.id, config(good1.name, 'good 1'))),
      'not json',
      JSON.stringify(envelope(randomUUID(), config('nobody', 'missing executor'))),
      JSON.stringify(envelope(good2.id, config(good2.name, 'good 2'))),
      JSON.stringify({ ...envelope(good2.id, config(good2.name, 'x')), organizationId: 'bad org!' }),
      JSON.stringify(envelope(good2.id, { name: good2.name })),
    ]);
    // Act
    const result = await updateHandler(event, lambdaContext());
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect((await rawItem(executorKey(org.organizationId, good1.id)))?.description).toBe('good 1');
    expect((await rawItem(executorKey(org.organizationId, good2.id)))?.description).toBe('good 2');
  });

  test('a refused direct command returns a typed error object and writes nothing', async () => {
    // Prepare
    const target = await newExecutor();
    const before = await rawItem(executorKey(org.organizationId, target.id));
    // Act
    const result = await updateHandler(envelope(target.id, { name: target.name, baseUrl: 'nope' }), lambdaContext());
    const foreign = await updateHandler(
      { ...envelope(target.id, config(target.name, 'x')), organizationId: 'someone-else' },
      lambdaContext(),
    );
    // Assess
    expect(result).toMatchObject({
      error: true,
      type: 'RequestValidationError',
      status: 400,
      code: 'FLK-0263',
      violations: expect.any(Array),
    });
    expect(result.violations.length).toBeGreaterThanOrEqual(3);
    expect(await rawItem(executorKey(org.organizationId, target.id))).toEqual(before);
    expect(foreign).toMatchObject({ error: true, status: 404, code: 'FLK-0250' });
  });

  test('lifecycle handlers take commands too', async () => {
    // Prepare
    const target = await newExecutor();
    // Act
    const result = await activateHandler(
      { organizationId: org.organizationId, params: { id: target.id } },
      lambdaContext(),
    );
    const deleted = await deleteHandler(
      { organizationId: org.organizationId, params: { id: target.id } },
      lambdaContext(),
    );
    // Assess
    expect(result).toMatchObject({ error: true, status: 422, code: 'FLK-0252' });
    expect(deleted).toBeNull();
    expect(await rawItem(executorKey(org.organizationId, target.id))).toBeUndefined();
  });

  test('read-only routes refuse non-HTTP events', async () => {
    // Act / Assess
    await expect(
      getHandler({ organizationId: org.organizationId, params: { id: randomUUID() } }, lambdaContext()),
    ).rejects.toThrow(/only serves HTTP/);
  });
});

describe('commands without HTTP: workflows', () => {
  test('a direct invoke stages or deploys exactly like the HTTP route; errors come back typed', async () => {
    // Prepare
    const owner = await newOrganization();
    const { body: created } = await createWorkflow(owner);
    const command = (body: unknown, query: Record<string, string> = {}) => ({
      organizationId: owner.organizationId,
      params: { workflow_id: created.id },
      query,
      body,
      actor: 'scheduler',
    });
    // Act
    const staged = await updateWorkflowHandler(command({ description: 'from a command' }), lambdaContext());
    const deployed = await deployWorkflowHandler(
      { organizationId: owner.organizationId, params: { workflow_id: created.id } },
      lambdaContext(),
    );
    const refused = await updateWorkflowHandler(
      command({ orchestration_nodes: [{ type: 'code', id: 'a', definition: { code: 'x' }, next_node_ids: ['a'] }] }),
      lambdaContext(),
    );
    // Assess
    expect(staged).toMatchObject({ description: 'from a command', has_pending_changes: true, version: 1 });
    expect(deployed).toMatchObject({ version: 2, has_pending_changes: false });
    expect(refused).toMatchObject({ error: true, status: 422 });
    expect(refused.violations[0].loc).toEqual(['body', 'orchestration_nodes', 0, 'next_node_ids', 0]);
    const v2 = await workflowVersions(owner, created.id);
    expect(v2.body.items[0]).toMatchObject({ version: 2, deployed_by: 'lambda:invoke' });
  });

  test('an SQS batch reports no refused record (never retried); the good one lands', async () => {
    // Prepare
    const owner = await newOrganization();
    const { body: created } = await createWorkflow(owner);
    const good = JSON.stringify({
      organizationId: owner.organizationId,
      params: { workflow_id: created.id },
      body: { icon: '🛰️' },
    });
    const bad = JSON.stringify({
      organizationId: owner.organizationId,
      params: { workflow_id: created.id },
      body: { icon: 7 },
    });
    const event = sqsEvent([good, bad, 'not json']);
    // Act
    const result = await updateWorkflowHandler(event, lambdaContext());
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect((await getWorkflow(owner, created.id)).body.icon).toBe('🛰️');
  });
});
