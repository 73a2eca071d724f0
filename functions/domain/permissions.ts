/**
 * Who may do what, as values: the one list of permission names a route can need, a key can
 * be given and a token can carry, and the actor a write records (who did it, under which
 * permission). The route table says which permission each route needs (functions/routes.ts).
 */

/**
 * Every permission, in the order `list` and the docs show them. A write never implies a deploy:
 * `workflows:deploy` is its own, and so is `executors:test` (it calls the executor's service).
 */
export const permissions = [
  'executors:read',
  'executors:write',
  'executors:test',
  'workflows:read',
  'workflows:write',
  'workflows:deploy',
  'audit:read',
] as const;

export type Permission = (typeof permissions)[number];

const known: ReadonlySet<string> = new Set(permissions);

/** Whether a text names a permission. */
export function isPermission(name: string): name is Permission {
  return known.has(name);
}

/**
 * A list of permission names as a user writes it (`workflows:read,workflows:deploy`, commas
 * or spaces): the permissions it names, and the names it holds that are none.
 */
export function parsePermissionList(text: string): { permissions: Permission[]; unknown: string[] } {
  const names = text.split(/[\s,]+/).filter((name) => name !== '');
  return {
    permissions: permissions.filter((permission) => names.includes(permission)),
    unknown: [...new Set(names.filter((name) => !isPermission(name)))],
  };
}

/**
 * The permissions a stored list grants: a list written before permissions existed (no list at
 * all) grants every one, as such a key could do everything; names this release does not know
 * grant nothing.
 */
export function grantedPermissions(stored: unknown): ReadonlySet<Permission> {
  if (stored === undefined || stored === null) return new Set(permissions);
  const names: unknown[] = Array.isArray(stored) ? stored : [];
  return new Set(names.filter((name): name is Permission => typeof name === 'string' && isPermission(name)));
}

/**
 * Which credential made a change and under which permission: what an item keeps of its last
 * writer beside its name (`authorizedBy`), and audit entries and domain events repeat.
 */
export interface Authorization {
  /** `apikey:<key prefix>`, `oidc:<issuer>#<subject>`, or a command's source (`lambda:invoke`, `events:<source>`, `sqs`). */
  principal: string;
  /** The permission the request was allowed by: the route's, or the narrower one a flag asked for (deploy). */
  permission: Permission;
}

/**
 * Who made a change: what items, audit entries and domain events record of the caller. `name`
 * is what earlier releases recorded alone (`updatedBy`: an API key's name, now also a token's
 * subject, or a command's actor or source); the rest says which credential, stable and never
 * secret, and under which permission.
 */
export interface Actor extends Authorization {
  /** An API key's name, a token's subject, or a command's actor (its source when it names none). */
  name: string;
}

/** The authorization an item keeps of an actor. */
export function authorizationOf(actor: Actor): Authorization {
  return { principal: actor.principal, permission: actor.permission };
}
