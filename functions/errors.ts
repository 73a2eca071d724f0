/**
 * The error vocabulary: what went wrong, in the project's own words. Store, domain, pipeline
 * and use cases throw these; they name no contract code, status or wording. Each
 * contract module (functions/contracts/) translates them into its own answer, and
 * anything that is not one of these is an internal failure (a 500 with a reference).
 *
 * This module imports nothing, so every layer may use it.
 */

/** Where a problem sits, starting with the request part: `['body', 'endpoints', 0, 'name']`. */
export type Location = (string | number)[];

/**
 * One problem with a request. `rule` says which rule was broken: a JSON Schema keyword
 * (`required`, `maxLength`, `enum`, `format`, `additionalProperties`, …, with its
 * `params`) or a rule of the domain (`endpoint_name_unique`, `dag_cycle`, …, with a
 * `message` in plain words).
 */
export interface Violation {
  loc: Location;
  rule: string;
  /** Plain words, for domain rules; schema rules are worded by the contract from `params`. */
  message?: string;
  /** The schema keyword's parameters (`limit`, `allowedValues`, `format`, `pattern`, …). */
  params?: Record<string, unknown>;
  /** The offending value, when it is safe to echo (never a secret). */
  input?: unknown;
}

/** What a request, a resource or a failure is about. */
export type Resource = 'executor' | 'workflow' | 'workflowVersion' | 'workflowNode' | 'auditEntry';

/** A resource's lifecycle actions that a status can forbid. */
export type StatusAction = 'modify' | 'delete' | 'test' | 'activate' | 'disable' | 'enable';

/** The most problems one answer lists; the rest are counted in a last one. */
export const maxViolations = 100;

/**
 * The first `maxViolations` problems, and when there were more, one last problem that
 * says how many were left out: an answer stays small however broken the request is.
 */
export function capViolations(violations: readonly Violation[]): readonly Violation[] {
  if (violations.length <= maxViolations) return violations;
  const omitted = violations.length - maxViolations;
  const first = violations[0].loc[0] ?? 'body';
  return [
    ...violations.slice(0, maxViolations),
    {
      loc: [first],
      rule: 'more_violations',
      message: `and ${omitted} more problem${omitted === 1 ? '' : 's'} not listed`,
      params: { omitted },
    },
  ];
}

/**
 * Every expected failure. `name` is spelled out (not taken from the constructor) so it
 * survives minification: direct invokes return it as the error's type.
 */
export abstract class FlowplaneError extends Error {
  abstract override readonly name: string;
  readonly violations: readonly Violation[];

  constructor(message: string, violations: readonly Violation[] = []) {
    super(message);
    this.violations = violations;
  }
}

/** Which credential a refused request carried: an API key (or none at all), or a bearer token. */
export type Credential = 'apiKey' | 'bearerToken';

/**
 * No credential, or one that does not let anyone in: an API key unknown or revoked; a bearer
 * token that is malformed, expired, not yet valid, of another issuer or audience, signed with
 * a key or an algorithm the issuer does not use, or naming no organization.
 */
export class UnauthorizedError extends FlowplaneError {
  override readonly name = 'UnauthorizedError';

  constructor(
    message: string,
    readonly credential: Credential = 'apiKey',
  ) {
    super(message);
  }
}

/** The credential is good, but it was not given the permission the request needs. */
export class ForbiddenError extends FlowplaneError {
  override readonly name = 'ForbiddenError';

  constructor(
    /** The permission missing (functions/domain/permissions.ts). */
    readonly permission: string,
  ) {
    super(`missing permission ${permission}`);
  }
}

/** What is wrong with a body that cannot be read as a request at all. */
export type BodyProblem = 'missing' | 'media_type' | 'not_utf8' | 'not_json' | 'too_deep' | 'ill_formed_text';

/** What each body problem says, unless its finder says more (how deep is too deep). */
const bodyProblemMessages: Readonly<Record<BodyProblem, string>> = {
  missing: 'Request body is required and must be a JSON object',
  media_type: 'Request body must be JSON (Content-Type: application/json; charset=utf-8)',
  not_utf8: 'Request body is not valid UTF-8',
  not_json: 'Request body is not valid JSON',
  too_deep: 'Request body nests too deep',
  ill_formed_text: 'Request body contains a lone UTF-16 surrogate',
};

/**
 * The body is absent, of a media type that is not JSON, not UTF-8, not JSON, nested too
 * deep, or holds text that cannot be stored.
 */
export class MalformedBodyError extends FlowplaneError {
  override readonly name = 'MalformedBodyError';

  constructor(
    readonly problem: BodyProblem,
    message: string = bodyProblemMessages[problem],
    /** For `not_json`: the character position where parsing failed. */
    readonly position?: number,
  ) {
    super(message, [
      { loc: ['body'], rule: problem, message, ...(position === undefined ? {} : { params: { position } }) },
    ]);
  }
}

/**
 * A request header that cannot be read as what it must be (an `If-Match` that is no list
 * of entity tags). `message` says in plain words what the header must hold.
 */
export class MalformedHeaderError extends FlowplaneError {
  override readonly name = 'MalformedHeaderError';

  constructor(
    /** The header's name, in lower case. */
    readonly header: string,
    message: string,
  ) {
    super(`${header} ${message}`, [{ loc: ['header', header], rule: 'header_syntax', message }]);
  }
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends FlowplaneError {
  override readonly name = 'PayloadTooLargeError';

  constructor(readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Path, query, body or command envelope break their schema (or a field's own rule that a
 * schema cannot state, such as a name with nothing visible); every violation is listed.
 */
export class RequestValidationError extends FlowplaneError {
  override readonly name = 'RequestValidationError';

  constructor(violations: readonly Violation[]) {
    super('The request does not match the schema', capViolations(violations));
  }
}

/**
 * Well-formed, but a rule beyond the schema says no (duplicate names, a bad graph, a
 * masked secret with nothing stored). `summary` says it in one sentence when the first
 * violation's own words would not.
 */
export class RuleViolationError extends FlowplaneError {
  override readonly name = 'RuleViolationError';

  constructor(violations: readonly Violation[], summary?: string) {
    super(summary ?? violations[0]?.message ?? 'The request breaks a rule', capViolations(violations));
  }
}

/** No such resource in the caller's organization (another organization's ids included). */
export class NotFoundError extends FlowplaneError {
  override readonly name = 'NotFoundError';

  constructor(
    readonly resource: Resource,
    /** For `workflowVersion`: the version asked for. */
    readonly version?: number,
  ) {
    super(`${resource} not found`);
  }
}

/** Another resource of the organization already has this name. */
export class NameTakenError extends FlowplaneError {
  override readonly name = 'NameTakenError';

  constructor(readonly takenName: string) {
    super(`the name "${takenName}" is taken`);
  }
}

/** The resource's status forbids the action. */
export class WrongStatusError extends FlowplaneError {
  override readonly name = 'WrongStatusError';

  constructor(
    readonly action: StatusAction,
    readonly status: string,
    /** The status the action needs, when it needs exactly one. */
    readonly needed?: string,
  ) {
    super(`cannot ${action} in status ${status}`);
  }
}

/** `If-Match` named a version that is no longer current; nothing was written. */
export class StaleVersionError extends FlowplaneError {
  override readonly name = 'StaleVersionError';

  constructor(readonly resource: Resource) {
    super(`${resource} changed since the version named in If-Match`);
  }
}

/** The resource kept changing under a write that needs a stable read; the caller may retry. */
export class ConcurrentChangeError extends FlowplaneError {
  override readonly name = 'ConcurrentChangeError';

  constructor(readonly resource: Resource) {
    super(`${resource} changed concurrently`);
  }
}

/** The resource would be larger than DynamoDB stores in one item (400 KB). */
export class StorageLimitError extends FlowplaneError {
  override readonly name = 'StorageLimitError';

  constructor(readonly resource: Resource) {
    super(`${resource} is too large to store`);
  }
}

/** A service flowplane depends on: the OIDC issuer serves the keys that verify bearer tokens. */
export type Dependency = 'DynamoDB' | 'EventBridge' | 'OIDC issuer';

/**
 * Why a dependency could not serve a request: it throttled, failed (5xx), did not
 * answer in time, could not be reached, or its transactions kept colliding.
 */
export type UnavailableReason = 'throttled' | 'server_error' | 'timeout' | 'network' | 'conflict';

/**
 * A dependency could not serve the request, after the SDK's own retries (and, for
 * colliding transactions, the store's). The caller may send the same request again after
 * `retryAfterSeconds`. `errorName` is the dependency's own error name, for logs only:
 * no contract ever shows it.
 */
export class UnavailableError extends FlowplaneError {
  override readonly name = 'UnavailableError';

  constructor(
    readonly dependency: Dependency,
    readonly reason: UnavailableReason,
    readonly errorName: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`${dependency} is unavailable (${reason})`);
  }
}

/** An idempotency key was used before for a different request (another body, query or If-Match). */
export class IdempotencyKeyReusedError extends FlowplaneError {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor() {
    super('This idempotency key was already used for a different request', [
      {
        loc: ['header', 'Idempotency-Key'],
        rule: 'idempotency_key_reused',
        message: 'this key was already used for a different request',
      },
    ]);
  }
}

/** A request with the same idempotency key is still being processed; the caller may retry later. */
export class RequestInProgressError extends FlowplaneError {
  override readonly name = 'RequestInProgressError';

  constructor(readonly retryAfterSeconds: number) {
    super('A request with this idempotency key is still in progress');
  }
}
