/**
 * What a route is: the shape every entry of the route table (functions/routes.ts) has,
 * the contract it speaks, and the command type its schemas give its use case.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { queryPageSizePattern } from '../../schemas/formats.js';
import type { Permission } from '../domain/permissions.js';
import type { Violation } from '../errors.js';
import type { Command, Result } from './command.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The DynamoDB actions a route's function may be granted; nothing broader exists. */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:BatchWriteItem';

export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The permission a route needs: one name, or one name always and another when a boolean query
 * parameter is true (`PATCH /v1/workflows/{id}?deploy=true` also needs `workflows:deploy`).
 */
export type RoutePermission =
  Permission | { readonly always: Permission; readonly whenTrue: Readonly<Record<string, Permission>> };

export interface RouteResponse {
  description: string;
  schema?: JsonSchema;
  /** The response carries an `ETag` (the resource version, for `If-Match`). */
  etag?: boolean;
  /** The response carries `Retry-After` (seconds to wait before sending the request again). */
  retryAfter?: boolean;
  /**
   * For an error response: the error of its most common case on `route`. The OpenAPI document shows what the route's
   * contract renders of it as the response's example, so the example is the real body of that case. `validate`
   * checks a request part as the pipeline does, for the refusals of a request that breaks the route's schemas.
   */
  exampleError?: (route: RouteDefinition, validate: PartValidator) => unknown;
}

/**
 * Checks one part of a request against its schema as the command pipeline does (functions/pipeline/pipeline.ts
 * `validatePart`): the violations found. Handed to `exampleError` by the OpenAPI document, so the contract modules
 * (which every bundle carries, and the build imports before any validator exists) never import the validators.
 */
export type PartValidator = (
  schema: JsonSchema | undefined,
  part: 'path' | 'query' | 'body',
  value: unknown,
) => Violation[];

/** An error as a contract answers it over HTTP. */
export interface RenderedError {
  status: number;
  body: Record<string, unknown>;
  /** Response headers the answer needs (`retry-after`), lower case. */
  headers?: Record<string, string>;
}

/**
 * A public contract's voice (functions/contracts/): how it answers an error over HTTP,
 * and how it lists a refusal's problems to callers without HTTP.
 */
export interface Contract {
  readonly name: string;
  /** Any thrown value as this contract's error answer (a 500 with only a reference for the unexpected). */
  renderError(error: unknown, requestId: string): RenderedError;
  /** The problems of an expected error, as the contract shows each one. */
  violationsOf(error: Error): unknown[];
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
  /** What the operation does, for the OpenAPI document: what it reads or changes, and what it answers. */
  readonly description: string;
  readonly tag: string;
  /** The contract whose codes, wording and error shapes the route answers in. */
  readonly contract: Contract;
  /** Whether the route needs a credential, an API key or a bearer token (only /health does not). */
  readonly authenticated: boolean;
  /** What the credential must be allowed to do (functions/domain/permissions.ts); every authenticated route names one. */
  readonly permission?: RoutePermission;
  /** Exactly the table actions the function uses (the API-key lookup is a GetItem). */
  readonly tableActions: readonly TableAction[];
  /** Largest accepted body in bytes; larger bodies get a 413. */
  readonly maxBodyBytes?: number;
  /**
   * Whether the function also takes commands without HTTP (direct invoke, EventBridge,
   * SQS): the update, deploy and lifecycle routes.
   */
  readonly acceptsCommands?: boolean;
  /** Headers that stand in for a query parameter the request leaves out (header → parameter). */
  readonly queryFromHeaders?: Readonly<Record<string, string>>;
  /**
   * Whether an HTTP caller's `Idempotency-Key` header is honoured: the routes that are not
   * naturally idempotent (creates, deploys, lifecycle moves, the connectivity test).
   * Commands (`acceptsCommands`) are always idempotent, keyed by their delivery.
   */
  readonly idempotent?: boolean;
  /** Whether the function seals or opens secrets, and so unwraps the data key at cold start. */
  readonly usesSecrets?: boolean;
  readonly request: RouteRequest;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/**
 * What a route takes. A route with a body gives an example of one: a small body that succeeds when sent unchanged
 * to a fresh server (ids in the path being of resources that exist), which the OpenAPI document offers to fill
 * "Try it out" with and test/integration/examples.test.ts sends.
 */
export type RouteRequest = RequestSchemas &
  (
    | { readonly body: JsonSchema; readonly example: Readonly<Record<string, unknown>> }
    | { readonly body?: undefined; readonly example?: undefined }
  );

/** The schemas of a request's parts. */
export interface RequestSchemas {
  readonly params?: JsonSchema;
  readonly query?: JsonSchema;
  readonly body?: JsonSchema;
}

/** The value a schema describes (after defaults are filled), or `Otherwise` when the route has none. */
type ValueOf<S, Otherwise> = S extends JSONSchema ? FromSchema<S> : Otherwise;

/**
 * A query property's value as the pipeline hands it over (functions/pipeline/pipeline.ts `typedQuery`): a boolean or a
 * number where its schema says so, else the text.
 */
type QueryValue<Property, Text> = Property extends { format: 'query-boolean' }
  ? boolean
  : Property extends { format: 'query-positive-int' } | { pattern: typeof queryPageSizePattern }
    ? number
    : Text;

/** A route's query as its use case reads it, each property typed by its schema. */
type QueryOf<S> = S extends JSONSchema
  ? Typed<FromSchema<S>, S extends { properties: infer Properties } ? Properties : object>
  : Record<string, never>;
type Typed<Texts, Properties> = {
  [Name in keyof Texts]: Name extends keyof Properties ? QueryValue<Properties[Name], Texts[Name]> : Texts[Name];
};

/** The command for a route's request schemas: params, query and body typed by the schemas themselves. */
export type CommandFor<Request extends RequestSchemas> = Command<
  ValueOf<Request['params'], Record<string, never>>,
  QueryOf<Request['query']>,
  ValueOf<Request['body'], undefined>
>;

/** The command a route's use case receives. */
export type CommandOf<R extends RouteDefinition> = CommandFor<R['request']>;

/** Marks a use case wrapped by `idempotent` (functions/pipeline/idempotency.ts), which the chain checks for. */
export const isIdempotent = Symbol.for('flowplane.idempotent');

/** A route's use case: its validated command in, a result out. */
export type UseCase<R extends RouteDefinition> = (command: CommandOf<R>) => Promise<Result>;

/** A command that passed its route's schemas, before its type is named (transports handle any route's). */
export type ValidatedCommand = Command<unknown, unknown, unknown>;

/** A use case as the transports run it: the chain binds each route's typed use case to one of these. */
export type Runner = (command: ValidatedCommand) => Promise<Result>;
