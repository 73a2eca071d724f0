import { httpHandler } from '../http/chain.js';
import { listExecutors as route } from '../routes.js';
import { listExecutorPage } from './list.use-case.js';

export const handler = httpHandler(route, listExecutorPage);
