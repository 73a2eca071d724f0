import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { testExecutor as route } from '../routes.js';
import { testExecutor } from './test.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, testExecutor));
