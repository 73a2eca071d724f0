/**
 * The OpenAPI 3.1 document, derived from the route table and the schemas each route
 * names: nothing here lists an endpoint, so a route added to the table appears here.
 *
 * The schemas are written for Ajv (JSON Schema draft-07 plus `example`). Each schema with
 * an `$id` becomes `components/schemas/<$id>` and is referenced from wherever it is used;
 * where draft-07 or Ajv differ from OpenAPI 3.1's JSON Schema 2020-12 the copy is
 * rewritten (`nullable`, tuple `items`, `dependencies`, `definitions`, `$ref` by `$id`),
 * so the document means what the validators check.
 */
import { queryPageSizePattern } from '../schemas/formats.js';
import { requestSchemas } from '../schemas/index.js';
import type { JsonSchema, RouteDefinition } from './pipeline/route.js';
import { routeList } from './routes.js';

type Schema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: unknown;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; required: true; content: { 'application/json': { schema: unknown } } };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, { description: string; schema: unknown }>;
      content?: { 'application/json': { schema: unknown } };
    }
  >;
  security: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: 'apiKey'; in: 'header'; name: string; description: string }>;
  };
}

/** Keywords whose value is one schema. */
const schemaKeywords = new Set([
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords whose value is a list of schemas. */
const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const schemaMapKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const componentName = /^[A-Za-z0-9._-]+$/;

function isSchemaObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mapValues(value: unknown, map: (item: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(value as Schema).map(([name, item]) => [name, map(item)]));
}

/**
 * Every schema with an `$id` reachable from `roots`, by `$id`. Only schema positions are
 * searched, so an `example` that happens to hold an `$id` key is not mistaken for one.
 */
function collectIdentifiedSchemas(roots: unknown[]): Map<string, Schema> {
  const byId = new Map<string, Schema>();
  const visit = (schema: unknown): void => {
    if (!isSchemaObject(schema)) return;
    if (typeof schema.$id === 'string') {
      const known = byId.get(schema.$id);
      if (known === schema) return;
      if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
        throw new Error(`two different schemas share the $id ${schema.$id}`);
      }
      if (!componentName.test(schema.$id)) {
        throw new Error(`$id ${schema.$id} is not a valid OpenAPI component name (letters, digits, . _ -)`);
      }
      byId.set(schema.$id, schema);
    }
    for (const [keyword, value] of Object.entries(schema)) {
      if (schemaKeywords.has(keyword) || keyword === 'items' || keyword === 'additionalItems') {
        if (Array.isArray(value)) value.forEach(visit);
        else visit(value);
      } else if (schemaListKeywords.has(keyword)) {
        (value as unknown[]).forEach(visit);
      } else if (schemaMapKeywords.has(keyword) || keyword === 'dependencies') {
        Object.values(value as Schema).forEach(visit);
      }
    }
  };
  roots.forEach(visit);
  return byId;
}

/** Ajv's `nullable: true` (from OpenAPI 3.0) is a `null` member of `type` in 3.1. */
function allowNull(schema: Schema): void {
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null'))
    schema.type = [...(schema.type as unknown[]), 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
}

/** Turns Ajv schemas into `components/schemas` and the references to them. */
class Components {
  private readonly converted = new Map<string, Schema>();

  constructor(private readonly byId: Map<string, Schema>) {}

  /** The converted schemas, in the order they were first referenced. */
  get schemas(): Record<string, Schema> {
    return Object.fromEntries(this.converted);
  }

  /**
   * A reference to the component for `id`, converting that schema on first use. A
   * schema's own `$defs` become components of their own (`<id>_<name>`), so every
   * reference names a component: generators that resolve only those (e.g.
   * @hey-api/openapi-ts 0.99) read the document as it is.
   */
  ref(id: string, pointer = ''): Schema {
    if (!this.converted.has(id)) {
      const source = this.byId.get(id);
      if (!source) throw new Error(`$ref ${id} names no schema used by a route or listed in schemas/index.ts`);
      // Claimed before converting, so a schema that refers to itself ends.
      this.converted.set(id, {});
      const { $id: _id, ...rest } = source;
      const { $defs, ...converted } = this.convertBody(rest, id);
      this.converted.set(id, converted);
      for (const [name, definition] of Object.entries(($defs ?? {}) as Schema)) {
        const hoisted = `${id}_${name}`;
        if (this.converted.has(hoisted) || this.byId.has(hoisted))
          throw new Error(`${id}'s $defs/${name} would take the name of component ${hoisted}`);
        this.converted.set(hoisted, definition as Schema);
      }
    }
    const definition = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
    if (definition) return { $ref: `#/components/schemas/${id}_${definition[1]}${definition[2]}` };
    return { $ref: `#/components/schemas/${id}${pointer}` };
  }

  /**
   * A schema as OpenAPI 3.1 reads it. A nested `$id` becomes a reference: left in place
   * it would change the base URI, and every `#/components/...` reference inside it
   * would resolve against the wrong document. `root` is the component a local `#...`
   * reference points into.
   */
  convert(schema: unknown, root: string | undefined): unknown {
    if (!isSchemaObject(schema)) return structuredClone(schema);
    if (typeof schema.$id === 'string') return this.ref(schema.$id);
    return this.convertBody(schema, root);
  }

  private convertBody(schema: Schema, root: string | undefined): Schema {
    const convert = (value: unknown) => this.convert(value, root);
    const copy: Schema = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === '$ref') {
        Object.assign(copy, this.rewriteRef(String(value), root));
      } else if (keyword === 'nullable') {
        continue;
      } else if (keyword === 'items') {
        // Draft-07's tuple form is `prefixItems` in 2020-12, whose `items` is draft-07's `additionalItems`.
        if (Array.isArray(value)) copy.prefixItems = value.map(convert);
        else copy.items = convert(value);
      } else if (keyword === 'additionalItems') {
        if (Array.isArray(schema.items)) copy.items = convert(value);
      } else if (keyword === 'dependencies') {
        for (const [name, dependency] of Object.entries(value as Schema)) {
          const target = Array.isArray(dependency) ? 'dependentRequired' : 'dependentSchemas';
          copy[target] = {
            ...(copy[target] as Schema),
            [name]: Array.isArray(dependency) ? [...(dependency as unknown[])] : convert(dependency),
          };
        }
      } else if (schemaKeywords.has(keyword)) {
        copy[keyword] = convert(value);
      } else if (schemaListKeywords.has(keyword)) {
        copy[keyword] = (value as unknown[]).map(convert);
      } else if (schemaMapKeywords.has(keyword)) {
        copy[keyword === 'definitions' ? '$defs' : keyword] = mapValues(value, convert);
      } else {
        copy[keyword] = structuredClone(value);
      }
    }
    if (schema.nullable === true) allowNull(copy);
    return copy;
  }

  /** `#/...` (inside the schema being converted) and `Id` or `Id#/...` (by `$id`) become component references. */
  private rewriteRef(ref: string, root: string | undefined): Schema {
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = (hash === -1 ? '' : ref.slice(hash + 1)).replace(/^\/definitions\//, '/$defs/');
    if (target !== '') return this.ref(target, pointer);
    if (root === undefined)
      throw new Error(`local $ref ${ref} in a schema without an $id cannot be moved into the document`);
    return this.ref(root, pointer);
  }
}

function byteSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The `{name}` placeholders of a path template, in order. */
function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}

/**
 * A page size as its query text means it (the pipeline reads the text under the pattern as a
 * number): an integer from 1 to 100, its default a number, as the contracts publish it.
 */
function pageSize(schema: Schema): Schema {
  if (schema.pattern !== queryPageSizePattern) return schema;
  const { type: _type, pattern: _pattern, default: fallback, example, ...rest } = schema;
  return {
    ...rest,
    type: 'integer',
    minimum: 1,
    maximum: 100,
    ...(fallback !== undefined ? { default: Number(fallback) } : {}),
    ...(example !== undefined ? { example: Number(example) } : {}),
  };
}

/**
 * One parameter from a property of the route's params or query schema; a local `$ref`
 * in it points into that schema (`owner`).
 */
function parameter(
  name: string,
  where: 'path' | 'query' | 'header',
  required: boolean,
  property: unknown,
  owner: JsonSchema | undefined,
  components: Components,
): OpenApiParameter {
  const { description, ...schema } = pageSize(isSchemaObject(property) ? property : {});
  return {
    name,
    in: where,
    required,
    ...(typeof description === 'string' ? { description } : {}),
    schema: components.convert(schema, typeof owner?.$id === 'string' ? owner.$id : undefined),
  };
}

/**
 * Path parameters come from the template (API Gateway passes exactly those), typed by
 * the route's params schema; query parameters are the query schema's properties.
 */
function parametersOf(route: RouteDefinition, components: Components): OpenApiParameter[] {
  const { params, query } = route.request;
  const pathProperties = (params?.properties ?? {}) as Schema;
  const queryRequired = new Set((query?.required ?? []) as string[]);
  return [
    ...pathPlaceholders(route.path).map((name) =>
      parameter(name, 'path', true, pathProperties[name] ?? { type: 'string' }, params, components),
    ),
    ...Object.entries((query?.properties ?? {}) as Schema).map(([name, property]) =>
      parameter(name, 'query', queryRequired.has(name), property, query, components),
    ),
    // A header that stands in for a query parameter takes the same values.
    ...Object.entries(route.queryFromHeaders ?? {}).map(([header, name]) =>
      parameter(
        header,
        'header',
        false,
        ((query?.properties ?? {}) as Schema)[name] ?? { type: 'string' },
        query,
        components,
      ),
    ),
  ];
}

const etagHeader = {
  description: 'The resource version (`"3"`): send it back in `If-Match` to write only if nothing changed since.',
  schema: { type: 'string' },
};

const retryAfterHeader = {
  description:
    'Seconds to wait before sending the same request again (with the same Idempotency-Key, where the route takes one).',
  schema: { type: 'integer', minimum: 1 },
};

const idempotencyKeyParameter: OpenApiParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Applies the request at most once per organization for an hour: a repeat gets the first answer (status, body, ETag); the same key with another request is refused; a repeat while the first is still running gets 409 with Retry-After. 1 to 255 visible ASCII characters.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};

const ifMatchParameter: OpenApiParameter = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'Write only if the resource is still at this version (an `ETag` it sent); otherwise 412 and nothing is written.',
  schema: { type: 'string' },
};

function operationOf(route: RouteDefinition, components: Components): OpenApiOperation {
  const parameters = parametersOf(route, components);
  const json = (schema: JsonSchema) => ({ 'application/json': { schema: components.convert(schema, undefined) } });
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers = {
      ...(response.etag ? { ETag: etagHeader } : {}),
      ...(response.retryAfter ? { 'Retry-After': retryAfterHeader } : {}),
    };
    responses[status] = {
      description: response.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(response.schema ? { content: json(response.schema) } : {}),
    };
  }
  // A route that can answer 412 honours If-Match.
  if (route.responses[412]) parameters.push(ifMatchParameter);
  if (route.idempotent) parameters.push(idempotencyKeyParameter);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request.body
      ? {
          requestBody: {
            ...(route.maxBodyBytes !== undefined ? { description: `At most ${byteSize(route.maxBodyBytes)}.` } : {}),
            required: true as const,
            content: json(route.request.body),
          },
        }
      : {}),
    responses,
    // Stated on every operation, empty on public ones, so no default can make /health ask for a key.
    security: route.authenticated ? [{ ApiKeyAuth: [] }] : [],
  };
}

/**
 * Builds the OpenAPI 3.1 document of the route table. `serverUrl` names where the API
 * is served (a relative URL such as `/` means "where this document came from");
 * `routes` defaults to the route table.
 */
export function buildOpenApiDocument(
  options: { serverUrl?: string; routes?: readonly RouteDefinition[] } = {},
): OpenApiDocument {
  const routes = options.routes ?? routeList;
  const routeSchemas = routes.flatMap((route) => [
    route.request.params,
    route.request.query,
    route.request.body,
    ...Object.values(route.responses).map((response) => response.schema),
  ]);
  const components = new Components(collectIdentifiedSchemas([...routeSchemas, ...requestSchemas]));
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operations = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (operations[method]) throw new Error(`${route.method} ${route.path} appears twice in the route table`);
    operations[method] = operationOf(route, components);
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
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        ApiKeyAuth: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'Per-organization API key; header names are case-insensitive, so x-api-key works too.',
        },
      },
    },
  };
}
