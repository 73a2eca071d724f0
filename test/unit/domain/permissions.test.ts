/**
 * Permissions as values: the one list, a list as a user writes it, what a stored list grants
 * (a key of an earlier release, without one, may do everything), and the authorization an item keeps.
 */
import {
  authorizationOf,
  grantedPermissions,
  parsePermissionList,
  permissions,
} from '../../../functions/domain/permissions.js';

test('the permissions are the seven the issue names, a deploy apart from a write', () => {
  // Act / Assess
  expect(permissions).toEqual([
    'executors:read',
    'executors:write',
    'executors:test',
    'workflows:read',
    'workflows:write',
    'workflows:deploy',
    'audit:read',
  ]);
});

test.each([
  ['workflows:read,workflows:deploy', ['workflows:read', 'workflows:deploy'], []],
  [' audit:read  executors:read ,', ['executors:read', 'audit:read'], []],
  ['workflows:deploy,workflows:deploy', ['workflows:deploy'], []],
  ['workflows:admin,audit:read,root', ['audit:read'], ['workflows:admin', 'root']],
  ['', [], []],
])('%p names %p and leaves %p unknown', (text, named, unknown) => {
  // Act / Assess
  expect(parsePermissionList(text)).toEqual({ permissions: named, unknown });
});

test('a key stored without permissions (an earlier release) may do everything; a stored list grants what it names', () => {
  // Act / Assess
  expect([...grantedPermissions(undefined)]).toEqual([...permissions]);
  expect([...grantedPermissions(null)]).toEqual([...permissions]);
  expect([...grantedPermissions(['audit:read'])]).toEqual(['audit:read']);
  expect([...grantedPermissions([])]).toEqual([]);
  // A name a later release may add, or anything that is no list of names, grants nothing here.
  expect([...grantedPermissions(['workflows:admin', 7, 'executors:read'])]).toEqual(['executors:read']);
  expect([...grantedPermissions('executors:read')]).toEqual([]);
});

test('an item keeps the principal and the permission of its actor, not its name', () => {
  // Act / Assess
  expect(authorizationOf({ name: 'ci', principal: 'apikey:fp_AbCdEfG', permission: 'workflows:deploy' })).toEqual({
    principal: 'apikey:fp_AbCdEfG',
    permission: 'workflows:deploy',
  });
});
