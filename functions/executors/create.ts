import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { createExecutor as route } from '../routes.js';
import { createExecutor } from './create.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, createExecutor));
