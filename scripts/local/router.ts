/**
 * Picks the route for a request the way API Gateway picks a resource: the path template
 * decides, and a literal segment beats a `{param}` in the same place (so a later
 * `/v1/workflows/search` would win over `/v1/workflows/{id}`); then the method.
 */
import type { HttpMethod, RouteDefinition } from '../../functions/pipeline/route.js';

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: HttpMethod[] }
  | { kind: 'not-found' };

interface Resource {
  /** A literal segment, or `{ param }` for a placeholder. */
  segments: (string | { param: string })[];
  methods: Map<string, RouteDefinition>;
}

/** A path parameter as API Gateway's REST API passes it: percent-decoded when that is possible. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function bySpecificity(a: Resource, b: Resource): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const literalA = typeof a.segments[i] === 'string';
    if (literalA !== (typeof b.segments[i] === 'string')) return literalA ? -1 : 1;
  }
  return 0;
}

/** A matcher over the route table: `(method, pathname)` → the route and its path parameters. */
export function createRouter(routes: readonly RouteDefinition[]): (method: string, pathname: string) => RouteMatch {
  const resources = new Map<string, Resource>();
  for (const route of routes) {
    const resource = resources.get(route.path) ?? {
      segments: route.path.split('/').map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        return param ? { param: param[1] } : segment;
      }),
      methods: new Map(),
    };
    resource.methods.set(route.method, route);
    resources.set(route.path, resource);
  }
  const ordered = [...resources.values()].sort(bySpecificity);

  return (method, pathname) => {
    const segments = pathname.split('/');
    for (const resource of ordered) {
      if (resource.segments.length !== segments.length) continue;
      const pathParameters: Record<string, string> = {};
      const matches = resource.segments.every((template, i) => {
        if (typeof template === 'string') return template === segments[i];
        if (segments[i] === '') return false;
        pathParameters[template.param] = decodeSegment(segments[i]);
        return true;
      });
      if (!matches) continue;
      const route = resource.methods.get(method);
      if (!route) return { kind: 'method-not-allowed', allow: [...resource.methods.keys()] as HttpMethod[] };
      return { kind: 'route', route, pathParameters };
    }
    return { kind: 'not-found' };
  };
}
