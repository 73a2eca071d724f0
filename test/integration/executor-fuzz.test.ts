/**
 * Property: no malformed PATCH (body or headers) ever gets a 5xx, and none changes the
 * stored executor or its name claim by a single byte.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { executorKey, executorNameKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../support/api.js';
import { notAJsonObject } from '../support/arbitraries.js';
import { assertFlowkerReply } from '../support/schemas.js';

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
  Array.isArray(b.endpoints) && typeof b.endpoints[0] === 'object' ? (b.endpoints[0] as Record<string, unknown>) : {};
/** The authentication block, or a throwaway object once another defect removed it. */
const auth = (b: Body): Record<string, unknown> =>
  b.authentication && typeof b.authentication === 'object' ? (b.authentication as Record<string, unknown>) : {};

/** Each defect alone makes a body invalid. */
const defects: fc.Arbitrary<(body: Body) => void>[] = [
  fc.constantFrom('name', 'baseUrl', 'endpoints', 'authentication').map((field) => (b: Body) => delete (b as Record<string, unknown>)[field]),
  fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ minLength: 101, maxLength: 140 }), fc.integer(), fc.constant(null)).map((v) => (b: Body) => ((b as Record<string, unknown>).name = v)),
  fc.oneof(fc.string().filter((s) => !/^https?:\/\/[^\s/]/i.test(s)), fc.integer(), fc.constant('ftp://x.y'), fc.constant(`https://x.y/${'a'.repeat(500)}`)).map((v) => (b: Body) => ((b as Record<string, unknown>).baseUrl = v)),
  fc.oneof(fc.constant([]), fc.constant({}), fc.string()).map((v) => (b: Body) => ((b as Record<string, unknown>).endpoints = v)),
  fc.string().filter((m) => !['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(m)).map((m) => (b: Body) => (firstEndpoint(b).method = m)),
  fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 301 }), fc.double({ noInteger: true }), fc.string()).map((t) => (b: Body) => (firstEndpoint(b).timeout = t)),
  fc.oneof(fc.constant(''), fc.constant('relative'), fc.string({ minLength: 202, maxLength: 230 })).map((p) => (b: Body) => (firstEndpoint(b).path = p)),
  fc.constant((b: Body) => Array.isArray(b.endpoints) && b.endpoints.push({ ...firstEndpoint(b) } as never)),
  fc.string().filter((t) => !['none', 'api_key', 'bearer', 'basic', 'oidc_client_credentials', 'oidc_user'].includes(t)).map((t) => (b: Body) => (auth(b).type = t)),
  fc.constant((b: Body) => (auth(b).config = {})),
  fc.tuple(fc.string({ minLength: 1 }).filter((k) => !knownFields.has(k) && k !== '__proto__'), fc.jsonValue()).map(([k, v]) => (b: Body) => ((b as Record<string, unknown>)[k] = v)),
  fc.oneof(fc.string(), fc.integer(), fc.array(fc.jsonValue())).map((m) => (b: Body) => ((b as Record<string, unknown>).metadata = m)),
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
  const created = await invoke(createHandler, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': org.apiKey }, body: validBody(name) }));
  const id = created.body.id as string;
  const itemBefore = await rawItem(executorKey(org.organizationId, id));
  const claimBefore = await rawItem(executorNameKey(org.organizationId, name));
  const statuses = new Map<number, number>();

  const request = fc.oneof(
    // A malformed body with a good key.
    fc.record({ body: fc.oneof(defectiveBody(name), notAJsonObject), headers: fc.constant({ 'X-API-Key': org.apiKey }), id: fc.constant(id) }),
    // A valid body with malformed headers: no key, a wrong key, a stale or garbage If-Match.
    fc.record({
      body: fc.constant(JSON.stringify(validBody(name))),
      headers: fc.oneof(
        fc.constant({}),
        fc.string().map((k) => ({ 'X-API-Key': k })),
        fc.oneof(fc.string().filter((tag) => !tag.includes('*') && !tag.includes('"1"')), fc.integer({ min: 2 }).map((v) => `"${v}"`), fc.constant('W/"0"')).map((tag) => ({ 'X-API-Key': org.apiKey, 'If-Match': tag })),
      ),
      id: fc.constant(id),
    }),
    // A valid body at a malformed or foreign id.
    fc.record({ body: fc.constant(JSON.stringify(validBody(name))), headers: fc.constant({ 'X-API-Key': org.apiKey }), id: fc.oneof(fc.string(), fc.uuid()) }),
  );

  // Act
  await fc.assert(
    fc.asyncProperty(request, async ({ body, headers, id: targetId }) => {
      const reply = await invoke(updateHandler, restEvent({ method: 'PATCH', path: `/v1/executors/${targetId}`, pathParameters: { id: targetId }, headers, rawBody: body }));
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
