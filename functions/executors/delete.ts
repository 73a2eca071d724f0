import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { deleteExecutor as route } from '../routes.js';
import { removeExecutor } from './delete.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, removeExecutor));
