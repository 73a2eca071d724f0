/**
 * The OpenAPI 3.1 document, derived from the route table and the schemas each route
 * names. Nothing here lists an endpoint: a route added to the table appears here.
 */
import { type JsonSchema, type RouteDefinition, routeList } from './routes.js';

type Schema = Record<string, unknown>;

/**
 * Copies a schema for OpenAPI: nested schemas with an `$id` move to
 * `components/schemas` and are referenced; Ajv-only keywords are kept as plain
 * keywords OpenAPI 3.1 (JSON Schema 2020-12) accepts.
 */
function toComponent(schema: unknown, components: Record<string, Schema>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toComponent(item, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const { $id, ...rest } = schema as Schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    copy[key] = key === 'enum' || key === 'example' || key === 'default' ? value : toComponent(value, components);
  }
  if (typeof $id === 'string') {
    components[$id] ??= copy;
    return { $ref: `#/components/schemas/${$id}` };
  }
  return copy;
}

function parametersOf(route: RouteDefinition, components: Record<string, Schema>) {
  const parameters: Schema[] = [];
  const add = (where: 'path' | 'query', schema: JsonSchema | undefined) => {
    if (!schema) return;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: toComponent(rest, components),
      });
    }
  };
  add('path', route.request.params);
  add('query', route.request.query);
  return parameters;
}

/** Builds the document; `serverUrl` names where the API is served. */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const components: Record<string, Schema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeList) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: toComponent(response.schema, components) } } } : {}),
      };
    }
    const parameters = parametersOf(route, components);
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.request.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toComponent(route.request.body, components) } } } }
        : {}),
      responses,
      security: route.authenticated ? [{ ApiKeyAuth: [] }] : [],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'flowplane',
      version: '0.1.0',
      description:
        'Serverless control plane for workflow orchestration: executor configurations (Flowker contract) and workflows (xpander contract).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Per-organization API key (any header letter case).' },
      },
    },
  };
}
