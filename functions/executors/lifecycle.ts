/**
 * Executor lifecycle use cases: list, delete and the state machine (NOTES.md).
 * Transport-free like service.ts; the Lambda entries beside it wire them to HTTP.
 */
import type { Command, Result } from '../core/command.js';
import { runConnectivityTest } from '../domain/executor/connectivity.js';
import { decodeValues, type ExecutorStatus, secretContext, toExecutorOutput } from '../domain/executor/model.js';
import { RequestValidationError, UnprocessableError } from '../http/errors.js';
import { openSecret } from '../secrets/envelope.js';
import { deleteExecutor, getExecutor, listExecutors, recordTest, transitionExecutor } from '../store/executors.js';
import { executorsByOrganization } from '../store/keys.js';

type ById = { id: string };

/** The transitions the state machine allows, by route action. */
export const transitions = {
  activate: { action: 'activate', from: 'tested', to: 'active' },
  disable: { action: 'disable', from: 'active', to: 'disabled' },
  enable: { action: 'enable', from: 'disabled', to: 'active' },
} as const satisfies Record<string, { action: string; from: ExecutorStatus; to: ExecutorStatus }>;

const invalidCursor = () =>
  new RequestValidationError('Invalid cursor', {
    violations: [{ loc: ['query', 'cursor'], type: 'value_error', msg: 'Cursor is not one this API issued for your organization' }],
  });

/** An opaque cursor: the page's last key, base64url JSON. */
function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** Decodes a cursor and checks it points into the caller's own executor list. */
function decodeCursor(cursor: string | undefined, organizationId: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const fields = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  if (
    key === null ||
    typeof key !== 'object' ||
    Object.keys(key).sort().join() !== [...fields].sort().join() ||
    !fields.every((f) => typeof (key as Record<string, unknown>)[f] === 'string') ||
    (key as Record<string, string>).gsi1pk !== executorsByOrganization(organizationId).gsi1pk
  ) {
    throw invalidCursor();
  }
  return key as Record<string, unknown>;
}

/** `GET /v1/executors?limit=&cursor=&status=`. */
export async function listExecutorPage(
  command: Command<{}, { limit?: string; cursor?: string; status?: ExecutorStatus }>,
): Promise<Result> {
  const { principal, query } = command;
  const page = await listExecutors(principal.organizationId, {
    limit: query.limit ? Number(query.limit) : 20,
    startKey: decodeCursor(query.cursor, principal.organizationId),
    status: query.status,
  });
  const nextCursor = encodeCursor(page.lastKey);
  return { status: 200, body: { items: page.items.map(toExecutorOutput), nextCursor, hasMore: nextCursor !== null } };
}

/** `DELETE /v1/executors/{id}`: 204; refused while tested or active. */
export async function removeExecutor(command: Command<ById>): Promise<Result> {
  const { principal, params, precondition } = command;
  await deleteExecutor(principal.organizationId, params.id, precondition, principal.keyName, new Date().toISOString());
  return { status: 204 };
}

/** Builds the use case for one state-machine action (`activate`, `disable`, `enable`). */
export function transitionUseCase(transition: (typeof transitions)[keyof typeof transitions]) {
  return async (command: Command<ById>): Promise<Result> => {
    const record = await transitionExecutor(
      command.principal.organizationId,
      command.params.id,
      transition,
      command.precondition,
      command.principal.keyName,
      new Date().toISOString(),
    );
    return { status: 200, body: toExecutorOutput(record), version: record.version };
  };
}

const untestable = () =>
  new UnprocessableError('Cannot test an unconfigured executor configuration: set baseUrl, endpoints and authentication first', {
    code: 'FLK-0252',
  });

/**
 * `POST /v1/executors/{id}/test`: calls the executor for real (through the SSRF guard),
 * records `lastTestedAt`, and moves configured → tested when every stage passed.
 */
export async function testExecutorConnectivity(command: Command<ById>): Promise<Result> {
  const { organizationId } = command.principal;
  const record = await getExecutor(organizationId, command.params.id);
  if (record.status === 'unconfigured' || !record.baseUrl || !record.endpoints?.length || !record.authType) throw untestable();
  const secrets = await Promise.all(
    Object.entries(record.authSecrets ?? {}).map(
      async ([key, sealed]) => [key, await openSecret(sealed, secretContext(organizationId, record.id, key))] as const,
    ),
  );
  const result = await runConnectivityTest({
    baseUrl: record.baseUrl,
    endpoints: record.endpoints,
    authType: record.authType,
    authConfig: { ...decodeValues(record.authConfig), ...Object.fromEntries(secrets) },
  });
  const testedAt = new Date().toISOString();
  const updated = await recordTest(organizationId, record, { passed: result.overall === 'passed', testedAt }, command.principal.keyName);
  return {
    status: 200,
    body: { executorId: record.id, overall: result.overall, stages: result.stages, testedAt, status: updated.status },
    version: updated.version,
  };
}
