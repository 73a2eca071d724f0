import { httpHandler } from '../http/chain.js';
import { getWorkflow as route } from '../routes.js';
import { getWorkflow } from './get.use-case.js';

export const handler = httpHandler(route, getWorkflow);
