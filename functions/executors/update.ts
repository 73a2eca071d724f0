import { httpHandler } from '../http/chain.js';
import { updateExecutor as route } from '../routes.js';
import { updateExecutor } from './update.use-case.js';

export const handler = httpHandler(route, updateExecutor);
