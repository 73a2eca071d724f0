/**
 * Every workflow write route under every DynamoDB fault, on every operation or only on
 * the route's write (the read before it succeeded: a deploy cut half-way): a 503 in
 * FastAPI's shape with Retry-After, one log line and one `Responses503`; the workflow's
 * whole partition (working copy, snapshots, tombstone) byte-identical, so no version gap
 * and no orphan snapshot; and once the fault clears, the very same request succeeds. A
 * delete cut after its transaction (the snapshot removal fails) is finished by the next.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  awsErrorOf,
  expectFastApi503,
  faultKinds,
  proxiedDynamoDb,
  responses503,
  type UnavailableFaultKind,
  unavailableLogLines,
} from '../../support/faults.js';
import type { Reply } from '../../support/api.js';

const dynamo = proxiedDynamoDb();

type Handler = (event: any, context: any) => Promise<any>;
let api: typeof import('../../support/api.js');
let keys: typeof import('../../../functions/store/keys.js');
let client: typeof import('../../../functions/store/client.js');
const handlers: Record<string, Handler> = {};
let org: { organizationId: string; apiKey: string };

beforeAll(async () => {
  api = await import('../../support/api.js');
  keys = await import('../../../functions/store/keys.js');
  client = await import('../../../functions/store/client.js');
  for (const name of ['create', 'update', 'deploy', 'delete'])
    handlers[name] = (await import(`../../../functions/workflows/${name}.js`)).handler;
  org = await api.newOrganization();
});

function send(
  name: string,
  method: string,
  path: string,
  extra: { id?: string; body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const event = api.restEvent({
    method,
    path,
    ...(extra.id ? { pathParameters: { workflow_id: extra.id } } : {}),
    ...(extra.query ? { query: extra.query } : {}),
    headers: { 'x-api-key': org.apiKey, ...extra.headers },
    ...(extra.body === undefined ? {} : { body: extra.body }),
  });
  return { event, reply: () => api.invoke(handlers[name], event) };
}

const node = (id: string, next: string[] = []) => ({
  type: 'code',
  id,
  name: id,
  definition: { code: `return "${id}"` },
  next_node_ids: next,
});

async function created(deployments = 0) {
  const a = randomUUID();
  const { body } = await send('create', 'POST', '/v1/workflows', {
    body: { name: `wf-${randomUUID()}`, orchestration_nodes: [node(a)] },
  }).reply();
  const id = body.id as string;
  for (let i = 0; i < deployments; i += 1) {
    expect(
      (
        await send('update', 'PATCH', `/v1/workflows/${id}`, {
          id,
          query: { deploy: 'true' },
          body: { description: `deployment ${i}` },
        }).reply()
      ).status,
    ).toBe(200);
  }
  return id;
}

/** Every item of the workflow's partition (working copy, snapshots, tombstone), read straight. */
async function partition(id: string) {
  const { Items } = await client.getDocumentClient().send(
    new QueryCommand({
      TableName: client.tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.workflowKey(org.organizationId, id).pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** Every working copy of the organization (the index), read straight. */
async function organizationWorkflows() {
  const { Items } = await client.getDocumentClient().send(
    new QueryCommand({
      TableName: client.tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.workflowsByOrganization(org.organizationId).gsi1pk },
    }),
  );
  return Items ?? [];
}

interface Scenario {
  request: () => { event: any; reply: () => Promise<Reply> };
  /** Everything the request could touch, read straight from the table. */
  state: () => Promise<unknown>;
  writes: string[];
  succeeded: (reply: Reply) => void;
}

const scenarios: Record<string, () => Promise<Scenario>> = {
  create: async () => {
    const name = `new-${randomUUID()}`;
    const key = randomUUID();
    return {
      request: () =>
        send('create', 'POST', '/v1/workflows', {
          body: { name, orchestration_nodes: [node(randomUUID())] },
          headers: { 'Idempotency-Key': key },
        }),
      state: organizationWorkflows,
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect([reply.status, reply.body.name, reply.body.version]).toEqual([201, name, 1]),
    };
  },
  stage: async () => {
    const id = await created();
    return {
      request: () => send('update', 'PATCH', `/v1/workflows/${id}`, { id, body: { description: 'staged' } }),
      state: () => partition(id),
      writes: ['UpdateItem'],
      succeeded: (reply) =>
        expect(reply.body).toMatchObject({ description: 'staged', has_pending_changes: true, version: 1 }),
    };
  },
  'PATCH ?deploy=true': async () => {
    const id = await created(1);
    return {
      request: () =>
        send('update', 'PATCH', `/v1/workflows/${id}`, {
          id,
          query: { deploy: 'true' },
          body: { description: 'deployed' },
          headers: { 'Idempotency-Key': randomUUID() },
        }),
      state: () => partition(id),
      writes: ['TransactWriteItems'],
      succeeded: (reply) =>
        expect(reply.body).toMatchObject({ description: 'deployed', has_pending_changes: false, version: 3 }),
    };
  },
  'PUT deploy': async () => {
    const id = await created();
    expect(
      (await send('update', 'PATCH', `/v1/workflows/${id}`, { id, body: { description: 'pending' } }).reply()).status,
    ).toBe(200);
    return {
      request: () => send('deploy', 'PUT', `/v1/workflows/${id}`, { id, headers: { 'Idempotency-Key': randomUUID() } }),
      state: () => partition(id),
      writes: ['TransactWriteItems'],
      succeeded: (reply) =>
        expect(reply.body).toMatchObject({ description: 'pending', has_pending_changes: false, version: 2 }),
    };
  },
  'PUT rollback': async () => {
    const id = await created(2);
    return {
      request: () => send('deploy', 'PUT', `/v1/workflows/${id}`, { id, query: { from_version: '1' } }),
      state: () => partition(id),
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect(reply.body).toMatchObject({ has_pending_changes: false, version: 4 }),
    };
  },
  delete: async () => {
    const id = await created(2);
    return {
      request: () => send('delete', 'DELETE', `/v1/workflows/${id}`, { id }),
      state: () => partition(id),
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect(reply.status).toBe(202),
    };
  },
};

const operations = { 'every operation': undefined, 'the write only': 'writes' } as const;

const cases = Object.keys(scenarios).flatMap((route) =>
  faultKinds.flatMap((kind) =>
    Object.keys(operations).map(
      (where) => [route, kind, where] as [string, UnavailableFaultKind, keyof typeof operations],
    ),
  ),
);

test.each(cases)(
  '%s under %s on %s: 503 with Retry-After, nothing changed, then the same request succeeds',
  async (route, kind, where) => {
    // Prepare
    const scenario = await scenarios[route]();
    const before = await scenario.state();
    const counted = responses503();
    const request = scenario.request();
    dynamo.inject({ kind, ...(operations[where] ? { operations: scenario.writes } : {}) });
    // Act
    const reply = await request.reply();
    dynamo.clear();
    const after = await scenario.state();
    const retried = await request.reply();
    // Assess
    expectFastApi503(reply);
    expect(after).toEqual(before);
    const logged = unavailableLogLines(request.event.requestContext.requestId);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'WARN',
      status: 503,
      dependency: 'DynamoDB',
      awsError: expect.stringMatching(awsErrorOf[kind]),
    });
    expect(responses503()).toBe(counted + 1);
    scenario.succeeded(retried);
  },
);

test.each(faultKinds)(
  'a delete cut by %s after its transaction answers 503; the next one removes every snapshot and answers 202',
  async (kind) => {
    // Prepare
    const id = await created(2);
    const request = send('delete', 'DELETE', `/v1/workflows/${id}`, { id });
    dynamo.inject({ kind, operations: ['BatchWriteItem'] });
    // Act
    const cut = await request.reply();
    dynamo.clear();
    const leftover = await partition(id);
    const finished = await request.reply();
    const again = await request.reply();
    // Assess
    expectFastApi503(cut);
    expect(leftover.map((item) => item.sk).sort()).toEqual([
      'TOMBSTONE',
      'VERSION#000000001',
      'VERSION#000000002',
      'VERSION#000000003',
    ]);
    expect(finished.status).toBe(202);
    expect((await partition(id)).map((item) => item.sk)).toEqual(['TOMBSTONE']);
    expect(again.status).toBe(404);
  },
);
