import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { testExecutor as route } from '../routes.js';
import { testExecutorConnectivity } from './test.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, testExecutorConnectivity));
