import { httpHandler } from '../http/chain.js';
import { deployWorkflow as route } from '../routes.js';
import { deployWorkflow } from './service.js';

export const handler = httpHandler(route, deployWorkflow);
