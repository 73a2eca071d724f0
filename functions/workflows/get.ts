import { lambdaHandler } from '../http/chain.js';
import { getWorkflow as route } from '../routes.js';
import { getWorkflow } from './get.use-case.js';

export const handler = lambdaHandler(route, getWorkflow);
