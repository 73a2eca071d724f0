/**
 * The OpenAPI document: valid OpenAPI 3.1 by the official schema, exactly the route
 * table's operations, every reference resolvable, schemas that are JSON Schema 2020-12,
 * and the same derivation for routes written the way the workflow routes are.
 */
import { fastApi } from '../../functions/contracts/fastapi.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../../functions/openapi.js';
import { validatePart } from '../../functions/pipeline/pipeline.js';
import { type RouteDefinition, routeList } from '../../functions/routes.js';

const document = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' });

async function validateOpenApi(candidate: OpenApiDocument) {
  const validator = new Validator();
  // The validator annotates what it is given; it gets a copy.
  const result = await validator.validate(structuredClone(candidate) as never);
  return { ...result, version: validator.version };
}

/** Every `$ref` in the document, with where it was found. */
function refsOf(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => refsOf(item, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [{ ref: child, at }] : refsOf(child, `${at}/${key}`),
  );
}

/** Follows a local JSON pointer (`#/a/b`) through the document; undefined when it leads nowhere. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce<unknown>(
    (node, part) =>
      node !== null && typeof node === 'object' && Object.hasOwn(node, part)
        ? (node as Record<string, unknown>)[part]
        : undefined,
    root,
  );
}

/**
 * What is wrong with the document's component schemas as JSON Schema 2020-12: meta-schema
 * violations, keywords 2020-12 and OpenAPI do not know, references that do not resolve.
 */
function componentProblems(candidate: OpenApiDocument): string[] {
  // Strict about keywords, not about style. Ajv knows OpenAPI 3.0's `nullable`, which 3.1
  // dropped, so it is taken out; OpenAPI's own `example` is added, and its `discriminator`
  // is checked the way Ajv's option checks it.
  const ajv = new Ajv2020.default({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: false,
    discriminator: true,
  });
  ajv.removeKeyword('nullable');
  ajv.addKeyword('example');
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'openapi.json', components: candidate.components });
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(candidate.components.schemas)) {
    if (!ajv.validateSchema(schema)) problems.push(`${name}: ${ajv.errorsText(ajv.errors)}`);
    try {
      // Compiling also resolves every reference between components.
      if (!ajv.getSchema(`openapi.json#/components/schemas/${name}`)) problems.push(`${name}: not found`);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

function operationOf(candidate: OpenApiDocument, route: Pick<RouteDefinition, 'path' | 'method'>) {
  return candidate.paths[route.path]?.[route.method.toLowerCase()];
}

/** A route declared the way the workflow routes are: the FastAPI dialect, snake_case parameters, references. */
function workflowLikeRoute(): RouteDefinition {
  const httpValidationError = {
    $id: 'HTTPValidationError',
    type: 'object',
    properties: {
      detail: {
        type: 'array',
        items: { type: 'object', properties: { loc: { type: 'array' }, msg: { type: 'string' } } },
      },
    },
  };
  const node = {
    $id: 'WorkflowNode',
    type: 'object',
    properties: {
      id: { type: 'string' },
      next: { type: 'array', items: { $ref: 'WorkflowNode' } },
      label: { type: 'string', nullable: true },
      position: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], additionalItems: false },
      retry: { $ref: '#/definitions/retry' },
    },
    definitions: { retry: { type: 'integer', minimum: 0, example: 3 } },
    dependencies: { label: ['id'] },
  };
  const patch = {
    $id: 'WorkflowPatch',
    type: 'object',
    properties: {
      nodes: { type: 'array', items: node },
      default: { type: 'string', example: 'the property is named like a keyword' },
    },
  };
  return {
    operationId: 'updateWorkflow',
    method: 'PATCH',
    path: '/v1/workflows/{workflow_id}',
    entry: 'functions/workflows/update.ts',
    summary: 'Update a workflow',
    description: 'Changes the nodes the body names.',
    tag: 'Workflows',
    contract: fastApi,
    authenticated: true,
    permission: 'workflows:write',
    tableActions: ['dynamodb:GetItem'],
    request: {
      params: {
        $id: 'FixtureWorkflowIdParams',
        type: 'object',
        properties: { workflow_id: { type: 'string', format: 'uuid', description: 'The workflow.' } },
        required: ['workflow_id'],
      },
      query: {
        $id: 'FixtureWorkflowQuery',
        type: 'object',
        properties: { deploy: { type: 'string', enum: ['true', 'false'] } },
      },
      body: patch,
      example: { nodes: [{ id: 'triage', retry: 3 }] },
    },
    responses: {
      200: {
        description: 'Updated.',
        schema: { $id: 'Workflow', type: 'object', properties: { nodes: { type: 'array', items: node } } },
      },
      422: { description: 'Validation error.', schema: httpValidationError },
    },
  };
}

test('validates against the official OpenAPI 3.1 schema', async () => {
  // Act
  const result = await validateOpenApi(document);
  // Assess
  expect(result).toEqual({ valid: true, version: '3.1' });
  expect(document.openapi).toBe('3.1.0');
});

test('has exactly the operations of the route table, each under its method and path', () => {
  // Act
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
  );
  // Assess
  expect(operations.sort()).toEqual(
    routeList.map((route) => `${route.method} ${route.path} ${route.operationId}`).sort(),
  );
});

test('every $ref resolves inside the document', () => {
  // Act
  const refs = refsOf(document);
  // Assess
  expect(refs.length).toBeGreaterThan(0);
  for (const { ref, at } of refs) {
    expect({ ref, at, resolved: resolvePointer(document, ref) !== undefined }).toEqual({ ref, at, resolved: true });
  }
});

test('every schema $ref names a whole component, never a place inside one (generators such as @hey-api/openapi-ts resolve only those)', () => {
  // Act
  const inside = refsOf(document).filter(
    ({ ref }) => ref.startsWith('#/components/schemas/') && !/^#\/components\/schemas\/[A-Za-z0-9._-]+$/.test(ref),
  );
  // Assess
  expect(inside).toEqual([]);
});

test('every component is a JSON Schema 2020-12 schema with no keyword OpenAPI does not know', () => {
  // Act / Assess
  expect(componentProblems(document)).toEqual([]);
});

test('bodies and responses reference the schemas of the route table by $id', () => {
  for (const route of routeList) {
    // Act
    const operation = operationOf(document, route);
    // Assess
    if (route.request.body) {
      expect(operation.requestBody?.content['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${String(route.request.body.$id)}`,
      });
    } else {
      expect(operation.requestBody).toBeUndefined();
    }
    for (const [status, response] of Object.entries(route.responses)) {
      expect(operation.responses[status].description).toBe(response.description);
      expect(operation.responses[status].content?.['application/json'].schema).toEqual(
        response.schema ? { $ref: `#/components/schemas/${String(response.schema.$id)}` } : undefined,
      );
    }
  }
});

test('path placeholders are required path parameters typed by the params schema; query properties are query parameters', () => {
  for (const route of routeList) {
    // Act
    const parameters = operationOf(document, route).parameters ?? [];
    // Assess
    const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    expect(Object.keys(route.request.params?.properties ?? {}).sort()).toEqual([...placeholders].sort());
    expect(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.required])).toEqual(
      placeholders.map((name) => [name, true]),
    );
    expect(parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      Object.keys(route.request.query?.properties ?? {}),
    );
  }
  const id = operationOf(document, { method: 'GET', path: '/v1/executors/{id}' }).parameters![0];
  expect(id).toEqual({
    name: 'id',
    in: 'path',
    required: true,
    description: 'Unique identifier of the executor configuration.',
    schema: { type: 'string', format: 'uuid' },
  });
});

test('every authenticated route asks for an API key or a bearer token holding its permission, /health for nothing', () => {
  // Act / Assess
  expect(document.components.securitySchemes.ApiKeyAuth).toMatchObject({
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
  });
  expect(document.components.securitySchemes.BearerAuth).toMatchObject({
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  expect(document.components.securitySchemes.OpenIdConnect).toBeUndefined();
  for (const route of routeList) {
    const permission = typeof route.permission === 'object' ? route.permission.always : route.permission;
    expect([route.operationId, operationOf(document, route).security]).toEqual([
      route.operationId,
      route.authenticated ? [{ ApiKeyAuth: [permission] }, { BearerAuth: [permission] }] : [],
    ]);
  }
  expect(operationOf(document, { method: 'GET', path: '/health' }).security).toEqual([]);
  expect(operationOf(document, { method: 'GET', path: '/v1/audit-events' }).security).toEqual([
    { ApiKeyAuth: ['audit:read'] },
    { BearerAuth: ['audit:read'] },
  ]);
});

test("a permission a query flag adds is in the operation's description: PATCH ?deploy=true needs workflows:deploy too", () => {
  // Act
  const operation = operationOf(document, { method: 'PATCH', path: '/v1/workflows/{workflow_id}' });
  // Assess
  expect(operation.security).toEqual([{ ApiKeyAuth: ['workflows:write'] }, { BearerAuth: ['workflows:write'] }]);
  expect(operation.description).toMatch(
    /\n\nNeeds the permission `workflows:write`; with `deploy=true` also `workflows:deploy`\.$/,
  );
});

test('the node routes deploy by default: their description says workflows:deploy is needed unless deploy=false', () => {
  // Act
  const operations = [
    operationOf(document, { method: 'POST', path: '/v1/workflows/{workflow_id}/nodes' }),
    operationOf(document, { method: 'DELETE', path: '/v1/workflows/{workflow_id}/nodes/{node_id}' }),
  ];
  // Assess
  for (const operation of operations) {
    expect(operation.security).toEqual([{ ApiKeyAuth: ['workflows:write'] }, { BearerAuth: ['workflows:write'] }]);
    expect(operation.description).toMatch(
      /\n\nNeeds the permission `workflows:write`; unless `deploy=false` \(the default is true\) also `workflows:deploy`\.$/,
    );
  }
});

test("with the stage's issuer, the document offers its OpenID Connect discovery too, and stays valid", async () => {
  // Act
  const withIssuer = buildOpenApiDocument({ serverUrl: '/', oidcIssuer: 'https://issuer.example.com/tenant/' });
  // Assess
  expect(await validateOpenApi(withIssuer)).toEqual({ valid: true, version: '3.1' });
  expect(withIssuer.components.securitySchemes.OpenIdConnect).toMatchObject({
    type: 'openIdConnect',
    openIdConnectUrl: 'https://issuer.example.com/tenant/.well-known/openid-configuration',
  });
  expect(operationOf(withIssuer, { method: 'PUT', path: '/v1/workflows/{workflow_id}' }).security).toEqual([
    { ApiKeyAuth: ['workflows:deploy'] },
    { BearerAuth: ['workflows:deploy'] },
    { OpenIdConnect: ['workflows:deploy'] },
  ]);
});

test('a FastAPI-dialect fixture route with references, nullable, tuples and definitions comes out as valid OpenAPI 3.1', async () => {
  // Prepare
  const route = workflowLikeRoute();
  // Act
  const workflowDocument = buildOpenApiDocument({ routes: [route] });
  // Assess
  expect(await validateOpenApi(workflowDocument)).toEqual({ valid: true, version: '3.1' });
  expect(componentProblems(workflowDocument)).toEqual([]);
  const operation = operationOf(workflowDocument, route);
  expect(operation.security).toEqual([{ ApiKeyAuth: ['workflows:write'] }, { BearerAuth: ['workflows:write'] }]);
  expect(operation.parameters).toEqual([
    {
      name: 'workflow_id',
      in: 'path',
      required: true,
      description: 'The workflow.',
      schema: { type: 'string', format: 'uuid' },
    },
    { name: 'deploy', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
  ]);
  expect(operation.responses['422'].content?.['application/json'].schema).toEqual({
    $ref: '#/components/schemas/HTTPValidationError',
  });
  const node = workflowDocument.components.schemas.WorkflowNode as { properties: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  expect(node.$id).toBeUndefined();
  expect(node.properties.next).toEqual({ type: 'array', items: { $ref: '#/components/schemas/WorkflowNode' } });
  expect(node.properties.label).toEqual({ type: ['string', 'null'] });
  expect(node.properties.position).toEqual({
    type: 'array',
    prefixItems: [{ type: 'number' }, { type: 'number' }],
    items: false,
  });
  // A schema's $defs are its internal helpers: inlined where they are used, never components of their own.
  expect(node.properties.retry).toEqual({ type: 'integer', minimum: 0, example: 3 });
  expect(node.$defs).toBeUndefined();
  expect(Object.keys(workflowDocument.components.schemas).sort()).toEqual([
    'HTTPValidationError',
    'Workflow',
    'WorkflowNode',
    'WorkflowPatch',
  ]);
  expect(operation.requestBody?.content['application/json'].example).toEqual({ nodes: [{ id: 'triage', retry: 3 }] });
  expect(node.dependentRequired).toEqual({ label: ['id'] });
  expect(
    (workflowDocument.components.schemas.WorkflowPatch as { properties: Record<string, unknown> }).properties.default,
  ).toEqual({
    type: 'string',
    example: 'the property is named like a keyword',
  });
  for (const { ref } of refsOf(workflowDocument)) expect(resolvePointer(workflowDocument, ref)).toBeDefined();
});

test('two different schemas under one $id are refused, not merged', () => {
  // Prepare
  const route = workflowLikeRoute();
  const clash = {
    ...route,
    operationId: 'clash',
    method: 'POST' as const,
    request: { body: { $id: 'ErrorResponse', type: 'string' }, example: {} },
  };
  // Act / Assess
  expect(() => buildOpenApiDocument({ routes: [...routeList, clash] })).toThrow(
    'two different schemas share the $id ErrorResponse',
  );
});

test('routes that can answer 412 take an If-Match header; responses that carry an ETag say so', () => {
  for (const route of routeList) {
    // Act
    const operation = operationOf(document, route);
    // Assess
    const ifMatch = (operation.parameters ?? []).filter((p) => p.in === 'header' && p.name === 'If-Match');
    expect([route.operationId, ifMatch.length]).toEqual([route.operationId, route.responses[412] ? 1 : 0]);
    for (const [status, response] of Object.entries(route.responses)) {
      expect([route.operationId, status, Boolean(operation.responses[status].headers?.ETag)]).toEqual([
        route.operationId,
        status,
        response.etag === true,
      ]);
    }
  }
  expect(
    operationOf(document, { method: 'PATCH', path: '/v1/workflows/{workflow_id}' }).responses['200'].headers?.ETag,
  ).toBeDefined();
});

/**
 * The formats JSON Schema 2020-12 defines and those of the OpenAPI Format Registry: any
 * other tool knows what these mean. A format outside them is private to flowplane.
 */
const standardFormats = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'float',
  'double',
  'decimal',
  'byte',
  'binary',
  'password',
  'char',
  'commonmark',
  'html',
  'media-range',
  'sf-string',
  'sf-token',
  'sf-binary',
  'sf-boolean',
  'sf-integer',
  'sf-decimal',
]);

/** Every schema object in the document that names a `format`, with where it sits. */
function formatsOf(value: unknown, at = '#'): { at: string; schema: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => formatsOf(item, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  const here =
    typeof (value as { format?: unknown }).format === 'string'
      ? [{ at, schema: value as Record<string, unknown> }]
      : [];
  return [...here, ...Object.entries(value).flatMap(([key, child]) => formatsOf(child, `${at}/${key}`))];
}

test('every format outside the standard registries is backed by a pattern or an enum that states its rule', () => {
  // Act
  const found = formatsOf(document);
  const privateOnes = found.filter(({ schema }) => !standardFormats.has(String(schema.format)));
  // Assess
  expect(new Set(privateOnes.map(({ schema }) => schema.format))).toEqual(
    new Set(['http-url', 'query-positive-int', 'display-name']),
  );
  for (const { at, schema } of privateOnes) {
    expect([at, typeof schema.pattern === 'string' || Array.isArray(schema.enum)]).toEqual([at, true]);
  }
});

test('deploy is published as a boolean whose description names the other spellings; versions and URLs publish their patterns; a PATCH name cannot be null', () => {
  // Prepare
  const queryParameter = (path: string, method: string, name: string) =>
    document.paths[path][method].parameters!.find((p) => p.in === 'query' && p.name === name)!;
  const schemas = document.components.schemas as Record<
    string,
    { properties: Record<string, Record<string, unknown>> }
  >;
  // Act
  const deploy = queryParameter('/v1/workflows/{workflow_id}', 'patch', 'deploy');
  const version = queryParameter('/v1/workflows/{workflow_id}', 'get', 'version').schema as Record<string, unknown>;
  const fromVersion = queryParameter('/v1/workflows/{workflow_id}', 'put', 'from_version').schema as Record<
    string,
    unknown
  >;
  // Assess
  expect(deploy.schema).toEqual({ type: 'boolean' });
  expect(deploy.description).toContain('1, t, yes, y, on as true and 0, f, no, n, off as false, in any case');
  expect(version.pattern).toBe('^[1-9][0-9]{0,8}$');
  expect(fromVersion.pattern).toBe('^[1-9][0-9]{0,8}$');
  const urlPattern = schemas.CreateExecutorConfigurationInput.properties.baseUrl.pattern as string;
  expect(urlPattern).toEqual(expect.any(String));
  expect(schemas.CreateWorkflowRequest.properties.llm_api_base.pattern).toBe(urlPattern);
  expect(new RegExp(urlPattern).test('0')).toBe(false);
  expect(new RegExp(urlPattern).test('')).toBe(false);
  expect(schemas.UpdateWorkflowRequest.properties.name.type).toBe('string');
});

test('the executor name publishes the rule the server holds it to: no control character, something visible', () => {
  // Prepare
  const schemas = document.components.schemas as Record<
    string,
    { properties: Record<string, Record<string, unknown>> }
  >;
  for (const body of ['CreateExecutorConfigurationInput', 'UpdateExecutorConfigurationInput']) {
    // Act
    const pattern = new RegExp(String(schemas[body].properties.name.pattern), 'u');
    // Assess
    expect([body, ['Serasa KYC', ' Café '].every((name) => pattern.test(name))]).toEqual([body, true]);
    expect([body, ['acme\u0007pay', 'acme\npay', '\u200b', ' '].some((name) => pattern.test(name))]).toEqual([
      body,
      false,
    ]);
  }
});

test('the schema list holds the schemas with an $id only: no internal $defs helper is a component (issue 25 §8)', () => {
  // Act
  const names = Object.keys(document.components.schemas);
  // Assess
  expect(names.filter((name) => name.includes('_') || name === 'WorkflowDefs')).toEqual([]);
  expect(names).toEqual(expect.arrayContaining(['WorkflowResponse', 'OrchestrationNode', 'ErrorResponse']));
});

test('every operation says what it does; the introduction names both contracts and links the tour (issue 25 §7)', () => {
  for (const route of routeList) {
    // Act
    const { description } = operationOf(document, route);
    // Assess
    expect([route.operationId, description.length > route.summary.length]).toEqual([route.operationId, true]);
  }
  expect(document.info.description).toMatch(/\*\*Flowker contract\*\*/);
  expect(document.info.description).toMatch(/\*\*xpander contract\*\*/);
  expect(document.info.description).toContain('[docs/tour.md](/docs/tour.md)');
  expect(operationOf(document, { method: 'PATCH', path: '/v1/executors/{id}' }).description).toContain(
    'Replaces the whole configuration',
  );
});

test('every request body offers its route example, which the route’s own validator accepts unchanged (issue 25 §1)', () => {
  for (const route of routeList.filter((candidate) => candidate.request.body)) {
    // Act
    const example = operationOf(document, route).requestBody?.content['application/json'].example;
    // Assess
    expect([route.operationId, example]).toEqual([route.operationId, route.request.example]);
    expect([route.operationId, validatePart(route.request.body, 'body', structuredClone(example))]).toEqual([
      route.operationId,
      [],
    ]);
  }
});

test('every error response shows one example: what its contract answers for that status, fitting its schema (issue 25 §5)', () => {
  // Prepare
  const ajv = new Ajv2020.default({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
  const examples = new Map<string, unknown[]>();
  for (const route of routeList) {
    for (const [status, response] of Object.entries(operationOf(document, route).responses)) {
      if (Number(status) < 400 || !response.content) continue;
      // Act
      const { schema, example } = response.content['application/json'];
      // Assess
      const fits = ajv.validate({ $ref: `openapi.json${(schema as { $ref: string }).$ref}` }, example);
      expect([route.operationId, status, example !== undefined, fits]).toEqual([route.operationId, status, true, true]);
      examples.set(status, [...(examples.get(status) ?? []), example]);
    }
  }
  // Not one example for every status, as before: each status shows its own case.
  const flowkerCodes = (status: string) =>
    new Set(
      examples
        .get(status)!
        .map((example) => (example as { code?: string }).code)
        .filter(Boolean),
    );
  expect(flowkerCodes('401')).toEqual(new Set(['UNAUTHORIZED']));
  expect(flowkerCodes('412')).toEqual(new Set(['FLK-0350']));
  expect(flowkerCodes('415')).toEqual(new Set(['FLK-0001']));
  expect(flowkerCodes('503')).toEqual(new Set(['SERVICE_UNAVAILABLE']));
  expect(examples.get('400')).toContainEqual({
    detail: 'Header if-match must be *, or versions in double quotes as ETag sends them ("3")',
  });
});

test('If-Match says its tag is quoted, and what an unquoted one gets (issue 25 §4)', () => {
  // Act
  const ifMatch = operationOf(document, { method: 'PATCH', path: '/v1/executors/{id}' }).parameters!.find(
    (p) => p.name === 'If-Match',
  )!;
  // Assess
  expect(ifMatch.description).toContain('in double quotes (`"3"`');
  expect(ifMatch.description).toContain('refused with 400');
});

test('the node routes (issue 24): deploy defaults to true there only, every answer is the node summary list', () => {
  // Prepare
  const nodes = '/v1/workflows/{workflow_id}/nodes';
  const deployOf = (path: string, method: string) =>
    document.paths[path][method].parameters!.find((p) => p.in === 'query' && p.name === 'deploy')!.schema as Record<
      string,
      unknown
    >;
  const schemas = document.components.schemas as Record<string, Record<string, any>>;
  // Act
  const operations = [
    document.paths[nodes].get,
    document.paths[nodes].post,
    document.paths[`${nodes}/{node_id}`].delete,
  ];
  // Assess
  expect([deployOf(nodes, 'post').default, deployOf(`${nodes}/{node_id}`, 'delete').default]).toEqual([true, true]);
  expect(deployOf('/v1/workflows/{workflow_id}', 'patch').default).toBeUndefined();
  for (const operation of operations)
    expect(operation.responses['200'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/WorkflowNodeList',
    });
  expect(schemas.WorkflowNodeList.items).toEqual({ $ref: '#/components/schemas/WorkflowNodeSummary' });
  expect(schemas.WorkflowNodeSummary.required).toEqual([
    'id',
    'type',
    'name',
    'next_node_ids',
    'asset_id',
    'connection_id',
    'operation_id',
    'target_agent_id',
  ]);
  expect(schemas.AddWorkflowNodeRequest.properties.advanced.$ref).toBe('#/components/schemas/OrchestrationNode');
  expect(operations.map((operation) => operation.description)).toEqual([
    expect.any(String),
    expect.any(String),
    expect.any(String),
  ]);
});
