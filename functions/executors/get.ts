import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { readExecutor } from './service.js';

export const handler = httpHandler(routes.getExecutor, readExecutor);
