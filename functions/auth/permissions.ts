/**
 * Authorization: whether a principal may run a route, by the permission the route table
 * names for it (functions/routes.ts). The organization is not decided here: it is in every
 * key a use case reads, so another organization's resource stays a 404.
 */
import type { Actor, Permission } from '../domain/permissions.js';
import { ForbiddenError } from '../errors.js';
import type { Principal } from '../pipeline/command.js';
import type { RouteDefinition } from '../pipeline/route.js';

/**
 * The permissions a request to the route needs, the narrowest last: the route's own, then the
 * one each boolean query flag that is true adds (`deploy=true`). `query` holds typed values
 * (functions/pipeline/pipeline.ts); before they are typed, pass none to get the route's own.
 */
export function neededPermissions(route: RouteDefinition, query: Record<string, unknown> = {}): Permission[] {
  const { permission } = route;
  if (permission === undefined) return [];
  if (typeof permission === 'string') return [permission];
  const added = Object.entries(permission.whenTrue).filter(([flag]) => query[flag] === true);
  return [permission.always, ...added.map(([, needed]) => needed)];
}

/**
 * The actor a request records, once the principal holds every permission it needs; throws
 * `ForbiddenError` naming the first one missing.
 */
export function authorize(route: RouteDefinition, principal: Principal, query: Record<string, unknown> = {}): Actor {
  const needed = neededPermissions(route, query);
  const missing = needed.find((permission) => !principal.permissions.has(permission));
  if (missing !== undefined) throw new ForbiddenError(missing);
  if (needed.length === 0) throw new Error(`${route.operationId} names no permission (functions/routes.ts)`);
  return { name: principal.name, principal: principal.id, permission: needed[needed.length - 1] };
}
