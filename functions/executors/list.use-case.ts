/**
 * `GET /v1/executors?status=&limit=&cursor=&sortBy=&sortOrder=`: a page of the organization's executors, in the order
 * asked for (default: newest first), each order read from its own index (docs/data-model.md).
 */
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
    order: query.sortBy,
    ascending: query.sortOrder === 'ASC',
    limit: query.limit,
    // A cursor resumes only the order it was issued in: each order's keys have their own shape.
    startKey: decodeCursor(query.cursor, {
      param: 'cursor',
      shape: executorPageKeyShape(principal.organizationId, query.sortBy),
    }),
    status: query.status,
  });
  const nextCursor = encodeCursor(page.lastKey);
  return {
    status: 200,
    body: { items: page.items.map(toExecutorOutput), nextCursor: nextCursor ?? '', hasMore: nextCursor !== null },
  };
}
