import { httpHandler } from '../http/chain.js';
import { getExecutor as route } from '../routes.js';
import { readExecutor } from './get.use-case.js';

export const handler = httpHandler(route, readExecutor);
