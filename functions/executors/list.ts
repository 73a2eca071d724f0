import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { listExecutorPage } from './lifecycle.js';

export const handler = httpHandler(routes.listExecutors, listExecutorPage);
