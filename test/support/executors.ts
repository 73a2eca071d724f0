/**
 * The executor routes as the integration tests call them: each helper builds the API
 * Gateway (REST, v1) event, invokes the real handler and checks the reply against the
 * Flowker contract's schemas (the route's success schema, or the error response) before
 * returning it. Tests that need an odd event (no key, a raw body, a v2 event) build it
 * themselves with `restEvent` / `httpApiEvent`.
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as activateHandler } from '../../functions/executors/activate.js';
import { handler as createHandler } from '../../functions/executors/create.js';
import { handler as deleteHandler } from '../../functions/executors/delete.js';
import { handler as disableHandler } from '../../functions/executors/disable.js';
import { handler as enableHandler } from '../../functions/executors/enable.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { handler as testHandler } from '../../functions/executors/test.js';
import { handler as updateHandler } from '../../functions/executors/update.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { executorKey } from '../../functions/store/keys.js';
import { executorListOutput, executorTestOutput } from '../../schemas/executor.js';
import { invoke, type Organization, type Reply, restEvent } from './api.js';
import { flowkerErrorResponse, flowkerExecutorListOutput } from './flowker-document.js';
import { assertFits, assertFlowkerReply } from './schemas.js';

type Headers = Record<string, string>;

/**
 * A complete configuration, as the seed's example writes it: a trailing `/` on the base
 * URL (stored trimmed), one endpoint without a timeout (stored as 30), an `api_key`
 * secret (stored sealed, answered masked) and metadata.
 */
export const completeExecutorBody = (name = `exec-${randomUUID()}`) => ({
  name,
  description: 'Serasa KYC provider for identity validation',
  baseUrl: 'https://api.serasa.com.br/v2/',
  endpoints: [{ name: 'validate-identity', path: '/identity/validate', method: 'POST' }],
  authentication: { type: 'api_key', config: { key: 'sk-live-abc123def456', header: 'X-API-Key' } },
  metadata: { team: 'kyc', tier: 1 },
});

const withKey = (org: Organization, headers: Headers = {}): Headers => ({ 'X-API-Key': org.apiKey, ...headers });

/** `POST /v1/executors`; a body of only a name by default. */
export async function createExecutor(
  org: Organization,
  body: unknown = { name: `exec-${randomUUID()}` },
): Promise<Reply> {
  const reply = await invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/executors', headers: withKey(org), body }),
  );
  assertFlowkerReply(reply);
  return reply;
}

/** `GET /v1/executors/{id}`. */
export async function getExecutor(org: Organization, id: string, headers: Headers = {}): Promise<Reply> {
  const reply = await invoke(
    getHandler,
    restEvent({ method: 'GET', path: `/v1/executors/${id}`, pathParameters: { id }, headers: withKey(org, headers) }),
  );
  assertFlowkerReply(reply);
  return reply;
}

/** `PATCH /v1/executors/{id}` with `body` as JSON, or `rawBody` as the exact text sent. */
export async function patchExecutor(
  org: Organization,
  id: string,
  body: unknown,
  headers: Headers = {},
  rawBody?: string,
): Promise<Reply> {
  const reply = await invoke(
    updateHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers: withKey(org, headers),
      body,
      rawBody,
    }),
  );
  assertFlowkerReply(reply);
  return reply;
}

/** `GET /v1/executors` with this query; the reply fits flowplane's schema and the one Flowker's document declares. */
export async function listExecutors(org: Organization, query: Record<string, string> = {}): Promise<Reply> {
  const reply = await invoke(
    listHandler,
    restEvent({ method: 'GET', path: '/v1/executors', query, headers: withKey(org) }),
  );
  assertFlowkerReply(reply, executorListOutput);
  assertFits(reply.status === 200 ? flowkerExecutorListOutput : flowkerErrorResponse, reply.body);
  return reply;
}

/** `DELETE /v1/executors/{id}` (a 204 carries no body). */
export async function deleteExecutor(org: Organization, id: string, headers: Headers = {}): Promise<Reply> {
  const reply = await invoke(
    deleteHandler,
    restEvent({
      method: 'DELETE',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers: withKey(org, headers),
    }),
  );
  assertFlowkerReply(reply);
  return reply;
}

const transition =
  (handler: typeof activateHandler, action: string) =>
  async (org: Organization, id: string, headers: Headers = {}): Promise<Reply> => {
    const reply = await invoke(
      handler,
      restEvent({
        method: 'POST',
        path: `/v1/executors/${id}/${action}`,
        pathParameters: { id },
        headers: withKey(org, headers),
      }),
    );
    assertFlowkerReply(reply);
    return reply;
  };

/** `POST /v1/executors/{id}/activate`. */
export const activateExecutor = transition(activateHandler, 'activate');
/** `POST /v1/executors/{id}/disable`. */
export const disableExecutor = transition(disableHandler, 'disable');
/** `POST /v1/executors/{id}/enable`. */
export const enableExecutor = transition(enableHandler, 'enable');

/** `POST /v1/executors/{id}/test`: the connectivity test. */
export async function testExecutor(org: Organization, id: string, headers: Headers = {}): Promise<Reply> {
  const reply = await invoke(
    testHandler,
    restEvent({
      method: 'POST',
      path: `/v1/executors/${id}/test`,
      pathParameters: { id },
      headers: withKey(org, headers),
    }),
  );
  assertFlowkerReply(reply, executorTestOutput);
  return reply;
}

/** Puts a stored executor in `status` directly, past the state machine, to prepare a test. */
export async function setExecutorStatus(org: Organization, id: string, status: string): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: executorKey(org.organizationId, id),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status },
    }),
  );
}
