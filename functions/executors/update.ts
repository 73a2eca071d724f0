import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { updateExecutor as route } from '../routes.js';
import { updateExecutor } from './update.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, updateExecutor));
