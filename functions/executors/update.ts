import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { updateExecutor } from './service.js';

export const handler = httpHandler(routes.updateExecutor, updateExecutor);
