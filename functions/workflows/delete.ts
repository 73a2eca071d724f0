import { httpHandler } from '../http/chain.js';
import { deleteWorkflow as route } from '../routes.js';
import { removeWorkflow } from './service.js';

export const handler = httpHandler(route, removeWorkflow);
