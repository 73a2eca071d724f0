/**
 * Every executor write route under every DynamoDB fault (throttling, 500s, 503s, a hung
 * connection, a dropped connection), on every operation or only on the route's write:
 * a 503 in Flowker's shape with Retry-After, one log line naming the AWS error and the
 * request, one `Responses503`; every item it could have touched byte-identical (the
 * executor, its name claims, its tombstone); and once the fault clears, the very same
 * request succeeds.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  awsErrorOf,
  expectFlowker503,
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
const handlers: Record<string, Handler> = {};
let org: { organizationId: string; apiKey: string };
let target: Server;
let targetUrl: string;

beforeAll(async () => {
  api = await import('../../support/api.js');
  keys = await import('../../../functions/store/keys.js');
  for (const name of ['create', 'update', 'delete', 'test', 'activate', 'disable', 'enable']) {
    handlers[name] = (await import(`../../../functions/executors/${name}.js`)).handler;
  }
  org = await api.newOrganization();
  // A reachable executor for the connectivity test.
  target = createServer((_req, res) => res.end('{"ok":true}'));
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  process.env.ALLOW_PRIVATE_TARGETS = 'true';
});

afterAll(async () => {
  delete process.env.ALLOW_PRIVATE_TARGETS;
  await new Promise((resolve) => target.close(resolve));
});

const config = (name: string, description = 'd') => ({
  name,
  description,
  baseUrl: targetUrl,
  endpoints: [{ name: 'probe', path: '/probe', method: 'POST', timeout: 2 }],
  authentication: { type: 'bearer', config: { token: 'tok-123' } },
});

const headers = () => ({ 'X-API-Key': org.apiKey });

function send(
  name: string,
  method: string,
  path: string,
  extra: { id?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const event = api.restEvent({
    method,
    path,
    ...(extra.id ? { pathParameters: { id: extra.id } } : {}),
    headers: { ...headers(), ...extra.headers },
    ...(extra.body === undefined ? {} : { body: extra.body }),
  });
  return { event, reply: () => api.invoke(handlers[name], event) };
}

async function created(status: 'unconfigured' | 'configured' | 'tested' | 'active' | 'disabled' = 'configured') {
  const name = `f-${randomUUID()}`;
  const { reply } = send('create', 'POST', '/v1/executors', {
    body: status === 'unconfigured' ? { name } : config(name),
  });
  const { body } = await reply();
  const id = body.id as string;
  const steps: Record<string, string[]> = {
    unconfigured: [],
    configured: [],
    tested: ['test'],
    active: ['test', 'activate'],
    disabled: ['test', 'activate', 'disable'],
  };
  for (const step of steps[status])
    expect((await send(step, 'POST', `/v1/executors/${id}/${step}`, { id }).reply()).status).toBe(200);
  return { id, name };
}

/** What a scenario prepares: the request to fault, the items it could touch, and what success looks like. */
interface Scenario {
  request: () => { event: any; reply: () => Promise<Reply> };
  items: { pk: string; sk: string }[];
  /** The operations its writes use: the "write only" fault takes just these. */
  writes: string[];
  succeeded: (reply: Reply) => void;
}

const scenarios: Record<string, () => Promise<Scenario>> = {
  create: async () => {
    const name = `new-${randomUUID()}`;
    const idempotencyKey = randomUUID();
    return {
      request: () =>
        send('create', 'POST', '/v1/executors', { body: config(name), headers: { 'Idempotency-Key': idempotencyKey } }),
      items: [keys.executorNameKey(org.organizationId, name)],
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect(reply.status).toBe(201),
    };
  },
  update: async () => {
    const { id, name } = await created('configured');
    return {
      request: () => send('update', 'PATCH', `/v1/executors/${id}`, { id, body: config(name, 'changed') }),
      items: [keys.executorKey(org.organizationId, id), keys.executorNameKey(org.organizationId, name)],
      writes: ['UpdateItem'],
      succeeded: (reply) =>
        expect([reply.status, reply.body.description, reply.headers.etag]).toEqual([200, 'changed', '"2"']),
    };
  },
  rename: async () => {
    const { id, name } = await created('configured');
    const renamed = `${name}-renamed`;
    return {
      request: () => send('update', 'PATCH', `/v1/executors/${id}`, { id, body: config(renamed) }),
      items: [
        keys.executorKey(org.organizationId, id),
        keys.executorNameKey(org.organizationId, name),
        keys.executorNameKey(org.organizationId, renamed),
      ],
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect(reply.body.name).toBe(renamed),
    };
  },
  delete: async () => {
    const { id, name } = await created('configured');
    return {
      request: () => send('delete', 'DELETE', `/v1/executors/${id}`, { id }),
      items: [
        keys.executorKey(org.organizationId, id),
        keys.executorNameKey(org.organizationId, name),
        keys.executorTombstoneKey(org.organizationId, id),
      ],
      writes: ['TransactWriteItems'],
      succeeded: (reply) => expect(reply.status).toBe(204),
    };
  },
  test: async () => {
    const { id } = await created('configured');
    return {
      request: () =>
        send('test', 'POST', `/v1/executors/${id}/test`, { id, headers: { 'Idempotency-Key': randomUUID() } }),
      items: [keys.executorKey(org.organizationId, id)],
      writes: ['UpdateItem'],
      succeeded: (reply) => expect(reply.body).toMatchObject({ overall: 'passed', status: 'tested' }),
    };
  },
  activate: async () => {
    const { id } = await created('tested');
    return {
      request: () => send('activate', 'POST', `/v1/executors/${id}/activate`, { id }),
      items: [keys.executorKey(org.organizationId, id)],
      writes: ['UpdateItem'],
      succeeded: (reply) => expect(reply.body.status).toBe('active'),
    };
  },
  disable: async () => {
    const { id } = await created('active');
    return {
      request: () => send('disable', 'POST', `/v1/executors/${id}/disable`, { id }),
      items: [keys.executorKey(org.organizationId, id)],
      writes: ['UpdateItem'],
      succeeded: (reply) => expect(reply.body.status).toBe('disabled'),
    };
  },
  enable: async () => {
    const { id } = await created('disabled');
    return {
      request: () => send('enable', 'POST', `/v1/executors/${id}/enable`, { id }),
      items: [keys.executorKey(org.organizationId, id)],
      writes: ['UpdateItem'],
      succeeded: (reply) => expect(reply.body.status).toBe('active'),
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
    const before = await Promise.all(scenario.items.map((key) => api.rawItem(key)));
    const counted = responses503();
    const request = scenario.request();
    dynamo.inject({ kind, ...(operations[where] ? { operations: scenario.writes } : {}) });
    // Act
    const reply = await request.reply();
    dynamo.clear();
    const after = await Promise.all(scenario.items.map((key) => api.rawItem(key)));
    const retried = await request.reply();
    // Assess
    expectFlowker503(reply);
    expect(after).toEqual(before);
    const logged = unavailableLogLines(request.event.requestContext.requestId);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'WARN',
      status: 503,
      dependency: 'DynamoDB',
      awsError: expect.stringMatching(awsErrorOf[kind]),
      requestId: expect.any(String),
    });
    expect(responses503()).toBe(counted + 1);
    scenario.succeeded(retried);
  },
);
