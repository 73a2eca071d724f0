import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { removeExecutor } from './lifecycle.js';

export const handler = httpHandler(routes.deleteExecutor, removeExecutor);
