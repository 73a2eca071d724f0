/** `GET /v1/executors?limit=&cursor=&status=`: a page of the organization's executors. */
import type { Result } from '../pipeline/command.js';
import { decodeCursor, encodeCursor } from '../pipeline/cursor.js';
import type { CommandFor } from '../pipeline/route.js';
import { toExecutorOutput } from '../domain/executor/model.js';
import * as executorStore from '../store/executors.js';
import { executorPageKeyShape } from '../store/keys.js';
import type { listExecutorsQuery } from '../../schemas/executor.js';

export async function listExecutors(command: CommandFor<{ query: typeof listExecutorsQuery }>): Promise<Result> {
  const { principal, query } = command;
  const page = await executorStore.listExecutors(principal.organizationId, {
    limit: query.limit,
    startKey: decodeCursor(query.cursor, { param: 'cursor', shape: executorPageKeyShape(principal.organizationId) }),
    status: query.status,
  });
  const nextCursor = encodeCursor(page.lastKey);
  return { status: 200, body: { items: page.items.map(toExecutorOutput), nextCursor, hasMore: nextCursor !== null } };
}
