/**
 * The one route table. The local server, the CDK stack (one function per entry, with
 * exactly the DynamoDB actions listed) and the OpenAPI document are all derived from
 * it: adding an endpoint is one entry here plus one handler file.
 */
import {
  createExecutorInput,
  executorIdParams,
  executorListOutput,
  executorOutput,
  executorTestOutput,
  flowkerErrorResponse,
  listExecutorsQuery,
  updateExecutorInput,
} from '../schemas/executor.js';

/** Which contract's error shape a route speaks. */
export type ErrorDialect = 'flowker' | 'fastapi';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The DynamoDB actions a route's function may be granted; nothing broader exists. */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RouteResponse {
  description: string;
  schema?: JsonSchema;
}

export interface RouteDefinition {
  /** Stable identifier: the function's logical name and the OpenAPI operationId. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway style path with `{param}` placeholders. */
  readonly path: string;
  /** The Lambda entry file, relative to the repository root. */
  readonly entry: string;
  readonly summary: string;
  readonly tag: string;
  readonly dialect: ErrorDialect;
  /** Whether the route needs an API key (only /health does not). */
  readonly authenticated: boolean;
  /** Exactly the table actions the function uses (the API-key lookup is a GetItem). */
  readonly tableActions: readonly TableAction[];
  /** Largest accepted body in bytes; larger bodies get a 413. */
  readonly maxBodyBytes?: number;
  /**
   * Whether the function also takes commands without HTTP (direct invoke, EventBridge,
   * SQS): the update, deploy and lifecycle routes.
   */
  readonly acceptsCommands?: boolean;
  readonly request: {
    readonly params?: JsonSchema;
    readonly query?: JsonSchema;
    readonly body?: JsonSchema;
  };
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

const kib = 1024;

const flowkerErrors = (...statuses: number[]): Record<number, RouteResponse> =>
  Object.fromEntries(
    statuses.map((status) => [status, { description: flowkerErrorDescriptions[status], schema: flowkerErrorResponse }]),
  );

const flowkerErrorDescriptions: Record<number, string> = {
  400: 'The request was malformed or contained invalid parameters.',
  401: 'API key missing or invalid.',
  404: 'The executor configuration does not exist in your organization.',
  409: 'Another executor configuration of your organization already has this name.',
  412: 'If-Match names a version that is no longer current; nothing was written.',
  413: 'The body is larger than 256 KiB.',
  422: 'Well-formed, but not allowed: a semantic rule or the current status forbids it.',
  500: 'Unexpected internal error; the body carries a reference to quote to support.',
};

export const routes = {
  health: {
    operationId: 'health',
    method: 'GET',
    path: '/health',
    entry: 'functions/health/get.ts',
    summary: 'Liveness check (public)',
    tag: 'Health',
    dialect: 'flowker',
    authenticated: false,
    tableActions: [],
    request: {},
    responses: { 200: { description: 'The service is up.' } },
  },
  createExecutor: {
    operationId: 'createExecutorConfiguration',
    method: 'POST',
    path: '/v1/executors',
    entry: 'functions/executors/create.ts',
    summary: 'Create an Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    maxBodyBytes: 256 * kib,
    request: { body: createExecutorInput },
    responses: {
      201: { description: 'Created.', schema: executorOutput },
      ...flowkerErrors(400, 401, 409, 413, 422, 500),
    },
  },
  getExecutor: {
    operationId: 'getExecutorConfiguration',
    method: 'GET',
    path: '/v1/executors/{id}',
    entry: 'functions/executors/get.ts',
    summary: 'Get an Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    tableActions: ['dynamodb:GetItem'],
    request: { params: executorIdParams },
    responses: {
      200: { description: 'The executor configuration, secrets masked.', schema: executorOutput },
      ...flowkerErrors(400, 401, 404, 500),
    },
  },
  updateExecutor: {
    operationId: 'updateExecutorConfiguration',
    method: 'PATCH',
    path: '/v1/executors/{id}',
    entry: 'functions/executors/update.ts',
    summary: 'Update an Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    maxBodyBytes: 256 * kib,
    request: { params: executorIdParams, body: updateExecutorInput },
    responses: {
      200: { description: 'The updated configuration, secrets masked.', schema: executorOutput },
      ...flowkerErrors(400, 401, 404, 409, 412, 413, 422, 500),
    },
  },
  listExecutors: {
    operationId: 'listExecutorConfigurations',
    method: 'GET',
    path: '/v1/executors',
    entry: 'functions/executors/list.ts',
    summary: 'List Executor Configurations',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    request: { query: listExecutorsQuery },
    responses: {
      200: { description: "A page of the organization's executors, secrets masked.", schema: executorListOutput },
      ...flowkerErrors(400, 401, 500),
    },
  },
  deleteExecutor: {
    operationId: 'deleteExecutorConfiguration',
    method: 'DELETE',
    path: '/v1/executors/{id}',
    entry: 'functions/executors/delete.ts',
    summary: 'Delete an Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
    request: { params: executorIdParams },
    responses: {
      204: { description: 'Deleted; the name is free again.' },
      ...flowkerErrors(400, 401, 404, 409, 412, 422, 500),
    },
  },
  testExecutor: {
    operationId: 'testExecutorConfiguration',
    method: 'POST',
    path: '/v1/executors/{id}/test',
    entry: 'functions/executors/test.ts',
    summary: 'Test an Executor Configuration (connectivity, authentication, end to end)',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    request: { params: executorIdParams },
    responses: {
      200: { description: 'The test ran; configured → tested when it passed.', schema: executorTestOutput },
      ...flowkerErrors(400, 401, 404, 409, 422, 500),
    },
  },
  activateExecutor: {
    operationId: 'activateExecutorConfiguration',
    method: 'POST',
    path: '/v1/executors/{id}/activate',
    entry: 'functions/executors/activate.ts',
    summary: 'Activate a tested Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    request: { params: executorIdParams },
    responses: {
      200: { description: 'tested → active.', schema: executorOutput },
      ...flowkerErrors(400, 401, 404, 412, 422, 500),
    },
  },
  disableExecutor: {
    operationId: 'disableExecutorConfiguration',
    method: 'POST',
    path: '/v1/executors/{id}/disable',
    entry: 'functions/executors/disable.ts',
    summary: 'Disable an active Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    request: { params: executorIdParams },
    responses: {
      200: { description: 'active → disabled.', schema: executorOutput },
      ...flowkerErrors(400, 401, 404, 412, 422, 500),
    },
  },
  enableExecutor: {
    operationId: 'enableExecutorConfiguration',
    method: 'POST',
    path: '/v1/executors/{id}/enable',
    entry: 'functions/executors/enable.ts',
    summary: 'Enable a disabled Executor Configuration',
    tag: 'Executor Configurations',
    dialect: 'flowker',
    authenticated: true,
    acceptsCommands: true,
    tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    request: { params: executorIdParams },
    responses: {
      200: { description: 'disabled → active.', schema: executorOutput },
      ...flowkerErrors(400, 401, 404, 412, 422, 500),
    },
  },
} as const satisfies Record<string, RouteDefinition>;

/** Every route, in table order. */
export const routeList: readonly RouteDefinition[] = Object.values(routes);
