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
  secretContext,
  toExecutorOutput,
  toStoredEndpoints,
  type UpdateExecutorInput,
} from '../domain/executor/model.js';
import { executorBodyViolations } from '../domain/executor/rules.js';
import { isSensitiveKey, secretMask } from '../domain/secrets.js';
import { sealSecret } from '../secrets/envelope.js';
import { UnprocessableError } from '../http/errors.js';
import { getExecutor, insertExecutor, replaceExecutor } from '../store/executors.js';

type ById = { id: string };

/**
 * Splits an authentication config into plain values (JSON text), secrets sealed for
 * storage, and secrets sent back as the mask (which keep what is stored).
 */
async function partitionConfig(config: Record<string, unknown> | undefined, organizationId: string, executorId: string) {
  const plain: Record<string, unknown> = {};
  const set: Record<string, string> = {};
  const keep: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!isSensitiveKey(key)) plain[key] = value;
    else if (value === secretMask) keep.push(key);
    else set[key] = await sealSecret(typeof value === 'string' ? value : JSON.stringify(value), secretContext(organizationId, executorId, key));
  }
  return { authConfig: encodeValues(plain), authSecrets: { set, keep } };
}

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
  const id = randomUUID();
  const config = await partitionConfig(body.authentication?.config, principal.organizationId, id);
  if (config.authSecrets.keep.length > 0) {
    const [key] = config.authSecrets.keep;
    throw new UnprocessableError(`No stored secret to keep for ${key}: send the value itself instead of the mask`, {
      code: 'FLK-0275',
      violations: config.authSecrets.keep.map((k) => ({
        loc: ['body', 'authentication', 'config', k],
        type: 'missing',
        msg: 'masked value sent, but no secret is stored for this key',
        code: 'FLK-0275',
      })),
    });
  }
  const record: ExecutorRecord = {
    id,
    organizationId: principal.organizationId,
    name: body.name,
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.baseUrl !== undefined ? { baseUrl: normalizeBaseUrl(body.baseUrl) } : {}),
    ...(body.endpoints !== undefined ? { endpoints: toStoredEndpoints(body.endpoints) } : {}),
    ...(body.authentication !== undefined ? { authType: body.authentication.type, authConfig: config.authConfig } : {}),
    authSecrets: config.authSecrets.set,
    metadata: encodeValues(body.metadata),
    status: complete ? 'configured' : 'unconfigured',
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: principal.keyName,
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
      ...(await partitionConfig(body.authentication.config, principal.organizationId, params.id)),
      ...(body.description !== undefined ? { description: body.description } : {}),
      metadata: encodeValues(body.metadata),
      updatedBy: principal.keyName,
    },
    precondition,
    new Date().toISOString(),
  );
  return toResult(record);
}
