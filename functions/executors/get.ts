import { httpHandler } from '../http/chain.js';
import { getExecutor as route } from '../routes.js';
import { readExecutor } from './service.js';

export const handler = httpHandler(route, readExecutor);
