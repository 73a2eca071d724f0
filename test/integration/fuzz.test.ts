/**
 * Properties: no malformed request ever gets a 5xx, and none changes what is stored.
 * Executors: a malformed PATCH (body or headers) leaves the executor and its name claim
 * unchanged by a single byte. Workflows: a malformed PATCH or PUT (body, query string,
 * headers or id) leaves the working copy unchanged and adds no version.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { handler as updateExecutorHandler } from '../../functions/executors/update.js';
import { handler as deployHandler } from '../../functions/workflows/deploy.js';
import { handler as updateWorkflowHandler } from '../../functions/workflows/update.js';
import { executorKey, executorNameKey, workflowKey, workflowVersionKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../support/api.js';
import { notAJsonObject } from '../support/arbitraries.js';
import { createExecutor } from '../support/executors.js';
import { assertFlowkerReply, assertWorkflowReply } from '../support/schemas.js';
import { createWorkflow } from '../support/workflows.js';

describe('executors', () => {
  const knownFields = new Set(['name', 'description', 'baseUrl', 'endpoints', 'authentication', 'metadata']);

  const validBody = (name: string) => ({
    name,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET', timeout: 5 }],
    authentication: { type: 'bearer', config: { token: 'tok' } },
  });

  type Body = ReturnType<typeof validBody> & Record<string, unknown>;

  /** The first endpoint, or a throwaway object once another defect replaced the list. */
  const firstEndpoint = (b: Body): Record<string, unknown> =>
    Array.isArray(b.endpoints) && typeof b.endpoints[0] === 'object' ? b.endpoints[0] : {};
  /** The authentication block, or a throwaway object once another defect removed it. */
  const auth = (b: Body): Record<string, unknown> =>
    b.authentication && typeof b.authentication === 'object' ? b.authentication : {};

  /** Each defect alone makes a body invalid. */
  const defects: fc.Arbitrary<(body: Body) => void>[] = [
    fc
      .constantFrom('name', 'baseUrl', 'endpoints', 'authentication')
      .map((field) => (b: Body) => delete (b as Record<string, unknown>)[field]),
    fc
      .oneof(
        fc.constant(''),
        fc.constant('   '),
        fc.string({ minLength: 101, maxLength: 140 }),
        fc.integer(),
        fc.constant(null),
      )
      .map((v) => (b: Body) => ((b as Record<string, unknown>).name = v)),
    fc
      .oneof(
        fc.string().filter((s) => !/^https?:\/\/[^\s/]/i.test(s)),
        fc.integer(),
        fc.constant('ftp://x.y'),
        fc.constant(`https://x.y/${'a'.repeat(500)}`),
      )
      .map((v) => (b: Body) => ((b as Record<string, unknown>).baseUrl = v)),
    fc
      .oneof(fc.constant([]), fc.constant({}), fc.string())
      .map((v) => (b: Body) => ((b as Record<string, unknown>).endpoints = v)),
    fc
      .string()
      .filter((m) => !['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(m))
      .map((m) => (b: Body) => (firstEndpoint(b).method = m)),
    fc
      .oneof(fc.integer({ max: 0 }), fc.integer({ min: 301 }), fc.double({ noInteger: true }), fc.string())
      .map((t) => (b: Body) => (firstEndpoint(b).timeout = t)),
    fc
      .oneof(fc.constant(''), fc.constant('relative'), fc.string({ minLength: 202, maxLength: 230 }))
      .map((p) => (b: Body) => (firstEndpoint(b).path = p)),
    fc.constant((b: Body) => Array.isArray(b.endpoints) && b.endpoints.push({ ...firstEndpoint(b) } as never)),
    fc
      .string()
      .filter((t) => !['none', 'api_key', 'bearer', 'basic', 'oidc_client_credentials', 'oidc_user'].includes(t))
      .map((t) => (b: Body) => (auth(b).type = t)),
    fc.constant((b: Body) => (auth(b).config = {})),
    fc
      .tuple(
        fc.string({ minLength: 1 }).filter((k) => !knownFields.has(k) && k !== '__proto__'),
        fc.jsonValue(),
      )
      .map(
        ([k, v]) =>
          (b: Body) =>
            ((b as Record<string, unknown>)[k] = v),
      ),
    fc
      .oneof(fc.string(), fc.integer(), fc.array(fc.jsonValue()))
      .map((m) => (b: Body) => ((b as Record<string, unknown>).metadata = m)),
    fc.constant((b: Body) => ((b as Record<string, unknown>).description = 'd'.repeat(501))),
  ];

  const defectiveBody = (name: string) =>
    fc.array(fc.oneof(...defects), { minLength: 1, maxLength: 3 }).map((mutations) => {
      const body = validBody(name) as Body;
      for (const mutate of mutations) mutate(body);
      return JSON.stringify(body);
    });

  test('1,000 malformed requests: never a 5xx, nothing stored changes', async () => {
    // Prepare
    const org = await newOrganization();
    const name = `fuzz-${randomUUID()}`;
    const created = await createExecutor(org, validBody(name));
    const id = created.body.id as string;
    const itemBefore = await rawItem(executorKey(org.organizationId, id));
    const claimBefore = await rawItem(executorNameKey(org.organizationId, name));
    const statuses = new Map<number, number>();

    const request = fc.oneof(
      // A malformed body with a good key.
      fc.record({
        body: fc.oneof(defectiveBody(name), notAJsonObject),
        headers: fc.constant({ 'X-API-Key': org.apiKey }),
        id: fc.constant(id),
      }),
      // A valid body with malformed headers: no key, a wrong key, a stale or garbage If-Match.
      fc.record({
        body: fc.constant(JSON.stringify(validBody(name))),
        headers: fc.oneof(
          fc.constant({}),
          fc.string().map((k) => ({ 'X-API-Key': k })),
          fc
            .oneof(
              fc.string().filter((tag) => !tag.includes('*') && !tag.includes('"1"')),
              fc.integer({ min: 2 }).map((v) => `"${v}"`),
              fc.constant('W/"0"'),
            )
            .map((tag) => ({ 'X-API-Key': org.apiKey, 'If-Match': tag })),
        ),
        id: fc.constant(id),
      }),
      // A valid body at a malformed or foreign id.
      fc.record({
        body: fc.constant(JSON.stringify(validBody(name))),
        headers: fc.constant({ 'X-API-Key': org.apiKey }),
        id: fc.oneof(fc.string(), fc.uuid()),
      }),
    );

    // Act
    await fc.assert(
      fc.asyncProperty(request, async ({ body, headers, id: targetId }) => {
        const reply = await invoke(
          updateExecutorHandler,
          restEvent({
            method: 'PATCH',
            path: `/v1/executors/${targetId}`,
            pathParameters: { id: targetId },
            headers,
            rawBody: body,
          }),
        );
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        // Assess
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
        if (reply.status !== 401) assertFlowkerReply(reply);
        expect(await rawItem(executorKey(org.organizationId, id))).toEqual(itemBefore);
      }),
      { numRuns: 1000 },
    );
    expect(await rawItem(executorNameKey(org.organizationId, name))).toEqual(claimBefore);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 404, 412, 422]));
  });
});

describe('workflows', () => {
  const knownFields = new Set([
    'name',
    'description',
    'orchestration_nodes',
    'task_level_strategies',
    'status',
    'model_provider',
    'llm_credentials',
  ]);

  const validBody = () => ({
    name: 'fuzzed',
    description: 'valid before the defects',
    status: 'ACTIVE',
    model_provider: 'openai',
    orchestration_nodes: [
      { type: 'code', id: 'a', definition: { code: 'x' }, next_node_ids: ['b'] },
      { type: 'code', id: 'b', definition: { code: 'y' }, next_node_ids: [] },
    ],
    task_level_strategies: { retry_strategy: { enabled: true, max_retries: 3 } },
  });

  type Body = Record<string, any>;
  const nodes = (b: Body): Body[] =>
    Array.isArray(b.orchestration_nodes)
      ? b.orchestration_nodes
      : (b.orchestration_nodes = validBody().orchestration_nodes);

  /** Each defect alone makes a body invalid. */
  const defects: fc.Arbitrary<(body: Body) => void>[] = [
    fc
      .tuple(
        fc.string({ minLength: 1 }).filter((k) => !knownFields.has(k) && k !== '__proto__' && !k.includes('~')),
        fc.jsonValue(),
      )
      .map(
        ([k, v]) =>
          (b: Body) =>
            (b[`x_${k}`] = v),
      ),
    fc
      .oneof(
        fc.constant(''),
        fc.constant('  '),
        fc.constant(null),
        fc.integer(),
        fc.string({ minLength: 256, maxLength: 300 }),
      )
      .map((v) => (b: Body) => (b.name = v)),
    fc
      .string()
      .filter((s) => !['DRAFT', 'ACTIVE', 'INACTIVE'].includes(s))
      .map((s) => (b: Body) => (b.status = s)),
    fc
      .string()
      .filter((s) => s !== 'orchestration')
      .map((s) => (b: Body) => (b.type = s)),
    fc.string({ minLength: 1 }).map((s) => (b: Body) => (b.organization_id = `other-${s}`)),
    fc.oneof(fc.string(), fc.integer(), fc.constant({})).map((v) => (b: Body) => (b.orchestration_nodes = v)),
    fc.constant((b: Body) => nodes(b).push({ ...nodes(b)[0] })),
    fc.constant((b: Body) => (nodes(b)[1].next_node_ids = ['a'])),
    fc.string().map((s) => (b: Body) => (nodes(b)[0].next_node_ids = [`missing-${s}`])),
    fc
      .string()
      .filter(
        (t) =>
          ![
            'custom_function',
            'code',
            'agent',
            'orchestration',
            'classifier',
            'wait',
            'action',
            'guardrail',
            'summarizer',
            'send_to_end',
            'node_pointer',
            'parallel',
          ].includes(t),
      )
      .map((t) => (b: Body) => (nodes(b)[0].type = t)),
    fc
      .constantFrom('(', '[a-', '*x', '(?<n>a)(?<n>b)')
      .map((term) => (b: Body) => (nodes(b)[1].condition = { type: 'regex', term })),
    fc
      .oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }))
      .map((n) => (b: Body) => (b.task_level_strategies = { retry_strategy: { max_retries: n } })),
    fc.constant((b: Body) => (b.task_level_strategies = { duplication_prevention: { selectors: [] } })),
    fc.constant((b: Body) => (b.llm_credentials = { name: 'k', value: '********' })),
    fc.constant((b: Body) => (b.llm_credentials = { name: 'k' })),
  ];

  const defectiveBody = fc.array(fc.oneof(...defects), { minLength: 1, maxLength: 3 }).map((mutations) => {
    const body = validBody() as Body;
    for (const mutate of mutations) mutate(body);
    return JSON.stringify(body);
  });

  const notABody = fc.oneof(fc.constant(''), fc.constant('{}'), notAJsonObject);

  const booleanTexts = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 't', 'f', 'y', 'n'];
  const badBoolean = fc.string().filter((s) => !booleanTexts.includes(s.toLowerCase()));
  const anyDeploy = fc.oneof(fc.constant(undefined), fc.constantFrom('true', 'false', 'True', '0'), badBoolean);

  test('1,000 malformed workflow requests: never a 5xx, nothing stored changes', async () => {
    // Prepare
    const org = await newOrganization();
    const created = await createWorkflow(org, validBody());
    const id = created.body.id as string;
    const before = await rawItem(workflowKey(org.organizationId, id));
    const good = JSON.stringify({ description: 'a valid change' });
    const statuses = new Map<number, number>();

    const patch = fc.oneof(
      // A malformed body, with or without deploy.
      fc.record({
        body: fc.oneof(defectiveBody, notABody),
        deploy: anyDeploy,
        headers: fc.constant({ 'x-api-key': org.apiKey }),
        id: fc.constant(id),
      }),
      // A valid body with a malformed deploy flag.
      fc.record({
        body: fc.constant(good),
        deploy: badBoolean,
        headers: fc.constant({ 'x-api-key': org.apiKey }),
        id: fc.constant(id),
      }),
      // A valid body with bad headers: no key, a wrong key, a stale or garbage If-Match.
      fc.record({
        body: fc.constant(good),
        deploy: anyDeploy,
        headers: fc.oneof(
          fc.constant({}),
          fc.string().map((k) => ({ 'x-api-key': k })),
          fc
            .oneof(
              fc.string().filter((tag) => !tag.includes('*') && !tag.includes('"1"')),
              fc.integer({ min: 2 }).map((v) => `"${v}"`),
            )
            .map((tag) => ({ 'x-api-key': org.apiKey, 'if-match': tag })),
        ),
        id: fc.constant(id),
      }),
      // A valid body at a malformed or foreign id.
      fc.record({
        body: fc.constant(good),
        deploy: anyDeploy,
        headers: fc.constant({ 'x-api-key': org.apiKey }),
        id: fc.oneof(fc.string(), fc.uuid()),
      }),
    );
    const put = fc.record({
      fromVersion: fc.oneof(
        fc.string().filter((s) => !/^[1-9][0-9]{0,8}$/.test(s)),
        fc.integer({ min: 2, max: 1e6 }).map(String),
      ),
      headers: fc.constant({ 'x-api-key': org.apiKey }),
    });

    // Act
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: patch, weight: 4 }, { arbitrary: put, weight: 1 }), async (request) => {
        const reply =
          'body' in request
            ? await invoke(
                updateWorkflowHandler,
                restEvent({
                  method: 'PATCH',
                  path: `/v1/workflows/${request.id}`,
                  pathParameters: { workflow_id: request.id },
                  query: request.deploy === undefined ? {} : { deploy: request.deploy },
                  headers: request.headers,
                  rawBody: request.body,
                }),
              )
            : await invoke(
                deployHandler,
                restEvent({
                  method: 'PUT',
                  path: `/v1/workflows/${id}`,
                  pathParameters: { workflow_id: id },
                  query: { from_version: request.fromVersion },
                  headers: request.headers,
                }),
              );
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        // Assess
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
        assertWorkflowReply(reply);
        expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
      }),
      { numRuns: 1000 },
    );
    expect(await rawItem(workflowVersionKey(org.organizationId, id, 2))).toBeUndefined();
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([401, 404, 412, 422]));
  });
});
