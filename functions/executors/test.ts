import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { testExecutorConnectivity } from './lifecycle.js';

export const handler = httpHandler(routes.testExecutor, testExecutorConnectivity);
