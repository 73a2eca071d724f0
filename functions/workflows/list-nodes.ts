import { lambdaHandler } from '../http/chain.js';
import { listWorkflowNodes as route } from '../routes.js';
import { listWorkflowNodes } from './list-nodes.use-case.js';

export const handler = lambdaHandler(route, listWorkflowNodes);
