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
import { requestSchemas } from '../schemas/index.js';
import { parseQueryBoolean, queryBooleanSpellings } from '../schemas/formats.js';
import { neededPermissions } from './auth/permissions.js';
import { validatePart } from './pipeline/pipeline.js';
import type { JsonSchema, RouteDefinition, RouteResponse } from './pipeline/route.js';
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
  description: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: {
    description?: string;
    required: true;
    content: { 'application/json': { schema: unknown; example?: unknown } };
  };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, { description: string; schema: unknown }>;
      content?: { 'application/json': { schema: unknown; example?: unknown } };
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
    securitySchemes: Record<string, SecurityScheme>;
  };
}

export type SecurityScheme = { description: string } & (
  | { type: 'apiKey'; in: 'header'; name: string }
  | { type: 'http'; scheme: 'bearer'; bearerFormat: 'JWT' }
  | { type: 'openIdConnect'; openIdConnectUrl: string }
);

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
  /** The `$defs` being inlined right now, to tell a definition that refers to itself. */
  private readonly inlining = new Set<string>();

  constructor(private readonly byId: Map<string, Schema>) {}

  /** The converted schemas, in the order they were first referenced. */
  get schemas(): Record<string, Schema> {
    return Object.fromEntries(this.converted);
  }

  /**
   * A reference to the component for `id`, converting that schema on first use; a pointer
   * into its `$defs` is that definition inlined instead (`inline`).
   */
  ref(id: string, pointer = ''): Schema {
    const source = this.byId.get(id);
    if (!source) throw new Error(`$ref ${id} names no schema used by a route or listed in schemas/index.ts`);
    const definition = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
    if (definition) return this.inline(id, source, definition[1], definition[2]);
    if (!this.converted.has(id)) {
      // Claimed before converting, so a schema that refers to itself ends.
      this.converted.set(id, {});
      const { $id: _id, $defs: _defs, definitions: _definitions, ...rest } = source;
      this.converted.set(id, this.convertBody(rest, id));
    }
    return { $ref: `#/components/schemas/${id}${pointer}` };
  }

  /**
   * One of a schema's own `$defs` (or a place inside it), converted where it is used. The
   * definitions are the schemas' internal helpers (a nullable text of some length, a flag,
   * a node's pointer definition): the document lists only the schemas with an `$id`, and
   * generators that resolve only whole components (e.g. @hey-api/openapi-ts 0.99) read
   * the rest in place. A definition that refers to itself would never end: it needs an
   * `$id`, which makes it a component.
   */
  private inline(id: string, source: Schema, name: string, rest: string): Schema {
    const key = `${id}#/$defs/${name}`;
    if (this.inlining.has(key)) throw new Error(`${key} refers to itself: give it an $id of its own`);
    const definitions = (source.$defs ?? source.definitions) as Schema | undefined;
    const target = rest
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (isSchemaObject(node) ? node[part] : undefined), definitions?.[name]);
    if (!isSchemaObject(target)) throw new Error(`$ref ${key}${rest} points at no schema`);
    this.inlining.add(key);
    try {
      return this.convertBody(target, id);
    } finally {
      this.inlining.delete(key);
    }
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
        // An inlined definition's keywords give way to the ones written beside the reference (its description).
        for (const [name, part] of Object.entries(this.rewriteRef(String(value), root))) {
          if (!Object.hasOwn(schema, name) || name === '$ref') copy[name] = part;
        }
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

/** What the document says a query boolean accepts besides `true` and `false`. */
function queryBooleanNote(): string {
  const others = (meaning: boolean) => queryBooleanSpellings(meaning).filter((text) => text !== String(meaning));
  return `Besides true and false, the server reads ${others(true).join(', ')} as true and ${others(false).join(', ')} as false, in any case, as FastAPI does.`;
}

/**
 * One parameter from a property of the route's params or query schema; a local `$ref`
 * in it points into that schema (`owner`). A query boolean (format `query-boolean`, a
 * text the validators read) is published as the boolean it means, the other spellings
 * named in its description: a client sends `true` or `false`, and the server reads more.
 */
function parameter(
  name: string,
  where: 'path' | 'query' | 'header',
  required: boolean,
  property: unknown,
  owner: JsonSchema | undefined,
  components: Components,
): OpenApiParameter {
  const { description, ...schema } = isSchemaObject(property) ? property : {};
  if (schema.format === 'query-boolean') {
    return {
      name,
      in: where,
      required,
      description: [description, queryBooleanNote()].filter((text) => typeof text === 'string').join(' '),
      schema: {
        type: 'boolean',
        ...(typeof schema.default === 'string' ? { default: parseQueryBoolean(schema.default) } : {}),
      },
    };
  }
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
    'Write only if the resource is still at the version you read: send its `ETag` back as it came, in double quotes (`"3"`; `W/"3"`, a list `"3", "4"` and `*` work too). If it changed since: 412, nothing written. A value that is no entity tag (`3` without its quotes) is refused with 400.',
  schema: { type: 'string' },
};

/** The request id the examples of 500 answers quote. */
const exampleRequestId = '6f1c2e4a-8b3d-4c5e-9f7a-0b1c2d3e4f5a';

/** A response's example: its `exampleError` as the route's contract answers it, which must be this very status. */
function exampleOf(route: RouteDefinition, status: string, response: RouteResponse): unknown {
  if (!response.exampleError) return undefined;
  const rendered = route.contract.renderError(response.exampleError(route, validatePart), exampleRequestId);
  if (String(rendered.status) !== status) {
    throw new Error(`the example of ${route.operationId}'s ${status} answers ${rendered.status}`);
  }
  return rendered.body;
}

/**
 * How an operation may be called: with any one of the schemes, each holding the permission
 * the route needs (OpenAPI 3.1 lets a scheme that is not OAuth 2 list the roles it needs too).
 */
function securityOf(route: RouteDefinition, schemes: readonly string[]): OpenApiOperation['security'] {
  if (!route.authenticated) return [];
  const [permission] = neededPermissions(route);
  return schemes.map((scheme) => ({ [scheme]: [permission] }));
}

/**
 * What a permission a query flag adds says in the operation's description; a flag true by default (the node routes'
 * `deploy`) needs it unless the request says false, which `security` cannot say.
 */
function flagPermissionsNote(route: RouteDefinition): string | undefined {
  if (route.permission === undefined || typeof route.permission === 'string') return undefined;
  const { always, whenTrue } = route.permission;
  const defaults = (route.request.query?.properties ?? {}) as Record<string, { default?: unknown }>;
  const flags = Object.entries(whenTrue).map(([flag, permission]) =>
    defaults[flag]?.default === 'true'
      ? `unless \`${flag}=false\` (the default is true) also \`${permission}\``
      : `with \`${flag}=true\` also \`${permission}\``,
  );
  return `Needs the permission \`${always}\`; ${flags.join('; ')}.`;
}

function operationOf(route: RouteDefinition, components: Components, schemes: readonly string[]): OpenApiOperation {
  const parameters = parametersOf(route, components);
  const json = (schema: JsonSchema, example: unknown) => ({
    'application/json': {
      schema: components.convert(schema, undefined),
      ...(example === undefined ? {} : { example: structuredClone(example) }),
    },
  });
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers = {
      ...(response.etag ? { ETag: etagHeader } : {}),
      ...(response.retryAfter ? { 'Retry-After': retryAfterHeader } : {}),
    };
    responses[status] = {
      description: response.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(response.schema ? { content: json(response.schema, exampleOf(route, status, response)) } : {}),
    };
  }
  // A route that can answer 412 honours If-Match.
  if (route.responses[412]) parameters.push(ifMatchParameter);
  if (route.idempotent) parameters.push(idempotencyKeyParameter);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, flagPermissionsNote(route)].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request.body
      ? {
          requestBody: {
            ...(route.maxBodyBytes !== undefined ? { description: `At most ${byteSize(route.maxBodyBytes)}.` } : {}),
            required: true as const,
            content: json(route.request.body, route.request.example),
          },
        }
      : {}),
    responses,
    // Stated on every operation, empty on public ones, so no default can make /health ask for a key.
    security: securityOf(route, schemes),
  };
}

/**
 * The schemes a caller may use: an API key, a bearer token (any OIDC issuer's JWT, pasted),
 * and, when the document knows the stage's issuer, that issuer's OpenID Connect discovery.
 */
function securitySchemesOf(oidcIssuer: string | undefined): Record<string, SecurityScheme> {
  const permissions =
    "The permissions it carries (in the claim the stage names, `scope` by default) must include the one each operation's `security` lists.";
  return {
    ApiKeyAuth: {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description:
        "Per-organization API key; header names are case-insensitive, so x-api-key works too. It may do what it was given when created (all permissions unless `--permissions` said otherwise), which must include the permission each operation's `security` lists. Sent with a bearer token, the key decides.",
    },
    BearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: `An OAuth 2 access token (JWT) from the stage's OIDC issuer, for its audience, naming the organization in its organization claim (\`org\` by default). ${permissions}`,
    },
    ...(oidcIssuer
      ? {
          OpenIdConnect: {
            type: 'openIdConnect' as const,
            openIdConnectUrl: `${oidcIssuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
            description: `The stage's OIDC issuer; its tokens are sent as bearer tokens. ${permissions}`,
          },
        }
      : {}),
  };
}

/** The introduction: what the API is, its two contracts in a sentence each, and where to start. */
const description = [
  'Serverless control plane for workflow orchestration. It speaks two public API contracts, each in its own words:',
  '',
  "- **Executor configurations** follow the **Flowker contract**: Lerian's Flowker *Executor Configurations* API, " +
    'which configures the external services a workflow calls (camelCase fields; errors ' +
    '`{code, title, message, fields}` with `FLK-` codes; the `ETag` version guards writes through `If-Match`).',
  "- **Workflows** and **Agents** follow the **xpander contract**: xpander.ai's *Workflows* API, a FastAPI service " +
    'whose Python SDK reads workflows as agents (snake_case fields; errors `{"detail": ...}`, 422 for validation).',
  '',
  'Authorize with the API key `npm start` printed (header `X-API-Key`); every operation with a body offers an ' +
    'example that works as it is. Every route with its real answers, step by step: [docs/tour.md](/docs/tour.md).',
].join('\n');

/**
 * Builds the OpenAPI 3.1 document of the route table. `serverUrl` names where the API
 * is served (a relative URL such as `/` means "where this document came from");
 * `routes` defaults to the route table; `oidcIssuer`, the stage's issuer, adds its
 * OpenID Connect scheme.
 */
export function buildOpenApiDocument(
  options: { serverUrl?: string; routes?: readonly RouteDefinition[]; oidcIssuer?: string } = {},
): OpenApiDocument {
  const routes = options.routes ?? routeList;
  const securitySchemes = securitySchemesOf(options.oidcIssuer);
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
    operations[method] = operationOf(route, components, Object.keys(securitySchemes));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'flowplane',
      version: '0.1.0',
      description,
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes,
    },
  };
}
