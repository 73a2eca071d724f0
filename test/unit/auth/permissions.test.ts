/**
 * Authorization by the route table: what each route needs (a query flag can add a permission),
 * the 403 naming the first one missing, and the actor a request records.
 */
import { authorize, neededPermissions } from '../../../functions/auth/permissions.js';
import { type Permission, permissions } from '../../../functions/domain/permissions.js';
import { ForbiddenError } from '../../../functions/errors.js';
import type { Principal } from '../../../functions/pipeline/command.js';
import { deployWorkflow, getExecutor, health, routeList, updateWorkflow } from '../../../functions/routes.js';

const principal = (granted: readonly Permission[]): Principal => ({
  organizationId: 'org-1',
  id: 'apikey:fp_AbCdEfG',
  name: 'ci',
  permissions: new Set(granted),
});

test('every authenticated route names a permission of the list, and the public one none', () => {
  // Act / Assess
  for (const route of routeList) {
    const needed = neededPermissions(route, { deploy: true });
    expect([route.operationId, needed.length > 0]).toEqual([route.operationId, route.authenticated]);
    for (const permission of needed) expect(permissions).toContain(permission);
  }
  expect(neededPermissions(health)).toEqual([]);
});

test('PATCH /v1/workflows/{id} needs workflows:write, and workflows:deploy too only when deploy is true', () => {
  // Act / Assess
  expect(neededPermissions(updateWorkflow)).toEqual(['workflows:write']);
  expect(neededPermissions(updateWorkflow, { deploy: false })).toEqual(['workflows:write']);
  expect(neededPermissions(updateWorkflow, { deploy: 'true' })).toEqual(['workflows:write']);
  expect(neededPermissions(updateWorkflow, { deploy: true })).toEqual(['workflows:write', 'workflows:deploy']);
  expect(neededPermissions(deployWorkflow, { deploy: true })).toEqual(['workflows:deploy']);
});

test('the actor a request records: the principal, with the narrowest permission it was let in by', () => {
  // Act / Assess
  expect(authorize(getExecutor, principal(['executors:read']))).toEqual({
    name: 'ci',
    principal: 'apikey:fp_AbCdEfG',
    permission: 'executors:read',
  });
  expect(authorize(updateWorkflow, principal(['workflows:write', 'workflows:deploy']), { deploy: true })).toEqual({
    name: 'ci',
    principal: 'apikey:fp_AbCdEfG',
    permission: 'workflows:deploy',
  });
});

test.each([
  [getExecutor, ['executors:write', 'workflows:read'], {}, 'executors:read'],
  [updateWorkflow, ['workflows:deploy'], { deploy: true }, 'workflows:write'],
  [updateWorkflow, ['workflows:write'], { deploy: true }, 'workflows:deploy'],
  [deployWorkflow, ['workflows:write'], {}, 'workflows:deploy'],
] as const)(
  '%#: a principal missing a permission is refused with a ForbiddenError naming it',
  (route, granted, query, missing) => {
    // Act / Assess
    expect(() => authorize(route, principal(granted), query)).toThrow(new ForbiddenError(missing));
  },
);
