/**
 * Executor lifecycle use cases: list, delete and the state machine (NOTES.md).
 * Transport-free like service.ts; the Lambda entries beside it wire them to HTTP.
 */
import type { Command, Result } from '../core/command.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { runConnectivityTest } from '../domain/executor/connectivity.js';
import { decodeValues, type ExecutorStatus, secretContext, toExecutorOutput } from '../domain/executor/model.js';
import { UnprocessableError } from '../http/errors.js';
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

/** `GET /v1/executors?limit=&cursor=&status=`. */
export async function listExecutorPage(
  command: Command<{}, { limit?: string; cursor?: string; status?: ExecutorStatus }>,
): Promise<Result> {
  const { principal, query } = command;
  const page = await listExecutors(principal.organizationId, {
    limit: query.limit ? Number(query.limit) : 20,
    startKey: decodeCursor(query.cursor, {
      param: 'cursor',
      fields: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      expected: executorsByOrganization(principal.organizationId),
    }),
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
