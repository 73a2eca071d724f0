/**
 * Executor use cases, free of any transport: each takes a validated command and returns
 * a result. The Lambda entries in this folder wire them to the HTTP chain.
 */
import { randomUUID } from 'node:crypto';
import type { Command, Result } from '../core/command.js';
import {
  type CreateExecutorInput,
  encodeValues,
  type ExecutorRecord,
  normalizeBaseUrl,
  toExecutorOutput,
  toStoredEndpoints,
  type UpdateExecutorInput,
} from '../domain/executor/model.js';
import { executorBodyViolations } from '../domain/executor/rules.js';
import { UnprocessableError } from '../http/errors.js';
import { getExecutor, insertExecutor, replaceExecutor } from '../store/executors.js';

type ById = { id: string };

function assertSemantics(body: CreateExecutorInput | UpdateExecutorInput): void {
  const violations = executorBodyViolations(body as Parameters<typeof executorBodyViolations>[0]);
  if (violations.length > 0) {
    throw new UnprocessableError(violations[0].msg, { code: violations[0].code, violations });
  }
}

function toResult(record: ExecutorRecord, status = 200): Result {
  return { status, body: toExecutorOutput(record), version: record.version };
}

/** `POST /v1/executors`: configured when baseUrl, endpoints and authentication are all given. */
export async function createExecutor(command: Command<{}, {}, CreateExecutorInput>): Promise<Result> {
  const { body, principal } = command;
  assertSemantics(body);
  const now = new Date().toISOString();
  const complete = body.baseUrl !== undefined && body.endpoints !== undefined && body.authentication !== undefined;
  const record: ExecutorRecord = {
    id: randomUUID(),
    organizationId: principal.organizationId,
    name: body.name,
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.baseUrl !== undefined ? { baseUrl: normalizeBaseUrl(body.baseUrl) } : {}),
    ...(body.endpoints !== undefined ? { endpoints: toStoredEndpoints(body.endpoints) } : {}),
    ...(body.authentication !== undefined
      ? { authType: body.authentication.type, authConfig: encodeValues(body.authentication.config) }
      : {}),
    metadata: encodeValues(body.metadata),
    status: complete ? 'configured' : 'unconfigured',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insertExecutor(record);
  return toResult(record, 201);
}

/** `GET /v1/executors/{id}`. */
export async function readExecutor(command: Command<ById>): Promise<Result> {
  return toResult(await getExecutor(command.principal.organizationId, command.params.id));
}

/** `PATCH /v1/executors/{id}`: replaces the configuration, merges metadata, status → configured. */
export async function updateExecutor(command: Command<ById, {}, UpdateExecutorInput>): Promise<Result> {
  const { body, principal, params, precondition } = command;
  assertSemantics(body);
  const record = await replaceExecutor(
    principal.organizationId,
    params.id,
    {
      name: body.name,
      baseUrl: normalizeBaseUrl(body.baseUrl),
      endpoints: toStoredEndpoints(body.endpoints),
      authType: body.authentication.type,
      authConfig: encodeValues(body.authentication.config),
      ...(body.description !== undefined ? { description: body.description } : {}),
      metadata: encodeValues(body.metadata),
    },
    precondition,
    new Date().toISOString(),
  );
  return toResult(record);
}
