/**
 * The transport-agnostic seam: a command is what every use case runs, whether it came
 * from API Gateway (REST v1 or HTTP API v2), a direct invoke, EventBridge or SQS; a
 * result is what it answers. Each transport builds a `Submission`;
 * functions/pipeline/pipeline.ts turns it into a validated command in one place.
 */
import type { Actor, Permission } from '../domain/permissions.js';
import type { Precondition } from '../domain/precondition.js';

/**
 * Who is calling: resolved from an API key or a bearer token (functions/auth/), or, for a
 * command without HTTP, its trusted source; never the credential itself.
 */
export interface Principal {
  organizationId: string;
  /** Which credential, stable and not secret: `apikey:<key prefix>`, `oidc:<issuer>#<subject>`, or a command's source. */
  id: string;
  /** What items, events and the audit name as the actor: the key's name, the token's subject, a command's actor. */
  name: string;
  /** What the credential may do; a command's source may do everything its IAM policy lets it send. */
  permissions: ReadonlySet<Permission>;
}

export interface Command<P = Record<string, string>, Q = Record<string, string | undefined>, B = unknown> {
  principal: Principal;
  /** The principal as a write records it, with the permission the request was allowed by. */
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  precondition?: Precondition;
  requestId: string;
  /**
   * Makes the command apply at most once (functions/pipeline/idempotency.ts): the HTTP
   * `Idempotency-Key`, the direct invoke envelope's `idempotencyKey`, the SQS message
   * id or the EventBridge event id. Absent: no idempotency record is read or written.
   */
  idempotencyKey?: string;
}

/** What a use case returns: a status, a body, and the resource version for the ETag. */
export interface Result {
  status: number;
  body?: unknown;
  version?: number | string;
  headers?: Record<string, string>;
}
