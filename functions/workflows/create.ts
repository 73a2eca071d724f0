import { httpHandler } from '../http/chain.js';
import { createWorkflow as route } from '../routes.js';
import { createWorkflow } from './service.js';

export const handler = httpHandler(route, createWorkflow);
