import { lambdaHandler } from '../http/chain.js';
import { listWorkflows as route } from '../routes.js';
import { listWorkflows } from './list.use-case.js';

export const handler = lambdaHandler(route, listWorkflows);
