import { httpHandler } from '../http/chain.js';
import { updateExecutor as route } from '../routes.js';
import { updateExecutor } from './service.js';

export const handler = httpHandler(route, updateExecutor);
