import { httpHandler } from '../http/chain.js';
import { updateWorkflow as route } from '../routes.js';
import { updateWorkflow } from './service.js';

export const handler = httpHandler(route, updateWorkflow);
