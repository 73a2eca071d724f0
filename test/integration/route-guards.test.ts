/**
 * Guards every authenticated route shares, checked route by route from the route table
 * (so a new route is covered without a new test): no key is a 401 in the route's
 * dialect, and another organization's resource is a 404.
 */
import { randomUUID } from 'node:crypto';
import { type RouteDefinition, routeList } from '../../functions/routes.js';
import { executorKey, workflowKey } from '../../functions/store/keys.js';
import { invoke, newOrganization, type Organization, rawItem, restEvent } from '../support/api.js';
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

beforeAll(async () => {
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

test("after every route was tried with another organization's key, the owner's items are unchanged", async () => {
  // Assess
  expect(await rawItem(executorKey(owner.organizationId, ids.executor))).toEqual(before.executor);
  expect(await rawItem(workflowKey(owner.organizationId, ids.workflow))).toEqual(before.workflow);
});
