import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { createExecutor } from './service.js';

export const handler = httpHandler(routes.createExecutor, createExecutor);
