/**
 * Guards every authenticated route shares, checked route by route from the route table
 * (so a new route is covered without a new test): no key is a 401 in the route's
 * dialect; a key or a token without a permission the route needs (its own, and `workflows:deploy`
 * where the request deploys by default) is a 403 naming it, and one holding those permissions
 * alone gets past the guard; another organization's resource is a 404.
 */
import { randomUUID } from 'node:crypto';
import { neededPermissions } from '../../functions/auth/permissions.js';
import { permissions } from '../../functions/domain/permissions.js';
import { type RouteDefinition, routeList } from '../../functions/routes.js';
import { createApiKey } from '../../functions/store/api-keys.js';
import { executorKey, workflowKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, type Organization, rawItem, restEvent } from '../support/api.js';
import { startTestIssuer, type TestIssuer, useIssuer } from '../support/oidc-issuer.js';
import { createExecutor } from '../support/executors.js';
import { createWorkflow } from '../support/workflows.js';

type Handler = Parameters<typeof invoke>[0];

async function handlerOf(route: RouteDefinition): Promise<Handler> {
  const module = (await import(`../../${route.entry.replace(/\.ts$/, '.js')}`)) as { handler: Handler };
  return module.handler;
}

function eventFor(
  route: RouteDefinition,
  ids: { executor: string; workflow: string },
  headers: Record<string, string>,
) {
  // Each placeholder names the owner's resource it stands for; one the table adds without a line here fails loudly.
  const valueOf = (param: string) => {
    if (param === 'id') return route.path.startsWith('/v1/audit-events') ? `${ids.executor}.1` : ids.executor;
    if (param === 'workflow_id' || param === 'agent_id') return ids.workflow;
    if (param === 'node_id') return 'start';
    throw new Error(`${route.operationId}: say which resource {${param}} names`);
  };
  const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, param]) => [param, valueOf(param)]));
  const path = route.path.replace(/\{(\w+)\}/g, (_placeholder, param: string) => params[param]);
  const query = route.path === '/v1/audit-events' ? { resourceId: ids.executor } : undefined;
  const body = route.request.body
    ? route.contract.name === 'fastapi'
      ? { name: 'x', ...(route.path.endsWith('/nodes') ? { agent_id: 'agent-x' } : {}) }
      : {
          name: 'x',
          baseUrl: 'https://a.example',
          endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
          authentication: { type: 'none' },
        }
    : undefined;
  return restEvent({ method: route.method, path, pathParameters: params, query, headers, body });
}

const authenticated = routeList.filter((route) => route.authenticated);

let owner: Organization;
let stranger: Organization;
let ids: { executor: string; workflow: string };
let before: { executor: unknown; workflow: unknown };
let issuer: TestIssuer;
let restoreIssuer: () => void;

beforeAll(async () => {
  issuer = await startTestIssuer();
  restoreIssuer = useIssuer(issuer);
  owner = await newOrganization();
  stranger = await newOrganization();
  const executor = await createExecutor(owner, { name: `guard-${randomUUID()}` });
  const workflow = await createWorkflow(owner, { name: 'guarded' });
  ids = { executor: executor.body.id, workflow: workflow.body.id };
  before = {
    executor: await rawItem(executorKey(owner.organizationId, ids.executor)),
    workflow: await rawItem(workflowKey(owner.organizationId, ids.workflow)),
  };
});

afterAll(async () => {
  restoreIssuer();
  await issuer.close();
});

test.each(authenticated.map((route) => [route.operationId, route] as const))(
  '%s: no key or an unknown key is a 401 in its dialect',
  async (_name, route) => {
    // Prepare
    const handler = await handlerOf(route);
    for (const headers of [{}, { 'x-api-key': `fp_${randomUUID()}` }] as Record<string, string>[]) {
      // Act
      const reply = await invoke(handler, eventFor(route, ids, headers));
      // Assess
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(
        route.contract.name === 'fastapi'
          ? { detail: 'API Key missing or invalid' }
          : { code: 'UNAUTHORIZED', title: 'Unauthorized', message: 'API Key missing or invalid' },
      );
    }
  },
);

/**
 * The permissions the guard request of a route needs: the route's own, and the one a query flag adds when the flag
 * is true by default (the node routes deploy unless `deploy=false`), since that request sends no query.
 */
function permissionsNeeded(route: RouteDefinition) {
  const flags = (route.request.query?.properties ?? {}) as Record<string, { default?: unknown }>;
  const defaults = Object.fromEntries(
    Object.entries(flags).flatMap(([flag, schema]) => (schema.default === 'true' ? [[flag, true]] : [])),
  );
  return neededPermissions(route, defaults);
}

test.each(authenticated.map((route) => [route.operationId, route] as const))(
  '%s: a key or a token without a permission it needs is a 403 naming it in its dialect; with those permissions alone it gets past',
  async (_name, route) => {
    // Prepare
    const handler = await handlerOf(route);
    const needed = permissionsNeeded(route);
    const lacking = await Promise.all(
      needed.map(async (missing) => {
        const allBut = permissions.filter((permission) => permission !== missing);
        const { apiKey } = await createApiKey({
          organizationId: owner.organizationId,
          name: 'without',
          permissions: allBut,
        });
        return { missing, apiKey, token: await issuer.tokenFor(owner.organizationId, allBut) };
      }),
    );
    // Another organization's key and token: what gets past the guard reaches nothing of the owner's.
    const { apiKey: keyWith } = await createApiKey({
      organizationId: stranger.organizationId,
      name: 'with',
      permissions: needed,
    });
    const tokenWith = await issuer.tokenFor(stranger.organizationId, needed);
    const forbidden = (missing: string) =>
      route.contract.name === 'fastapi'
        ? { detail: `Missing permission ${missing}` }
        : { code: 'FORBIDDEN', title: 'Forbidden', message: `Missing permission ${missing}` };
    // Act
    const refused = [];
    for (const { missing, apiKey, token } of lacking) {
      refused.push({ missing, reply: await invoke(handler, eventFor(route, ids, { 'x-api-key': apiKey })) });
      refused.push({
        missing,
        reply: await invoke(handler, eventFor(route, ids, { authorization: `Bearer ${token}` })),
      });
    }
    const admitted = [
      await invoke(handler, eventFor(route, ids, { 'x-api-key': keyWith })),
      await invoke(handler, eventFor(route, ids, { authorization: `Bearer ${tokenWith}` })),
    ];
    // Assess
    expect(needed.length).toBeGreaterThan(0);
    for (const { missing, reply } of refused) expect([reply.status, reply.body]).toEqual([403, forbidden(missing)]);
    for (const reply of admitted) expect([401, 403]).not.toContain(reply.status);
  },
);

const byId = authenticated.filter((route) => route.path.includes('{') && !route.path.startsWith('/v1/audit-events'));

test.each(byId.map((route) => [route.operationId, route] as const))(
  "%s: another organization's resource is a 404",
  async (_name, route) => {
    // Prepare
    const handler = await handlerOf(route);
    // Act
    const reply = await invoke(handler, eventFor(route, ids, { 'x-api-key': stranger.apiKey }));
    // Assess
    expect(reply.status).toBe(404);
  },
);

test("after every route was tried with another organization's key and with the owner's keys and tokens lacking its permission, the owner's items are unchanged", async () => {
  // Assess
  expect(await rawItem(executorKey(owner.organizationId, ids.executor))).toEqual(before.executor);
  expect(await rawItem(workflowKey(owner.organizationId, ids.workflow))).toEqual(before.workflow);
});
